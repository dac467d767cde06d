//! How long a quote or an invoice takes to typeset, per document and per page, and how much
//! memory the process holds after many renders. Each timed render is of a document not seen
//! before (its number differs), as in use.
//!
//! `cargo run --release -p kariz-documents --example render_bench` (`RUNS=200` to change the
//! number of timed renders of each document; `bench/pdf.sh` runs it).

use std::time::{Duration, Instant};

use kariz_documents::{Document, DocumentKind, DocumentLocale, Logo, render_pdf};

/// Renders of each document before timing, so that the shared fonts and template are loaded.
const WARM_UP: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(100);
    let logo = Logo::new(include_bytes!("../tests/fixtures/logo.png").to_vec())?;
    let cases = [
        ("fa invoice, 6 lines", DocumentLocale::Fa, 6),
        ("en invoice, 6 lines", DocumentLocale::En, 6),
        ("fa invoice, 70 lines", DocumentLocale::Fa, 70),
        ("en invoice, 70 lines", DocumentLocale::En, 70),
    ];
    let started = Instant::now();
    render_pdf(&Document::sample(DocumentKind::Invoice, DocumentLocale::Fa, 6))?;
    println!("first render in the process (fonts, library and template loaded): {}; resident memory: {}", ms(started.elapsed()), memory());
    {
        println!("\n{runs} timed renders of each document after {WARM_UP} untimed, wall-clock on one thread");
        println!("| document | pages | PDF size | mean | p50 | p99 | max | mean a page |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (name, locale, lines) in cases {
            let mut document = Document::sample(DocumentKind::Invoice, locale, lines);
            document.template.logo = Some(logo.clone());
            let mut pdf = Vec::new();
            let mut times = Vec::with_capacity(runs);
            for run in 0..WARM_UP + runs {
                document.number = format!("INV-1405-{run:04}");
                let started = Instant::now();
                pdf = render_pdf(&document)?;
                if run >= WARM_UP {
                    times.push(started.elapsed());
                }
            }
            times.sort();
            let pages = page_count(&pdf);
            let mean = times.iter().sum::<Duration>() / runs as u32;
            println!(
                "| {name} | {pages} | {} KiB | {} | {} | {} | {} | {} |",
                pdf.len() / 1024,
                ms(mean),
                ms(percentile(&times, 50)),
                ms(percentile(&times, 99)),
                ms(*times.last().unwrap_or(&Duration::ZERO)),
                ms(mean / pages.max(1) as u32),
            );
        }
        println!("resident memory: {}", memory());
    }
    Ok(())
}

fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The page count of the page tree, as the PDF writer states it (`/Type/Pages/Count n`).
fn page_count(pdf: &[u8]) -> usize {
    let marker = b"/Type/Pages/Count ";
    let Some(at) = pdf.windows(marker.len()).position(|w| w == marker) else { return 0 };
    let digits: String = pdf[at + marker.len()..].iter().take_while(|b| b.is_ascii_digit()).map(|&b| char::from(b)).collect();
    digits.parse().unwrap_or(0)
}

/// The process's resident memory now and at its peak (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned()).unwrap_or_default();
    format!("{} now, {} at peak", field("VmRSS:"), field("VmHWM:"))
}
