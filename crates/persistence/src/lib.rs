//! Kariz storage: one schema on SQLite and PostgreSQL, reached only through [`Store`].
//!
//! Every public function takes the caller's workspace and scopes every query by it, so a row of
//! another workspace is indistinguishable from a missing one. A command that changes state writes
//! its rows, its stage history and its outbox event in one transaction.

mod entities;
mod error;
mod important_dates;
mod outbox;
mod records;
mod rollups;
mod rows;
mod sql;
mod stage_entry;
mod stage_moves;
mod unit_of_work;
mod views;
mod visibility;

pub mod activities;
pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod auth;
mod automation_schedule;
pub mod automations;
pub mod board;
pub mod bulk;
pub mod calendar;
pub mod clock;
pub mod contact_import;
pub mod contacts;
pub mod custom_fields;
pub mod deals;
pub mod digests;
pub mod documents;
pub mod duplicates;
pub mod emails;
pub mod exchange_rates;
pub mod global_search;
pub mod idempotency;
pub mod import;
pub mod intake;
pub mod invoices;
pub mod lead_import;
pub mod leads;
mod line_item_rows;
pub mod line_items;
pub mod lost_reasons;
pub mod notifications;
pub mod opportunities;
pub mod organization_import;
pub mod organizations;
pub mod pagination;
pub mod pipelines;
pub mod privacy;
pub mod products;
pub mod quotes;
pub mod reminders;
pub mod reports;
pub mod saved_views;
pub mod scoring;
pub mod search;
pub mod shared_limits;
pub mod stage_templates;
pub mod store;
pub mod stream;
pub mod tags;
pub mod timeline;
pub mod webhooks;

pub use error::{Conflict, StoreError};
pub use records::*;
pub use store::{Engine, PoolSettings, PoolUsage, Store, StreamSignal};
