//! Organization names compared by the folding lists, the board and duplicate detection use:
//! `name_key` is recomputed with the domain's `fold_key`, which now folds every Arabic letter
//! variant and Persian/Arabic-Indic digits and ignores punctuation, so that a lookup by the new
//! key finds the organizations named before.

use kariz_domain::text::fold_key;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000036_organization_name_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        let rows = conn.query_all_raw(Statement::from_string(backend, "SELECT id, name, name_key FROM organizations")).await?;
        for row in rows {
            let id: Uuid = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let stored: String = row.try_get("", "name_key")?;
            let key = fold_key(&name);
            if key != stored {
                let update = Query::update().table("organizations").value("name_key", key).and_where(Expr::col("id").eq(id)).to_owned();
                conn.execute(&update).await?;
            }
        }
        Ok(())
    }
}
