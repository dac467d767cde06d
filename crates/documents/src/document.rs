//! What a quote or an invoice says: the figures, the parties and the workspace's template, as
//! the caller has them. Amounts are integer minor units of [`Document::currency`].

use chrono::NaiveDate;
use kariz_domain::dates::Calendar;
// Quote (پیش‌فاکتور) or invoice (صورتحساب فروش کالا و خدمات), and whether IRR amounts are shown
// as rials or tomans (other currencies are unaffected): the domain's own types.
use kariz_domain::{Currency, Quantity};
pub use kariz_domain::{DocumentKind, PaymentMethod, RialDisplay};
use thiserror::Error;

/// The language of the document's labels, which also decides its digits and direction:
/// Persian is right to left with Persian digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentLocale {
    En,
    Fa,
}

/// A word drawn across every page, like a rubber stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    Draft,
    Void,
    Paid,
}

/// One quote or invoice, ready to typeset.
#[derive(Clone, Debug)]
pub struct Document {
    pub kind: DocumentKind,
    pub locale: DocumentLocale,
    /// The workspace's calendar; dates follow it whatever the locale.
    pub calendar: Calendar,
    pub rial_display: RialDisplay,
    /// As the workspace numbers it, e.g. `Q-1405-0007-R2` or `INV-1405-0012`.
    pub number: String,
    pub stamp: Option<Stamp>,
    pub issued_on: NaiveDate,
    /// An invoice's due date, or the day a quote is valid until.
    pub due_on: Option<NaiveDate>,
    pub currency: Currency,
    pub seller: Party,
    pub buyer: Party,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// An invoice's payments, in the order made; listed under its totals.
    pub payments: Vec<Payment>,
    pub notes: Option<String>,
    pub template: Template,
}

/// A seller or a buyer, with the identifiers an Iranian invoice states.
#[derive(Clone, Debug, Default)]
pub struct Party {
    /// The person's or the legal entity's name.
    pub name: String,
    /// The organisation the person acts for; when given, it is the party's name on the
    /// document and `name` is its contact.
    pub organization: Option<String>,
    /// کد اقتصادی
    pub economic_code: Option<String>,
    /// شناسه ملی (a company) or کد ملی (a person).
    pub national_id: Option<String>,
    /// شماره ثبت
    pub registration_number: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One line of goods or services, priced by the caller (see `kariz_domain::price_lines`).
#[derive(Clone, Debug)]
pub struct Line {
    pub name: String,
    pub unit: Option<String>,
    pub quantity: Quantity,
    pub unit_price_minor: i64,
    /// Quantity × unit price.
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    /// Subtotal − discount + tax.
    pub total_minor: i64,
}

/// One payment of an invoice: the day it was made (in the workspace's time zone), how, the
/// transfer's tracking code or the cheque's number, and how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub amount_minor: i64,
}

/// The document's totals, the sums of its lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// What has been paid of an invoice; with it the balance due is shown.
    pub paid_minor: Option<i64>,
}

impl Totals {
    /// The sums of the lines' figures, nothing paid.
    pub fn of_lines(lines: &[Line]) -> Totals {
        lines.iter().fold(Totals::default(), |sum, line| Totals {
            subtotal_minor: sum.subtotal_minor.saturating_add(line.subtotal_minor),
            discount_minor: sum.discount_minor.saturating_add(line.discount_minor),
            tax_minor: sum.tax_minor.saturating_add(line.tax_minor),
            total_minor: sum.total_minor.saturating_add(line.total_minor),
            paid_minor: None,
        })
    }
}

/// A workspace's look for its documents.
#[derive(Clone, Debug, Default)]
pub struct Template {
    pub accent: AccentColour,
    pub logo: Option<Logo>,
    /// A line or two at the foot of every page (bank account, website, …).
    pub footer: Option<String>,
    /// The terms of sale, printed after the totals.
    pub terms: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("a colour is written #rrggbb")]
    Colour,
    #[error("a logo is a PNG or a JPEG image")]
    LogoFormat,
}

/// The colour of headings, rules and the table header: `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccentColour([u8; 3]);

impl AccentColour {
    pub fn parse(raw: &str) -> Result<AccentColour, TemplateError> {
        let hex = raw.trim().strip_prefix('#').ok_or(TemplateError::Colour)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(TemplateError::Colour);
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| TemplateError::Colour);
        Ok(AccentColour([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// `#rrggbb`, lower case.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// A dark blue that prints well in colour and in grey.
impl Default for AccentColour {
    fn default() -> AccentColour {
        AccentColour([0x1f, 0x4e, 0x79])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
}

/// A logo image, recognised by its signature as PNG or JPEG.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    bytes: Vec<u8>,
    format: LogoFormat,
}

impl Logo {
    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";

    pub fn new(bytes: Vec<u8>) -> Result<Logo, TemplateError> {
        let format = if bytes.starts_with(Self::PNG_SIGNATURE) {
            LogoFormat::Png
        } else if bytes.starts_with(Self::JPEG_SIGNATURE) {
            LogoFormat::Jpeg
        } else {
            return Err(TemplateError::LogoFormat);
        };
        Ok(Logo { bytes, format })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn format(&self) -> LogoFormat {
        self.format
    }
}

/// The format and size, not the bytes.
impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo").field("format", &self.format).field("bytes", &self.bytes.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accent_colour_is_six_hex_digits() {
        assert_eq!(AccentColour::parse(" #1F4E79 ").unwrap().hex(), "#1f4e79");
        for bad in ["1f4e79", "#1f4e7", "#1f4e79a", "#gg0000", "", "#"] {
            assert_eq!(AccentColour::parse(bad), Err(TemplateError::Colour), "{bad:?}");
        }
    }

    #[test]
    fn a_logo_is_recognised_by_its_signature() {
        assert_eq!(Logo::new(b"\x89PNG\r\n\x1a\n....".to_vec()).unwrap().format(), LogoFormat::Png);
        assert_eq!(Logo::new(b"\xff\xd8\xff\xe0....".to_vec()).unwrap().format(), LogoFormat::Jpeg);
        assert_eq!(Logo::new(b"GIF89a".to_vec()), Err(TemplateError::LogoFormat));
        assert_eq!(Logo::new(Vec::new()), Err(TemplateError::LogoFormat));
    }
}
