use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "document_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workspace_id: Uuid,
    pub quote_prefix: String,
    pub invoice_prefix: String,
    pub yearly_reset: bool,
    pub quote_validity_days: i32,
    pub invoice_due_days: i32,
    pub accept_wins_deal: bool,
    pub rial_display: String,
    pub legal_name: Option<String>,
    pub economic_code: Option<String>,
    pub national_id: Option<String>,
    pub registration_number: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub accent_colour: String,
    pub footer: Option<String>,
    pub terms: Option<String>,
    /// The logo's bytes are audited as their size only (`audit::redacted` does not know them).
    #[serde(skip)]
    pub logo: Option<Vec<u8>>,
    pub logo_type: Option<String>,
    pub version: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
