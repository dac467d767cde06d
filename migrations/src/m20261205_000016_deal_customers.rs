//! A deal is with a person and a company: `deals.contact_id` and `deals.organization_id`, listed
//! by either. Deals opened for an opportunity take its contact and organization.
//!
//! No foreign keys, like `deals.opportunity_id`: deleting a contact or an organization clears its
//! deals' links in the store's own transaction, bumping their versions, rather than silently.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000016_deal_customers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("deals").add_column(uuid_null("contact_id")).to_owned()).await?;
        manager.alter_table(Table::alter().table("deals").add_column(uuid_null("organization_id")).to_owned()).await?;
        manager.create_index(index("deals", "contact", &["workspace_id", "contact_id"])).await?;
        manager.create_index(index("deals", "organization", &["workspace_id", "organization_id"])).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE deals SET \
                 contact_id = (SELECT o.contact_id FROM opportunities o WHERE o.id = deals.opportunity_id), \
                 organization_id = (SELECT o.organization_id FROM opportunities o WHERE o.id = deals.opportunity_id) \
                 WHERE opportunity_id IS NOT NULL",
            )
            .await?;
        Ok(())
    }
}
