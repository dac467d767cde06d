//! Numbers, amounts and dates as a reader of the document's locale writes them. Persian uses
//! Persian digits, `٬` between thousands and `٫` before decimals; English uses ASCII digits, `,`
//! and `.`.

use chrono::NaiveDate;
use kariz_domain::dates::{Calendar, ParsiDate};
use kariz_domain::email::persian_digits;
use kariz_domain::{Currency, Quantity, english_words, persian_words};

use crate::document::{DocumentLocale, RialDisplay};

const JALALI_MONTHS_LATIN: [&str; 12] =
    ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"];

/// Rials in a toman.
const RIALS_PER_TOMAN: u64 = 10;

/// ASCII digits in `text` as the locale writes them.
pub(crate) fn localise_digits(text: &str, locale: DocumentLocale) -> String {
    match locale {
        DocumentLocale::En => text.to_owned(),
        DocumentLocale::Fa => persian_digits(text),
    }
}

fn separators(locale: DocumentLocale) -> (char, char) {
    match locale {
        DocumentLocale::En => (',', '.'),
        DocumentLocale::Fa => ('٬', '٫'),
    }
}

/// `whole` grouped by thousands, in the locale's digits.
pub(crate) fn integer(whole: u64, locale: DocumentLocale) -> String {
    let digits = whole.to_string();
    let (separator, _) = separators(locale);
    let mut grouped = String::with_capacity(digits.len() * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    localise_digits(&grouped, locale)
}

/// `whole`, then `fraction` padded to `digits` decimals unless `digits` is 0.
fn decimal(whole: u64, fraction: u64, digits: u32, locale: DocumentLocale) -> String {
    let mut text = integer(whole, locale);
    if digits > 0 {
        text.push(separators(locale).1);
        text.push_str(&localise_digits(&format!("{fraction:0width$}", width = digits as usize), locale));
    }
    text
}

/// A quantity with its decimals only when it has some: `2`, `1.5`, `۱٬۲۰۰٫۲۵`.
pub(crate) fn quantity(quantity: Quantity, locale: DocumentLocale) -> String {
    let thousandths = quantity.thousandths().unsigned_abs();
    let scale = Quantity::SCALE.unsigned_abs();
    let (whole, fraction) = (thousandths / scale, thousandths % scale);
    if fraction == 0 {
        return integer(whole, locale);
    }
    let decimals = format!("{fraction:03}");
    let mut text = integer(whole, locale);
    text.push(separators(locale).1);
    text.push_str(&localise_digits(decimals.trim_end_matches('0'), locale));
    text
}

/// Amounts of one currency as the document shows them: figures for the table, figures with
/// their unit for the totals, and words.
///
/// Rials shown as tomans are divided by ten exactly: a remainder is the toman's one decimal
/// (`1,250.5`), never rounded away, so that every figure still adds up to the rial.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Amounts {
    currency: Currency,
    locale: DocumentLocale,
    tomans: bool,
}

impl Amounts {
    pub(crate) fn new(currency: Currency, locale: DocumentLocale, rial_display: RialDisplay) -> Amounts {
        let tomans = currency.as_str() == "IRR" && rial_display == RialDisplay::Toman;
        Amounts { currency, locale, tomans }
    }

    /// `minor` without its unit: `1,250,000`, `۱٬۲۳۴٫۵۶`.
    pub(crate) fn figure(&self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let magnitude = minor.unsigned_abs();
        let text = if self.tomans {
            let (tomans, rials) = (magnitude / RIALS_PER_TOMAN, magnitude % RIALS_PER_TOMAN);
            if rials == 0 { integer(tomans, self.locale) } else { decimal(tomans, rials, 1, self.locale) }
        } else {
            let digits = self.currency.minor_digits();
            let scale = 10u64.pow(digits);
            decimal(magnitude / scale, magnitude % scale, digits, self.locale)
        };
        format!("{sign}{text}")
    }

    /// The unit amounts are shown in: `Rial`, `Toman`, `USD`; `ریال`, `تومان`, `دلار`.
    pub(crate) fn unit(&self) -> String {
        let code = self.currency.as_str();
        match (self.locale, code, self.tomans) {
            (DocumentLocale::En, "IRR", false) => "Rial".to_owned(),
            (DocumentLocale::En, "IRR", true) => "Toman".to_owned(),
            (DocumentLocale::Fa, "IRR", false) => "ریال".to_owned(),
            (DocumentLocale::Fa, "IRR", true) => "تومان".to_owned(),
            (DocumentLocale::Fa, "USD", _) => "دلار".to_owned(),
            (DocumentLocale::Fa, "EUR", _) => "یورو".to_owned(),
            (DocumentLocale::Fa, "AED", _) => "درهم".to_owned(),
            (DocumentLocale::Fa, "TRY", _) => "لیر".to_owned(),
            _ => code.to_owned(),
        }
    }

    /// `minor` with its unit: `1,250,000 Rial`, `۱٬۲۵۰٬۰۰۰ ریال`.
    pub(crate) fn with_unit(&self, minor: i64) -> String {
        format!("{} {}", self.figure(minor), self.unit())
    }

    /// `minor` in words, as an invoice states its total: `یک میلیون و دویست و پنجاه هزار ریال`,
    /// `One million two hundred fifty thousand rials`; a toman's remainder is named in rials, and
    /// another currency's minor units as a fraction (`… and 56/100 USD`, `… و پنجاه و شش صدم دلار`).
    pub(crate) fn in_words(&self, minor: i64) -> String {
        let magnitude = minor.unsigned_abs();
        let words = match self.locale {
            DocumentLocale::Fa => self.persian_words(magnitude),
            DocumentLocale::En => self.english_words(magnitude),
        };
        match (minor < 0, self.locale) {
            (false, _) => words,
            (true, DocumentLocale::Fa) => format!("منفی {words}"),
            (true, DocumentLocale::En) => format!("Minus {}", lower_first(&words)),
        }
    }

    fn persian_words(&self, magnitude: u64) -> String {
        if self.tomans {
            let (tomans, rials) = (magnitude / RIALS_PER_TOMAN, magnitude % RIALS_PER_TOMAN);
            return match (tomans, rials) {
                (_, 0) => format!("{} تومان", persian_words(tomans)),
                (0, _) => format!("{} ریال", persian_words(rials)),
                _ => format!("{} تومان و {} ریال", persian_words(tomans), persian_words(rials)),
            };
        }
        let digits = self.currency.minor_digits();
        let scale = 10u64.pow(digits);
        let (whole, fraction) = (magnitude / scale, magnitude % scale);
        let fraction_name = match digits {
            1 => "دهم",
            2 => "صدم",
            3 => "هزارم",
            _ => "ده‌هزارم",
        };
        if fraction == 0 {
            format!("{} {}", persian_words(whole), self.unit())
        } else {
            format!("{} و {} {fraction_name} {}", persian_words(whole), persian_words(fraction), self.unit())
        }
    }

    fn english_words(&self, magnitude: u64) -> String {
        let plural = |n: u64, unit: &str| if n == 1 { unit.to_owned() } else { format!("{unit}s") };
        let words = if self.currency.as_str() == "IRR" {
            let (tomans, rials) = if self.tomans { (magnitude / RIALS_PER_TOMAN, magnitude % RIALS_PER_TOMAN) } else { (0, magnitude) };
            match (self.tomans, tomans, rials) {
                (false, _, _) | (true, 0, _) => format!("{} {}", english_words(rials), plural(rials, "rial")),
                (true, _, 0) => format!("{} {}", english_words(tomans), plural(tomans, "toman")),
                _ => {
                    format!("{} {} and {} {}", english_words(tomans), plural(tomans, "toman"), english_words(rials), plural(rials, "rial"))
                }
            }
        } else {
            let digits = self.currency.minor_digits();
            let scale = 10u64.pow(digits);
            let (whole, fraction) = (magnitude / scale, magnitude % scale);
            if fraction == 0 {
                format!("{} {}", english_words(whole), self.currency)
            } else {
                format!("{} and {fraction:0width$}/{scale} {}", english_words(whole), self.currency, width = digits as usize)
            }
        };
        upper_first(&words)
    }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// A day on the workspace's calendar, written for the locale: numerically in Persian
/// (`۱۴۰۵/۱۰/۲۰`, `۲۰۲۷/۰۱/۱۰`), with the month's name in English (`20 Dey 1405`,
/// `10 January 2027`). `None` for a day before the Jalali calendar's epoch.
pub(crate) fn date(day: NaiveDate, calendar: Calendar, locale: DocumentLocale) -> Option<String> {
    let (year, month, day_of_month) = match calendar {
        Calendar::Gregorian => {
            use chrono::Datelike;
            (day.year(), day.month(), day.day())
        }
        Calendar::Jalali => {
            let jalali = ParsiDate::from_gregorian(day).ok()?;
            (jalali.year(), jalali.month(), jalali.day())
        }
    };
    Some(match (locale, calendar) {
        (DocumentLocale::Fa, _) => persian_digits(&format!("{year:04}/{month:02}/{day_of_month:02}")),
        (DocumentLocale::En, Calendar::Gregorian) => day.format("%-d %B %Y").to_string(),
        (DocumentLocale::En, Calendar::Jalali) => {
            format!("{day_of_month} {} {year}", JALALI_MONTHS_LATIN.get(month as usize - 1).copied().unwrap_or_default())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(code: &str, locale: DocumentLocale, display: RialDisplay) -> Amounts {
        Amounts::new(Currency::parse(code).unwrap(), locale, display)
    }

    #[test]
    fn rials_are_grouped_in_the_locales_digits() {
        let fa = amounts("IRR", DocumentLocale::Fa, RialDisplay::Rial);
        assert_eq!(fa.with_unit(1_250_000_000), "۱٬۲۵۰٬۰۰۰٬۰۰۰ ریال");
        assert_eq!(fa.figure(0), "۰");
        assert_eq!(fa.figure(-1_500), "-۱٬۵۰۰");
        let en = amounts("IRR", DocumentLocale::En, RialDisplay::Rial);
        assert_eq!(en.with_unit(1_250_000_000), "1,250,000,000 Rial");
        assert_eq!(en.figure(999), "999");
    }

    #[test]
    fn tomans_are_tenths_of_rials_with_the_remainder_as_one_decimal() {
        let fa = amounts("IRR", DocumentLocale::Fa, RialDisplay::Toman);
        assert_eq!(fa.with_unit(12_500_000), "۱٬۲۵۰٬۰۰۰ تومان");
        assert_eq!(fa.figure(12_500_005), "۱٬۲۵۰٬۰۰۰٫۵");
        assert_eq!(fa.figure(5), "۰٫۵");
        let en = amounts("IRR", DocumentLocale::En, RialDisplay::Toman);
        assert_eq!(en.with_unit(12_500_000), "1,250,000 Toman");
        // Only rials are shown as tomans.
        assert_eq!(amounts("USD", DocumentLocale::En, RialDisplay::Toman).with_unit(123_456), "1,234.56 USD");
    }

    #[test]
    fn other_currencies_keep_their_minor_digits() {
        assert_eq!(amounts("USD", DocumentLocale::Fa, RialDisplay::Rial).with_unit(123_400), "۱٬۲۳۴٫۰۰ دلار");
        assert_eq!(amounts("KWD", DocumentLocale::En, RialDisplay::Rial).figure(1_005), "1.005");
        assert_eq!(amounts("JPY", DocumentLocale::En, RialDisplay::Rial).with_unit(1_500), "1,500 JPY");
        assert_eq!(amounts("GBP", DocumentLocale::Fa, RialDisplay::Rial).unit(), "GBP");
    }

    #[test]
    fn amounts_in_words_name_their_unit() {
        let rial = amounts("IRR", DocumentLocale::Fa, RialDisplay::Rial);
        assert_eq!(rial.in_words(1_250_000), "یک میلیون و دویست و پنجاه هزار ریال");
        let toman = amounts("IRR", DocumentLocale::Fa, RialDisplay::Toman);
        assert_eq!(toman.in_words(1_250_000), "صد و بیست و پنج هزار تومان");
        assert_eq!(toman.in_words(1_250_005), "صد و بیست و پنج هزار تومان و پنج ریال");
        assert_eq!(toman.in_words(7), "هفت ریال");
        assert_eq!(
            amounts("USD", DocumentLocale::Fa, RialDisplay::Rial).in_words(123_456),
            "یک هزار و دویست و سی و چهار و پنجاه و شش صدم دلار"
        );
        assert_eq!(rial.in_words(-20), "منفی بیست ریال");

        let en_rial = amounts("IRR", DocumentLocale::En, RialDisplay::Rial);
        assert_eq!(en_rial.in_words(1_250_000), "One million two hundred fifty thousand rials");
        assert_eq!(en_rial.in_words(1), "One rial");
        let en_toman = amounts("IRR", DocumentLocale::En, RialDisplay::Toman);
        assert_eq!(en_toman.in_words(12_500_005), "One million two hundred fifty thousand tomans and five rials");
        assert_eq!(
            amounts("USD", DocumentLocale::En, RialDisplay::Rial).in_words(123_456),
            "One thousand two hundred thirty-four and 56/100 USD"
        );
        assert_eq!(amounts("USD", DocumentLocale::En, RialDisplay::Rial).in_words(-100), "Minus one USD");
    }

    #[test]
    fn quantities_show_decimals_only_when_they_have_some() {
        let q = |raw| Quantity::parse(raw).unwrap();
        assert_eq!(quantity(q("2"), DocumentLocale::Fa), "۲");
        assert_eq!(quantity(q("1200.25"), DocumentLocale::Fa), "۱٬۲۰۰٫۲۵");
        assert_eq!(quantity(q("0.125"), DocumentLocale::En), "0.125");
    }

    #[test]
    fn dates_follow_the_calendar_whatever_the_locale() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert_eq!(date(day, Calendar::Jalali, DocumentLocale::Fa).unwrap(), "۱۴۰۵/۱۰/۲۰");
        assert_eq!(date(day, Calendar::Jalali, DocumentLocale::En).unwrap(), "20 Dey 1405");
        assert_eq!(date(day, Calendar::Gregorian, DocumentLocale::Fa).unwrap(), "۲۰۲۷/۰۱/۱۰");
        assert_eq!(date(day, Calendar::Gregorian, DocumentLocale::En).unwrap(), "10 January 2027");
        // Nowruz 1406.
        let nowruz = NaiveDate::from_ymd_opt(2027, 3, 21).unwrap();
        assert_eq!(date(nowruz, Calendar::Jalali, DocumentLocale::Fa).unwrap(), "۱۴۰۶/۰۱/۰۱");
        assert_eq!(date(NaiveDate::from_ymd_opt(600, 1, 1).unwrap(), Calendar::Jalali, DocumentLocale::Fa), None);
    }
}
