//! The outbox's two work queues served in their own order whatever the statistics say: the
//! events not numbered yet in id order (the sequencer, per workspace), and the events not
//! dispatched yet in id order (the webhook dispatcher). Statistics taken while a backlog waited
//! (right after a bulk import, say) show every row unnumbered and undispatched, and the planner
//! then walked the whole table in primary-key order to find the few rows left: a partial index
//! that holds exactly the queue and its order is the plan at any size.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000046_outbox_work_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Partial indexes: the same statements on PostgreSQL and SQLite.
        // By id alone: with the workspace in front, stale statistics still made the primary key look
        // cheaper; the few unnumbered rows of other workspaces are passed over in the index.
        db.execute_unprepared("CREATE INDEX ix_events_unnumbered_ids ON events (id) WHERE sequence IS NULL").await?;
        db.execute_unprepared("DROP INDEX ix_events_unnumbered").await?;
        db.execute_unprepared("CREATE INDEX ix_events_undispatched ON events (id) WHERE dispatched_at IS NULL").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX ix_events_unnumbered ON events (workspace_id) WHERE sequence IS NULL").await?;
        db.execute_unprepared("DROP INDEX ix_events_unnumbered_ids").await?;
        db.execute_unprepared("DROP INDEX ix_events_undispatched").await?;
        Ok(())
    }
}
