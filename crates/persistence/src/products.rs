//! The product catalogue: CRUD with compare-and-swap on `version`, a list with keyset
//! pagination, text and active filters. A SKU is unique in its workspace whatever its letter
//! case (`sku_key`, a unique index). A product on a deal's lines is never deleted: the delete is
//! refused (`Conflict::ProductInUse`) and the product can be archived instead (`active` false),
//! so that the lines — and later the documents made from them — keep it.

use chrono::{DateTime, Utc};
use kariz_contract::ProductResponse;
use kariz_contract::events::{Event, FieldChange, ProductEventData, ProductUpdatedData};
use kariz_domain::search::search_key;
use kariz_domain::{Currency, ProductFacts, ProductId, ProductName, ProductUnit, Sku, TaxRate, UnitPrice, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::{deal_line_items, products};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::search::key_holds;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

/// A product as stored.
#[derive(Clone, Debug)]
pub struct ProductRecord {
    pub id: ProductId,
    pub name: String,
    pub sku: String,
    pub unit: Option<String>,
    pub unit_price_minor: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new product, parsed.
#[derive(Clone, Debug)]
pub struct NewProduct {
    pub name: ProductName,
    pub sku: Sku,
    pub unit: Option<ProductUnit>,
    pub unit_price: UnitPrice,
    pub currency: Currency,
    pub tax_rate: TaxRate,
    pub active: bool,
}

/// A change of a product; `None` keeps a field, `Some(None)` clears the unit.
#[derive(Clone, Debug, Default)]
pub struct ProductPatch {
    pub name: Option<ProductName>,
    pub sku: Option<Sku>,
    pub unit: Option<Option<ProductUnit>>,
    pub unit_price: Option<UnitPrice>,
    pub currency: Option<Currency>,
    pub tax_rate: Option<TaxRate>,
    pub active: Option<bool>,
}

#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    /// Text in the name or the SKU (folded as every search is).
    pub text: Option<String>,
    pub active: Option<bool>,
}

fn record(row: products::Model) -> ProductRecord {
    ProductRecord {
        id: row.id.into(),
        name: row.name,
        sku: row.sku,
        unit: row.unit,
        unit_price_minor: row.unit_price_minor,
        currency: row.currency,
        tax_rate_bp: row.tax_rate_bp,
        active: row.active,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

impl From<&ProductRecord> for ProductResponse {
    fn from(r: &ProductRecord) -> Self {
        ProductResponse {
            id: r.id.as_uuid(),
            name: r.name.clone(),
            sku: r.sku.clone(),
            unit: r.unit.clone(),
            unit_price_minor: r.unit_price_minor,
            currency: r.currency.clone(),
            tax_rate_bp: r.tax_rate_bp,
            active: r.active,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A stored product as the pricing of a line sees it.
pub(crate) fn facts(row: &products::Model) -> StoreResult<ProductFacts> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("products", e);
    Ok(ProductFacts {
        id: row.id.into(),
        name: ProductName::parse(&row.name).map_err(|e| corrupt(&e))?,
        unit_price: UnitPrice::new(row.unit_price_minor).map_err(|e| corrupt(&e))?,
        currency: Currency::from_stored(&row.currency).map_err(|e| corrupt(&e))?,
        tax_rate: TaxRate::new(row.tax_rate_bp.into()).map_err(|e| corrupt(&e))?,
        active: row.active,
    })
}

/// The workspace's products among `ids`.
pub(crate) async fn products_among<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    ids: &[Uuid],
) -> StoreResult<Vec<products::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(products::Entity::find()
        .filter(products::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(products::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

async fn product_row<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: ProductId) -> StoreResult<products::Model> {
    products::Entity::find_by_id(id.as_uuid())
        .filter(products::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("product"))
}

/// Refuses a SKU another product of the workspace has (whatever its case).
async fn ensure_sku_free(work: &UnitOfWork, workspace_id: WorkspaceId, sku: &Sku, except: Option<Uuid>) -> StoreResult<()> {
    let mut query = products::Entity::find()
        .filter(products::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(products::Column::SkuKey.eq(sku.key()));
    if let Some(id) = except {
        query = query.filter(products::Column::Id.ne(id));
    }
    match query.one(work.conn()).await? {
        Some(other) => Err(Conflict::SkuTaken { sku: sku.as_str().to_owned(), id: other.id }.into()),
        None => Ok(()),
    }
}

fn search_text(name: &str, sku: &str) -> String {
    search_key([name, sku], None)
}

fn aggregate(workspace_id: WorkspaceId, id: Uuid) -> Aggregate {
    Aggregate { workspace_id, kind: "product", id }
}

/// Each field of the product's answer that differs between `before` and `after`.
fn changes(before: &ProductRecord, after: &ProductRecord) -> Vec<FieldChange> {
    let (Ok(Value::Object(before)), Ok(Value::Object(after))) =
        (serde_json::to_value(ProductResponse::from(before)), serde_json::to_value(ProductResponse::from(after)))
    else {
        return Vec::new();
    };
    after
        .iter()
        .filter(|(field, _)| !matches!(field.as_str(), "version" | "updated_at"))
        .filter(|(field, value)| before.get(*field) != Some(value))
        .map(|(field, value)| FieldChange {
            field: field.clone(),
            previous: before.get(field).cloned().unwrap_or(Value::Null),
            current: value.clone(),
        })
        .collect()
}

impl Store {
    /// The workspace's products, newest first, a page at a time.
    pub async fn products(
        &self,
        workspace_id: WorkspaceId,
        filter: ProductFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<ProductRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = products::Entity::find().filter(products::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            query = query.filter(key_holds(Expr::col((products::Entity, products::Column::SearchText)), text));
        }
        if let Some(active) = filter.active {
            query = query.filter(products::Column::Active.eq(active));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, "-created_at")?;
            query = query.filter(Condition::all().add(products::Column::Id.lt(last_id)));
        }
        let rows = query.order_by_desc(products::Column::Id).limit(limit + 1).all(&self.db).await?;
        let items = rows.into_iter().map(record).collect();
        Ok(Page::of(items, limit, |last: &ProductRecord| pagination::encode("-created_at", Value::Null, last.id.as_uuid())))
    }

    pub async fn product(&self, workspace_id: WorkspaceId, id: ProductId) -> StoreResult<ProductRecord> {
        Ok(record(product_row(&self.db, workspace_id, id).await?))
    }

    /// Adds a product with its `product.created` event.
    pub async fn create_product(&self, workspace_id: WorkspaceId, new: NewProduct) -> StoreResult<ProductRecord> {
        let mut work = self.begin().await?;
        let row = insert_product(&mut work, workspace_id, new).await?;
        work.commit().await?;
        Ok(row)
    }

    /// Changes a product at the version the caller read, with its `product.updated` event.
    pub async fn update_product(
        &self,
        workspace_id: WorkspaceId,
        id: ProductId,
        expected_version: Option<i64>,
        patch: ProductPatch,
    ) -> StoreResult<ProductRecord> {
        let mut work = self.begin().await?;
        let current = product_row(work.conn(), workspace_id, id).await?;
        check_version("product", expected_version, current.version)?;
        let record = change_product(&mut work, workspace_id, current, patch).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Deletes a product no deal's lines use, with its `product.deleted` event; one in use is
    /// refused (`Conflict::ProductInUse`): archive it instead.
    pub async fn delete_product(&self, workspace_id: WorkspaceId, id: ProductId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = product_row(work.conn(), workspace_id, id).await?;
        check_version("product", expected_version, current.version)?;
        let lines = deal_line_items::Entity::find()
            .filter(deal_line_items::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(deal_line_items::Column::ProductId.eq(current.id))
            .count(work.conn())
            .await?;
        if lines > 0 {
            return Err(Conflict::ProductInUse { lines }.into());
        }
        work.delete("product.deleted", &current).await?;
        let product = ProductResponse::from(&record(current.clone()));
        work.emit(aggregate(workspace_id, current.id), &Event::ProductDeleted(ProductEventData { product })).await?;
        work.commit().await
    }
}

/// Inserts a product in `work`, audited and announced.
pub(crate) async fn insert_product(work: &mut UnitOfWork, workspace_id: WorkspaceId, new: NewProduct) -> StoreResult<ProductRecord> {
    ensure_sku_free(work, workspace_id, &new.sku, None).await?;
    let now = work.now();
    let name = new.name.into_inner();
    let row = products::Model {
        id: Uuid::now_v7(),
        workspace_id: workspace_id.as_uuid(),
        search_text: search_text(&name, new.sku.as_str()),
        name,
        sku_key: new.sku.key(),
        sku: new.sku.as_str().to_owned(),
        unit: new.unit.map(ProductUnit::into_inner),
        unit_price_minor: new.unit_price.minor(),
        currency: new.currency.as_str().to_owned(),
        tax_rate_bp: new.tax_rate.get() as i32,
        active: new.active,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let row = work.insert("product.created", row).await?;
    let created = record(row);
    work.emit(aggregate(workspace_id, created.id.as_uuid()), &Event::ProductCreated(ProductEventData { product: (&created).into() }))
        .await?;
    Ok(created)
}

/// Applies `patch` to `current` in `work`, audited and announced; an unchanged product is
/// written nowhere.
pub(crate) async fn change_product(
    work: &mut UnitOfWork,
    workspace_id: WorkspaceId,
    current: products::Model,
    patch: ProductPatch,
) -> StoreResult<ProductRecord> {
    let mut after = current.clone();
    if let Some(sku) = patch.sku {
        if sku.key() != current.sku_key {
            ensure_sku_free(work, workspace_id, &sku, Some(current.id)).await?;
        }
        after.sku_key = sku.key();
        after.sku = sku.as_str().to_owned();
    }
    if let Some(name) = patch.name {
        after.name = name.into_inner();
    }
    if let Some(unit) = patch.unit {
        after.unit = unit.map(ProductUnit::into_inner);
    }
    if let Some(price) = patch.unit_price {
        after.unit_price_minor = price.minor();
    }
    if let Some(currency) = patch.currency {
        after.currency = currency.as_str().to_owned();
    }
    if let Some(rate) = patch.tax_rate {
        after.tax_rate_bp = rate.get() as i32;
    }
    if let Some(active) = patch.active {
        after.active = active;
    }
    after.search_text = search_text(&after.name, &after.sku);
    if after == current {
        return Ok(record(current));
    }
    let before = record(current.clone());
    let row = work.update("product.updated", &current, after).await?;
    let updated = record(row);
    let data = ProductUpdatedData { product: (&updated).into(), changes: changes(&before, &updated) };
    work.emit(aggregate(workspace_id, updated.id.as_uuid()), &Event::ProductUpdated(data)).await?;
    Ok(updated)
}

/// One parsed row of a product import: the product and its line in the file.
#[derive(Clone, Debug)]
pub struct ProductImportRow {
    pub line: u64,
    pub product: NewProduct,
}

impl Store {
    /// Writes one batch of imported rows in one unit of work: a row whose SKU the workspace has
    /// (whatever its case) changes that product to the row's values, any other adds one. Each is
    /// audited and announced as a single change would be (`product.created`, `product.updated`).
    pub async fn import_product_batch(
        &self,
        workspace_id: WorkspaceId,
        rows: Vec<ProductImportRow>,
    ) -> StoreResult<crate::import::BatchResult> {
        use crate::import::{BatchResult, RowOutcome};
        let mut result = BatchResult::default();
        let mut work = self.begin().await?;
        for row in rows {
            let existing = products::Entity::find()
                .filter(products::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(products::Column::SkuKey.eq(row.product.sku.key()))
                .one(work.conn())
                .await?;
            match existing {
                Some(current) => {
                    let new = row.product;
                    // The SKU matched whatever its case: the stored spelling stays.
                    let patch = ProductPatch {
                        name: Some(new.name),
                        sku: None,
                        unit: Some(new.unit),
                        unit_price: Some(new.unit_price),
                        currency: Some(new.currency),
                        tax_rate: Some(new.tax_rate),
                        active: Some(new.active),
                    };
                    let id = current.id;
                    change_product(&mut work, workspace_id, current, patch).await?;
                    result.outcomes.push((row.line, RowOutcome::Attached(id)));
                }
                None => {
                    let created = insert_product(&mut work, workspace_id, row.product).await?;
                    result.outcomes.push((row.line, RowOutcome::Created(created.id.as_uuid())));
                }
            }
        }
        work.audit(workspace_id, "product.imported", None, result.audit_summary()).await?;
        work.commit().await?;
        Ok(result)
    }
}
