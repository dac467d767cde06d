//! Bulk actions on deals, leads and contacts: each item authorized, versioned, audited and
//! announced as its single-item request would be, each on its own, answered in request order.

use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_mixed_batch_applies_what_the_caller_may_and_answers_each_item,
    a_refused_item_leaves_the_others_applied,
    lead_and_contact_actions_go_through_their_single_item_rules,
    deals_are_tagged_and_untagged_as_a_patch_would,
    bad_batches_and_read_only_keys_are_refused_whole,
);

const NOBODY: &str = "00000000-0000-7000-8000-000000000000";

async fn bulk(app: &TestApp, session: &Session, kind: &str, body: Value) -> Vec<Value> {
    let reply = app.post(&format!("/api/v1/{kind}/bulk")).token(&session.token).json(body).send().await;
    reply.ok(200)["results"].as_array().unwrap().clone()
}

fn statuses(results: &[Value]) -> Vec<(String, String)> {
    results.iter().map(|r| (r["id"].as_str().unwrap().to_owned(), r["status"].as_str().unwrap().to_owned())).collect()
}

async fn audited(app: &TestApp, action: &str, entity_id: &str) -> i64 {
    let entity_id: uuid::Uuid = entity_id.parse().unwrap();
    app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action = ? AND entity_id = ?", vec![action.into(), entity_id.into()]).await
}

async fn a_mixed_batch_applies_what_the_caller_may_and_answers_each_item(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let outsider = app.signup("Other", "owner@other.test").await;

    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let first = id(&app.create_deal(&mia, json!({"title": "Mia 1", "pipeline_id": p})).await);
    let second = id(&app.create_deal(&mia, json!({"title": "Mia 2", "pipeline_id": p})).await);
    let hidden = id(&app.create_deal(&admin, json!({"title": "Admin's", "pipeline_id": p})).await);
    let other_pipeline = app.sales_pipeline(&outsider).await;
    let elsewhere = id(&app.create_deal(&outsider, json!({"title": "Theirs", "pipeline_id": id(&other_pipeline)})).await);

    let target = stage_id(&pipeline, 1);
    let ids = [&first, &hidden, &elsewhere, NOBODY, &second].map(|s| s.to_string());
    let results = bulk(&app, &mia, "deals", json!({"ids": ids, "action": {"type": "move", "stage_id": target}})).await;
    let expected: Vec<(String, String)> =
        ids.iter().zip(["ok", "not_found", "not_found", "not_found", "ok"]).map(|(id, s)| (id.clone(), s.to_owned())).collect();
    assert_eq!(statuses(&results), expected, "in request order");
    assert_eq!(results[0]["version"], 2);
    assert_eq!(results[1]["code"], "not_found");
    assert!(results[1].get("version").is_none());

    // Each moved deal has what a single move writes: its stage, its event, its audit entry.
    for moved in [&first, &second] {
        assert_eq!(app.deal(&mia, moved).await["stage_id"].as_str(), Some(target.as_str()));
        assert_eq!(app.event_count(moved, "deal.stage_changed").await, 1);
        assert_eq!(audited(&app, "deal.moved", moved).await, 1);
    }
    for untouched in [&hidden, &elsewhere] {
        assert_eq!(app.event_count(untouched, "deal.stage_changed").await, 0);
        assert_eq!(audited(&app, "deal.moved", untouched).await, 0);
    }
    assert_eq!(app.deal(&admin, &hidden).await["version"], 1);
    assert_eq!(app.deal(&outsider, &elsewhere).await["version"], 1);

    // Assign and delete too, each with its event.
    let results =
        bulk(&app, &admin, "deals", json!({"ids": [first, hidden], "action": {"type": "assign", "owner_id": admin.user_id}})).await;
    assert_eq!(statuses(&results), [(first.clone(), "ok".to_owned()), (hidden.clone(), "ok".to_owned())]);
    assert_eq!(app.deal(&admin, &first).await["owner_id"].as_str(), Some(admin.user_id.as_str()));
    assert_eq!(app.event_count(&first, "deal.updated").await, 1);
    // Now hidden from Mia, whose delete finds it no more.
    let results = bulk(&app, &mia, "deals", json!({"ids": [first, second], "action": {"type": "delete"}})).await;
    assert_eq!(statuses(&results), [(first.clone(), "not_found".to_owned()), (second.clone(), "ok".to_owned())]);
    assert_eq!(app.event_count(&second, "deal.deleted").await, 1);
    assert_eq!(audited(&app, "deal.deleted", &second).await, 1);
    assert_eq!(app.event_count(&first, "deal.deleted").await, 0);
}

async fn a_refused_item_leaves_the_others_applied(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let sales = app.sales_pipeline(&admin).await;
    let renewals = app.create_pipeline(&admin, "Renewals", &[("Due", 50), ("Signed", 90)]).await;
    let a = id(&app.create_deal(&admin, json!({"title": "A", "pipeline_id": id(&sales)})).await);
    let b = id(&app.create_deal(&admin, json!({"title": "B", "pipeline_id": id(&renewals)})).await);
    let c = id(&app.create_deal(&admin, json!({"title": "C", "pipeline_id": id(&renewals)})).await);
    let won = app.post(&format!("/api/v1/deals/{c}/win")).token(&admin.token).if_match(1).send().await;
    won.ok(200);
    let d = id(&app.create_deal(&admin, json!({"title": "D", "pipeline_id": id(&renewals)})).await);

    // A stage of another pipeline, a closed deal and a stale version are that item's refusal only.
    let target = stage_id(&renewals, 1);
    let body = json!({"ids": [a, b, c, d], "action": {"type": "move", "stage_id": target}, "versions": {d.clone(): 7, b.clone(): 1}});
    let results = bulk(&app, &admin, "deals", body).await;
    let got: Vec<(&str, Option<&str>)> = results.iter().map(|r| (r["status"].as_str().unwrap(), r["code"].as_str())).collect();
    assert_eq!(
        got,
        [
            ("invalid", Some("stage_in_other_pipeline")),
            ("ok", None),
            ("invalid", Some("deal_closed")),
            ("conflict", Some("version_mismatch"))
        ]
    );
    assert_eq!(results[3]["version"], 1, "a conflict tells the current version");
    assert_eq!(app.deal(&admin, &b).await["stage_id"].as_str(), Some(target.as_str()));
    for refused in [&a, &c, &d] {
        assert_eq!(app.event_count(refused, "deal.stage_changed").await, 0);
        assert_eq!(audited(&app, "deal.moved", refused).await, 0);
    }
    // An owner who is not a member is each item's invalid field.
    let results = bulk(&app, &admin, "deals", json!({"ids": [a], "action": {"type": "assign", "owner_id": NOBODY}})).await;
    assert_eq!((results[0]["status"].as_str(), results[0]["code"].as_str()), (Some("invalid"), Some("validation_failed")));

    // Replayed with its Idempotency-Key, a batch is answered again, not applied again.
    let body = json!({"ids": [d], "action": {"type": "move", "stage_id": target}});
    let send = || app.post("/api/v1/deals/bulk").token(&admin.token).header("idempotency-key", "bulk-1").json(body.clone()).send();
    let first = send().await;
    let again = send().await;
    assert_eq!(first.ok(200), again.ok(200));
    assert!(again.headers.get("idempotent-replayed").is_some());
    assert_eq!(app.event_count(&d, "deal.stage_changed").await, 1);
}

async fn lead_and_contact_actions_go_through_their_single_item_rules(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let lead = |name: &str, tags: Value| json!({"name": name, "tags": tags});
    let mut leads = Vec::new();
    for (name, tags) in [("Sara", json!(["VIP"])), ("Reza", json!([])), ("Nika", json!(["fleet"]))] {
        leads.push(id(app.post("/api/v1/leads").token(&admin.token).json(lead(name, tags)).send().await.ok(201)));
    }
    let qualified = &leads[2];
    app.post(&format!("/api/v1/leads/{qualified}/qualify")).token(&admin.token).json(json!({"create_deal": false})).send().await.ok(201);

    let results = bulk(&app, &admin, "leads", json!({"ids": leads, "action": {"type": "tag", "tag": "vip"}})).await;
    let versions: Vec<Value> = results.iter().map(|r| r["version"].clone()).collect();
    // A qualified lead keeps its tags editable, as `PATCH /leads/{id}` allows.
    assert_eq!(statuses(&results).iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(), ["ok", "ok", "ok"]);
    assert_eq!(versions[0], 1, "already tagged: nothing written");
    let reza = app.get(&format!("/api/v1/leads/{}", leads[1])).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(reza["tags"], json!(["vip"]));
    assert_eq!(app.event_count(&leads[1], "lead.updated").await, 1);
    assert_eq!(app.event_count(&leads[0], "lead.updated").await, 0);

    let results = bulk(&app, &admin, "leads", json!({"ids": [leads[0], leads[1]], "action": {"type": "untag", "tag": "VIP"}})).await;
    assert!(results.iter().all(|r| r["status"] == "ok"));
    let sara = app.get(&format!("/api/v1/leads/{}", leads[0])).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(sara["tags"], json!([]));

    let body = json!({"ids": [leads[0], leads[2]], "action": {"type": "disqualify", "reason": "no_budget", "note": "Next year"}});
    let results = bulk(&app, &admin, "leads", body).await;
    assert_eq!((results[0]["status"].as_str(), results[1]["status"].as_str()), (Some("ok"), Some("invalid")));
    assert_eq!(results[1]["code"], "lead_qualified");
    assert_eq!(app.event_count(&leads[0], "lead.disqualified").await, 1);
    assert_eq!(audited(&app, "lead.disqualified", &leads[0]).await, 1);
    let results = bulk(&app, &admin, "leads", json!({"ids": [leads[1]], "action": {"type": "assign", "owner_id": mia.user_id}})).await;
    assert_eq!(results[0]["status"], "ok");
    let results = bulk(&app, &admin, "leads", json!({"ids": [leads[1], leads[2]], "action": {"type": "delete"}})).await;
    assert_eq!((results[0]["status"].as_str(), results[1]["status"].as_str()), (Some("ok"), Some("invalid")));
    assert_eq!(app.event_count(&leads[1], "lead.deleted").await, 1);

    // Contacts: a member's own and the admin's, with contacts following the lead visibility.
    let only_owners = json!({"lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let mine = id(app.post("/api/v1/contacts").token(&mia.token).json(json!({"name": "Mine", "tags": ["a"]})).send().await.ok(201));
    let theirs = id(app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Theirs"})).send().await.ok(201));
    let results = bulk(&app, &mia, "contacts", json!({"ids": [mine, theirs], "action": {"type": "tag", "tag": "b"}})).await;
    assert_eq!(statuses(&results), [(mine.clone(), "ok".to_owned()), (theirs.clone(), "not_found".to_owned())]);
    let contact = app.get(&format!("/api/v1/contacts/{mine}")).token(&mia.token).send().await.ok(200).clone();
    assert_eq!((contact["tags"].clone(), contact["version"].as_i64()), (json!(["a", "b"]), Some(2)));
    assert_eq!(audited(&app, "contact.updated", &mine).await, 1);
    assert_eq!(audited(&app, "contact.updated", &theirs).await, 0);
    let results = bulk(&app, &mia, "contacts", json!({"ids": [mine], "action": {"type": "delete"}, "versions": {mine.clone(): 1}})).await;
    assert_eq!(results[0]["status"], "conflict");
    let results = bulk(&app, &mia, "contacts", json!({"ids": [mine], "action": {"type": "delete"}, "versions": {mine.clone(): 2}})).await;
    assert_eq!(results[0]["status"], "ok");
    assert_eq!(audited(&app, "contact.deleted", &mine).await, 1);
}

async fn bad_batches_and_read_only_keys_are_refused_whole(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = id(&app.create_deal(&admin, json!({"title": "A", "pipeline_id": id(&pipeline)})).await);
    let send = |kind: &str, body: Value| {
        let path = format!("/api/v1/{kind}/bulk");
        let token = admin.token.clone();
        let app = &app;
        async move { app.post(&path).token(&token).json(body).send().await }
    };

    let too_many: Vec<String> = (0..501).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let reply = send("deals", json!({"ids": too_many, "action": {"type": "delete"}})).await;
    assert_eq!(reply.error_fields(), ["ids"]);
    assert_eq!(reply.content_type(), "application/problem+json");
    assert_eq!(send("deals", json!({"ids": [], "action": {"type": "delete"}})).await.error_fields(), ["ids"]);
    let reply = send("deals", json!({"ids": [deal, deal], "action": {"type": "delete"}})).await;
    assert_eq!(reply.error_fields(), ["ids.1"]);
    // Only the actions of each kind: deals are not disqualified, leads and contacts do not move.
    send("deals", json!({"ids": [deal], "action": {"type": "disqualify", "reason": "other"}})).await.problem(422);
    assert_eq!(send("deals", json!({"ids": [deal], "action": {"type": "untag", "tag": "a\"b"}})).await.error_fields(), ["action.tag"]);
    send("leads", json!({"ids": [deal], "action": {"type": "move", "stage_id": deal}})).await.problem(422);
    send("contacts", json!({"ids": [deal], "action": {"type": "disqualify", "reason": "other"}})).await.problem(422);
    send("deals", json!({"ids": [deal], "action": {"type": "delete", "stage_id": deal}})).await.problem(422);
    assert_eq!(send("contacts", json!({"ids": [deal], "action": {"type": "tag", "tag": " "}})).await.error_fields(), ["action.tag"]);
    // Nothing of the above was applied.
    assert_eq!(app.deal(&admin, &deal).await["version"], 1);

    // A read-only key may not write, in bulk either.
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Reports", "scopes": ["read"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let reply =
        app.post("/api/v1/deals/bulk").header("x-api-key", &key).json(json!({"ids": [deal], "action": {"type": "delete"}})).send().await;
    reply.problem_code(403, "scope_missing");
    assert_eq!(app.deal(&admin, &deal).await["version"], 1);
    assert_eq!(app.event_count(&deal, "deal.deleted").await, 0);
}

/// Tagging and untagging deals writes each one as `PATCH /deals/{id}` with its tags would: a
/// version, a `deal.updated` event naming `tags`, an audit entry. A deal already as asked is
/// left unwritten, and a hidden or stale one is that item's refusal alone.
async fn deals_are_tagged_and_untagged_as_a_patch_would(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await.ok(200);
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let tagged = id(&app.create_deal(&mia, json!({"title": "Tagged", "pipeline_id": p, "tags": ["VIP"]})).await);
    let plain = id(&app.create_deal(&mia, json!({"title": "Plain", "pipeline_id": p, "tags": ["fleet"]})).await);
    let stale = id(&app.create_deal(&mia, json!({"title": "Stale", "pipeline_id": p})).await);
    let hidden = id(&app.create_deal(&admin, json!({"title": "Admin's", "pipeline_id": p})).await);

    let body = json!({"ids": [tagged, plain, stale, hidden], "action": {"type": "tag", "tag": "vip"}, "versions": {stale.clone(): 5}});
    let results = bulk(&app, &mia, "deals", body).await;
    let got: Vec<(&str, Option<i64>)> = results.iter().map(|r| (r["status"].as_str().unwrap(), r["version"].as_i64())).collect();
    assert_eq!(got, [("ok", Some(1)), ("ok", Some(2)), ("conflict", Some(1)), ("not_found", None)]);
    // Already tagged (whatever the case): nothing written, no event, no audit entry.
    let deal = app.deal(&mia, &tagged).await;
    assert_eq!((deal["tags"].clone(), deal["version"].as_i64()), (json!(["VIP"]), Some(1)));
    assert_eq!(app.event_count(&tagged, "deal.updated").await, 0);
    assert_eq!(audited(&app, "deal.updated", &tagged).await, 0);
    // Tagged: the tag added after the others, announced with the change.
    let deal = app.deal(&mia, &plain).await;
    assert_eq!((deal["tags"].clone(), deal["version"].as_i64()), (json!(["fleet", "vip"]), Some(2)));
    assert_eq!(app.event_count(&plain, "deal.updated").await, 1);
    assert_eq!(audited(&app, "deal.updated", &plain).await, 1);
    let event = app.event_payload(&plain, "deal.updated").await;
    assert_eq!(event["deal"]["tags"], json!(["fleet", "vip"]));
    assert_eq!(event["changes"], json!([{"field": "tags", "previous": ["fleet"], "current": ["fleet", "vip"]}]));
    for untouched in [&stale, &hidden] {
        assert_eq!(app.deal(&admin, untouched).await["tags"], json!([]));
        assert_eq!(app.event_count(untouched, "deal.updated").await, 0);
    }

    // Untag, whatever the case; a deal without the tag is left as it is.
    let results = bulk(&app, &mia, "deals", json!({"ids": [tagged, plain, stale], "action": {"type": "untag", "tag": "Vip"}})).await;
    let got: Vec<(&str, Option<i64>)> = results.iter().map(|r| (r["status"].as_str().unwrap(), r["version"].as_i64())).collect();
    assert_eq!(got, [("ok", Some(2)), ("ok", Some(3)), ("ok", Some(1))]);
    assert_eq!(app.deal(&mia, &tagged).await["tags"], json!([]));
    assert_eq!(app.deal(&mia, &plain).await["tags"], json!(["fleet"]));
    assert_eq!(app.event_count(&tagged, "deal.updated").await, 1);
    assert_eq!(audited(&app, "deal.updated", &plain).await, 2);
    assert_eq!(app.event_count(&stale, "deal.updated").await, 0);

    // A read-only key may not tag: the batch is refused whole.
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Reports", "scopes": ["read"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let body = json!({"ids": [hidden], "action": {"type": "tag", "tag": "x"}});
    app.post("/api/v1/deals/bulk").header("x-api-key", &key).json(body).send().await.problem_code(403, "scope_missing");
    assert_eq!(app.deal(&admin, &hidden).await["version"], 1);
}
