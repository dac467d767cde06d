//! Global search: a `search_text` key on deals, leads, contacts and organizations — their
//! searchable fields normalized by `kariz_domain::search::search_key` — written by the store's
//! row builders on every write and computed here for the rows that exist.

use kariz_domain::Phone;
use kariz_domain::search::search_key;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000020_search_keys"
    }
}

/// Each table with the text columns of its key and the phone column, if any.
const TABLES: [(&str, &[&str], Option<&str>); 4] = [
    ("deals", &["title"], None),
    ("leads", &["name", "email", "company"], Some("phone")),
    ("contacts", &["name", "email"], Some("phone")),
    ("organizations", &["name", "domain"], None),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, _) in TABLES {
            if !manager.has_column(table, "search_text").await? {
                manager.alter_table(Table::alter().table(table).add_column(text("search_text").default("")).to_owned()).await?;
            }
        }
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        for (table, columns, phone) in TABLES {
            let selected = columns.iter().copied().chain(phone).collect::<Vec<_>>().join(", ");
            let rows = conn.query_all_raw(Statement::from_string(backend, format!("SELECT id, {selected} FROM {table}"))).await?;
            for row in rows {
                let id: Uuid = row.try_get("", "id")?;
                let mut fields = Vec::new();
                for column in columns {
                    fields.push(row.try_get::<Option<String>>("", column)?.unwrap_or_default());
                }
                let phone = match phone {
                    Some(column) => row.try_get::<Option<String>>("", column)?.and_then(|p| Phone::parse(&p).ok()),
                    None => None,
                };
                let key = search_key(fields.iter().map(String::as_str), phone.as_ref());
                let update = Query::update().table(table).value("search_text", key).and_where(Expr::col("id").eq(id)).to_owned();
                conn.execute(&update).await?;
            }
        }
        Ok(())
    }
}
