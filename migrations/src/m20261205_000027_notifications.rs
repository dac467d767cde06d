//! Notifications: each user's time zone (with the workspace's as the default), their in-app
//! notifications, their notification preferences, the days their daily digest was composed, and
//! their calendar feed.
//!
//! A notification a scheduled pass creates (a task due, a deal rotting, an important date coming)
//! names its `subject_id` and `occurs_at` (the occurrence it announces: the due time, the time
//! the deal entered its stage, the date's day); a unique index on
//! `(user_id, kind, subject_id, occurs_at)` makes a second pass, or a second replica's, create
//! nothing. Notifications caused by a request (an assignment, a mention) leave both empty.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000027_notifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        // IANA names (`Asia/Tehran`); a user without one follows the workspace's.
        manager.alter_table(Table::alter().table("workspaces").add_column(string_len("time_zone", 64).default("UTC")).to_owned()).await?;
        manager.alter_table(Table::alter().table("users").add_column(string_len_null("time_zone", 64)).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    .col(string_len("kind", 32))
                    // Structured facts (names, titles, times) the app renders in the reader's language.
                    .col(text("data"))
                    .col(uuid_null("deal_id"))
                    .col(uuid_null("lead_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("organization_id"))
                    .col(uuid_null("activity_id"))
                    .col(uuid_null("subject_id"))
                    .col(timestamp_with_time_zone_null("occurs_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(&mut fk("notifications", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("notifications", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        // A user's list, newest first, and their unread ones.
        manager.create_index(index("notifications", "by_user", &["user_id", "id"])).await?;
        manager.create_index(index("notifications", "unread", &["user_id", "read_at"])).await?;
        manager
            .create_index(index("notifications", "occurrence", &["user_id", "kind", "subject_id", "occurs_at"]).unique().to_owned())
            .await?;
        // What an erasure looks up.
        manager.create_index(index("notifications", "by_contact", &["contact_id"])).await?;
        manager.create_index(index("notifications", "by_lead", &["lead_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("notification_preferences")
                    // The user's id: one row per user, written the first time they change a preference.
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(boolean("in_app"))
                    .col(boolean("email"))
                    .col(boolean("daily_digest"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("notification_preferences", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("notification_preferences", "id", "users", Cascade))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("notification_digests")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    // The user's local day (YYYY-MM-DD) the digest is for: one per user and day.
                    .col(string_len("local_date", 10))
                    .col(integer("notifications"))
                    .col(integer("tasks"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("notification_digests", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("notification_digests", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("notification_digests", "day", &["user_id", "local_date"]).unique().to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table("calendar_feeds")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    // SHA-256 of the feed's token, hex: the token is never stored.
                    .col(string_len("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("calendar_feeds", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("calendar_feeds", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("calendar_feeds", "user", &["user_id"]).unique().to_owned()).await?;
        manager.create_index(index("calendar_feeds", "hash", &["token_hash"]).unique().to_owned()).await?;
        Ok(())
    }
}
