//! The event stream: single-use tickets that open it, and the per-workspace sequence that orders
//! the outbox for it.
//!
//! A ticket is stored as a hash only, bound to the user (and the session generation or API key)
//! that asked for it, and is consumed by the one update that redeems it.
//!
//! Every outbox event gets `sequence`: 1, 2, 3, … within its workspace, given after it commits by
//! the sequencer, which holds the workspace's row of `event_sequences` while it numbers. A stream
//! resumes after the last sequence it delivered, so it neither skips an event that committed late
//! nor repeats one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000024_stream_tickets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        manager
            .create_table(
                Table::create()
                    .table("stream_tickets")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    // SHA-256 of the ticket, hex: the ticket itself is never stored.
                    .col(string_len("ticket_hash", 64))
                    // The access token's session generation, or the API key the ticket came with.
                    .col(big_integer_null("session_generation"))
                    .col(uuid_null("api_key_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("consumed_at"))
                    .foreign_key(&mut fk("stream_tickets", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("stream_tickets", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("stream_tickets", "hash", &["ticket_hash"]).unique().to_owned()).await?;
        manager.create_index(index("stream_tickets", "expiry", &["expires_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("event_sequences")
                    .col(pk_uuid("workspace_id"))
                    // The sequence of the workspace's last numbered event.
                    .col(big_integer("last_sequence"))
                    .foreign_key(&mut fk("event_sequences", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.alter_table(Table::alter().table("events").add_column(big_integer_null("sequence")).to_owned()).await?;
        manager.create_index(index("events", "sequence", &["workspace_id", "sequence"]).unique().to_owned()).await?;
        // What the sequencer looks for: the few events committed and not numbered yet.
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX ix_events_unnumbered ON events (workspace_id) WHERE sequence IS NULL").await?;

        // The events of before are numbered in the order of their ids (time-ordered).
        db.execute_unprepared(
            "UPDATE events SET sequence = n.position FROM \
               (SELECT id, ROW_NUMBER() OVER (PARTITION BY workspace_id ORDER BY id) AS position FROM events) n \
             WHERE events.id = n.id",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO event_sequences (workspace_id, last_sequence) \
             SELECT workspace_id, MAX(sequence) FROM events GROUP BY workspace_id",
        )
        .await?;
        Ok(())
    }
}
