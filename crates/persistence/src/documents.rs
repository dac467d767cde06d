//! What quotes and invoices share: the workspace's document settings, their gapless numbers, the
//! snapshot of a deal's lines and of its buyer, and the workspace's "today".
//!
//! Numbers come from `document_counters` inside the unit of work that stores the document: the
//! counter row's update is held until commit, so concurrent documents take consecutive numbers in
//! turn, and a rolled-back document gives its number back.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_contract::{DocumentLine, Party};
use kariz_domain::{
    DealId, DocumentKind, DocumentPrefix, Numbering, PartyDetail, RialDisplay, TimeZone, WorkspaceId, dates::Calendar, dates::supported_day,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{
    contacts, deal_line_items, document_counters, document_settings, invoices, organizations, products, quotes, workspaces,
};
use crate::error::{StoreError, StoreResult};
use crate::line_item_rows::line_rows;
use crate::products::products_among;
use crate::records::DealRecord;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

/// A PNG or JPEG logo, at most this many bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// The workspace's settings for its documents; the defaults until an admin changes them.
#[derive(Clone, Debug)]
pub struct DocumentSettings {
    pub quote_prefix: DocumentPrefix,
    pub invoice_prefix: DocumentPrefix,
    pub yearly_reset: bool,
    pub quote_validity_days: u16,
    pub invoice_due_days: u16,
    /// Accepting a quote wins its deal (if still open).
    pub accept_wins_deal: bool,
    pub rial_display: RialDisplay,
    /// The seller, as documents name it.
    pub seller: Party,
    /// `#rrggbb`.
    pub accent_colour: String,
    pub footer: Option<String>,
    pub terms: Option<String>,
    /// `image/png` or `image/jpeg` when there is a logo.
    pub logo_type: Option<String>,
    /// 0 until the settings are first saved.
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A change of the settings; `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct DocumentSettingsPatch {
    pub quote_prefix: Option<DocumentPrefix>,
    pub invoice_prefix: Option<DocumentPrefix>,
    pub yearly_reset: Option<bool>,
    pub quote_validity_days: Option<u16>,
    pub invoice_due_days: Option<u16>,
    pub accept_wins_deal: Option<bool>,
    pub rial_display: Option<RialDisplay>,
    pub legal_name: Option<Option<PartyDetail>>,
    pub economic_code: Option<Option<PartyDetail>>,
    pub national_id: Option<Option<PartyDetail>>,
    pub registration_number: Option<Option<PartyDetail>>,
    pub postal_code: Option<Option<PartyDetail>>,
    pub address: Option<Option<PartyDetail>>,
    pub phone: Option<Option<PartyDetail>>,
    pub email: Option<Option<PartyDetail>>,
    pub accent_colour: Option<String>,
    pub footer: Option<Option<String>>,
    pub terms: Option<Option<String>>,
}

/// What a buyer's snapshot takes from the request over what the deal's contact and organization
/// give; `None` keeps theirs.
#[derive(Clone, Debug, Default)]
pub struct BuyerDetails {
    pub name: Option<PartyDetail>,
    pub economic_code: Option<PartyDetail>,
    pub national_id: Option<PartyDetail>,
    pub registration_number: Option<PartyDetail>,
    pub postal_code: Option<PartyDetail>,
    pub address: Option<PartyDetail>,
    pub phone: Option<PartyDetail>,
    pub email: Option<PartyDetail>,
}

fn defaults(workspace_id: Uuid) -> document_settings::Model {
    document_settings::Model {
        workspace_id,
        quote_prefix: "Q-".to_owned(),
        invoice_prefix: "INV-".to_owned(),
        yearly_reset: true,
        quote_validity_days: 30,
        invoice_due_days: 30,
        accept_wins_deal: false,
        rial_display: RialDisplay::Rial.as_str().to_owned(),
        legal_name: None,
        economic_code: None,
        national_id: None,
        registration_number: None,
        postal_code: None,
        address: None,
        phone: None,
        email: None,
        accent_colour: "#1f6feb".to_owned(),
        footer: None,
        terms: None,
        logo: None,
        logo_type: None,
        version: 0,
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
    }
}

fn settings_record(row: &document_settings::Model) -> StoreResult<DocumentSettings> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("document_settings", e);
    Ok(DocumentSettings {
        quote_prefix: DocumentPrefix::parse(&row.quote_prefix).map_err(|e| corrupt(&e))?,
        invoice_prefix: DocumentPrefix::parse(&row.invoice_prefix).map_err(|e| corrupt(&e))?,
        yearly_reset: row.yearly_reset,
        quote_validity_days: u16::try_from(row.quote_validity_days).map_err(|e| corrupt(&e))?,
        invoice_due_days: u16::try_from(row.invoice_due_days).map_err(|e| corrupt(&e))?,
        accept_wins_deal: row.accept_wins_deal,
        rial_display: RialDisplay::parse(&row.rial_display).map_err(|e| corrupt(&e))?,
        seller: Party {
            name: row.legal_name.clone(),
            organization: None,
            economic_code: row.economic_code.clone(),
            national_id: row.national_id.clone(),
            registration_number: row.registration_number.clone(),
            postal_code: row.postal_code.clone(),
            address: row.address.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
        },
        accent_colour: row.accent_colour.clone(),
        footer: row.footer.clone(),
        terms: row.terms.clone(),
        logo_type: row.logo_type.clone(),
        version: row.version,
        updated_at: (row.version > 0).then_some(row.updated_at),
    })
}

/// The workspace's settings row, or the defaults as an unsaved one (version 0).
pub(crate) async fn settings_row<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<document_settings::Model> {
    Ok(document_settings::Entity::find_by_id(workspace_id.as_uuid()).one(conn).await?.unwrap_or_else(|| defaults(workspace_id.as_uuid())))
}

pub(crate) async fn settings_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<DocumentSettings> {
    settings_record(&settings_row(conn, workspace_id).await?)
}

/// The workspace's calendar and time zone: which year numbers count in, and which day it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WorkspaceClock {
    pub calendar: Calendar,
    pub time_zone: TimeZone,
}

impl WorkspaceClock {
    pub(crate) fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.time_zone.date_at(now)
    }
}

pub(crate) async fn workspace_clock<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<WorkspaceClock> {
    let row = workspaces::Entity::find_by_id(workspace_id.as_uuid()).one(conn).await?.ok_or(StoreError::NotFound("workspace"))?;
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("workspaces", e);
    Ok(WorkspaceClock {
        calendar: Calendar::parse(&row.calendar).map_err(|e| corrupt(&e))?,
        time_zone: TimeZone::parse(&row.time_zone).map_err(|e| corrupt(&e))?,
    })
}

/// How the workspace numbers `kind`.
pub(crate) fn numbering(settings: &DocumentSettings, clock: WorkspaceClock, kind: DocumentKind) -> Numbering {
    let prefix = match kind {
        DocumentKind::Quote => settings.quote_prefix.clone(),
        DocumentKind::Invoice => settings.invoice_prefix.clone(),
    };
    Numbering { prefix, yearly_reset: settings.yearly_reset, calendar: clock.calendar }
}

/// Takes the next number of `kind` in `period` for the workspace, in `work`: the counter row is
/// created at 0 if missing, then incremented; its update holds the row until `work` ends, so
/// that a concurrent document waits and takes the number after.
pub(crate) async fn next_number(work: &UnitOfWork, workspace_id: WorkspaceId, kind: DocumentKind, period: &str) -> StoreResult<i64> {
    use document_counters::Column;
    let counter = document_counters::ActiveModel {
        workspace_id: Set(workspace_id.as_uuid()),
        kind: Set(kind.as_str().to_owned()),
        period: Set(period.to_owned()),
        last_number: Set(0),
    };
    document_counters::Entity::insert(counter)
        .on_conflict_do_nothing_on([Column::WorkspaceId, Column::Kind, Column::Period])
        .exec_without_returning(work.conn())
        .await?;
    let this = || {
        document_counters::Entity::update_many()
            .filter(Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(Column::Kind.eq(kind.as_str()))
            .filter(Column::Period.eq(period))
    };
    this().col_expr(Column::LastNumber, Expr::col(Column::LastNumber).add(1)).exec(work.conn()).await?;
    let row = document_counters::Entity::find()
        .filter(Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(Column::Kind.eq(kind.as_str()))
        .filter(Column::Period.eq(period))
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("document counter"))?;
    Ok(row.last_number)
}

/// The deal's lines as a document keeps them, with each product's unit; none is refused.
pub(crate) async fn lines_snapshot<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    deal_id: DealId,
) -> StoreResult<Vec<DocumentLine>> {
    let rows = line_rows(conn, workspace_id, deal_id).await?;
    if rows.is_empty() {
        return Err(kariz_domain::DocumentError::NoLines.into());
    }
    let ids: Vec<Uuid> = rows.iter().filter_map(|row| row.product_id).collect();
    let units: std::collections::HashMap<Uuid, Option<String>> =
        products_among(conn, workspace_id, &ids).await?.into_iter().map(|p: products::Model| (p.id, p.unit)).collect();
    Ok(rows.iter().map(|row| document_line(row, row.product_id.and_then(|id| units.get(&id).cloned().flatten()))).collect())
}

fn document_line(row: &deal_line_items::Model, unit: Option<String>) -> DocumentLine {
    DocumentLine {
        product_id: row.product_id,
        name: row.name.clone(),
        unit,
        quantity: kariz_domain::Quantity::from_thousandths(row.quantity_milli).map(|q| q.to_string()).unwrap_or_default(),
        unit_price_minor: row.unit_price_minor,
        discount_bp: row.discount_bp,
        tax_rate_bp: row.tax_rate_bp,
        subtotal_minor: row.subtotal_minor,
        discount_minor: row.discount_minor,
        tax_minor: row.tax_minor,
        total_minor: row.total_minor,
    }
}

/// The sums of a document's lines: subtotal, discount, tax, total.
pub(crate) fn totals(lines: &[DocumentLine]) -> (i64, i64, i64, i64) {
    lines.iter().fold((0, 0, 0, 0), |(s, d, t, total), line| {
        (s + line.subtotal_minor, d + line.discount_minor, t + line.tax_minor, total + line.total_minor)
    })
}

/// The buyer of the deal: its organization (or else its contact) by name, the contact as the
/// person, their phone, email and address, then what the request gives over them.
pub(crate) async fn buyer_of<C: ConnectionTrait>(conn: &C, deal: &DealRecord, given: BuyerDetails) -> StoreResult<Party> {
    let workspace_id = deal.deal.workspace_id().as_uuid();
    let contact = match deal.deal.contact_id() {
        Some(id) => contacts::Entity::find_by_id(id.as_uuid()).filter(contacts::Column::WorkspaceId.eq(workspace_id)).one(conn).await?,
        None => None,
    };
    let organization_id = deal.deal.organization_id().map(|id| id.as_uuid()).or(contact.as_ref().and_then(|c| c.organization_id));
    let organization = match organization_id {
        Some(id) => organizations::Entity::find_by_id(id).filter(organizations::Column::WorkspaceId.eq(workspace_id)).one(conn).await?,
        None => None,
    };
    let joined = |address: &Option<String>, city: &Option<String>| match (address, city) {
        (Some(address), Some(city)) => Some(format!("{address}, {city}")),
        (address, city) => address.clone().or(city.clone()),
    };
    let mut party = Party {
        name: organization.as_ref().map(|o| o.name.clone()).or(contact.as_ref().map(|c| c.name.clone())),
        organization: None,
        economic_code: None,
        national_id: None,
        registration_number: None,
        postal_code: None,
        address: organization
            .as_ref()
            .and_then(|o| joined(&o.address, &o.city))
            .or(contact.as_ref().and_then(|c| joined(&c.address, &c.city))),
        phone: organization.as_ref().and_then(|o| o.phone.clone()).or(contact.as_ref().and_then(|c| c.phone.clone())),
        email: contact.as_ref().and_then(|c| c.email.clone()),
    };
    // A person buying for a company: the company is the buyer, the person its contact.
    if organization.is_some() {
        party.organization = contact.as_ref().map(|c| c.name.clone());
    }
    Ok(with_details(party, given))
}

/// `party` with the details `given` over its own.
pub(crate) fn with_details(mut party: Party, given: BuyerDetails) -> Party {
    let set = |field: &mut Option<String>, value: Option<PartyDetail>| {
        if let Some(value) = value {
            *field = Some(value.into_inner());
        }
    };
    set(&mut party.name, given.name);
    set(&mut party.economic_code, given.economic_code);
    set(&mut party.national_id, given.national_id);
    set(&mut party.registration_number, given.registration_number);
    set(&mut party.postal_code, given.postal_code);
    set(&mut party.address, given.address);
    set(&mut party.phone, given.phone);
    set(&mut party.email, given.email);
    party
}

/// `today` plus `days`, within the supported range.
pub(crate) fn days_after(today: NaiveDate, days: u16) -> StoreResult<NaiveDate> {
    today
        .checked_add_days(chrono::Days::new(days.into()))
        .and_then(|day| supported_day(day).ok())
        .ok_or_else(|| StoreError::invalid("valid_until", "is beyond 9999-12-31"))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(table: &'static str, raw: &str) -> StoreResult<T> {
    serde_json::from_str(raw).map_err(|e| StoreError::corrupt(table, e))
}

/// How many quotes and invoices a deal has: a deal with any is never deleted.
pub(crate) async fn documents_of_deal<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, deal_id: DealId) -> StoreResult<u64> {
    let quotes = quotes::Entity::find()
        .filter(quotes::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(quotes::Column::DealId.eq(deal_id.as_uuid()))
        .count(conn)
        .await?;
    let invoices = invoices::Entity::find()
        .filter(invoices::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(invoices::Column::DealId.eq(deal_id.as_uuid()))
        .count(conn)
        .await?;
    Ok(quotes + invoices)
}

impl Store {
    /// The workspace's document settings (the defaults, at version 0, until first saved).
    pub async fn document_settings(&self, workspace_id: WorkspaceId) -> StoreResult<DocumentSettings> {
        settings_in(&self.db, workspace_id).await
    }

    /// Changes the document settings at the version the caller read (0 before the first save).
    pub async fn update_document_settings(
        &self,
        workspace_id: WorkspaceId,
        expected_version: Option<i64>,
        patch: DocumentSettingsPatch,
    ) -> StoreResult<DocumentSettings> {
        let mut work = self.begin().await?;
        let current = settings_row(work.conn(), workspace_id).await?;
        check_version("document settings", expected_version, current.version)?;
        let mut after = current.clone();
        let set = |field: &mut Option<String>, value: Option<Option<PartyDetail>>| {
            if let Some(value) = value {
                *field = value.map(PartyDetail::into_inner);
            }
        };
        if let Some(prefix) = patch.quote_prefix {
            after.quote_prefix = prefix.as_str().to_owned();
        }
        if let Some(prefix) = patch.invoice_prefix {
            after.invoice_prefix = prefix.as_str().to_owned();
        }
        after.yearly_reset = patch.yearly_reset.unwrap_or(after.yearly_reset);
        after.quote_validity_days = patch.quote_validity_days.map_or(after.quote_validity_days, i32::from);
        after.invoice_due_days = patch.invoice_due_days.map_or(after.invoice_due_days, i32::from);
        after.accept_wins_deal = patch.accept_wins_deal.unwrap_or(after.accept_wins_deal);
        if let Some(display) = patch.rial_display {
            after.rial_display = display.as_str().to_owned();
        }
        set(&mut after.legal_name, patch.legal_name);
        set(&mut after.economic_code, patch.economic_code);
        set(&mut after.national_id, patch.national_id);
        set(&mut after.registration_number, patch.registration_number);
        set(&mut after.postal_code, patch.postal_code);
        set(&mut after.address, patch.address);
        set(&mut after.phone, patch.phone);
        set(&mut after.email, patch.email);
        if let Some(colour) = patch.accent_colour {
            after.accent_colour = colour;
        }
        if let Some(footer) = patch.footer {
            after.footer = footer;
        }
        if let Some(terms) = patch.terms {
            after.terms = terms;
        }
        let saved = save_settings(&mut work, &current, after, "document_settings.updated").await?;
        work.commit().await?;
        settings_record(&saved)
    }

    /// Sets (or with `None` removes) the logo documents show; its bytes are audited as a size.
    pub async fn set_document_logo(
        &self,
        workspace_id: WorkspaceId,
        logo: Option<(Vec<u8>, &'static str)>,
    ) -> StoreResult<DocumentSettings> {
        let mut work = self.begin().await?;
        let current = settings_row(work.conn(), workspace_id).await?;
        let mut after = current.clone();
        (after.logo, after.logo_type) = match logo {
            Some((bytes, media_type)) => (Some(bytes), Some(media_type.to_owned())),
            None => (None, None),
        };
        let saved = save_settings(&mut work, &current, after, "document_settings.logo_changed").await?;
        work.commit().await?;
        settings_record(&saved)
    }

    /// The logo's bytes and media type, if there is one.
    pub async fn document_logo(&self, workspace_id: WorkspaceId) -> StoreResult<Option<(Vec<u8>, String)>> {
        let row = settings_row(&self.db, workspace_id).await?;
        Ok(row.logo.zip(row.logo_type))
    }
}

/// Writes the settings row at the next version: inserted the first time, else compared and
/// swapped on its version; audited with what changed (a logo as its size).
async fn save_settings(
    work: &mut UnitOfWork,
    current: &document_settings::Model,
    mut after: document_settings::Model,
    action: &'static str,
) -> StoreResult<document_settings::Model> {
    use document_settings::Column;
    after.version = current.version + 1;
    after.updated_at = work.now();
    let audited = |row: &document_settings::Model| {
        let mut fields = crate::audit::serialized(row);
        fields.insert("logo_bytes".to_owned(), row.logo.as_ref().map_or(0, Vec::len).into());
        fields
    };
    let changes = crate::audit::difference(&audited(current), &audited(&after));
    let active: document_settings::ActiveModel = after.clone().into();
    if current.version == 0 {
        document_settings::Entity::insert(active.reset_all()).exec_without_returning(work.conn()).await?;
    } else {
        let written = document_settings::Entity::update_many()
            .set(active.reset_all())
            .filter(Column::WorkspaceId.eq(current.workspace_id))
            .filter(Column::Version.eq(current.version))
            .exec(work.conn())
            .await?;
        if written.rows_affected != 1 {
            return Err(StoreError::StaleVersion { entity: "document settings", current: current.version + 1 });
        }
    }
    if !changes.is_empty() {
        work.audit(WorkspaceId::from(current.workspace_id), action, Some(current.workspace_id), serde_json::Value::Object(changes)).await?;
    }
    Ok(after)
}
