//! A deal's line items: exact totals by the documented rule, quantities as decimal strings,
//! validation named per line, the deal's version and If-Match, a deal whose amount follows its
//! lines (the board's kept figures, `deal.updated`, the audit log), and isolation.

use kariz_api::webhook_docs::DealUpdatedData;
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;
use crate::products::product;

on_both_engines!(
    lines_are_priced_exactly_and_the_deal_follows_them,
    every_bad_line_is_named_and_nothing_is_written,
    a_deal_with_a_free_amount_keeps_it_until_told_to_follow,
    lines_are_the_deal_viewers_alone,
);

fn line_figures(line: &Value) -> [i64; 4] {
    ["subtotal_minor", "discount_minor", "tax_minor", "total_minor"].map(|field| line[field].as_i64().unwrap())
}

/// The open-deal amount of the board's column `stage`, in IRR.
async fn column_amount(app: &TestApp, session: &Session, pipeline: &Value, stage: &str) -> i64 {
    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(pipeline))).token(&session.token).send().await.ok(200).clone();
    let column = board["columns"].as_array().unwrap().iter().find(|c| c["stage"]["id"] == stage).unwrap();
    column["totals"].as_array().unwrap().iter().find(|t| t["currency"] == "IRR").map_or(0, |t| t["amount_minor"].as_i64().unwrap())
}

async fn lines_are_priced_exactly_and_the_deal_follows_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let first = stage_id(&pipeline, 0);
    let tracker =
        product(&app, &admin, json!({"name": "GPS tracker T4", "sku": "GPS-T4", "unit_price_minor": 12_500_000, "tax_rate_bp": 1000}))
            .await;

    // A deal that follows its lines starts at 0; a non-zero amount is refused.
    let refused = app
        .post("/api/v1/deals")
        .token(t)
        .json(json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_minor": 5, "amount_from_lines": true}))
        .send()
        .await;
    assert_eq!(refused.error_fields(), ["amount_minor"]);
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_from_lines": true})).await;
    assert_eq!((&deal["amount_minor"], &deal["amount_from_lines"]), (&json!(0), &json!(true)));
    let lines = format!("/api/v1/deals/{}/line-items", id(&deal));
    let empty = app.get(&lines).token(t).send().await.ok(200).clone();
    assert_eq!((empty["data"].as_array().unwrap().len(), &empty["totals"]["total_minor"], &empty["version"]), (0, &json!(0), &json!(1)));

    // The worked example: 3 trackers at 12,500,000 rials with 5% off and the product's 10% VAT,
    // and a free line of installation with 10% VAT.
    let items = json!({"items": [
        {"product_id": id(&tracker), "quantity": "3", "discount_bp": 500},
        {"name": "Installation", "quantity": "1.5", "unit_price_minor": 1_333_333, "tax_rate_bp": 1000},
    ]});
    app.put(&lines).token(t).json(items.clone()).send().await.problem_code(428, "version_required");
    let saved = app.put(&lines).token(t).if_match(1).json(items.clone()).send().await;
    assert_eq!(saved.etag(), "\"2\"");
    let saved = saved.ok(200).clone();
    let data = saved["data"].as_array().unwrap();
    assert_eq!(
        (&data[0]["name"], &data[0]["unit_price_minor"], &data[0]["tax_rate_bp"], &data[0]["quantity"]),
        (&json!("GPS tracker T4"), &json!(12_500_000), &json!(1000), &json!("3"))
    );
    assert_eq!(line_figures(&data[0]), [37_500_000, 1_875_000, 3_562_500, 39_187_500]);
    // 1.5 × 1,333,333 = 1,999,999.5 → 2,000,000 (half up); 10% of it 200,000.
    assert_eq!((&data[1]["quantity"], line_figures(&data[1])), (&json!("1.5"), [2_000_000, 0, 200_000, 2_200_000]));
    assert_eq!(line_figures(&saved["totals"]), [39_500_000, 1_875_000, 3_762_500, 41_387_500]);
    assert_eq!((&saved["totals"]["currency"], &saved["amount_minor"], &saved["version"]), (&json!("IRR"), &json!(41_387_500), &json!(2)));

    // The deal, the board's kept figures, the event and the audit log follow.
    let now = app.deal(&admin, &id(&deal)).await;
    assert_eq!((&now["amount_minor"], &now["version"]), (&json!(41_387_500), &json!(2)));
    assert_eq!(column_amount(&app, &admin, &pipeline, &first).await, 41_387_500);
    let event: DealUpdatedData = serde_json::from_value(app.event_payload(&id(&deal), "deal.updated").await).unwrap();
    let changes: Vec<(&str, &Value, &Value)> = event.changes.iter().map(|c| (c.field.as_str(), &c.previous, &c.current)).collect();
    assert_eq!(
        changes,
        [
            ("line_items", &json!({"count": 0, "total_minor": 0}), &json!({"count": 2, "total_minor": 41_387_500})),
            ("amount_minor", &json!(0), &json!(41_387_500)),
        ]
    );
    assert_eq!(event.deal.amount_minor, 41_387_500);
    let audit = app.get(&format!("/api/v1/audit?entity_id={}", id(&deal))).token(t).send().await.ok(200).clone();
    let entries = audit["data"].as_array().unwrap();
    let lines_entry = entries.iter().find(|e| e["action"] == "deal.line_items_updated").expect("the lines are audited");
    assert_eq!(lines_entry["changes"]["line_items"]["after"][1]["quantity_milli"], 1500);
    let deal_entry = entries.iter().find(|e| e["action"] == "deal.updated").unwrap();
    assert_eq!(deal_entry["changes"]["amount_minor"], json!({"before": 0, "after": 41_387_500}));

    // The same lines again change nothing; a stale version is refused.
    let same = app.put(&lines).token(t).if_match(2).json(items).send().await.ok(200).clone();
    assert_eq!(same["version"], 2);
    app.put(&lines).token(t).if_match(1).json(json!({"items": []})).send().await.problem_code(412, "version_mismatch");
    // While it follows its lines, the amount is not set by hand.
    let path = format!("/api/v1/deals/{}", id(&deal));
    let by_hand = app.patch(&path).token(t).if_match(2).json(json!({"amount_minor": 7})).send().await;
    assert_eq!(by_hand.problem(422)["errors"][0]["code"], "follows_lines");
    // Lines priced in the deal's currency keep it there.
    let currency = app.patch(&path).token(t).if_match(2).json(json!({"currency": "USD"})).send().await;
    assert_eq!(currency.error_fields(), ["currency"]);

    // Removing the lines brings the amount and the board back to 0.
    let cleared = app.put(&lines).token(t).if_match(2).json(json!({"items": []})).send().await.ok(200).clone();
    assert_eq!((&cleared["amount_minor"], &cleared["version"]), (&json!(0), &json!(3)));
    assert_eq!(column_amount(&app, &admin, &pipeline, &first).await, 0);
}

async fn every_bad_line_is_named_and_nothing_is_written(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let dollars = product(&app, &admin, json!({"name": "Support", "sku": "SUP", "unit_price_minor": 1999, "currency": "USD"})).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let lines = format!("/api/v1/deals/{}/line-items", id(&deal));
    let put = |body: Value| app.put(&lines).token(t).if_match(1).json(body).send();

    let bad = json!({"items": [
        {"name": "Ok", "quantity": "1", "unit_price_minor": 1},
        {"name": "Too precise", "quantity": "1.2345", "unit_price_minor": 1},
        {"name": "Nothing", "quantity": "0", "unit_price_minor": 1},
        {"quantity": "1", "unit_price_minor": 1},
        {"name": "Free", "quantity": "1"},
        {"product_id": id(&dollars), "quantity": "1"},
        {"product_id": uuid::Uuid::now_v7(), "quantity": "1"},
        {"name": "Big", "quantity": "1000000000", "unit_price_minor": 1_000_000_000_000_000i64},
    ]});
    let reply = put(bad).await;
    assert_eq!(reply.body["code"], "validation_failed");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["items.1.quantity", "items.2.quantity"], "the shapes first");
    let bad = json!({"items": [
        {"name": "Ok", "quantity": "1", "unit_price_minor": 1},
        {"quantity": "1", "unit_price_minor": 1},
        {"name": "Free", "quantity": "1"},
        {"product_id": id(&dollars), "quantity": "1"},
        {"product_id": uuid::Uuid::now_v7(), "quantity": "1"},
    ]});
    let reply = put(bad).await;
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["items.1.name", "items.2.unit_price_minor", "items.3.product_id", "items.4.product_id"]);
    assert!(reply.body["errors"].as_array().unwrap().iter().any(|e| e["message"].as_str().unwrap().contains("USD")));
    let big = put(json!({"items": [{"name": "Big", "quantity": "1000000000", "unit_price_minor": 1_000_000_000_000_000i64}]})).await;
    assert_eq!(big.error_fields(), ["items.0.quantity"]);
    let half = 500_000_000_000_001i64;
    let sum = put(json!({"items": [{"name": "A", "quantity": "1", "unit_price_minor": half}, {"name": "B", "quantity": "1", "unit_price_minor": half}]})).await;
    assert_eq!(sum.error_fields(), ["items"]);
    let range = put(json!({"items": [{"name": "A", "quantity": "1", "unit_price_minor": 1, "discount_bp": 10_001}]})).await;
    assert_eq!(range.status, 422);
    // A quantity is a string: a JSON number is refused, never read through a float.
    let number = put(json!({"items": [{"name": "A", "quantity": 1.5, "unit_price_minor": 1}]})).await;
    assert!(number.status == 400 || number.status == 422, "{}", number.text);

    let stored = app.get(&lines).token(t).send().await.ok(200).clone();
    assert_eq!((stored["data"].as_array().unwrap().len(), &stored["version"]), (0, &json!(1)), "nothing written");
    assert_eq!(app.event_count(&id(&deal), "deal.updated").await, 0);
}

async fn a_deal_with_a_free_amount_keeps_it_until_told_to_follow(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let first = stage_id(&pipeline, 0);
    let deal = app.create_deal(&rep, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_minor": 900})).await;
    let lines = format!("/api/v1/deals/{}/line-items", id(&deal));
    // A member saves the lines of a deal they may change.
    let body = json!({"items": [{"name": "Tracker", "quantity": "2", "unit_price_minor": 150, "tax_rate_bp": 900}]});
    let saved = app.put(&lines).token(&rep.token).if_match(1).json(body).send().await.ok(200).clone();
    assert_eq!(line_figures(&saved["data"][0]), [300, 0, 27, 327]);
    assert_eq!((&saved["amount_minor"], &saved["amount_from_lines"], &saved["version"]), (&json!(900), &json!(false), &json!(2)));
    let event = app.event_payload(&id(&deal), "deal.updated").await;
    assert_eq!(event["changes"].as_array().unwrap().len(), 1, "only the lines changed: {event}");

    // Told to follow, it takes the lines' total at once.
    let path = format!("/api/v1/deals/{}", id(&deal));
    let following = app.patch(&path).token(&rep.token).if_match(2).json(json!({"amount_from_lines": true})).send().await.ok(200).clone();
    assert_eq!(
        (&following["amount_minor"], &following["amount_from_lines"], &following["version"]),
        (&json!(327), &json!(true), &json!(3))
    );
    assert_eq!(column_amount(&app, &admin, &pipeline, &first).await, 327);
    // Freed again, the amount is the user's.
    let free = app.patch(&path).token(&rep.token).if_match(3).json(json!({"amount_from_lines": false, "amount_minor": 1000})).send().await;
    assert_eq!(free.ok(200)["amount_minor"], 1000);
    assert_eq!(column_amount(&app, &admin, &pipeline, &first).await, 1000);
}

async fn lines_are_the_deal_viewers_alone(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let outsider = app.signup("Other", "owner@other.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let theirs = product(&app, &outsider, json!({"name": "Theirs", "sku": "T-1", "unit_price_minor": 5})).await;
    let lines = format!("/api/v1/deals/{}/line-items", id(&deal));
    app.get(&lines).token(&outsider.token).send().await.problem_code(404, "not_found");
    let body = json!({"items": [{"name": "x", "quantity": "1", "unit_price_minor": 1}]});
    app.put(&lines).token(&outsider.token).if_match(1).json(body).send().await.problem_code(404, "not_found");
    // Another workspace's product is no product here.
    let body = json!({"items": [{"product_id": id(&theirs), "quantity": "1"}]});
    let reply = app.put(&lines).token(&admin.token).if_match(1).json(body).send().await;
    assert_eq!(reply.error_fields(), ["items.0.product_id"]);
    app.get(&format!("/api/v1/products/{}", id(&theirs))).token(&admin.token).send().await.problem_code(404, "not_found");
}
