//! A deal's stored line items as rows: what both the lines' own writes (`line_items.rs`) and a
//! deal's edit (`deals.rs`: an amount that follows its lines, a currency that lines fix) read.

use kariz_domain::{DealId, LinesSummary, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entities::deal_line_items;
use crate::error::StoreResult;

/// The deal's stored lines in order.
pub(crate) async fn line_rows<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    deal_id: DealId,
) -> StoreResult<Vec<deal_line_items::Model>> {
    Ok(deal_line_items::Entity::find()
        .filter(deal_line_items::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(deal_line_items::Column::DealId.eq(deal_id.as_uuid()))
        .order_by_asc(deal_line_items::Column::Position)
        .all(conn)
        .await?)
}

/// How many lines the deal has and their total, as stored.
pub(crate) async fn lines_summary<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, deal_id: DealId) -> StoreResult<LinesSummary> {
    let rows = line_rows(conn, workspace_id, deal_id).await?;
    Ok(summary(&rows))
}

/// Whether the deal has any line.
pub(crate) async fn has_lines<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, deal_id: DealId) -> StoreResult<bool> {
    let count = deal_line_items::Entity::find()
        .filter(deal_line_items::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(deal_line_items::Column::DealId.eq(deal_id.as_uuid()))
        .count(conn)
        .await?;
    Ok(count > 0)
}

pub(crate) fn summary(rows: &[deal_line_items::Model]) -> LinesSummary {
    LinesSummary { count: rows.len(), total_minor: rows.iter().map(|row| row.total_minor).sum() }
}
