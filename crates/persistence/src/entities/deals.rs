use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub title: String,
    pub amount_minor: i64,
    pub currency: String,
    pub probability: Option<i16>,
    pub expected_close_date: Option<Date>,
    pub owner_id: Uuid,
    pub status: String,
    pub lost_reason: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub position: String,
    pub stage_entered_at: DateTimeUtc,
    pub search_text: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub opportunity_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// A JSON array of strings.
    pub tags: String,
    /// A JSON object of custom-field values.
    pub custom_fields: String,
    pub lost_reason_id: Option<Uuid>,
    pub amount_from_lines: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::stages::Entity", from = "Column::StageId", to = "super::stages::Column::Id")]
    Stage,
}

impl ActiveModelBehavior for ActiveModel {}
