use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The last sign-in with the password: a sign-in checks an email's accounts in this order.
    pub last_signed_in_at: Option<DateTimeUtc>,
    /// Access tokens carry the generation of their issue; deactivation and a new password move it
    /// on, and the tokens of before stop working.
    pub session_generation: i64,
    /// An IANA time zone; `None` follows the workspace's.
    pub time_zone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::workspaces::Entity", from = "Column::WorkspaceId", to = "super::workspaces::Column::Id")]
    Workspace,
}

impl ActiveModelBehavior for ActiveModel {}
