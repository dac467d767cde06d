//! Pre-invoices (quotes): made from a deal's lines, numbered without gaps, sent, answered,
//! expired, revised. Each change is one unit of work with its audit entry and `quote.*` event;
//! accepting may also win the deal in the same unit of work (a workspace setting).
//!
//! Whoever sees a deal sees its quotes; whoever may change the deal may quote it.

use std::collections::HashMap;

use chrono::NaiveDate;
use kariz_contract::events::{Event, QuoteEventData};
use kariz_contract::{DocumentLine, Party, QuoteResponse};
use kariz_domain::{DealId, DocumentKind, DocumentText, QuoteId, QuoteStatus, Viewer, WorkspaceId};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::deals::{deal_to_change, save};
use crate::documents::{
    BuyerDetails, days_after, from_json, lines_snapshot, next_number, numbering, settings_in, to_json, totals, workspace_clock,
};
use crate::entities::{deals, quotes};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::records::DealRecord;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::of_deals_seen;

/// What a new quote (or a revision) takes besides the deal's lines.
#[derive(Clone, Debug, Default)]
pub struct NewQuote {
    /// The workspace's validity (30 days by default) from today when omitted.
    pub valid_until: Option<NaiveDate>,
    pub notes: Option<DocumentText>,
    pub buyer: BuyerDetails,
}

/// A quote's email: to whom, in which language, with what words, carrying its PDF.
#[derive(Clone, Debug)]
pub struct QuoteEmail {
    pub to: kariz_domain::Email,
    pub locale: kariz_domain::TemplateLocale,
    pub message: Option<DocumentText>,
    pub file: crate::attachments::GeneratedFile,
}

#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    pub deal_id: Option<DealId>,
    pub status: Option<QuoteStatus>,
}

fn response(row: &quotes::Model, owner_id: Option<Uuid>) -> StoreResult<QuoteResponse> {
    Ok(QuoteResponse {
        id: row.id,
        deal_id: row.deal_id,
        owner_id,
        number: row.number.clone(),
        revision: row.revision,
        revision_of: row.revision_of,
        status: row.status.clone(),
        currency: row.currency.clone(),
        quote_date: row.quote_date,
        valid_until: row.valid_until,
        lines: from_json::<Vec<DocumentLine>>("quotes", &row.lines)?,
        subtotal_minor: row.subtotal_minor,
        discount_minor: row.discount_minor,
        tax_minor: row.tax_minor,
        total_minor: row.total_minor,
        buyer: from_json::<Party>("quotes", &row.buyer)?,
        notes: row.notes.clone(),
        created_by: row.created_by,
        sent_at: row.sent_at,
        answered_at: row.answered_at,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn status_of(row: &quotes::Model) -> StoreResult<QuoteStatus> {
    QuoteStatus::parse(&row.status).map_err(|e| StoreError::corrupt("quotes", e))
}

fn aggregate(row: &quotes::Model) -> Aggregate {
    Aggregate { workspace_id: row.workspace_id.into(), kind: "quote", id: row.id }
}

/// The owners of `deal_ids`, to answer who sees each document.
pub(crate) async fn deal_owners<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    deal_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, Uuid>> {
    if deal_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid)> = deals::Entity::find()
        .select_only()
        .column(deals::Column::Id)
        .column(deals::Column::OwnerId)
        .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(deals::Column::Id.is_in(deal_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// A quote of a deal the viewer sees; another is not found, exactly like a missing one.
async fn quote_row<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: QuoteId) -> StoreResult<(quotes::Model, Uuid)> {
    let row = quotes::Entity::find_by_id(id.as_uuid())
        .filter(quotes::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("quote"))?;
    let owner = deal_owners(conn, viewer.workspace_id, &[row.deal_id]).await?.get(&row.deal_id).copied();
    match owner {
        Some(owner) if viewer.sees_deal_of(owner.into()) => Ok((row, owner)),
        _ => Err(StoreError::NotFound("quote")),
    }
}

/// Emits `event` about `row` as it now is.
async fn announce(
    work: &mut UnitOfWork,
    row: &quotes::Model,
    owner: Uuid,
    event: fn(QuoteEventData) -> Event,
) -> StoreResult<QuoteResponse> {
    let quote = response(row, Some(owner))?;
    work.emit(aggregate(row), &event(QuoteEventData { quote: quote.clone() })).await?;
    Ok(quote)
}

/// Stores a new quote (revision 1, or the next revision of `previous`) of `deal` in `work`.
async fn insert_quote(
    work: &mut UnitOfWork,
    viewer: &Viewer,
    deal: &DealRecord,
    new: NewQuote,
    previous: Option<&quotes::Model>,
) -> StoreResult<quotes::Model> {
    let workspace_id = viewer.workspace_id;
    let deal_id = deal.deal.id();
    let settings = settings_in(work.conn(), workspace_id).await?;
    let clock = workspace_clock(work.conn(), workspace_id).await?;
    let today = clock.today(work.now());
    let valid_until = match new.valid_until {
        Some(day) if day < today => return Err(StoreError::invalid("valid_until", "must not be before today")),
        Some(day) => day,
        None => days_after(today, settings.quote_validity_days)?,
    };
    let lines = lines_snapshot(work.conn(), workspace_id, deal_id).await?;
    let numbering = numbering(&settings, clock, DocumentKind::Quote);
    let (period, sequence, revision) = match previous {
        Some(previous) => (previous.period.clone(), previous.sequence, previous.revision + 1),
        None => {
            let period = numbering.period(today);
            let sequence = next_number(work, workspace_id, DocumentKind::Quote, &period).await?;
            (period, sequence, 1)
        }
    };
    let buyer = crate::documents::buyer_of(work.conn(), deal, new.buyer).await?;
    let (subtotal_minor, discount_minor, tax_minor, total_minor) = totals(&lines);
    let now = work.now();
    let row = quotes::Model {
        id: Uuid::now_v7(),
        workspace_id: workspace_id.as_uuid(),
        deal_id: deal_id.as_uuid(),
        number: numbering.number(&period, sequence, revision),
        sequence,
        period,
        revision,
        revision_of: previous.map(|p| p.id),
        status: QuoteStatus::Draft.as_str().to_owned(),
        currency: deal.deal.value().currency().as_str().to_owned(),
        quote_date: today,
        valid_until,
        lines: to_json(&lines),
        subtotal_minor,
        discount_minor,
        tax_minor,
        total_minor,
        buyer: to_json(&buyer),
        notes: new.notes.map(DocumentText::into_inner),
        created_by: Some(viewer.user_id.as_uuid()),
        sent_at: None,
        answered_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    work.insert("quote.created", row).await
}

impl Store {
    /// The quotes of deals the viewer sees, newest first, a page at a time.
    pub async fn quotes(
        &self,
        viewer: &Viewer,
        filter: QuoteFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<QuoteResponse>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = quotes::Entity::find()
            .filter(quotes::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(of_deals_seen(viewer, quotes::Column::DealId));
        if let Some(deal_id) = filter.deal_id {
            query = query.filter(quotes::Column::DealId.eq(deal_id.as_uuid()));
        }
        if let Some(status) = filter.status {
            query = query.filter(quotes::Column::Status.eq(status.as_str()));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, "-created_at")?;
            query = query.filter(Condition::all().add(quotes::Column::Id.lt(last_id)));
        }
        let rows = query.order_by_desc(quotes::Column::Id).limit(limit + 1).all(&self.db).await?;
        let deal_ids: Vec<Uuid> = rows.iter().map(|row| row.deal_id).collect();
        let owners = deal_owners(&self.db, viewer.workspace_id, &deal_ids).await?;
        let items = rows.iter().map(|row| response(row, owners.get(&row.deal_id).copied())).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(items, limit, |last: &QuoteResponse| pagination::encode("-created_at", Value::Null, last.id)))
    }

    pub async fn quote(&self, viewer: &Viewer, id: QuoteId) -> StoreResult<QuoteResponse> {
        let (row, owner) = quote_row(&self.db, viewer, id).await?;
        response(&row, Some(owner))
    }

    /// Makes a draft quote of the deal's lines with the next number, announced by
    /// `quote.created`. A deal without lines is refused.
    pub async fn create_quote(&self, viewer: &Viewer, deal_id: DealId, new: NewQuote) -> StoreResult<QuoteResponse> {
        let mut work = self.begin().await?;
        let deal = deal_to_change(&work, viewer, deal_id, None).await?;
        let row = insert_quote(&mut work, viewer, &deal, new, None).await?;
        let quote = announce(&mut work, &row, deal.deal.owner_id().as_uuid(), Event::QuoteCreated).await?;
        work.commit().await?;
        Ok(quote)
    }

    /// Makes the next revision of a quote from the deal's lines as they now are: the same number
    /// with `-R<n>`. An open quote it follows is superseded (`quote.superseded`); a rejected or
    /// expired one keeps its answer. Only the latest revision is revised, and never an accepted one.
    pub async fn revise_quote(
        &self,
        viewer: &Viewer,
        id: QuoteId,
        expected_version: Option<i64>,
        new: NewQuote,
    ) -> StoreResult<QuoteResponse> {
        let mut work = self.begin().await?;
        let (current, _) = quote_row(work.conn(), viewer, id).await?;
        check_version("quote", expected_version, current.version)?;
        let later = quotes::Entity::find()
            .filter(quotes::Column::WorkspaceId.eq(current.workspace_id))
            .filter(quotes::Column::RevisionOf.eq(current.id))
            .one(work.conn())
            .await?;
        if later.is_some() {
            return Err(Conflict::NotLatestRevision { number: current.number.clone() }.into());
        }
        let status = status_of(&current)?.revise()?;
        let deal = deal_to_change(&work, viewer, DealId::from(current.deal_id), None).await?;
        let owner = deal.deal.owner_id().as_uuid();
        if status.as_str() != current.status {
            let after = quotes::Model { status: status.as_str().to_owned(), ..current.clone() };
            let after = work.update("quote.superseded", &current, after).await?;
            announce(&mut work, &after, owner, Event::QuoteSuperseded).await?;
        }
        let row = insert_quote(&mut work, viewer, &deal, new, Some(&current)).await?;
        let quote = announce(&mut work, &row, owner, Event::QuoteCreated).await?;
        work.commit().await?;
        Ok(quote)
    }

    /// Marks the quote sent (`quote.sent`).
    pub async fn send_quote(&self, viewer: &Viewer, id: QuoteId, expected_version: Option<i64>) -> StoreResult<QuoteResponse> {
        self.change_quote(viewer, id, expected_version, "quote.sent", Event::QuoteSent, |row, _, now| {
            let status = status_of(row)?.send()?;
            Ok(quotes::Model { status: status.as_str().to_owned(), sent_at: Some(now), ..row.clone() })
        })
        .await
    }

    /// Sends the quote by email with its PDF (`file`, kept with the deal as an attachment) to
    /// `to`, and marks it sent (`quote.sent`), in one unit of work: the email is queued with the
    /// change, so a committed send always goes out.
    pub async fn email_quote(
        &self,
        viewer: &Viewer,
        id: QuoteId,
        expected_version: Option<i64>,
        email: QuoteEmail,
    ) -> StoreResult<QuoteResponse> {
        let QuoteEmail { to, locale, message, file } = email;
        let mut work = self.begin().await?;
        let (current, owner) = quote_row(work.conn(), viewer, id).await?;
        check_version("quote", expected_version, current.version)?;
        let status = status_of(&current)?.send()?;
        let kept = crate::attachments::keep_generated(&mut work, file, current.deal_id, viewer.user_id.as_uuid()).await?;
        let rendered = quote_email(&current, locale, message.as_ref().map(DocumentText::as_str))?;
        let email = crate::emails::QueuedEmail {
            id: None,
            workspace_id: viewer.workspace_id,
            to,
            rendered,
            locale,
            deal_id: Some(current.deal_id),
            contact_id: None,
            lead_id: None,
            template_id: None,
            created_by: Some(viewer.user_id.as_uuid()),
            attachment_id: Some(kept.id),
        };
        crate::emails::queue_email(&mut work, email).await?;
        let after = quotes::Model { status: status.as_str().to_owned(), sent_at: Some(work.now()), ..current.clone() };
        let after = work.update("quote.sent", &current, after).await?;
        let quote = announce(&mut work, &after, owner, Event::QuoteSent).await?;
        work.commit().await?;
        Ok(quote)
    }

    /// The customer accepted the sent quote while valid (`quote.accepted`); with the workspace's
    /// `accept_wins_deal`, an open deal is won in the same change (`deal.won`).
    pub async fn accept_quote(&self, viewer: &Viewer, id: QuoteId, expected_version: Option<i64>) -> StoreResult<QuoteResponse> {
        let mut work = self.begin().await?;
        let (current, owner) = quote_row(work.conn(), viewer, id).await?;
        check_version("quote", expected_version, current.version)?;
        let today = workspace_clock(work.conn(), viewer.workspace_id).await?.today(work.now());
        let status = status_of(&current)?.accept(current.valid_until, today)?;
        let after = quotes::Model { status: status.as_str().to_owned(), answered_at: Some(work.now()), ..current.clone() };
        let after = work.update("quote.accepted", &current, after).await?;
        let quote = announce(&mut work, &after, owner, Event::QuoteAccepted).await?;
        if settings_in(work.conn(), viewer.workspace_id).await?.accept_wins_deal {
            let deal = deal_to_change(&work, viewer, DealId::from(current.deal_id), None).await?;
            if deal.deal.status().is_open() {
                let mut won = deal.deal.clone();
                let event = won.win(work.now())?;
                save(&mut work, "deal.won", &deal, won, deal.stage_probability, &[event]).await?;
            }
        }
        work.commit().await?;
        Ok(quote)
    }

    /// The customer rejected the sent quote (`quote.rejected`).
    pub async fn reject_quote(&self, viewer: &Viewer, id: QuoteId, expected_version: Option<i64>) -> StoreResult<QuoteResponse> {
        self.change_quote(viewer, id, expected_version, "quote.rejected", Event::QuoteRejected, |row, today, now| {
            let status = status_of(row)?.reject(row.valid_until, today)?;
            Ok(quotes::Model { status: status.as_str().to_owned(), answered_at: Some(now), ..row.clone() })
        })
        .await
    }

    async fn change_quote(
        &self,
        viewer: &Viewer,
        id: QuoteId,
        expected_version: Option<i64>,
        action: &'static str,
        event: fn(QuoteEventData) -> Event,
        change: impl FnOnce(&quotes::Model, NaiveDate, chrono::DateTime<chrono::Utc>) -> StoreResult<quotes::Model>,
    ) -> StoreResult<QuoteResponse> {
        let mut work = self.begin().await?;
        let (current, owner) = quote_row(work.conn(), viewer, id).await?;
        check_version("quote", expected_version, current.version)?;
        let today = workspace_clock(work.conn(), viewer.workspace_id).await?.today(work.now());
        let after = change(&current, today, work.now())?;
        let after = work.update(action, &current, after).await?;
        let quote = announce(&mut work, &after, owner, event).await?;
        work.commit().await?;
        Ok(quote)
    }

    /// Expires every draft or sent quote whose validity ended before today in its workspace's
    /// time zone, each with `quote.expired`; the maintenance pass runs it. Returns how many.
    pub async fn expire_quotes(&self) -> StoreResult<u64> {
        // A day past the latest "today" of any zone (UTC+14) bounds the candidates.
        let horizon = (self.now() + chrono::Duration::hours(14)).date_naive();
        let candidates = quotes::Entity::find()
            .filter(quotes::Column::Status.is_in([QuoteStatus::Draft.as_str(), QuoteStatus::Sent.as_str()]))
            .filter(quotes::Column::ValidUntil.lt(horizon))
            .order_by_asc(quotes::Column::ValidUntil)
            .limit(500)
            .all(&self.db)
            .await?;
        let mut expired = 0;
        for candidate in candidates {
            let mut work = self.begin().await?;
            let workspace_id = WorkspaceId::from(candidate.workspace_id);
            let Some(current) = quotes::Entity::find_by_id(candidate.id).one(work.conn()).await? else { continue };
            let today = workspace_clock(work.conn(), workspace_id).await?.today(work.now());
            let Some(status) = status_of(&current)?.expire(current.valid_until, today) else { continue };
            let owner =
                deal_owners(work.conn(), workspace_id, &[current.deal_id]).await?.get(&current.deal_id).copied().unwrap_or_default();
            let after = quotes::Model { status: status.as_str().to_owned(), ..current.clone() };
            let after = work.update("quote.expired", &current, after).await?;
            announce(&mut work, &after, owner, Event::QuoteExpired).await?;
            work.commit().await?;
            expired += 1;
        }
        Ok(expired)
    }
}

/// The email that carries a quote: its number, total and validity in the reader's language (in
/// Persian with Persian digits and the Jalali date), the sender's own words, and the PDF beside.
fn quote_email(
    row: &quotes::Model,
    locale: kariz_domain::TemplateLocale,
    message: Option<&str>,
) -> StoreResult<kariz_domain::RenderedEmail> {
    use kariz_domain::email::{format_date, format_money};
    let currency = kariz_domain::Currency::from_stored(&row.currency).map_err(|e| StoreError::corrupt("quotes", e))?;
    let total = kariz_domain::Money::new(row.total_minor, currency).map_err(|e| StoreError::corrupt("quotes", e))?;
    let (total, until) = (format_money(total, locale), format_date(row.valid_until, locale));
    let number = &row.number;
    let (subject, mut text) = match locale {
        kariz_domain::TemplateLocale::Fa => {
            (format!("پیش‌فاکتور {number}"), format!("با سلام،\n\nپیش‌فاکتور {number} به مبلغ {total} پیوست است؛ اعتبار آن تا {until} است."))
        }
        kariz_domain::TemplateLocale::En => {
            (format!("Quote {number}"), format!("Hello,\n\nPlease find attached quote {number} for {total}, valid until {until}."))
        }
    };
    if let Some(message) = message {
        text.push_str("\n\n");
        text.push_str(message);
    }
    Ok(kariz_domain::render_plain(&subject, &text, locale))
}

/// An accepted quote of a deal the viewer may change, for its invoice.
pub(crate) async fn accepted_quote(work: &UnitOfWork, viewer: &Viewer, id: QuoteId) -> StoreResult<quotes::Model> {
    let (row, _) = quote_row(work.conn(), viewer, id).await?;
    status_of(&row)?.check_invoiceable()?;
    Ok(row)
}
