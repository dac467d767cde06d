//! The schema, as forward-only migrations. Nothing else changes the schema.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261124_000001_create_core;
mod m20261124_000002_create_webhooks;
mod m20261124_000003_create_idempotency_keys;
mod m20261126_000004_create_leads;
mod m20261126_000005_create_activities;
mod m20261126_000006_stage_visits;
mod m20261126_000007_workspace_visibility;
mod m20261126_000008_api_key_expiry;
mod m20261126_000009_column_positions;
mod m20261126_000010_create_audit_entries;
mod m20261205_000011_webhook_endpoint_queue;
mod m20261205_000012_accounts_per_workspace;
mod m20261205_000013_idempotency_per_caller;
mod m20261205_000014_personal_data_lookups;
mod m20261205_000015_unique_card_positions;
mod m20261205_000016_deal_customers;
mod m20261205_000017_important_date_calendars;
mod m20261205_000018_create_attachments;
mod m20261205_000019_bulk_operations;
mod m20261205_000020_search_keys;
mod m20261205_000021_search_trigrams;
mod m20261205_000022_saved_views;
mod m20261205_000023_deal_tags;
mod m20261205_000024_stream_tickets;
mod m20261205_000025_sqlite_search_index;
mod m20261205_000026_create_emails;
mod m20261205_000027_notifications;
mod m20261205_000028_deal_rules;
mod m20261205_000029_shared_limits;
mod m20261205_000030_automations;
mod m20261205_000031_workspace_calendar;
mod m20261205_000032_emails_by_lead;
mod m20261206_000033_board_rollups;
mod m20261206_000036_organization_name_keys;
mod m20261206_000037_contacts_by_name;
mod m20261206_000038_next_activity_by_deal;
mod m20261206_000039_products;
mod m20261206_000045_rollup_deltas;
mod m20261206_000046_outbox_work_indexes;
mod m20261206_000047_quotes_invoices;
mod m20261206_000048_email_attachments;
mod m20261206_000049_record_tags;
mod m20261206_000050_list_indexes;
mod m20261206_000051_tag_sort_keys;
mod m20261206_000052_stage_moves;
mod m20261206_000053_open_deals_by_amount;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_core::Migration),
            Box::new(m20261124_000002_create_webhooks::Migration),
            Box::new(m20261124_000003_create_idempotency_keys::Migration),
            Box::new(m20261126_000004_create_leads::Migration),
            Box::new(m20261126_000005_create_activities::Migration),
            Box::new(m20261126_000006_stage_visits::Migration),
            Box::new(m20261126_000007_workspace_visibility::Migration),
            Box::new(m20261126_000008_api_key_expiry::Migration),
            Box::new(m20261126_000009_column_positions::Migration),
            Box::new(m20261126_000010_create_audit_entries::Migration),
            Box::new(m20261205_000011_webhook_endpoint_queue::Migration),
            Box::new(m20261205_000012_accounts_per_workspace::Migration),
            Box::new(m20261205_000013_idempotency_per_caller::Migration),
            Box::new(m20261205_000014_personal_data_lookups::Migration),
            Box::new(m20261205_000015_unique_card_positions::Migration),
            Box::new(m20261205_000016_deal_customers::Migration),
            Box::new(m20261205_000017_important_date_calendars::Migration),
            Box::new(m20261205_000018_create_attachments::Migration),
            Box::new(m20261205_000019_bulk_operations::Migration),
            Box::new(m20261205_000020_search_keys::Migration),
            Box::new(m20261205_000021_search_trigrams::Migration),
            Box::new(m20261205_000022_saved_views::Migration),
            Box::new(m20261205_000023_deal_tags::Migration),
            Box::new(m20261205_000024_stream_tickets::Migration),
            Box::new(m20261205_000025_sqlite_search_index::Migration),
            Box::new(m20261205_000026_create_emails::Migration),
            Box::new(m20261205_000027_notifications::Migration),
            Box::new(m20261205_000028_deal_rules::Migration),
            Box::new(m20261205_000029_shared_limits::Migration),
            Box::new(m20261205_000030_automations::Migration),
            Box::new(m20261205_000031_workspace_calendar::Migration),
            Box::new(m20261205_000032_emails_by_lead::Migration),
            Box::new(m20261206_000033_board_rollups::Migration),
            Box::new(m20261206_000036_organization_name_keys::Migration),
            Box::new(m20261206_000037_contacts_by_name::Migration),
            Box::new(m20261206_000038_next_activity_by_deal::Migration),
            Box::new(m20261206_000039_products::Migration),
            Box::new(m20261206_000045_rollup_deltas::Migration),
            Box::new(m20261206_000046_outbox_work_indexes::Migration),
            Box::new(m20261206_000047_quotes_invoices::Migration),
            Box::new(m20261206_000048_email_attachments::Migration),
            Box::new(m20261206_000049_record_tags::Migration),
            Box::new(m20261206_000050_list_indexes::Migration),
            Box::new(m20261206_000051_tag_sort_keys::Migration),
            Box::new(m20261206_000052_stage_moves::Migration),
            Box::new(m20261206_000053_open_deals_by_amount::Migration),
        ]
    }
}
