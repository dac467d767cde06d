//! The one write path. Every change of business data is a [`UnitOfWork`]: it opens the write
//! transaction, reads what the change needs inside it, writes each row with a compare-and-swap
//! on its version, records the audit entry from the rows at hand, appends the outbox events, and
//! commits all of it or nothing.
//!
//! A new mutation is then a few lines: load, apply the domain's transition, `update`, `emit`,
//! `commit`. Dropping a unit of work without committing rolls it back.

use chrono::{DateTime, SubsecRound, Utc};
use kariz_contract::Event;
use kariz_domain::WorkspaceId;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::audit;
use crate::entities::{
    activities, api_keys, attachments, automations, calendar_feeds, contacts, custom_field_definitions, deals, email_templates, emails,
    exchange_rates, invoices, leads, lost_reasons, notification_preferences, organizations, payments, pipelines, products, quotes,
    saved_views, stage_task_templates, stages, users, webhook_subscriptions,
};
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, Aggregate};
use crate::rollups;
use crate::store::Store;

/// A stored row that belongs to one workspace.
pub(crate) trait Stored: Serialize + Clone + Send + Sync + Sized {
    type Table: EntityTrait<Model = Self, ActiveModel = Self::Active>;
    type Active: ActiveModelTrait<Entity = Self::Table> + From<Self> + Send;
    /// The row's name in errors (`deal`, `task template`, …).
    const NAME: &'static str;
    fn id(&self) -> Uuid;
    fn workspace_id(&self) -> Uuid;
    fn id_column() -> <Self::Table as EntityTrait>::Column;
    fn workspace_column() -> <Self::Table as EntityTrait>::Column;
    /// Columns a write never changes (identity and creation time).
    fn fixed_columns() -> Vec<<Self::Table as EntityTrait>::Column>;
    /// What the row adds to the board's kept figures (`rollups.rs`): an open deal's share.
    fn board_share(&self) -> Option<rollups::Share> {
        None
    }
    /// The probability the row gives the deals weighed by it: a stage's.
    fn stage_weight(&self) -> Option<rollups::StageWeight> {
        None
    }
}

/// A stored row changed by compare-and-swap on its version.
pub(crate) trait Versioned: Stored {
    fn version(&self) -> i64;
    /// Stamps the row as written at `now` with `version`.
    fn stamp(&mut self, version: i64, now: DateTime<Utc>);
    fn version_column() -> <Self::Table as EntityTrait>::Column;
}

macro_rules! stored {
    ($($entity:ident => $name:literal $({ $($rollup:tt)* })?),* $(,)?) => {$(
        impl Stored for $entity::Model {
            type Table = $entity::Entity;
            type Active = $entity::ActiveModel;
            const NAME: &'static str = $name;
            fn id(&self) -> Uuid {
                self.id
            }
            fn workspace_id(&self) -> Uuid {
                self.workspace_id
            }
            fn id_column() -> $entity::Column {
                $entity::Column::Id
            }
            fn workspace_column() -> $entity::Column {
                $entity::Column::WorkspaceId
            }
            fn fixed_columns() -> Vec<$entity::Column> {
                vec![$entity::Column::Id, $entity::Column::WorkspaceId, $entity::Column::CreatedAt]
            }
            $($($rollup)*)?
        }
    )*};
}

macro_rules! versioned {
    ($($entity:ident => $name:literal $({ $($rollup:tt)* })?),* $(,)?) => {$(
        stored!($entity => $name $({ $($rollup)* })?);
        impl Versioned for $entity::Model {
            fn version(&self) -> i64 {
                self.version
            }
            fn stamp(&mut self, version: i64, now: DateTime<Utc>) {
                self.version = version;
                self.updated_at = now;
            }
            fn version_column() -> $entity::Column {
                $entity::Column::Version
            }
        }
    )*};
}

versioned!(
    deals => "deal" {
        fn board_share(&self) -> Option<rollups::Share> {
            rollups::Share::of(self)
        }
    },
    leads => "lead",
    contacts => "contact",
    organizations => "organization",
    pipelines => "pipeline",
    stages => "stage" {
        fn stage_weight(&self) -> Option<rollups::StageWeight> {
            Some(rollups::StageWeight::of(self))
        }
    },
    activities => "activity",
    webhook_subscriptions => "webhook",
    saved_views => "view",
    automations => "automation",
    lost_reasons => "lost reason",
    email_templates => "email template",
    products => "product",
    quotes => "quote",
    invoices => "invoice",
);

stored!(
    attachments => "attachment",
    stage_task_templates => "task template",
    api_keys => "API key",
    custom_field_definitions => "custom field",
    exchange_rates => "exchange rate",
    users => "user",
    notification_preferences => "notification preferences",
    calendar_feeds => "calendar feed",
    emails => "email",
    payments => "payment",
);

/// Rows per multi-row `INSERT` of [`UnitOfWork::insert_rows`]: 500 deals bind 13,000 values (26
/// columns), within both engines' limits on bound parameters.
const BULK_CHUNK: usize = 500;

/// Refuses a write that names a version other than the stored one; `None` accepts any.
pub(crate) fn check_version(entity: &'static str, expected: Option<i64>, current: i64) -> StoreResult<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::StaleVersion { entity, current }),
        _ => Ok(()),
    }
}

/// One change of stored state, in one transaction. See the module documentation.
pub(crate) struct UnitOfWork {
    txn: DatabaseTransaction,
    store: Store,
    now: DateTime<Utc>,
    wrote_events: bool,
    /// The changes of the board's kept figures, applied at commit (`rollups.rs`).
    rollups: rollups::Pending,
    /// On SQLite, this process's turn to write, held until the unit of work ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Store {
    /// Opens a unit of work: the one place a write transaction begins. On SQLite it takes the
    /// write lock up front (`BEGIN IMMEDIATE`), so that a transaction which reads before it writes
    /// queues on the busy timeout instead of failing when another writer committed in between.
    ///
    /// On SQLite the units of work of this process also take turns first, in the order they
    /// asked (`Store::write_turn`): SQLite's busy handler lets a waiting writer retry only every
    /// few to 100 ms, so a long operation that begins its next batch at once would win nearly
    /// every race and starve other writers; in a queue, a writer waits for the batch in progress
    /// and no more.
    pub(crate) async fn begin(&self) -> StoreResult<UnitOfWork> {
        let turn = self.write_turn().await?;
        let options = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
        let txn = self.db.begin_with_options(options).await?;
        // Both engines keep microseconds: a time written is then the time read back.
        let now = self.now().trunc_subsecs(6);
        Ok(UnitOfWork { txn, store: self.clone(), now, wrote_events: false, rollups: Default::default(), _turn: turn })
    }
}

impl UnitOfWork {
    /// The time of this change: every row it writes carries the same.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The transaction, for the reads a change needs and for writes of rows that are not
    /// aggregates of their own (history rows, links, dates).
    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Inserts a new row and records its creation as `action`.
    pub(crate) async fn insert<M: Stored>(&mut self, action: &'static str, row: M) -> StoreResult<M> {
        let active = M::Active::from(row.clone()).reset_all();
        <M::Table as EntityTrait>::insert(active).exec_without_returning(&self.txn).await?;
        self.rollups.replace(None, row.board_share());
        self.audit_object(action, &row).await?;
        Ok(row)
    }

    /// Inserts many new rows with one statement per few hundred, without audit entries: for a
    /// bulk write that records itself as one.
    pub(crate) async fn insert_rows<M: Stored>(&mut self, rows: Vec<M>) -> StoreResult<()> {
        for row in &rows {
            self.rollups.replace(None, row.board_share());
        }
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<M::Active> = rows.by_ref().take(BULK_CHUNK).map(|row| M::Active::from(row).reset_all()).collect();
            <M::Table as EntityTrait>::insert_many(chunk).exec_without_returning(&self.txn).await?;
        }
        Ok(())
    }

    /// Writes `after` over `before` if the stored row is still at `before`'s version; the written
    /// row carries the next version and this change's time. A row changed meanwhile is refused as
    /// stale, a vanished one as missing, and nothing is written.
    pub(crate) async fn update<M: Versioned>(&mut self, action: &'static str, before: &M, after: M) -> StoreResult<M> {
        let after = self.swap(before, after).await?;
        let changes = audit::difference(&audit::serialized(before), &audit::serialized(&after));
        if !changes.is_empty() {
            self.audit(WorkspaceId::from(before.workspace_id()), action, Some(before.id()), Value::Object(changes)).await?;
        }
        Ok(after)
    }

    /// [`update`](Self::update) without its audit entry, for a change that is recorded as part
    /// of a larger one (an import batch records one entry for all its rows).
    pub(crate) async fn swap<M: Versioned>(&mut self, before: &M, mut after: M) -> StoreResult<M> {
        self.before_stage_write(before).await?;
        after.stamp(before.version() + 1, self.now);
        let mut active = M::Active::from(after.clone()).reset_all();
        for column in M::fixed_columns() {
            active.not_set(column);
        }
        let swapped = <M::Table as EntityTrait>::update_many()
            .set(active)
            .filter(M::workspace_column().eq(before.workspace_id()))
            .filter(M::id_column().eq(before.id()))
            .filter(M::version_column().eq(before.version()))
            .exec(&self.txn)
            .await?;
        if swapped.rows_affected != 1 {
            return Err(self.stale_or_missing::<M>(before).await);
        }
        self.after_write(before, &after).await?;
        Ok(after)
    }

    /// Deletes `current` if the stored row is still at its version, and records the deletion.
    pub(crate) async fn delete<M: Versioned>(&mut self, action: &'static str, current: &M) -> StoreResult<()> {
        self.before_stage_write(current).await?;
        let deleted = <M::Table as EntityTrait>::delete_many()
            .filter(M::workspace_column().eq(current.workspace_id()))
            .filter(M::id_column().eq(current.id()))
            .filter(M::version_column().eq(current.version()))
            .exec(&self.txn)
            .await?;
        if deleted.rows_affected != 1 {
            return Err(self.stale_or_missing::<M>(current).await);
        }
        self.rollups.replace(current.board_share(), None);
        self.audit_object(action, current).await
    }

    /// Writes `after` over the stored row of `before` (a row without a version: the last write
    /// wins) and records what changed.
    pub(crate) async fn replace<M: Stored>(&mut self, action: &'static str, before: &M, after: M) -> StoreResult<M> {
        self.before_stage_write(before).await?;
        let mut active = M::Active::from(after.clone()).reset_all();
        for column in M::fixed_columns() {
            active.not_set(column);
        }
        let written = <M::Table as EntityTrait>::update_many()
            .set(active)
            .filter(M::workspace_column().eq(before.workspace_id()))
            .filter(M::id_column().eq(before.id()))
            .exec(&self.txn)
            .await?;
        if written.rows_affected != 1 {
            return Err(StoreError::NotFound(M::NAME));
        }
        self.after_write(before, &after).await?;
        if let Some(changes) = audit::changed_entry(before, &after) {
            self.audit(WorkspaceId::from(before.workspace_id()), action, Some(before.id()), changes).await?;
        }
        Ok(after)
    }

    /// Deletes a row without a version and records the deletion.
    pub(crate) async fn remove<M: Stored>(&mut self, action: &'static str, current: &M) -> StoreResult<()> {
        self.before_stage_write(current).await?;
        let deleted = <M::Table as EntityTrait>::delete_many()
            .filter(M::workspace_column().eq(current.workspace_id()))
            .filter(M::id_column().eq(current.id()))
            .exec(&self.txn)
            .await?;
        if deleted.rows_affected != 1 {
            return Err(StoreError::NotFound(M::NAME));
        }
        self.rollups.replace(current.board_share(), None);
        self.audit_object(action, current).await
    }

    /// Before a stage changes or goes, the deal changes noted so far are applied with the
    /// probability they were made under, and while the stage's rows still exist.
    async fn before_stage_write<M: Stored>(&mut self, row: &M) -> StoreResult<()> {
        if row.stage_weight().is_some() {
            self.rollups.apply(&self.txn).await?;
        }
        Ok(())
    }

    /// Notes what a written row changed in the board's figures: a deal's share, or the weight of
    /// every deal of a stage whose probability changed (counted again).
    async fn after_write<M: Stored>(&mut self, before: &M, after: &M) -> StoreResult<()> {
        self.rollups.replace(before.board_share(), after.board_share());
        if let (Some(old), Some(new)) = (before.stage_weight(), after.stage_weight())
            && old.probability != new.probability
        {
            rollups::recount_stage(&self.txn, new.workspace_id, new.stage_id).await?;
        }
        Ok(())
    }

    /// Records a created or deleted object, with its fields, as `action`.
    pub(crate) async fn audit_object<M: Stored>(&mut self, action: &'static str, row: &M) -> StoreResult<()> {
        let fields = Value::Object(audit::redacted(audit::serialized(row)));
        self.audit(WorkspaceId::from(row.workspace_id()), action, Some(row.id()), fields).await
    }

    /// Records an entry of the audit log: `action` is `<entity type>.<verb>`.
    pub(crate) async fn audit(
        &mut self,
        workspace_id: WorkspaceId,
        action: &'static str,
        entity_id: Option<Uuid>,
        changes: Value,
    ) -> StoreResult<()> {
        audit::record(&self.txn, workspace_id, action, entity_id, changes, self.now).await
    }

    /// Appends `event` about `about` to the outbox.
    pub(crate) async fn emit(&mut self, about: Aggregate, event: &Event) -> StoreResult<()> {
        outbox::record(&self.txn, about, event, self.now).await?;
        self.emitted();
        Ok(())
    }

    /// Notes that outbox rows were written in bulk (imports) or a delivery was queued, so that
    /// the commit wakes the dispatcher and the sequencer.
    pub(crate) fn emitted(&mut self) {
        self.wrote_events = true;
    }

    /// Commits the change with its audit entries and events, and wakes this process's dispatcher
    /// and event sequencer when there are events to send. The events get their stream numbers
    /// after the commit, from the sequencer (`stream.rs`), so writers never wait on each other
    /// for a number.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        self.rollups.apply(&self.txn).await?;
        self.txn.commit().await?;
        self.store.count_commit();
        if self.wrote_events {
            self.store.signal_outbox();
            self.store.signal_sequencer();
        }
        Ok(())
    }

    /// Commits bookkeeping that is not a change of anyone's records (the sequencer's numbers):
    /// not counted as a unit of work, and announcing nothing.
    pub(crate) async fn commit_bookkeeping(mut self) -> StoreResult<()> {
        self.rollups.apply(&self.txn).await?;
        self.txn.commit().await?;
        Ok(())
    }

    /// Why a compare-and-swap on `row` wrote nothing: its stored version, or its absence.
    async fn stale_or_missing<M: Versioned>(&self, row: &M) -> StoreError {
        let current = <M::Table as EntityTrait>::find()
            .filter(M::workspace_column().eq(row.workspace_id()))
            .filter(M::id_column().eq(row.id()))
            .one(&self.txn)
            .await;
        match current {
            Ok(Some(current)) => StoreError::StaleVersion { entity: M::NAME, current: current.version() },
            Ok(None) => StoreError::NotFound(M::NAME),
            Err(err) => err.into(),
        }
    }
}
