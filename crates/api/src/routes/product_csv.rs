//! The product catalogue from and to CSV, on the same streaming machinery as contacts: a row
//! whose SKU exists changes that product, any other adds one.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kariz_domain::{BasisPoints, Currency, ProductName, ProductUnit, Sku, UnitPrice};
use kariz_persistence::import::RowError;
use kariz_persistence::products::{NewProduct, ProductFilter, ProductImportRow, ProductRecord};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::csv_io::{self, ImportReport, RowParser};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::routes::products::ProductListQuery;
use crate::state::AppState;

/// The product fields a column can fill, in export order.
const FIELDS: [&str; 7] = ["name", "sku", "unit", "unit_price_minor", "currency", "tax_rate_bp", "active"];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductImportQuery {
    /// A JSON object from CSV header to product field (`name`, `sku`, `unit`, `unit_price_minor`,
    /// `currency` — the workspace's when blank —, `tax_rate_bp` — 0 when blank —, `active` —
    /// `true`/`false`, `yes`/`no`, `1`/`0`, true when blank). Headers named like a field map to it
    /// without one.
    pub mapping: Option<String>,
}

/// A whole number in ASCII, Persian or Arabic-Indic digits, grouping separators allowed.
fn whole_number(raw: &str) -> Result<i64, &'static str> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '_' | ' '))
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            c => c,
        })
        .collect();
    digits.parse::<i64>().map_err(|_| "must be a whole number")
}

fn flag(raw: &str) -> Result<bool, &'static str> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err("must be true or false"),
    }
}

fn parse_row(values: &HashMap<&str, &str>, line: u64, currency: Currency) -> Result<ProductImportRow, Vec<RowError>> {
    let mut e = FieldErrors::default();
    let get = |field: &str| values.get(field).copied();
    let name = e.check("name", ProductName::parse(get("name").unwrap_or_default()));
    let sku = e.check("sku", Sku::parse(get("sku").unwrap_or_default()));
    let unit = get("unit").map(|raw| e.check("unit", ProductUnit::parse(raw)));
    let price = e.check(
        "unit_price_minor",
        whole_number(get("unit_price_minor").unwrap_or("0")).and_then(|n| UnitPrice::new(n).map_err(|_| "is out of range")),
    );
    let currency = e.parse("currency", get("currency"), Currency::parse).or(get("currency").is_none().then_some(currency));
    let tax = e.check(
        "tax_rate_bp",
        whole_number(get("tax_rate_bp").unwrap_or("0")).and_then(|n| BasisPoints::new(n).map_err(|_| "must be 0 to 10000")),
    );
    let active = e.parse("active", get("active"), flag).or(get("active").is_none().then_some(true));
    match (name, sku, unit, price, currency, tax, active) {
        (Some(name), Some(sku), unit @ (None | Some(Some(_))), Some(unit_price), Some(currency), Some(tax_rate), Some(active)) => {
            Ok(ProductImportRow { line, product: NewProduct { name, sku, unit: unit.flatten(), unit_price, currency, tax_rate, active } })
        }
        _ => {
            let mut errors = Vec::new();
            csv_io::row_errors(e, line, &mut errors);
            Err(errors)
        }
    }
}

/// Import products from CSV (admins and managers; `Content-Type: text/csv`, UTF-8, a header row),
/// parsed as the upload arrives and written a thousand per transaction. A row whose SKU the
/// workspace has (whatever its case) changes that product to the row's values (`attached`), any
/// other adds one; each is audited and announced as a single change. Every row lands whole or
/// is listed with its line.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(ProductImportQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
    responses((status = 200, description = "The import report", body = ImportReport), WriteErrors))]
#[post("/products/import")]
pub async fn import_products(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ProductImportQuery>,
    payload: web::Payload,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let mapping = csv_io::parse_mapping(query.mapping.as_deref())?;
    let currency = crate::routes::products::workspace_currency(&state, &auth).await?;
    let parser = RowParser {
        fields: FIELDS.iter().map(|f| (*f).to_owned()).collect(),
        required: "sku",
        parse: Box::new(move |values, line| parse_row(values, line, currency)),
    };
    let store = &state.store;
    let workspace_id = auth.workspace_id;
    let report =
        csv_io::import(&req, payload, mapping, parser, |rows| async { Ok(store.import_product_batch(workspace_id, rows).await?) }).await?;
    Ok(HttpResponse::Ok().json(report))
}

fn product_line(p: &ProductRecord) -> web::Bytes {
    csv_io::line([
        p.id.to_string(),
        p.name.clone(),
        p.sku.clone(),
        p.unit.clone().unwrap_or_default(),
        p.unit_price_minor.to_string(),
        p.currency.clone(),
        p.tax_rate_bp.to_string(),
        p.active.to_string(),
        p.created_at.to_rfc3339(),
    ])
}

/// Export the products a list query selects (same filters as `GET /products`) as CSV, UTF-8 with
/// a byte-order mark; the header names are the ones the import accepts.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(ProductListQuery),
    responses((status = 200, description = "The products as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/products/export")]
pub async fn export_products(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let header = ["id"].iter().chain(FIELDS.iter()).chain(["created_at"].iter()).map(|s| (*s).to_owned()).collect();
    let filter = ProductFilter { text: query.q.clone(), active: query.active };
    let store = state.store.clone();
    let workspace_id = auth.workspace_id;
    Ok(csv_io::export("products.csv", header, move |cursor| {
        let (store, filter) = (store.clone(), filter.clone());
        async move {
            let page = store.products(workspace_id, filter, Some(200), cursor.as_deref()).await?;
            Ok((page.items.iter().flat_map(product_line).collect(), page.next_cursor))
        }
    }))
}
