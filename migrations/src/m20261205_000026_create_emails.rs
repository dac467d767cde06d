//! Emails that go out over SMTP, and the templates they are written from: `email_templates`
//! (a subject and a body with placeholders, in a language) and `emails` (each message as it was
//! rendered, queued in the transaction of its cause, then claimed, sent and retried by the
//! sender with the same `message_id` on every attempt).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000026_create_emails"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("email_templates")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("name", 400))
                    // `en` or `fa`: how values are formatted, and the HTML part's direction.
                    .col(string_len("locale", 8))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(uuid_null("created_by"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("email_templates", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("email_templates", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("email_templates", "name", &["workspace_id", "name"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("emails")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("to_address", 320))
                    .col(text("subject"))
                    .col(text("text_body"))
                    .col(text("html_body"))
                    .col(string_len("locale", 8))
                    // `queued`, `sending` (leased for an attempt), `sent`, `failed` or `not_sent`.
                    .col(string_len("status", 16))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    // While an attempt holds it; an expired lease is claimed again.
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone_null("last_attempt_at"))
                    .col(text_null("last_error"))
                    // `<id@domain-of-the-sender>`, set before the first attempt and kept for
                    // every other, so a message sent twice is a detectable duplicate.
                    .col(string_len_null("message_id", 400))
                    // What the email is about: it goes with the contact or lead (their data),
                    // and outlives the deal and the template.
                    .col(uuid_null("deal_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("lead_id"))
                    .col(uuid_null("template_id"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("emails", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("emails", "deal_id", "deals", SetNull))
                    .foreign_key(&mut fk("emails", "contact_id", "contacts", Cascade))
                    .foreign_key(&mut fk("emails", "lead_id", "leads", Cascade))
                    .foreign_key(&mut fk("emails", "template_id", "email_templates", SetNull))
                    .foreign_key(&mut fk("emails", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        // The sender's claim: due work, oldest first.
        manager.create_index(index("emails", "due", &["status", "next_attempt_at"])).await?;
        // The log, newest first, whole or by status, deal or contact.
        manager.create_index(index("emails", "log", &["workspace_id", "id"])).await?;
        manager.create_index(index("emails", "status", &["workspace_id", "status", "id"])).await?;
        manager.create_index(index("emails", "deal", &["workspace_id", "deal_id", "id"])).await?;
        manager.create_index(index("emails", "contact", &["workspace_id", "contact_id", "id"])).await
    }
}
