//! Deals: create, read, list, update, move, close, reopen, delete, and their stage history.
//!
//! Every change is a unit of work: the deal is read in the transaction, the domain's transition
//! applied, the row written by compare-and-swap on its version, and the stage-history row (when
//! the stage changed) and the outbox event written with it. A stale write changes nothing, and
//! no change is committed without its event.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::{
    ContactId, ContactLink, Currency, Deal, DealEvent, DealId, DealPatch, DealTitle, LossDetails, LostReason, LostReasonId, Money, NewDeal,
    OpportunityId, OrganizationId, PipelineId, Position, Probability, StageId, Tags, UserId, Viewer, WorkspaceId,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};

use crate::custom_fields::checked_values;
use crate::entities::{deals, events, stage_history, workspaces};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::outbox::{self, Aggregate};
use crate::pagination::{self, Page};
use crate::records::{DealRecord, StageChangeRecord};
use crate::rows::{
    self, adjacent_position, contact_link, deal_in, ensure_member, ensure_organization, hold_column, joined_record, last_position,
    with_stage,
};
use crate::search::{TagKey, custom_field_conditions, key_holds, merged_fields, tagged, through_tag_rows};
use crate::stage_entry::{LeftStage, create_stage_tasks, enter_stage, entry_row};
use crate::stage_templates::templates_of;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::{contacts_seen, deals_seen};

/// What a new deal needs; the store fills in the stage (default: the pipeline's first), the
/// currency (default: the pipeline's), the owner (default: the actor) and the position (last).
#[derive(Clone, Debug)]
pub struct CreateDeal {
    pub pipeline_id: PipelineId,
    pub stage_id: Option<StageId>,
    pub title: DealTitle,
    pub amount_minor: i64,
    pub currency: Option<Currency>,
    pub probability: Option<Probability>,
    pub expected_close_date: Option<NaiveDate>,
    pub owner_id: Option<UserId>,
    /// The opportunity the deal is opened for.
    pub opportunity_id: Option<OpportunityId>,
    /// The person the deal is with; the company defaults to theirs.
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub tags: Tags,
    /// Checked against the workspace's deal field definitions by the store.
    pub custom_fields: Map<String, Value>,
    /// The amount follows the line items (`PUT /deals/{id}/line-items`); it starts at 0.
    pub amount_from_lines: bool,
}

/// Where a card goes: a stage, and optionally the cards it lands between.
#[derive(Clone, Debug)]
pub struct MoveDeal {
    pub stage_id: StageId,
    /// The card that will sit just before (above) the moved one.
    pub before_id: Option<DealId>,
    /// The card that will sit just after (below) the moved one.
    pub after_id: Option<DealId>,
}

/// How a deal list is ordered; every order ends with the id so that pages are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DealSort {
    #[default]
    Newest,
    Oldest,
    AmountAscending,
    AmountDescending,
    Position,
}

impl DealSort {
    pub const NAMES: [&'static str; 5] = ["-created_at", "created_at", "amount_minor", "-amount_minor", "position"];

    pub fn parse(raw: &str) -> Option<DealSort> {
        match raw {
            "-created_at" => Some(DealSort::Newest),
            "created_at" => Some(DealSort::Oldest),
            "amount_minor" => Some(DealSort::AmountAscending),
            "-amount_minor" => Some(DealSort::AmountDescending),
            "position" => Some(DealSort::Position),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DealSort::Newest => "-created_at",
            DealSort::Oldest => "created_at",
            DealSort::AmountAscending => "amount_minor",
            DealSort::AmountDescending => "-amount_minor",
            DealSort::Position => "position",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DealFilter {
    pub pipeline_id: Option<PipelineId>,
    pub stage_id: Option<StageId>,
    pub owner_id: Option<UserId>,
    pub status: Option<&'static str>,
    /// Case-insensitive substring of the title.
    pub text: Option<String>,
    pub expected_close_from: Option<NaiveDate>,
    pub expected_close_to: Option<NaiveDate>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    /// One tag, case-insensitive.
    pub tag: Option<String>,
    /// `(key, value)`: the deal custom field equals the value (compared as the field's kind).
    pub custom_fields: Vec<(String, String)>,
}

/// Why a deal is lost, as the request gives it: the managed reason by its id (checked by the
/// store against the workspace's reasons) and the salesperson's note.
#[derive(Clone, Debug, Default)]
pub struct LoseDeal {
    pub reason_id: Option<LostReasonId>,
    pub note: Option<LostReason>,
}

/// A new deal whose pipeline, stage and owner have been checked.
pub(crate) struct PreparedDeal {
    fields: NewDeal,
    stage: kariz_domain::StageRef,
}

impl PreparedDeal {
    /// Opens the deal for `opportunity`, with its person and company.
    pub(crate) fn for_opportunity(mut self, opportunity: OpportunityId, contact: ContactLink) -> PreparedDeal {
        self.fields.opportunity_id = Some(opportunity);
        self.fields.contact = Some(contact);
        self.fields.organization_id = contact.organization_id;
        self
    }
}

/// A new deal at `position`, stamped `now`, not yet written; refused when it lacks a field its
/// stage requires.
fn opened(prepared: PreparedDeal, position: Position, now: chrono::DateTime<chrono::Utc>) -> StoreResult<(DealRecord, DealEvent)> {
    let probability = prepared.stage.probability;
    let (deal, event) = Deal::open(prepared.fields, &prepared.stage, position, now)?;
    Ok((DealRecord { deal, stage_probability: probability, version: 1, created_at: now, updated_at: now }, event))
}

/// Checks a new deal against its pipeline, stage and owner, on `conn`.
pub(crate) async fn prepare_deal<C: ConnectionTrait>(conn: &C, viewer: &Viewer, new: CreateDeal) -> StoreResult<PreparedDeal> {
    let (workspace_id, actor_id) = (viewer.workspace_id, viewer.user_id);
    let pipeline = rows::pipeline_rows(conn, workspace_id, new.pipeline_id).await.map_err(|err| match err {
        StoreError::NotFound(_) => StoreError::invalid("pipeline_id", "no such pipeline"),
        other => other,
    })?;
    prepare_in(conn, &pipeline.aggregate()?, actor_id, contacts_seen(viewer), new).await
}

/// Checks a new deal's stage and owner against `pipeline`, the one it names.
async fn prepare_in<C: ConnectionTrait>(
    conn: &C,
    pipeline: &kariz_domain::Pipeline,
    actor_id: UserId,
    contacts_seen: Condition,
    new: CreateDeal,
) -> StoreResult<PreparedDeal> {
    let stage = pipeline.stage_for_new_deal(new.stage_id).map_err(|err| match err {
        kariz_domain::PipelineError::Archived => StoreError::invalid("pipeline_id", err.to_string()),
        other => StoreError::invalid("stage_id", other.to_string()),
    })?;
    let owner_id = new.owner_id.unwrap_or(actor_id);
    if owner_id != actor_id {
        ensure_member(conn, pipeline.workspace_id(), owner_id).await?;
    }
    let value = Money::new(new.amount_minor, new.currency.unwrap_or(pipeline.currency()))
        .map_err(|e| StoreError::invalid("amount_minor", e.to_string()))?;
    let contact = match new.contact_id {
        Some(id) => Some(contact_link(conn, pipeline.workspace_id(), contacts_seen, id).await?),
        None => None,
    };
    if let Some(id) = new.organization_id {
        ensure_organization(conn, pipeline.workspace_id(), id).await?;
    }
    let custom_fields = checked_values(conn, pipeline.workspace_id(), FieldEntity::Deal, &new.custom_fields).await?;
    let fields = NewDeal {
        workspace_id: pipeline.workspace_id(),
        title: new.title,
        value,
        probability: new.probability,
        expected_close_date: new.expected_close_date,
        owner_id,
        opportunity_id: new.opportunity_id,
        contact,
        organization_id: new.organization_id,
        tags: new.tags,
        custom_fields,
        amount_from_lines: new.amount_from_lines,
    };
    Ok(PreparedDeal { fields, stage })
}

/// Opens a prepared deal at the end of its column, with its first stage-history row, its
/// stage's follow-up tasks and its `deal.created` event.
pub(crate) async fn insert_deal(work: &mut UnitOfWork, prepared: PreparedDeal, actor_id: UserId) -> StoreResult<DealRecord> {
    hold_column(work.conn(), prepared.stage.id).await?;
    let last = last_position(work.conn(), prepared.stage.id, None).await?;
    let position = Position::between(last.as_ref(), None).map_err(|e| StoreError::corrupt("deals", e))?;
    let (record, event) = opened(prepared, position, work.now())?;
    work.insert("deal.created", rows::deal_row(&record)).await?;
    enter_stage(work, &record, None, Some(actor_id)).await?;
    work.emit(Aggregate::deal(&record), &outbox::deal_event(&event, &record)).await?;
    Ok(record)
}

/// The deal the viewer may change, at the version they read: one hidden from them is not
/// found, exactly like a missing one.
pub(crate) async fn deal_to_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    deal_id: DealId,
    expected_version: Option<i64>,
) -> StoreResult<DealRecord> {
    let record = deal_in(work.conn(), viewer.workspace_id, deal_id).await?;
    if !viewer.sees_deal_of(record.deal.owner_id()) {
        return Err(StoreError::NotFound("deal"));
    }
    check_version("deal", expected_version, record.version)?;
    Ok(record)
}

/// Writes `deal`, changed from `before`, with the events its transition caused.
pub(crate) async fn save(
    work: &mut UnitOfWork,
    action: &'static str,
    before: &DealRecord,
    deal: Deal,
    stage_probability: Probability,
    events: &[DealEvent],
) -> StoreResult<DealRecord> {
    let after = DealRecord { deal, stage_probability, ..before.clone() };
    let row = work.update(action, &rows::deal_row(before), rows::deal_row(&after)).await?;
    let record = DealRecord { version: row.version, updated_at: row.updated_at, ..after };
    for event in events {
        work.emit(Aggregate::deal(&record), &outbox::deal_event(event, &record)).await?;
    }
    Ok(record)
}

/// Rows per multi-row `INSERT` of a bulk write: 500 deals bind 11,500 values (23 columns), within
/// both engines' limits on bound parameters.
const BULK_CHUNK: usize = 500;

/// Inserts `rows` with one statement per [`BULK_CHUNK`] rows.
async fn insert_in_chunks<A: ActiveModelTrait, C: ConnectionTrait>(conn: &C, rows: Vec<A>) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BULK_CHUNK).collect();
        A::Entity::insert_many(chunk).exec_without_returning(conn).await?;
    }
    Ok(())
}

impl Store {
    /// Opens a deal; a linked contact must be one the viewer sees (a hidden one is refused like a
    /// missing one).
    pub async fn create_deal(&self, viewer: &Viewer, new: CreateDeal) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let prepared = prepare_deal(work.conn(), viewer, new).await?;
        let record = insert_deal(&mut work, prepared, viewer.user_id).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Opens many deals in one transaction (seeding, bulk loads): each goes last in its column,
    /// in the order given, with its first stage-history row, its stage's follow-up tasks and its
    /// `deal.created` event, as [`Store::create_deal`] would do one by one; deals, history and
    /// events are written with one statement per few hundred rows.
    pub async fn create_deals_in_bulk(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        new: Vec<CreateDeal>,
    ) -> StoreResult<Vec<DealRecord>> {
        let mut work = self.begin().await?;
        let mut pipelines = HashMap::new();
        let mut prepared = Vec::with_capacity(new.len());
        for deal in new {
            let pipeline = match pipelines.entry(deal.pipeline_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let rows = rows::pipeline_rows(work.conn(), workspace_id, deal.pipeline_id).await.map_err(|err| match err {
                        StoreError::NotFound(_) => StoreError::invalid("pipeline_id", "no such pipeline"),
                        other => other,
                    })?;
                    slot.insert(rows.aggregate()?)
                }
            };
            // Seeding and bulk loads act for the workspace: every contact is theirs to link.
            prepared.push(prepare_in(work.conn(), pipeline, actor_id, Condition::all(), deal).await?);
        }
        let now = work.now();
        // Per stage: the last position so far, and whether entering it creates tasks.
        let mut columns: HashMap<StageId, (Option<Position>, bool)> = HashMap::new();
        let (mut deal_rows, mut entries, mut event_rows, mut records) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut with_tasks = Vec::new();
        for deal in prepared {
            let stage_id = deal.stage.id;
            let column = match columns.entry(stage_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    hold_column(work.conn(), stage_id).await?;
                    let last = last_position(work.conn(), stage_id, None).await?;
                    let has_templates = !templates_of(work.conn(), workspace_id, stage_id).await?.is_empty();
                    slot.insert((last, has_templates))
                }
            };
            let position = Position::between(column.0.as_ref(), None).map_err(|e| StoreError::corrupt("deals", e))?;
            column.0 = Some(position.clone());
            let (record, event) = opened(deal, position, now)?;
            if column.1 {
                with_tasks.push(records.len());
            }
            deal_rows.push(rows::deal_row(&record));
            entries.push(entry_row(&record, None, Some(actor_id)));
            event_rows.push(outbox::row(Aggregate::deal(&record), &outbox::deal_event(&event, &record), now));
            records.push(record);
        }
        work.insert_rows(deal_rows).await?;
        insert_in_chunks(work.conn(), entries).await?;
        for index in with_tasks {
            create_stage_tasks(&mut work, &records[index], Some(actor_id)).await?;
        }
        insert_in_chunks::<events::ActiveModel, _>(work.conn(), event_rows).await?;
        work.emitted();
        work.commit().await?;
        Ok(records)
    }

    /// A deal the viewer sees; one hidden from them is not found, exactly like a missing one.
    pub async fn deal(&self, viewer: &Viewer, deal_id: DealId) -> StoreResult<DealRecord> {
        let record = deal_in(&self.db, viewer.workspace_id, deal_id).await?;
        if !viewer.sees_deal_of(record.deal.owner_id()) {
            return Err(StoreError::NotFound("deal"));
        }
        Ok(record)
    }

    pub async fn deals(
        &self,
        viewer: &Viewer,
        filter: DealFilter,
        sort: DealSort,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<DealRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query =
            deals::Entity::find().filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid())).filter(deals_seen(viewer));
        if let Some(id) = filter.pipeline_id {
            query = query.filter(deals::Column::PipelineId.eq(id.as_uuid()));
        }
        if let Some(id) = filter.stage_id {
            query = query.filter(deals::Column::StageId.eq(id.as_uuid()));
        }
        if let Some(id) = filter.owner_id {
            query = query.filter(deals::Column::OwnerId.eq(id.as_uuid()));
        }
        if let Some(status) = filter.status {
            // Written as a literal, not bound: the open deals have partial indexes of their own by
            // amount (migration 000053), which a plan may use only when the query's condition is
            // the index's own, whatever the parameters. `status` is one of the fixed names.
            query = query.filter(Expr::cust(format!("\"deals\".\"status\" = '{}'", status.replace('\'', "''"))));
        }
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            query = query.filter(key_holds(Expr::col((deals::Entity, deals::Column::SearchText)), text));
        }
        if let Some(from) = filter.expected_close_from {
            query = query.filter(deals::Column::ExpectedCloseDate.gte(from));
        }
        if let Some(to) = filter.expected_close_to {
            query = query.filter(deals::Column::ExpectedCloseDate.lte(to));
        }
        if let Some(id) = filter.contact_id {
            query = query.filter(deals::Column::ContactId.eq(id.as_uuid()));
        }
        if let Some(id) = filter.organization_id {
            query = query.filter(deals::Column::OrganizationId.eq(id.as_uuid()));
        }
        let id_col = deals::Column::Id;
        let mut amount_key = Expr::col((deals::Entity, deals::Column::AmountMinor));
        let mut id_key = Expr::col((deals::Entity, id_col));
        if let Some(tag) = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let id = Expr::col((deals::Entity, id_col));
            if sort == DealSort::Position {
                query = query.filter(tagged(viewer.workspace_id, FieldEntity::Deal, id, tag));
            } else {
                (query, amount_key, id_key) = through_tag_rows(query, viewer.workspace_id, FieldEntity::Deal, id, tag, TagKey::Number);
            }
        }
        if !filter.custom_fields.is_empty() {
            let column = Expr::col((deals::Entity, deals::Column::CustomFields));
            query = query
                .filter(custom_field_conditions(&self.db, viewer.workspace_id, FieldEntity::Deal, column, &filter.custom_fields).await?);
        }
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, sort.as_str())?;
            let bad = || StoreError::invalid("cursor", "not a cursor from this list; start again without it");
            let keyset = match sort {
                DealSort::Newest => Condition::all().add(id_key.clone().lt(last_id)),
                DealSort::Oldest => Condition::all().add(id_key.clone().gt(last_id)),
                DealSort::AmountAscending | DealSort::AmountDescending => {
                    let amount = value.as_i64().ok_or_else(bad)?;
                    // A row comparison, which the amount indexes (migration 000050) start from.
                    let key = Expr::tuple([amount_key.clone(), id_key.clone()]);
                    let last = Expr::tuple([Expr::val(amount), Expr::val(last_id)]);
                    Condition::all().add(if sort == DealSort::AmountAscending { key.gt(last) } else { key.lt(last) })
                }
                DealSort::Position => {
                    let position = value.as_str().ok_or_else(bad)?.to_owned();
                    let col = deals::Column::Position;
                    Condition::any().add(col.gt(position.clone())).add(Condition::all().add(col.eq(position)).add(id_col.gt(last_id)))
                }
            };
            query = query.filter(keyset);
        }
        query = match sort {
            DealSort::Newest => query.order_by_desc(id_key),
            DealSort::Oldest => query.order_by_asc(id_key),
            DealSort::AmountAscending => query.order_by_asc(amount_key).order_by_asc(id_key),
            DealSort::AmountDescending => query.order_by_desc(amount_key).order_by_desc(id_key),
            DealSort::Position => query.order_by_asc(deals::Column::Position).order_by_asc(id_col),
        };
        let rows = with_stage(query.limit(limit + 1)).all(&self.db).await?;
        let mut items: Vec<DealRecord> = rows.into_iter().map(joined_record).collect::<StoreResult<_>>()?;
        let next_cursor = if items.len() as u64 > limit {
            items.truncate(limit as usize);
            items.last().map(|last| deal_cursor(sort, last))
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    pub async fn update_deal(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        mut patch: DealPatch,
    ) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        if let Some(changes) = patch.custom_fields.take() {
            let stored = current.deal.custom_fields();
            patch.custom_fields = Some(merged_fields(work.conn(), viewer.workspace_id, FieldEntity::Deal, stored, Some(&changes)).await?);
        }
        if let Some(owner_id) = patch.owner_id {
            ensure_member(work.conn(), viewer.workspace_id, owner_id).await?;
        }
        if let Some(Some(contact_id)) = patch.contact_id {
            contact_link(work.conn(), viewer.workspace_id, contacts_seen(viewer), contact_id).await?;
        }
        if let Some(Some(organization_id)) = patch.organization_id {
            ensure_organization(work.conn(), viewer.workspace_id, organization_id).await?;
        }
        // A deal made to follow its lines takes their total now; lines priced in one currency
        // keep the deal in it.
        if patch.amount_from_lines == Some(true) {
            patch.amount_minor = Some(crate::line_item_rows::lines_summary(work.conn(), viewer.workspace_id, deal_id).await?.total_minor);
        }
        if patch.currency.is_some_and(|currency| currency != current.deal.value().currency())
            && crate::line_item_rows::has_lines(work.conn(), viewer.workspace_id, deal_id).await?
        {
            return Err(StoreError::invalid(
                "currency",
                "the deal's line items are priced in its currency: remove them before changing it",
            ));
        }
        let mut deal = current.deal.clone();
        let Some(event) = deal.update(patch)? else { return Ok(current) };
        let record = save(&mut work, "deal.updated", &current, deal, current.stage_probability, &[event]).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn move_deal(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        target: MoveDeal,
        actor_id: UserId,
    ) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let stage = rows::held_stage_in(work.conn(), viewer.workspace_id, target.stage_id).await.map_err(|err| match err {
            StoreError::NotFound(_) => StoreError::invalid("stage_id", "no such stage"),
            other => other,
        })?;
        let stage_ref = rows::stage_ref(&stage);
        let position = slot(&work, viewer, deal_id, stage.id, target.before_id, target.after_id).await?;
        let mut deal = current.deal.clone();
        let event = deal.move_to(&stage_ref, position, Some(actor_id), work.now())?;
        let events: Vec<DealEvent> = event.into_iter().collect();
        let record = save(&mut work, "deal.moved", &current, deal, stage.probability, &events).await?;
        if !events.is_empty() {
            enter_stage(&mut work, &record, Some(LeftStage::of(&current)), Some(actor_id)).await?;
        }
        work.commit().await?;
        Ok(record)
    }

    pub async fn win_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<DealRecord> {
        self.close_or_reopen("deal.won", viewer, deal_id, expected_version, |deal, now| deal.win(now)).await
    }

    pub async fn lose_deal(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        lose: LoseDeal,
    ) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let reason_id = match lose.reason_id {
            Some(id) => Some(crate::lost_reasons::managed_reason(work.conn(), viewer.workspace_id, id).await?),
            None => None,
        };
        let required = workspaces::Entity::find_by_id(viewer.workspace_id.as_uuid())
            .one(work.conn())
            .await?
            .is_some_and(|workspace| workspace.lost_reason_required);
        let mut deal = current.deal.clone();
        let event = deal.lose(LossDetails { reason_id, note: lose.note }, required, work.now())?;
        let record = save(&mut work, "deal.lost", &current, deal, current.stage_probability, &[event]).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Reopens a closed deal in the stage where it closed, if it has what that stage requires.
    pub async fn reopen_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let stage = rows::stage_in(work.conn(), viewer.workspace_id, current.deal.stage_id()).await?;
        let mut deal = current.deal.clone();
        let event = deal.reopen(&stage.required_fields)?;
        let record = save(&mut work, "deal.reopened", &current, deal, current.stage_probability, &[event]).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Applies a change of status.
    async fn close_or_reopen(
        &self,
        action: &'static str,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        transition: impl FnOnce(&mut Deal, chrono::DateTime<chrono::Utc>) -> Result<DealEvent, kariz_domain::DealError>,
    ) -> StoreResult<DealRecord> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let mut deal = current.deal.clone();
        let event = transition(&mut deal, work.now())?;
        let record = save(&mut work, action, &current, deal, current.stage_probability, &[event]).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn delete_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let documents = crate::documents::documents_of_deal(work.conn(), viewer.workspace_id, deal_id).await?;
        if documents > 0 {
            return Err(Conflict::DealHasDocuments { documents }.into());
        }
        work.delete("deal.deleted", &rows::deal_row(&current)).await?;
        work.emit(Aggregate::deal(&current), &outbox::deal_event(&current.deal.delete(), &current)).await?;
        work.commit().await
    }

    /// Every stage the deal entered, oldest first.
    pub async fn deal_history(&self, viewer: &Viewer, deal_id: DealId) -> StoreResult<Vec<StageChangeRecord>> {
        self.deal(viewer, deal_id).await?;
        let rows = stage_history::Entity::find()
            .filter(stage_history::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(stage_history::Column::DealId.eq(deal_id.as_uuid()))
            .order_by_asc(stage_history::Column::EnteredAt)
            .order_by_asc(stage_history::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| StageChangeRecord {
                id: r.id,
                deal_id: r.deal_id,
                pipeline_id: r.pipeline_id.into(),
                from_stage_id: r.from_stage_id.map(Into::into),
                to_stage_id: r.to_stage_id.into(),
                actor_id: r.actor_id.map(Into::into),
                entered_at: r.entered_at,
            })
            .collect())
    }
}

/// The position for a card placed in `stage_id` between the given neighbours, read in the
/// transaction of the move while the column is held.
async fn slot(
    work: &UnitOfWork,
    viewer: &Viewer,
    moving: DealId,
    stage_id: StageId,
    before_id: Option<DealId>,
    after_id: Option<DealId>,
) -> StoreResult<Position> {
    let conn = work.conn();
    let neighbour = |id: Option<DealId>, field: &'static str| async move {
        let Some(id) = id else { return Ok(None) };
        if id == moving {
            return Err(StoreError::invalid(field, "a card cannot be placed next to itself"));
        }
        let record = match deal_in(conn, viewer.workspace_id, id).await {
            Ok(record) if viewer.sees_deal_of(record.deal.owner_id()) => record,
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(StoreError::invalid(field, "no such deal")),
            Err(other) => return Err(other),
        };
        if record.deal.stage_id() != stage_id {
            return Err(StoreError::invalid(field, "that deal is not in the target stage"));
        }
        Ok(Some(record.deal.position().clone()))
    };
    let before = neighbour(before_id, "before_id").await?;
    let after = neighbour(after_id, "after_id").await?;
    let (low, high) = match (before, after) {
        (Some(b), Some(a)) => (Some(b), Some(a)),
        (Some(b), None) => {
            let next = adjacent_position(conn, stage_id, moving, &b, true).await?;
            (Some(b), next)
        }
        (None, Some(a)) => {
            let previous = adjacent_position(conn, stage_id, moving, &a, false).await?;
            (previous, Some(a))
        }
        (None, None) => (last_position(conn, stage_id, Some(moving)).await?, None),
    };
    Position::between(low.as_ref(), high.as_ref()).map_err(|_| Conflict::NeighboursMoved.into())
}

fn deal_cursor(sort: DealSort, last: &DealRecord) -> String {
    let value = match sort {
        DealSort::Newest | DealSort::Oldest => Value::Null,
        DealSort::AmountAscending | DealSort::AmountDescending => Value::from(last.deal.value().amount_minor()),
        DealSort::Position => Value::from(last.deal.position().as_str()),
    };
    pagination::encode(sort.as_str(), value, last.deal.id().as_uuid())
}

/// The cursor a board column hands out: the same as `GET /deals?sort=position`'s.
pub(crate) fn position_cursor(last: &DealRecord) -> String {
    deal_cursor(DealSort::Position, last)
}
