//! The document as the template reads it: every value already a string in the locale's words,
//! digits and calendar, so that the template only places text. User text reaches the template
//! as data and is never read as markup.

use serde::Serialize;

use crate::RenderError;
use crate::document::{Document, DocumentLocale, LogoFormat, Party};
use crate::format::{self, Amounts};
use crate::labels::{self, Labels};

/// A label and its value.
type Pair = [String; 2];

#[derive(Serialize)]
pub(crate) struct Sheet {
    lang: &'static str,
    rtl: bool,
    /// The numbering pattern of page numbers: `1` or `۱`.
    numbering: &'static str,
    accent: String,
    /// The PDF's title and author.
    meta: Meta,
    title: &'static str,
    /// Number, date and due date.
    facts: Vec<Pair>,
    stamp: Option<SheetStamp>,
    /// The logo's format for the template's `image`, when there is one.
    logo: Option<&'static str>,
    seller: SheetParty,
    buyer: SheetParty,
    amounts_in: String,
    columns: [&'static str; 10],
    rows: Vec<[String; 10]>,
    totals: Vec<TotalRow>,
    /// An invoice's payments: the heading, the columns and a row per payment; none when unpaid.
    payments: Option<SheetPayments>,
    in_words: Pair,
    notes: Option<Pair>,
    terms: Option<Pair>,
    footer: Option<String>,
    signatures: [&'static str; 2],
    page: [&'static str; 2],
}

#[derive(Serialize)]
struct Meta {
    title: String,
    author: String,
}

#[derive(Serialize)]
struct SheetStamp {
    text: &'static str,
    ink: &'static str,
}

#[derive(Serialize)]
struct SheetParty {
    heading: &'static str,
    name: String,
    contact: Option<Pair>,
    /// Economic code, national id, registration number and postal code, written left to right
    /// even in Persian, as are the phone and the email.
    codes: Vec<Pair>,
    phone: Option<Pair>,
    email: Option<Pair>,
    address: Option<Pair>,
}

#[derive(Serialize)]
struct SheetPayments {
    heading: &'static str,
    columns: [&'static str; 4],
    rows: Vec<[String; 4]>,
}

#[derive(Serialize)]
struct TotalRow {
    label: &'static str,
    value: String,
    /// The total, set apart.
    strong: bool,
}

impl Sheet {
    pub(crate) fn new(document: &Document) -> Result<Sheet, RenderError> {
        let locale = document.locale;
        let labels = labels::labels(document.kind, locale);
        let amounts = Amounts::new(document.currency, locale, document.rial_display);
        let date = |day| format::date(day, document.calendar, locale).ok_or(RenderError::DateOutOfRange(day));

        let number = document.number.trim().to_owned();
        let mut facts = vec![[labels.number.to_owned(), number.clone()], [labels.issued_on.to_owned(), date(document.issued_on)?]];
        if let Some(due_on) = document.due_on {
            facts.push([labels.due_on.to_owned(), date(due_on)?]);
        }

        let rows = document
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                [
                    format::integer(i as u64 + 1, locale),
                    line.name.trim().to_owned(),
                    format::quantity(line.quantity, locale),
                    present(&line.unit).unwrap_or_default(),
                    amounts.figure(line.unit_price_minor),
                    amounts.figure(line.subtotal_minor),
                    amounts.figure(line.discount_minor),
                    amounts.figure(line.subtotal_minor.saturating_sub(line.discount_minor)),
                    amounts.figure(line.tax_minor),
                    amounts.figure(line.total_minor),
                ]
            })
            .collect();

        let seller = party(&document.seller, labels.seller, &labels, locale);
        Ok(Sheet {
            lang: match locale {
                DocumentLocale::En => "en",
                DocumentLocale::Fa => "fa",
            },
            rtl: locale == DocumentLocale::Fa,
            numbering: match locale {
                DocumentLocale::En => "1",
                DocumentLocale::Fa => "۱",
            },
            accent: document.template.accent.hex(),
            meta: Meta { title: format!("{} {number}", labels.title), author: seller.name.clone() },
            title: labels.title,
            facts,
            stamp: document.stamp.map(|stamp| {
                let (text, ink) = labels::stamp(stamp, locale);
                SheetStamp { text, ink }
            }),
            logo: document.template.logo.as_ref().map(|logo| match logo.format() {
                LogoFormat::Png => "png",
                LogoFormat::Jpeg => "jpg",
            }),
            seller,
            buyer: party(&document.buyer, labels.buyer, &labels, locale),
            amounts_in: format!("{} {}", labels.amounts_in, amounts.unit()),
            columns: labels.columns,
            rows,
            totals: totals(document, &amounts, &labels),
            payments: payments(document, &amounts, &labels)?,
            in_words: [labels.in_words.to_owned(), amounts.in_words(document.totals.total_minor)],
            notes: present(&document.notes).map(|notes| [labels.notes.to_owned(), notes]),
            terms: present(&document.template.terms).map(|terms| [labels.terms.to_owned(), terms]),
            footer: present(&document.template.footer),
            signatures: [labels.seller_signature, labels.buyer_signature],
            page: [labels.page, labels.page_of],
        })
    }

    pub(crate) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a sheet of strings serialises")
    }
}

/// The text, trimmed, unless it is blank.
fn present(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// A party's name, its contact when it is an organisation, its codes and phone (in the locale's
/// digits), email and address.
fn party(party: &Party, heading: &'static str, labels: &Labels, locale: DocumentLocale) -> SheetParty {
    let organization = present(&party.organization);
    let person = Some(party.name.trim().to_owned()).filter(|n| !n.is_empty());
    let (name, contact) = match organization {
        Some(organization) => (organization, person),
        None => (person.unwrap_or_default(), None),
    };
    let number = |value: &Option<String>| present(value).map(|v| format::localise_digits(&v, locale));
    let pair = |label: &str, value: Option<String>| value.map(|value| [label.to_owned(), value]);
    let codes = [
        (labels.economic_code, &party.economic_code),
        (labels.national_id, &party.national_id),
        (labels.registration_number, &party.registration_number),
        (labels.postal_code, &party.postal_code),
    ]
    .into_iter()
    .filter_map(|(label, value)| pair(label, number(value)))
    .collect();
    SheetParty {
        heading,
        name,
        contact: pair(labels.contact, contact),
        codes,
        phone: pair(labels.phone, number(&party.phone)),
        email: pair(labels.email, present(&party.email)),
        address: pair(labels.address, present(&party.address)),
    }
}

fn totals(document: &Document, amounts: &Amounts, labels: &Labels) -> Vec<TotalRow> {
    let totals = &document.totals;
    let row = |label, minor, strong| TotalRow { label, value: amounts.with_unit(minor), strong };
    let mut rows = vec![row(labels.subtotal, totals.subtotal_minor, false)];
    if totals.discount_minor != 0 {
        rows.push(row(labels.discount, totals.discount_minor, false));
        rows.push(row(labels.after_discount, totals.subtotal_minor.saturating_sub(totals.discount_minor), false));
    }
    rows.push(row(labels.tax, totals.tax_minor, false));
    rows.push(row(labels.total, totals.total_minor, true));
    if let Some(paid) = totals.paid_minor {
        rows.push(row(labels.paid, paid, false));
        rows.push(row(labels.balance_due, totals.total_minor.saturating_sub(paid), true));
    }
    rows
}

fn payments(document: &Document, amounts: &Amounts, labels: &Labels) -> Result<Option<SheetPayments>, RenderError> {
    if document.payments.is_empty() {
        return Ok(None);
    }
    let locale = document.locale;
    let rows = document
        .payments
        .iter()
        .map(|payment| {
            let day = format::date(payment.paid_on, document.calendar, locale).ok_or(RenderError::DateOutOfRange(payment.paid_on))?;
            let reference = present(&payment.reference).map(|r| format::localise_digits(&r, locale)).unwrap_or_default();
            Ok([day, labels::payment_method(payment.method, locale).to_owned(), reference, amounts.with_unit(payment.amount_minor)])
        })
        .collect::<Result<_, RenderError>>()?;
    Ok(Some(SheetPayments { heading: labels.payments, columns: labels.payment_columns, rows }))
}
