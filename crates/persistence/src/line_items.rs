//! A deal's line items: read, and replaced whole in one unit of work with the deal itself.
//!
//! Saving the lines resolves each against the catalogue (`LineDraft::resolve`), prices them by
//! the domain's one rule (`price_lines`), replaces the stored lines, records one audit entry
//! with the lines before and after, and saves the deal through its own transition
//! (`Deal::price_lines`): its version moves on, a deal whose amount follows its lines takes their
//! total, and the `deal.updated` event and the board's kept figures follow as for any deal write.

use std::collections::{HashMap, HashSet};

use kariz_domain::{Currency, DealId, LineAmounts, LineDraft, LineItem, ProductId, Quantity, Viewer, WorkspaceId, price_lines};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::deals::{deal_to_change, save};
use crate::entities::deal_line_items;
use crate::error::{StoreError, StoreResult};
use crate::line_item_rows::{line_rows, summary};
use crate::products::{facts, products_among};
use crate::records::DealRecord;
use crate::store::Store;

/// One stored line, with its figures as priced when it was saved.
#[derive(Clone, Debug)]
pub struct LineItemRecord {
    pub id: Uuid,
    pub product_id: Option<ProductId>,
    pub name: String,
    pub quantity: Quantity,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_rate_bp: i32,
    pub amounts: LineAmounts,
}

/// A deal's lines in order, their sums, and the deal they belong to.
#[derive(Clone, Debug)]
pub struct DealLines {
    pub deal: DealRecord,
    pub lines: Vec<LineItemRecord>,
    pub totals: LineAmounts,
}

fn line_record(row: &deal_line_items::Model) -> StoreResult<LineItemRecord> {
    Ok(LineItemRecord {
        id: row.id,
        product_id: row.product_id.map(Into::into),
        name: row.name.clone(),
        quantity: Quantity::from_thousandths(row.quantity_milli).map_err(|e| StoreError::corrupt("deal_line_items", e))?,
        unit_price_minor: row.unit_price_minor,
        discount_bp: row.discount_bp,
        tax_rate_bp: row.tax_rate_bp,
        amounts: LineAmounts {
            subtotal_minor: row.subtotal_minor,
            discount_minor: row.discount_minor,
            tax_minor: row.tax_minor,
            total_minor: row.total_minor,
        },
    })
}

fn totals_of(lines: &[LineItemRecord]) -> LineAmounts {
    lines.iter().fold(LineAmounts::default(), |sum, line| LineAmounts {
        subtotal_minor: sum.subtotal_minor + line.amounts.subtotal_minor,
        discount_minor: sum.discount_minor + line.amounts.discount_minor,
        tax_minor: sum.tax_minor + line.amounts.tax_minor,
        total_minor: sum.total_minor + line.amounts.total_minor,
    })
}

fn lines_of(deal: DealRecord, rows: &[deal_line_items::Model]) -> StoreResult<DealLines> {
    let lines = rows.iter().map(line_record).collect::<StoreResult<Vec<_>>>()?;
    let totals = totals_of(&lines);
    Ok(DealLines { deal, lines, totals })
}

/// What a line is priced from, to tell whether a saved list differs from the stored one.
fn priced_from(row: &deal_line_items::Model) -> (Option<Uuid>, &str, i64, i64, i32, i32) {
    (row.product_id, row.name.as_str(), row.quantity_milli, row.unit_price_minor, row.discount_bp, row.tax_rate_bp)
}

/// The audit form of the lines.
fn audited(rows: &[deal_line_items::Model]) -> Value {
    Value::Array(
        rows.iter()
            .map(|row| {
                json!({
                    "product_id": row.product_id, "name": row.name, "quantity_milli": row.quantity_milli,
                    "unit_price_minor": row.unit_price_minor, "discount_bp": row.discount_bp, "tax_rate_bp": row.tax_rate_bp,
                    "total_minor": row.total_minor,
                })
            })
            .collect(),
    )
}

/// Resolves the drafts against the catalogue and prices them, or names every field at fault
/// (`items.<index>.<field>`).
async fn resolved<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    currency: Currency,
    stored: &[deal_line_items::Model],
    drafts: Vec<LineDraft>,
) -> StoreResult<Vec<(LineItem, LineAmounts)>> {
    let named: Vec<Uuid> = drafts.iter().filter_map(|d| d.product_id.map(|id| id.as_uuid())).collect::<HashSet<_>>().into_iter().collect();
    let catalogue: HashMap<ProductId, kariz_domain::ProductFacts> =
        products_among(conn, workspace_id, &named).await?.iter().map(|row| facts(row).map(|f| (f.id, f))).collect::<StoreResult<_>>()?;
    let kept: HashSet<ProductId> = stored.iter().filter_map(|row| row.product_id.map(Into::into)).collect();
    let mut errors = Vec::new();
    let mut items = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.into_iter().enumerate() {
        let product = draft.product_id.and_then(|id| catalogue.get(&id));
        match draft.resolve(product, currency, &kept) {
            Ok(item) => items.push(item),
            Err(err) => errors.push((format!("items.{index}.{}", err.field()), err.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::InvalidFields(errors));
    }
    let (each, _) = price_lines(&items).map_err(|(index, err)| {
        let field = match index {
            Some(index) => format!("items.{index}.{}", err.field()),
            None => err.field().to_owned(),
        };
        StoreError::InvalidFields(vec![(field, err.to_string())])
    })?;
    Ok(items.into_iter().zip(each).collect())
}

impl Store {
    /// The lines of a deal the viewer sees, in order, with their sums.
    pub async fn deal_line_items(&self, viewer: &Viewer, deal_id: DealId) -> StoreResult<DealLines> {
        let deal = self.deal(viewer, deal_id).await?;
        let rows = line_rows(&self.db, viewer.workspace_id, deal_id).await?;
        lines_of(deal, &rows)
    }

    /// Replaces the deal's lines with `drafts`, at the version the caller read. A product line
    /// takes what it leaves out from the product, whose currency must be the deal's. Unchanged
    /// lines write nothing; changed ones move the deal's version on and announce `deal.updated`.
    pub async fn put_deal_line_items(
        &self,
        viewer: &Viewer,
        deal_id: DealId,
        expected_version: Option<i64>,
        drafts: Vec<LineDraft>,
    ) -> StoreResult<DealLines> {
        let mut work = self.begin().await?;
        let current = deal_to_change(&work, viewer, deal_id, expected_version).await?;
        let workspace_id = viewer.workspace_id;
        let stored = line_rows(work.conn(), workspace_id, deal_id).await?;
        let priced = resolved(work.conn(), workspace_id, current.deal.value().currency(), &stored, drafts).await?;
        let now = work.now();
        let rows: Vec<deal_line_items::Model> = priced
            .into_iter()
            .enumerate()
            .map(|(position, (item, amounts))| deal_line_items::Model {
                id: Uuid::now_v7(),
                workspace_id: workspace_id.as_uuid(),
                deal_id: deal_id.as_uuid(),
                position: position as i32,
                product_id: item.product_id.map(|id| id.as_uuid()),
                name: item.name.into_inner(),
                quantity_milli: item.quantity.thousandths(),
                unit_price_minor: item.unit_price.minor(),
                discount_bp: item.discount.get() as i32,
                tax_rate_bp: item.tax_rate.get() as i32,
                subtotal_minor: amounts.subtotal_minor,
                discount_minor: amounts.discount_minor,
                tax_minor: amounts.tax_minor,
                total_minor: amounts.total_minor,
                created_at: now,
            })
            .collect();
        let changed = rows.len() != stored.len() || rows.iter().zip(&stored).any(|(new, old)| priced_from(new) != priced_from(old));
        let mut deal = current.deal.clone();
        let Some(event) = deal.price_lines(summary(&stored), summary(&rows), changed)? else {
            return lines_of(current, &stored);
        };
        if changed {
            deal_line_items::Entity::delete_many()
                .filter(deal_line_items::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(deal_line_items::Column::DealId.eq(deal_id.as_uuid()))
                .exec(work.conn())
                .await?;
            if !rows.is_empty() {
                let active: Vec<deal_line_items::ActiveModel> = rows.iter().cloned().map(Into::into).collect();
                deal_line_items::Entity::insert_many(active).exec_without_returning(work.conn()).await?;
            }
            let entry = json!({"line_items": {"before": audited(&stored), "after": audited(&rows)}});
            work.audit(workspace_id, "deal.line_items_updated", Some(deal_id.as_uuid()), entry).await?;
        }
        let record = save(&mut work, "deal.updated", &current, deal, current.stage_probability, &[event]).await?;
        work.commit().await?;
        lines_of(record, &rows)
    }
}
