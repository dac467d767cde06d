//! A customer's timeline and figures: everything about a contact or an organization in time
//! order, paged without gaps or repeats, and only what the caller may see.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{BOUNDARY, Engine, Session, TestApp, form, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_contacts_timeline_tells_their_story_newest_first,
    timeline_pages_neither_skip_nor_repeat,
    an_organizations_timeline_gathers_its_people,
    the_timeline_leaves_out_what_the_caller_may_not_see,
);

/// `(kind, action or activity kind)` of each entry.
fn shape(page: &Value) -> Vec<(String, String)> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let kind = e["kind"].as_str().unwrap().to_owned();
            let detail = e["action"].as_str().or(e["activity"]["kind"].as_str()).or(e["attachment"]["file_name"].as_str()).unwrap();
            (kind, detail.to_owned())
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

async fn attach(app: &TestApp, session: &Session, link: (&str, &str), name: &str) -> Value {
    let body = form(&[link], Some((name, "text/plain", b"minutes")));
    let reply =
        app.post("/api/v1/attachments").token(&session.token).raw(&format!("multipart/form-data; boundary={BOUNDARY}"), body).send().await;
    reply.ok(201).clone()
}

/// A lead qualified into a contact, organization and deal, whose story then goes on: returns the
/// qualification's answer.
async fn story(app: &TestApp, admin: &Session, pipeline: &Value) -> Value {
    let t = admin.token.as_str();
    let minute = || app.clock.advance(Duration::minutes(1));
    let lead = app.post("/api/v1/leads").token(t).json(json!({"name": "Sara Ahmadi", "company": "Pars Logistics"})).send().await;
    let lead = lead.ok(201).clone();
    minute();
    let body = json!({"pipeline_id": id(pipeline), "amount_minor": 5_000_000});
    let qualified = app.post(&format!("/api/v1/leads/{}/qualify", id(&lead))).token(t).json(body).send().await.ok(201).clone();
    let contact = qualified["contact_id"].as_str().unwrap().to_owned();
    let deal = qualified["deal"].clone();
    minute();
    let note = json!({"kind": "note", "subject": "Prefers email", "contact_id": contact});
    app.post("/api/v1/activities").token(t).json(note).send().await.ok(201);
    minute();
    app.move_deal(admin, &deal, json!({"stage_id": stage_id(pipeline, 1)})).await.ok(200);
    minute();
    let call = json!({"kind": "call", "subject": "Pricing call", "deal_id": id(&deal), "done_at": app.clock_now()});
    app.post("/api/v1/activities").token(t).json(call).send().await.ok(201);
    minute();
    attach(app, admin, ("deal_id", &id(&deal)), "quote.txt").await;
    minute();
    app.post(&format!("/api/v1/deals/{}/win", id(&deal))).token(t).if_match(2).send().await.ok(200);
    minute();
    let task = json!({"kind": "task", "subject": "Renewal", "contact_id": contact, "due_at": "2030-01-01T09:00:00Z"});
    app.post("/api/v1/activities").token(t).json(task).send().await.ok(201);
    qualified
}

async fn a_contacts_timeline_tells_their_story_newest_first(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let qualified = story(&app, &admin, &pipeline).await;
    let contact = qualified["contact_id"].as_str().unwrap();

    let page = app.get(&format!("/api/v1/contacts/{contact}/timeline")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(
        shape(&page),
        pairs(&[
            ("activity", "task"),
            ("deal", "won"),
            ("attachment", "quote.txt"),
            ("activity", "call"),
            ("deal", "moved"),
            ("note", "note"),
            ("deal", "opened"),
            ("lead", "qualified"),
            ("lead", "captured"),
        ])
    );
    let moved = &page["data"][4];
    assert_eq!(
        (moved["from_stage_id"].as_str(), moved["to_stage_id"].as_str()),
        (Some(stage_id(&pipeline, 0).as_str()), Some(stage_id(&pipeline, 1).as_str()))
    );
    assert_eq!(page["data"][1]["deal"]["status"], "won");
    assert_eq!(page["next_cursor"], Value::Null);

    let summary = app.get(&format!("/api/v1/contacts/{contact}/summary")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(summary["won_deals"], 1);
    assert_eq!(summary["won_value"], json!([{"currency": "IRR", "amount_minor": 5_000_000}]));
    assert_eq!((summary["open_deals"].clone(), summary["open_value"].clone()), (json!(0), json!([])));
    assert_eq!(summary["next_activity_at"], "2030-01-01T09:00:00Z");
    assert!(summary["last_contacted_at"].is_string(), "the call: {summary}");

    let elsewhere = app.signup("Rival", "owner@rival.test").await;
    app.get(&format!("/api/v1/contacts/{contact}/timeline")).token(&elsewhere.token).send().await.problem_code(404, "not_found");
    app.get(&format!("/api/v1/contacts/{contact}/summary")).token(&elsewhere.token).send().await.problem_code(404, "not_found");
}

async fn timeline_pages_neither_skip_nor_repeat(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let qualified = story(&app, &admin, &pipeline).await;
    let contact = qualified["contact_id"].as_str().unwrap();
    let whole = app.get(&format!("/api/v1/contacts/{contact}/timeline")).token(&admin.token).send().await.ok(200).clone();
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/contacts/{contact}/timeline?limit=2&cursor={c}"),
            None => format!("/api/v1/contacts/{contact}/timeline?limit=2"),
        };
        let page = app.get(&path).token(&admin.token).send().await.ok(200).clone();
        paged.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(Value::Array(paged), whole["data"]);
    let edited = app.get(&format!("/api/v1/contacts/{contact}/timeline?cursor=bm90LWEtY3Vyc29y")).token(&admin.token).send().await;
    edited.problem_code(400, "invalid_cursor");
}

async fn an_organizations_timeline_gathers_its_people(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let org = app.post("/api/v1/organizations").token(t).json(json!({"name": "Pars"})).send().await.ok(201).clone();
    let sara =
        app.post("/api/v1/contacts").token(t).json(json!({"name": "Sara", "organization_id": id(&org)})).send().await.ok(201).clone();
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "organization_id": id(&org)})).await;
    app.clock.advance(Duration::minutes(1));
    let note = json!({"kind": "note", "subject": "Met Sara", "contact_id": id(&sara)});
    app.post("/api/v1/activities").token(t).json(note).send().await.ok(201);
    app.clock.advance(Duration::minutes(1));
    attach(&app, &admin, ("organization_id", &id(&org)), "contract.txt").await;

    let page = app.get(&format!("/api/v1/organizations/{}/timeline", id(&org))).token(t).send().await.ok(200).clone();
    assert_eq!(shape(&page), pairs(&[("attachment", "contract.txt"), ("note", "note"), ("deal", "opened")]));
    assert_eq!(page["data"][2]["deal"]["id"], deal["id"]);
    let summary = app.get(&format!("/api/v1/organizations/{}/summary", id(&org))).token(t).send().await.ok(200).clone();
    assert_eq!((summary["open_deals"].clone(), summary["open_value"].clone()), (json!(1), json!([{"currency": "IRR", "amount_minor": 0}])));
}

async fn the_timeline_leaves_out_what_the_caller_may_not_see(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = app.add_member(&admin, "member@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let sara = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201).clone();
    let c = id(&sara);
    let hidden = app.create_deal(&admin, json!({"title": "Admin's", "pipeline_id": id(&pipeline), "contact_id": c})).await;
    app.clock.advance(Duration::minutes(1));
    let call = json!({"kind": "call", "subject": "About the admin's deal", "deal_id": id(&hidden)});
    app.post("/api/v1/activities").token(&admin.token).json(call).send().await.ok(201);
    attach(&app, &admin, ("deal_id", &id(&hidden)), "secret.txt").await;
    app.clock.advance(Duration::minutes(1));
    let own = app.create_deal(&member, json!({"title": "Member's", "pipeline_id": id(&pipeline), "contact_id": c})).await;
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await.ok(200);

    let seen = |session: &Session| {
        let (app, c) = (&app, c.clone());
        let token = session.token.clone();
        async move { app.get(&format!("/api/v1/contacts/{c}/timeline")).token(&token).send().await.ok(200).clone() }
    };
    let members = seen(&member).await;
    assert_eq!(shape(&members), pairs(&[("deal", "opened")]));
    assert_eq!(members["data"][0]["deal"]["id"], own["id"]);
    let text = members.to_string();
    assert!(!text.contains("Admin's") && !text.contains("secret.txt") && !text.contains("About the admin"), "{text}");
    assert_eq!(seen(&admin).await["data"].as_array().unwrap().len(), 4, "the admin sees everything");
    let summary = app.get(&format!("/api/v1/contacts/{c}/summary")).token(&member.token).send().await.ok(200).clone();
    assert_eq!(summary["open_deals"], 1, "only the member's own deal counts for them");
}
