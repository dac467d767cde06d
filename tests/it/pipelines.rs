use kariz_domain::{Email, PersonName, Role, WorkspaceId};
use kariz_persistence::auth::NewUser;
use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, TestApp, id, session, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    pipelines_are_created_with_their_stages,
    pipeline_updates_honour_if_match,
    stages_are_added_reordered_and_updated,
    deleting_a_stage_with_deals_needs_a_target,
    members_cannot_change_pipelines,
    archived_pipelines_are_hidden_and_refuse_deals,
    a_pipeline_with_deals_cannot_be_deleted,
);

fn stage_names(pipeline: &Value) -> Vec<String> {
    pipeline["stages"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
}

async fn pipelines_are_created_with_their_stages(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let reply = app
        .post("/api/v1/pipelines")
        .token(&admin.token)
        .json(json!({"name": "  Enterprise ", "stages": [
            {"name": "Qualified", "probability": 20, "rotting_days": 14},
            {"name": "Proposal", "probability": 50}
        ]}))
        .send()
        .await;
    let pipeline = reply.ok(201).clone();
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(pipeline["name"], "Enterprise");
    assert_eq!(pipeline["currency"], "IRR", "defaults to the workspace currency");
    assert_eq!(stage_names(&pipeline), ["Qualified", "Proposal"]);
    assert_eq!(pipeline["stages"][0]["rotting_days"], 14);
    assert_eq!(pipeline["stages"][1]["rotting_days"], Value::Null);
    assert_eq!(pipeline["stages"][1]["position"], 1);

    let fetched = app.get(&format!("/api/v1/pipelines/{}", id(&pipeline))).token(&admin.token).send().await;
    assert_eq!(fetched.ok(200)["id"], pipeline["id"]);
    let list = app.get("/api/v1/pipelines").token(&admin.token).send().await;
    assert_eq!(list.ok(200)["data"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["next_cursor"], Value::Null);

    let invalid = app
        .post("/api/v1/pipelines")
        .token(&admin.token)
        .json(json!({"name": "", "currency": "EURO", "stages": [{"name": "A", "probability": 101}]}))
        .send()
        .await;
    let mut fields = invalid.error_fields();
    fields.sort();
    assert_eq!(fields, ["name", "stages.0.probability"], "shape errors come first, all at once");
    let no_stages = app.post("/api/v1/pipelines").token(&admin.token).json(json!({"name": "X", "stages": []})).send().await;
    assert_eq!(no_stages.error_fields(), ["stages"]);
    let bad_currency = app
        .post("/api/v1/pipelines")
        .token(&admin.token)
        .json(json!({"name": "X", "currency": "EURO", "stages": [{"name": "A", "probability": 10}]}))
        .send()
        .await;
    assert_eq!(bad_currency.error_fields(), ["currency"]);
}

async fn pipeline_updates_honour_if_match(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let path = format!("/api/v1/pipelines/{}", id(&pipeline));
    let renamed = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Renewals"})).send().await;
    assert_eq!(renamed.ok(200)["name"], "Renewals");
    assert_eq!(renamed.etag(), "\"2\"");
    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Lost update"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 2);
    let now = app.get(&path).token(&admin.token).send().await;
    assert_eq!(now.ok(200)["name"], "Renewals", "a stale write changes nothing");
}

async fn stages_are_added_reordered_and_updated(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let pipeline_path = format!("/api/v1/pipelines/{}", id(&pipeline));
    let added = app
        .post(&format!("{pipeline_path}/stages"))
        .token(&admin.token)
        .json(json!({"name": "Demo", "probability": 35, "rotting_days": 7, "position": 1}))
        .send()
        .await;
    let demo = added.ok(201).clone();
    let after_add = app.get(&pipeline_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(stage_names(&after_add), ["Qualified", "Demo", "Proposal", "Negotiation"]);

    let stage_path = format!("/api/v1/stages/{}", id(&demo));
    let moved =
        app.patch(&stage_path).token(&admin.token).json(json!({"position": 3, "probability": 40, "rotting_days": null})).send().await;
    assert_eq!(moved.ok(200)["probability"], 40);
    assert_eq!(moved.body["rotting_days"], Value::Null);
    let after_move = app.get(&pipeline_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(stage_names(&after_move), ["Qualified", "Proposal", "Negotiation", "Demo"]);
    let positions: Vec<i64> = after_move["stages"].as_array().unwrap().iter().map(|s| s["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, [0, 1, 2, 3]);

    let stale = app.patch(&stage_path).token(&admin.token).if_match(1).json(json!({"name": "Nope"})).send().await;
    stale.problem(412);
    let invalid = app.patch(&stage_path).token(&admin.token).json(json!({"probability": 150, "rotting_days": 0})).send().await;
    let mut fields = invalid.error_fields();
    fields.sort();
    assert_eq!(fields, ["probability", "rotting_days"]);
}

async fn deleting_a_stage_with_deals_needs_a_target(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (qualified, proposal) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    let first = app.create_deal(&admin, json!({"title": "One", "pipeline_id": id(&pipeline), "stage_id": qualified})).await;
    let second = app.create_deal(&admin, json!({"title": "Two", "pipeline_id": id(&pipeline), "stage_id": qualified})).await;
    app.create_deal(&admin, json!({"title": "Zero", "pipeline_id": id(&pipeline), "stage_id": proposal})).await;

    let refused = app.delete(&format!("/api/v1/stages/{qualified}")).token(&admin.token).send().await;
    assert!(refused.problem(409)["detail"].as_str().unwrap().contains("move_deals_to"));
    let self_target = app.delete(&format!("/api/v1/stages/{qualified}?move_deals_to={qualified}")).token(&admin.token).send().await;
    assert_eq!(self_target.error_fields(), ["move_deals_to"]);

    app.delete(&format!("/api/v1/stages/{qualified}?move_deals_to={proposal}")).token(&admin.token).send().await.ok(204);
    for deal in [&first, &second] {
        let now = app.deal(&admin, &id(deal)).await;
        assert_eq!(now["stage_id"], proposal.as_str());
        assert_eq!(now["version"], 2);
        let history = app.get(&format!("/api/v1/deals/{}/history", id(deal))).token(&admin.token).send().await;
        assert_eq!(history.ok(200)["data"].as_array().unwrap().len(), 2);
        assert_eq!(app.event_count(&id(deal), "deal.stage_changed").await, 1);
    }
    // The moved cards land after the target column's cards, in their old order.
    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(&admin.token).send().await.ok(200).clone();
    let titles: Vec<&str> = board["columns"][0]["deals"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Zero", "One", "Two"]);
    assert_eq!(board["columns"].as_array().unwrap().len(), 2);
    assert_eq!(board["columns"][0]["stage"]["position"], 0);

    // The last stage of a pipeline stays.
    let only = app.create_pipeline(&admin, "Tiny", &[("Only", 10)]).await;
    app.delete(&format!("/api/v1/stages/{}", stage_id(&only, 0))).token(&admin.token).send().await.problem(409);
}

pub async fn add_member(app: &TestApp, workspace_id: &str, email: &str) -> crate::helpers::Session {
    let hash = kariz_api::auth::hash_password(kariz_api::auth::new_password(PASSWORD, email, "Member", None).unwrap()).await.unwrap();
    let workspace: uuid::Uuid = workspace_id.parse().unwrap();
    app.store
        .create_user(
            WorkspaceId::from(workspace),
            NewUser {
                email: Email::parse(email).unwrap(),
                name: PersonName::parse("Member").unwrap(),
                role: Role::Member,
                locale: "en".into(),
                password_hash: hash,
            },
        )
        .await
        .unwrap();
    session(app.login(email, PASSWORD).await.ok(200))
}

async fn members_cannot_change_pipelines(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let create = app
        .post("/api/v1/pipelines")
        .token(&member.token)
        .json(json!({"name": "X", "stages": [{"name": "A", "probability": 1}]}))
        .send()
        .await;
    create.problem(403);
    app.patch(&format!("/api/v1/pipelines/{}", id(&pipeline))).token(&member.token).json(json!({"name": "X"})).send().await.problem(403);
    app.delete(&format!("/api/v1/stages/{}", stage_id(&pipeline, 0))).token(&member.token).send().await.problem(403);
    // Members still see the pipelines and work the deals.
    assert_eq!(app.get("/api/v1/pipelines").token(&member.token).send().await.ok(200)["data"].as_array().unwrap().len(), 1);
    app.create_deal(&member, json!({"title": "Mine", "pipeline_id": id(&pipeline)})).await;
    let users = app.get("/api/v1/users").token(&member.token).send().await;
    assert_eq!(users.ok(200)["data"].as_array().unwrap().len(), 2);
}

async fn archived_pipelines_are_hidden_and_refuse_deals(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let archived =
        app.patch(&format!("/api/v1/pipelines/{}", id(&pipeline))).token(&admin.token).json(json!({"archived": true})).send().await;
    assert_eq!(archived.ok(200)["archived"], true);
    assert_eq!(app.get("/api/v1/pipelines").token(&admin.token).send().await.ok(200)["data"].as_array().unwrap().len(), 0);
    let all = app.get("/api/v1/pipelines?include_archived=true").token(&admin.token).send().await;
    assert_eq!(all.ok(200)["data"].as_array().unwrap().len(), 1);
    let refused = app.post("/api/v1/deals").token(&admin.token).json(json!({"title": "X", "pipeline_id": id(&pipeline)})).send().await;
    assert_eq!(refused.error_fields(), ["pipeline_id"]);
}

async fn a_pipeline_with_deals_cannot_be_deleted(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let empty = app.create_pipeline(&admin, "Empty", &[("Only", 10)]).await;
    app.create_deal(&admin, json!({"title": "Keep me", "pipeline_id": id(&pipeline)})).await;
    app.delete(&format!("/api/v1/pipelines/{}", id(&pipeline))).token(&admin.token).send().await.problem(409);
    app.delete(&format!("/api/v1/pipelines/{}", id(&empty))).token(&admin.token).send().await.ok(204);
    app.get(&format!("/api/v1/pipelines/{}", id(&empty))).token(&admin.token).send().await.problem(404);
}
