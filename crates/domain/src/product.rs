//! The product catalogue and a deal's line items: what is sold, in which quantity, at which
//! price, discount and tax, and the exact totals of each line and of the deal.
//!
//! Money is integer minor units and quantities are integer thousandths: no floating point
//! anywhere. Each line is priced by one rule, applied in this order, every step rounded half up
//! to a whole minor unit (all the values are non-negative, so "half up" is "half away from
//! zero"):
//!
//! ```text
//! subtotal = round_half_up(quantity × unit_price)
//! discount = round_half_up(subtotal × discount_bp / 10000)
//! tax      = round_half_up((subtotal − discount) × tax_bp / 10000)
//! total    = subtotal − discount + tax
//! ```
//!
//! The deal's totals are the sums of its lines' figures. The products are computed in 128 bits;
//! a figure above [`MAX_LINE_AMOUNT`] is refused, never wrapped or saturated.

use std::collections::HashSet;

use thiserror::Error;

use crate::ids::ProductId;
use crate::money::Currency;
use crate::text::bounded_text;

/// The largest amount of one figure of a line or of the deal's totals, in minor units (10^15,
/// the largest deal amount): sums and weighted sums of deals stay exact in 64 bits.
pub const MAX_LINE_AMOUNT: i64 = 1_000_000_000_000_000;

/// The largest quantity of a line: a billion units.
pub const MAX_QUANTITY_UNITS: i64 = 1_000_000_000;

/// A deal has at most this many lines.
pub const MAX_LINES: usize = 100;

bounded_text!(
    /// A product's name, as lines and documents show it.
    ProductName,
    200
);
bounded_text!(
    /// The unit a product is counted in (`pcs`, `hour`, `kg`, `ماه`).
    ProductUnit,
    20
);
bounded_text!(
    /// The name of a line of a deal: the product's, or a free text.
    LineName,
    200
);

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProductError {
    #[error("a SKU is 1 to 64 letters, digits and - _ . / without spaces")]
    Sku,
    #[error("a rate is basis points from 0 to 10000 (1000 = 10%)")]
    Rate,
    #[error("a price is 0 to 10^15 minor units")]
    Price,
    #[error("a quantity is a decimal string with at most 3 decimals, above 0 and at most 1000000000, such as \"1.5\"")]
    Quantity,
}

/// A stock-keeping unit: the product's code, unique in its workspace whatever its letter case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Sku(String);

impl Sku {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Sku, ProductError> {
        let sku = raw.trim();
        let allowed = |c: char| c.is_alphanumeric() || "-_./".contains(c);
        if sku.is_empty() || sku.chars().count() > Self::MAX_CHARS || !sku.chars().all(allowed) {
            return Err(ProductError::Sku);
        }
        Ok(Sku(sku.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form two SKUs are compared in: `AB-1` and `ab-1` are the same SKU.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A rate in basis points, 0 to 10000 (1000 = 10%): a tax rate or a discount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct BasisPoints(u16);

/// A tax rate (VAT): 1000 basis points is 10%.
pub type TaxRate = BasisPoints;

impl BasisPoints {
    pub const MAX: i64 = 10_000;

    pub fn new(basis_points: i64) -> Result<BasisPoints, ProductError> {
        match u16::try_from(basis_points) {
            Ok(value) if i64::from(value) <= Self::MAX => Ok(BasisPoints(value)),
            _ => Err(ProductError::Rate),
        }
    }

    pub fn get(self) -> i64 {
        i64::from(self.0)
    }
}

/// A unit price in minor units, 0 to [`MAX_LINE_AMOUNT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct UnitPrice(i64);

impl UnitPrice {
    pub fn new(minor: i64) -> Result<UnitPrice, ProductError> {
        if (0..=MAX_LINE_AMOUNT).contains(&minor) { Ok(UnitPrice(minor)) } else { Err(ProductError::Price) }
    }

    pub fn minor(self) -> i64 {
        self.0
    }
}

/// A quantity with up to three decimals, kept as integer thousandths: `"1.5"` is 1500. Above
/// zero (a line of nothing is no line) and at most [`MAX_QUANTITY_UNITS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

impl Quantity {
    /// Thousandths in a unit.
    pub const SCALE: i64 = 1000;

    /// Reads a decimal such as `"2"`, `"1.5"` or `"0.125"`; Persian and Arabic-Indic digits are
    /// read as their ASCII ones. No sign, exponent, grouping or more than three decimals.
    pub fn parse(raw: &str) -> Result<Quantity, ProductError> {
        let ascii: String = raw.trim().chars().map(ascii_digit).collect();
        let (whole, fraction) = match ascii.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (ascii.as_str(), ""),
        };
        let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || whole.len() > 10 || fraction.len() > 3 || !digits(whole) || !digits(fraction) || ascii.ends_with('.') {
            return Err(ProductError::Quantity);
        }
        let whole: i64 = whole.parse().map_err(|_| ProductError::Quantity)?;
        let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}").parse().map_err(|_| ProductError::Quantity)? };
        Quantity::from_thousandths(whole * Self::SCALE + fraction)
    }

    pub fn from_thousandths(thousandths: i64) -> Result<Quantity, ProductError> {
        if thousandths <= 0 || thousandths > MAX_QUANTITY_UNITS * Self::SCALE {
            return Err(ProductError::Quantity);
        }
        Ok(Quantity(thousandths))
    }

    pub fn thousandths(self) -> i64 {
        self.0
    }
}

/// The shortest decimal of the quantity: `1500` → `"1.5"`, `2000` → `"2"`.
impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, fraction) = (self.0 / Self::SCALE, self.0 % Self::SCALE);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{fraction:03}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

fn ascii_digit(c: char) -> char {
    match c {
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '٫' => '.',
        other => other,
    }
}

/// What a line needs to know of the catalogue product it names.
#[derive(Clone, Debug)]
pub struct ProductFacts {
    pub id: ProductId,
    pub name: ProductName,
    pub unit_price: UnitPrice,
    pub currency: Currency,
    pub tax_rate: TaxRate,
    pub active: bool,
}

/// A line as a request gives it: a product, or a free line with its own name and price; what a
/// product line leaves out is the product's.
#[derive(Clone, Debug, Default)]
pub struct LineDraft {
    pub product_id: Option<ProductId>,
    pub name: Option<LineName>,
    pub quantity: Option<Quantity>,
    pub unit_price: Option<UnitPrice>,
    pub discount: Option<BasisPoints>,
    pub tax_rate: Option<TaxRate>,
}

/// A line with every value it is priced from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineItem {
    pub product_id: Option<ProductId>,
    pub name: LineName,
    pub quantity: Quantity,
    pub unit_price: UnitPrice,
    pub discount: BasisPoints,
    pub tax_rate: TaxRate,
}

/// Why a line was refused; [`LineError::field`] names the field of the line at fault.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LineError {
    #[error("a deal has at most {MAX_LINES} lines")]
    TooManyLines,
    #[error("no such product")]
    UnknownProduct,
    #[error("the product is archived; only a line the deal already had may keep it")]
    ArchivedProduct,
    #[error("the product is priced in {product}, the deal in {deal}")]
    CurrencyMismatch { product: Currency, deal: Currency },
    #[error("a line without a product needs a name")]
    NameRequired,
    #[error("a line without a product needs a unit_price_minor")]
    PriceRequired,
    #[error("a line needs a quantity")]
    QuantityRequired,
    #[error("the line's amounts exceed 10^15 minor units")]
    Overflow,
    #[error("the deal's totals exceed 10^15 minor units")]
    TotalOverflow,
}

impl LineError {
    /// The field of the line (or `items` for the whole list) that the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            LineError::TooManyLines | LineError::TotalOverflow => "items",
            LineError::UnknownProduct | LineError::ArchivedProduct | LineError::CurrencyMismatch { .. } => "product_id",
            LineError::NameRequired => "name",
            LineError::PriceRequired => "unit_price_minor",
            LineError::QuantityRequired => "quantity",
            LineError::Overflow => "quantity",
        }
    }
}

impl LineDraft {
    /// The line this draft makes on a deal priced in `currency`: a product's name, price and tax
    /// rate fill in what the draft leaves out, and the product must be priced in the deal's
    /// currency. An archived product is accepted only on a line the deal already had
    /// (`kept`: the products on its lines before this change), so that old deals can be saved
    /// again while no new line offers it.
    pub fn resolve(self, product: Option<&ProductFacts>, currency: Currency, kept: &HashSet<ProductId>) -> Result<LineItem, LineError> {
        let quantity = self.quantity.ok_or(LineError::QuantityRequired)?;
        let discount = self.discount.unwrap_or_default();
        match (self.product_id, product) {
            (Some(_), None) => Err(LineError::UnknownProduct),
            (Some(id), Some(product)) => {
                if !product.active && !kept.contains(&id) {
                    return Err(LineError::ArchivedProduct);
                }
                if product.currency != currency {
                    return Err(LineError::CurrencyMismatch { product: product.currency, deal: currency });
                }
                Ok(LineItem {
                    product_id: Some(id),
                    name: self.name.unwrap_or_else(|| LineName(product.name.as_str().to_owned())),
                    quantity,
                    unit_price: self.unit_price.unwrap_or(product.unit_price),
                    discount,
                    tax_rate: self.tax_rate.unwrap_or(product.tax_rate),
                })
            }
            (None, _) => Ok(LineItem {
                product_id: None,
                name: self.name.ok_or(LineError::NameRequired)?,
                quantity,
                unit_price: self.unit_price.ok_or(LineError::PriceRequired)?,
                discount,
                tax_rate: self.tax_rate.unwrap_or_default(),
            }),
        }
    }
}

/// The figures of a line, or the sums of a deal's lines, in minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LineAmounts {
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

/// `numerator / denominator` rounded half up, for a non-negative numerator and a positive
/// denominator.
fn round_half_up(numerator: i128, denominator: i128) -> i128 {
    (numerator + denominator / 2) / denominator
}

fn bounded(value: i128, error: LineError) -> Result<i64, LineError> {
    i64::try_from(value).ok().filter(|v| *v <= MAX_LINE_AMOUNT).ok_or(error)
}

impl LineItem {
    /// The line's figures by the module's rule; a figure above [`MAX_LINE_AMOUNT`] is refused.
    pub fn amounts(&self) -> Result<LineAmounts, LineError> {
        let scale = i128::from(BasisPoints::MAX);
        let subtotal = round_half_up(i128::from(self.quantity.0) * i128::from(self.unit_price.0), i128::from(Quantity::SCALE));
        let discount = round_half_up(subtotal * i128::from(self.discount.get()), scale);
        let tax = round_half_up((subtotal - discount) * i128::from(self.tax_rate.get()), scale);
        let total = subtotal - discount + tax;
        Ok(LineAmounts {
            subtotal_minor: bounded(subtotal, LineError::Overflow)?,
            discount_minor: bounded(discount, LineError::Overflow)?,
            tax_minor: bounded(tax, LineError::Overflow)?,
            total_minor: bounded(total, LineError::Overflow)?,
        })
    }
}

/// The figures of every line and their sums, the deal's totals; refused when a line's figures or
/// the sums exceed [`MAX_LINE_AMOUNT`]. The error carries the index of the line at fault.
pub fn price_lines(lines: &[LineItem]) -> Result<(Vec<LineAmounts>, LineAmounts), (Option<usize>, LineError)> {
    if lines.len() > MAX_LINES {
        return Err((None, LineError::TooManyLines));
    }
    let mut each = Vec::with_capacity(lines.len());
    let mut sums = [0i128; 4];
    for (index, line) in lines.iter().enumerate() {
        let amounts = line.amounts().map_err(|e| (Some(index), e))?;
        for (sum, value) in sums.iter_mut().zip([amounts.subtotal_minor, amounts.discount_minor, amounts.tax_minor, amounts.total_minor]) {
            *sum += i128::from(value);
        }
        each.push(amounts);
    }
    let total = |value: i128| bounded(value, LineError::TotalOverflow).map_err(|e| (None, e));
    let totals = LineAmounts {
        subtotal_minor: total(sums[0])?,
        discount_minor: total(sums[1])?,
        tax_minor: total(sums[2])?,
        total_minor: total(sums[3])?,
    };
    Ok((each, totals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: &str, price: i64, discount: i64, tax: i64) -> LineItem {
        LineItem {
            product_id: None,
            name: LineName::parse("Tracker").unwrap(),
            quantity: Quantity::parse(quantity).unwrap(),
            unit_price: UnitPrice::new(price).unwrap(),
            discount: BasisPoints::new(discount).unwrap(),
            tax_rate: BasisPoints::new(tax).unwrap(),
        }
    }

    fn amounts(subtotal: i64, discount: i64, tax: i64, total: i64) -> LineAmounts {
        LineAmounts { subtotal_minor: subtotal, discount_minor: discount, tax_minor: tax, total_minor: total }
    }

    #[test]
    fn quantities_are_decimals_of_at_most_three_places() {
        for (raw, thousandths) in
            [("1", 1000), ("1.5", 1500), ("0.125", 125), (" 2.50 ", 2500), ("۱٫۵", 1500), ("1000000000", 1_000_000_000_000)]
        {
            assert_eq!(Quantity::parse(raw).unwrap().thousandths(), thousandths, "{raw}");
        }
        for raw in ["", "0", "0.000", "-1", "1.2345", "1e3", "1,5", ".5", "1.", "1000000000.001", "abc", "+1", "99999999999"] {
            assert_eq!(Quantity::parse(raw), Err(ProductError::Quantity), "{raw}");
        }
        assert_eq!(Quantity::parse("1.50").unwrap().to_string(), "1.5");
        assert_eq!(Quantity::parse("3").unwrap().to_string(), "3");
        assert_eq!(Quantity::parse("0.005").unwrap().to_string(), "0.005");
    }

    #[test]
    fn rates_skus_and_prices_have_their_bounds() {
        assert_eq!(BasisPoints::new(10_000).unwrap().get(), 10_000);
        assert_eq!(BasisPoints::new(10_001), Err(ProductError::Rate));
        assert_eq!(BasisPoints::new(-1), Err(ProductError::Rate));
        assert_eq!(Sku::parse(" GPS-100/a ").unwrap().as_str(), "GPS-100/a");
        assert_eq!(Sku::parse("GPS-100/A").unwrap().key(), Sku::parse("gps-100/a").unwrap().key());
        assert_eq!(Sku::parse("two words"), Err(ProductError::Sku));
        assert_eq!(Sku::parse(""), Err(ProductError::Sku));
        assert_eq!(Sku::parse(&"x".repeat(65)), Err(ProductError::Sku));
        assert!(UnitPrice::new(MAX_LINE_AMOUNT).is_ok());
        assert_eq!(UnitPrice::new(MAX_LINE_AMOUNT + 1), Err(ProductError::Price));
        assert_eq!(UnitPrice::new(-1), Err(ProductError::Price));
    }

    #[test]
    fn a_worked_example_with_a_discount_and_ten_percent_vat() {
        // 3 trackers at 12,500,000 rials, 5% off, 10% VAT.
        assert_eq!(line("3", 12_500_000, 500, 1000).amounts().unwrap(), amounts(37_500_000, 1_875_000, 3_562_500, 39_187_500));
        // 1.5 hours at 19.99 dollars, no discount, 9% tax: 29.985 → 29.99, tax 2.6991 → 2.70.
        assert_eq!(line("1.5", 1999, 0, 900).amounts().unwrap(), amounts(2999, 0, 270, 3269));
    }

    #[test]
    fn every_step_rounds_half_up() {
        // 0.5 × 1 = 0.5 → 1; exactly half goes up.
        assert_eq!(line("0.5", 1, 0, 0).amounts().unwrap().subtotal_minor, 1);
        // 0.499 × 1 → 0; under half goes down.
        assert_eq!(line("0.499", 1, 0, 0).amounts().unwrap().subtotal_minor, 0);
        // 5% of 10 = 0.5 → 1 off; then 10% tax of 9 = 0.9 → 1.
        assert_eq!(line("1", 10, 500, 1000).amounts().unwrap(), amounts(10, 1, 1, 10));
        // 15% of 10 = 1.5 → 2; 5% tax of 10 = 0.5 → 1.
        assert_eq!(line("1", 10, 1500, 0).amounts().unwrap().discount_minor, 2);
        assert_eq!(line("1", 10, 0, 500).amounts().unwrap().tax_minor, 1);
        // 4.9% of 10 = 0.49 → 0.
        assert_eq!(line("1", 10, 490, 0).amounts().unwrap().discount_minor, 0);
        // A whole discount leaves nothing to tax.
        assert_eq!(line("2", 700, 10_000, 1000).amounts().unwrap(), amounts(1400, 1400, 0, 0));
    }

    #[test]
    fn large_amounts_are_exact_and_overflow_is_refused() {
        // 10^6 units at 10^9 minor units: 10^15, the largest amount, with no tax.
        assert_eq!(line("1000000", 1_000_000_000, 0, 0).amounts().unwrap().total_minor, MAX_LINE_AMOUNT);
        // The same with 1% tax goes over.
        assert_eq!(line("1000000", 1_000_000_000, 0, 100).amounts(), Err(LineError::Overflow));
        // The largest quantity at the largest price is 10^24 in 128 bits, refused, not wrapped.
        assert_eq!(line("1000000000", MAX_LINE_AMOUNT, 0, 0).amounts(), Err(LineError::Overflow));
        // Two lines each within bounds whose sum is not.
        let half = line("1", MAX_LINE_AMOUNT / 2 + 1, 0, 0);
        assert_eq!(price_lines(&[half.clone(), half]).unwrap_err(), (None, LineError::TotalOverflow));
        let many = vec![line("1", 1, 0, 0); MAX_LINES + 1];
        assert_eq!(price_lines(&many).unwrap_err(), (None, LineError::TooManyLines));
    }

    #[test]
    fn the_deals_totals_are_the_sums_of_its_lines() {
        let (each, totals) = price_lines(&[line("3", 12_500_000, 500, 1000), line("1", 2_000_000, 0, 1000)]).unwrap();
        assert_eq!(each[1], amounts(2_000_000, 0, 200_000, 2_200_000));
        assert_eq!(totals, amounts(39_500_000, 1_875_000, 3_762_500, 41_387_500));
        assert_eq!(price_lines(&[]).unwrap().1, LineAmounts::default());
    }

    fn product(active: bool, currency: &str) -> ProductFacts {
        ProductFacts {
            id: ProductId::new(),
            name: ProductName::parse("GPS tracker").unwrap(),
            unit_price: UnitPrice::new(12_500_000).unwrap(),
            currency: Currency::parse(currency).unwrap(),
            tax_rate: BasisPoints::new(1000).unwrap(),
            active,
        }
    }

    #[test]
    fn a_product_line_takes_what_it_leaves_out_from_the_product() {
        let irr = Currency::parse("IRR").unwrap();
        let tracker = product(true, "IRR");
        let draft = LineDraft { product_id: Some(tracker.id), quantity: Some(Quantity::parse("2").unwrap()), ..Default::default() };
        let line = draft.clone().resolve(Some(&tracker), irr, &HashSet::new()).unwrap();
        assert_eq!((line.name.as_str(), line.unit_price.minor(), line.tax_rate.get()), ("GPS tracker", 12_500_000, 1000));
        let own = LineDraft { unit_price: Some(UnitPrice::new(1).unwrap()), tax_rate: Some(BasisPoints::new(0).unwrap()), ..draft.clone() };
        let line = own.resolve(Some(&tracker), irr, &HashSet::new()).unwrap();
        assert_eq!((line.unit_price.minor(), line.tax_rate.get()), (1, 0));

        let usd = product(true, "USD");
        let mismatch = LineDraft { product_id: Some(usd.id), ..draft.clone() }.resolve(Some(&usd), irr, &HashSet::new());
        assert!(matches!(mismatch, Err(LineError::CurrencyMismatch { .. })));

        let archived = product(false, "IRR");
        let drafted = LineDraft { product_id: Some(archived.id), ..draft.clone() };
        assert_eq!(drafted.clone().resolve(Some(&archived), irr, &HashSet::new()), Err(LineError::ArchivedProduct));
        assert!(drafted.resolve(Some(&archived), irr, &HashSet::from([archived.id])).is_ok(), "a line the deal had keeps it");
        assert_eq!(draft.resolve(None, irr, &HashSet::new()), Err(LineError::UnknownProduct));
    }

    #[test]
    fn a_free_line_needs_its_name_price_and_quantity() {
        let irr = Currency::parse("IRR").unwrap();
        let quantity = Some(Quantity::parse("1").unwrap());
        let free = LineDraft { quantity, unit_price: Some(UnitPrice::new(5).unwrap()), ..Default::default() };
        assert_eq!(free.clone().resolve(None, irr, &HashSet::new()), Err(LineError::NameRequired));
        let named = LineDraft { name: Some(LineName::parse("Installation").unwrap()), ..free };
        assert_eq!(named.clone().resolve(None, irr, &HashSet::new()).unwrap().tax_rate.get(), 0);
        let unpriced = LineDraft { unit_price: None, ..named.clone() };
        assert_eq!(unpriced.resolve(None, irr, &HashSet::new()), Err(LineError::PriceRequired));
        let counted = LineDraft { quantity: None, ..named };
        assert_eq!(counted.resolve(None, irr, &HashSet::new()), Err(LineError::QuantityRequired));
    }
}
