//! Money as integer minor units with an ISO 4217 currency code; never floats.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("currency must be an ISO 4217 currency code such as USD or IRR")]
    BadCurrency,
    #[error("amount must not be negative")]
    NegativeAmount,
}

/// An ISO 4217 alphabetic code, stored upper-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// The currencies of ISO 4217 (List One, 2025) with the digits of their minor unit as amounts
/// count them. The digits are CLDR's, which the SPA's `Intl` formatter applies (IRR 0, not ISO's
/// 2: rials have no minor unit in use), and exchange conversions scale by them. Left out: the
/// codes for precious metals, bond-market units, SDR, testing and "no currency" (XAG, XAU, XBA–XBD,
/// XDR, XPD, XPT, XSU, XTS, XUA, XXX), which have no minor unit. ANG, SLL and ZWL are still
/// accepted while their replacements (XCG, SLE, ZWG) take over.
#[rustfmt::skip]
const CURRENCIES: [(&str, u32); 168] = [
    ("AED", 2), ("AFN", 0), ("ALL", 0), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2), ("AWG", 2), ("AZN", 2),
    ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2), ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2), ("BOB", 2), ("BOV", 2),
    ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2), ("CHE", 2), ("CHF", 2),
    ("CHW", 2), ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 0), ("COU", 2), ("CRC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2),
    ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2), ("FJD", 2), ("FKP", 2),
    ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2), ("HKD", 2), ("HNL", 2),
    ("HTG", 2), ("HUF", 0), ("IDR", 0), ("ILS", 2), ("INR", 2), ("IQD", 0), ("IRR", 0), ("ISK", 0), ("JMD", 2), ("JOD", 3),
    ("JPY", 0), ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 0), ("KRW", 0), ("KWD", 3), ("KYD", 2), ("KZT", 2),
    ("LAK", 0), ("LBP", 0), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3), ("MAD", 2), ("MDL", 2), ("MGA", 0), ("MKD", 2),
    ("MMK", 0), ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MXV", 2), ("MYR", 2),
    ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2),
    ("PGK", 2), ("PHP", 2), ("PKR", 0), ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0),
    ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2), ("SLL", 0), ("SOS", 0),
    ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 0), ("SZL", 2), ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3),
    ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2), ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 2),
    ("UYU", 2), ("UYW", 4), ("UZS", 2), ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0), ("WST", 2), ("XAF", 0), ("XCD", 2),
    ("XCG", 2), ("XOF", 0), ("XPF", 0), ("YER", 0), ("ZAR", 2), ("ZMW", 2), ("ZWG", 2), ("ZWL", 2),
];

impl Currency {
    /// Accepts an ISO 4217 currency code (see `CURRENCIES`) in any case; `"irr"` becomes `IRR`.
    /// Input from clients goes through here.
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let currency = Self::from_stored(raw)?;
        if CURRENCIES.iter().any(|(code, _)| *code == currency.as_str()) { Ok(currency) } else { Err(MoneyError::BadCurrency) }
    }

    /// A currency as stored: any three ASCII letters, what was accepted before codes were checked
    /// against ISO 4217, so that rows written then still load (such a code has 2 minor digits).
    pub fn from_stored(raw: &str) -> Result<Self, MoneyError> {
        let bytes = raw.trim().as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(MoneyError::BadCurrency);
        }
        Ok(Currency([bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase(), bytes[2].to_ascii_uppercase()]))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// How many decimal digits the currency's minor unit has: `amount_minor` is the amount
    /// × 10^digits, by the table `CURRENCIES` (CLDR's digits); a stored code outside it has 2.
    pub fn minor_digits(&self) -> u32 {
        CURRENCIES.iter().find(|(code, _)| *code == self.as_str()).map_or(2, |(_, digits)| *digits)
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A non-negative amount in a currency's minor units (cents, rials, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    amount_minor: i64,
    currency: Currency,
}

impl Money {
    pub fn new(amount_minor: i64, currency: Currency) -> Result<Self, MoneyError> {
        if amount_minor < 0 {
            return Err(MoneyError::NegativeAmount);
        }
        Ok(Money { amount_minor, currency })
    }

    pub fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_are_iso_4217_upper_cased() {
        assert_eq!(Currency::parse("irr").unwrap().as_str(), "IRR");
        assert_eq!(Currency::parse(" Usd ").unwrap().as_str(), "USD");
        for bad in ["", "US", "USDD", "U$D", "۱۲۳", "12A", "ABC", "XYZ", "XAU", "XXX", "XTS"] {
            assert_eq!(Currency::parse(bad), Err(MoneyError::BadCurrency), "{bad:?}");
        }
    }

    #[test]
    fn codes_stored_before_the_check_still_load() {
        assert_eq!(Currency::from_stored("abc").unwrap().as_str(), "ABC");
        assert_eq!(Currency::from_stored("U$D"), Err(MoneyError::BadCurrency));
        assert_eq!(Currency::from_stored("ABC").unwrap().minor_digits(), 2, "an unlisted code has cents, as before");
    }

    #[test]
    fn the_table_is_sorted_unique_and_keeps_the_earlier_digits() {
        assert!(CURRENCIES.windows(2).all(|pair| pair[0].0 < pair[1].0), "sorted and unique");
        assert!(CURRENCIES.iter().all(|(code, _)| code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())));
        let digits = |code| Currency::parse(code).unwrap().minor_digits();
        assert_eq!([digits("IRR"), digits("USD"), digits("EUR"), digits("JPY"), digits("KWD"), digits("CLF")], [0, 2, 2, 0, 3, 4]);
        // The digits the lists before this table gave: 0 for these, 3 and 4 for those, else 2.
        let none = [
            "AFN", "ALL", "BIF", "CLP", "COP", "DJF", "GNF", "HUF", "IDR", "IQD", "IRR", "ISK", "JPY", "KMF", "KPW", "KRW", "LAK", "LBP",
            "MGA", "MMK", "PKR", "PYG", "RWF", "SLL", "SOS", "SYP", "UGX", "VND", "VUV", "XAF", "XOF", "XPF", "YER",
        ];
        let three = ["BHD", "JOD", "KWD", "LYD", "OMR", "TND"];
        for (code, digits) in CURRENCIES {
            let before = if none.contains(&code) {
                0
            } else if three.contains(&code) {
                3
            } else if ["CLF", "UYW"].contains(&code) {
                4
            } else {
                2
            };
            assert_eq!(digits, before, "{code}");
        }
    }

    #[test]
    fn money_is_never_negative() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(Money::new(-1, usd), Err(MoneyError::NegativeAmount));
        let m = Money::new(12_345, usd).unwrap();
        assert_eq!((m.amount_minor(), m.currency().as_str()), (12_345, "USD"));
        assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!({"amount_minor": 12345, "currency": "USD"}));
    }
}
