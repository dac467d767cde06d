//! Rate limits and the sign-in throttle shared by every replica on one PostgreSQL database (when
//! no Redis is configured for them).
//!
//! `rate_limit_states` holds each limited key's GCRA state: the theoretical arrival time of its
//! next request, in microseconds since the Unix epoch. A key whose time has passed is a full
//! bucket, the same as no row, so rows are purged once it has. `sign_in_failures` holds the
//! wrong-password counts of one email from one address (`a:` keys) and of one email from all
//! (`e:` keys), with the window's start, the last failure and the wait imposed after it.
//!
//! Counters, not business data: they are written by single statements outside the unit of work,
//! never audited, and hold no secret (emails appear only as keyed hashes).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000029_shared_limits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create().table("rate_limit_states").col(string_len("key", 160).primary_key()).col(big_integer("tat_us")).to_owned(),
            )
            .await?;
        manager.create_index(index("rate_limit_states", "tat", &["tat_us"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("sign_in_failures")
                    .col(string_len("key", 160).primary_key())
                    .col(big_integer("count"))
                    .col(big_integer("since_us"))
                    .col(big_integer("last_us"))
                    .col(big_integer("wait_until_us"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sign_in_failures", "last", &["last_us"])).await?;
        Ok(())
    }
}
