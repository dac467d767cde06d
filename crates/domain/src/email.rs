//! Emails and their templates: a template's text is parsed once into literal text and known
//! placeholders (`{{deal.title}}`, …), so that an unknown placeholder is refused when the template
//! is saved, never discovered when an email is rendered. Rendering formats each value for the
//! template's locale — Persian digits, rials, Jalali dates for `fa` — and escapes it in the HTML
//! part.

use chrono::NaiveDate;

use crate::dates::jalali;
use crate::money::Money;
use crate::text::bounded_text;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// The language a template is written in, which decides how its values are formatted and
    /// the direction of its HTML part.
    TemplateLocale {
        En => "en",
        Fa => "fa",
    }
);

vocabulary!(
    /// Where an email is: `queued` until the sender claims it, `sending` while an attempt is
    /// leased, `sent` once the SMTP server accepted it, `failed` after its last attempt, and
    /// `not_sent` when no SMTP server is configured.
    EmailStatus {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        NotSent => "not_sent",
    }
);

/// Why an email was not sent: no `KARIZ_SMTP_URL`.
pub const SMTP_NOT_CONFIGURED: &str = "smtp_not_configured";

bounded_text!(
    /// A template's name, as its editor lists it.
    TemplateName,
    100
);

bounded_text!(
    /// An email's subject, after rendering.
    EmailSubject,
    300
);

vocabulary!(
    /// A value a template may name, as `{{name}}`.
    Placeholder {
        DealTitle => "deal.title",
        DealAmount => "deal.amount",
        DealExpectedClose => "deal.expected_close",
        StageName => "stage.name",
        PipelineName => "pipeline.name",
        ContactName => "contact.name",
        ContactFirstName => "contact.first_name",
        ContactEmail => "contact.email",
        OrganizationName => "organization.name",
        OwnerName => "owner.name",
        OwnerEmail => "owner.email",
        WorkspaceName => "workspace.name",
    }
);

/// The most characters of a template's subject and body.
pub const MAX_SUBJECT_CHARS: usize = 300;
pub const MAX_BODY_CHARS: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("unknown placeholders: {}; use one of: {}", .0.join(", "), Placeholder::NAMES.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(", "))]
    UnknownPlaceholders(Vec<String>),
    #[error("a placeholder opened with `{{{{` is not closed with `}}}}`")]
    Unclosed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Value(Placeholder),
}

/// A template's text, parsed: literal text and placeholders. Made only by [`Template::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl Template {
    /// Parses `raw` (trimmed, at most `max_chars`): every `{{name}}` must name a
    /// [`Placeholder`]; spaces inside the braces are allowed. All unknown names are reported at
    /// once.
    pub fn parse(raw: &str, max_chars: usize) -> Result<Template, TemplateError> {
        let source = raw.trim();
        if source.is_empty() {
            return Err(TemplateError::Blank);
        }
        if source.chars().count() > max_chars {
            return Err(TemplateError::TooLong { max: max_chars });
        }
        let mut parts = Vec::new();
        let mut unknown = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 2..];
            let close = after.find("}}").ok_or(TemplateError::Unclosed)?;
            let name = after[..close].trim();
            match Placeholder::parse(name) {
                Ok(placeholder) => parts.push(Part::Value(placeholder)),
                Err(_) => {
                    if !unknown.iter().any(|u| u == name) {
                        unknown.push(name.to_owned());
                    }
                }
            }
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        if !unknown.is_empty() {
            return Err(TemplateError::UnknownPlaceholders(unknown));
        }
        Ok(Template { source: source.to_owned(), parts })
    }

    /// A subject template.
    pub fn subject(raw: &str) -> Result<Template, TemplateError> {
        Template::parse(raw, MAX_SUBJECT_CHARS)
    }

    /// A body template.
    pub fn body(raw: &str) -> Result<Template, TemplateError> {
        Template::parse(raw, MAX_BODY_CHARS)
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The placeholders it names, each once, in order of appearance.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut found = Vec::new();
        for part in &self.parts {
            if let Part::Value(p) = part
                && !found.contains(p)
            {
                found.push(*p);
            }
        }
        found
    }

    /// The text with each placeholder replaced by its value formatted for `locale` (a value the
    /// record lacks is left empty).
    pub fn render_text(&self, values: &TemplateValues, locale: TemplateLocale) -> String {
        self.render(values, locale, |s| s.to_owned())
    }

    /// As [`render_text`](Self::render_text), HTML-escaped, line breaks as `<br>`.
    pub fn render_html(&self, values: &TemplateValues, locale: TemplateLocale) -> String {
        self.render(values, locale, escape_html).replace("\r\n", "\n").replace('\n', "<br>\n")
    }

    fn render(&self, values: &TemplateValues, locale: TemplateLocale, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(&escape(text)),
                Part::Value(placeholder) => out.push_str(&escape(&values.formatted(*placeholder, locale))),
            }
        }
        out
    }
}

/// The values a template is rendered with, from the records an email is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub deal_title: Option<String>,
    pub deal_amount: Option<Money>,
    pub deal_expected_close: Option<NaiveDate>,
    pub stage_name: Option<String>,
    pub pipeline_name: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub organization_name: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub workspace_name: Option<String>,
}

impl TemplateValues {
    /// Made-up values for a preview without a record, in the template's language.
    pub fn sample(locale: TemplateLocale) -> TemplateValues {
        let fa = locale == TemplateLocale::Fa;
        let pick = |en: &str, fa_text: &str| Some(if fa { fa_text.to_owned() } else { en.to_owned() });
        TemplateValues {
            deal_title: pick("Fleet renewal", "تمدید ناوگان"),
            deal_amount: crate::money::Currency::parse("IRR").ok().and_then(|irr| Money::new(250_000_000, irr).ok()),
            deal_expected_close: NaiveDate::from_ymd_opt(2027, 3, 21),
            stage_name: pick("Proposal", "پیشنهاد"),
            pipeline_name: pick("Sales", "فروش"),
            contact_name: pick("Sara Ahmadi", "سارا احمدی"),
            contact_email: Some("sara@example.com".to_owned()),
            organization_name: pick("Pars Logistics", "پارس لجستیک"),
            owner_name: pick("Reza Karimi", "رضا کریمی"),
            owner_email: Some("reza@example.com".to_owned()),
            workspace_name: Some("Kariz".to_owned()),
        }
    }

    /// One value, formatted for `locale`; empty when the record lacks it.
    pub fn formatted(&self, placeholder: Placeholder, locale: TemplateLocale) -> String {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        match placeholder {
            Placeholder::DealTitle => text(&self.deal_title),
            Placeholder::DealAmount => self.deal_amount.map(|m| format_money(m, locale)).unwrap_or_default(),
            Placeholder::DealExpectedClose => self.deal_expected_close.map(|d| format_date(d, locale)).unwrap_or_default(),
            Placeholder::StageName => text(&self.stage_name),
            Placeholder::PipelineName => text(&self.pipeline_name),
            Placeholder::ContactName => text(&self.contact_name),
            Placeholder::ContactFirstName => {
                self.contact_name.as_deref().and_then(|n| n.split_whitespace().next()).unwrap_or_default().to_owned()
            }
            Placeholder::ContactEmail => text(&self.contact_email),
            Placeholder::OrganizationName => text(&self.organization_name),
            Placeholder::OwnerName => text(&self.owner_name),
            Placeholder::OwnerEmail => text(&self.owner_email),
            Placeholder::WorkspaceName => text(&self.workspace_name),
        }
    }
}

/// A message rendered from a subject and a body template: its subject and its text and HTML
/// parts. The HTML part of a Persian message is right-to-left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders a message: the subject on one line (line breaks become spaces, at most
/// [`MAX_SUBJECT_CHARS`]), the body as text and as an HTML document in the locale's direction.
pub fn render_email(subject: &Template, body: &Template, values: &TemplateValues, locale: TemplateLocale) -> RenderedEmail {
    let subject_line = subject.render_text(values, locale);
    document(&subject_line, body.render_text(values, locale), &body.render_html(values, locale), locale)
}

/// A message written by Kariz itself (a notification, a digest): `text` as both parts, escaped
/// in the HTML one, with its line breaks kept.
pub fn render_plain(subject: &str, text: &str, locale: TemplateLocale) -> RenderedEmail {
    document(subject, text.to_owned(), &escape_html(text).replace('\n', "<br>\n"), locale)
}

/// The subject on one line (line breaks become spaces, at most [`MAX_SUBJECT_CHARS`]), the text
/// part, and the HTML part as a document in the locale's direction around `html_body`.
fn document(subject: &str, text: String, html_body: &str, locale: TemplateLocale) -> RenderedEmail {
    let subject_line: String = subject.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_SUBJECT_CHARS).collect();
    let (lang, dir) = match locale {
        TemplateLocale::En => ("en", "ltr"),
        TemplateLocale::Fa => ("fa", "rtl"),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body dir=\"{dir}\" style=\"font-family: Tahoma, Arial, sans-serif; line-height: 1.6; text-align: {}\">\n<div>{}</div>\n</body>\n</html>\n",
        escape_html(&subject_line),
        if dir == "rtl" { "right" } else { "left" },
        html_body
    );
    RenderedEmail { subject: subject_line, text, html }
}

/// `text` safe inside HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

const PERSIAN_DIGITS: [char; 10] = ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'];

/// Western digits as Persian ones.
pub fn persian_digits(text: &str) -> String {
    text.chars().map(|c| c.to_digit(10).map_or(c, |d| PERSIAN_DIGITS[d as usize])).collect()
}

/// `amount` grouped by thousands with `separator`.
fn group(whole: u128, separator: char) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An amount as a reader of `locale` writes it: `250,000,000 IRR` (rials as `Rial`), or in
/// Persian `۲۵۰٬۰۰۰٬۰۰۰ ریال` — Persian digits, the Arabic thousands separator and decimal sign.
pub fn format_money(money: Money, locale: TemplateLocale) -> String {
    let currency = money.currency();
    let digits = currency.minor_digits();
    let scale = 10u128.pow(digits);
    let amount = u128::try_from(money.amount_minor()).unwrap_or(0);
    let (whole, fraction) = (amount / scale, amount % scale);
    let (separator, decimal) = match locale {
        TemplateLocale::En => (',', '.'),
        TemplateLocale::Fa => ('٬', '٫'),
    };
    let mut number = group(whole, separator);
    if digits > 0 {
        number.push(decimal);
        number.push_str(&format!("{fraction:0width$}", width = digits as usize));
    }
    let unit = match (currency.as_str(), locale) {
        ("IRR", TemplateLocale::En) => "Rial".to_owned(),
        ("IRR", TemplateLocale::Fa) => "ریال".to_owned(),
        (code, _) => code.to_owned(),
    };
    match locale {
        TemplateLocale::En => format!("{number} {unit}"),
        TemplateLocale::Fa => format!("{} {unit}", persian_digits(&number)),
    }
}

const JALALI_MONTHS: [&str; 12] = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

/// A day as a reader of `locale` writes it: `21 March 2027`, or on the Jalali calendar in
/// Persian `۱ فروردین ۱۴۰۶`.
pub fn format_date(day: NaiveDate, locale: TemplateLocale) -> String {
    match locale {
        TemplateLocale::En => day.format("%-d %B %Y").to_string(),
        TemplateLocale::Fa => {
            let date = jalali(day);
            let month = JALALI_MONTHS.get(date.month() as usize - 1).copied().unwrap_or_default();
            persian_digits(&format!("{} {month} {}", date.day(), date.year()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn values() -> TemplateValues {
        TemplateValues {
            deal_title: Some("Fleet <renewal> & more".to_owned()),
            deal_amount: Some(Money::new(250_000_000, Currency::parse("IRR").unwrap()).unwrap()),
            deal_expected_close: NaiveDate::from_ymd_opt(2027, 3, 21),
            contact_name: Some("Sara Ahmadi".to_owned()),
            ..TemplateValues::default()
        }
    }

    #[test]
    fn placeholders_are_parsed_once_and_unknown_ones_named() {
        let template = Template::body("Hi {{ contact.first_name }}, {{deal.title}} ({{deal.amount}})").unwrap();
        assert_eq!(template.placeholders(), [Placeholder::ContactFirstName, Placeholder::DealTitle, Placeholder::DealAmount]);
        assert_eq!(
            Template::body("{{deal.titel}} {{x}} {{deal.titel}}").unwrap_err(),
            TemplateError::UnknownPlaceholders(vec!["deal.titel".to_owned(), "x".to_owned()])
        );
        assert_eq!(Template::body("Hi {{contact.name"), Err(TemplateError::Unclosed));
        assert_eq!(Template::body("  "), Err(TemplateError::Blank));
        assert_eq!(Template::subject(&"a".repeat(301)), Err(TemplateError::TooLong { max: 300 }));
        assert!(Template::body("no placeholders } at { all").is_ok());
    }

    #[test]
    fn values_are_formatted_for_the_locale() {
        let en = Template::body("{{contact.first_name}}: {{deal.amount}} by {{deal.expected_close}}").unwrap();
        assert_eq!(en.render_text(&values(), TemplateLocale::En), "Sara: 250,000,000 Rial by 21 March 2027");
        let fa = Template::body("{{deal.amount}} تا {{deal.expected_close}}").unwrap();
        assert_eq!(fa.render_text(&values(), TemplateLocale::Fa), "۲۵۰٬۰۰۰٬۰۰۰ ریال تا ۱ فروردین ۱۴۰۶");
        let usd = Money::new(123_456, Currency::parse("USD").unwrap()).unwrap();
        assert_eq!(format_money(usd, TemplateLocale::En), "1,234.56 USD");
        assert_eq!(format_money(usd, TemplateLocale::Fa), "۱٬۲۳۴٫۵۶ USD");
        // A value the record lacks is left empty.
        assert_eq!(Template::body("[{{organization.name}}]").unwrap().render_text(&values(), TemplateLocale::En), "[]");
    }

    #[test]
    fn the_html_part_is_escaped_and_persian_is_right_to_left() {
        let subject = Template::subject("About {{deal.title}}").unwrap();
        let body = Template::body("<b>Hi</b> {{deal.title}}\nBye").unwrap();
        let email = render_email(&subject, &body, &values(), TemplateLocale::Fa);
        assert_eq!(email.subject, "About Fleet <renewal> & more");
        assert_eq!(email.text, "<b>Hi</b> Fleet <renewal> & more\nBye");
        assert!(email.html.contains("&lt;b&gt;Hi&lt;/b&gt; Fleet &lt;renewal&gt; &amp; more<br>\nBye"), "{}", email.html);
        assert!(email.html.contains("<html lang=\"fa\" dir=\"rtl\">"));
        let english = render_email(&subject, &body, &values(), TemplateLocale::En);
        assert!(english.html.contains("<html lang=\"en\" dir=\"ltr\">"));
    }

    #[test]
    fn a_subject_is_one_line() {
        let subject = Template::subject("{{deal.title}}").unwrap();
        let values = TemplateValues { deal_title: Some("two\r\nlines".to_owned()), ..TemplateValues::default() };
        let body = Template::body("x").unwrap();
        assert_eq!(render_email(&subject, &body, &values, TemplateLocale::En).subject, "two lines");
    }
}
