//! Writes sample documents as PDF into a folder, to look at the layout:
//! `cargo run -p kariz-documents --example sample -- /tmp/documents [logo.png]`.

use kariz_documents::{Document, DocumentKind, DocumentLocale, Logo, Stamp, render_pdf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::env::args().nth(1).unwrap_or_else(|| "documents".to_owned());
    std::fs::create_dir_all(&folder)?;
    let logo = std::env::args().nth(2).map(std::fs::read).transpose()?.map(Logo::new).transpose()?;
    for (name, kind, locale, lines, stamp) in [
        ("invoice-fa", DocumentKind::Invoice, DocumentLocale::Fa, 6, None),
        ("invoice-en", DocumentKind::Invoice, DocumentLocale::En, 6, None),
        ("invoice-fa-paid", DocumentKind::Invoice, DocumentLocale::Fa, 3, Some(Stamp::Paid)),
        ("invoice-en-void", DocumentKind::Invoice, DocumentLocale::En, 3, Some(Stamp::Void)),
        ("quote-fa-long", DocumentKind::Quote, DocumentLocale::Fa, 40, Some(Stamp::Draft)),
        ("quote-en-long", DocumentKind::Quote, DocumentLocale::En, 40, Some(Stamp::Draft)),
    ] {
        let mut document = Document::sample(kind, locale, lines);
        document.template.logo = logo.clone();
        document.stamp = stamp;
        if stamp == Some(Stamp::Paid) {
            document.totals.paid_minor = Some(document.totals.total_minor);
        }
        let started = std::time::Instant::now();
        let pdf = render_pdf(&document)?;
        println!("{name}: {} bytes in {:?}", pdf.len(), started.elapsed());
        std::fs::write(format!("{folder}/{name}.pdf"), pdf)?;
    }
    Ok(())
}
