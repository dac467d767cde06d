use serde_json::json;

use crate::helpers::{Engine, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(a_retried_post_with_the_same_key_is_answered_once, a_large_import_with_a_key_is_answered_once);

async fn a_retried_post_with_the_same_key_is_answered_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let other = app.signup("Other", "other@other.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let body = json!({"title": "Once", "pipeline_id": id(&pipeline), "amount_minor": 500});
    let create =
        |key: &str, body: serde_json::Value| app.post("/api/v1/deals").token(&admin.token).header("idempotency-key", key).json(body);

    let first = create("order-42", body.clone()).send().await;
    let deal = first.ok(201).clone();
    assert!(first.headers.get("idempotent-replayed").is_none());
    let replay = create("order-42", body.clone()).send().await;
    assert_eq!(replay.ok(201), &deal, "the replay is the first response");
    assert_eq!(replay.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(replay.etag(), first.etag());
    assert_eq!(replay.headers.get("location"), first.headers.get("location"));
    let listed = app.get("/api/v1/deals").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1, "the work was done once");
    assert_eq!(app.event_count(&id(&deal), "deal.created").await, 1);

    // The same key on a different request is refused, and changes nothing.
    let reused = create("order-42", json!({"title": "Other", "pipeline_id": id(&pipeline)})).send().await;
    assert_eq!(reused.error_fields(), ["Idempotency-Key"]);

    // A request that failed frees its key for a corrected retry.
    let invalid = create("order-43", json!({"title": "", "pipeline_id": id(&pipeline)})).send().await;
    invalid.problem(422);
    create("order-43", json!({"title": "Fixed", "pipeline_id": id(&pipeline)})).send().await.ok(201);

    // Keys belong to their user: another workspace's user may use the same key.
    let theirs = app.sales_pipeline(&other).await;
    let mine_elsewhere = app
        .post("/api/v1/deals")
        .token(&other.token)
        .header("idempotency-key", "order-42")
        .json(json!({"title": "Theirs", "pipeline_id": id(&theirs)}))
        .send()
        .await;
    assert_eq!(mine_elsewhere.ok(201)["title"], "Theirs");

    // A retried move replays its answer instead of failing on the version it already changed.
    let path = format!("/api/v1/deals/{}/move", id(&deal));
    let move_body = json!({"stage_id": stage_id(&pipeline, 1)});
    let moved = app.post(&path).token(&admin.token).if_match(1).header("idempotency-key", "move-1").json(move_body.clone()).send().await;
    assert_eq!(moved.ok(200)["version"], 2);
    let again = app.post(&path).token(&admin.token).if_match(1).header("idempotency-key", "move-1").json(move_body).send().await;
    assert_eq!(again.ok(200)["version"], 2);
    assert_eq!(app.event_count(&id(&deal), "deal.stage_changed").await, 1);

    let too_long = create(&"k".repeat(256), body).send().await;
    too_long.problem(400);
}

/// An upload larger than any JSON body (a CSV import of a few thousand rows) works with an
/// `Idempotency-Key`: done once, replayed to a retry, refused for a different file; a JSON body
/// too large is still a problem document.
async fn a_large_import_with_a_key_is_answered_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut csv = String::from("name,email,notes\n");
    for n in 0..4000 {
        csv.push_str(&format!("Visitor {n},visitor{n}@example.com,Met at the spring fair in the north hall\n"));
    }
    assert!(csv.len() > 256 * 1024, "larger than the largest JSON body");
    let import = |key: &str, body: String| {
        app.post("/api/v1/leads/import").token(&admin.token).header("idempotency-key", key).raw("text/csv", body).send()
    };
    let first = import("import-1", csv.clone()).await;
    assert_eq!(first.ok(200)["created"], 4000, "{}", first.text);
    let replay = import("import-1", csv.clone()).await;
    assert_eq!((replay.ok(200), replay.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap())), (&first.body, Some("true")));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 4000, "imported once");
    let other_file = format!("{csv}Late Visitor,late@example.com,\n");
    assert_eq!(import("import-1", other_file).await.error_fields(), ["Idempotency-Key"]);

    let huge = json!({"title": "x".repeat(300 * 1024)});
    let too_large = app.post("/api/v1/deals").token(&admin.token).header("idempotency-key", "big-json").json(huge).send().await;
    too_large.problem(413);
}
