use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Engine, id, spawn_app_with, stage_id};
use crate::on_both_engines;

on_both_engines!(another_workspaces_objects_are_not_found_on_any_route);

/// Workspace B's admin tries every route that takes an object id with workspace A's ids: each
/// answers 404 (or, where the id is in the body, 422 naming it), and A's data is unchanged.
/// The table must cover every such route of the OpenAPI document, so a new route fails this
/// test until it is added here.
async fn another_workspaces_objects_are_not_found_on_any_route(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let alice = app.signup("A", "alice@a.test").await;
    let bob = app.signup("B", "bob@b.test").await;
    let pipeline = app.sales_pipeline(&alice).await;
    let hook = app.post("/api/v1/webhooks").token(&alice.token).json(json!({"url": "http://127.0.0.1:9/a"})).send().await;
    let w = id(&hook.ok(201)["webhook"]);
    let ping = app.post(&format!("/api/v1/webhooks/{w}/test")).token(&alice.token).send().await;
    let delivery = id(ping.ok(202));
    let deal = app.create_deal(&alice, json!({"title": "A's deal", "pipeline_id": id(&pipeline), "amount_minor": 100})).await;
    let (p, s, d) = (id(&pipeline), stage_id(&pipeline, 0), id(&deal));
    let org = app
        .post("/api/v1/organizations")
        .token(&alice.token)
        .json(json!({"name": "A's customer", "founded_on": "2010-01-10"}))
        .send()
        .await;
    let o = id(org.ok(201));
    let contact = app
        .post("/api/v1/contacts")
        .token(&alice.token)
        .json(json!({"name": "A's contact", "organization_id": o, "important_dates": [{"kind": "birthday", "month": 1, "day": 10}]}))
        .send()
        .await;
    let c = id(contact.ok(201));
    let bob_pipeline = app.sales_pipeline(&bob).await;
    let bob_deal = app.create_deal(&bob, json!({"title": "B's deal", "pipeline_id": id(&bob_pipeline)})).await;
    let lead = app
        .post("/api/v1/leads")
        .token(&alice.token)
        .json(json!({"name": "A's lead", "company": "A Co", "email": "a@lead.test"}))
        .send()
        .await;
    let l = id(lead.ok(201));
    let qualified = app.post("/api/v1/leads").token(&alice.token).json(json!({"name": "A's customer", "company": "A Co"})).send().await;
    let q = id(qualified.ok(201));
    let qualification = app.post(&format!("/api/v1/leads/{q}/qualify")).token(&alice.token).json(json!({"pipeline_id": p})).send().await;
    let qualification = qualification.ok(201).clone();
    let op = id(&qualification["opportunity"]);
    let (contact, organization) =
        (qualification["contact_id"].as_str().unwrap().to_owned(), qualification["organization_id"].as_str().unwrap().to_owned());
    let key = app.post("/api/v1/api-keys").token(&alice.token).json(json!({"name": "A's form"})).send().await;
    let k = id(&key.ok(201)["api_key"]);
    let field = json!({"entity": "lead", "key": "size", "label": "Size", "kind": "number"});
    let f = id(app.post("/api/v1/custom-fields").token(&alice.token).json(field).send().await.ok(201));
    let rate = json!({"currency": "USD", "rate_date": "2026-11-01", "rate": "42000"});
    let x = id(app.post("/api/v1/exchange-rates").token(&alice.token).json(rate).send().await.ok(201));
    let bob_lead = app.post("/api/v1/leads").token(&bob.token).json(json!({"name": "B's lead"})).send().await;
    let bob_lead = id(bob_lead.ok(201));
    let activity = json!({"kind": "task", "subject": "A's task", "lead_id": l, "due_at": "2030-01-01T09:00:00Z"});
    let a = id(app.post("/api/v1/activities").token(&alice.token).json(activity).send().await.ok(201));
    let template = json!({"subject": "A's follow-up", "due_in_hours": 24});
    let t = id(app.post(&format!("/api/v1/stages/{s}/task-templates")).token(&alice.token).json(template).send().await.ok(201));

    let not_found: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/api/v1/pipelines/{p}"), None),
        ("PATCH", format!("/api/v1/pipelines/{p}"), Some(json!({"name": "mine now"}))),
        ("DELETE", format!("/api/v1/pipelines/{p}"), None),
        ("POST", format!("/api/v1/pipelines/{p}/stages"), Some(json!({"name": "x", "probability": 1}))),
        ("GET", format!("/api/v1/pipelines/{p}/board"), None),
        ("PATCH", format!("/api/v1/stages/{s}"), Some(json!({"name": "x"}))),
        ("DELETE", format!("/api/v1/stages/{s}?move_deals_to={}", stage_id(&pipeline, 1)), None),
        ("GET", format!("/api/v1/deals/{d}"), None),
        ("PATCH", format!("/api/v1/deals/{d}"), Some(json!({"title": "x"}))),
        ("DELETE", format!("/api/v1/deals/{d}"), None),
        ("POST", format!("/api/v1/deals/{d}/move"), Some(json!({"stage_id": stage_id(&bob_pipeline, 1)}))),
        ("POST", format!("/api/v1/deals/{d}/win"), None),
        ("POST", format!("/api/v1/deals/{d}/lose"), Some(json!({"reason": "x"}))),
        ("POST", format!("/api/v1/deals/{d}/reopen"), None),
        ("GET", format!("/api/v1/deals/{d}/history"), None),
        ("GET", format!("/api/v1/webhooks/{w}"), None),
        ("PATCH", format!("/api/v1/webhooks/{w}"), Some(json!({"active": false}))),
        ("DELETE", format!("/api/v1/webhooks/{w}"), None),
        ("POST", format!("/api/v1/webhooks/{w}/rotate-secret"), Some(json!({}))),
        ("POST", format!("/api/v1/webhooks/{w}/test"), None),
        ("GET", format!("/api/v1/webhooks/{w}/deliveries"), None),
        ("POST", format!("/api/v1/webhooks/deliveries/{delivery}/redeliver"), None),
        ("GET", format!("/api/v1/leads/{l}"), None),
        ("PATCH", format!("/api/v1/leads/{l}"), Some(json!({"name": "mine now"}))),
        ("DELETE", format!("/api/v1/leads/{l}"), None),
        ("POST", format!("/api/v1/leads/{l}/qualify"), Some(json!({"create_deal": false}))),
        ("POST", format!("/api/v1/leads/{l}/disqualify"), Some(json!({"reason": "other"}))),
        ("POST", format!("/api/v1/leads/{l}/reopen"), None),
        ("GET", format!("/api/v1/leads/{l}/score"), None),
        ("GET", format!("/api/v1/leads/{l}/duplicates"), None),
        ("POST", format!("/api/v1/leads/{l}/merge"), Some(json!({"other_id": bob_lead, "dry_run": true}))),
        ("GET", format!("/api/v1/opportunities/{op}"), None),
        ("POST", format!("/api/v1/opportunities/{op}/deals"), Some(json!({"title": "x", "pipeline_id": id(&bob_pipeline)}))),
        ("DELETE", format!("/api/v1/api-keys/{k}"), None),
        ("DELETE", format!("/api/v1/custom-fields/{f}"), None),
        ("DELETE", format!("/api/v1/exchange-rates/{x}"), None),
        ("GET", format!("/api/v1/contacts/{c}"), None),
        ("PATCH", format!("/api/v1/contacts/{c}"), Some(json!({"name": "x"}))),
        ("DELETE", format!("/api/v1/contacts/{c}"), None),
        ("GET", format!("/api/v1/organizations/{o}"), None),
        ("PATCH", format!("/api/v1/organizations/{o}"), Some(json!({"name": "x"}))),
        ("DELETE", format!("/api/v1/organizations/{o}"), None),
        ("GET", format!("/api/v1/activities/{a}"), None),
        ("PATCH", format!("/api/v1/activities/{a}"), Some(json!({"subject": "mine now"}))),
        ("DELETE", format!("/api/v1/activities/{a}"), None),
        ("POST", format!("/api/v1/activities/{a}/complete"), None),
        ("POST", format!("/api/v1/activities/{a}/reopen"), None),
        ("GET", format!("/api/v1/stages/{s}/task-templates"), None),
        ("POST", format!("/api/v1/stages/{s}/task-templates"), Some(json!({"subject": "x", "due_in_hours": 1}))),
        ("PATCH", format!("/api/v1/task-templates/{t}"), Some(json!({"subject": "x"}))),
        ("DELETE", format!("/api/v1/task-templates/{t}"), None),
    ];
    for (method, path, body) in &not_found {
        let mut request = app.request(method.parse().unwrap(), path).token(&bob.token).if_match(1);
        if let Some(body) = body {
            request = request.json(body.clone());
        }
        let reply = request.send().await;
        assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text);
        reply.problem(404);
    }

    // Ids of A's objects inside B's bodies and queries are simply unknown to B.
    let create = app.post("/api/v1/deals").token(&bob.token).json(json!({"title": "x", "pipeline_id": p})).send().await;
    assert_eq!(create.error_fields(), ["pipeline_id"]);
    let into_a = app.move_deal(&bob, &bob_deal, json!({"stage_id": s})).await;
    assert_eq!(into_a.error_fields(), ["stage_id"]);
    let beside_a = app.move_deal(&bob, &bob_deal, json!({"stage_id": stage_id(&bob_pipeline, 0), "before_id": d})).await;
    assert_eq!(beside_a.error_fields(), ["before_id"]);
    let owner_a = app
        .patch(&format!("/api/v1/deals/{}", id(&bob_deal)))
        .token(&bob.token)
        .if_match(1)
        .json(json!({"owner_id": alice.user_id}))
        .send()
        .await;
    assert_eq!(owner_a.error_fields(), ["owner_id"]);
    let merge_a =
        app.post(&format!("/api/v1/leads/{bob_lead}/merge")).token(&bob.token).json(json!({"other_id": l, "dry_run": true})).send().await;
    assert_eq!(merge_a.error_fields(), ["other_id"]);
    let link_a = json!({"contact_id": contact, "create_deal": false});
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(link_a).send().await;
    assert_eq!(qualify_a.error_fields(), ["contact_id"]);
    let link_a = json!({"organization_id": organization, "create_deal": false});
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(link_a).send().await;
    assert_eq!(qualify_a.error_fields(), ["organization_id"]);
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(json!({"pipeline_id": p})).send().await;
    assert_eq!(qualify_a.error_fields(), ["pipeline_id"]);
    for (path, len) in [("/api/v1/leads", 1), ("/api/v1/opportunities", 0), ("/api/v1/api-keys", 0), ("/api/v1/custom-fields", 0)] {
        let listed = app.get(path).token(&bob.token).send().await.ok(200).clone();
        assert_eq!(listed["data"].as_array().unwrap().len(), len, "{path}");
    }
    let dupes = app.get(&format!("/api/v1/leads/{bob_lead}/duplicates")).token(&bob.token).send().await.ok(200).clone();
    assert_eq!(dupes, json!({"leads": [], "contacts": []}));
    let exported = app.get("/api/v1/leads/export").token(&bob.token).send().await.text;
    assert!(!exported.contains("A's lead"));
    let a_lead = app.get(&format!("/api/v1/leads/{l}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_lead["name"].as_str(), a_lead["version"].as_i64(), a_lead["status"].as_str()), (Some("A's lead"), Some(1), Some("new")));
    for (field, link) in [("lead_id", &l), ("contact_id", &c), ("organization_id", &o), ("deal_id", &d)] {
        let body = json!({"kind": "call", "subject": "x", field: link});
        let linked_to_a = app.post("/api/v1/activities").token(&bob.token).json(body).send().await;
        assert_eq!(linked_to_a.error_fields(), [field]);
    }
    let for_alice = json!({"kind": "call", "subject": "x", "lead_id": bob_lead, "owner_id": alice.user_id});
    assert_eq!(app.post("/api/v1/activities").token(&bob.token).json(for_alice).send().await.error_fields(), ["owner_id"]);
    let b_activities = app.get(&format!("/api/v1/activities?lead_id={l}")).token(&bob.token).send().await.ok(200).clone();
    assert!(b_activities["data"].as_array().unwrap().is_empty());
    let b_agenda = app.get("/api/v1/me/agenda?days=90").token(&bob.token).send().await.ok(200).clone();
    assert!(b_agenda["upcoming"].as_array().unwrap().is_empty() && b_agenda["overdue"].as_array().unwrap().is_empty());
    let a_task = app.get(&format!("/api/v1/activities/{a}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!(
        (a_task["subject"].as_str(), a_task["version"].as_i64(), a_task["done_at"].clone()),
        (Some("A's task"), Some(1), Value::Null)
    );
    let a_templates = app.get(&format!("/api/v1/stages/{s}/task-templates")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_templates["data"][0]["subject"], "A's follow-up");
    let contact_in_a = app.post("/api/v1/contacts").token(&bob.token).json(json!({"name": "x", "organization_id": o})).send().await;
    assert_eq!(contact_in_a.error_fields(), ["organization_id"]);
    for list in
        ["/api/v1/contacts", "/api/v1/organizations", &format!("/api/v1/contacts?organization_id={o}"), "/api/v1/contacts?q=customer"]
    {
        let listed = app.get(list).token(&bob.token).send().await.ok(200).clone();
        assert!(listed["data"].as_array().unwrap().is_empty(), "{list}");
    }
    let dates = app.get("/api/v1/contacts/upcoming-dates?today=2027-01-01&days=30").token(&bob.token).send().await.ok(200).clone();
    assert!(dates["data"].as_array().unwrap().is_empty());
    let a_dates = app.get("/api/v1/contacts/upcoming-dates?today=2027-01-01&days=30").token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_dates["data"].as_array().unwrap().len(), 2);
    let listed = app.get(&format!("/api/v1/deals?pipeline_id={p}")).token(&bob.token).send().await.ok(200).clone();
    assert!(listed["data"].as_array().unwrap().is_empty());
    let all_deals = app.get("/api/v1/deals").token(&bob.token).send().await.ok(200).clone();
    assert_eq!(all_deals["data"].as_array().unwrap().len(), 1);
    let pipelines = app.get("/api/v1/pipelines?include_archived=true").token(&bob.token).send().await.ok(200).clone();
    assert_eq!(pipelines["data"].as_array().unwrap().len(), 1);
    let users = app.get("/api/v1/users").token(&bob.token).send().await.ok(200).clone();
    assert_eq!(users["data"].as_array().unwrap().len(), 1);
    // Reports see only B's deals and rates.
    app.get(&format!("/api/v1/reports/stage-conversion?pipeline_id={p}")).token(&bob.token).send().await.problem(404);
    let forecast = app.get("/api/v1/reports/forecast").token(&bob.token).send().await.ok(200).clone();
    assert_eq!((forecast["undated"]["open_deals"].as_i64(), forecast["undated"]["amount"]["converted"].clone()), (Some(1), Value::Null));
    let rates = app.get("/api/v1/exchange-rates").token(&bob.token).send().await.ok(200).clone();
    assert!(rates["data"].as_array().unwrap().is_empty());

    // A's data is untouched.
    let webhooks = app.get("/api/v1/webhooks").token(&bob.token).send().await.ok(200).clone();
    assert!(webhooks["data"].as_array().unwrap().is_empty());
    let hook_now = app.get(&format!("/api/v1/webhooks/{w}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((hook_now["active"].as_bool(), hook_now["version"].as_i64()), (Some(true), Some(1)));
    let still = app.deal(&alice, &d).await;
    assert_eq!((still["title"].as_str(), still["version"].as_i64(), still["status"].as_str()), (Some("A's deal"), Some(1), Some("open")));
    let a_pipeline = app.get(&format!("/api/v1/pipelines/{p}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_pipeline["stages"].as_array().unwrap().len(), 3);
    let a_contact = app.get(&format!("/api/v1/contacts/{c}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_contact["name"].as_str(), a_contact["version"].as_i64()), (Some("A's contact"), Some(1)));
    let a_org = app.get(&format!("/api/v1/organizations/{o}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_org["version"].as_i64(), a_org["contacts_count"].as_i64()), (Some(1), Some(1)));

    // Every route with a path id in the OpenAPI document is in the table above.
    let document: Value = serde_json::from_str(&kariz_api::openapi::document_json()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        if path.contains('{') {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = not_found
        .iter()
        .map(|(method, path, _)| {
            let template = path
                .split('?')
                .next()
                .unwrap()
                .replace(&p, "{id}")
                .replace(&s, "{id}")
                .replace(&d, "{id}")
                .replace(&w, "{id}")
                .replace(&l, "{id}")
                .replace(&op, "{id}")
                .replace(&k, "{id}")
                .replace(&f, "{id}")
                .replace(&x, "{id}")
                .replace(&c, "{id}")
                .replace(&o, "{id}")
                .replace(&delivery, "{id}")
                .replace(&a, "{id}")
                .replace(&t, "{id}");
            (method.to_string(), template)
        })
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(missing.is_empty(), "routes without a cross-workspace case: {missing:?}");
}
