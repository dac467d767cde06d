//! Long operations that run in batches, each batch a short transaction of its own, so that one
//! workspace's re-score of every lead does not hold SQLite's write lock (or PostgreSQL's row locks)
//! for seconds while other workspaces wait. A row records how far an operation got: the request
//! that started it runs its batches, and the maintenance pass resumes one whose runner stopped
//! (a crash, a dropped request) once its lease has run out.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000019_bulk_operations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("bulk_operations")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    // What it does, e.g. `rescore_leads`.
                    .col(string_len("kind", 40))
                    // `running`, `done` or `superseded` (a newer operation of the same kind took over).
                    .col(string_len("status", 20))
                    // The last row done, in the operation's own order; null before the first batch.
                    .col(string_len_null("cursor", 64))
                    .col(big_integer("processed").default(0))
                    .col(big_integer("changed").default(0))
                    .col(integer("batches").default(0))
                    // Until then its runner is presumed alive; after it, the maintenance pass resumes it.
                    .col(timestamp_with_time_zone("lease_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("bulk_operations", "running", &["status", "lease_until"])).await?;
        manager.create_index(index("bulk_operations", "workspace", &["workspace_id", "kind", "status"])).await?;
        Ok(())
    }
}
