//! The one place that turns a [`Viewer`] into query conditions: which deals and leads a caller
//! sees, and through them which activities and opportunities. Lists filter with these; single
//! reads check the loaded row with the same rule (`Viewer::sees_deal_of`, `sees_lead_of`).

use kariz_domain::Viewer;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, Value};

use crate::entities::{activities, deals, leads, opportunities};

/// Deals the viewer sees (on the `deals` entity).
pub(crate) fn deals_seen(viewer: &Viewer) -> Condition {
    match viewer.deals_owned_by() {
        Some(owner) => Condition::all().add(deals::Column::OwnerId.eq(owner.as_uuid())),
        None => Condition::all(),
    }
}

/// Leads the viewer sees (on the `leads` entity).
pub(crate) fn leads_seen(viewer: &Viewer) -> Condition {
    match viewer.leads_owned_by() {
        Some(owner) => Condition::all().add(leads::Column::OwnerId.eq(owner.as_uuid())),
        None => Condition::all(),
    }
}

/// Opportunities the viewer sees: those whose lead they see (or that came from no lead).
pub(crate) fn opportunities_seen(viewer: &Viewer) -> Condition {
    match viewer.leads_owned_by() {
        Some(owner) => Condition::any().add(opportunities::Column::LeadId.is_null()).add(
            opportunities::Column::LeadId.in_subquery(
                Query::select()
                    .column(leads::Column::Id)
                    .from(leads::Entity)
                    .and_where(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
                    .and_where(leads::Column::OwnerId.eq(owner.as_uuid()))
                    .to_owned(),
            ),
        ),
        None => Condition::all(),
    }
}

/// Activities the viewer sees: none linked to a deal or lead hidden from them.
pub(crate) fn activities_seen(viewer: &Viewer) -> Condition {
    let mut condition = Condition::all();
    if let Some(owner) = viewer.deals_owned_by() {
        let own_deals = Query::select()
            .column(deals::Column::Id)
            .from(deals::Entity)
            .and_where(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .and_where(deals::Column::OwnerId.eq(owner.as_uuid()))
            .to_owned();
        condition = condition
            .add(Condition::any().add(activities::Column::DealId.is_null()).add(activities::Column::DealId.in_subquery(own_deals)));
    }
    if let Some(owner) = viewer.leads_owned_by() {
        let own_leads = Query::select()
            .column(leads::Column::Id)
            .from(leads::Entity)
            .and_where(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .and_where(leads::Column::OwnerId.eq(owner.as_uuid()))
            .to_owned();
        condition = condition
            .add(Condition::any().add(activities::Column::LeadId.is_null()).add(activities::Column::LeadId.in_subquery(own_leads)));
    }
    condition
}

/// The deals the viewer sees as raw SQL on `owner_column` (e.g. `d.owner_id`), for the board
/// and the reports: `None` when they see every deal.
pub(crate) fn deals_seen_sql(viewer: &Viewer, owner_column: &str) -> Option<(String, Value)> {
    viewer.deals_owned_by().map(|owner| (format!("{owner_column} = ?"), owner.as_uuid().into()))
}

/// The leads the viewer sees as raw SQL on `owner_column`.
pub(crate) fn leads_seen_sql(viewer: &Viewer, owner_column: &str) -> Option<(String, Value)> {
    viewer.leads_owned_by().map(|owner| (format!("{owner_column} = ?"), owner.as_uuid().into()))
}
