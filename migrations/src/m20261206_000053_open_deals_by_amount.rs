//! The open deals by amount, in the workspace and in one stage: partial indexes of their own
//! (issue 18, item 3, found at a million deals). The amount indexes of migration 000050 serve an
//! amount sort under any status by skipping the deals of the others; when most deals are closed
//! and the closed ones sort first (large deals are the ones that were won or lost), one page of
//! a stage's open deals read 24,181 index entries at 1,000,000 deals (`bench/RESULTS.md`). The
//! list writes `status = 'open'` as a literal so that a plan may use them whatever its parameters.
//! A move writes both (it changes the stage of an open deal); their cost is in `bench/RESULTS.md`.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000053_open_deals_by_amount"
    }
}

/// `(name, what it indexes)`: the same statements on PostgreSQL and SQLite.
const INDEXES: [(&str, &str); 2] = [
    ("ix_deals_open_amount", "(workspace_id, amount_minor, id) WHERE status = 'open'"),
    ("ix_deals_open_stage_amount", "(workspace_id, stage_id, amount_minor, id) WHERE status = 'open'"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, indexed) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON deals {indexed}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
