use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub deal_id: Uuid,
    pub number: String,
    pub sequence: i64,
    pub period: String,
    pub revision: i32,
    pub revision_of: Option<Uuid>,
    pub status: String,
    pub currency: String,
    pub quote_date: Date,
    pub valid_until: Date,
    /// The priced lines as JSON (`DocumentLine`s).
    pub lines: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The buyer's details as JSON (`Party`).
    pub buyer: String,
    pub notes: Option<String>,
    pub created_by: Option<Uuid>,
    pub sent_at: Option<DateTimeUtc>,
    pub answered_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
