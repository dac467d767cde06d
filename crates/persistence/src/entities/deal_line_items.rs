use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "deal_line_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub deal_id: Uuid,
    /// Zero-based place among the deal's lines.
    pub position: i32,
    pub product_id: Option<Uuid>,
    pub name: String,
    /// Integer thousandths of a unit.
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_rate_bp: i32,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
