use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub deal_id: Uuid,
    pub quote_id: Option<Uuid>,
    /// Given when the invoice is issued.
    pub number: Option<String>,
    pub sequence: Option<i64>,
    pub period: Option<String>,
    pub status: String,
    pub currency: String,
    pub issued_on: Option<Date>,
    pub due_on: Option<Date>,
    /// The priced lines as JSON (`DocumentLine`s).
    pub lines: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The sum of its payments.
    pub paid_minor: i64,
    /// The buyer's details as JSON (`Party`).
    pub buyer: String,
    /// The seller's details as JSON (`Party`), fixed when issued.
    pub seller: Option<String>,
    pub notes: Option<String>,
    pub created_by: Option<Uuid>,
    pub voided_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
