use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub source: String,
    pub campaign: Option<String>,
    pub medium: Option<String>,
    pub owner_id: Option<Uuid>,
    pub status: String,
    pub disqualify_reason: Option<String>,
    pub disqualify_note: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub score: i32,
    pub tags: String,
    pub notes: Option<String>,
    pub custom_fields: String,
    pub submissions: i32,
    pub opportunity_id: Option<Uuid>,
    pub search_text: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
