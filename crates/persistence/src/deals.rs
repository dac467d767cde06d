//! Deals: create, read, list, update, move, close, reopen, delete, and their stage history.
//!
//! Every change is a compare-and-swap on the deal's version inside one transaction that also
//! writes the stage-history row (when the stage changed) and the outbox event: a stale write
//! changes nothing, and no change is committed without its event.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::deal::NewDeal;
use kariz_domain::{
    Currency, Deal, DealId, DealPatch, DealStatus, DealTitle, DomainEvent, LostReason, Money, OpportunityId, PipelineId, Position,
    Probability, StageId, StageRef, UserId, Viewer, WorkspaceId,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};
use serde_json::Value;
use uuid::Uuid;

use crate::audit;
use crate::entities::{deals, events, stage_history, stages, users};
use crate::error::{StoreError, StoreResult};
use crate::outbox;
use crate::pagination::{self, Page};
use crate::pipelines::{pipeline_in, stage_in};
use crate::records::{DealRecord, PipelineRecord, StageChangeRecord};
use crate::search::contains;
use crate::stage_templates::{create_stage_tasks, templates_of};
use crate::store::Store;
use crate::visibility::deals_seen;

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
}

pub(crate) fn deal_record(row: deals::Model, stage_probability: Probability) -> StoreResult<DealRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("deals", e);
    let currency = Currency::from_stored(&row.currency).map_err(|e| corrupt(&e))?;
    let status = match (row.status.as_str(), row.closed_at) {
        ("open", _) => DealStatus::Open,
        ("won", Some(at)) => DealStatus::Won { at },
        ("lost", Some(at)) => {
            DealStatus::Lost { reason: LostReason::parse(row.lost_reason.as_deref().unwrap_or("")).map_err(|e| corrupt(&e))?, at }
        }
        (other, _) => return Err(corrupt(&format!("status {other}"))),
    };
    let deal = Deal {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        pipeline_id: row.pipeline_id.into(),
        stage_id: row.stage_id.into(),
        title: DealTitle::parse(&row.title).map_err(|e| corrupt(&e))?,
        value: Money::new(row.amount_minor, currency).map_err(|e| corrupt(&e))?,
        probability: row.probability.map(|p| Probability::new(p.into())).transpose().map_err(|e| corrupt(&e))?,
        expected_close_date: row.expected_close_date,
        owner_id: row.owner_id.into(),
        status,
        position: Position::parse(&row.position).map_err(|e| corrupt(&e))?,
        stage_entered_at: row.stage_entered_at,
    };
    Ok(DealRecord {
        deal,
        stage_probability,
        opportunity_id: row.opportunity_id.map(Into::into),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The columns a transition may change; id, workspace and creation time never change.
fn mutable_columns(deal: &Deal) -> deals::ActiveModel {
    deals::ActiveModel {
        id: NotSet,
        workspace_id: NotSet,
        pipeline_id: Set(deal.pipeline_id.as_uuid()),
        stage_id: Set(deal.stage_id.as_uuid()),
        title: Set(deal.title.as_str().to_owned()),
        amount_minor: Set(deal.value.amount_minor()),
        currency: Set(deal.value.currency().as_str().to_owned()),
        probability: Set(deal.probability.map(|p| p.percent().into())),
        expected_close_date: Set(deal.expected_close_date),
        owner_id: Set(deal.owner_id.as_uuid()),
        status: Set(deal.status.as_str().to_owned()),
        lost_reason: Set(deal.status.lost_reason().map(|r| r.as_str().to_owned())),
        closed_at: Set(deal.status.closed_at()),
        position: Set(deal.position.as_str().to_owned()),
        stage_entered_at: Set(deal.stage_entered_at),
        version: NotSet,
        created_at: NotSet,
        updated_at: NotSet,
        opportunity_id: NotSet,
    }
}

/// The stage a deal left and when it had entered it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LeftStage {
    pub stage_id: StageId,
    pub entered_at: DateTime<Utc>,
}

impl LeftStage {
    pub(crate) fn of(deal: &Deal) -> LeftStage {
        LeftStage { stage_id: deal.stage_id, entered_at: deal.stage_entered_at }
    }
}

/// Records that `deal` entered its current stage at its `stage_entered_at`, coming from `left`
/// (`None` for a new deal), and gives it the stage's follow-up tasks. Every entry goes through
/// here: creation, a move to another stage, and the deletion of the stage it was in; a move
/// within a column or a reopen is no entry.
pub(crate) async fn enter_stage<C: ConnectionTrait>(
    conn: &C,
    deal: &Deal,
    left: Option<LeftStage>,
    actor_id: Option<UserId>,
) -> StoreResult<()> {
    stage_history::Entity::insert(entry_row(deal, left, actor_id)).exec_without_returning(conn).await?;
    create_stage_tasks(conn, deal, actor_id, deal.stage_entered_at).await
}

/// The stage-history row of `deal` entering its current stage, coming from `left`.
fn entry_row(deal: &Deal, left: Option<LeftStage>, actor_id: Option<UserId>) -> stage_history::ActiveModel {
    stage_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(deal.workspace_id.as_uuid()),
        deal_id: Set(deal.id.as_uuid()),
        pipeline_id: Set(deal.pipeline_id.as_uuid()),
        from_stage_id: Set(left.map(|l| l.stage_id.as_uuid())),
        to_stage_id: Set(deal.stage_id.as_uuid()),
        actor_id: Set(actor_id.map(|a| a.as_uuid())),
        entered_at: Set(deal.stage_entered_at),
        from_entered_at: Set(left.map(|l| l.entered_at)),
    }
}

/// A new deal whose pipeline, stage and owner have been checked.
pub(crate) struct PreparedDeal {
    fields: NewDeal,
    stage: StageRef,
    pub(crate) opportunity_id: Option<OpportunityId>,
}

/// A new deal's rows, not yet written: the deal, its first stage-history row and its
/// `deal.created` event.
struct OpenedDeal {
    record: DealRecord,
    row: deals::ActiveModel,
    entry: stage_history::ActiveModel,
    event: events::ActiveModel,
}

fn open_deal(prepared: PreparedDeal, position: Position, actor_id: UserId, now: DateTime<Utc>) -> OpenedDeal {
    let workspace_id = prepared.fields.workspace_id;
    let (deal, event) = Deal::open(prepared.fields, &prepared.stage, position, now);
    let mut row = mutable_columns(&deal);
    row.id = Set(deal.id.as_uuid());
    row.workspace_id = Set(workspace_id.as_uuid());
    row.opportunity_id = Set(prepared.opportunity_id.map(|o| o.as_uuid()));
    row.version = Set(1);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let record = DealRecord {
        deal,
        stage_probability: prepared.stage.probability,
        opportunity_id: prepared.opportunity_id,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let entry = entry_row(&record.deal, None, Some(actor_id));
    let event = outbox::deal_fact_row(&event, &record, now);
    OpenedDeal { record, row, entry, event }
}

/// Inserts a prepared deal at the end of its column, with its first stage-history row and its
/// `deal.created` event, on `txn`.
pub(crate) async fn insert_deal(txn: &DatabaseTransaction, prepared: PreparedDeal, actor_id: UserId) -> StoreResult<DealRecord> {
    let last = last_position(txn, prepared.stage.id, None).await?;
    let position = Position::between(last.as_ref(), None).map_err(|e| StoreError::corrupt("deals", e))?;
    let opened = open_deal(prepared, position, actor_id, Utc::now());
    deals::Entity::insert(opened.row).exec_without_returning(txn).await?;
    let deal = &opened.record.deal;
    audit::object::<deals::Entity>(txn, deal.workspace_id, "deal.created", deal.id.as_uuid()).await?;
    stage_history::Entity::insert(opened.entry).exec_without_returning(txn).await?;
    create_stage_tasks(txn, deal, Some(actor_id), deal.stage_entered_at).await?;
    events::Entity::insert(opened.event).exec_without_returning(txn).await?;
    Ok(opened.record)
}

/// Rows per multi-row `INSERT` of a bulk write: 500 deals bind 9,500 values, within both
/// engines' limits on bound parameters.
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

pub(crate) fn with_stage(query: Select<deals::Entity>) -> sea_orm::SelectTwo<deals::Entity, stages::Entity> {
    query.join(JoinType::InnerJoin, deals::Relation::Stage.def()).select_also(stages::Entity)
}

pub(crate) fn joined_record((deal, stage): (deals::Model, Option<stages::Model>)) -> StoreResult<DealRecord> {
    let stage = stage.ok_or_else(|| StoreError::corrupt("deals", "deal without its stage"))?;
    let probability = Probability::new(stage.probability.into()).map_err(|e| StoreError::corrupt("stages", e))?;
    deal_record(deal, probability)
}

async fn deal_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, deal_id: DealId) -> StoreResult<DealRecord> {
    let row = with_stage(
        deals::Entity::find().filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid())).filter(deals::Column::Id.eq(deal_id.as_uuid())),
    )
    .one(conn)
    .await?
    .ok_or(StoreError::NotFound("deal"))?;
    joined_record(row)
}

fn check_version(expected: Option<i64>, current: i64) -> StoreResult<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::StaleVersion { entity: "deal", current }),
        _ => Ok(()),
    }
}

fn stage_ref(stage: &crate::records::StageRecord) -> StageRef {
    StageRef { id: stage.id, pipeline_id: stage.pipeline_id, probability: stage.probability }
}

impl Store {
    pub(crate) async fn ensure_member(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<()> {
        let found = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&self.db)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::invalid("owner_id", "no such user in this workspace")),
        }
    }

    pub async fn create_deal(&self, workspace_id: WorkspaceId, actor_id: UserId, new: CreateDeal) -> StoreResult<DealRecord> {
        let prepared = self.prepare_deal(workspace_id, actor_id, new).await?;
        let txn = self.write().await?;
        let record = insert_deal(&txn, prepared, actor_id).await?;
        txn.commit().await?;
        self.signal_outbox();
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
        let mut pipelines = HashMap::new();
        let mut prepared = Vec::with_capacity(new.len());
        for deal in new {
            let pipeline = match pipelines.entry(deal.pipeline_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => slot.insert(self.open_pipeline(workspace_id, deal.pipeline_id).await?),
            };
            prepared.push(self.prepare_in(pipeline, workspace_id, actor_id, deal).await?);
        }
        let now = Utc::now();
        let txn = self.write().await?;
        // Per stage: the last position so far, and whether entering it creates tasks.
        let mut columns: HashMap<StageId, (Option<Position>, bool)> = HashMap::new();
        let (mut rows, mut entries, mut events, mut records) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut with_tasks = Vec::new();
        for deal in prepared {
            let stage_id = deal.stage.id;
            let column = match columns.entry(stage_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let last = last_position(&txn, stage_id, None).await?;
                    let has_templates = !templates_of(&txn, workspace_id, stage_id).await?.is_empty();
                    slot.insert((last, has_templates))
                }
            };
            let position = Position::between(column.0.as_ref(), None).map_err(|e| StoreError::corrupt("deals", e))?;
            column.0 = Some(position.clone());
            let opened = open_deal(deal, position, actor_id, now);
            if column.1 {
                with_tasks.push(records.len());
            }
            rows.push(opened.row);
            entries.push(opened.entry);
            events.push(opened.event);
            records.push(opened.record);
        }
        insert_in_chunks(&txn, rows).await?;
        insert_in_chunks(&txn, entries).await?;
        for index in with_tasks {
            let deal = &records[index].deal;
            create_stage_tasks(&txn, deal, Some(actor_id), deal.stage_entered_at).await?;
        }
        insert_in_chunks(&txn, events).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(records)
    }

    /// Checks a new deal against its pipeline, stage and owner, before any write.
    pub(crate) async fn prepare_deal(&self, workspace_id: WorkspaceId, actor_id: UserId, new: CreateDeal) -> StoreResult<PreparedDeal> {
        let pipeline = self.open_pipeline(workspace_id, new.pipeline_id).await?;
        self.prepare_in(&pipeline, workspace_id, actor_id, new).await
    }

    /// The pipeline a new deal names, if it takes deals.
    async fn open_pipeline(&self, workspace_id: WorkspaceId, pipeline_id: PipelineId) -> StoreResult<PipelineRecord> {
        let pipeline = match pipeline_in(&self.db, workspace_id, pipeline_id).await {
            Err(StoreError::NotFound(_)) => return Err(StoreError::invalid("pipeline_id", "no such pipeline")),
            other => other?,
        };
        if pipeline.archived_at.is_some() {
            return Err(StoreError::invalid("pipeline_id", "the pipeline is archived"));
        }
        Ok(pipeline)
    }

    /// Checks a new deal's stage and owner against `pipeline`, the one it names.
    async fn prepare_in(
        &self,
        pipeline: &PipelineRecord,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        new: CreateDeal,
    ) -> StoreResult<PreparedDeal> {
        let stage = match new.stage_id {
            Some(id) => pipeline
                .stages
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| StoreError::invalid("stage_id", "no such stage in this pipeline"))?,
            None => pipeline.stages.first().ok_or_else(|| StoreError::invalid("pipeline_id", "the pipeline has no stages"))?,
        };
        let owner_id = new.owner_id.unwrap_or(actor_id);
        if owner_id != actor_id {
            self.ensure_member(workspace_id, owner_id).await?;
        }
        let value = Money::new(new.amount_minor, new.currency.unwrap_or(pipeline.currency))
            .map_err(|e| StoreError::invalid("amount_minor", e.to_string()))?;
        let fields = NewDeal {
            workspace_id,
            title: new.title,
            value,
            probability: new.probability,
            expected_close_date: new.expected_close_date,
            owner_id,
        };
        Ok(PreparedDeal { fields, stage: stage_ref(stage), opportunity_id: new.opportunity_id })
    }

    /// A deal the viewer sees; one hidden from them is not found, exactly like a missing one.
    pub async fn deal(&self, viewer: &Viewer, deal_id: DealId) -> StoreResult<DealRecord> {
        let record = deal_in(&self.db, viewer.workspace_id, deal_id).await?;
        if !viewer.sees_deal_of(record.deal.owner_id) {
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
            query = query.filter(deals::Column::Status.eq(status));
        }
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            query = query.filter(contains(Expr::col((deals::Entity, deals::Column::Title)), &text.to_lowercase()));
        }
        if let Some(from) = filter.expected_close_from {
            query = query.filter(deals::Column::ExpectedCloseDate.gte(from));
        }
        if let Some(to) = filter.expected_close_to {
            query = query.filter(deals::Column::ExpectedCloseDate.lte(to));
        }
        let id_col = deals::Column::Id;
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, sort.as_str())?;
            let bad = || StoreError::invalid("cursor", "not a cursor from this list; start again without it");
            let keyset = match sort {
                DealSort::Newest => Condition::all().add(id_col.lt(last_id)),
                DealSort::Oldest => Condition::all().add(id_col.gt(last_id)),
                DealSort::AmountAscending | DealSort::AmountDescending => {
                    let amount = value.as_i64().ok_or_else(bad)?;
                    let col = deals::Column::AmountMinor;
                    if sort == DealSort::AmountAscending {
                        Condition::any().add(col.gt(amount)).add(Condition::all().add(col.eq(amount)).add(id_col.gt(last_id)))
                    } else {
                        Condition::any().add(col.lt(amount)).add(Condition::all().add(col.eq(amount)).add(id_col.lt(last_id)))
                    }
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
            DealSort::Newest => query.order_by_desc(id_col),
            DealSort::Oldest => query.order_by_asc(id_col),
            DealSort::AmountAscending => query.order_by_asc(deals::Column::AmountMinor).order_by_asc(id_col),
            DealSort::AmountDescending => query.order_by_desc(deals::Column::AmountMinor).order_by_desc(id_col),
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
        patch: DealPatch,
    ) -> StoreResult<DealRecord> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        if let Some(owner_id) = patch.owner_id {
            self.ensure_member(viewer.workspace_id, owner_id).await?;
        }
        let mut deal = current.deal.clone();
        let event = deal.update(patch);
        let events: Vec<DomainEvent> = event.into_iter().collect();
        if events.is_empty() {
            return Ok(current);
        }
        self.save("deal.updated", &current, deal, current.stage_probability, None, None, events).await
    }

    pub async fn move_deal(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        target: MoveDeal,
        actor_id: UserId,
    ) -> StoreResult<DealRecord> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        let stage = match stage_in(&self.db, viewer.workspace_id, target.stage_id).await {
            Err(StoreError::NotFound(_)) => return Err(StoreError::invalid("stage_id", "no such stage")),
            other => other?,
        };
        let position = self.slot(viewer, deal_id, stage.id, target.before_id, target.after_id).await?;
        let mut deal = current.deal.clone();
        let left = LeftStage::of(&deal);
        let event = deal.move_to(&stage_ref(&stage), position, Some(actor_id), Utc::now())?;
        let history = event.as_ref().map(|_| left);
        self.save("deal.moved", &current, deal, stage.probability, history, Some(actor_id), event.into_iter().collect()).await
    }

    pub async fn win_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<DealRecord> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        let mut deal = current.deal.clone();
        let event = deal.win(Utc::now())?;
        self.save("deal.won", &current, deal, current.stage_probability, None, None, vec![event]).await
    }

    pub async fn lose_deal(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        reason: LostReason,
    ) -> StoreResult<DealRecord> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        let mut deal = current.deal.clone();
        let event = deal.lose(reason, Utc::now())?;
        self.save("deal.lost", &current, deal, current.stage_probability, None, None, vec![event]).await
    }

    pub async fn reopen_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<DealRecord> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        let mut deal = current.deal.clone();
        let event = deal.reopen()?;
        self.save("deal.reopened", &current, deal, current.stage_probability, None, None, vec![event]).await
    }

    pub async fn delete_deal(&self, viewer: &Viewer, deal_id: DealId, expected_version: Option<i64>) -> StoreResult<()> {
        let current = self.deal(viewer, deal_id).await?;
        check_version(expected_version, current.version)?;
        let now = Utc::now();
        let txn = self.write().await?;
        audit::object::<deals::Entity>(&txn, viewer.workspace_id, "deal.deleted", deal_id.as_uuid()).await?;
        let deleted = deals::Entity::delete_many()
            .filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(deals::Column::Id.eq(deal_id.as_uuid()))
            .filter(deals::Column::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if deleted.rows_affected != 1 {
            txn.rollback().await?;
            return Err(self.stale_or_missing(viewer.workspace_id, deal_id).await);
        }
        outbox::record(&txn, &DomainEvent::DealDeleted { deal_id }, &current, now).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(())
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

    /// The position for a card placed in `stage_id` between the given neighbours.
    async fn slot(
        &self,
        viewer: &Viewer,
        moving: DealId,
        stage_id: StageId,
        before_id: Option<DealId>,
        after_id: Option<DealId>,
    ) -> StoreResult<Position> {
        let neighbour = |id: Option<DealId>, field: &'static str| async move {
            let Some(id) = id else { return Ok(None) };
            if id == moving {
                return Err(StoreError::invalid(field, "a card cannot be placed next to itself"));
            }
            let record = match self.deal(viewer, id).await {
                Err(StoreError::NotFound(_)) => return Err(StoreError::invalid(field, "no such deal")),
                other => other?,
            };
            if record.deal.stage_id != stage_id {
                return Err(StoreError::invalid(field, "that deal is not in the target stage"));
            }
            Ok(Some(record.deal.position))
        };
        let before = neighbour(before_id, "before_id").await?;
        let after = neighbour(after_id, "after_id").await?;
        let (low, high) = match (before, after) {
            (Some(b), Some(a)) => (Some(b), Some(a)),
            (Some(b), None) => {
                let next = adjacent_position(&self.db, stage_id, moving, &b, true).await?;
                (Some(b), next)
            }
            (None, Some(a)) => {
                let previous = adjacent_position(&self.db, stage_id, moving, &a, false).await?;
                (previous, Some(a))
            }
            (None, None) => (last_position(&self.db, stage_id, Some(moving)).await?, None),
        };
        Position::between(low.as_ref(), high.as_ref())
            .map_err(|_| StoreError::Conflict("the cards around the target place have moved; reload the column and try again".to_owned()))
    }

    /// Writes a transition: compare-and-swap on the version, then history and events, atomically.
    #[allow(clippy::too_many_arguments)]
    async fn save(
        &self,
        action: &'static str,
        before: &DealRecord,
        after: Deal,
        stage_probability: Probability,
        moved_from: Option<LeftStage>,
        actor_id: Option<UserId>,
        events: Vec<DomainEvent>,
    ) -> StoreResult<DealRecord> {
        let now = Utc::now();
        let txn: DatabaseTransaction = self.write().await?;
        let audited = audit::snapshot::<deals::Entity>(&txn, after.id.as_uuid()).await?;
        let mut row = mutable_columns(&after);
        row.version = Set(before.version + 1);
        row.updated_at = Set(now);
        let swapped = deals::Entity::update_many()
            .set(row)
            .filter(deals::Column::WorkspaceId.eq(after.workspace_id.as_uuid()))
            .filter(deals::Column::Id.eq(after.id.as_uuid()))
            .filter(deals::Column::Version.eq(before.version))
            .exec(&txn)
            .await?;
        if swapped.rows_affected != 1 {
            txn.rollback().await?;
            return Err(self.stale_or_missing(after.workspace_id, after.id).await);
        }
        audit::updated::<deals::Entity>(&txn, after.workspace_id, action, after.id.as_uuid(), audited).await?;
        let record = DealRecord { deal: after, stage_probability, version: before.version + 1, updated_at: now, ..before.clone() };
        if let Some(left) = moved_from {
            enter_stage(&txn, &record.deal, Some(left), actor_id).await?;
        }
        for event in &events {
            outbox::record(&txn, event, &record, now).await?;
        }
        txn.commit().await?;
        if !events.is_empty() {
            self.signal_outbox();
        }
        Ok(record)
    }

    async fn stale_or_missing(&self, workspace_id: WorkspaceId, deal_id: DealId) -> StoreError {
        match deal_in(&self.db, workspace_id, deal_id).await {
            Ok(current) => StoreError::StaleVersion { entity: "deal", current: current.version },
            Err(err) => err,
        }
    }
}

fn deal_cursor(sort: DealSort, last: &DealRecord) -> String {
    let value = match sort {
        DealSort::Newest | DealSort::Oldest => Value::Null,
        DealSort::AmountAscending | DealSort::AmountDescending => Value::from(last.deal.value.amount_minor()),
        DealSort::Position => Value::from(last.deal.position.as_str()),
    };
    pagination::encode(sort.as_str(), value, last.deal.id.as_uuid())
}

/// The cursor a board column hands out: the same as `GET /deals?sort=position`'s.
pub(crate) fn position_cursor(last: &DealRecord) -> String {
    deal_cursor(DealSort::Position, last)
}

async fn last_position<C: ConnectionTrait>(conn: &C, stage_id: StageId, except: Option<DealId>) -> StoreResult<Option<Position>> {
    let mut query = deals::Entity::find().filter(deals::Column::StageId.eq(stage_id.as_uuid()));
    if let Some(except) = except {
        query = query.filter(deals::Column::Id.ne(except.as_uuid()));
    }
    let row = query.order_by_desc(deals::Column::Position).one(conn).await?;
    row.map(|r| Position::parse(&r.position)).transpose().map_err(|e| StoreError::corrupt("deals", e))
}

/// The nearest position after (or before) `from` in a column, ignoring the card being moved.
async fn adjacent_position<C: ConnectionTrait>(
    conn: &C,
    stage_id: StageId,
    moving: DealId,
    from: &Position,
    after: bool,
) -> StoreResult<Option<Position>> {
    let query = deals::Entity::find().filter(deals::Column::StageId.eq(stage_id.as_uuid())).filter(deals::Column::Id.ne(moving.as_uuid()));
    let query = if after {
        query.filter(deals::Column::Position.gt(from.as_str())).order_by_asc(deals::Column::Position)
    } else {
        query.filter(deals::Column::Position.lt(from.as_str())).order_by_desc(deals::Column::Position)
    };
    let row = query.one(conn).await?;
    row.map(|r| Position::parse(&r.position)).transpose().map_err(|e| StoreError::corrupt("deals", e))
}
