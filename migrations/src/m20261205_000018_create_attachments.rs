//! Files kept with a deal, a contact, an organization or a lead, stored in the database so that
//! every replica serves them: `attachments` (one row per file, `uploading` until its last chunk
//! is written) and `attachment_chunks` (the bytes, in order, a few hundred KiB per row, so that
//! neither an upload nor a download holds a whole file in memory).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000018_create_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    // Exactly one of these: what the file is kept with. It goes with it.
                    .col(uuid_null("deal_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("organization_id"))
                    .col(uuid_null("lead_id"))
                    .col(string("file_name"))
                    .col(string_len("media_type", 255))
                    .col(big_integer("size_bytes"))
                    .col(string_len_null("sha256", 64))
                    // `uploading` while its chunks arrive, then `ready`.
                    .col(string_len("status", 16))
                    .col(uuid_null("uploaded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("attachments", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("attachments", "deal_id", "deals", Cascade))
                    .foreign_key(&mut fk("attachments", "contact_id", "contacts", Cascade))
                    .foreign_key(&mut fk("attachments", "organization_id", "organizations", Cascade))
                    .foreign_key(&mut fk("attachments", "lead_id", "leads", Cascade))
                    .foreign_key(&mut fk("attachments", "uploaded_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        for target in ["deal_id", "contact_id", "organization_id", "lead_id"] {
            let name = target.trim_end_matches("_id");
            manager.create_index(index("attachments", name, &["workspace_id", target, "created_at"])).await?;
        }
        manager.create_index(index("attachments", "status", &["workspace_id", "status", "created_at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("attachment_chunks")
                    .col(uuid("attachment_id"))
                    .col(integer("seq"))
                    .col(blob("data"))
                    .primary_key(Index::create().col("attachment_id").col("seq"))
                    .foreign_key(&mut fk("attachment_chunks", "attachment_id", "attachments", Cascade))
                    .to_owned(),
            )
            .await
    }
}
