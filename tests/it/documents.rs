//! Quotes, invoices and payments: exact totals of a worked example, gapless numbers under
//! concurrency (quotes made at once, invoices issued at once, a voided invoice keeping its
//! number), the Jalali year in numbers, revisions, the customer's answer and the deal it may win,
//! payments that never exceed the total (also when sent at once), documents that keep their deal,
//! expiry, the audit log and the `quote.*`, `invoice.*` and `payment.recorded` events.

use std::collections::BTreeSet;

use kariz_api::webhook_docs::{InvoiceEventData, PaymentRecordedData, QuoteEventData};
use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Session, TestApp, id, session, spawn_app};
use crate::on_both_engines;
use crate::products::product;

on_both_engines!(
    a_quote_snapshots_the_worked_example_exactly,
    concurrent_quotes_take_consecutive_numbers,
    quotes_are_sent_answered_and_revised,
    invoices_are_numbered_when_issued_and_a_void_one_keeps_its_number,
    payments_never_exceed_the_total,
    numbers_follow_the_jalali_year_and_the_settings,
    a_deal_with_documents_is_kept_and_quotes_expire,
    quotes_and_invoices_are_typeset_as_pdf,
    a_quote_is_emailed_with_its_pdf,
);

/// A deal of `session` with lines: 3 trackers at 12,500,000 IRR with 5% off and 10% VAT, and 2.5
/// hours of installation at 1,000,000 with VAT. Its contact and organization are named in Persian.
async fn deal_with_lines(app: &TestApp, session: &Session) -> Value {
    let t = session.token.as_str();
    let org = app.post("/api/v1/organizations").token(t).json(json!({"name": "شرکت نمونه‌سازان پارس", "phone": "+982188776655"}));
    let org = id(org.send().await.ok(201));
    let contact = json!({"name": "سارا احمدی", "email": "sara@pars.example", "organization_id": org});
    let contact = id(app.post("/api/v1/contacts").token(t).json(contact).send().await.ok(201));
    let pipeline = app.sales_pipeline(session).await;
    let deal = json!({"title": "Fleet", "pipeline_id": id(&pipeline), "contact_id": contact, "organization_id": org});
    let deal = app.create_deal(session, deal).await;
    let sku = format!("GPS-{}", &id(&deal)[30..]);
    let tracker = product(
        app,
        session,
        json!({"name": "دستگاه ردیاب", "sku": sku, "unit": "pcs", "unit_price_minor": 12_500_000, "tax_rate_bp": 1000}),
    )
    .await;
    let lines = json!({"items": [
        {"product_id": id(&tracker), "quantity": "3", "discount_bp": 500},
        {"name": "Installation", "quantity": "2.5", "unit_price_minor": 1_000_000, "tax_rate_bp": 1000},
    ]});
    let path = format!("/api/v1/deals/{}/line-items", id(&deal));
    app.put(&path).token(t).if_match(1).json(lines).send().await.ok(200);
    app.deal(session, &id(&deal)).await
}

async fn create_quote(app: &TestApp, session: &Session, deal: &Value, body: Value) -> Value {
    app.post(&format!("/api/v1/deals/{}/quotes", id(deal))).token(&session.token).json(body).send().await.ok(201).clone()
}

async fn act(app: &TestApp, session: &Session, path: String) -> Value {
    app.post(&path).token(&session.token).send().await.ok(200).clone()
}

fn number(document: &Value) -> &str {
    document["number"].as_str().unwrap()
}

async fn a_quote_snapshots_the_worked_example_exactly(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let deal = deal_with_lines(&app, &admin).await;
    let quote =
        create_quote(&app, &admin, &deal, json!({"notes": "Delivery in two weeks", "buyer": {"economic_code": "411111111111"}})).await;

    // Line 1: 3 × 12,500,000 = 37,500,000; 5% off = 1,875,000; 10% of 35,625,000 = 3,562,500.
    // Line 2: 2.5 × 1,000,000 = 2,500,000; no discount; 10% = 250,000.
    let figures = |line: &Value| ["subtotal_minor", "discount_minor", "tax_minor", "total_minor"].map(|f| line[f].as_i64().unwrap());
    assert_eq!(figures(&quote["lines"][0]), [37_500_000, 1_875_000, 3_562_500, 39_187_500]);
    assert_eq!(figures(&quote["lines"][1]), [2_500_000, 0, 250_000, 2_750_000]);
    assert_eq!(figures(&quote), [40_000_000, 1_875_000, 3_812_500, 41_937_500]);
    assert_eq!((quote["lines"][0]["name"].as_str(), quote["lines"][0]["unit"].as_str()), (Some("دستگاه ردیاب"), Some("pcs")));
    assert_eq!(quote["lines"][1]["quantity"], "2.5");
    assert_eq!((quote["status"].as_str(), quote["revision"].as_i64(), quote["currency"].as_str()), (Some("draft"), Some(1), Some("IRR")));
    // The buyer: the organization, its contact as the person, and the code given.
    let buyer = &quote["buyer"];
    assert_eq!(
        (buyer["name"].as_str(), buyer["organization"].as_str(), buyer["email"].as_str(), buyer["economic_code"].as_str()),
        (Some("شرکت نمونه‌سازان پارس"), Some("سارا احمدی"), Some("sara@pars.example"), Some("411111111111"))
    );
    assert_eq!(quote["owner_id"], admin.user_id.as_str());
    let until = chrono::NaiveDate::parse_from_str(quote["valid_until"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let date = chrono::NaiveDate::parse_from_str(quote["quote_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!((until - date).num_days(), 30, "the default validity");

    // A snapshot: changing the deal's lines changes no quote.
    let path = format!("/api/v1/deals/{}/line-items", id(&deal));
    app.put(&path).token(&admin.token).if_match(2).json(json!({"items": []})).send().await.ok(200);
    let read = app.get(&format!("/api/v1/quotes/{}", id(&quote))).token(&admin.token).send().await;
    assert_eq!(read.etag(), "\"1\"");
    assert_eq!(read.ok(200)["total_minor"], 41_937_500);
    // A deal without lines has nothing to quote.
    let empty = app.post(&format!("/api/v1/deals/{}/quotes", id(&deal))).token(&admin.token).json(json!({})).send().await;
    empty.problem_code(409, "no_lines");
    // Dates before today are refused on the field.
    let past = app.post(&format!("/api/v1/deals/{}/quotes", id(&deal))).token(&admin.token).json(json!({"valid_until": "2001-01-01"}));
    assert_eq!(past.send().await.error_fields(), ["valid_until"]);

    // Audited and announced with the payload as documented.
    assert_eq!(app.event_count(&id(&quote), "quote.created").await, 1);
    let payload = app.event_payload(&id(&quote), "quote.created").await;
    let data: QuoteEventData = serde_json::from_value(payload).expect("quote.created as documented");
    assert_eq!(data.quote.total_minor, 41_937_500);
    let audit = app.get(&format!("/api/v1/audit?entity_id={}", id(&quote))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(audit["data"][0]["action"], "quote.created");
}

async fn concurrent_quotes_take_consecutive_numbers(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let deal = deal_with_lines(&app, &admin).await;
    let path = format!("/api/v1/deals/{}/quotes", id(&deal));
    let requests = (0..10).map(|_| app.post(&path).token(&admin.token).json(json!({})).send());
    let replies = futures_util::future::join_all(requests).await;
    let numbers: BTreeSet<String> = replies.iter().map(|reply| number(reply.ok(201)).to_owned()).collect();
    let year = replies[0].ok(201)["quote_date"].as_str().unwrap()[..4].to_owned();
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("Q-{year}-{n:04}")).collect();
    assert_eq!(numbers, expected, "10 distinct, consecutive numbers from 1");
}

async fn quotes_are_sent_answered_and_revised(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let deal = deal_with_lines(&app, &admin).await;
    let first = create_quote(&app, &admin, &deal, json!({})).await;
    let q = id(&first);

    // Only a sent quote is answered.
    app.post(&format!("/api/v1/quotes/{q}/accept")).token(t).send().await.problem_code(409, "quote_status");
    // A stale version is refused.
    app.post(&format!("/api/v1/quotes/{q}/send")).token(t).if_match(7).send().await.problem_code(412, "version_mismatch");
    let sent = act(&app, &admin, format!("/api/v1/quotes/{q}/send")).await;
    assert_eq!((sent["status"].as_str(), sent["version"].as_i64()), (Some("sent"), Some(2)));
    assert!(sent["sent_at"].is_string());

    // A revision keeps the number with a suffix, takes the deal's lines as they now are, and
    // supersedes the sent quote.
    let lines = json!({"items": [{"name": "Support", "quantity": "1", "unit_price_minor": 5_000_000}]});
    let deal_version = app.deal(&admin, &id(&deal)).await["version"].as_i64().unwrap();
    app.put(&format!("/api/v1/deals/{}/line-items", id(&deal))).token(t).if_match(deal_version).json(lines).send().await.ok(200);
    let revised = app.post(&format!("/api/v1/quotes/{q}/revise")).token(t).json(json!({"version": 2})).send().await.ok(201).clone();
    assert_eq!(number(&revised), format!("{}-R2", number(&first)));
    assert_eq!((revised["revision"].as_i64(), revised["revision_of"].as_str()), (Some(2), Some(q.as_str())));
    assert_eq!(revised["total_minor"], 5_000_000);
    let old = app.get(&format!("/api/v1/quotes/{q}")).token(t).send().await.ok(200).clone();
    assert_eq!(old["status"], "superseded");
    assert_eq!(app.event_count(&q, "quote.superseded").await, 1);
    // Only the latest revision is revised.
    app.post(&format!("/api/v1/quotes/{q}/revise")).token(t).json(json!({})).send().await.problem_code(409, "not_latest_revision");

    // Rejected, then revised again: the rejection stays, the next revision is R3.
    let r2 = id(&revised);
    act(&app, &admin, format!("/api/v1/quotes/{r2}/send")).await;
    let rejected = act(&app, &admin, format!("/api/v1/quotes/{r2}/reject")).await;
    assert_eq!(rejected["status"], "rejected");
    assert!(rejected["answered_at"].is_string());
    let r3 = app.post(&format!("/api/v1/quotes/{r2}/revise")).token(t).json(json!({})).send().await.ok(201).clone();
    assert_eq!(number(&r3), format!("{}-R3", number(&first)));
    assert_eq!(app.get(&format!("/api/v1/quotes/{r2}")).token(t).send().await.ok(200)["status"], "rejected");
    app.post(&format!("/api/v1/quotes/{r2}/revise")).token(t).json(json!({})).send().await.problem_code(409, "not_latest_revision");

    // Accepting wins the deal when the workspace says so, in the same change.
    let settings = json!({"accept_wins_deal": true, "version": 0});
    app.patch("/api/v1/workspace/documents").token(t).json(settings).send().await.ok(200);
    act(&app, &admin, format!("/api/v1/quotes/{}/send", id(&r3))).await;
    let accepted = act(&app, &admin, format!("/api/v1/quotes/{}/accept", id(&r3))).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(app.deal(&admin, &id(&deal)).await["status"], "won");
    assert_eq!(app.event_count(&id(&deal), "deal.won").await, 1);
    app.post(&format!("/api/v1/quotes/{}/revise", id(&r3))).token(t).json(json!({})).send().await.problem_code(409, "quote_status");

    // Lists filter by deal and status, newest first.
    let listed = app.get(&format!("/api/v1/quotes?deal_id={}&status=rejected", id(&deal))).token(t).send().await.ok(200).clone();
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [r2.as_str()]);
    let all = app.get("/api/v1/quotes?limit=2").token(t).send().await.ok(200).clone();
    assert_eq!(all["data"][0]["id"], id(&r3).as_str());
    let cursor = all["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/quotes?limit=2&cursor={cursor}")).token(t).send().await.ok(200).clone();
    assert_eq!(rest["data"][0]["id"], q.as_str());
    app.get("/api/v1/quotes?status=lost").token(t).send().await.problem(400);
}

async fn issue(app: &TestApp, session: &Session, invoice: &Value) -> Value {
    act(app, session, format!("/api/v1/invoices/{}/issue", id(invoice))).await
}

async fn invoices_are_numbered_when_issued_and_a_void_one_keeps_its_number(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let seller = json!({"legal_name": "Kariz Trading Co.", "economic_code": "411122223333", "address": "Tehran", "version": 0});
    app.patch("/api/v1/workspace/documents").token(t).json(seller).send().await.ok(200);
    let deal = deal_with_lines(&app, &admin).await;
    let quote = create_quote(&app, &admin, &deal, json!({})).await;

    // Only an accepted quote is invoiced, once.
    app.post(&format!("/api/v1/quotes/{}/invoice", id(&quote))).token(t).send().await.problem_code(409, "quote_status");
    act(&app, &admin, format!("/api/v1/quotes/{}/send", id(&quote))).await;
    act(&app, &admin, format!("/api/v1/quotes/{}/accept", id(&quote))).await;
    let draft = app.post(&format!("/api/v1/quotes/{}/invoice", id(&quote))).token(t).send().await.ok(201).clone();
    assert_eq!(
        (draft["status"].as_str(), draft["number"].as_str(), draft["quote_id"].as_str()),
        (Some("draft"), None, Some(id(&quote).as_str()))
    );
    assert_eq!((draft["total_minor"].as_i64(), draft["buyer"]["name"].as_str()), (Some(41_937_500), Some("شرکت نمونه‌سازان پارس")));
    app.post(&format!("/api/v1/quotes/{}/invoice", id(&quote))).token(t).send().await.problem_code(409, "quote_invoiced");

    // Issued: the first number of the year, today, the seller as set.
    let first = issue(&app, &admin, &draft).await;
    let year = first["issued_on"].as_str().unwrap()[..4].to_owned();
    assert_eq!(number(&first), format!("INV-{year}-0001"));
    assert_eq!(first["status"], "issued");
    assert_eq!(first["seller"]["name"], "Kariz Trading Co.");
    assert!(first["due_on"].as_str().unwrap() > first["issued_on"].as_str().unwrap());
    app.post(&format!("/api/v1/invoices/{}/issue", id(&first))).token(t).send().await.problem_code(409, "invoice_status");
    app.delete(&format!("/api/v1/invoices/{}", id(&first))).token(t).send().await.problem_code(409, "invoice_status");

    // Voided, it keeps its number; the next one follows it.
    let void = act(&app, &admin, format!("/api/v1/invoices/{}/void", id(&first))).await;
    assert_eq!((void["status"].as_str(), void["number"].as_str()), (Some("void"), Some(number(&first))));
    let voided: InvoiceEventData = serde_json::from_value(app.event_payload(&id(&first), "invoice.voided").await).unwrap();
    assert_eq!(voided.invoice.number.as_deref(), Some(number(&first)));

    // Drafts get no number, so deleting one leaves no gap; concurrent issues take consecutive ones.
    let path = format!("/api/v1/deals/{}/invoices", id(&deal));
    let deleted = app.post(&path).token(t).send().await.ok(201).clone();
    app.delete(&format!("/api/v1/invoices/{}", id(&deleted))).token(t).send().await.ok(204);
    assert_eq!(app.event_count(&id(&deleted), "invoice.deleted").await, 1);
    let mut drafts = Vec::new();
    for _ in 0..5 {
        drafts.push(app.post(&path).token(t).send().await.ok(201).clone());
    }
    let issues = drafts.iter().map(|draft| app.post(&format!("/api/v1/invoices/{}/issue", id(draft))).token(t).send());
    let numbers: BTreeSet<String> = futures_util::future::join_all(issues).await.iter().map(|r| number(r.ok(200)).to_owned()).collect();
    let expected: BTreeSet<String> = (2..=6).map(|n| format!("INV-{year}-{n:04}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(app.get(&format!("/api/v1/invoices/{}", id(&first))).token(t).send().await.ok(200)["number"], number(&first));
    let issued = app.get("/api/v1/invoices?status=issued").token(t).send().await.ok(200).clone();
    assert_eq!(issued["data"].as_array().unwrap().len(), 5);
}

async fn payments_never_exceed_the_total(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let deal = deal_with_lines(&app, &admin).await;
    let draft = app.post(&format!("/api/v1/deals/{}/invoices", id(&deal))).token(t).send().await.ok(201).clone();
    let pay = |invoice: &str, body: Value| app.post(&format!("/api/v1/invoices/{invoice}/payments")).token(t).json(body).send();
    let i = id(&draft);

    // A draft takes no payment.
    pay(&i, json!({"amount_minor": 1, "method": "cash"})).await.problem_code(409, "invoice_status");
    issue(&app, &admin, &draft).await;
    let mut bad = pay(&i, json!({"amount_minor": 0, "method": "cash", "reference": ""})).await.error_fields();
    bad.sort();
    assert_eq!(bad, ["amount_minor", "reference"]);
    assert_eq!(pay(&i, json!({"amount_minor": 1, "method": "barter"})).await.error_fields(), ["method"]);

    let first =
        pay(&i, json!({"amount_minor": 10_000_000, "method": "bank_transfer", "reference": "SATNA-1", "paid_at": "2026-01-02T10:00:00Z"}))
            .await
            .ok(201)
            .clone();
    assert_eq!((first["invoice"]["status"].as_str(), first["invoice"]["paid_minor"].as_i64()), (Some("partially_paid"), Some(10_000_000)));
    assert_eq!(first["invoice"]["outstanding_minor"], 31_937_500);
    assert_eq!((first["payment"]["method"].as_str(), first["payment"]["reference"].as_str()), (Some("bank_transfer"), Some("SATNA-1")));
    let recorded: PaymentRecordedData = serde_json::from_value(app.event_payload(&i, "payment.recorded").await).unwrap();
    assert_eq!(recorded.payment.amount_minor, 10_000_000);

    // One unit more than is owed is refused on the field, and nothing is written.
    let over = pay(&i, json!({"amount_minor": 31_937_501, "method": "cash"})).await;
    assert_eq!(over.problem(422)["errors"][0]["code"], "exceeds_outstanding");
    // A voided invoice needs its payments gone first.
    app.post(&format!("/api/v1/invoices/{i}/void")).token(t).send().await.problem_code(409, "invoice_has_payments");

    // Eight payments of 5,000,000 at once against 31,937,500 owed: six fit, two are refused.
    let at_once = (0..8).map(|_| pay(&i, json!({"amount_minor": 5_000_000, "method": "card"})));
    let replies = futures_util::future::join_all(at_once).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 6, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 2, "{statuses:?}");
    let invoice = app.get(&format!("/api/v1/invoices/{i}")).token(t).send().await.ok(200).clone();
    assert_eq!((invoice["paid_minor"].as_i64(), invoice["payments"].as_array().unwrap().len()), (Some(40_000_000), 7));
    let sum: i64 = invoice["payments"].as_array().unwrap().iter().map(|p| p["amount_minor"].as_i64().unwrap()).sum();
    assert_eq!(sum, 40_000_000);

    // The rest settles it.
    let last = pay(&i, json!({"amount_minor": 1_937_500, "method": "cash"})).await.ok(201).clone();
    assert_eq!((last["invoice"]["status"].as_str(), last["invoice"]["outstanding_minor"].as_i64()), (Some("paid"), Some(0)));
    assert_eq!(app.event_count(&i, "invoice.paid").await, 1);
    pay(&i, json!({"amount_minor": 1, "method": "cash"})).await.problem_code(409, "invoice_status");
    let audit = app.get("/api/v1/audit?entity_type=payment").token(t).send().await.ok(200).clone();
    assert_eq!(audit["data"].as_array().unwrap().len(), 8);
}

async fn numbers_follow_the_jalali_year_and_the_settings(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    app.patch("/api/v1/workspace").token(t).json(json!({"calendar": "jalali", "time_zone": "Asia/Tehran"})).send().await.ok(200);
    let deal = deal_with_lines(&app, &admin).await;
    let quote = create_quote(&app, &admin, &deal, json!({})).await;
    let day = chrono::NaiveDate::parse_from_str(quote["quote_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let jalali_year = kariz_domain::dates::jalali(day).year();
    assert_eq!(number(&quote), format!("Q-{jalali_year}-0001"));

    // Settings: a stale version is refused; bad values are named; a new prefix numbers on.
    let settings = app.get("/api/v1/workspace/documents").token(t).send().await.ok(200).clone();
    assert_eq!((settings["version"].as_i64(), settings["quote_prefix"].as_str()), (Some(0), Some("Q-")));
    let bad = json!({"quote_prefix": "P Q", "accent_colour": "blue", "rial_display": "dinar", "quote_validity_days": 0, "version": 0});
    let bad = app.patch("/api/v1/workspace/documents").token(t).json(bad).send().await;
    assert_eq!(bad.error_fields(), ["quote_validity_days"], "the bounds are checked first");
    let bad = json!({"quote_prefix": "P Q", "accent_colour": "blue", "rial_display": "dinar", "version": 0});
    let bad = app.patch("/api/v1/workspace/documents").token(t).json(bad).send().await;
    assert_eq!(bad.error_fields(), ["quote_prefix", "rial_display", "accent_colour"]);
    let change = json!({"quote_prefix": "پ-", "yearly_reset": false, "rial_display": "toman", "version": 0});
    let saved = app.patch("/api/v1/workspace/documents").token(t).json(change.clone()).send().await.ok(200).clone();
    assert_eq!((saved["version"].as_i64(), saved["rial_display"].as_str()), (Some(1), Some("toman")));
    app.patch("/api/v1/workspace/documents").token(t).json(change).send().await.problem_code(412, "version_mismatch");
    let next = create_quote(&app, &admin, &deal, json!({})).await;
    assert_eq!(number(&next), "پ-0001", "a counter of its own without the year");

    // The logo: an image by its bytes, bounded; every member reads it.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    app.put("/api/v1/workspace/documents/logo").token(t).raw("image/png", b"GIF89a".to_vec()).send().await.problem(422);
    app.put("/api/v1/workspace/documents/logo").token(t).raw("image/gif", png.clone()).send().await.problem(415);
    app.put("/api/v1/workspace/documents/logo").token(t).raw("image/png", vec![0x89; 300 * 1024]).send().await.problem(413);
    let with_logo = app.put("/api/v1/workspace/documents/logo").token(t).raw("image/png", png.clone()).send().await.ok(200).clone();
    assert_eq!(with_logo["has_logo"], true);
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    let (status, headers, bytes) = app.get("/api/v1/workspace/documents/logo").token(&rep.token).send_for_bytes().await;
    assert_eq!((status, headers["content-type"].to_str().unwrap(), &bytes), (200, "image/png", &png));
    let audit = app.get("/api/v1/audit?action=document_settings.logo_changed").token(t).send().await.ok(200).clone();
    assert_eq!(audit["data"][0]["changes"]["logo_bytes"]["after"], png.len(), "the logo audited as its size");
}

async fn a_deal_with_documents_is_kept_and_quotes_expire(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let deal = deal_with_lines(&app, &admin).await;
    let quote = create_quote(&app, &admin, &deal, json!({})).await;
    let version = app.deal(&admin, &id(&deal)).await["version"].as_i64().unwrap();
    app.delete(&format!("/api/v1/deals/{}", id(&deal))).token(t).if_match(version).send().await.problem_code(409, "deal_has_documents");

    let q = id(&quote);
    act(&app, &admin, format!("/api/v1/quotes/{q}/send")).await;
    // A day past its validity, the maintenance pass expires it; it can no longer be accepted.
    app.clock.advance(chrono::Duration::days(32));
    assert_eq!(app.store.expire_quotes().await.unwrap(), 1);
    assert_eq!(app.store.expire_quotes().await.unwrap(), 0, "once");
    let admin = session(app.login("owner@acme.test", PASSWORD).await.ok(200));
    let t = admin.token.as_str();
    let expired = app.get(&format!("/api/v1/quotes/{q}")).token(t).send().await.ok(200).clone();
    assert_eq!(expired["status"], "expired");
    assert_eq!(app.event_count(&q, "quote.expired").await, 1);
    app.post(&format!("/api/v1/quotes/{q}/accept")).token(t).send().await.problem_code(409, "quote_status");
}

/// The text `pdftotext` reads from `pdf`, without bidi marks and zero-width non-joiners (which it
/// places inexactly in right-to-left runs).
fn pdf_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("kariz-{}.pdf", uuid::Uuid::now_v7()));
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed: `make deps` installs it");
    std::fs::remove_file(&path).ok();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .chars()
        .filter(|c| !matches!(c, '\u{200c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

async fn quotes_and_invoices_are_typeset_as_pdf(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    app.patch("/api/v1/workspace").token(t).json(json!({"calendar": "jalali"})).send().await.ok(200);
    let seller = json!({"legal_name": "فناوران کاریز", "economic_code": "411122223333", "version": 0});
    app.patch("/api/v1/workspace/documents").token(t).json(seller).send().await.ok(200);
    let deal = deal_with_lines(&app, &admin).await;
    let quote = create_quote(&app, &admin, &deal, json!({})).await;

    let (status, headers, pdf) = app.get(&format!("/api/v1/quotes/{}/pdf?locale=fa", id(&quote))).token(t).send_for_bytes().await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    // The buyer, the product, the seller in Persian; the Jalali date and the total in Persian digits.
    for expected in ["نمونهسازان پارس", "دستگاه ردیاب", "فناوران کاریز", "۴۱٬۹۳۷٬۵۰۰"] {
        assert!(text.contains(expected), "{expected} not in: {text}");
    }
    let day = chrono::NaiveDate::parse_from_str(quote["quote_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let jalali = kariz_domain::dates::jalali(day);
    let persian = |n: String| n.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap())).collect::<String>();
    let date = persian(format!("{}/{:02}/{:02}", jalali.year(), jalali.month(), jalali.day()));
    assert!(text.contains(&date), "{date} not in: {text}");

    // In English the same quote reads in English, its dates still Jalali.
    let (_, _, english) = app.get(&format!("/api/v1/quotes/{}/pdf?locale=en", id(&quote))).token(t).send_for_bytes().await;
    let text = pdf_text(&english);
    assert!(text.contains("41,937,500") && text.contains(number(&quote)), "{text}");

    // An invoice: a draft is stamped, an issued one numbered.
    let draft = app.post(&format!("/api/v1/deals/{}/invoices", id(&deal))).token(t).send().await.ok(201).clone();
    let (_, _, pdf) = app.get(&format!("/api/v1/invoices/{}/pdf?locale=en", id(&draft))).token(t).send_for_bytes().await;
    assert!(pdf_text(&pdf).contains("DRAFT"));
    let issued = issue(&app, &admin, &draft).await;
    let (status, _, pdf) = app.get(&format!("/api/v1/invoices/{}/pdf?locale=en", id(&issued))).token(t).send_for_bytes().await;
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(text.contains(number(&issued)) && !text.contains("DRAFT"), "{text}");
    assert!(!text.contains("Payments"), "nothing paid, no payments: {text}");

    // A payment is listed under the totals, with its method and reference.
    let payment = json!({"amount_minor": 1_000_000, "method": "bank_transfer", "reference": "TR-4521"});
    app.post(&format!("/api/v1/invoices/{}/payments", id(&issued))).token(t).json(payment).send().await.ok(201);
    let (_, _, pdf) = app.get(&format!("/api/v1/invoices/{}/pdf?locale=en", id(&issued))).token(t).send_for_bytes().await;
    let text = pdf_text(&pdf);
    for expected in ["Payments", "Bank transfer", "TR-4521", "1,000,000"] {
        assert!(text.contains(expected), "{expected} not in: {text}");
    }

    // Another workspace's, or a bad locale, is refused.
    let other = app.signup("Other", "other@b.test").await;
    app.get(&format!("/api/v1/quotes/{}/pdf", id(&quote))).token(&other.token).send().await.problem(404);
    app.get(&format!("/api/v1/invoices/{}/pdf", id(&issued))).token(&other.token).send().await.problem(404);
    app.get(&format!("/api/v1/quotes/{}/pdf?locale=de", id(&quote))).token(t).send().await.problem(400);
}

async fn a_quote_is_emailed_with_its_pdf(engine: Engine) {
    use base64::Engine as _;
    let app = spawn_app(engine).await;
    let server = crate::smtp_server::SmtpServer::start().await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let deal = deal_with_lines(&app, &admin).await;
    let quote = create_quote(&app, &admin, &deal, json!({})).await;
    let q = id(&quote);

    // A bad recipient is named; nothing is sent or marked.
    let bad = app.post(&format!("/api/v1/quotes/{q}/send")).token(t).json(json!({"email": true, "to": "not an address"})).send().await;
    assert_eq!(bad.error_fields(), ["to"]);
    assert_eq!(app.get(&format!("/api/v1/quotes/{q}")).token(t).send().await.ok(200)["status"], "draft");

    // To the buyer's address (the contact's), in Persian, with the PDF attached and kept.
    let body = json!({"email": true, "locale": "fa", "message": "با احترام، واحد فروش"});
    let sent = app.post(&format!("/api/v1/quotes/{q}/send")).token(t).json(body).send().await.ok(200).clone();
    assert_eq!(sent["status"], "sent");
    let files = app.get(&format!("/api/v1/attachments?deal_id={}", id(&deal))).token(t).send().await.ok(200).clone();
    let file = &files["data"][0];
    assert_eq!(
        (file["file_name"].as_str(), file["media_type"].as_str()),
        (Some(format!("{}.pdf", number(&quote)).as_str()), Some("application/pdf"))
    );

    assert_eq!(crate::emails::mailer(&app, &server).run_once().await.unwrap(), 1);
    let received = server.received();
    assert_eq!(received[0].rcpt_to, ["sara@pars.example"]);
    assert_eq!(received[0].subject(), format!("پیش‌فاکتور {}", number(&quote)));
    let data = &received[0].data;
    // The text part (inside the mixed message's alternative), base64 as lettre writes Persian.
    let text = data.split("Content-Type: text/plain").nth(1).expect("a text part");
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("base64"), "{head}");
    let encoded: String = rest.split("\r\n--").next().unwrap().split("\r\n").collect();
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap();
    assert!(text.contains("با احترام، واحد فروش") && text.contains(number(&quote)), "{text}");
    let part = data.split("Content-Type: application/pdf").nth(1).expect("a PDF part");
    let (_, rest) = part.split_once("\r\n\r\n").unwrap();
    assert!(data.contains(&format!("filename=\"{}.pdf\"", number(&quote))), "the attachment is named by the quote's number");
    let encoded: String = rest.split("\r\n--").next().unwrap().split("\r\n").collect();
    let pdf = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap();
    assert!(pdf_text(&pdf).contains("دستگاه ردیاب"));
    assert_eq!(app.event_count(&q, "quote.sent").await, 1);
}
