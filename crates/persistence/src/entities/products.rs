use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub sku: String,
    /// The SKU lower-cased: unique per workspace.
    #[serde(skip)]
    pub sku_key: String,
    pub unit: Option<String>,
    pub unit_price_minor: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub active: bool,
    #[serde(skip)]
    pub search_text: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
