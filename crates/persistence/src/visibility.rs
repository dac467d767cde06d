//! The one place that turns a [`Viewer`] into query conditions: which deals, leads and contacts
//! a caller sees, and through them which activities and opportunities. Lists filter with these; single
//! reads check the loaded row with the same rule (`Viewer::sees_deal_of`, `sees_lead_of`).

use kariz_domain::{UserId, Viewer};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, Value};

use crate::entities::{activities, contacts, deals, leads, opportunities};

/// Deals the viewer sees (on the `deals` entity).
pub(crate) fn deals_seen(viewer: &Viewer) -> Condition {
    match viewer.deals_owned_by() {
        Some(owner) => Condition::all().add(deals::Column::OwnerId.eq(owner.as_uuid())),
        None => Condition::all(),
    }
}

/// Rows of a deal the viewer sees (quotes, invoices), on their `deal_column`.
pub(crate) fn of_deals_seen(viewer: &Viewer, deal_column: impl ColumnTrait) -> Condition {
    match viewer.deals_owned_by() {
        Some(owner) => Condition::all().add(deal_column.in_subquery(deals_of(viewer, owner))),
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

/// Contacts the viewer sees (on the `contacts` entity): they follow the lead visibility.
pub(crate) fn contacts_seen(viewer: &Viewer) -> Condition {
    match viewer.contacts_owned_by() {
        Some(owner) => Condition::all().add(contacts::Column::OwnerId.eq(owner.as_uuid())),
        None => Condition::all(),
    }
}

/// The ids of the `owner`'s contacts in the viewer's workspace.
fn contacts_of(viewer: &Viewer, owner: UserId) -> SelectStatement {
    Query::select()
        .column(contacts::Column::Id)
        .from(contacts::Entity)
        .and_where(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .and_where(contacts::Column::OwnerId.eq(owner.as_uuid()))
        .to_owned()
}

/// The ids of the `owner`'s deals in the viewer's workspace.
fn deals_of(viewer: &Viewer, owner: UserId) -> SelectStatement {
    Query::select()
        .column(deals::Column::Id)
        .from(deals::Entity)
        .and_where(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .and_where(deals::Column::OwnerId.eq(owner.as_uuid()))
        .to_owned()
}

/// The ids of the `owner`'s leads in the viewer's workspace.
fn leads_of(viewer: &Viewer, owner: UserId) -> SelectStatement {
    Query::select()
        .column(leads::Column::Id)
        .from(leads::Entity)
        .and_where(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .and_where(leads::Column::OwnerId.eq(owner.as_uuid()))
        .to_owned()
}

/// A link that is empty or points among `ids`.
fn none_or_among(link: impl ColumnTrait, ids: SelectStatement) -> Condition {
    Condition::any().add(link.is_null()).add(link.in_subquery(ids))
}

/// Opportunities the viewer sees: those whose lead they see (or that came from no lead).
pub(crate) fn opportunities_seen(viewer: &Viewer) -> Condition {
    match viewer.leads_owned_by() {
        Some(owner) => none_or_among(opportunities::Column::LeadId, leads_of(viewer, owner)),
        None => Condition::all(),
    }
}

/// Activities the viewer sees: none linked to a deal, lead or contact hidden from them.
pub(crate) fn activities_seen(viewer: &Viewer) -> Condition {
    let mut condition = Condition::all();
    if let Some(owner) = viewer.deals_owned_by() {
        condition = condition.add(none_or_among(activities::Column::DealId, deals_of(viewer, owner)));
    }
    if let Some(owner) = viewer.leads_owned_by() {
        condition = condition.add(none_or_among(activities::Column::LeadId, leads_of(viewer, owner)));
    }
    if let Some(owner) = viewer.contacts_owned_by() {
        condition = condition.add(none_or_among(activities::Column::ContactId, contacts_of(viewer, owner)));
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

/// The contacts the viewer sees as raw SQL on `owner_column`.
pub(crate) fn contacts_seen_sql(viewer: &Viewer, owner_column: &str) -> Option<(String, Value)> {
    viewer.contacts_owned_by().map(|owner| (format!("{owner_column} = ?"), owner.as_uuid().into()))
}
