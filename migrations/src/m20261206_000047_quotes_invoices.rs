//! Pre-invoices (quotes), invoices and payments, their numbering and the workspace's document
//! settings.
//!
//! - `document_settings`: one row per workspace once it changes the defaults (prefixes, yearly
//!   reset, validity and payment terms, the seller's details, the template and logo).
//! - `document_counters`: the last number given per workspace, kind and period. A document takes
//!   the next in the transaction that stores it (the row's lock orders concurrent writers), so a
//!   rolled-back document returns its number and the numbers have no gaps.
//! - `quotes` and `invoices` keep their lines, buyer (and, once issued, seller) as JSON snapshots:
//!   a document shows what was offered or billed then, whatever the catalogue, deal or contact
//!   later become. Their deal cannot be deleted while they exist (`NO ACTION`, checked at the
//!   end of the statement, so that deleting a whole workspace still cascades).
//! - `payments`: what was paid against an invoice; `invoices.paid_minor` is their sum, kept in
//!   the same transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000047_quotes_invoices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, NoAction};

        manager
            .create_table(
                Table::create()
                    .table("document_settings")
                    .col(pk_uuid("workspace_id"))
                    .col(string_len("quote_prefix", 40))
                    .col(string_len("invoice_prefix", 40))
                    .col(boolean("yearly_reset"))
                    .col(integer("quote_validity_days"))
                    .col(integer("invoice_due_days"))
                    .col(boolean("accept_wins_deal"))
                    .col(string_len("rial_display", 8))
                    .col(string_len_null("legal_name", 1200))
                    .col(string_len_null("economic_code", 1200))
                    .col(string_len_null("national_id", 1200))
                    .col(string_len_null("registration_number", 1200))
                    .col(string_len_null("postal_code", 1200))
                    .col(string_len_null("address", 1200))
                    .col(string_len_null("phone", 1200))
                    .col(string_len_null("email", 1200))
                    .col(string_len("accent_colour", 7))
                    .col(text_null("footer"))
                    .col(text_null("terms"))
                    .col(blob_null("logo"))
                    .col(string_len_null("logo_type", 40))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("document_settings", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("document_counters")
                    .col(uuid("workspace_id"))
                    .col(string_len("kind", 16))
                    .col(string_len("period", 8))
                    .col(big_integer("last_number"))
                    .primary_key(Index::create().col("workspace_id").col("kind").col("period"))
                    .foreign_key(&mut fk("document_counters", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("quotes")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("deal_id"))
                    .col(string_len("number", 80))
                    .col(big_integer("sequence"))
                    .col(string_len("period", 8))
                    .col(integer("revision"))
                    .col(uuid_null("revision_of"))
                    .col(string_len("status", 16))
                    .col(string_len("currency", 3))
                    .col(date("quote_date"))
                    .col(date("valid_until"))
                    .col(text("lines"))
                    .col(big_integer("subtotal_minor"))
                    .col(big_integer("discount_minor"))
                    .col(big_integer("tax_minor"))
                    .col(big_integer("total_minor"))
                    .col(text("buyer"))
                    .col(text_null("notes"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone_null("answered_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("quotes", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("quotes", "deal_id", "deals", NoAction))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quotes", "number", &["workspace_id", "number"]).unique().to_owned()).await?;
        manager.create_index(index("quotes", "created", &["workspace_id", "id"])).await?;
        manager.create_index(index("quotes", "deal", &["workspace_id", "deal_id"])).await?;
        // The expiry sweep: open quotes by validity.
        manager.create_index(index("quotes", "open", &["status", "valid_until"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("invoices")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("deal_id"))
                    .col(uuid_null("quote_id"))
                    .col(string_len_null("number", 80))
                    .col(big_integer_null("sequence"))
                    .col(string_len_null("period", 8))
                    .col(string_len("status", 16))
                    .col(string_len("currency", 3))
                    .col(date_null("issued_on"))
                    .col(date_null("due_on"))
                    .col(text("lines"))
                    .col(big_integer("subtotal_minor"))
                    .col(big_integer("discount_minor"))
                    .col(big_integer("tax_minor"))
                    .col(big_integer("total_minor"))
                    .col(big_integer("paid_minor"))
                    .col(text("buyer"))
                    .col(text_null("seller"))
                    .col(text_null("notes"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone_null("voided_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("invoices", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("invoices", "deal_id", "deals", NoAction))
                    .foreign_key(&mut fk("invoices", "quote_id", "quotes", NoAction))
                    .to_owned(),
            )
            .await?;
        // Drafts have no number: both engines let any number of NULLs share a unique index.
        manager.create_index(index("invoices", "number", &["workspace_id", "number"]).unique().to_owned()).await?;
        manager.create_index(index("invoices", "created", &["workspace_id", "id"])).await?;
        manager.create_index(index("invoices", "deal", &["workspace_id", "deal_id"])).await?;
        manager.create_index(index("invoices", "issued", &["workspace_id", "issued_on"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("payments")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("invoice_id"))
                    .col(big_integer("amount_minor"))
                    .col(timestamp_with_time_zone("paid_at"))
                    .col(string_len("method", 16))
                    .col(string_len_null("reference", 800))
                    .col(uuid_null("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("payments", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("payments", "invoice_id", "invoices", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("payments", "invoice", &["invoice_id", "paid_at"])).await?;
        manager.create_index(index("payments", "paid", &["workspace_id", "paid_at"])).await
    }
}
