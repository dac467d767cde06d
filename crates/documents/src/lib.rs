//! Quotes (پیش‌فاکتور) and invoices (صورتحساب فروش کالا و خدمات) typeset as PDF, in Persian
//! or English, with Typst and the bundled Vazirmatn font.
//!
//! [`render_pdf`] is pure and synchronous: it reads nothing but its [`Document`] and the fonts
//! compiled into this crate, and takes tens of milliseconds of CPU a page (call it off the async
//! executor). Persian documents run right to left with Persian digits; dates follow the
//! workspace's calendar whatever the language; rials can be shown as tomans. The text stays
//! text: it can be selected, searched and extracted.
//!
//! The layout is one Typst template (`templates/document.typ`). Every value it shows is
//! formatted here and handed to it as JSON data, never as markup, so no user text can change
//! the document's code.

mod document;
mod format;
mod labels;
mod sample;
mod sheet;
mod world;

use thiserror::Error;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

pub use document::{
    AccentColour, Document, DocumentKind, DocumentLocale, Line, Logo, LogoFormat, Party, Payment, PaymentMethod, RialDisplay, Stamp,
    Template, TemplateError, Totals,
};

use crate::sheet::Sheet;
use crate::world::DocumentWorld;

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("{0} has no date on the Jalali calendar")]
    DateOutOfRange(chrono::NaiveDate),
    /// The template could not lay the document out: a logo that does not decode, or a fault in
    /// the template itself.
    #[error("typesetting failed: {0}")]
    Typeset(String),
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// The document as a PDF.
pub fn render_pdf(document: &Document) -> Result<Vec<u8>, RenderError> {
    let sheet = Sheet::new(document)?;
    let logo = document.template.logo.as_ref().map(|logo| logo.bytes().to_vec());
    let world = DocumentWorld::new(sheet.to_json(), logo);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Documents differ in their data, so the typesetter's memo saves next to nothing from one
    // render to the next (measured: within the noise) but, kept for 8 renders, held 140 MB
    // instead of 45 MB: it is emptied after each. This is safe beside other renders, which
    // only lose their own memo.
    typst::comemo::evict(0);
    let paged = compiled.map_err(|errors| RenderError::Typeset(messages(&errors)))?;
    let options = PdfOptions {
        // A stable identifier: the same document keeps its PDF identity across renders.
        ident: Smart::Custom(format!("kariz:{:?}:{}", document.kind, document.number)),
        creator: Smart::Custom(Some("Kariz".to_owned())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&paged, &options).map_err(|errors| RenderError::Pdf(messages(&errors)))
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.iter().map(|error| error.message.as_str()).collect::<Vec<_>>().join("; ")
}
