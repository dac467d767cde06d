//! The leaderboard: per owner, deals won and lost in the period (by `closed_at`), value won, win
//! rate, average sales cycle, and activities logged (by the activity's `created_at`).

use std::collections::BTreeMap;

use kariz_domain::reporting::{average_days, percent};
use kariz_domain::{CurrencyAmounts, UserId, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Conditions, MoneyFigure, ReportFilter, count_of, figure};
use crate::entities::users;
use crate::error::StoreResult;
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct LeaderboardEntry {
    pub owner_id: UserId,
    /// `None` for an owner no longer in the workspace.
    pub name: Option<String>,
    pub deals_won: i64,
    pub deals_lost: i64,
    pub value_won: MoneyFigure,
    pub win_rate: Option<f64>,
    pub average_cycle_days: Option<f64>,
    pub activities: i64,
}

#[derive(Clone, Debug)]
pub struct LeaderboardReport {
    /// Most deals won first, then most activities, then by name.
    pub entries: Vec<LeaderboardEntry>,
}

#[derive(Default)]
struct Tally {
    won: i64,
    lost: i64,
    cycle_seconds: i64,
    value_won: CurrencyAmounts,
    activities: i64,
}

impl Store {
    pub async fn leaderboard_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<LeaderboardReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let mut tallies: BTreeMap<UserId, Tally> = BTreeMap::new();
        for group in self.closed_groups(viewer, &filter, true).await? {
            let Some(owner_id) = group.owner_id else { continue };
            let tally = tallies.entry(owner_id).or_default();
            if group.won {
                tally.won += group.count;
                tally.cycle_seconds += group.cycle_seconds;
                tally.value_won.add(group.currency, group.amount_minor);
            } else {
                tally.lost += group.count;
            }
        }
        // Activities belong to people, not pipelines: the pipeline filter does not narrow them.
        let mut conditions = Conditions::new("a.workspace_id", workspace_id);
        // Someone who sees only their own deals sees only their own row.
        conditions.seen_deals(viewer, "a.owner_id");
        conditions.eq_opt("a.owner_id", filter.owner_id.map(|o| o.as_uuid())).during("a.created_at", &filter.period);
        let sql = format!(
            "SELECT a.owner_id AS owner_id, COUNT(*) AS activity_count FROM activities a WHERE {} GROUP BY a.owner_id",
            conditions.sql()
        );
        for row in self.report_rows(&sql, conditions.values()).await? {
            let owner_id: Uuid = row.try_get("", "owner_id")?;
            tallies.entry(owner_id.into()).or_default().activities = count_of(&row, "activity_count")?;
        }

        let names: BTreeMap<Uuid, String> = users::Entity::find()
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(users::Column::Id.is_in(tallies.keys().map(|id| id.as_uuid())))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let rates = self.rate_table(workspace_id, &filter.period).await?;
        let mut entries: Vec<LeaderboardEntry> = tallies
            .into_iter()
            .map(|(owner_id, t)| LeaderboardEntry {
                owner_id,
                name: names.get(&owner_id.as_uuid()).cloned(),
                deals_won: t.won,
                deals_lost: t.lost,
                win_rate: percent(t.won, t.won + t.lost),
                average_cycle_days: average_days(t.cycle_seconds, t.won),
                value_won: figure(&rates, t.value_won),
                activities: t.activities,
            })
            .collect();
        entries.sort_by(|a, b| (b.deals_won, b.activities, &a.name).cmp(&(a.deals_won, a.activities, &b.name)));
        Ok(LeaderboardReport { entries })
    }
}
