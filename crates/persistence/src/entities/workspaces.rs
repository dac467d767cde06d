use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub default_currency: String,
    pub locale: String,
    pub deal_visibility: String,
    pub lead_visibility: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The IANA time zone of members who chose none.
    pub time_zone: String,
    /// Losing a deal needs a managed reason.
    pub lost_reason_required: bool,
    /// `gregorian` or `jalali`: the months, quarters and years of its reports.
    pub calendar: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
