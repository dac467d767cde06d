use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(tags_in_use_are_counted_over_the_records_the_caller_sees,);

async fn tags(app: &TestApp, session: &Session, query: &str) -> Vec<(String, i64)> {
    let reply = app.get(&format!("/api/v1/tags{query}")).token(&session.token).send().await;
    let body = reply.ok(200).clone();
    assert_eq!(body["next_cursor"], Value::Null);
    body["data"].as_array().unwrap().iter().map(|t| (t["tag"].as_str().unwrap().to_owned(), t["count"].as_i64().unwrap())).collect()
}

fn owned(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(tag, count)| (tag.to_string(), *count)).collect()
}

async fn tags_in_use_are_counted_over_the_records_the_caller_sees(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let outsider = app.signup("Other", "owner@other.test").await;
    assert_eq!(tags(&app, &admin, "").await, owned(&[]), "no tags yet");

    let p = id(&app.sales_pipeline(&admin).await);
    app.create_deal(&admin, json!({"title": "Admin's", "pipeline_id": p, "tags": ["vip", "export"]})).await;
    app.create_deal(&mia, json!({"title": "Mia's", "pipeline_id": p, "tags": ["VIP"]})).await;
    app.create_deal(&mia, json!({"title": "Mia's plain", "pipeline_id": p})).await;
    let lead = |session: &Session, body: Value| app.post("/api/v1/leads").token(&session.token).json(body).send();
    lead(&admin, json!({"name": "Nima", "tags": ["نمایشگاه", "vip"]})).await.ok(201);
    lead(&mia, json!({"name": "Sara", "tags": ["نمایشگاه"]})).await.ok(201);
    app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars", "tags": ["fleet"]})).send().await.ok(201);
    app.post("/api/v1/contacts").token(&mia.token).json(json!({"name": "Reza", "tags": ["fleet"]})).send().await.ok(201);
    let other = id(&app.sales_pipeline(&outsider).await);
    app.create_deal(&outsider, json!({"title": "Theirs", "pipeline_id": other, "tags": ["vip", "secret"]})).await;

    // Case does not split a tag; the most used come first, then by name.
    assert_eq!(tags(&app, &admin, "?entity=deal").await, owned(&[("VIP", 2), ("export", 1)]));
    assert_eq!(tags(&app, &admin, "").await, owned(&[("VIP", 3), ("fleet", 2), ("نمایشگاه", 2), ("export", 1)]));
    assert_eq!(tags(&app, &admin, "?entity=organization").await, owned(&[("fleet", 1)]));

    // A member who sees only their own deals and leads counts only those.
    assert_eq!(tags(&app, &mia, "?entity=deal").await, owned(&[("VIP", 1)]));
    assert_eq!(tags(&app, &mia, "?entity=lead").await, owned(&[("نمایشگاه", 1)]));
    assert_eq!(tags(&app, &mia, "").await, owned(&[("fleet", 2), ("VIP", 1), ("نمایشگاه", 1)]));

    assert_eq!(tags(&app, &outsider, "").await, owned(&[("secret", 1), ("vip", 1)]));
    app.get("/api/v1/tags?entity=opportunity").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/tags").send().await.problem(401);
}
