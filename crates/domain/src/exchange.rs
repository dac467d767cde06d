//! Exchange rates and the conversion of per-currency totals into the workspace currency.
//!
//! Money is never added across currencies; a converted figure is an extra, labelled with the
//! rates it used. Everything here is integer arithmetic: a rate is an exact decimal.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thiserror::Error;

use crate::money::Currency;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RateError {
    #[error("a rate is a positive decimal number such as 42000 or 0.0000238")]
    NotDecimal,
    #[error("a rate must be greater than zero")]
    Zero,
    #[error("a rate has at most {MAX_SCALE} digits after the point and {MAX_DIGITS} significant digits")]
    TooPrecise,
}

const MAX_SCALE: u32 = 12;
const MAX_DIGITS: usize = 18;

/// How many units of the workspace currency one unit of another currency is worth: a positive
/// decimal `units × 10^-scale`, kept exact (at most 18 significant digits, 12 after the point).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExchangeRate {
    units: u64,
    scale: u32,
}

impl ExchangeRate {
    /// Parses a plain decimal (`42000`, `0.0000238`, `1.5`); no sign, exponent or separators.
    /// Trailing zeros after the point are dropped, so equal rates have one spelling.
    pub fn parse(raw: &str) -> Result<ExchangeRate, RateError> {
        let raw = raw.trim();
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) || raw.ends_with('.') {
            return Err(RateError::NotDecimal);
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > MAX_SCALE as usize {
            return Err(RateError::TooPrecise);
        }
        let digits = format!("{whole}{fraction}");
        let significant = digits.trim_start_matches('0');
        if significant.is_empty() {
            return Err(RateError::Zero);
        }
        if significant.len() > MAX_DIGITS {
            return Err(RateError::TooPrecise);
        }
        let units = significant.parse::<u64>().map_err(|_| RateError::TooPrecise)?;
        Ok(ExchangeRate { units, scale: fraction.len() as u32 })
    }

    /// `amount_minor` of `from` in minor units of `to`, rounded half away from zero; `None`
    /// only when the exact product does not fit in 128 bits (a total beyond 10^20 at a rate of
    /// 18 significant digits).
    ///
    /// amount in `to`'s minor units = amount_minor / 10^digits(from) × rate × 10^digits(to)
    ///                              = amount_minor × units × 10^(digits(to) − digits(from) − scale)
    pub fn convert(self, amount_minor: i128, from: Currency, to: Currency) -> Option<i128> {
        let product = amount_minor.checked_mul(i128::from(self.units))?;
        let exponent = to.minor_digits() as i32 - from.minor_digits() as i32 - self.scale as i32;
        if exponent >= 0 {
            product.checked_mul(10i128.checked_pow(exponent as u32)?)
        } else {
            // 10^39 exceeds i128: dividing by it leaves nothing of any amount that fits.
            Some(10i128.checked_pow(exponent.unsigned_abs()).map_or(0, |divisor| divide_rounded(product, divisor)))
        }
    }
}

/// `n / d` rounded half away from zero, for `d > 0`.
fn divide_rounded(n: i128, d: i128) -> i128 {
    let half = d / 2;
    if n >= 0 { (n + half) / d } else { (n - half) / d }
}

impl std::fmt::Display for ExchangeRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.units.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{whole}.{fraction}")
    }
}

/// Amounts kept apart per currency, in minor units, in currency-code order. Totals are 128-bit:
/// any number of deals at the largest amount (10^15) adds up exactly, far beyond 64 bits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurrencyAmounts(BTreeMap<Currency, i128>);

impl CurrencyAmounts {
    /// Adds `amount_minor` to the currency's total (saturating only past 1.7 × 10^38, which no
    /// sum of 64-bit amounts reaches).
    pub fn add(&mut self, currency: Currency, amount_minor: i128) {
        let total = self.0.entry(currency).or_insert(0);
        *total = total.saturating_add(amount_minor);
    }

    pub fn get(&self, currency: Currency) -> i128 {
        self.0.get(&currency).copied().unwrap_or(0)
    }

    /// Adds every total of `other` to this one's.
    pub fn merge(&mut self, other: &CurrencyAmounts) {
        for (currency, amount) in other.iter() {
            self.add(currency, amount);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Currency, i128)> + '_ {
        self.0.iter().map(|(c, a)| (*c, *a))
    }

    pub fn currencies(&self) -> impl Iterator<Item = Currency> + '_ {
        self.0.keys().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Currency, i128)> for CurrencyAmounts {
    fn from_iter<I: IntoIterator<Item = (Currency, i128)>>(iter: I) -> Self {
        let mut amounts = CurrencyAmounts::default();
        for (currency, amount) in iter {
            amounts.add(currency, amount);
        }
        amounts
    }
}

/// A rate and the day it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedRate {
    pub currency: Currency,
    pub rate: ExchangeRate,
    pub rate_date: NaiveDate,
}

/// Per-currency totals converted into the workspace currency and added up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion {
    pub currency: Currency,
    pub amount_minor: i128,
    /// The rate used for each converted currency (the workspace currency needs none).
    pub rates: Vec<DatedRate>,
    /// Currencies left out of `amount_minor`: no rate on or before the period end (or a total too
    /// large to convert).
    pub unconverted: Vec<Currency>,
}

/// The rates a report converts with: for each currency, the latest on or before one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    target: Currency,
    rates: BTreeMap<Currency, DatedRate>,
}

impl RateTable {
    /// `rates` should hold one rate per currency; of several, the latest day wins.
    pub fn new(target: Currency, rates: impl IntoIterator<Item = DatedRate>) -> RateTable {
        let mut table = BTreeMap::new();
        for rate in rates {
            if rate.currency == target {
                continue;
            }
            let entry = table.entry(rate.currency).or_insert(rate);
            if rate.rate_date > entry.rate_date {
                *entry = rate;
            }
        }
        RateTable { target, rates: table }
    }

    /// `None` when the workspace has no rates to convert with: reports then show no converted
    /// figure at all. Each currency's total is converted once (one rounding per currency), then
    /// the converted totals are added.
    pub fn convert(&self, amounts: &CurrencyAmounts) -> Option<Conversion> {
        if self.rates.is_empty() {
            return None;
        }
        let mut conversion = Conversion { currency: self.target, amount_minor: 0, rates: Vec::new(), unconverted: Vec::new() };
        for (currency, amount) in amounts.iter() {
            let converted = if currency == self.target {
                Some(amount)
            } else {
                self.rates.get(&currency).and_then(|dated| {
                    let converted = dated.rate.convert(amount, currency, self.target)?;
                    conversion.rates.push(*dated);
                    Some(converted)
                })
            };
            match converted.and_then(|c| conversion.amount_minor.checked_add(c)) {
                Some(total) => conversion.amount_minor = total,
                None => {
                    conversion.rates.retain(|r| r.currency != currency);
                    conversion.unconverted.push(currency);
                }
            }
        }
        Some(conversion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(raw: &str) -> ExchangeRate {
        ExchangeRate::parse(raw).unwrap()
    }

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn rates_parse_as_exact_positive_decimals() {
        assert_eq!(rate("42000").to_string(), "42000");
        assert_eq!(rate("0.0000238").to_string(), "0.0000238");
        assert_eq!(rate(" 1.50 ").to_string(), "1.5");
        assert_eq!(rate("007.250").to_string(), "7.25");
        assert_eq!(rate(".5").to_string(), "0.5");
        assert_eq!(rate("123456789012345678").to_string(), "123456789012345678");
        for bad in ["", ".", "1.", "-1", "+1", "1e5", "1,5", "abc", "1.2.3", "۱۲"] {
            assert_eq!(ExchangeRate::parse(bad), Err(RateError::NotDecimal), "{bad:?}");
        }
        assert_eq!(ExchangeRate::parse("0"), Err(RateError::Zero));
        assert_eq!(ExchangeRate::parse("0.000"), Err(RateError::Zero));
        assert_eq!(ExchangeRate::parse("0.0000000000001"), Err(RateError::TooPrecise));
        assert_eq!(ExchangeRate::parse("1234567890123456789"), Err(RateError::TooPrecise));
    }

    #[test]
    fn conversion_respects_each_currencys_minor_units() {
        let (usd, irr, kwd, eur) = (currency("USD"), currency("IRR"), currency("KWD"), currency("EUR"));
        // $12.34 at 42,000 rials a dollar: 1234 cents × 42000 / 100 = 518,280 rials.
        assert_eq!(rate("42000").convert(1234, usd, irr), Some(518_280));
        // 1,000,000 rials at 0.0000238 dollars a rial: 1e6 × 0.0000238 = $23.80 = 2380 cents.
        assert_eq!(rate("0.0000238").convert(1_000_000, irr, usd), Some(2380));
        // 1.005 KWD (1005 fils) at 3.25 USD: 3.26625 → 326.625 cents → 327.
        assert_eq!(rate("3.25").convert(1005, kwd, usd), Some(327));
        // Half a cent rounds away from zero: €0.01 at 0.5 = $0.005 → 1 cent.
        assert_eq!(rate("0.5").convert(1, eur, usd), Some(1));
        assert_eq!(rate("0.5").convert(-1, eur, usd), Some(-1));
        // Beyond 64 bits, exactly: 10^4 deals of 10^15 rials at 0.0000238 dollars a rial.
        assert_eq!(rate("0.0000238").convert(10_i128.pow(19), irr, usd), Some(23_800_000_000_000_000));
        assert_eq!(rate("1000000").convert(i128::MAX / 2, irr, usd), None, "too large for 128 bits");
    }

    #[test]
    fn a_table_converts_what_it_has_rates_for_and_lists_the_rest() {
        let (usd, irr, eur, gbp) = (currency("USD"), currency("IRR"), currency("EUR"), currency("GBP"));
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let table = RateTable::new(
            irr,
            [
                DatedRate { currency: usd, rate: rate("41000"), rate_date: day(1) },
                DatedRate { currency: usd, rate: rate("42000"), rate_date: day(20) },
                DatedRate { currency: eur, rate: rate("45000"), rate_date: day(3) },
            ],
        );
        let amounts: CurrencyAmounts = [(irr, 1_000), (usd, 250), (gbp, 99), (eur, 100), (usd, 50)].into_iter().collect();
        let conversion = table.convert(&amounts).unwrap();
        // 1,000 rials + $3.00 × 42,000 (the later rate) + €1.00 × 45,000 = 1,000 + 126,000 + 45,000.
        assert_eq!(conversion.amount_minor, 172_000);
        assert_eq!(conversion.rates.iter().map(|r| (r.currency, r.rate_date)).collect::<Vec<_>>(), [(eur, day(3)), (usd, day(20))]);
        assert_eq!(conversion.unconverted, [gbp]);
        assert_eq!(RateTable::new(irr, []).convert(&amounts), None);
    }
}
