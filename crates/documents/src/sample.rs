//! A made-up quote or invoice, to preview a workspace's template and to test and measure the
//! typesetter.

use chrono::NaiveDate;
use kariz_domain::dates::Calendar;
use kariz_domain::{BasisPoints, Currency, LineItem, LineName, Quantity, UnitPrice};

use crate::document::{Document, DocumentKind, DocumentLocale, Line, Party, RialDisplay, Template, Totals};

/// Name (Persian, English), unit (Persian, English), quantity, unit price in rials, discount in
/// basis points. Every line carries 10% VAT.
const PRODUCTS: [(&str, &str, &str, &str, &str, i64, i64); 6] = [
    ("دستگاه کارتخوان سیار", "Mobile card payment terminal", "دستگاه", "pcs", "3", 185_000_000, 500),
    ("رول کاغذ حرارتی ۸۰ میلی‌متری", "Thermal paper rolls, 80 mm", "بسته", "box", "12", 1_250_000, 0),
    ("نرم‌افزار فروشگاهی Kariz POS (نسخه Pro)", "Kariz POS retail software (Pro edition)", "مجوز", "licence", "3", 68_000_000, 1_000),
    (
        "نصب، راه‌اندازی و آموزش کارکنان در محل فروشگاه",
        "On-site installation, setup and staff training",
        "خدمت",
        "service",
        "1",
        35_000_000,
        0,
    ),
    ("پشتیبانی و نگهداری سالانه", "Annual support and maintenance", "سال", "year", "1", 42_000_000, 0),
    ("کابل و آداپتور یدکی", "Spare cable and adapter", "عدد", "pcs", "2.5", 3_400_000, 0),
];

const VAT: i64 = 1_000;

impl Document {
    /// A document of `lines` lines (cycling through a few products) from a seller with every
    /// identifier to a buyer with a long address, in rials, dated 10 January 2027 (۱۴۰۵/۱۰/۲۰).
    /// Persian samples are on the Jalali calendar, English ones on the Gregorian.
    pub fn sample(kind: DocumentKind, locale: DocumentLocale, lines: usize) -> Document {
        let fa = locale == DocumentLocale::Fa;
        let pick = |persian: &str, english: &str| if fa { persian.to_owned() } else { english.to_owned() };
        let lines: Vec<Line> = PRODUCTS
            .iter()
            .cycle()
            .take(lines)
            .map(|&(name_fa, name_en, unit_fa, unit_en, quantity, price, discount)| {
                priced(&pick(name_fa, name_en), &pick(unit_fa, unit_en), quantity, price, discount)
            })
            .collect();
        let totals = Totals::of_lines(&lines);
        Document {
            kind,
            locale,
            calendar: if fa { Calendar::Jalali } else { Calendar::Gregorian },
            rial_display: RialDisplay::Rial,
            number: match kind {
                DocumentKind::Quote => "Q-1405-0007-R2",
                DocumentKind::Invoice => "INV-1405-0012",
            }
            .to_owned(),
            stamp: None,
            issued_on: NaiveDate::from_ymd_opt(2027, 1, 10).expect("a day"),
            due_on: NaiveDate::from_ymd_opt(2027, 1, 24),
            currency: Currency::parse("IRR").expect("IRR is a currency"),
            seller: Party {
                name: pick("شرکت فناوران داده‌پرداز آریا", "Arya Data Processing Technologies Co."),
                organization: None,
                economic_code: Some("411134567891".to_owned()),
                national_id: Some("10320894567".to_owned()),
                registration_number: Some("456789".to_owned()),
                postal_code: Some("1969714811".to_owned()),
                address: Some(pick("تهران، خیابان ملاصدرا، پلاک ۲۴، طبقه ۴", "4th floor, 24 Mollasadra St., Tehran, Iran")),
                phone: Some("021-88776655".to_owned()),
                email: Some("sales@arya.example".to_owned()),
            },
            buyer: Party {
                name: pick("سارا احمدی", "Sara Ahmadi"),
                organization: Some(pick("شرکت نمونه‌سازان پارس", "Pars Prototyping Company")),
                economic_code: Some("411987654321".to_owned()),
                national_id: Some("10103456789".to_owned()),
                registration_number: Some("123456".to_owned()),
                postal_code: Some("1415893746".to_owned()),
                address: Some(pick(
                    "تهران، بزرگراه شهید چمران، خروجی یمن، بلوار دانشجو، خیابان نهم، کوچه نیلوفر، پلاک ۱۲، ساختمان نگین، طبقه سوم، واحد ۸",
                    "Negin Building, unit 8, 3rd floor, 12 Niloufar Alley, 9th Street, Daneshjoo Blvd., off Yemen exit, Chamran Expressway, Tehran",
                )),
                phone: Some("021-22334455".to_owned()),
                email: None,
            },
            lines,
            totals,
            payments: Vec::new(),
            notes: Some(pick(
                "ارسال کالا به نشانی خریدار بر عهده فروشنده است.",
                "Goods are delivered to the buyer's address at the seller's expense.",
            )),
            template: Template {
                footer: Some(pick(
                    "بانک ملت، شبا IR120120000000001234567890 — تلفن ۰۲۱-۸۸۷۷۶۶۵۵ — arya.example",
                    "Bank Mellat, IBAN IR120120000000001234567890 — phone +98 21 8877 6655 — arya.example",
                )),
                terms: Some(pick(
                    "۱. اعتبار این سند تا تاریخ درج‌شده است.\n۲. تحویل کالا حداکثر هفت روز کاری پس از پرداخت انجام می‌شود.\n۳. دستگاه‌ها هجده ماه گارانتی دارند.",
                    "1. Prices hold until the date shown above.\n2. Goods are delivered within seven working days of payment.\n3. Terminals carry an eighteen-month warranty.",
                )),
                ..Template::default()
            },
        }
    }
}

/// A line priced by the domain's rule, with 10% VAT.
fn priced(name: &str, unit: &str, quantity: &str, unit_price: i64, discount: i64) -> Line {
    let quantity = Quantity::parse(quantity).expect("a sample quantity");
    let item = LineItem {
        product_id: None,
        name: LineName::parse(name).expect("a sample name"),
        quantity,
        unit_price: UnitPrice::new(unit_price).expect("a sample price"),
        discount: BasisPoints::new(discount).expect("a sample discount"),
        tax_rate: BasisPoints::new(VAT).expect("a sample rate"),
    };
    let amounts = item.amounts().expect("sample amounts within bounds");
    Line {
        name: name.to_owned(),
        unit: Some(unit.to_owned()),
        quantity,
        unit_price_minor: unit_price,
        subtotal_minor: amounts.subtotal_minor,
        discount_minor: amounts.discount_minor,
        tax_minor: amounts.tax_minor,
        total_minor: amounts.total_minor,
    }
}
