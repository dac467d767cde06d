//! Pre-invoices (quotes) and invoices: their statuses and the transitions between them, their
//! numbers, and payments.
//!
//! A quote's number is given when it is made and a quote is never deleted, so quote numbers have
//! no gaps. An invoice is numbered when it is issued: a draft can still be deleted, an issued one
//! only voided, and a voided invoice keeps its number. Both count per workspace, per kind and, if
//! the workspace resets yearly, per year of its calendar (the Jalali year for a Jalali workspace).

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use crate::dates::{Calendar, jalali};
use crate::product::MAX_LINE_AMOUNT;
use crate::text::bounded_text;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// What a numbered document is.
    DocumentKind {
        Quote => "quote",
        Invoice => "invoice",
    }
);

vocabulary!(
    /// Where a quote stands: made (`draft`), sent to the customer, answered, past its validity, or
    /// replaced by a newer revision.
    QuoteStatus {
        Draft => "draft",
        Sent => "sent",
        Accepted => "accepted",
        Rejected => "rejected",
        Expired => "expired",
        Superseded => "superseded",
    }
);

vocabulary!(
    /// Where an invoice stands. `void` is final; an issued invoice is never deleted.
    InvoiceStatus {
        Draft => "draft",
        Issued => "issued",
        PartiallyPaid => "partially_paid",
        Paid => "paid",
        Void => "void",
    }
);

vocabulary!(
    /// How a payment was made.
    PaymentMethod {
        Cash => "cash",
        Card => "card",
        BankTransfer => "bank_transfer",
        Cheque => "cheque",
        Other => "other",
    }
);

vocabulary!(
    /// How Iranian rial amounts are shown on documents: as rials, or as tomans (ten rials).
    RialDisplay {
        Rial => "rial",
        Toman => "toman",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    #[error("a {status} quote cannot be {action}")]
    QuoteStatus { status: QuoteStatus, action: &'static str },
    #[error("the quote was valid until {valid_until}")]
    QuoteExpired { valid_until: NaiveDate },
    #[error("an invoice that is {status} cannot be {action}")]
    InvoiceStatus { status: InvoiceStatus, action: &'static str },
    #[error("the payment is more than the {outstanding_minor} still owed")]
    Overpayment { outstanding_minor: i64 },
    #[error("an invoice with payments cannot be voided")]
    InvoiceHasPayments,
    #[error("a document needs at least one line")]
    NoLines,
}

impl QuoteStatus {
    /// Draft → sent. Sending a sent quote again is allowed (a reminder to the customer).
    pub fn send(self) -> Result<QuoteStatus, DocumentError> {
        match self {
            QuoteStatus::Draft | QuoteStatus::Sent => Ok(QuoteStatus::Sent),
            status => Err(DocumentError::QuoteStatus { status, action: "sent" }),
        }
    }

    /// Sent → accepted, while the quote is valid on `today`.
    pub fn accept(self, valid_until: NaiveDate, today: NaiveDate) -> Result<QuoteStatus, DocumentError> {
        self.answer(valid_until, today, QuoteStatus::Accepted, "accepted")
    }

    /// Sent → rejected.
    pub fn reject(self, valid_until: NaiveDate, today: NaiveDate) -> Result<QuoteStatus, DocumentError> {
        self.answer(valid_until, today, QuoteStatus::Rejected, "rejected")
    }

    fn answer(self, valid_until: NaiveDate, today: NaiveDate, to: QuoteStatus, action: &'static str) -> Result<QuoteStatus, DocumentError> {
        if self != QuoteStatus::Sent {
            return Err(DocumentError::QuoteStatus { status: self, action });
        }
        if today > valid_until {
            return Err(DocumentError::QuoteExpired { valid_until });
        }
        Ok(to)
    }

    /// Draft or sent → expired once `today` is past `valid_until`; `None` when nothing changes.
    pub fn expire(self, valid_until: NaiveDate, today: NaiveDate) -> Option<QuoteStatus> {
        (self.is_open() && today > valid_until).then_some(QuoteStatus::Expired)
    }

    /// Whether the customer may still answer it.
    pub fn is_open(self) -> bool {
        matches!(self, QuoteStatus::Draft | QuoteStatus::Sent)
    }

    /// A new revision may follow any quote but an accepted or already superseded one; the quote it
    /// follows is superseded if still open, and keeps its answer otherwise.
    pub fn revise(self) -> Result<QuoteStatus, DocumentError> {
        match self {
            QuoteStatus::Accepted | QuoteStatus::Superseded => Err(DocumentError::QuoteStatus { status: self, action: "revised" }),
            status if status.is_open() => Ok(QuoteStatus::Superseded),
            status => Ok(status),
        }
    }

    /// Only an accepted quote becomes an invoice.
    pub fn check_invoiceable(self) -> Result<(), DocumentError> {
        match self {
            QuoteStatus::Accepted => Ok(()),
            status => Err(DocumentError::QuoteStatus { status, action: "invoiced" }),
        }
    }
}

impl InvoiceStatus {
    /// Draft → issued.
    pub fn issue(self) -> Result<InvoiceStatus, DocumentError> {
        match self {
            InvoiceStatus::Draft => Ok(InvoiceStatus::Issued),
            status => Err(DocumentError::InvoiceStatus { status, action: "issued" }),
        }
    }

    /// A payment of `amount` on an invoice of `total` of which `paid` is paid: the status and the
    /// paid sum after it. Only an issued, partly paid invoice takes payments, and never more than
    /// is owed.
    pub fn pay(self, total_minor: i64, paid_minor: i64, amount: PaymentAmount) -> Result<(InvoiceStatus, i64), DocumentError> {
        if !matches!(self, InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid) {
            return Err(DocumentError::InvoiceStatus { status: self, action: "paid" });
        }
        let outstanding_minor = total_minor - paid_minor;
        if amount.minor() > outstanding_minor {
            return Err(DocumentError::Overpayment { outstanding_minor });
        }
        let paid = paid_minor + amount.minor();
        Ok((if paid == total_minor { InvoiceStatus::Paid } else { InvoiceStatus::PartiallyPaid }, paid))
    }

    /// Issued → void, keeping the number; an invoice with payments is refused, a draft is
    /// deleted instead.
    pub fn void(self, paid_minor: i64) -> Result<InvoiceStatus, DocumentError> {
        match self {
            InvoiceStatus::Issued if paid_minor == 0 => Ok(InvoiceStatus::Void),
            InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid => Err(DocumentError::InvoiceHasPayments),
            status => Err(DocumentError::InvoiceStatus { status, action: "voided" }),
        }
    }

    /// Only a draft, which has no number yet, may be deleted.
    pub fn check_deletable(self) -> Result<(), DocumentError> {
        match self {
            InvoiceStatus::Draft => Ok(()),
            status => Err(DocumentError::InvoiceStatus { status, action: "deleted" }),
        }
    }

    /// Whether the invoice counts as billed (revenue reports): issued and not voided.
    pub fn is_billed(self) -> bool {
        matches!(self, InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid)
    }
}

/// A payment in minor units: above zero, at most [`MAX_LINE_AMOUNT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentAmount(i64);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("must be above 0 and at most 10^15")]
pub struct AmountOutOfRange;

impl PaymentAmount {
    pub fn new(minor: i64) -> Result<PaymentAmount, AmountOutOfRange> {
        if (1..=MAX_LINE_AMOUNT).contains(&minor) { Ok(PaymentAmount(minor)) } else { Err(AmountOutOfRange) }
    }

    pub fn minor(self) -> i64 {
        self.0
    }
}

bounded_text!(
    /// A payment's reference: a transfer's tracking code, a cheque's number.
    PaymentReference,
    200
);

bounded_text!(
    /// Free text on a document (notes, terms, a footer).
    DocumentText,
    2000
);

bounded_text!(
    /// One of the seller's or buyer's details on a document (legal name, economic code, address…).
    PartyDetail,
    300
);

/// What a workspace puts before its document numbers: 1 to 12 letters, digits, `-`, `_` or `/`
/// (`Q-`, `INV/`, `پ-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentPrefix(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("must be 1 to 12 letters, digits, '-', '_' or '/'")]
pub struct InvalidPrefix;

impl DocumentPrefix {
    pub fn parse(raw: &str) -> Result<DocumentPrefix, InvalidPrefix> {
        let raw = raw.trim();
        let count = raw.chars().count();
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '/');
        if (1..=12).contains(&count) && raw.chars().all(allowed) { Ok(DocumentPrefix(raw.to_owned())) } else { Err(InvalidPrefix) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a workspace numbers one kind of document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbering {
    pub prefix: DocumentPrefix,
    /// Counting starts again at 1 each year of the workspace's calendar, and the year is part of
    /// the number.
    pub yearly_reset: bool,
    pub calendar: Calendar,
}

impl Numbering {
    /// The counter a document made on `day` draws from: its year, or `""` when numbers never reset.
    pub fn period(&self, day: NaiveDate) -> String {
        if !self.yearly_reset {
            return String::new();
        }
        match self.calendar {
            Calendar::Gregorian => day.year().to_string(),
            Calendar::Jalali => jalali(day).year().to_string(),
        }
    }

    /// The number of the `sequence`th document of `period`: `Q-1405-0007`, or `Q-0007` without a
    /// yearly reset; a quote's later revision adds `-R2`, `-R3`….
    pub fn number(&self, period: &str, sequence: i64, revision: i32) -> String {
        let mut number = match period {
            "" => format!("{}{sequence:04}", self.prefix.as_str()),
            year => format!("{}{year}-{sequence:04}", self.prefix.as_str()),
        };
        if revision > 1 {
            number.push_str(&format!("-R{revision}"));
        }
        number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_quote_is_answered_only_once_sent_and_while_valid() {
        let until = day(2027, 1, 31);
        assert!(matches!(QuoteStatus::Draft.accept(until, day(2027, 1, 1)), Err(DocumentError::QuoteStatus { .. })));
        let sent = QuoteStatus::Draft.send().unwrap();
        assert_eq!(sent.accept(until, until), Ok(QuoteStatus::Accepted));
        assert_eq!(sent.reject(until, day(2027, 1, 2)), Ok(QuoteStatus::Rejected));
        assert_eq!(sent.accept(until, day(2027, 2, 1)), Err(DocumentError::QuoteExpired { valid_until: until }));
        assert!(QuoteStatus::Accepted.send().is_err());
        assert_eq!(QuoteStatus::Sent.expire(until, day(2027, 2, 1)), Some(QuoteStatus::Expired));
        assert_eq!(QuoteStatus::Sent.expire(until, until), None);
        assert_eq!(QuoteStatus::Accepted.expire(until, day(2028, 1, 1)), None);
    }

    #[test]
    fn revising_supersedes_an_open_quote_and_keeps_an_answer() {
        assert_eq!(QuoteStatus::Sent.revise(), Ok(QuoteStatus::Superseded));
        assert_eq!(QuoteStatus::Rejected.revise(), Ok(QuoteStatus::Rejected));
        assert!(QuoteStatus::Accepted.revise().is_err());
        assert!(QuoteStatus::Superseded.revise().is_err());
    }

    #[test]
    fn payments_never_exceed_the_total() {
        let amount = |minor| PaymentAmount::new(minor).unwrap();
        assert_eq!(InvoiceStatus::Issued.pay(1000, 0, amount(400)), Ok((InvoiceStatus::PartiallyPaid, 400)));
        assert_eq!(InvoiceStatus::PartiallyPaid.pay(1000, 400, amount(600)), Ok((InvoiceStatus::Paid, 1000)));
        assert_eq!(InvoiceStatus::PartiallyPaid.pay(1000, 400, amount(601)), Err(DocumentError::Overpayment { outstanding_minor: 600 }));
        assert!(InvoiceStatus::Paid.pay(1000, 1000, amount(1)).is_err());
        assert!(InvoiceStatus::Draft.pay(1000, 0, amount(1)).is_err());
        assert!(InvoiceStatus::Void.pay(1000, 0, amount(1)).is_err());
        assert!(PaymentAmount::new(0).is_err());
    }

    #[test]
    fn only_an_unpaid_issued_invoice_is_voided_and_only_a_draft_deleted() {
        assert_eq!(InvoiceStatus::Issued.void(0), Ok(InvoiceStatus::Void));
        assert_eq!(InvoiceStatus::PartiallyPaid.void(10), Err(DocumentError::InvoiceHasPayments));
        assert!(InvoiceStatus::Draft.void(0).is_err());
        assert!(InvoiceStatus::Draft.check_deletable().is_ok());
        assert!(InvoiceStatus::Void.check_deletable().is_err());
        assert!(InvoiceStatus::Issued.check_deletable().is_err());
    }

    #[test]
    fn numbers_follow_the_workspace_calendar_year() {
        let numbering = |calendar, yearly_reset| Numbering { prefix: DocumentPrefix::parse("Q-").unwrap(), yearly_reset, calendar };
        // 10 January 2027 is 20 Dey 1405; 21 March 2027 is 1 Farvardin 1406.
        let jalali = numbering(Calendar::Jalali, true);
        assert_eq!(jalali.period(day(2027, 1, 10)), "1405");
        assert_eq!(jalali.period(day(2027, 3, 21)), "1406");
        assert_eq!(jalali.number("1405", 7, 1), "Q-1405-0007");
        assert_eq!(jalali.number("1405", 7, 2), "Q-1405-0007-R2");
        assert_eq!(numbering(Calendar::Gregorian, true).period(day(2027, 1, 10)), "2027");
        let never = numbering(Calendar::Jalali, false);
        assert_eq!(never.period(day(2027, 1, 10)), "");
        assert_eq!(never.number("", 12345, 1), "Q-12345");
    }

    #[test]
    fn prefixes_are_short_words() {
        assert!(DocumentPrefix::parse("INV/").is_ok());
        assert!(DocumentPrefix::parse("پ-").is_ok());
        assert!(DocumentPrefix::parse("").is_err());
        assert!(DocumentPrefix::parse("a b").is_err());
        assert!(DocumentPrefix::parse("ABCDEFGHIJKLM").is_err());
    }
}
