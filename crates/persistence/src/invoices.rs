//! Invoices and their payments. A draft invoice is made from an accepted quote or from a deal's
//! lines; issuing gives it the next gapless number, today's date and the seller's details as they
//! are then; payments move it to partly paid and paid, never past its total; an unpaid issued
//! invoice may be voided and keeps its number; only a draft is ever deleted.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use kariz_contract::events::{Event, InvoiceEventData, PaymentRecordedData};
use kariz_contract::{DocumentLine, InvoiceResponse, Party, PaymentResponse};
use kariz_domain::{
    DealId, DocumentKind, DocumentText, InvoiceId, InvoiceStatus, PaymentAmount, PaymentMethod, PaymentReference, QuoteId, Viewer,
    WorkspaceId,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::deals::deal_to_change;
use crate::documents::{
    BuyerDetails, buyer_of, days_after, from_json, lines_snapshot, next_number, numbering, settings_in, to_json, totals, with_details,
    workspace_clock,
};
use crate::entities::{invoices, payments};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::quotes::{accepted_quote, deal_owners};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::of_deals_seen;

/// What a new draft invoice takes besides its lines.
#[derive(Clone, Debug, Default)]
pub struct NewInvoice {
    pub notes: Option<DocumentText>,
    /// Over the deal's buyer (an invoice from a quote starts from the quote's buyer).
    pub buyer: BuyerDetails,
}

#[derive(Clone, Debug, Default)]
pub struct InvoiceFilter {
    pub deal_id: Option<DealId>,
    pub status: Option<InvoiceStatus>,
}

/// A payment to record.
#[derive(Clone, Debug)]
pub struct NewPayment {
    pub amount: PaymentAmount,
    /// Now when omitted.
    pub paid_at: Option<DateTime<Utc>>,
    pub method: PaymentMethod,
    pub reference: Option<PaymentReference>,
}

fn payment_response(row: &payments::Model) -> PaymentResponse {
    PaymentResponse {
        id: row.id,
        invoice_id: row.invoice_id,
        amount_minor: row.amount_minor,
        paid_at: row.paid_at,
        method: row.method.clone(),
        reference: row.reference.clone(),
        recorded_by: row.recorded_by,
        created_at: row.created_at,
    }
}

fn response(row: &invoices::Model, owner_id: Option<Uuid>, payments: &[payments::Model]) -> StoreResult<InvoiceResponse> {
    Ok(InvoiceResponse {
        id: row.id,
        deal_id: row.deal_id,
        owner_id,
        quote_id: row.quote_id,
        number: row.number.clone(),
        status: row.status.clone(),
        currency: row.currency.clone(),
        issued_on: row.issued_on,
        due_on: row.due_on,
        lines: from_json::<Vec<DocumentLine>>("invoices", &row.lines)?,
        subtotal_minor: row.subtotal_minor,
        discount_minor: row.discount_minor,
        tax_minor: row.tax_minor,
        total_minor: row.total_minor,
        paid_minor: row.paid_minor,
        outstanding_minor: row.total_minor - row.paid_minor,
        buyer: from_json::<Party>("invoices", &row.buyer)?,
        seller: row.seller.as_deref().map(|raw| from_json::<Party>("invoices", raw)).transpose()?,
        notes: row.notes.clone(),
        created_by: row.created_by,
        voided_at: row.voided_at,
        payments: payments.iter().map(payment_response).collect(),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn status_of(row: &invoices::Model) -> StoreResult<InvoiceStatus> {
    InvoiceStatus::parse(&row.status).map_err(|e| StoreError::corrupt("invoices", e))
}

fn aggregate(row: &invoices::Model) -> Aggregate {
    Aggregate { workspace_id: row.workspace_id.into(), kind: "invoice", id: row.id }
}

/// The payments of `invoice_ids`, oldest first, by invoice.
async fn payments_of<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    invoice_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<payments::Model>>> {
    if invoice_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = payments::Entity::find()
        .filter(payments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(payments::Column::InvoiceId.is_in(invoice_ids.iter().copied()))
        .order_by_asc(payments::Column::PaidAt)
        .order_by_asc(payments::Column::Id)
        .all(conn)
        .await?;
    let mut by_invoice: HashMap<Uuid, Vec<payments::Model>> = HashMap::new();
    for row in rows {
        by_invoice.entry(row.invoice_id).or_default().push(row);
    }
    Ok(by_invoice)
}

/// An invoice of a deal the viewer sees, held for the rest of the unit of work when `work` is
/// given (payments on it then take turns); another is not found, exactly like a missing one.
async fn invoice_row<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: InvoiceId, hold: bool) -> StoreResult<(invoices::Model, Uuid)> {
    let mut query = invoices::Entity::find_by_id(id.as_uuid()).filter(invoices::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()));
    if hold {
        query = query.lock_exclusive();
    }
    let row = query.one(conn).await?.ok_or(StoreError::NotFound("invoice"))?;
    let owner = deal_owners(conn, viewer.workspace_id, &[row.deal_id]).await?.get(&row.deal_id).copied();
    match owner {
        Some(owner) if viewer.sees_deal_of(owner.into()) => Ok((row, owner)),
        _ => Err(StoreError::NotFound("invoice")),
    }
}

/// The invoice as it now is, with its payments, after emitting `event` about it.
async fn announce(
    work: &mut UnitOfWork,
    row: &invoices::Model,
    owner: Uuid,
    event: fn(InvoiceEventData) -> Event,
) -> StoreResult<InvoiceResponse> {
    let payments = payments_of(work.conn(), row.workspace_id.into(), &[row.id]).await?;
    let invoice = response(row, Some(owner), payments.get(&row.id).map_or(&[], Vec::as_slice))?;
    work.emit(aggregate(row), &event(InvoiceEventData { invoice: invoice.clone() })).await?;
    Ok(invoice)
}

/// A new draft of `lines` for `buyer`, stored in `work`.
#[allow(clippy::too_many_arguments)]
async fn insert_draft(
    work: &mut UnitOfWork,
    viewer: &Viewer,
    deal_id: Uuid,
    quote_id: Option<Uuid>,
    currency: String,
    lines: Vec<DocumentLine>,
    buyer: Party,
    notes: Option<DocumentText>,
) -> StoreResult<invoices::Model> {
    let (subtotal_minor, discount_minor, tax_minor, total_minor) = totals(&lines);
    let now = work.now();
    let row = invoices::Model {
        id: Uuid::now_v7(),
        workspace_id: viewer.workspace_id.as_uuid(),
        deal_id,
        quote_id,
        number: None,
        sequence: None,
        period: None,
        status: InvoiceStatus::Draft.as_str().to_owned(),
        currency,
        issued_on: None,
        due_on: None,
        lines: to_json(&lines),
        subtotal_minor,
        discount_minor,
        tax_minor,
        total_minor,
        paid_minor: 0,
        buyer: to_json(&buyer),
        seller: None,
        notes: notes.map(DocumentText::into_inner),
        created_by: Some(viewer.user_id.as_uuid()),
        voided_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    work.insert("invoice.created", row).await
}

impl Store {
    /// The invoices of deals the viewer sees, newest first, a page at a time.
    pub async fn invoices(
        &self,
        viewer: &Viewer,
        filter: InvoiceFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<InvoiceResponse>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = invoices::Entity::find()
            .filter(invoices::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(of_deals_seen(viewer, invoices::Column::DealId));
        if let Some(deal_id) = filter.deal_id {
            query = query.filter(invoices::Column::DealId.eq(deal_id.as_uuid()));
        }
        if let Some(status) = filter.status {
            query = query.filter(invoices::Column::Status.eq(status.as_str()));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, "-created_at")?;
            query = query.filter(Condition::all().add(invoices::Column::Id.lt(last_id)));
        }
        let rows = query.order_by_desc(invoices::Column::Id).limit(limit + 1).all(&self.db).await?;
        let deal_ids: Vec<Uuid> = rows.iter().map(|row| row.deal_id).collect();
        let owners = deal_owners(&self.db, viewer.workspace_id, &deal_ids).await?;
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let payments = payments_of(&self.db, viewer.workspace_id, &ids).await?;
        let items = rows
            .iter()
            .map(|row| response(row, owners.get(&row.deal_id).copied(), payments.get(&row.id).map_or(&[], Vec::as_slice)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(items, limit, |last: &InvoiceResponse| pagination::encode("-created_at", Value::Null, last.id)))
    }

    pub async fn invoice(&self, viewer: &Viewer, id: InvoiceId) -> StoreResult<InvoiceResponse> {
        let (row, owner) = invoice_row(&self.db, viewer, id, false).await?;
        let payments = payments_of(&self.db, viewer.workspace_id, &[row.id]).await?;
        response(&row, Some(owner), payments.get(&row.id).map_or(&[], Vec::as_slice))
    }

    /// A draft invoice of an accepted quote's lines and buyer (`invoice.created`); a quote already
    /// billed by an invoice that is not void is refused.
    pub async fn invoice_quote(&self, viewer: &Viewer, quote_id: QuoteId, new: NewInvoice) -> StoreResult<InvoiceResponse> {
        let mut work = self.begin().await?;
        let quote = accepted_quote(&work, viewer, quote_id).await?;
        deal_to_change(&work, viewer, DealId::from(quote.deal_id), None).await?;
        let billed = invoices::Entity::find()
            .filter(invoices::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(invoices::Column::QuoteId.eq(quote.id))
            .filter(invoices::Column::Status.ne(InvoiceStatus::Void.as_str()))
            .one(work.conn())
            .await?;
        if let Some(invoice) = billed {
            return Err(Conflict::QuoteInvoiced { number: quote.number, invoice_id: invoice.id }.into());
        }
        let lines: Vec<DocumentLine> = from_json("quotes", &quote.lines)?;
        let buyer = with_details(from_json("quotes", &quote.buyer)?, new.buyer);
        let row = insert_draft(&mut work, viewer, quote.deal_id, Some(quote.id), quote.currency.clone(), lines, buyer, new.notes).await?;
        let owner = deal_owners(work.conn(), viewer.workspace_id, &[quote.deal_id]).await?.get(&quote.deal_id).copied().unwrap_or_default();
        let invoice = announce(&mut work, &row, owner, Event::InvoiceCreated).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// A draft invoice of the deal's lines as they now are (`invoice.created`).
    pub async fn invoice_deal(&self, viewer: &Viewer, deal_id: DealId, new: NewInvoice) -> StoreResult<InvoiceResponse> {
        let mut work = self.begin().await?;
        let deal = deal_to_change(&work, viewer, deal_id, None).await?;
        let lines = lines_snapshot(work.conn(), viewer.workspace_id, deal_id).await?;
        let buyer = buyer_of(work.conn(), &deal, new.buyer).await?;
        let currency = deal.deal.value().currency().as_str().to_owned();
        let row = insert_draft(&mut work, viewer, deal_id.as_uuid(), None, currency, lines, buyer, new.notes).await?;
        let invoice = announce(&mut work, &row, deal.deal.owner_id().as_uuid(), Event::InvoiceCreated).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Issues a draft (`invoice.issued`): the next number of the year, dated today in the
    /// workspace's time zone, due on `due_on` (the workspace's terms from today when omitted), with
    /// the seller's details as they now are.
    pub async fn issue_invoice(
        &self,
        viewer: &Viewer,
        id: InvoiceId,
        expected_version: Option<i64>,
        due_on: Option<NaiveDate>,
    ) -> StoreResult<InvoiceResponse> {
        let mut work = self.begin().await?;
        let (current, owner) = invoice_row(work.conn(), viewer, id, true).await?;
        check_version("invoice", expected_version, current.version)?;
        let status = status_of(&current)?.issue()?;
        let settings = settings_in(work.conn(), viewer.workspace_id).await?;
        let clock = workspace_clock(work.conn(), viewer.workspace_id).await?;
        let today = clock.today(work.now());
        let due_on = match due_on {
            Some(day) if day < today => return Err(StoreError::invalid("due_on", "must not be before the issue date (today)")),
            Some(day) => day,
            None => days_after(today, settings.invoice_due_days)?,
        };
        let numbering = numbering(&settings, clock, DocumentKind::Invoice);
        let period = numbering.period(today);
        let sequence = next_number(&work, viewer.workspace_id, DocumentKind::Invoice, &period).await?;
        let after = invoices::Model {
            status: status.as_str().to_owned(),
            number: Some(numbering.number(&period, sequence, 1)),
            sequence: Some(sequence),
            period: Some(period),
            issued_on: Some(today),
            due_on: Some(due_on),
            seller: Some(to_json(&settings.seller)),
            ..current.clone()
        };
        let after = work.update("invoice.issued", &current, after).await?;
        let invoice = announce(&mut work, &after, owner, Event::InvoiceIssued).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Voids an issued invoice without payments (`invoice.voided`); it keeps its number.
    pub async fn void_invoice(&self, viewer: &Viewer, id: InvoiceId, expected_version: Option<i64>) -> StoreResult<InvoiceResponse> {
        let mut work = self.begin().await?;
        let (current, owner) = invoice_row(work.conn(), viewer, id, true).await?;
        check_version("invoice", expected_version, current.version)?;
        let status = status_of(&current)?.void(current.paid_minor)?;
        let after = invoices::Model { status: status.as_str().to_owned(), voided_at: Some(work.now()), ..current.clone() };
        let after = work.update("invoice.voided", &current, after).await?;
        let invoice = announce(&mut work, &after, owner, Event::InvoiceVoided).await?;
        work.commit().await?;
        Ok(invoice)
    }

    /// Deletes a draft (`invoice.deleted`); an issued invoice is refused: void it instead.
    pub async fn delete_invoice(&self, viewer: &Viewer, id: InvoiceId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let (current, owner) = invoice_row(work.conn(), viewer, id, true).await?;
        check_version("invoice", expected_version, current.version)?;
        status_of(&current)?.check_deletable()?;
        let invoice = response(&current, Some(owner), &[])?;
        work.delete("invoice.deleted", &current).await?;
        work.emit(aggregate(&current), &Event::InvoiceDeleted(InvoiceEventData { invoice })).await?;
        work.commit().await
    }

    /// Records a payment (`payment.recorded`, and `invoice.paid` when it settles the invoice).
    /// The invoice is held while the payment is checked against what is still owed, so that
    /// concurrent payments are judged one after the other and never exceed the total together.
    pub async fn record_payment(&self, viewer: &Viewer, id: InvoiceId, new: NewPayment) -> StoreResult<(InvoiceResponse, PaymentResponse)> {
        let mut work = self.begin().await?;
        let (current, owner) = invoice_row(work.conn(), viewer, id, true).await?;
        let (status, paid_minor) = status_of(&current)?.pay(current.total_minor, current.paid_minor, new.amount)?;
        let now = work.now();
        let payment = payments::Model {
            id: Uuid::now_v7(),
            workspace_id: viewer.workspace_id.as_uuid(),
            invoice_id: current.id,
            amount_minor: new.amount.minor(),
            paid_at: new.paid_at.unwrap_or(now),
            method: new.method.as_str().to_owned(),
            reference: new.reference.map(PaymentReference::into_inner),
            recorded_by: Some(viewer.user_id.as_uuid()),
            created_at: now,
        };
        let payment = work.insert("payment.recorded", payment).await?;
        let after = invoices::Model { status: status.as_str().to_owned(), paid_minor, ..current.clone() };
        let after = work.update("invoice.paid_changed", &current, after).await?;
        let payments = payments_of(work.conn(), viewer.workspace_id, &[after.id]).await?;
        let invoice = response(&after, Some(owner), payments.get(&after.id).map_or(&[], Vec::as_slice))?;
        let payment = payment_response(&payment);
        work.emit(aggregate(&after), &Event::PaymentRecorded(PaymentRecordedData { payment: payment.clone(), invoice: invoice.clone() }))
            .await?;
        if status == InvoiceStatus::Paid {
            work.emit(aggregate(&after), &Event::InvoicePaid(InvoiceEventData { invoice: invoice.clone() })).await?;
        }
        work.commit().await?;
        Ok((invoice, payment))
    }
}
