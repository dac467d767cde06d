use serde_json::json;

use crate::helpers::{Engine, PASSWORD, Reply, TestApp, id, spawn_app, spawn_app_with, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_retried_post_with_the_same_key_is_answered_once,
    a_large_import_with_a_key_is_answered_once,
    another_callers_key_never_replays_an_answer,
    a_replay_is_authorized_again_on_the_callers_role_now,
    answers_holding_secrets_are_never_kept_nor_replayed,
    answers_past_their_day_are_purged,
);

/// A new API key of the admin's workspace with these scopes.
async fn new_key(app: &TestApp, admin_token: &str, scopes: &[&str]) -> String {
    let reply = app.post("/api/v1/api-keys").token(admin_token).json(json!({"name": "Integration", "scopes": scopes})).send().await;
    reply.ok(201)["key"].as_str().unwrap().to_owned()
}

fn replayed(reply: &Reply) -> bool {
    reply.headers.get("idempotent-replayed").is_some()
}

/// How many stored answers hold `text` readable.
async fn stored_answers_holding(app: &TestApp, text: &str) -> i64 {
    app.scalar("SELECT COUNT(*) FROM idempotency_keys WHERE response_body LIKE ?", vec![format!("%{text}%").into()]).await
}

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

/// The review's attack: a write-scoped API key sends the admin's `POST /api-keys` again with the
/// admin's `Idempotency-Key`. Keys belong to their caller, so it is the key's own first request,
/// refused for its scope; the admin's new key is nowhere to be read. An API key does not share
/// its maker's keys for plain answers either.
async fn another_callers_key_never_replays_an_answer(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let write_key = new_key(&app, &admin.token, &["write"]).await;
    let admin_key = new_key(&app, &admin.token, &["admin"]).await;
    let body = json!({"name": "Billing sync", "scopes": ["admin"]});
    let create_key =
        |credential: &str| app.post("/api/v1/api-keys").header("idempotency-key", "key-1").token(credential).json(body.clone()).send();

    let first = create_key(&admin.token).await;
    let secret = first.ok(201)["key"].as_str().unwrap().to_owned();
    let attack = create_key(&write_key).await;
    assert_eq!(attack.problem_code(403, "scope_missing")["status"], 403);
    assert!(!replayed(&attack) && !attack.text.contains(&secret), "{}", attack.text);
    // Another admin-scoped key with the same key string does its own work: a key of its own.
    let own = create_key(&admin_key).await;
    assert!(!replayed(&own));
    assert_ne!(own.ok(201)["key"].as_str().unwrap(), secret);
    assert_eq!(stored_answers_holding(&app, &secret).await, 0, "the secret is not kept");

    let pipeline = app.sales_pipeline(&admin).await;
    let deal = json!({"title": "Once", "pipeline_id": id(&pipeline)});
    let create_deal =
        |credential: &str| app.post("/api/v1/deals").header("idempotency-key", "deal-1").token(credential).json(deal.clone()).send();
    let by_admin = create_deal(&admin.token).await;
    let by_key = create_deal(&write_key).await;
    assert!(!replayed(&by_key), "the key's first request with this key string");
    assert_ne!(id(by_key.ok(201)), id(by_admin.ok(201)));
    assert!(replayed(&create_deal(&write_key).await), "and its own retry is replayed");
}

/// A replay passes the checks its first request passed, made again on the caller as they are
/// now: an admin demoted to member no longer gets the answer of an admin's request.
async fn a_replay_is_authorized_again_on_the_callers_role_now(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signup("Acme", "owner@acme.test").await;
    let manager = app.add_member(&owner, "mina@acme.test", "manager").await;
    let pipeline = json!({"name": "Renewals", "stages": [{"name": "Talk", "probability": 20}]});
    let create = || app.post("/api/v1/pipelines").token(&manager.token).header("idempotency-key", "pipe-1").json(pipeline.clone()).send();

    let first = create().await;
    first.ok(201);
    assert!(replayed(&create().await), "a manager's retry is replayed");
    let demoted = app.patch(&format!("/api/v1/users/{}", manager.user_id)).token(&owner.token).json(json!({"role": "member"})).send().await;
    demoted.ok(200);
    let refused = create().await;
    refused.problem_code(403, "forbidden");
    assert!(!replayed(&refused) && !refused.text.contains("Renewals"), "{}", refused.text);

    // The same holds for a key acting for a maker who lost the role.
    let admin = app.add_member(&owner, "sara@acme.test", "admin").await;
    let key = new_key(&app, &admin.token, &["admin"]).await;
    let field = json!({"entity": "lead", "key": "region", "label": "Region", "kind": "text"});
    let define = || app.post("/api/v1/custom-fields").token(&key).header("idempotency-key", "field-1").json(field.clone()).send();
    define().await.ok(201);
    assert!(replayed(&define().await));
    app.patch(&format!("/api/v1/users/{}", admin.user_id)).token(&owner.token).json(json!({"role": "member"})).send().await.ok(200);
    define().await.problem_code(403, "forbidden");
}

/// New API keys, webhook secrets and tokens are shown once: never stored for a replay, and a
/// repeat of their key is refused with `idempotency_not_repeatable` rather than doing the work
/// again.
async fn answers_holding_secrets_are_never_kept_nor_replayed(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let post = |path: &str, key: &str, body: serde_json::Value| {
        app.post(path).token(&admin.token).header("idempotency-key", key).json(body).send()
    };
    let not_repeated = |reply: Reply, secret: &str| {
        reply.problem_code(409, "idempotency_not_repeatable");
        assert!(!replayed(&reply) && !reply.text.contains(secret), "{}", reply.text);
    };

    let key_body = json!({"name": "Billing", "scopes": ["read"]});
    let made = post("/api/v1/api-keys", "key-1", key_body.clone()).await;
    let secret = made.ok(201)["key"].as_str().unwrap().to_owned();
    not_repeated(post("/api/v1/api-keys", "key-1", key_body).await, &secret);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM api_keys", vec![]).await, 1, "made once");

    let hook_body = json!({"url": "http://127.0.0.1:9/hook", "event_types": ["deal.created"]});
    let hook = post("/api/v1/webhooks", "hook-1", hook_body.clone()).await;
    let (hook_id, hook_secret) = (id(&hook.ok(201)["webhook"]), hook.body["secret"].as_str().unwrap().to_owned());
    not_repeated(post("/api/v1/webhooks", "hook-1", hook_body).await, &hook_secret);
    let rotate_path = format!("/api/v1/webhooks/{hook_id}/rotate-secret");
    let rotated = post(&rotate_path, "rotate-1", json!({})).await;
    let rotated_secret = rotated.ok(200)["secret"].as_str().unwrap().to_owned();
    not_repeated(post(&rotate_path, "rotate-1", json!({})).await, &rotated_secret);

    // A sign-in sent with a token and a key: its tokens are not kept either.
    let login = json!({"email": "owner@acme.test", "password": PASSWORD});
    let signed_in = post("/api/v1/auth/login", "login-1", login.clone()).await;
    let refresh = signed_in.ok(200)["refresh_token"].as_str().unwrap().to_owned();
    not_repeated(post("/api/v1/auth/login", "login-1", login).await, &refresh);

    for secret in [secret, hook_secret, rotated_secret, refresh] {
        assert_eq!(stored_answers_holding(&app, &secret).await, 0, "no stored answer holds a secret");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM idempotency_keys WHERE response_body IS NOT NULL", vec![]).await, 0);
}

/// Answers are replayed for 24 hours and then purged by the maintenance pass, which keeps the
/// younger ones.
async fn answers_past_their_day_are_purged(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    // A key, which does not expire with the clock as an access token does.
    let credential = new_key(&app, &admin.token, &["write"]).await;
    let create = |key: &str| {
        app.post("/api/v1/deals")
            .token(&credential)
            .header("idempotency-key", key)
            .json(json!({"title": key, "pipeline_id": id(&pipeline)}))
            .send()
    };
    create("old").await.ok(201);
    let stored = || app.scalar("SELECT COUNT(*) FROM idempotency_keys", vec![]);

    app.clock.advance(chrono::Duration::hours(23));
    create("young").await.ok(201);
    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(stored().await, 2, "both are within their day");
    assert!(replayed(&create("old").await));

    app.clock.advance(chrono::Duration::hours(2));
    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(stored().await, 1, "the older answer is gone");
    assert!(replayed(&create("young").await));
    let redone = create("old").await;
    assert!(!replayed(&redone), "an expired key is a new request");
}
