//! End-to-end tests of the running service: HTTP in, database out. Every test that touches
//! storage runs twice, on SQLite and on PostgreSQL (see `on_both_engines!`).

mod helpers;
mod receiver;
mod smtp_server;

mod accounts;
mod activities;
mod api_keys;
mod architecture;
mod attachments;
mod audit;
mod auth;
mod board;
mod bulk;
mod concurrency;
mod contact_csv;
mod contacts;
mod deal_customers;
mod deals;
mod emails;
mod errors;
mod hardening;
mod idempotency;
mod isolation;
mod large_totals;
mod lead_csv;
mod leads;
mod long_operations;
mod migrations;
mod openapi;
mod operations;
mod organization_csv;
mod organizations;
mod pipelines;
mod privacy;
mod processes;
mod rate_limits;
mod reports;
mod search;
mod startup;
mod stream;
mod timeline;
mod uploads;
mod users;
mod views;
mod webhooks;
