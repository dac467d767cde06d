use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp, id, session, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    admins_add_members_who_then_sign_in,
    a_workspace_always_keeps_an_admin,
    a_new_role_applies_from_the_next_token,
    deactivated_members_cannot_sign_in_until_reactivated,
    visibility_is_a_workspace_setting_per_kind_of_record
);

const PASSWORD: &str = "correct horse battery";

async fn add(app: &TestApp, token: &str, email: &str, role: &str) -> crate::helpers::Reply {
    let body = json!({"email": email, "name": "Someone", "role": role, "password": PASSWORD});
    app.post("/api/v1/users").token(token).json(body).send().await
}

async fn admins_add_members_who_then_sign_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let created = add(&app, &admin.token, " Mia@Acme.test ", "member").await.ok(201).clone();
    assert_eq!((created["email"].as_str(), created["role"].as_str()), (Some("mia@acme.test"), Some("member")));
    assert_eq!((created["workspace_id"].as_str(), created["active"].as_bool()), (Some(admin.workspace_id.as_str()), Some(true)));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    assert_eq!(mia.workspace_id, admin.workspace_id);

    add(&app, &admin.token, "mia@acme.test", "member").await.problem(409);
    let bad = json!({"email": "x@acme.test", "name": "", "role": "member", "password": "short"});
    let refused = app.post("/api/v1/users").token(&admin.token).json(bad).send().await;
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(fields, ["name", "password"]);
    let bad = json!({"email": "no", "name": "X", "role": "member", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/users").token(&admin.token).json(bad).send().await.error_fields(), ["email"]);
    let owner = json!({"email": "x@acme.test", "name": "X", "role": "owner", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/users").token(&admin.token).json(owner).send().await.error_fields(), ["role"]);
    add(&app, &mia.token, "max@acme.test", "admin").await.problem(403);
    let users = app.get("/api/v1/users").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(users["data"].as_array().unwrap().len(), 2);
}

async fn a_workspace_always_keeps_an_admin(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let demote = |user: String| {
        let app = &app;
        let token = admin.token.clone();
        async move { app.patch(&format!("/api/v1/users/{user}")).token(&token).json(json!({"role": "manager"})).send().await }
    };
    let last = demote(admin.user_id.clone()).await;
    assert_eq!(last.problem(409)["detail"], "a workspace needs at least one active admin; make someone else admin first");

    let promoted =
        app.patch(&format!("/api/v1/users/{mia}")).token(&admin.token).json(json!({"role": "admin", "name": "Mia"})).send().await;
    assert_eq!((promoted.ok(200)["role"].as_str(), promoted.ok(200)["name"].as_str()), (Some("admin"), Some("Mia")));
    let demoted = demote(admin.user_id.clone()).await.ok(200).clone();
    assert_eq!(demoted["role"], "manager");
    // Mia is now the only admin.
    demote(mia.clone()).await.problem(409);
    let other = app.signup("Other", "other@other.test").await;
    app.patch(&format!("/api/v1/users/{mia}")).token(&other.token).json(json!({"name": "x"})).send().await.problem(404);
}

async fn a_new_role_applies_from_the_next_token(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia_id = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let pipeline = json!({"name": "Mia's", "stages": [{"name": "A", "probability": 10}]});
    app.post("/api/v1/pipelines").token(&mia.token).json(pipeline.clone()).send().await.problem(403);
    app.patch(&format!("/api/v1/users/{mia_id}")).token(&admin.token).json(json!({"role": "manager"})).send().await.ok(200);
    let refreshed = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": mia.refresh_token})).send().await;
    let mia = session(refreshed.ok(200));
    app.post("/api/v1/pipelines").token(&mia.token).json(pipeline).send().await.ok(201);
}

async fn visibility_is_a_workspace_setting_per_kind_of_record(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    add(&app, &admin.token, "mia@acme.test", "member").await.ok(201);
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let workspace = app.get("/api/v1/workspace").token(&mia.token).send().await.ok(200).clone();
    assert_eq!((workspace["deal_visibility"].as_str(), workspace["lead_visibility"].as_str()), (Some("everyone"), Some("everyone")));
    app.patch("/api/v1/workspace").token(&mia.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await.problem(403);
    let owners = json!({"deal_visibility": "owners"});
    assert_eq!(app.patch("/api/v1/workspace").token(&admin.token).json(owners).send().await.error_fields(), ["deal_visibility"]);

    let pipeline = app.sales_pipeline(&admin).await;
    let deal = id(&app.create_deal(&admin, json!({"title": "Big one", "pipeline_id": id(&pipeline)})).await);
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Hot lead"})).send().await.ok(201));
    let sees = |path: String| {
        let app = &app;
        let token = mia.token.clone();
        async move { app.get(&path).token(&token).send().await.status }
    };
    assert_eq!((sees(format!("/api/v1/deals/{deal}")).await, sees(format!("/api/v1/leads/{lead}")).await), (200, 200));

    let changed = app.patch("/api/v1/workspace").token(&admin.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await;
    assert_eq!(changed.ok(200)["deal_visibility"], "owner_and_managers");
    assert_eq!(changed.ok(200)["lead_visibility"], "everyone");
    assert_eq!((sees(format!("/api/v1/deals/{deal}")).await, sees(format!("/api/v1/leads/{lead}")).await), (404, 200));
    let me = app.get("/api/v1/me").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(me["workspace"]["deal_visibility"], "owner_and_managers");

    // Handing the deal to Mia shows it to her; the lead follows its own setting.
    let handed =
        app.patch(&format!("/api/v1/deals/{deal}")).token(&admin.token).if_match(1).json(json!({"owner_id": mia.user_id})).send().await;
    handed.ok(200);
    assert_eq!(sees(format!("/api/v1/deals/{deal}")).await, 200);
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"lead_visibility": "owner_and_managers"})).send().await.ok(200);
    assert_eq!(sees(format!("/api/v1/leads/{lead}")).await, 404);
    let listed: Value = app.get("/api/v1/leads").token(&mia.token).send().await.ok(200).clone();
    assert!(listed["data"].as_array().unwrap().is_empty());
}

async fn deactivated_members_cannot_sign_in_until_reactivated(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia_id = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let deal_pipeline = app.sales_pipeline(&admin).await;
    let deal = id(&app.create_deal(&mia, json!({"title": "Mia's", "pipeline_id": id(&deal_pipeline)})).await);

    app.delete(&format!("/api/v1/users/{mia_id}")).token(&mia.token).send().await.problem(403);
    let gone = app.delete(&format!("/api/v1/users/{mia_id}")).token(&admin.token).send().await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    app.login("mia@acme.test", PASSWORD).await.problem(401);
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": mia.refresh_token})).send().await.problem(401);
    let users = app.get("/api/v1/users").token(&admin.token).send().await.ok(200).clone();
    let listed = users["data"].as_array().unwrap().iter().find(|u| u["id"] == mia_id.as_str()).unwrap().clone();
    assert_eq!(listed["active"], false);
    // What she owned stays hers.
    assert_eq!(app.deal(&admin, &deal).await["owner_id"], mia_id.as_str());

    // The last active admin cannot go.
    let last = app.delete(&format!("/api/v1/users/{}", admin.user_id)).token(&admin.token).send().await;
    assert_eq!(last.problem(409)["detail"], "a workspace needs at least one active admin; make someone else admin first");
    let back = app.patch(&format!("/api/v1/users/{mia_id}")).token(&admin.token).json(json!({"active": true})).send().await;
    assert_eq!(back.ok(200)["active"], true);
    app.login("mia@acme.test", PASSWORD).await.ok(200);
}
