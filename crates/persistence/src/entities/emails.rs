use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "emails")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub locale: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub message_id: Option<String>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// A stored file the message carries (a quote's PDF).
    pub attachment_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
