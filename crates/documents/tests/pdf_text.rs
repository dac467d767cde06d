//! The PDFs are read back as a person's tools read them: their text through `pdftotext`, their
//! pages through `pdfinfo`, their ink through `pdftoppm` (poppler-utils, which `make deps`
//! installs). A missing tool fails the test; it is never skipped.
//!
//! What `pdftotext` makes of Persian: it returns each right-to-left run in logical order but
//! wrapped in bidi embedding marks (U+202B … U+202C), and it reverses a glyph's characters along
//! with the word, so a zero-width non-joiner moves by one letter (`نمونه‌سازان` comes out
//! `نمونهس‌ازان`) and the lam-alef ligature comes out backwards (`کالا` as `کاال`). The text in
//! the PDF is right (the ToUnicode maps are in logical order); the assertions compare without
//! those marks and non-joiners, and avoid words with lam-alef.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use kariz_documents::{
    Document, DocumentKind, DocumentLocale, Logo, Party, Payment, PaymentMethod, RenderError, RialDisplay, Stamp, Template, render_pdf,
};
use kariz_domain::dates::Calendar;

const INSTALL_HINT: &str = "install poppler-utils (`apt-get install -y poppler-utils`, or `make deps`)";

/// A PDF written to a file of its own for poppler's tools, removed when dropped.
struct PdfFile(PathBuf);

impl PdfFile {
    fn new(pdf: &[u8]) -> PdfFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("kariz-documents-{}-{}.pdf", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, pdf).expect("write the PDF to the temporary folder");
        PdfFile(path)
    }
}

impl Drop for PdfFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("cannot run {tool} ({e}): {INSTALL_HINT}"));
    assert!(output.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

/// The PDF's text as `pdftotext` reads it (`extra` are its options), without bidi marks and
/// zero-width non-joiners.
fn text_with(pdf: &[u8], extra: &[&str]) -> String {
    let file = PdfFile::new(pdf);
    let path = file.0.to_str().expect("a UTF-8 temporary path");
    let mut args = extra.to_vec();
    args.extend([path, "-"]);
    let text = String::from_utf8(run("pdftotext", &args)).expect("pdftotext writes UTF-8");
    text.chars()
        .filter(|c| !matches!(c, '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

fn text(pdf: &[u8]) -> String {
    text_with(pdf, &[])
}

/// `expected` as the text above is compared: without zero-width non-joiners.
fn plain(expected: &str) -> String {
    expected.replace('\u{200c}', "")
}

fn assert_contains(text: &str, expected: &[&str]) {
    for wanted in expected {
        assert!(text.contains(&plain(wanted)), "{wanted:?} is not in the PDF's text:\n{text}");
    }
}

fn page_count(pdf: &[u8]) -> usize {
    let file = PdfFile::new(pdf);
    let info = String::from_utf8_lossy(&run("pdfinfo", &[file.0.to_str().expect("a UTF-8 path")])).into_owned();
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap_or_else(|| panic!("no page count in:\n{info}"));
    pages.trim().parse().expect("a number of pages")
}

fn sample(kind: DocumentKind, locale: DocumentLocale, lines: usize) -> Document {
    Document::sample(kind, locale, lines)
}

fn render(document: &Document) -> Vec<u8> {
    render_pdf(document).unwrap_or_else(|e| panic!("rendering failed: {e}"))
}

#[test]
fn a_persian_invoice_is_text_with_its_names_jalali_date_and_total() {
    let pdf = render(&sample(DocumentKind::Invoice, DocumentLocale::Fa, 6));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text(&pdf);
    assert_contains(
        &text,
        &[
            "صورتحساب فروش",
            "شرکت نمونه‌سازان پارس",
            "سارا احمدی",
            "دستگاه کارتخوان سیار",
            "پشتیبانی و نگهداری",
            // 10 January 2027 and its due date, 24 January 2027.
            "۱۴۰۵/۱۰/۲۰",
            "۱۴۰۵/۱۱/۰۴",
            "۸۹۲٬۴۸۵٬۰۰۰",
            "هشتصد و نود و دو میلیون و چهارصد و هشتاد و پنج هزار ریال",
            "مبلغ قابل پرداخت",
            // The buyer's economic code, in Persian digits.
            "۴۱۱۹۸۷۶۵۴۳۲۱",
            "INV-1405-0012",
        ],
    );
    assert!(!text.contains("892,485,000") && !text.contains("2027"), "Western digits or a Gregorian year in:\n{text}");
    // The layout mode keeps each line of a cell, so the names are found there too.
    assert_contains(&text_with(&pdf, &["-layout"]), &["شرکت نمونه‌سازان پارس", "دستگاه کارتخوان سیار", "۱۴۰۵/۱۰/۲۰", "۸۹۲٬۴۸۵٬۰۰۰"]);
}

#[test]
fn an_english_invoice_states_its_total_what_was_paid_and_the_balance() {
    let mut document = sample(DocumentKind::Invoice, DocumentLocale::En, 6);
    document.totals.paid_minor = Some(500_000_000);
    let text = text(&render(&document));
    assert_contains(
        &text,
        &[
            "Invoice",
            "Pars Prototyping Company",
            "Mobile card payment terminal",
            "10 January 2027",
            "24 January 2027",
            "892,485,000 Rial",
            "Eight hundred ninety-two million four hundred eighty-five thousand rials",
            "Paid",
            "500,000,000 Rial",
            "Balance due",
            "392,485,000 Rial",
        ],
    );
}

#[test]
fn dates_follow_the_workspace_calendar_whatever_the_language() {
    let mut persian = sample(DocumentKind::Quote, DocumentLocale::Fa, 2);
    persian.calendar = Calendar::Gregorian;
    let text_fa = text(&render(&persian));
    assert_contains(&text_fa, &["پیش‌فاکتور", "۲۰۲۷/۰۱/۱۰", "۲۰۲۷/۰۱/۲۴", "اعتبار تا"]);
    assert!(!text_fa.contains("۱۴۰۵/۱۰/۲۰"));

    let mut english = sample(DocumentKind::Quote, DocumentLocale::En, 2);
    english.calendar = Calendar::Jalali;
    let text_en = text(&render(&english));
    assert_contains(&text_en, &["Quote", "20 Dey 1405", "4 Bahman 1405", "Valid until"]);
    assert!(!text_en.contains("2027"));
}

#[test]
fn rials_can_be_shown_as_tomans() {
    let mut document = sample(DocumentKind::Invoice, DocumentLocale::Fa, 6);
    document.rial_display = RialDisplay::Toman;
    let text = text(&render(&document));
    assert_contains(&text, &["مبالغ به تومان", "۸۹٬۲۴۸٬۵۰۰", "تومان", "هشتاد و نه میلیون و دویست و چهل و هشت هزار و پانصد تومان"]);
    assert!(!text.contains("۸۹۲٬۴۸۵٬۰۰۰"));
}

/// Reddish pixels in the middle band of the first page, where the diagonal stamp crosses the
/// table (the header's badge lies above it).
fn red_ink_in_the_middle(pdf: &[u8]) -> usize {
    let file = PdfFile::new(pdf);
    let path = file.0.to_str().expect("a UTF-8 path");
    let ppm = run("pdftoppm", &["-r", "30", "-f", "1", "-l", "1", path]);
    // Binary PPM: "P6", width, height, maximum value, then RGB bytes.
    let mut fields = ppm.split(|b| b.is_ascii_whitespace()).filter(|f| !f.is_empty());
    assert_eq!(fields.next(), Some(&b"P6"[..]), "pdftoppm writes a binary PPM");
    let mut number = || -> usize { std::str::from_utf8(fields.next().expect("a header field")).unwrap().parse().expect("a number") };
    let (width, height, _max) = (number(), number(), number());
    let pixels = &ppm[ppm.len() - width * height * 3..];
    (height * 35 / 100..height * 75 / 100)
        .flat_map(|y| (0..width).map(move |x| (y * width + x) * 3))
        .filter(|&i| {
            let (r, g, b) = (i32::from(pixels[i]), i32::from(pixels[i + 1]), i32::from(pixels[i + 2]));
            r - g > 30 && r - b > 30
        })
        .count()
}

#[test]
fn a_void_document_says_so_in_words_and_in_ink() {
    let mut english = sample(DocumentKind::Invoice, DocumentLocale::En, 6);
    english.stamp = Some(Stamp::Void);
    let void = render(&english);
    assert_contains(&text(&void), &["VOID"]);
    let red = red_ink_in_the_middle(&void);
    english.stamp = None;
    let unstamped = render(&english);
    assert!(!text(&unstamped).contains("VOID"));
    assert_eq!(red_ink_in_the_middle(&unstamped), 0, "no red without a stamp");
    assert!(red > 200, "the stamp is drawn across the page: {red} red pixels");

    let mut persian = sample(DocumentKind::Invoice, DocumentLocale::Fa, 6);
    persian.stamp = Some(Stamp::Void);
    assert_contains(&text(&render(&persian)), &["باطل شده"]);
}

#[test]
fn many_lines_run_onto_further_pages_with_the_table_header_on_each() {
    let document = sample(DocumentKind::Quote, DocumentLocale::Fa, 40);
    let pdf = render(&document);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "{pages} page(s)");
    let page = |n: usize| text_with(&pdf, &["-f", &n.to_string(), "-l", &n.to_string()]);
    let (first, second, last) = (page(1), page(2), page(pages));
    assert_contains(&first, &["مبلغ واحد", "۱۴۰۵/۱۰/۲۰"]);
    assert_contains(&second, &["مبلغ واحد", "۴۰"]);
    assert!(!second.contains("۱۴۰۵/۱۰/۲۰"), "the header of the document is on the first page only");
    assert!(!first.contains("جمع کل"), "the totals come after the last line");
    assert_contains(&last, &["جمع کل"]);
    // The page number, though pdftotext moves its spaces about.
    let persian_pages: String = pages.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '۰' as u32).unwrap()).collect();
    let squeezed: String = last.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&format!("صفحه{persian_pages}از{persian_pages}")), "no page number in:\n{last}");
}

#[test]
fn user_text_is_printed_as_text_never_run_as_markup() {
    let mut document = sample(DocumentKind::Invoice, DocumentLocale::En, 1);
    let markup = [r#"Evil #panic("boom") *Co*"#, r#"$x^2$ [a] \ "q" // #read("/etc/passwd")"#, "#set page(width: 1cm) = Heading", "INV-#1"];
    document.buyer.organization = Some(markup[0].to_owned());
    document.buyer.address = Some(markup[1].to_owned());
    document.lines[0].name = markup[2].to_owned();
    document.number = markup[3].to_owned();
    assert_contains(&text(&render(&document)), &markup);
}

#[test]
fn a_logo_is_embedded_and_a_broken_one_is_refused() {
    let logo = include_bytes!("fixtures/logo.png").to_vec();
    let mut document = sample(DocumentKind::Quote, DocumentLocale::Fa, 2);
    let without = render(&document);
    document.template.logo = Some(Logo::new(logo.clone()).unwrap());
    let with = render(&document);
    let images = |pdf: &[u8]| pdf.windows(b"/Subtype/Image".len()).filter(|w| w == b"/Subtype/Image").count();
    assert_eq!(images(&without), 0);
    assert!(images(&with) >= 1, "no image in the PDF");

    let mut broken = logo;
    broken.truncate(40);
    document.template.logo = Some(Logo::new(broken).unwrap());
    assert!(matches!(render_pdf(&document), Err(RenderError::Typeset(_))));
}

#[test]
fn a_bare_document_renders_without_lines_or_optional_details() {
    let mut document = sample(DocumentKind::Quote, DocumentLocale::Fa, 0);
    document.seller = Party { name: "فروشگاه کوچک".to_owned(), ..Party::default() };
    document.buyer = Party { name: "   ".to_owned(), organization: Some("مشتری نقدی".to_owned()), ..Party::default() };
    document.due_on = None;
    document.notes = None;
    document.template = Template::default();
    let text = text(&render(&document));
    assert_contains(&text, &["فروشگاه کوچک", "مشتری نقدی", "۱۴۰۵/۱۰/۲۰", "صفر ریال"]);
    assert!(!text.contains("اعتبار تا") && !text.contains("نماینده"), "no due date and no contact:\n{text}");
}

#[test]
fn a_day_before_the_jalali_calendar_is_refused() {
    let mut document = sample(DocumentKind::Invoice, DocumentLocale::Fa, 1);
    let day = NaiveDate::from_ymd_opt(600, 1, 1).unwrap();
    document.issued_on = day;
    assert!(matches!(render_pdf(&document), Err(RenderError::DateOutOfRange(d)) if d == day));
}

#[test]
fn renders_are_repeatable_and_can_run_side_by_side() {
    let persian = sample(DocumentKind::Invoice, DocumentLocale::Fa, 6);
    let english = sample(DocumentKind::Quote, DocumentLocale::En, 6);
    let (alone_fa, alone_en) = (render(&persian), render(&english));
    let (fa, en) = std::thread::scope(|s| {
        let fa = s.spawn(|| render(&persian));
        let en = s.spawn(|| render(&english));
        (fa.join().unwrap(), en.join().unwrap())
    });
    assert!(fa == alone_fa && en == alone_en, "the same document gives the same bytes");
    assert_ne!(fa, en);
}

#[test]
fn a_paid_invoice_lists_its_payments_with_their_day_method_and_reference() {
    let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).expect("a day");
    let payments = vec![
        Payment { paid_on: day(12), method: PaymentMethod::BankTransfer, reference: Some("TR-4521".to_owned()), amount_minor: 500_000_000 },
        Payment { paid_on: day(20), method: PaymentMethod::Cheque, reference: None, amount_minor: 392_485_000 },
    ];
    let mut english = sample(DocumentKind::Invoice, DocumentLocale::En, 6);
    english.totals.paid_minor = Some(892_485_000);
    english.payments = payments.clone();
    let english_text = text(&render(&english));
    assert_contains(
        &english_text,
        &["Payments", "12 January 2027", "Bank transfer", "TR-4521", "500,000,000", "20 January 2027", "Cheque", "392,485,000"],
    );

    let mut persian = sample(DocumentKind::Invoice, DocumentLocale::Fa, 6);
    persian.totals.paid_minor = Some(892_485_000);
    persian.payments = payments;
    let persian_text = text(&render(&persian));
    // 12 and 20 January 2027 are 22 and 30 Dey 1405.
    assert_contains(&persian_text, &["پرداخت‌ها", "۱۴۰۵/۱۰/۲۲", "حواله بانکی", "۵۰۰٬۰۰۰٬۰۰۰", "۱۴۰۵/۱۰/۳۰", "چک", "۳۹۲٬۴۸۵٬۰۰۰"]);

    // An unpaid invoice has no payments section.
    let unpaid = text(&render(&sample(DocumentKind::Invoice, DocumentLocale::En, 2)));
    assert!(!unpaid.contains("Payments"), "{unpaid}");
}
