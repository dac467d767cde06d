//! The product catalogue and the line items of deals: `products` (a SKU unique per workspace
//! whatever its letter case, through `sku_key`; money as BIGINT minor units, tax as basis
//! points), `deal_line_items` (each line's values and its figures as priced when saved, in the
//! deal's order; they go with their deal), and `deals.amount_from_lines` (false for the deals
//! already there: their amounts stay their own).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000039_products"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        manager
            .create_table(
                Table::create()
                    .table("products")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("name", 800))
                    .col(string_len("sku", 256))
                    .col(string_len("sku_key", 256))
                    .col(string_len_null("unit", 80))
                    .col(big_integer("unit_price_minor"))
                    .col(string_len("currency", 3))
                    .col(integer("tax_rate_bp"))
                    .col(boolean("active"))
                    .col(text("search_text").default(""))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("products", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("products", "sku_key", &["workspace_id", "sku_key"]).unique().to_owned()).await?;
        manager.create_index(index("products", "created", &["workspace_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("deal_line_items")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("deal_id"))
                    .col(integer("position"))
                    .col(uuid_null("product_id"))
                    .col(string_len("name", 800))
                    // Integer thousandths: "1.5" is 1500.
                    .col(big_integer("quantity_milli"))
                    .col(big_integer("unit_price_minor"))
                    .col(integer("discount_bp"))
                    .col(integer("tax_rate_bp"))
                    .col(big_integer("subtotal_minor"))
                    .col(big_integer("discount_minor"))
                    .col(big_integer("tax_minor"))
                    .col(big_integer("total_minor"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("deal_line_items", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("deal_line_items", "deal_id", "deals", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("deal_line_items", "deal", &["deal_id", "position"])).await?;
        // "Is this product on a deal's lines?" before a product is deleted.
        manager.create_index(index("deal_line_items", "product", &["workspace_id", "product_id"])).await?;

        manager.alter_table(Table::alter().table("deals").add_column(boolean("amount_from_lines").default(false)).to_owned()).await
    }
}
