//! The fixed words of a document in each locale. The Persian ones follow the standard Iranian
//! sales invoice (صورتحساب فروش کالا و خدمات).

use crate::document::{DocumentKind, DocumentLocale, PaymentMethod, Stamp};

pub(crate) struct Labels {
    pub title: &'static str,
    pub number: &'static str,
    pub issued_on: &'static str,
    pub due_on: &'static str,
    pub seller: &'static str,
    pub buyer: &'static str,
    pub contact: &'static str,
    pub economic_code: &'static str,
    pub national_id: &'static str,
    pub registration_number: &'static str,
    pub postal_code: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    /// Row number, description, quantity, unit, unit price, amount, discount, amount after
    /// discount, VAT, total; long ones broken in two, so that figures set the columns' width.
    pub columns: [&'static str; 10],
    /// Before the unit the amounts are in: "Amounts in" Rial.
    pub amounts_in: &'static str,
    pub subtotal: &'static str,
    pub discount: &'static str,
    pub after_discount: &'static str,
    pub tax: &'static str,
    pub total: &'static str,
    pub paid: &'static str,
    pub balance_due: &'static str,
    /// The heading of an invoice's payments and their columns: date, method, reference, amount.
    pub payments: &'static str,
    pub payment_columns: [&'static str; 4],
    pub in_words: &'static str,
    pub notes: &'static str,
    pub terms: &'static str,
    pub seller_signature: &'static str,
    pub buyer_signature: &'static str,
    pub page: &'static str,
    pub page_of: &'static str,
}

pub(crate) fn labels(kind: DocumentKind, locale: DocumentLocale) -> Labels {
    match locale {
        DocumentLocale::En => english(kind),
        DocumentLocale::Fa => persian(kind),
    }
}

fn english(kind: DocumentKind) -> Labels {
    let quote = kind == DocumentKind::Quote;
    Labels {
        title: if quote { "Quote" } else { "Invoice" },
        number: if quote { "Quote no." } else { "Invoice no." },
        issued_on: "Date",
        due_on: if quote { "Valid until" } else { "Due date" },
        seller: "Seller",
        buyer: if quote { "Prepared for" } else { "Bill to" },
        contact: "Contact",
        economic_code: "Economic code",
        national_id: "National ID",
        registration_number: "Registration no.",
        postal_code: "Postal code",
        address: "Address",
        phone: "Phone",
        email: "Email",
        columns: ["#", "Description", "Qty", "Unit", "Unit price", "Amount", "Discount", "After discount", "VAT", "Total"],
        amounts_in: "Amounts in",
        subtotal: "Subtotal",
        discount: "Discount",
        after_discount: "After discount",
        tax: "VAT",
        total: "Total",
        paid: "Paid",
        balance_due: "Balance due",
        payments: "Payments",
        payment_columns: ["Date", "Method", "Reference", "Amount"],
        in_words: "Amount in words",
        notes: "Notes",
        terms: "Terms and conditions",
        seller_signature: "Seller's signature and stamp",
        buyer_signature: if quote { "Accepted by (buyer's signature)" } else { "Buyer's signature" },
        page: "Page",
        page_of: "of",
    }
}

fn persian(kind: DocumentKind) -> Labels {
    let quote = kind == DocumentKind::Quote;
    Labels {
        title: if quote { "پیش‌فاکتور" } else { "صورتحساب فروش کالا و خدمات" },
        number: "شماره",
        issued_on: "تاریخ",
        due_on: if quote { "اعتبار تا" } else { "مهلت پرداخت" },
        seller: "مشخصات فروشنده",
        buyer: "مشخصات خریدار",
        contact: "نماینده",
        economic_code: "کد اقتصادی",
        national_id: "شناسه ملی",
        registration_number: "شماره ثبت",
        postal_code: "کد پستی",
        address: "نشانی",
        phone: "تلفن",
        email: "ایمیل",
        columns: [
            "ردیف",
            "شرح کالا یا خدمات",
            "مقدار",
            "واحد",
            "مبلغ واحد",
            "مبلغ کل",
            "تخفیف",
            "مبلغ پس از\nتخفیف",
            "مالیات بر\nارزش افزوده",
            "مبلغ کل\nبا مالیات",
        ],
        amounts_in: "مبالغ به",
        subtotal: "جمع مبالغ",
        discount: "تخفیف",
        after_discount: "جمع پس از تخفیف",
        tax: "مالیات بر ارزش افزوده",
        total: if quote { "جمع کل" } else { "مبلغ قابل پرداخت" },
        paid: "پرداخت شده",
        balance_due: "مانده قابل پرداخت",
        payments: "پرداخت‌ها",
        payment_columns: ["تاریخ", "روش", "شماره پیگیری", "مبلغ"],
        in_words: "مبلغ به حروف",
        notes: "توضیحات",
        terms: "شرایط و نحوه فروش",
        seller_signature: "مهر و امضای فروشنده",
        buyer_signature: if quote { "تأیید خریدار" } else { "مهر و امضای خریدار" },
        page: "صفحه",
        page_of: "از",
    }
}

/// What a stamp says, and its ink (`#rrggbb`).
pub(crate) fn stamp(stamp: Stamp, locale: DocumentLocale) -> (&'static str, &'static str) {
    let fa = locale == DocumentLocale::Fa;
    match stamp {
        Stamp::Draft => (if fa { "پیش‌نویس" } else { "DRAFT" }, "#6b7280"),
        Stamp::Void => (if fa { "باطل شده" } else { "VOID" }, "#c0262d"),
        Stamp::Paid => (if fa { "پرداخت شده" } else { "PAID" }, "#1a7f37"),
    }
}

/// How a payment was made, in words.
pub(crate) fn payment_method(method: PaymentMethod, locale: DocumentLocale) -> &'static str {
    use PaymentMethod::*;
    match (method, locale) {
        (Cash, DocumentLocale::En) => "Cash",
        (Card, DocumentLocale::En) => "Card",
        (BankTransfer, DocumentLocale::En) => "Bank transfer",
        (Cheque, DocumentLocale::En) => "Cheque",
        (Other, DocumentLocale::En) => "Other",
        (Cash, DocumentLocale::Fa) => "نقدی",
        (Card, DocumentLocale::Fa) => "کارت",
        (BankTransfer, DocumentLocale::Fa) => "حواله بانکی",
        (Cheque, DocumentLocale::Fa) => "چک",
        (Other, DocumentLocale::Fa) => "سایر",
    }
}
