//! The kanban board: every column of a pipeline with its count, totals and first cards, read
//! in a constant number of queries (pipeline, stages, one grouped aggregate, one select of
//! every column's first cards, one grouped read of their next activities with the viewer's time
//! zone, and the names of the people and companies on them) whatever the number of stages. The aggregate reads the figures the unit of work keeps (`rollups.rs`)
//! for the open deals, of every owner seen or of one; another status, a text or a tag filter
//! counts the matching deals instead.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kariz_domain::notification::{TimeZone, is_overdue};
use kariz_domain::search::normalize;
use kariz_domain::{ContactId, Currency, DealId, OrganizationId, PipelineId, Probability, UserId, Viewer};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Value};

use crate::deals::position_cursor;
use crate::entities::{activities, contacts, deals, organizations};
use crate::error::{StoreError, StoreResult};
use crate::records::{CurrencyTotal, DealRecord, PipelineRecord, StageRecord};
use crate::rows::deal_record;
use crate::rows::pipeline_in;
use crate::sql::{WEIGHTED_AMOUNT, exact_sum, split_sum, statement};
use crate::store::Store;
use crate::visibility::{activities_seen, contacts_seen, deals_seen_sql};

pub const DEFAULT_CARDS_PER_COLUMN: u64 = 50;
pub const MAX_CARDS_PER_COLUMN: u64 = 200;

#[derive(Clone, Debug, Default)]
pub struct BoardFilter {
    /// `None` shows every status; the board's default is open deals only.
    pub status: Option<&'static str>,
    pub owner_id: Option<UserId>,
    pub text: Option<String>,
    /// One tag, case-insensitive.
    pub tag: Option<String>,
}

#[derive(Clone, Debug)]
pub struct BoardColumn {
    pub stage: StageRecord,
    pub count: i64,
    /// Per currency, sorted by currency code.
    pub totals: Vec<CurrencyTotal>,
    /// The first cards in position order.
    pub deals: Vec<DealRecord>,
    /// Continue with `GET /deals?stage_id=…&sort=position&cursor=…` when more cards exist.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Board {
    pub pipeline: PipelineRecord,
    pub columns: Vec<BoardColumn>,
    /// The names of the people and companies the cards shown are with, sorted by id.
    pub contacts: Vec<(ContactId, String)>,
    pub organizations: Vec<(OrganizationId, String)>,
    /// The next activity of each card shown that has one.
    pub next_activities: HashMap<DealId, NextActivity>,
}

/// What a card shows of the deal's activities: the earliest due time of those not done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextActivity {
    pub due_at: DateTime<Utc>,
    /// Its due day has passed in the viewer's time zone (theirs, else the workspace's), as the
    /// agenda and the overdue reminder decide it (`notification::is_overdue`).
    pub overdue: bool,
}

/// The pipeline's rows of `table` (an alias with `workspace_id`, `pipeline_id` and `owner_id`)
/// of the owners the viewer sees, or of the one `owner_id` names, with the values.
fn pipeline_and_owners(viewer: &Viewer, pipeline_id: PipelineId, owner_id: Option<UserId>, table: &str) -> (String, Vec<Value>) {
    let mut sql = format!("{table}.workspace_id = ? AND {table}.pipeline_id = ?");
    let mut values: Vec<Value> = vec![viewer.workspace_id.as_uuid().into(), pipeline_id.as_uuid().into()];
    if let Some((seen, owner)) = deals_seen_sql(viewer, &format!("{table}.owner_id")) {
        sql.push_str(&format!(" AND {seen}"));
        values.push(owner);
    }
    if let Some(owner_id) = owner_id {
        sql.push_str(&format!(" AND {table}.owner_id = ?"));
        values.push(owner_id.as_uuid().into());
    }
    (sql, values)
}

/// The shared `WHERE` clause of both board queries and its values.
fn board_conditions(viewer: &Viewer, pipeline_id: PipelineId, filter: &BoardFilter) -> (String, Vec<Value>) {
    let (mut sql, mut values) = pipeline_and_owners(viewer, pipeline_id, filter.owner_id, "d");
    if let Some(status) = filter.status {
        sql.push_str(" AND d.status = ?");
        values.push(status.into());
    }
    let escaped = |text: &str| text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    // The title as the search key holds it (see `search::key_holds`): Arabic and Persian letter
    // forms, digits, case and punctuation folded on write.
    // Text without a letter or digit matches nothing, as in the lists.
    if let Some(text) = filter.text.as_deref().map(normalize).filter(|t| !t.is_empty()) {
        sql.push_str(" AND d.search_text LIKE ? ESCAPE '\\'");
        values.push(format!("%{}%", escaped(&text)).into());
    } else if filter.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        sql.push_str(" AND 1 = 0");
    }
    // The deal's tag rows, as the deals list reads them (`search::tagged`).
    if let Some(tag) = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        sql.push_str(" AND d.id IN (SELECT record_id FROM record_tags WHERE workspace_id = ? AND kind = 'deal' AND tag = ?)");
        values.push(viewer.workspace_id.as_uuid().into());
        values.push(tag.to_lowercase().into());
    }
    (sql, values)
}

/// The columns' figures from the kept ones (`rollups.rs`: the folded rows and the changes not
/// yet folded), summing the rows of the owners the viewer sees (or the one the filter names):
/// `None` for a filter they do not serve — another status than open, a text or a tag — which
/// the board counts from the deals instead.
fn kept_figures(viewer: &Viewer, pipeline_id: PipelineId, filter: &BoardFilter) -> Option<(String, Vec<Value>)> {
    let searched = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
    if filter.status != Some("open") || searched(&filter.text) || searched(&filter.tag) {
        return None;
    }
    let (conditions, mut values) = pipeline_and_owners(viewer, pipeline_id, filter.owner_id, "r");
    values.extend(values.clone());
    let columns = "r.stage_id, r.currency, r.deal_count, r.amount_high, r.amount_low, r.weighted_high, r.weighted_low";
    let sum = |column: &str| format!("CAST(SUM(r.{column}) AS BIGINT) AS {column}");
    let sql = format!(
        "SELECT r.stage_id AS stage_id, r.currency AS currency, {}, {}, {}, {}, {} FROM ( \
           SELECT {columns} FROM deal_rollups r WHERE {conditions} \
           UNION ALL SELECT {columns} FROM deal_rollup_deltas r WHERE {conditions}) r \
         GROUP BY r.stage_id, r.currency HAVING SUM(r.deal_count) > 0",
        sum("deal_count"),
        sum("amount_high"),
        sum("amount_low"),
        sum("weighted_high"),
        sum("weighted_low"),
    );
    Some((sql, values))
}

impl Store {
    pub async fn board(
        &self,
        viewer: &Viewer,
        pipeline_id: PipelineId,
        filter: BoardFilter,
        cards_per_column: Option<u64>,
    ) -> StoreResult<Board> {
        let per_column = cards_per_column.unwrap_or(DEFAULT_CARDS_PER_COLUMN).clamp(1, MAX_CARDS_PER_COLUMN);
        let pipeline = pipeline_in(&self.db, viewer.workspace_id, pipeline_id).await?;
        let backend = self.backend();
        let (conditions, values) = board_conditions(viewer, pipeline_id, &filter);

        let totals = match kept_figures(viewer, pipeline_id, &filter) {
            Some((sql, values)) => self.db.query_all_raw(statement(backend, &sql, values)).await?,
            None => {
                let sql = format!(
                    "SELECT d.stage_id AS stage_id, d.currency AS currency, COUNT(*) AS deal_count, {}, {} \
                     FROM deals d JOIN stages s ON s.id = d.stage_id WHERE {conditions} GROUP BY d.stage_id, d.currency",
                    split_sum("d.amount_minor", "amount"),
                    split_sum(WEIGHTED_AMOUNT, "weighted"),
                );
                self.db.query_all_raw(statement(backend, &sql, values.clone())).await?
            }
        };

        // One statement: for each column, its first cards straight from the (stage, status,
        // position) index. A window over the whole pipeline would read every deal instead.
        let mut card_values = Vec::new();
        let parts: Vec<String> = pipeline
            .stages
            .iter()
            .map(|stage| {
                card_values.extend(values.iter().cloned());
                card_values.push(stage.id.as_uuid().into());
                card_values.push(Value::from((per_column + 1) as i64));
                format!(
                    "SELECT * FROM (SELECT d.*, s.probability AS stage_probability FROM deals d \
                     JOIN stages s ON s.id = d.stage_id WHERE {conditions} AND d.stage_id = ? \
                     ORDER BY d.position, d.id LIMIT ?) column_{}",
                    stage.position
                )
            })
            .collect();
        let cards = if parts.is_empty() {
            Vec::new()
        } else {
            self.db.query_all_raw(statement(backend, &parts.join(" UNION ALL "), card_values)).await?
        };

        let mut columns: Vec<BoardColumn> = pipeline
            .stages
            .iter()
            .map(|stage| BoardColumn { stage: stage.clone(), count: 0, totals: Vec::new(), deals: Vec::new(), next_cursor: None })
            .collect();
        let column_of =
            |columns: &mut Vec<BoardColumn>, stage_id: uuid::Uuid| columns.iter().position(|c| c.stage.id.as_uuid() == stage_id);
        for row in totals {
            let stage_id: uuid::Uuid = row.try_get("", "stage_id")?;
            let Some(index) = column_of(&mut columns, stage_id) else { continue };
            let currency: String = row.try_get("", "currency")?;
            let column = &mut columns[index];
            column.count += row.try_get::<i64>("", "deal_count")?;
            column.totals.push(CurrencyTotal {
                currency: Currency::from_stored(&currency).map_err(|e| StoreError::corrupt("deals", e))?,
                amount_minor: exact_sum(&row, "amount")?,
                weighted_amount_minor: exact_sum(&row, "weighted")?,
            });
        }
        for row in cards {
            let model = deals::Model::from_query_result(&row, "")?;
            let stage_probability: i16 = row.try_get("", "stage_probability")?;
            let Some(index) = column_of(&mut columns, model.stage_id) else { continue };
            let probability = Probability::new(stage_probability.into()).map_err(|e| StoreError::corrupt("stages", e))?;
            columns[index].deals.push(deal_record(model, probability)?);
        }
        for column in &mut columns {
            column.totals.sort_by_key(|t| t.currency);
            // UNION ALL promises no order across its parts; order each column's cards here.
            column.deals.sort_by(|a, b| (a.deal.position(), a.deal.id()).cmp(&(b.deal.position(), b.deal.id())));
            if column.deals.len() as u64 > per_column {
                column.deals.truncate(per_column as usize);
                column.next_cursor = column.deals.last().map(position_cursor);
            }
        }
        let (contacts, organizations) = linked_names(&self.db, viewer, &columns).await?;
        let next_activities = next_activities(&self.db, viewer, self.now(), &columns).await?;
        Ok(Board { pipeline, columns, contacts, organizations, next_activities })
    }
}

/// The next activity of every card shown: one grouped read of the open activities of those
/// deals (the index `ix_activities_deal_open` serves each deal's minimum), then, only
/// when a card has one, the viewer's time zone for the overdue mark. Activities without a due
/// time, and those the viewer may not see, do not count.
async fn next_activities<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    now: DateTime<Utc>,
    columns: &[BoardColumn],
) -> StoreResult<HashMap<DealId, NextActivity>> {
    let deal_ids: Vec<uuid::Uuid> = columns.iter().flat_map(|c| &c.deals).map(|r| r.deal.id().as_uuid()).collect();
    if deal_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<uuid::Uuid>, Option<DateTime<Utc>>)> = activities::Entity::find()
        .select_only()
        .column(activities::Column::DealId)
        .column_as(activities::Column::DueAt.min(), "due_at")
        .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(activities::Column::DealId.is_in(deal_ids))
        .filter(activities::Column::DoneAt.is_null())
        .filter(activities_seen(viewer))
        .group_by(activities::Column::DealId)
        .into_tuple()
        .all(conn)
        .await?;
    let due: Vec<(DealId, DateTime<Utc>)> =
        rows.into_iter().filter_map(|(deal_id, due_at)| Some((DealId::from(deal_id?), due_at?))).collect();
    if due.is_empty() {
        return Ok(HashMap::new());
    }
    let user = viewer.user_id.as_uuid();
    let zone = crate::notifications::time_zones(conn, [user]).await?.remove(&user).unwrap_or(TimeZone::UTC);
    Ok(due.into_iter().map(|(deal_id, due_at)| (deal_id, NextActivity { due_at, overdue: is_overdue(zone, due_at, now) })).collect())
}

/// The names of the contacts and organizations the cards are linked to: two primary-key reads
/// for the whole board instead of one per card. A contact the viewer may not see keeps its id on
/// the card but not its name.
async fn linked_names<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    columns: &[BoardColumn],
) -> StoreResult<(Vec<(ContactId, String)>, Vec<(OrganizationId, String)>)> {
    let cards = columns.iter().flat_map(|c| &c.deals);
    let contact_ids: BTreeSet<uuid::Uuid> = cards.clone().filter_map(|r| r.deal.contact_id()).map(|id| id.as_uuid()).collect();
    let organization_ids: BTreeSet<uuid::Uuid> = cards.filter_map(|r| r.deal.organization_id()).map(|id| id.as_uuid()).collect();
    let mut contact_names = Vec::new();
    if !contact_ids.is_empty() {
        let rows: Vec<(uuid::Uuid, String)> = contacts::Entity::find()
            .select_only()
            .columns([contacts::Column::Id, contacts::Column::Name])
            .filter(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(contacts_seen(viewer))
            .filter(contacts::Column::Id.is_in(contact_ids))
            .order_by_asc(contacts::Column::Id)
            .into_tuple()
            .all(conn)
            .await?;
        contact_names = rows.into_iter().map(|(id, name)| (ContactId::from(id), name)).collect();
    }
    let mut organization_names = Vec::new();
    if !organization_ids.is_empty() {
        let rows: Vec<(uuid::Uuid, String)> = organizations::Entity::find()
            .select_only()
            .columns([organizations::Column::Id, organizations::Column::Name])
            .filter(organizations::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(organizations::Column::Id.is_in(organization_ids))
            .order_by_asc(organizations::Column::Id)
            .into_tuple()
            .all(conn)
            .await?;
        organization_names = rows.into_iter().map(|(id, name)| (OrganizationId::from(id), name)).collect();
    }
    Ok((contact_names, organization_names))
}
