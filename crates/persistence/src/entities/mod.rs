//! sea-orm entities: one module per table, mirroring `migrations/` exactly. They never leave this
//! crate's public functions except as the plain records defined beside the repositories.

pub mod activities;
pub mod api_keys;
pub mod attachment_chunks;
pub mod attachments;
pub mod audit_entries;
pub mod bulk_operations;
pub mod contacts;
pub mod custom_field_definitions;
pub mod deals;
pub mod email_templates;
pub mod emails;
pub mod events;
pub mod exchange_rates;
pub mod idempotency_keys;
pub mod important_dates;
pub mod lead_submissions;
pub mod leads;
pub mod opportunities;
pub mod organizations;
pub mod pipelines;
pub mod refresh_tokens;
pub mod saved_views;
pub mod scoring_rules;
pub mod stage_history;
pub mod stage_task_templates;
pub mod stages;
pub mod stream_tickets;
pub mod users;
pub mod webhook_attempts;
pub mod webhook_deliveries;
pub mod webhook_subscriptions;
pub mod workspaces;
