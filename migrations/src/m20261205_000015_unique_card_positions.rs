//! A card's position is unique in its column. Positions used to be chosen outside the write
//! transaction, so concurrent creates and moves could give two cards one key, and a card placed
//! between two such cards was refused forever. They are now chosen with the column held; this
//! migration repairs columns that already hold duplicates and lets the index refuse any new one.
//!
//! The repair renumbers each column that has a duplicate, keeping its order (position, then id):
//! the n-th card gets the n-th key of the appending sequence (`a0`…`az`, `b00`…, see
//! `kariz_domain::Position`), built in SQL so the migration depends on no application code.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000015_unique_card_positions"
    }
}

const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The base-62 digit of the SQL value `value` at `place` (62^place).
fn digit(value: &str, place: u32) -> String {
    let divisor = 62_i64.pow(place);
    format!("substr('{DIGITS}', CAST(({value}) / {divisor} % 62 AS INTEGER) + 1, 1)")
}

/// The n-th key (0-based) of the appending sequence, for up to 62 + 62^2 + 62^3 + 62^4 cards in
/// one column: `a` and one digit, then `b` and two digits from `b00`, and so on.
fn nth_key() -> String {
    let mut branches = String::new();
    let mut first = 0_i64;
    for (length, head) in (1..=4).zip(['a', 'b', 'c', 'd']) {
        let value = format!("n - {first}");
        let digits = (0..length).rev().map(|place| digit(&value, place)).collect::<Vec<_>>().join(" || ");
        first += 62_i64.pow(length);
        branches.push_str(&format!("WHEN n < {first} THEN '{head}' || {digits} "));
    }
    format!("CASE {branches}END")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let repair = format!(
            "WITH crowded AS (SELECT stage_id FROM deals GROUP BY stage_id, position HAVING COUNT(*) > 1), \
             ranked AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY stage_id ORDER BY position, id) - 1 AS n \
                        FROM deals WHERE stage_id IN (SELECT stage_id FROM crowded)), \
             keyed AS (SELECT id, {} AS position FROM ranked) \
             UPDATE deals SET position = (SELECT keyed.position FROM keyed WHERE keyed.id = deals.id) \
             WHERE id IN (SELECT id FROM keyed)",
            nth_key()
        );
        manager.get_connection().execute_unprepared(&repair).await?;
        // Under a new name, so the column is never without its index; then the old one goes.
        manager.create_index(index("deals", "card_position", &["stage_id", "position"]).unique().to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_deals_stage_position").table("deals").to_owned()).await
    }
}
