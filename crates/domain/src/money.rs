//! Money as integer minor units with an ISO 4217 currency code; never floats.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("currency must be a three-letter ISO 4217 code such as USD or IRR")]
    BadCurrency,
    #[error("amount must not be negative")]
    NegativeAmount,
}

/// An ISO 4217 alphabetic code, stored upper-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Accepts three ASCII letters in any case; `"irr"` becomes `IRR`.
    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
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
    /// × 10^digits. The table is CLDR's, as the SPA's `Intl` formatter applies it (IRR 0, not
    /// ISO 4217's 2: rials have no minor unit in use); any other code has 2.
    pub fn minor_digits(&self) -> u32 {
        const NONE: [&str; 33] = [
            "AFN", "ALL", "BIF", "CLP", "COP", "DJF", "GNF", "HUF", "IDR", "IQD", "IRR", "ISK", "JPY", "KMF", "KPW", "KRW", "LAK", "LBP",
            "MGA", "MMK", "PKR", "PYG", "RWF", "SLL", "SOS", "SYP", "UGX", "VND", "VUV", "XAF", "XOF", "XPF", "YER",
        ];
        const THREE: [&str; 6] = ["BHD", "JOD", "KWD", "LYD", "OMR", "TND"];
        const FOUR: [&str; 2] = ["CLF", "UYW"];
        let code = self.as_str();
        if NONE.contains(&code) {
            0
        } else if THREE.contains(&code) {
            3
        } else if FOUR.contains(&code) {
            4
        } else {
            2
        }
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
    fn currency_codes_are_three_letters_upper_cased() {
        assert_eq!(Currency::parse("irr").unwrap().as_str(), "IRR");
        assert_eq!(Currency::parse(" Usd ").unwrap().as_str(), "USD");
        for bad in ["", "US", "USDD", "U$D", "۱۲۳", "12A"] {
            assert_eq!(Currency::parse(bad), Err(MoneyError::BadCurrency), "{bad:?}");
        }
    }

    #[test]
    fn minor_digits_follow_cldr() {
        let digits = |code| Currency::parse(code).unwrap().minor_digits();
        assert_eq!([digits("IRR"), digits("USD"), digits("EUR"), digits("JPY"), digits("KWD"), digits("CLF")], [0, 2, 2, 0, 3, 4]);
        assert_eq!(digits("XYZ"), 2, "an unknown code has cents");
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
