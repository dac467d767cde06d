//! Indexes that serve the lists' sorts under their filters (issue 18, item 3; `bench/plans.sh`
//! checks every documented combination):
//!
//! - deals by amount, in the workspace and in one stage: `(workspace_id, amount_minor, id)` and
//!   `(workspace_id, stage_id, amount_minor, id)` — the workspace first in both, since the planner
//!   prices an index scan by how its first column follows the table's order (one workspace's
//!   column looks perfectly ordered, a stage's not), and with the stage first it preferred
//!   walking the workspace's amount order for one stage. A move changes `stage_id`, so no update
//!   of a deal is HOT and both are written on every move: their cost is measured in
//!   `bench/RESULTS.md`. The other filters of an amount sort (pipeline, owner, status, expected
//!   close, customer) read the workspace's amount order and skip what they do not match;
//! - leads by score under a status, a source or an owner: each of those with the score and id
//!   after it, and the open leads (`new` or `working`, the `status=open` filter, written with
//!   those literals) in a partial index of their own, since an index scan cannot keep the score
//!   order across two statuses;
//! - deals' and contacts' owner indexes get the id after the owner, so that an owner's records
//!   come in created-at order, and organizations' name index the id after the name, the list's
//!   tie-break (the same number of indexes as before).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000050_list_indexes"
    }
}

/// `(name, table, what it indexes)`: the same statements on PostgreSQL and SQLite.
const INDEXES: [(&str, &str, &str); 6] = [
    ("ix_deals_amount", "deals", "(workspace_id, amount_minor, id)"),
    ("ix_deals_stage_amount", "deals", "(workspace_id, stage_id, amount_minor, id)"),
    ("ix_leads_status_score", "leads", "(workspace_id, status, score, id)"),
    ("ix_leads_source_score", "leads", "(workspace_id, source, score, id)"),
    ("ix_leads_owner_score", "leads", "(workspace_id, owner_id, score, id)"),
    ("ix_leads_open_score", "leads", "(workspace_id, score, id) WHERE status IN ('new', 'working')"),
];

/// `(name, table, before, now)`: indexes that get the id after what they had, so that the rows
/// they find come in the id's (created-at) order, or by name and then id.
const WIDENED: [(&str, &str, &str, &str); 3] = [
    ("ix_deals_owner", "deals", "(workspace_id, owner_id)", "(workspace_id, owner_id, id)"),
    ("ix_contacts_owner", "contacts", "(workspace_id, owner_id)", "(workspace_id, owner_id, id)"),
    ("ix_organizations_name", "organizations", "(workspace_id, name_key)", "(workspace_id, name_key, id)"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, table, indexed) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {table} {indexed}")).await?;
        }
        // Dropped and made again in one statement list, on one connection.
        for (name, table, _, now) in WIDENED {
            db.execute_unprepared(&format!("DROP INDEX {name}; CREATE INDEX {name} ON {table} {now}")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, table, before, _) in WIDENED {
            db.execute_unprepared(&format!("DROP INDEX {name}; CREATE INDEX {name} ON {table} {before}")).await?;
        }
        for (name, _, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        Ok(())
    }
}
