use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "automation_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub automation_id: Uuid,
    pub occurrence: String,
    pub event_id: Option<Uuid>,
    pub subject_type: String,
    pub subject_id: Uuid,
    pub status: String,
    pub depth: i32,
    pub turn: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub outcomes: String,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
