//! Global search: deals, leads, contacts and organizations whose search key (`search_text`,
//! written by the row builders from `kariz_domain::search::search_key`) holds the normalized
//! query, or a phone number's digits. Hits come in the order of their match rank (whole field,
//! word prefix, anywhere), then kind (deal, lead, contact, organization), then the most recently
//! changed, then id — and are asked for in that order, one bounded query per rank and kind, until
//! the limit is reached: a term many records hold is answered from the first rank and kind that
//! fill it, instead of ranking every match.
//!
//! Matching is a `LIKE '%…%'` on the key. A term of three or more letters is found through a
//! trigram index: `pg_trgm` on PostgreSQL (migration 000021), which the planner uses for the
//! `LIKE` itself; on SQLite an FTS5 trigram table per kind (migration 000025), which the query
//! asks for the candidate rows first (the `LIKE` then decides, so the index only has to find a
//! superset). Shorter terms read the workspace's keys of the kind. The bench (bench/search.sh,
//! either engine) measures it at 100,000 rows per kind.

use chrono::{DateTime, Utc};
use kariz_domain::Viewer;
use kariz_domain::search::{MatchRank, normalize};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, Iden, QueryResult};
use uuid::Uuid;

use crate::entities::{contacts, deals, leads, organizations, stages};
use crate::error::StoreResult;
use crate::search::{like_contains, phone_needles};
use crate::store::Store;
use crate::visibility::{contacts_seen, deals_seen, leads_seen};

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    Deal,
    Lead,
    Contact,
    Organization,
}

impl HitKind {
    pub const ALL: [HitKind; 4] = [HitKind::Deal, HitKind::Lead, HitKind::Contact, HitKind::Organization];

    /// The table holding this kind of record.
    fn table(self) -> &'static str {
        match self {
            HitKind::Deal => "deals",
            HitKind::Lead => "leads",
            HitKind::Contact => "contacts",
            HitKind::Organization => "organizations",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Deal => "deal",
            HitKind::Lead => "lead",
            HitKind::Contact => "contact",
            HitKind::Organization => "organization",
        }
    }
}

/// One record found.
#[derive(Clone, Debug)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: Uuid,
    /// The deal's title, or the name.
    pub title: String,
    /// A deal's stage; a lead's or contact's email, else phone (a lead's company last); an
    /// organization's domain.
    pub subtitle: Option<String>,
    /// A deal's pipeline, to open it on its board.
    pub pipeline_id: Option<Uuid>,
    pub rank: MatchRank,
    pub updated_at: DateTime<Utc>,
}

/// Most hits a search returns, and the default.
pub const MAX_HITS: u64 = 50;
pub const DEFAULT_HITS: u64 = 20;

/// The normalized query and the other digit strings a phone number may be stored as.
struct Needles {
    all: Vec<String>,
}

impl Needles {
    fn of(raw: &str) -> Needles {
        let mut all = vec![normalize(raw)];
        all.retain(|n| !n.is_empty());
        for needle in phone_needles(raw) {
            if !all.contains(&needle) {
                all.push(needle);
            }
        }
        Needles { all }
    }

    /// The keys whose best match is of `rank`: a needle's pattern of that rank and none of a
    /// better one (a whole field is also a word prefix, so "anywhere" excludes both).
    fn of_rank(&self, key: SimpleExpr, rank: MatchRank) -> Condition {
        let (mut exact, mut prefix, mut anywhere) = (Condition::any(), Condition::any(), Condition::any());
        for needle in &self.all {
            let (whole, start) = MatchRank::patterns(needle);
            exact = exact.add(like_contains(key.clone(), &whole));
            prefix = prefix.add(like_contains(key.clone(), &start));
            anywhere = anywhere.add(like_contains(key.clone(), needle));
        }
        match rank {
            MatchRank::Exact => exact,
            MatchRank::Prefix => Condition::all().add(prefix).add(exact.not()),
            MatchRank::Contains => Condition::all().add(anywhere).add(prefix.not()),
        }
    }

    /// On SQLite, `table.rowid IN (…)`: the rows of `table` whose key holds one of the rank's
    /// patterns according to its FTS5 trigram index (`{table}_search`, migration 000025). `None`
    /// when a pattern is shorter than a trigram, or holds a `LIKE` wildcard, which the index
    /// cannot serve: the plain condition then reads every row, as it always did.
    fn sqlite_candidates(&self, table: &str, rank: MatchRank) -> Option<SimpleExpr> {
        let patterns: Vec<String> = self
            .all
            .iter()
            .map(|needle| {
                let (whole, start) = MatchRank::patterns(needle);
                match rank {
                    MatchRank::Exact => whole,
                    MatchRank::Prefix => start,
                    MatchRank::Contains => needle.clone(),
                }
            })
            .collect();
        if patterns.iter().any(|p| p.chars().count() < 3 || p.contains(['%', '_', '\\'])) {
            return None;
        }
        let lookups = vec![format!("SELECT rowid FROM {table}_search WHERE search_text LIKE ?"); patterns.len()];
        Some(Expr::cust_with_values(
            format!("\"{table}\".rowid IN ({})", lookups.join(" UNION ")),
            patterns.into_iter().map(|p| format!("%{p}%")),
        ))
    }
}

fn column(table: impl Iden + 'static, column: impl Iden + 'static) -> SimpleExpr {
    Expr::col((table, column))
}

impl Store {
    /// Up to `limit` (1–[`MAX_HITS`]) records of the viewer's workspace they may read whose
    /// searchable fields hold `query`, best first (see the module's ranking).
    pub async fn search(&self, viewer: &Viewer, query: &str, limit: u64) -> StoreResult<Vec<SearchHit>> {
        let limit = limit.clamp(1, MAX_HITS);
        let needles = Needles::of(query);
        if needles.all.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits = Vec::new();
        for rank in [MatchRank::Exact, MatchRank::Prefix, MatchRank::Contains] {
            for kind in HitKind::ALL {
                let wanted = limit - hits.len() as u64;
                if wanted == 0 {
                    return Ok(hits);
                }
                let mut statement = kind_query(kind, viewer, &needles, rank, wanted);
                if self.db.get_database_backend() == DatabaseBackend::Sqlite
                    && let Some(candidates) = needles.sqlite_candidates(kind.table(), rank)
                {
                    statement.and_where(candidates);
                }
                for row in self.db.query_all(&statement).await? {
                    hits.push(hit(kind, rank, &row)?);
                }
            }
        }
        Ok(hits)
    }
}

/// The `limit` most recently changed records of one kind whose best match is of `rank`: `id`,
/// `title`, `subtitle`, `pipeline_id`, `updated_at`.
fn kind_query(kind: HitKind, viewer: &Viewer, needles: &Needles, rank: MatchRank, limit: u64) -> SelectStatement {
    let workspace = viewer.workspace_id.as_uuid();
    let mut query = Query::select();
    let (key, updated_at, id) = match kind {
        HitKind::Deal => {
            query
                .expr_as(column(deals::Entity, deals::Column::Id), Alias::new("id"))
                .expr_as(column(deals::Entity, deals::Column::Title), Alias::new("title"))
                .expr_as(column(stages::Entity, stages::Column::Name), Alias::new("subtitle"))
                .expr_as(column(deals::Entity, deals::Column::PipelineId), Alias::new("pipeline_id"))
                .from(deals::Entity)
                .left_join(stages::Entity, Expr::col((stages::Entity, stages::Column::Id)).equals((deals::Entity, deals::Column::StageId)))
                .and_where(deals::Column::WorkspaceId.eq(workspace))
                .cond_where(deals_seen(viewer));
            (
                column(deals::Entity, deals::Column::SearchText),
                column(deals::Entity, deals::Column::UpdatedAt),
                column(deals::Entity, deals::Column::Id),
            )
        }
        HitKind::Lead => {
            let subtitle = Func::coalesce([
                column(leads::Entity, leads::Column::Email),
                column(leads::Entity, leads::Column::Phone),
                column(leads::Entity, leads::Column::Company),
            ]);
            query
                .expr_as(column(leads::Entity, leads::Column::Id), Alias::new("id"))
                .expr_as(column(leads::Entity, leads::Column::Name), Alias::new("title"))
                .expr_as(subtitle, Alias::new("subtitle"))
                .from(leads::Entity)
                .and_where(leads::Column::WorkspaceId.eq(workspace))
                .cond_where(leads_seen(viewer));
            (
                column(leads::Entity, leads::Column::SearchText),
                column(leads::Entity, leads::Column::UpdatedAt),
                column(leads::Entity, leads::Column::Id),
            )
        }
        HitKind::Contact => {
            let subtitle =
                Func::coalesce([column(contacts::Entity, contacts::Column::Email), column(contacts::Entity, contacts::Column::Phone)]);
            query
                .expr_as(column(contacts::Entity, contacts::Column::Id), Alias::new("id"))
                .expr_as(column(contacts::Entity, contacts::Column::Name), Alias::new("title"))
                .expr_as(subtitle, Alias::new("subtitle"))
                .from(contacts::Entity)
                .and_where(contacts::Column::WorkspaceId.eq(workspace))
                .cond_where(contacts_seen(viewer));
            (
                column(contacts::Entity, contacts::Column::SearchText),
                column(contacts::Entity, contacts::Column::UpdatedAt),
                column(contacts::Entity, contacts::Column::Id),
            )
        }
        HitKind::Organization => {
            query
                .expr_as(column(organizations::Entity, organizations::Column::Id), Alias::new("id"))
                .expr_as(column(organizations::Entity, organizations::Column::Name), Alias::new("title"))
                .expr_as(column(organizations::Entity, organizations::Column::Domain), Alias::new("subtitle"))
                .from(organizations::Entity)
                .and_where(organizations::Column::WorkspaceId.eq(workspace));
            (
                column(organizations::Entity, organizations::Column::SearchText),
                column(organizations::Entity, organizations::Column::UpdatedAt),
                column(organizations::Entity, organizations::Column::Id),
            )
        }
    };
    query
        .expr_as(updated_at.clone(), Alias::new("updated_at"))
        .cond_where(needles.of_rank(key, rank))
        .order_by_expr(updated_at, Order::Desc)
        .order_by_expr(id, Order::Desc)
        .limit(limit);
    if kind != HitKind::Deal {
        query.expr_as(Expr::val(Option::<Uuid>::None), Alias::new("pipeline_id"));
    }
    query
}

fn hit(kind: HitKind, rank: MatchRank, row: &QueryResult) -> StoreResult<SearchHit> {
    Ok(SearchHit {
        kind,
        id: row.try_get("", "id")?,
        title: row.try_get("", "title")?,
        subtitle: row.try_get("", "subtitle")?,
        pipeline_id: row.try_get("", "pipeline_id")?,
        rank,
        updated_at: row.try_get("", "updated_at")?,
    })
}
