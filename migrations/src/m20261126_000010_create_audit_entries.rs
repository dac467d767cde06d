//! The audit log: one row per change of business data, written in the transaction of the change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000010_create_audit_entries"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        // No foreign keys to users, API keys or the changed object: an entry outlives them all.
        manager
            .create_table(
                Table::create()
                    .table("audit_entries")
                    // UUIDv7: time-ordered, so the id is also the newest-first sort key.
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    // Null only for changes made outside a request (command line, seeding).
                    .col(uuid_null("actor_user_id"))
                    .col(uuid_null("actor_api_key_id"))
                    .col(string_len_null("request_id", 64))
                    // `<entity type>.<verb>`, e.g. `deal.moved`.
                    .col(string_len("action", 64))
                    .col(string_len("entity_type", 32))
                    // Null for changes of a whole set (an import batch, the scoring rules).
                    .col(uuid_null("entity_id"))
                    // `{field: {"before", "after"}}`, or the object's fields for a create or delete.
                    .col(text("changes"))
                    .foreign_key(&mut fk("audit_entries", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        // The list is newest first (by id) within each filter.
        manager.create_index(index("audit_entries", "recent", &["workspace_id", "id"])).await?;
        manager.create_index(index("audit_entries", "entity", &["workspace_id", "entity_type", "entity_id", "id"])).await?;
        manager.create_index(index("audit_entries", "actor", &["workspace_id", "actor_user_id", "id"])).await?;
        manager.create_index(index("audit_entries", "action", &["workspace_id", "action", "id"])).await?;
        manager.create_index(index("audit_entries", "occurred", &["workspace_id", "occurred_at"])).await?;
        Ok(())
    }
}
