//! The top of the funnel: API keys, custom-field definitions, organizations, contacts and their
//! important dates, leads with their submissions and scoring rules, opportunities, and the link
//! from a deal to its opportunity.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000004_create_leads"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("api_keys")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string("name"))
                    // The first characters of the key, shown in lists so people can tell keys apart.
                    .col(string_len("prefix", 16))
                    .col(string_uniq("key_hash"))
                    .col(string("scopes"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_keys", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("api_keys", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("api_keys", "workspace", &["workspace_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("custom_field_definitions")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("entity", 16))
                    .col(string_len("key", 40))
                    .col(string("label"))
                    .col(string_len("kind", 16))
                    .col(text("options"))
                    .col(boolean("required"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("custom_field_definitions", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("custom_field_definitions", "key", &["workspace_id", "entity", "key"]).unique().to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table("organizations")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string("name"))
                    // Lower-cased, whitespace-collapsed name: the duplicate check's key.
                    .col(string("name_key"))
                    .col(string_null("domain"))
                    .col(string_null("industry"))
                    .col(string_null("phone"))
                    .col(string_null("address"))
                    .col(string_null("city"))
                    .col(string_len_null("country", 2))
                    .col(text("tags"))
                    .col(text("custom_fields"))
                    .col(uuid_null("owner_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("organizations", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("organizations", "owner_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("organizations", "name", &["workspace_id", "name_key"])).await?;
        manager.create_index(index("organizations", "created", &["workspace_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("contacts")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid_null("organization_id"))
                    .col(string("name"))
                    .col(string_null("email"))
                    .col(string_null("phone"))
                    .col(string_null("job_title"))
                    .col(string_null("address"))
                    .col(string_null("city"))
                    .col(string_len_null("country", 2))
                    .col(text("tags"))
                    .col(text("custom_fields"))
                    .col(text_null("notes"))
                    .col(uuid_null("owner_id"))
                    .col(uuid_null("source_lead_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("contacts", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("contacts", "organization_id", "organizations", SetNull))
                    .foreign_key(&mut fk("contacts", "owner_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("contacts", "email", &["workspace_id", "email"])).await?;
        manager.create_index(index("contacts", "phone", &["workspace_id", "phone"])).await?;
        manager.create_index(index("contacts", "created", &["workspace_id", "id"])).await?;
        manager.create_index(index("contacts", "organization", &["workspace_id", "organization_id"])).await?;

        // Yearly dates of a contact or an organization; month and day apart so that "the next N
        // days" is a range scan whatever the year.
        manager
            .create_table(
                Table::create()
                    .table("important_dates")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("organization_id"))
                    .col(string_len("kind", 16))
                    .col(string_null("label"))
                    .col(small_integer("month"))
                    .col(small_integer("day"))
                    .col(integer_null("year"))
                    .foreign_key(&mut fk("important_dates", "contact_id", "contacts", Cascade))
                    .foreign_key(&mut fk("important_dates", "organization_id", "organizations", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("important_dates", "calendar", &["workspace_id", "month", "day"])).await?;
        manager.create_index(index("important_dates", "contact", &["contact_id"])).await?;
        manager.create_index(index("important_dates", "organization", &["organization_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("opportunities")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid_null("lead_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("organization_id"))
                    .col(string("title"))
                    .col(text_null("need"))
                    .col(big_integer_null("budget_minor"))
                    .col(string_len_null("budget_currency", 3))
                    .col(string_null("timeline"))
                    .col(string_null("decision_maker"))
                    .col(uuid("owner_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("opportunities", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("opportunities", "contact_id", "contacts", SetNull))
                    .foreign_key(&mut fk("opportunities", "organization_id", "organizations", SetNull))
                    .to_owned(),
            )
            .await?;
        // One opportunity per lead: qualifying twice can never create a second one.
        manager.create_index(index("opportunities", "lead", &["workspace_id", "lead_id"]).unique().to_owned()).await?;
        manager.create_index(index("opportunities", "created", &["workspace_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("leads")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string("name"))
                    .col(string_null("email"))
                    .col(string_null("phone"))
                    .col(string_null("company"))
                    .col(string_null("job_title"))
                    .col(string_len("source", 24))
                    .col(string_null("campaign"))
                    .col(string_null("medium"))
                    .col(uuid_null("owner_id"))
                    .col(string_len("status", 16))
                    .col(string_len_null("disqualify_reason", 24))
                    .col(text_null("disqualify_note"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .col(integer("score"))
                    .col(text("tags"))
                    .col(text_null("notes"))
                    .col(text("custom_fields"))
                    .col(integer("submissions"))
                    .col(uuid_null("opportunity_id"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("leads", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("leads", "owner_id", "users", SetNull))
                    .foreign_key(&mut fk("leads", "opportunity_id", "opportunities", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("leads", "email", &["workspace_id", "email"])).await?;
        manager.create_index(index("leads", "phone", &["workspace_id", "phone"])).await?;
        manager.create_index(index("leads", "created", &["workspace_id", "id"])).await?;
        // The inbox: open leads, best first.
        manager.create_index(index("leads", "score", &["workspace_id", "score", "id"])).await?;
        manager.create_index(index("leads", "status", &["workspace_id", "status", "id"])).await?;

        // Every intake submission, kept as received: what attached to which lead, and from where.
        manager
            .create_table(
                Table::create()
                    .table("lead_submissions")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("lead_id"))
                    .col(uuid_null("api_key_id"))
                    .col(boolean("created_lead"))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("received_at"))
                    .foreign_key(&mut fk("lead_submissions", "lead_id", "leads", Cascade))
                    .foreign_key(&mut fk("lead_submissions", "api_key_id", "api_keys", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("lead_submissions", "lead", &["workspace_id", "lead_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("scoring_rules")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(integer("position"))
                    .col(string("name"))
                    .col(text("condition"))
                    .col(integer("points"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("scoring_rules", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("scoring_rules", "workspace", &["workspace_id", "position"])).await?;

        // A deal opened by qualifying a lead (or later on the same opportunity) points back to it.
        manager.alter_table(Table::alter().table("deals").add_column(uuid_null("opportunity_id")).to_owned()).await?;
        manager.create_index(index("deals", "opportunity", &["workspace_id", "opportunity_id"])).await?;
        Ok(())
    }
}
