//! API keys on every route: each scope allows what it names and nothing more, a key acts as the
//! user who made it and never does more than that user's role allows, and expired, revoked and
//! unknown keys are refused with the reason.

use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Reply, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    each_scope_allows_what_it_names_and_nothing_more,
    a_key_acts_as_its_creator_and_never_exceeds_the_creators_role,
    expired_revoked_and_unknown_keys_are_refused_with_the_reason,
    scopes_and_expiry_are_validated_and_listed,
);

/// A new key of the admin's workspace with these scopes; returns the key itself.
async fn new_key(app: &TestApp, admin_token: &str, scopes: Value) -> String {
    let reply = app.post("/api/v1/api-keys").token(admin_token).json(json!({"name": "Integration", "scopes": scopes})).send().await;
    reply.ok(201)["key"].as_str().unwrap().to_owned()
}

/// Asserts a 403 whose detail names the missing scope.
fn lacks(reply: &Reply, scope: &str) {
    let detail = reply.problem(403)["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("`{scope}`")), "{detail}");
}

async fn each_scope_allows_what_it_names_and_nothing_more(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = json!({"title": "Fleet renewal", "pipeline_id": pipeline["id"]});
    let lead = json!({"name": "Reza", "email": "reza@example.com"});

    // `read`: safe methods only, as a bearer key or in X-Api-Key.
    let read = new_key(&app, &admin.token, json!(["read"])).await;
    app.get("/api/v1/deals").token(&read).send().await.ok(200);
    app.get("/api/v1/deals").header("x-api-key", &read).send().await.ok(200);
    lacks(&app.post("/api/v1/deals").token(&read).json(deal.clone()).send().await, "write");
    lacks(&app.post("/api/v1/deals").header("x-api-key", &read).json(deal.clone()).send().await, "write");
    lacks(&app.post("/api/v1/intake/leads").token(&read).json(lead.clone()).send().await, "intake");

    // `write`: reads and changes, but no admin-only route.
    let write = new_key(&app, &admin.token, json!(["write"])).await;
    let created = app.post("/api/v1/deals").token(&write).json(deal.clone()).send().await.ok(201).clone();
    app.get(&format!("/api/v1/deals/{}", id(&created))).token(&write).send().await.ok(200);
    lacks(&app.post("/api/v1/api-keys").token(&write).json(json!({"name": "Escalation"})).send().await, "admin");
    lacks(&app.get("/api/v1/api-keys").token(&write).send().await, "admin");
    lacks(&app.post("/api/v1/intake/leads").token(&write).json(lead.clone()).send().await, "intake");
    // Every workspace setting needs `admin`, even those managers may change by role.
    let settings = [
        (reqwest::Method::GET, "/api/v1/webhooks", json!(null)),
        (reqwest::Method::POST, "/api/v1/webhooks", json!({"url": "https://hooks.example.com/k"})),
        (reqwest::Method::POST, "/api/v1/custom-fields", json!({"entity": "lead", "key": "fleet", "label": "Fleet", "kind": "number"})),
        (reqwest::Method::PUT, "/api/v1/scoring-rules", json!({"rules": []})),
        (reqwest::Method::POST, "/api/v1/exchange-rates", json!({"currency": "USD", "rate_date": "2026-01-01", "rate": "42000"})),
        (reqwest::Method::PATCH, "/api/v1/workspace", json!({"name": "Renamed"})),
        (reqwest::Method::POST, "/api/v1/users", json!({"email": "new@acme.test", "name": "New", "role": "member", "password": PASSWORD})),
    ];
    for (method, path, body) in settings {
        let request = app.request(method.clone(), path).token(&write);
        let reply = if body.is_null() { request.send().await } else { request.json(body).send().await };
        assert_eq!(reply.status, 403, "{method} {path}: {}", reply.text);
        lacks(&reply, "admin");
    }

    // `intake`: intake and nothing else.
    let intake = new_key(&app, &admin.token, json!(["intake"])).await;
    lacks(&app.get("/api/v1/deals").token(&intake).send().await, "read");
    lacks(&app.post("/api/v1/deals").token(&intake).json(deal.clone()).send().await, "write");
    app.post("/api/v1/intake/leads").token(&intake).json(lead.clone()).send().await.ok(202);
    // An access token is not a form key.
    app.post("/api/v1/intake/leads").token(&admin.token).json(lead.clone()).send().await.problem(401);

    // `admin`: admin-only routes too, acting as the admin who made it.
    let admin_key = new_key(&app, &admin.token, json!(["admin"])).await;
    let made = app.post("/api/v1/api-keys").token(&admin_key).json(json!({"name": "By a key", "scopes": ["read"]})).send().await;
    assert_eq!(made.ok(201)["api_key"]["created_by"], admin.user_id.as_str());
    app.get("/api/v1/api-keys").token(&admin_key).send().await.ok(200);
    app.post("/api/v1/deals").token(&admin_key).json(deal).send().await.ok(201);
}

async fn a_key_acts_as_its_creator_and_never_exceeds_the_creators_role(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let key = new_key(&app, &admin.token, json!(["admin"])).await;

    // What the key makes is the creator's.
    let deal = app.post("/api/v1/deals").token(&key).json(json!({"title": "Mine", "pipeline_id": pipeline["id"]})).send().await;
    assert_eq!(deal.ok(201)["owner_id"], admin.user_id.as_str());
    let me = app.get("/api/v1/me").token(&key).send().await.ok(200).clone();
    assert_eq!(me["user"]["id"], admin.user_id.as_str());

    // The creator becomes a member: the admin key now does what a member may, and no more.
    let admin_id: uuid::Uuid = admin.user_id.parse().unwrap();
    app.execute("UPDATE users SET role = 'member' WHERE id = ?", vec![admin_id.into()]).await;
    let refused = app.get("/api/v1/api-keys").token(&key).send().await;
    assert_eq!(refused.problem(403)["detail"], "only admins can do this");
    app.post("/api/v1/webhooks").token(&key).json(json!({"url": "https://hooks.example.com/k"})).send().await.problem(403);
    app.post("/api/v1/pipelines")
        .token(&key)
        .json(json!({"name": "P", "stages": [{"name": "A", "probability": 10}]}))
        .send()
        .await
        .problem(403);
    app.get("/api/v1/deals").token(&key).send().await.ok(200);

    // A deactivated creator's keys stop working.
    app.execute("UPDATE users SET active = ? WHERE id = ?", vec![false.into(), admin_id.into()]).await;
    let gone = app.get("/api/v1/deals").token(&key).send().await;
    assert!(gone.problem(401)["detail"].as_str().unwrap().contains("can no longer sign in"), "{}", gone.text);
}

async fn expired_revoked_and_unknown_keys_are_refused_with_the_reason(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let created = app
        .post("/api/v1/api-keys")
        .token(&admin.token)
        .json(json!({"name": "Trial", "scopes": ["read"], "expires_at": soon}))
        .send()
        .await
        .ok(201)
        .clone();
    let expiring = created["key"].as_str().unwrap().to_owned();
    app.get("/api/v1/deals").token(&expiring).send().await.ok(200);
    app.clock.advance(chrono::Duration::seconds(3));
    let expired = app.get("/api/v1/deals").token(&expiring).send().await;
    assert!(expired.problem(401)["detail"].as_str().unwrap().starts_with("the API key expired at "), "{}", expired.text);
    assert_eq!(expired.headers.get("www-authenticate").unwrap(), "Bearer");

    let key = new_key(&app, &admin.token, json!(["read", "write"])).await;
    let key_id = id(&app.get("/api/v1/api-keys").token(&admin.token).send().await.ok(200)["data"][0]);
    app.get("/api/v1/deals").header("x-api-key", &key).send().await.ok(200);
    app.delete(&format!("/api/v1/api-keys/{key_id}")).token(&admin.token).send().await.ok(200);
    for revoked in [app.get("/api/v1/deals").token(&key).send().await, app.get("/api/v1/deals").header("x-api-key", &key).send().await] {
        assert_eq!(revoked.problem(401)["detail"], "the API key was revoked");
    }

    let unknown = app.get("/api/v1/deals").token("kz_00000000_not-a-key").send().await;
    assert_eq!(unknown.problem(401)["detail"], "the API key is unknown");
    app.get("/api/v1/deals").header("x-api-key", "not-a-key").send().await.problem(401);
}

async fn scopes_and_expiry_are_validated_and_listed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let past = json!({"name": "Bad", "scopes": ["read", "owner"], "expires_at": "2001-01-01T00:00:00Z"});
    let bad = app.post("/api/v1/api-keys").token(&admin.token).json(past).send().await;
    assert_eq!(bad.error_fields(), ["scopes", "expires_at"]);
    assert!(bad.body["errors"][0]["message"].as_str().unwrap().contains("read, write, intake, admin"), "{}", bad.text);
    let none = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "None", "scopes": []})).send().await;
    assert_eq!(none.error_fields(), ["scopes"]);

    let until = "2099-01-01T00:00:00Z";
    let body = json!({"name": "Reporting", "scopes": ["admin", "read", "read"], "expires_at": until});
    let created = app.post("/api/v1/api-keys").token(&admin.token).json(body).send().await.ok(201).clone();
    let key = created["key"].as_str().unwrap().to_owned();
    app.get("/api/v1/deals").token(&key).send().await.ok(200);
    let listed = app.get("/api/v1/api-keys").token(&admin.token).send().await.ok(200).clone();
    let listed = &listed["data"][0];
    assert_eq!(listed["prefix"], created["api_key"]["prefix"]);
    assert_eq!(listed["scopes"], json!(["read", "admin"]), "vocabulary order, each once");
    assert_eq!(listed["expires_at"], until);
    assert!(listed["last_used_at"].is_string(), "{listed}");
    assert_eq!(listed["revoked_at"], Value::Null);
}
