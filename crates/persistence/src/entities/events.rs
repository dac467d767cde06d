use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub event_type: String,
    pub aggregate_type: String,
    pub aggregate_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub occurred_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    /// 1, 2, 3, … within the workspace in commit order; set as the unit of work commits.
    pub sequence: Option<i64>,
    /// The automation rules whose actions wrote the event, oldest first (a JSON array), if any.
    #[sea_orm(column_type = "Text", nullable)]
    pub caused_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
