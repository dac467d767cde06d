//! The product catalogue (`/products`: every member reads it, admins and managers change it)
//! and the line items of deals (`/deals/{id}/line-items`: whoever may change the deal).
//!
//! A quantity travels as a decimal string (`"1.5"`, at most three decimals) so that no client
//! has to put it through a float; it is kept as integer thousandths.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use kariz_contract::ProductResponse;
use kariz_domain::{BasisPoints, Currency, DealId, LineDraft, LineName, ProductId, ProductName, ProductUnit, Quantity, Sku, UnitPrice};
use kariz_persistence::line_items::{DealLines, LineItemRecord};
use kariz_persistence::products::{NewProduct, ProductFilter, ProductPatch, ProductRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, Caller};
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ProductList {
    /// Newest first.
    pub data: Vec<ProductResponse>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// Text in the name or SKU; case, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    /// `true`: only the products offered for new lines; `false`: only the archived ones.
    pub active: Option<bool>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProductRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "GPS tracker T4")]
    pub name: String,
    /// Letters, digits and `- _ . /`, up to 64; unique in the workspace whatever its case.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, example = "GPS-T4")]
    pub sku: String,
    /// What it is counted in (`pcs`, `hour`, `kg`), up to 20 characters.
    #[validate(length(min = 1, max = 20))]
    #[schema(min_length = 1, max_length = 20, example = "pcs")]
    pub unit: Option<String>,
    /// The price of one unit in minor units.
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64, example = 12_500_000)]
    pub unit_price_minor: i64,
    /// ISO 4217; the workspace's default currency when omitted.
    #[schema(example = "IRR")]
    pub currency: Option<String>,
    /// Tax (VAT) in basis points: 1000 is 10%; 0 when omitted.
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000, example = 1000)]
    pub tax_rate_bp: Option<i64>,
    /// `false` adds it archived; `true` when omitted.
    pub active: Option<bool>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProductRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub sku: Option<String>,
    /// `null` removes the unit.
    #[validate(length(min = 1, max = 20))]
    #[schema(min_length = 1, max_length = 20, value_type = Option<String>, nullable)]
    #[serde(default, deserialize_with = "double_option")]
    pub unit: Option<Option<String>>,
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64)]
    pub unit_price_minor: Option<i64>,
    pub currency: Option<String>,
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub tax_rate_bp: Option<i64>,
    /// `false` archives it: no new line offers it, the lines that have it keep it.
    pub active: Option<bool>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

fn product_response(status: StatusCode, record: &ProductRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(ProductResponse::from(record))
}

/// The workspace's products, newest first, a page at a time.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(ProductListQuery),
    responses((status = 200, description = "A page of products", body = ProductList), ReadErrors))]
#[get("/products")]
pub async fn list_products(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = ProductFilter { text: query.q.clone(), active: query.active };
    let page = state.store.products(auth.workspace_id, filter, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(ProductList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Add a product to the catalogue (admins and managers).
#[utoipa::path(tag = "products", security(("bearer" = [])), request_body = CreateProductRequest,
    responses((status = 201, description = "Created", body = ProductResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/products")]
pub async fn create_product(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateProductRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", ProductName::parse(&body.name));
    let sku = errors.check("sku", Sku::parse(&body.sku));
    let unit = errors.check_opt("unit", body.unit.as_deref().map(ProductUnit::parse));
    let price = errors.check("unit_price_minor", UnitPrice::new(body.unit_price_minor));
    let currency = errors.check_opt("currency", body.currency.as_deref().map(Currency::parse));
    let tax_rate = errors.check("tax_rate_bp", BasisPoints::new(body.tax_rate_bp.unwrap_or(0)));
    let (Some(name), Some(sku), Some(unit), Some(unit_price), Some(currency), Some(tax_rate)) =
        (name, sku, unit, price, currency, tax_rate)
    else {
        return Err(errors.into_error());
    };
    let currency = match currency {
        Some(currency) => currency,
        None => workspace_currency(&state, &auth).await?,
    };
    let new = NewProduct { name, sku, unit, unit_price, currency, tax_rate, active: body.active.unwrap_or(true) };
    let record = state.store.create_product(auth.workspace_id, new).await?;
    let mut response = product_response(StatusCode::CREATED, &record);
    if let Ok(location) = header::HeaderValue::from_str(&format!("/api/v1/products/{}", record.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The workspace's default currency, for a product that names none.
pub(crate) async fn workspace_currency(state: &AppState, auth: &AuthUser) -> Result<Currency, ApiError> {
    Ok(state.store.workspace(auth.workspace_id).await?.default_currency)
}

/// One product; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The product", body = ProductResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/products/{id}")]
pub async fn get_product(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.product(auth.workspace_id, ProductId::from(*id)).await?;
    Ok(product_response(StatusCode::OK, &record))
}

/// Change, archive (`active: false`) or restore a product (admins and managers), at the version
/// you read. The lines of deals keep the values they were priced with.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateProductRequest,
    responses((status = 200, description = "Updated", body = ProductResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/products/{id}")]
pub async fn update_product(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateProductRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(ProductName::parse));
    let sku = errors.check_opt("sku", body.sku.as_deref().map(Sku::parse));
    let unit = match body.unit {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(raw)) => errors.check("unit", ProductUnit::parse(&raw)).map(|unit| Some(Some(unit))),
    };
    let price = errors.check_opt("unit_price_minor", body.unit_price_minor.map(UnitPrice::new));
    let currency = errors.check_opt("currency", body.currency.as_deref().map(Currency::parse));
    let tax_rate = errors.check_opt("tax_rate_bp", body.tax_rate_bp.map(BasisPoints::new));
    let (Some(name), Some(sku), Some(unit), Some(unit_price), Some(currency), Some(tax_rate)) =
        (name, sku, unit, price, currency, tax_rate)
    else {
        return Err(errors.into_error());
    };
    let patch = ProductPatch { name, sku, unit, unit_price, currency, tax_rate, active: body.active };
    let record = state.store.update_product(auth.workspace_id, ProductId::from(*id), version, patch).await?;
    Ok(product_response(StatusCode::OK, &record))
}

/// Delete a product no deal's lines use (admins and managers); one in use is refused (409
/// `product_in_use`): archive it instead with `PATCH` `{"active": false}`. If-Match is honoured
/// when sent.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/products/{id}")]
pub async fn delete_product(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    state.store.delete_product(auth.workspace_id, ProductId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One line of a deal as it is sent: a catalogue product (`product_id`), whose name, unit price
/// and tax rate fill in what the line leaves out, or a free line with its own `name` and
/// `unit_price_minor`.
#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineItemRequest {
    /// A product of the catalogue, priced in the deal's currency; an archived one only on a line
    /// the deal already had.
    pub product_id: Option<Uuid>,
    /// The product's name when omitted; required on a free line.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "GPS tracker T4")]
    pub name: Option<String>,
    /// A decimal string with at most three decimals, above 0 (`"1"`, `"1.5"`, `"0.125"`); never a
    /// JSON number, so that no float is involved.
    #[validate(length(min = 1, max = 20))]
    #[schema(min_length = 1, max_length = 20, example = "3")]
    pub quantity: String,
    /// The product's price when omitted; required on a free line.
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64, example = 12_500_000)]
    pub unit_price_minor: Option<i64>,
    /// A discount in basis points (500 is 5%); none when omitted.
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000, example = 500)]
    pub discount_bp: Option<i64>,
    /// Tax in basis points (1000 is 10%); the product's when omitted, else 0.
    #[validate(range(min = 0, max = 10000))]
    #[schema(minimum = 0, maximum = 10000, example = 1000)]
    pub tax_rate_bp: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutLineItemsRequest {
    /// Every line of the deal, in order: they replace the stored ones; `[]` removes them all.
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub items: Vec<LineItemRequest>,
    /// The deal's version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

/// One line of a deal with its figures, each in minor units.
#[derive(Serialize, ToSchema)]
pub struct LineItemResponse {
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    #[schema(example = "GPS tracker T4")]
    pub name: String,
    /// A decimal string, at most three decimals.
    #[schema(example = "3")]
    pub quantity: String,
    #[schema(example = 12_500_000)]
    pub unit_price_minor: i64,
    #[schema(example = 500)]
    pub discount_bp: i32,
    #[schema(example = 1000)]
    pub tax_rate_bp: i32,
    /// round_half_up(quantity × unit_price_minor).
    #[schema(example = 37_500_000)]
    pub subtotal_minor: i64,
    /// round_half_up(subtotal × discount_bp / 10000).
    #[schema(example = 1_875_000)]
    pub discount_minor: i64,
    /// round_half_up((subtotal − discount) × tax_rate_bp / 10000).
    #[schema(example = 3_562_500)]
    pub tax_minor: i64,
    /// subtotal − discount + tax.
    #[schema(example = 39_187_500)]
    pub total_minor: i64,
}

/// The sums of a deal's lines, in the deal's currency.
#[derive(Serialize, ToSchema)]
pub struct LineTotals {
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    #[schema(example = "IRR")]
    pub currency: String,
}

/// A deal's lines and their totals.
#[derive(Serialize, ToSchema)]
pub struct LineItemsResponse {
    pub deal_id: Uuid,
    /// In the order they were sent.
    pub data: Vec<LineItemResponse>,
    pub totals: LineTotals,
    /// Whether the deal's amount is the lines' total.
    pub amount_from_lines: bool,
    /// The deal's amount now.
    pub amount_minor: i64,
    /// The deal's version (also the `ETag`): send it as `If-Match` to save the lines again.
    pub version: i64,
}

impl From<&LineItemRecord> for LineItemResponse {
    fn from(line: &LineItemRecord) -> Self {
        LineItemResponse {
            id: line.id,
            product_id: line.product_id.map(|id| id.as_uuid()),
            name: line.name.clone(),
            quantity: line.quantity.to_string(),
            unit_price_minor: line.unit_price_minor,
            discount_bp: line.discount_bp,
            tax_rate_bp: line.tax_rate_bp,
            subtotal_minor: line.amounts.subtotal_minor,
            discount_minor: line.amounts.discount_minor,
            tax_minor: line.amounts.tax_minor,
            total_minor: line.amounts.total_minor,
        }
    }
}

fn lines_response(lines: &DealLines) -> HttpResponse {
    let deal = &lines.deal.deal;
    let body = LineItemsResponse {
        deal_id: deal.id().as_uuid(),
        data: lines.lines.iter().map(Into::into).collect(),
        totals: LineTotals {
            subtotal_minor: lines.totals.subtotal_minor,
            discount_minor: lines.totals.discount_minor,
            tax_minor: lines.totals.tax_minor,
            total_minor: lines.totals.total_minor,
            currency: deal.value().currency().to_string(),
        },
        amount_from_lines: deal.amount_from_lines(),
        amount_minor: deal.value().amount_minor(),
        version: lines.deal.version,
    };
    HttpResponse::Ok().insert_header(etag(lines.deal.version)).json(body)
}

/// The lines of a deal you see, with their figures and totals.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The deal's lines", body = LineItemsResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/deals/{id}/line-items")]
pub async fn get_line_items(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let lines = state.store.deal_line_items(&auth, DealId::from(*id)).await?;
    Ok(lines_response(&lines))
}

/// Replace a deal's lines, at the deal's version you read (If-Match, or `version`). Each line is
/// priced by one rule, every step rounded half up to a whole minor unit: subtotal = quantity ×
/// unit price; discount = subtotal × discount_bp / 10000; tax = (subtotal − discount) ×
/// tax_rate_bp / 10000; total = subtotal − discount + tax. A figure above 10^15 is refused. A
/// change moves the deal's version on and sends `deal.updated` (`line_items` in its changes);
/// a deal with `amount_from_lines` takes the lines' total as its amount.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = PutLineItemsRequest,
    responses((status = 200, description = "The deal's lines as saved", body = LineItemsResponse, headers(("ETag" = String))), WriteErrors))]
#[put("/deals/{id}/line-items")]
pub async fn put_line_items(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<PutLineItemsRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let mut drafts = Vec::with_capacity(body.items.len());
    for (index, item) in body.items.iter().enumerate() {
        let field = |name: &str| format!("items.{index}.{name}");
        let name = errors.check_opt(&field("name"), item.name.as_deref().map(LineName::parse));
        let quantity = errors.check(&field("quantity"), Quantity::parse(&item.quantity));
        let unit_price = errors.check_opt(&field("unit_price_minor"), item.unit_price_minor.map(UnitPrice::new));
        let discount = errors.check_opt(&field("discount_bp"), item.discount_bp.map(BasisPoints::new));
        let tax_rate = errors.check_opt(&field("tax_rate_bp"), item.tax_rate_bp.map(BasisPoints::new));
        if let (Some(name), Some(quantity), Some(unit_price), Some(discount), Some(tax_rate)) =
            (name, quantity, unit_price, discount, tax_rate)
        {
            drafts.push(LineDraft {
                product_id: item.product_id.map(ProductId::from),
                name,
                quantity: Some(quantity),
                unit_price,
                discount,
                tax_rate,
            });
        }
    }
    errors.into_result()?;
    let lines = state.store.put_deal_line_items(&auth, DealId::from(*id), version, drafts).await?;
    Ok(lines_response(&lines))
}
