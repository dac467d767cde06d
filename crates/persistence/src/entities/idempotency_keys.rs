use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    /// Who sent the request: `user:<id>` (an access token) or `api_key:<id>`.
    pub caller: String,
    pub key: String,
    pub fingerprint: String,
    pub status_code: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub response_body: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub response_headers: Option<String>,
    /// The authorization the first request passed, checked again before a replay.
    #[sea_orm(column_type = "Text", nullable)]
    pub authority: Option<String>,
    /// The answer held a secret and was not kept.
    pub withheld: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
