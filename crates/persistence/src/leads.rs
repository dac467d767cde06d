//! Leads: create, read, list, update, delete, disqualify and reopen. The rules of a lead's life
//! are the domain's `Lead`'s; every write here re-scores the lead against the workspace's rules
//! and records its outbox event in the same unit of work.

use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::{
    ActivityCounts, DisqualifyNote, DisqualifyReason, Lead, LeadEvent, LeadFields, LeadId, LeadPatch, LeadSource, UserId, Viewer,
    WorkspaceId,
};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use crate::custom_fields::checked_values;
use crate::entities::leads;
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, Aggregate};
use crate::pagination::{self, Page};
use crate::records::LeadRecord;
use crate::rows::{ensure_member, lead_record, lead_row, visible_lead};
use crate::scoring::{ScoringRuleRecord, lead_activity_counts, rules_in, score_lead};
use crate::search::{TagKey, key_holds, merged_fields, tagged, through_tag_rows};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::leads_seen;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LeadSort {
    /// Best first: the inbox order.
    #[default]
    ScoreDescending,
    Score,
    Newest,
    Oldest,
}

impl LeadSort {
    pub const NAMES: [&'static str; 4] = ["-score", "score", "-created_at", "created_at"];

    pub fn parse(raw: &str) -> Option<LeadSort> {
        match raw {
            "-score" => Some(LeadSort::ScoreDescending),
            "score" => Some(LeadSort::Score),
            "-created_at" => Some(LeadSort::Newest),
            "created_at" => Some(LeadSort::Oldest),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LeadSort::ScoreDescending => "-score",
            LeadSort::Score => "score",
            LeadSort::Newest => "-created_at",
            LeadSort::Oldest => "created_at",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct LeadFilter {
    /// Leads in any of these statuses (`new`, `working`, `qualified`, `disqualified`).
    pub statuses: Vec<&'static str>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<UserId>,
    pub score_min: Option<i32>,
    pub score_max: Option<i32>,
    pub tag: Option<String>,
    /// Case-insensitive text in the name, email, company or phone.
    pub text: Option<String>,
    pub disqualify_reason: Option<DisqualifyReason>,
}

/// A new lead, scored against `rules`, with its `lead.created` event; its creation is
/// recorded by the caller when it is one of its own (an import records its batch).
pub(crate) async fn insert_lead(
    work: &mut UnitOfWork,
    workspace_id: WorkspaceId,
    fields: LeadFields,
    rules: &[ScoringRuleRecord],
) -> StoreResult<LeadRecord> {
    let (mut lead, event) = Lead::capture(workspace_id, fields);
    lead.rescore(score_lead(rules, &lead, ActivityCounts::default()).total);
    let now = work.now();
    let record = LeadRecord { lead, version: 1, created_at: now, updated_at: now };
    leads::Entity::insert(leads::ActiveModel::from(lead_row(&record)).reset_all()).exec_without_returning(work.conn()).await?;
    work.emit(Aggregate::lead(&record), &outbox::lead_event(&event, None, &record)).await?;
    Ok(record)
}

/// Writes `lead`, changed from `before`, with the event its transition caused.
pub(crate) async fn save_lead(
    work: &mut UnitOfWork,
    action: &'static str,
    before: &LeadRecord,
    lead: Lead,
    event: &LeadEvent,
) -> StoreResult<LeadRecord> {
    let after = LeadRecord { lead, ..before.clone() };
    let row = work.update(action, &lead_row(before), lead_row(&after)).await?;
    let record = LeadRecord { version: row.version, updated_at: row.updated_at, ..after };
    work.emit(Aggregate::lead(&record), &outbox::lead_event(event, Some(before), &record)).await?;
    Ok(record)
}

/// The lead the viewer may change, at the version they read.
async fn lead_to_change(work: &UnitOfWork, viewer: &Viewer, lead_id: LeadId, expected_version: Option<i64>) -> StoreResult<LeadRecord> {
    let record = visible_lead(work.conn(), viewer, lead_id).await?;
    check_version("lead", expected_version, record.version)?;
    Ok(record)
}

/// Scores `lead` against the workspace's rules and its activities.
pub(crate) async fn rescored<C: ConnectionTrait>(conn: &C, mut lead: Lead) -> StoreResult<Lead> {
    let rules = rules_in(conn, lead.workspace_id()).await?;
    let activities = lead_activity_counts(conn, lead.workspace_id(), &rules, lead.id()).await?;
    lead.rescore(score_lead(&rules, &lead, activities).total);
    Ok(lead)
}

impl Store {
    pub async fn create_lead(
        &self,
        workspace_id: WorkspaceId,
        actor_id: Option<UserId>,
        mut fields: LeadFields,
    ) -> StoreResult<LeadRecord> {
        let mut work = self.begin().await?;
        if let Some(owner_id) = fields.owner_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        fields.owner_id = fields.owner_id.or(actor_id);
        fields.custom_fields = checked_values(work.conn(), workspace_id, FieldEntity::Lead, &fields.custom_fields).await?;
        let rules = rules_in(work.conn(), workspace_id).await?;
        let record = insert_lead(&mut work, workspace_id, fields, &rules).await?;
        work.audit_object("lead.created", &lead_row(&record)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// A lead the viewer sees; one hidden from them is not found, exactly like a missing one.
    pub async fn lead(&self, viewer: &Viewer, lead_id: LeadId) -> StoreResult<LeadRecord> {
        visible_lead(&self.db, viewer, lead_id).await
    }

    pub async fn leads(
        &self,
        viewer: &Viewer,
        filter: &LeadFilter,
        sort: LeadSort,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<LeadRecord>> {
        let limit = pagination::clamp_limit(limit);
        let tag = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
        // Under a tag the list reads through the tag rows (which carry the score): the tag is their
        // join, not a condition.
        let condition = lead_condition(viewer.workspace_id, &LeadFilter { tag: None, ..filter.clone() });
        let mut query = leads::Entity::find()
            .filter(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(leads_seen(viewer))
            .filter(condition);
        let id = leads::Column::Id;
        let mut score_key = column(leads::Column::Score);
        let mut id_key = column(id);
        if let Some(tag) = tag {
            (query, score_key, id_key) = through_tag_rows(query, viewer.workspace_id, FieldEntity::Lead, column(id), tag, TagKey::Number);
        }
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, sort.as_str())?;
            let keyset = match sort {
                LeadSort::Newest => Condition::all().add(id_key.clone().lt(last_id)),
                LeadSort::Oldest => Condition::all().add(id_key.clone().gt(last_id)),
                LeadSort::Score | LeadSort::ScoreDescending => {
                    let last = value.as_i64().ok_or_else(|| StoreError::invalid("cursor", "not a cursor from this list"))?;
                    // A row comparison, which the score indexes start from.
                    let key = Expr::tuple([score_key.clone(), id_key.clone()]);
                    let last = Expr::tuple([Expr::val(last), Expr::val(last_id)]);
                    Condition::all().add(if sort == LeadSort::Score { key.gt(last) } else { key.lt(last) })
                }
            };
            query = query.filter(keyset);
        }
        query = match sort {
            LeadSort::ScoreDescending => query.order_by_desc(score_key).order_by_desc(id_key),
            LeadSort::Score => query.order_by_asc(score_key).order_by_asc(id_key),
            LeadSort::Newest => query.order_by_desc(id_key),
            LeadSort::Oldest => query.order_by_asc(id_key),
        };
        let rows = query.limit(limit + 1).all(&self.db).await?;
        let mut items: Vec<LeadRecord> = rows.into_iter().map(lead_record).collect::<StoreResult<_>>()?;
        let next_cursor = if items.len() as u64 > limit {
            items.truncate(limit as usize);
            items.last().map(|last| {
                let value = match sort {
                    LeadSort::Score | LeadSort::ScoreDescending => Value::from(last.lead.score()),
                    _ => Value::Null,
                };
                pagination::encode(sort.as_str(), value, last.lead.id().as_uuid())
            })
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    pub async fn update_lead(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        mut patch: LeadPatch,
    ) -> StoreResult<LeadRecord> {
        let workspace_id = viewer.workspace_id;
        let mut work = self.begin().await?;
        let current = lead_to_change(&work, viewer, lead_id, expected_version).await?;
        if let Some(Some(owner_id)) = patch.owner_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        // Values of deleted fields are dropped on any save.
        let stored_fields = &current.lead.fields().custom_fields;
        patch.custom_fields =
            Some(merged_fields(work.conn(), workspace_id, FieldEntity::Lead, stored_fields, patch.custom_fields.as_ref()).await?);
        let mut lead = current.lead.clone();
        let event = lead.update(patch)?;
        let lead = rescored(work.conn(), lead).await?;
        if lead == current.lead {
            return Ok(current);
        }
        let record = save_lead(&mut work, "lead.updated", &current, lead, &event).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Deletes a lead that has not been qualified (a qualified lead is the history of its opportunity).
    pub async fn delete_lead(&self, viewer: &Viewer, lead_id: LeadId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = lead_to_change(&work, viewer, lead_id, expected_version).await?;
        let event = current.lead.delete()?;
        work.delete("lead.deleted", &lead_row(&current)).await?;
        work.emit(Aggregate::lead(&current), &outbox::lead_event(&event, None, &current)).await?;
        work.commit().await
    }

    pub async fn disqualify_lead(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        reason: DisqualifyReason,
        note: Option<DisqualifyNote>,
    ) -> StoreResult<LeadRecord> {
        let mut work = self.begin().await?;
        let current = lead_to_change(&work, viewer, lead_id, expected_version).await?;
        let mut lead = current.lead.clone();
        let event = lead.disqualify(reason, note, work.now())?;
        let record = save_lead(&mut work, "lead.disqualified", &current, lead, &event).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn reopen_lead(&self, viewer: &Viewer, lead_id: LeadId, expected_version: Option<i64>) -> StoreResult<LeadRecord> {
        let mut work = self.begin().await?;
        let current = lead_to_change(&work, viewer, lead_id, expected_version).await?;
        let mut lead = current.lead.clone();
        let event = lead.reopen()?;
        let record = save_lead(&mut work, "lead.reopened", &current, lead, &event).await?;
        work.commit().await?;
        Ok(record)
    }
}

fn column(c: leads::Column) -> SimpleExpr {
    Expr::col((leads::Entity, c))
}

/// The SQL condition of a lead filter (shared by the list and the CSV export).
pub(crate) fn lead_condition(workspace_id: WorkspaceId, filter: &LeadFilter) -> Condition {
    let mut condition = Condition::all();
    if !filter.statuses.is_empty() {
        // Written as literals, not bound: the open leads (`new` or `working`) have a partial index
        // of their own by score (migration 000050), which a plan may use only when the query's
        // condition is the index's own, whatever the parameters.
        let listed: Vec<String> = filter.statuses.iter().map(|s| format!("'{}'", s.replace('\'', "''"))).collect();
        condition = condition.add(Expr::cust(format!("\"leads\".\"status\" IN ({})", listed.join(", "))));
    }
    if let Some(source) = filter.source {
        condition = condition.add(leads::Column::Source.eq(source.as_str()));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(leads::Column::OwnerId.eq(owner_id.as_uuid()));
    }
    if let Some(min) = filter.score_min {
        condition = condition.add(leads::Column::Score.gte(min));
    }
    if let Some(max) = filter.score_max {
        condition = condition.add(leads::Column::Score.lte(max));
    }
    if let Some(reason) = filter.disqualify_reason {
        condition = condition.add(leads::Column::DisqualifyReason.eq(reason.as_str()));
    }
    if let Some(tag) = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        condition = condition.add(tagged(workspace_id, FieldEntity::Lead, column(leads::Column::Id), tag));
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        condition = condition.add(key_holds(column(leads::Column::SearchText), text));
    }
    condition
}
