//! Stored responses of POST requests sent with an `Idempotency-Key`, so that a retry replays the
//! first answer instead of doing the work twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_create_idempotency_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    .col(string_len("key", 255))
                    // Method, path and a SHA-256 of the body: the same key with another request is refused.
                    .col(string_len("fingerprint", 128))
                    // Null while the first request is still being answered.
                    .col(integer_null("status_code"))
                    .col(text_null("response_body"))
                    .col(text_null("response_headers"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_idempotency_keys_key")
                    .table("idempotency_keys")
                    .col("workspace_id")
                    .col("user_id")
                    .col("key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(crate::helpers::index("idempotency_keys", "age", &["created_at"])).await?;
        Ok(())
    }
}
