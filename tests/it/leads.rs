use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;
use crate::pipelines::add_member;

on_both_engines!(
    an_intake_lead_is_scored_explained_and_qualified_onto_the_board,
    api_keys_are_admin_only_shown_once_and_revocable,
    concurrent_submissions_of_one_person_make_one_lead,
    disqualifying_needs_a_reason_which_is_stored_and_listed,
    lead_updates_rescore_need_the_version_and_check_custom_fields,
    changing_the_rules_rescores_every_lead,
    draft_rules_preview_their_effect_without_saving,
    the_inbox_filters_sorts_and_pages,
    duplicates_are_found_and_merged_with_a_preview,
    opportunities_derive_their_status_from_their_deals,
    custom_fields_are_defined_checked_and_removed,
    a_qualified_lead_is_not_its_own_duplicate,
    qualifying_names_the_deal_and_picks_its_stage,
    a_new_lead_is_checked_for_duplicates_before_it_is_saved,
    custom_fields_are_edited_but_keep_their_key_and_kind,
);

/// A workspace's intake API key.
async fn intake_key(app: &TestApp, admin: &Session) -> String {
    let reply = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Website form"})).send().await;
    reply.ok(201)["key"].as_str().unwrap().to_owned()
}

async fn intake(app: &TestApp, key: &str, body: Value) -> crate::helpers::Reply {
    app.post("/api/v1/intake/leads").header("authorization", &format!("Bearer {key}")).json(body).send().await
}

async fn create_lead(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/leads").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn lead(app: &TestApp, session: &Session, lead_id: &str) -> Value {
    app.get(&format!("/api/v1/leads/{lead_id}")).token(&session.token).send().await.ok(200).clone()
}

async fn set_rules(app: &TestApp, session: &Session, rules: Value) -> Value {
    app.request(reqwest::Method::PUT, "/api/v1/scoring-rules")
        .token(&session.token)
        .json(json!({"rules": rules}))
        .send()
        .await
        .ok(200)
        .clone()
}

async fn define_fleet_size(app: &TestApp, session: &Session) {
    let body = json!({"entity": "lead", "key": "fleet_size", "label": "Fleet size", "kind": "number"});
    app.post("/api/v1/custom-fields").token(&session.token).json(body).send().await.ok(201);
}

fn standard_rules() -> Value {
    json!([
        {"name": "Has email", "condition": {"kind": "field_present", "field": "email"}, "points": 10},
        {"name": "Decision maker", "condition": {"kind": "field_contains", "field": "job_title", "value": "ceo"}, "points": 25},
        {"name": "Met at a fair", "condition": {"kind": "source_in", "sources": ["exhibition", "event"]}, "points": 15},
        {"name": "Big fleet", "condition": {"kind": "custom_field", "key": "fleet_size", "comparison": "at_least", "value": 50}, "points": 20},
        {"name": "Came back", "condition": {"kind": "submissions_at_least", "min": 2}, "points": 5},
        {"name": "Student", "condition": {"kind": "has_tag", "tag": "student"}, "points": -30}
    ])
}

async fn an_intake_lead_is_scored_explained_and_qualified_onto_the_board(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    define_fleet_size(&app, &admin).await;
    set_rules(&app, &admin, standard_rules()).await;
    let key = intake_key(&app, &admin).await;

    // A web form posts a lead whose phone is written in Persian digits with +98 …
    let first = intake(
        &app,
        &key,
        json!({"name": "Sara Ahmadi", "email": " Sara@Pars-Logistics.example ", "phone": "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", "company": "Pars Logistics",
               "job_title": "CEO", "source": "exhibition", "campaign": "Auto Show", "custom_fields": {"fleet_size": 80}}),
    )
    .await;
    assert_eq!(first.status, 202, "{}", first.text);
    let acknowledged = |reply: &crate::helpers::Reply| reply.body.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(acknowledged(&first), ["submission_id"], "a form key learns nothing about the lead");
    let lead_id = id(&app.get("/api/v1/leads").token(&admin.token).send().await.ok(200)["data"][0]);

    // … and the same person again as 0912…: it attaches instead of creating a second lead, and
    // the answer is the same as for a new lead, so the key cannot tell that the person was known.
    let again = intake(&app, &key, json!({"name": "S. Ahmadi", "phone": "0912-123-4567", "notes": "Wants a demo"})).await;
    assert_eq!((again.status, acknowledged(&again)), (202, acknowledged(&first)), "{}", again.text);
    assert_ne!(again.body["submission_id"], first.body["submission_id"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM lead_submissions", vec![]).await, 2);

    let stored = lead(&app, &admin, &lead_id).await;
    assert_eq!(stored["name"], "Sara Ahmadi", "the first values win");
    assert_eq!(stored["email"], "sara@pars-logistics.example");
    assert_eq!(stored["phone"], "+989121234567");
    assert_eq!(stored["notes"], "Wants a demo", "blanks are filled from the later submission");
    assert_eq!(stored["submissions"], 2);
    assert_eq!(stored["status"], "new");
    assert_eq!(stored["score"], 10 + 25 + 15 + 20 + 5);

    let score = app.get(&format!("/api/v1/leads/{lead_id}/score")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(score["score"], 75);
    let fired: Vec<(&str, i64)> =
        score["rules"].as_array().unwrap().iter().map(|r| (r["name"].as_str().unwrap(), r["points"].as_i64().unwrap())).collect();
    assert_eq!(fired, [("Has email", 10), ("Decision maker", 25), ("Met at a fair", 15), ("Big fleet", 20), ("Came back", 5)]);

    let qualify = json!({"pipeline_id": id(&pipeline), "need": "Tracking for 80 trucks", "budget_minor": 250_000_000, "timeline": "before Nowruz", "decision_maker": "Sara Ahmadi"});
    let first = app.post(&format!("/api/v1/leads/{lead_id}/qualify")).token(&admin.token).json(qualify.clone()).send().await;
    let result = first.ok(201).clone();
    assert_eq!(result["first_time"], true);
    assert_eq!((result["contact_created"].as_bool(), result["organization_created"].as_bool()), (Some(true), Some(true)));
    assert_eq!(result["lead"]["status"], "qualified");
    let opportunity = &result["opportunity"];
    assert_eq!(opportunity["title"], "Pars Logistics");
    assert_eq!(opportunity["need"], "Tracking for 80 trucks");
    assert_eq!(opportunity["budget_minor"], 250_000_000);
    assert_eq!(opportunity["lead_id"], lead_id.as_str());
    let deal = &result["deal"];
    assert_eq!(deal["stage_id"], stage_id(&pipeline, 0).as_str(), "the pipeline's first stage by default");
    assert_eq!(deal["amount_minor"], 250_000_000, "the budget estimate by default");
    assert_eq!(deal["opportunity_id"], opportunity["id"]);

    // The deal is on the board.
    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(&admin.token).send().await.ok(200).clone();
    let first_column: Vec<&str> = board["columns"][0]["deals"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(first_column, [deal["id"].as_str().unwrap()]);

    // Qualifying again returns the first result, with no new rows.
    let second = app.post(&format!("/api/v1/leads/{lead_id}/qualify")).token(&admin.token).json(qualify).send().await;
    let repeat = second.ok(200).clone();
    assert_eq!(repeat["first_time"], false);
    for field in ["contact_id", "organization_id"] {
        assert_eq!(repeat[field], result[field], "{field}");
    }
    assert_eq!(repeat["opportunity"]["id"], opportunity["id"]);
    assert_eq!(repeat["deal"]["id"], deal["id"]);
    for table in ["contacts", "organizations", "opportunities", "deals"] {
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await, 1, "{table}");
    }

    // Every step was announced in the outbox.
    assert_eq!(app.event_count(&lead_id, "lead.created").await, 1);
    assert_eq!(app.event_count(&lead_id, "lead.updated").await, 1);
    assert_eq!(app.event_count(&lead_id, "lead.qualified").await, 1);
    assert_eq!(app.event_count(id(opportunity).as_str(), "opportunity.created").await, 1);
    assert_eq!(app.event_count(result["contact_id"].as_str().unwrap(), "contact.created").await, 1);
    assert_eq!(app.event_count(id(deal).as_str(), "deal.created").await, 1);

    // A qualified lead cannot be disqualified.
    let late =
        app.post(&format!("/api/v1/leads/{lead_id}/disqualify")).token(&admin.token).json(json!({"reason": "no_budget"})).send().await;
    late.problem(409);
}

async fn api_keys_are_admin_only_shown_once_and_revocable(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let forbidden = app.post("/api/v1/api-keys").token(&member.token).json(json!({"name": "mine"})).send().await;
    forbidden.problem(403);
    app.get("/api/v1/api-keys").token(&member.token).send().await.problem(403);

    let created = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Instagram leads"})).send().await.ok(201).clone();
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with(created["api_key"]["prefix"].as_str().unwrap()));
    assert_eq!(created["api_key"]["scopes"], json!(["intake"]));
    let listed = app.get("/api/v1/api-keys").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains(&key), "the key itself is never shown again");
    assert_eq!(listed["data"][0]["last_used_at"], Value::Null);
    let stored = app.scalar("SELECT COUNT(*) FROM api_keys WHERE key_hash = ?", vec![key.clone().into()]).await;
    assert_eq!(stored, 0, "only a hash is stored");

    let body = json!({"name": "Reza", "email": "reza@example.com", "source": "social", "medium": "instagram"});
    // An access token is not an API key, and a garbled key is refused.
    app.post("/api/v1/intake/leads").token(&admin.token).json(body.clone()).send().await.problem(401);
    intake(&app, "kz_00000000_nope", body.clone()).await.problem(401);
    let by_header = app.post("/api/v1/intake/leads").header("x-api-key", &key).json(body.clone()).send().await;
    assert_eq!(by_header.status, 202, "{}", by_header.text);
    let listed = app.get("/api/v1/api-keys").token(&admin.token).send().await.ok(200).clone();
    assert!(listed["data"][0]["last_used_at"].is_string(), "use is recorded");

    // Intake needs an email or a phone, and invalid fields are listed.
    let empty = intake(&app, &key, json!({"name": "Nobody"})).await;
    assert_eq!(empty.problem(422)["errors"][0]["field"], "email");
    let bad = intake(&app, &key, json!({"name": "", "email": "not-an-email", "phone": "0912-CALL-NOW", "source": "billboard"})).await;
    bad.problem(422);
    let bad = intake(&app, &key, json!({"name": "Typo", "email": "not-an-email", "phone": "0912-CALL-NOW"})).await;
    assert_eq!(bad.error_fields(), ["email", "phone"]);

    let revoked = app.delete(&format!("/api/v1/api-keys/{}", id(&created["api_key"]))).token(&admin.token).send().await.ok(200).clone();
    assert!(revoked["revoked_at"].is_string());
    intake(&app, &key, body).await.problem(401);
}

async fn concurrent_submissions_of_one_person_make_one_lead(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let key = intake_key(&app, &admin).await;
    let submissions = (0..8).map(|i| {
        let body = if i % 2 == 0 {
            json!({"name": format!("Visitor {i}"), "email": "same@person.example"})
        } else {
            json!({"name": format!("Visitor {i}"), "email": "same@person.example", "phone": "+98 21 8888 0000"})
        };
        intake(&app, &key, body)
    });
    let replies = futures_util::future::join_all(submissions).await;
    assert!(replies.iter().all(|r| r.status == 202), "{:?}", replies.iter().map(|r| &r.text).collect::<Vec<_>>());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 1);
    assert_eq!(app.scalar("SELECT CAST(MAX(submissions) AS BIGINT) FROM leads", vec![]).await, 8);
}

async fn disqualifying_needs_a_reason_which_is_stored_and_listed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = create_lead(&app, &admin, json!({"name": "Ali Karimi", "email": "ali@example.com"})).await;
    let l = id(&lead);

    let missing = app.post(&format!("/api/v1/leads/{l}/disqualify")).token(&admin.token).json(json!({})).send().await;
    assert_eq!(missing.content_type(), "application/problem+json");
    assert_eq!(missing.problem(422)["errors"][0]["field"], "reason");
    let unknown = app.post(&format!("/api/v1/leads/{l}/disqualify")).token(&admin.token).json(json!({"reason": "too_pricey"})).send().await;
    assert_eq!(unknown.problem(422)["errors"][0]["field"], "reason");
    assert_eq!(self::lead(&app, &admin, &l).await["status"], "new", "nothing changed");

    let body = json!({"reason": "no_budget", "note": "Call again after Nowruz"});
    let done = app.post(&format!("/api/v1/leads/{l}/disqualify")).token(&admin.token).json(body).send().await.ok(200).clone();
    assert_eq!(done["status"], "disqualified");
    assert_eq!(done["disqualify_reason"], "no_budget");
    assert_eq!(done["disqualify_note"], "Call again after Nowruz");
    assert!(done["closed_at"].is_string());
    assert_eq!(app.event_count(&l, "lead.disqualified").await, 1);
    create_lead(&app, &admin, json!({"name": "Other", "phone": "021 5555 1234"})).await;

    let listed = app.get("/api/v1/leads?status=disqualified&disqualify_reason=no_budget").token(&admin.token).send().await.ok(200).clone();
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [l.as_str()]);
    app.get("/api/v1/leads?disqualify_reason=whatever").token(&admin.token).send().await.problem(400);

    // A disqualified lead is reopened before it can be qualified.
    let qualify = json!({"pipeline_id": id(&pipeline)});
    app.post(&format!("/api/v1/leads/{l}/qualify")).token(&admin.token).json(qualify.clone()).send().await.problem(409);
    let reopened = app.post(&format!("/api/v1/leads/{l}/reopen")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!((reopened["status"].as_str(), reopened["disqualify_reason"].clone()), (Some("working"), Value::Null));
    app.post(&format!("/api/v1/leads/{l}/qualify")).token(&admin.token).json(qualify).send().await.ok(201);
}

async fn lead_updates_rescore_need_the_version_and_check_custom_fields(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    define_fleet_size(&app, &admin).await;
    set_rules(&app, &admin, standard_rules()).await;
    let created = create_lead(&app, &admin, json!({"name": "Nima", "tags": ["student"], "custom_fields": {"fleet_size": 10}})).await;
    let l = id(&created);
    assert_eq!((created["score"].as_i64(), created["source"].as_str()), (Some(-30), Some("other")));
    assert_eq!(created["owner_id"], admin.user_id.as_str());

    let no_version = app.patch(&format!("/api/v1/leads/{l}")).token(&admin.token).json(json!({"job_title": "CEO"})).send().await;
    no_version.problem(428);
    let changed = app
        .patch(&format!("/api/v1/leads/{l}"))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"job_title": "CEO", "tags": [], "custom_fields": {"fleet_size": 60}}))
        .send()
        .await
        .ok(200)
        .clone();
    assert_eq!((changed["score"].as_i64(), changed["version"].as_i64()), (Some(45), Some(2)));
    assert_eq!(changed["status"], "working", "an edited new lead is being worked");
    let stale = app.patch(&format!("/api/v1/leads/{l}")).token(&admin.token).if_match(1).json(json!({"name": "Stale"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 2);
    assert_eq!(lead(&app, &admin, &l).await["name"], "Nima", "a stale update changes nothing");

    let bad = app
        .patch(&format!("/api/v1/leads/{l}"))
        .token(&admin.token)
        .if_match(2)
        .json(json!({"custom_fields": {"fleet_size": "many", "colour": "red"}, "email": "nope", "status": "qualified"}))
        .send()
        .await;
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["email", "status"], "{}", bad.text);
    let bad = app
        .patch(&format!("/api/v1/leads/{l}"))
        .token(&admin.token)
        .if_match(2)
        .json(json!({"custom_fields": {"fleet_size": "many", "colour": "red"}}))
        .send()
        .await;
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["custom_fields.colour", "custom_fields.fleet_size"]);

    let removed = app
        .patch(&format!("/api/v1/leads/{l}"))
        .token(&admin.token)
        .if_match(2)
        .json(json!({"custom_fields": {"fleet_size": null}, "phone": "۰۹۱۲ ۰۰۰ ۱۱۱۱"}))
        .send()
        .await
        .ok(200)
        .clone();
    assert_eq!(removed["custom_fields"], json!({}));
    assert_eq!(removed["phone"], "+989120001111");
    assert_eq!(removed["score"], 25);
    assert_eq!(app.event_count(&l, "lead.updated").await, 2);
    let changes = app
        .scalar(
            "SELECT COUNT(*) FROM events WHERE event_type = 'lead.updated' AND payload LIKE ?",
            vec!["%\"field\":\"job_title\"%".into()],
        )
        .await;
    assert_eq!(changes, 1, "lead.updated lists the changed fields");

    app.delete(&format!("/api/v1/leads/{l}")).token(&admin.token).if_match(1).send().await.problem(412);
    app.delete(&format!("/api/v1/leads/{l}")).token(&admin.token).if_match(3).send().await;
    app.get(&format!("/api/v1/leads/{l}")).token(&admin.token).send().await.problem(404);
    assert_eq!(app.event_count(&l, "lead.deleted").await, 1);
}

async fn changing_the_rules_rescores_every_lead(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let web = create_lead(&app, &admin, json!({"name": "Web", "source": "website", "email": "w@example.com"})).await;
    let fair = create_lead(&app, &admin, json!({"name": "Fair", "source": "exhibition"})).await;
    let plain = create_lead(&app, &admin, json!({"name": "Plain"})).await;
    for lead in [&web, &fair, &plain] {
        assert_eq!(lead["score"], 0, "no rules, no points");
    }
    let rules = json!([{"name": "From the web", "condition": {"kind": "source_in", "sources": ["website"]}, "points": 7},
                       {"name": "Has email", "condition": {"kind": "field_present", "field": "email"}, "points": 3}]);
    let forbidden =
        app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&member.token).json(json!({"rules": rules})).send().await;
    forbidden.problem(403);
    let replaced = set_rules(&app, &admin, rules).await;
    assert_eq!(replaced["rescored"], 1, "only the web lead's score changed");
    assert_eq!(lead(&app, &admin, &id(&web)).await["score"], 10);
    assert_eq!(lead(&app, &admin, &id(&fair)).await["score"], 0);

    let replaced =
        set_rules(&app, &admin, json!([{"name": "Fairs", "condition": {"kind": "source_in", "sources": ["exhibition"]}, "points": 40}]))
            .await;
    assert_eq!(replaced["rescored"], 2);
    assert_eq!(lead(&app, &admin, &id(&web)).await["score"], 0);
    assert_eq!(lead(&app, &admin, &id(&fair)).await["score"], 40);
    let listed = app.get("/api/v1/scoring-rules").token(&member.token).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["data"][0]["condition"], json!({"kind": "source_in", "sources": ["exhibition"]}));

    let bad = app
        .request(reqwest::Method::PUT, "/api/v1/scoring-rules")
        .token(&admin.token)
        .json(json!({"rules": [{"name": "x", "condition": {"kind": "source_in", "sources": []}, "points": 5},
                                {"name": " ", "condition": {"kind": "has_tag", "tag": "a"}, "points": 5}]}))
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["rules.0.condition", "rules.1.name"]);
    let unknown = app
        .request(reqwest::Method::PUT, "/api/v1/scoring-rules")
        .token(&admin.token)
        .json(json!({"rules": [{"name": "x", "condition": {"kind": "moon_phase"}, "points": 5}]}))
        .send()
        .await;
    unknown.problem(422);
    assert_eq!(lead(&app, &admin, &id(&fair)).await["score"], 40, "refused rules change nothing");
}

async fn draft_rules_preview_their_effect_without_saving(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let web = create_lead(&app, &admin, json!({"name": "Web", "source": "website", "email": "w@example.com"})).await;
    let fair = create_lead(&app, &admin, json!({"name": "Fair", "source": "exhibition", "email": "f@example.com"})).await;
    create_lead(&app, &admin, json!({"name": "Plain"})).await;
    set_rules(&app, &admin, json!([{"name": "Fairs", "condition": {"kind": "source_in", "sources": ["exhibition"]}, "points": 40}])).await;
    let note = json!({"kind": "note", "subject": "Called back", "lead_id": id(&web)});
    app.post("/api/v1/activities").token(&admin.token).json(note).send().await.ok(201);

    let draft = json!({"rules": [
        {"name": "Has email", "condition": {"kind": "field_present", "field": "email"}, "points": 10},
        {"name": "From the web", "condition": {"kind": "source_in", "sources": ["website"]}, "points": 7},
        {"name": "Talked", "condition": {"kind": "activities_at_least", "min": 1}, "points": 5},
        {"name": "Nobody", "condition": {"kind": "has_tag", "tag": "ghost"}, "points": 99}]});
    let preview = app.post("/api/v1/scoring-rules/preview").token(&admin.token).json(draft.clone()).send().await.ok(200).clone();
    let matches: Vec<u64> = preview["rules"].as_array().unwrap().iter().map(|r| r["matches"].as_u64().unwrap()).collect();
    assert_eq!(matches, [2, 1, 1, 0]);
    assert_eq!(preview["rules"][3]["points"], 99);
    assert_eq!(preview["leads"], 3);
    assert_eq!(preview["changed"], 2, "web 0 → 22, fair 40 → 10, plain stays 0");
    let top: Vec<(&str, i64, i64)> = preview["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["current_score"].as_i64().unwrap(), l["new_score"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, [("Web", 0, 22), ("Fair", 40, 10), ("Plain", 0, 0)]);
    assert_eq!(preview["top"][1]["lead_id"], fair["id"]);
    assert_eq!(lead(&app, &admin, &id(&fair)).await["score"], 40, "a preview saves nothing");
    assert_eq!(app.get("/api/v1/scoring-rules").token(&admin.token).send().await.ok(200)["data"].as_array().unwrap().len(), 1);

    app.post("/api/v1/scoring-rules/preview").token(&member.token).json(draft).send().await.problem(403);
    let bad = app
        .post("/api/v1/scoring-rules/preview")
        .token(&admin.token)
        .json(json!({"rules": [{"name": "ok", "condition": {"kind": "has_tag", "tag": "a"}, "points": 1},
                                {"name": "x", "condition": {"kind": "custom_field", "key": "k", "comparison": "at_least", "value": "many"}, "points": 5},
                                {"name": "Too much", "condition": {"kind": "has_tag", "tag": "a"}, "points": 5000}]}))
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["rules.1.condition", "rules.2.points"], "out-of-range points are the points' error");
}

async fn the_inbox_filters_sorts_and_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    set_rules(
        &app,
        &admin,
        json!([{"name": "VIP", "condition": {"kind": "has_tag", "tag": "vip"}, "points": 50},
                                   {"name": "Fair", "condition": {"kind": "source_in", "sources": ["exhibition"]}, "points": 20}]),
    )
    .await;
    create_lead(&app, &admin, json!({"name": "Arash", "source": "exhibition", "tags": ["VIP"], "company": "Tehran Steel"})).await;
    create_lead(&app, &admin, json!({"name": "Bahar", "source": "exhibition", "phone": "0912 345 6789"})).await;
    create_lead(&app, &admin, json!({"name": "Cyrus", "source": "website", "tags": ["vip", "fleet"]})).await;
    create_lead(&app, &admin, json!({"name": "Dara", "source": "website", "email": "dara@example.com"})).await;
    let names = |page: &Value| page["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let get = |query: &str| app.get(&format!("/api/v1/leads?{query}")).token(&admin.token).send();

    assert_eq!(names(get("").await.ok(200)), ["Arash", "Cyrus", "Bahar", "Dara"], "best score first");
    assert_eq!(names(get("sort=created_at").await.ok(200)), ["Arash", "Bahar", "Cyrus", "Dara"]);
    assert_eq!(names(get("source=exhibition").await.ok(200)), ["Arash", "Bahar"]);
    assert_eq!(names(get("tag=vip").await.ok(200)), ["Arash", "Cyrus"]);
    assert_eq!(names(get("score_min=20&score_max=50").await.ok(200)), ["Cyrus", "Bahar"]);
    assert_eq!(names(get("q=steel").await.ok(200)), ["Arash"]);
    assert_eq!(names(get("q=%2B98912345").await.ok(200)), ["Bahar"], "phone digits, whatever the prefix");
    assert_eq!(names(get("q=09123456789").await.ok(200)), ["Bahar"]);
    assert_eq!(names(get("q=DARA@").await.ok(200)), ["Dara"]);
    assert_eq!(names(get(&format!("owner_id={}", admin.user_id)).await.ok(200)).len(), 4);
    get("status=won").await.problem(400);
    let first_id = get("sort=created_at&limit=1").await.ok(200)["data"][0]["id"].as_str().unwrap().to_owned();
    let body = json!({"reason": "no_need"});
    app.post(&format!("/api/v1/leads/{first_id}/disqualify")).token(&admin.token).json(body).send().await.ok(200);
    assert_eq!(names(get("status=open").await.ok(200)), ["Cyrus", "Bahar", "Dara"], "new and working, best first");
    assert_eq!(names(get("status=disqualified").await.ok(200)), ["Arash"]);
    app.post(&format!("/api/v1/leads/{first_id}/reopen")).token(&admin.token).send().await.ok(200);
    get("sort=name").await.problem(400);

    let first = get("limit=3").await.ok(200).clone();
    assert_eq!(names(&first), ["Arash", "Cyrus", "Bahar"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(&format!("limit=3&cursor={cursor}")).await.ok(200).clone();
    assert_eq!(names(&second), ["Dara"]);
    assert_eq!(second["next_cursor"], Value::Null);
    get(&format!("sort=created_at&cursor={cursor}")).await.problem(400);
}

async fn duplicates_are_found_and_merged_with_a_preview(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    // A customer already exists as a contact (qualified earlier).
    let customer = create_lead(&app, &admin, json!({"name": "Mina Rad", "email": "mina@rad.example"})).await;
    app.post(&format!("/api/v1/leads/{}/qualify", id(&customer)))
        .token(&admin.token)
        .json(json!({"pipeline_id": id(&pipeline)}))
        .send()
        .await
        .ok(201);

    let kept =
        create_lead(&app, &admin, json!({"name": "Mina Rad", "phone": "+98 912 777 8899", "tags": ["fair"], "company": "Rad Co"})).await;
    let other = create_lead(
        &app,
        &admin,
        json!({"name": "M. Rad", "phone": "۰۹۱۲۷۷۷۸۸۹۹", "email": "mina@rad.example", "tags": ["web"], "job_title": "Owner"}),
    )
    .await;
    let same_name = create_lead(&app, &admin, json!({"name": "mina rad", "company": "RAD  co"})).await;
    create_lead(&app, &admin, json!({"name": "Unrelated", "phone": "0912 000 0000"})).await;

    let found = app.get(&format!("/api/v1/leads/{}/duplicates", id(&kept))).token(&admin.token).send().await.ok(200).clone();
    let leads: Vec<(String, Value)> =
        found["leads"].as_array().unwrap().iter().map(|m| (id(&m["lead"]), m["matched_on"].clone())).collect();
    assert!(leads.contains(&(id(&other), json!(["phone"]))), "{found}");
    assert!(leads.contains(&(id(&same_name), json!(["name_and_company"]))), "{found}");
    assert_eq!(leads.len(), 2, "the qualified customer's lead shares only a name: {found}");
    let found = app.get(&format!("/api/v1/leads/{}/duplicates", id(&other))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(found["contacts"].as_array().unwrap().len(), 1, "the contact with the same email: {found}");
    assert_eq!(found["contacts"][0]["matched_on"], json!(["email"]));

    let preview = app
        .post(&format!("/api/v1/leads/{}/merge", id(&kept)))
        .token(&admin.token)
        .json(json!({"other_id": id(&other), "dry_run": true}))
        .send()
        .await
        .ok(200)
        .clone();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["lead"]["email"], "mina@rad.example");
    assert_eq!(preview["lead"]["tags"], json!(["fair", "web"]));
    assert_eq!(preview["lead"]["submissions"], 2);
    app.get(&format!("/api/v1/leads/{}", id(&other))).token(&admin.token).send().await.ok(200);
    assert_eq!(lead(&app, &admin, &id(&kept)).await["version"], 1, "a preview changes nothing");

    let merge = json!({"other_id": id(&other)});
    app.post(&format!("/api/v1/leads/{}/merge", id(&kept))).token(&admin.token).json(merge.clone()).send().await.problem(428);
    let merged =
        app.post(&format!("/api/v1/leads/{}/merge", id(&kept))).token(&admin.token).if_match(1).json(merge).send().await.ok(200).clone();
    for field in ["email", "phone", "tags", "submissions", "score", "job_title"] {
        assert_eq!(merged["lead"][field], preview["lead"][field], "the preview showed {field}");
    }
    assert_eq!(merged["lead"]["job_title"], "Owner");
    assert_eq!(merged["lead"]["name"], "Mina Rad", "the kept lead's values win");
    app.get(&format!("/api/v1/leads/{}", id(&other))).token(&admin.token).send().await.problem(404);
    assert_eq!(app.event_count(&id(&other), "lead.deleted").await, 1);
    let self_merge = app
        .post(&format!("/api/v1/leads/{}/merge", id(&kept)))
        .token(&admin.token)
        .if_match(2)
        .json(json!({"other_id": id(&kept)}))
        .send()
        .await;
    assert_eq!(self_merge.problem(422)["errors"][0]["field"], "other_id");
    let qualified = app
        .post(&format!("/api/v1/leads/{}/merge", id(&kept)))
        .token(&admin.token)
        .if_match(2)
        .json(json!({"other_id": id(&customer)}))
        .send()
        .await;
    qualified.problem(409);
}

async fn opportunities_derive_their_status_from_their_deals(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = create_lead(&app, &admin, json!({"name": "Kian", "email": "kian@example.com"})).await;
    let qualify = json!({"create_deal": false, "title": "Kian's fleet"});
    let result = app.post(&format!("/api/v1/leads/{}/qualify", id(&lead))).token(&admin.token).json(qualify).send().await.ok(201).clone();
    assert_eq!(result["deal"], Value::Null);
    assert_eq!(result["organization_id"], Value::Null, "no company, no organization");
    let o = id(&result["opportunity"]);
    assert_eq!(result["opportunity"]["status"], "open", "open until a deal closes");

    let open_deal = |title: &str| {
        app.post(&format!("/api/v1/opportunities/{o}/deals"))
            .token(&admin.token)
            .json(json!({"title": title, "pipeline_id": id(&pipeline), "amount_minor": 100}))
            .send()
    };
    let first = open_deal("Trucks").await.ok(201).clone();
    let second = open_deal("Vans").await.ok(201).clone();
    assert_eq!(first["opportunity_id"], o.as_str());
    app.post(&format!("/api/v1/deals/{}/lose", id(&first)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"reason": "price"}))
        .send()
        .await
        .ok(200);
    let read = app.get(&format!("/api/v1/opportunities/{o}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(read["status"], "open");
    assert_eq!(read["deals"].as_array().unwrap().len(), 2);
    app.post(&format!("/api/v1/deals/{}/lose", id(&second)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"reason": "price"}))
        .send()
        .await
        .ok(200);
    assert_eq!(app.get(&format!("/api/v1/opportunities/{o}")).token(&admin.token).send().await.ok(200)["status"], "lost");
    app.post(&format!("/api/v1/deals/{}/reopen", id(&second))).token(&admin.token).if_match(2).send().await.ok(200);
    app.post(&format!("/api/v1/deals/{}/win", id(&second))).token(&admin.token).if_match(3).send().await.ok(200);
    let list = app.get("/api/v1/opportunities").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(list["data"][0]["status"], "won");
    assert_eq!(list["data"][0]["deals"].as_array().unwrap().len(), 2);
    let missing = app
        .post("/api/v1/opportunities/00000000-0000-7000-8000-000000000000/deals")
        .token(&admin.token)
        .json(json!({"title": "x", "pipeline_id": id(&pipeline)}))
        .send()
        .await;
    missing.problem(404);
}

async fn custom_fields_are_defined_checked_and_removed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let define = |session: &Session, body: Value| app.post("/api/v1/custom-fields").token(&session.token).json(body).send();
    let industry = json!({"entity": "lead", "key": "industry", "label": "Industry", "kind": "select", "options": ["logistics", "retail"], "required": true});
    define(&member, industry.clone()).await.problem(403);
    let created = define(&admin, industry.clone()).await.ok(201).clone();
    assert_eq!(created["options"], json!(["logistics", "retail"]));
    define(&admin, industry).await.problem(409);
    let bad_key = define(&admin, json!({"entity": "lead", "key": "Fleet Size", "label": "x", "kind": "number"})).await;
    assert_eq!(bad_key.error_fields(), ["key"]);
    let no_options = define(&admin, json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "select"})).await;
    assert_eq!(no_options.error_fields(), ["options"]);
    let unknown_kind = define(&admin, json!({"entity": "lead", "key": "x", "label": "x", "kind": "colour"})).await;
    assert_eq!(unknown_kind.error_fields(), ["kind"]);
    define(&admin, json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "text"})).await.ok(201);

    let leads_only = app.get("/api/v1/custom-fields?entity=lead").token(&member.token).send().await.ok(200).clone();
    assert_eq!(leads_only["data"].as_array().unwrap().len(), 1);
    app.get("/api/v1/custom-fields?entity=opportunity").token(&member.token).send().await.problem(400);

    // A required select field: missing or outside its options is a field error.
    let missing = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Nima"})).send().await;
    assert_eq!(missing.error_fields(), ["custom_fields.industry"]);
    let outside =
        app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Nima", "custom_fields": {"industry": "mining"}})).send().await;
    assert_eq!(outside.problem(422)["errors"][0]["message"], "must be one of: logistics, retail");
    let lead = create_lead(&app, &admin, json!({"name": "Nima", "custom_fields": {"industry": "retail"}})).await;

    // Removing the definition drops its values the next time the lead is saved.
    app.delete(&format!("/api/v1/custom-fields/{}", id(&created))).token(&member.token).send().await.problem(403);
    app.delete(&format!("/api/v1/custom-fields/{}", id(&created))).token(&admin.token).send().await;
    let saved =
        app.patch(&format!("/api/v1/leads/{}", id(&lead))).token(&admin.token).if_match(1).json(json!({"notes": "called"})).send().await;
    assert_eq!(saved.ok(200)["custom_fields"], json!({}));
    app.delete(&format!("/api/v1/custom-fields/{}", id(&created))).token(&admin.token).send().await.problem(404);
}

async fn a_qualified_lead_is_not_its_own_duplicate(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = create_lead(&app, &admin, json!({"name": "Nima Azad", "email": "nima@azad.example", "phone": "0912 111 2233"})).await;
    let qualified = app
        .post(&format!("/api/v1/leads/{}/qualify", id(&lead)))
        .token(&admin.token)
        .json(json!({"pipeline_id": id(&pipeline)}))
        .send()
        .await;
    assert_eq!(qualified.ok(201)["contact_created"], true);

    let found = app.get(&format!("/api/v1/leads/{}/duplicates", id(&lead))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(found["contacts"], json!([]), "the contact made from this lead is the lead itself: {found}");

    // Another contact with the same phone is still a likely duplicate.
    let other = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "N. Azad", "phone": "+989121112233"})).send().await;
    let other = other.ok(201).clone();
    let found = app.get(&format!("/api/v1/leads/{}/duplicates", id(&lead))).token(&admin.token).send().await.ok(200).clone();
    let contacts: Vec<&str> = found["contacts"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(contacts, [id(&other).as_str()], "{found}");
    assert_eq!(found["contacts"][0]["matched_on"], json!(["phone"]));

    // A second lead of the same person still sees the first one's contact.
    let again = create_lead(&app, &admin, json!({"name": "Nima A.", "email": "nima@azad.example"})).await;
    let found = app.get(&format!("/api/v1/leads/{}/duplicates", id(&again))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(found["contacts"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["contacts"][0]["matched_on"], json!(["email"]));
}

async fn qualifying_names_the_deal_and_picks_its_stage(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let other_pipeline = app.create_pipeline(&admin, "Renewals", &[("Due", 50)]).await;
    let lead = create_lead(&app, &admin, json!({"name": "Leila Kamali", "company": "Kamali Trading"})).await;
    let qualify = |body: Value| app.post(&format!("/api/v1/leads/{}/qualify", id(&lead))).token(&admin.token).json(body).send();

    let blank = qualify(json!({"pipeline_id": id(&pipeline), "deal_title": "   "})).await;
    assert_eq!(blank.problem(422)["errors"][0]["field"], "deal_title");
    let long = qualify(json!({"pipeline_id": id(&pipeline), "deal_title": "x".repeat(501)})).await;
    assert_eq!(long.problem(422)["errors"][0]["field"], "deal_title");
    let elsewhere = qualify(json!({"pipeline_id": id(&pipeline), "stage_id": stage_id(&other_pipeline, 0)})).await;
    assert_eq!(elsewhere.problem(422)["errors"][0]["field"], "stage_id");
    assert_eq!(self::lead(&app, &admin, &id(&lead)).await["status"], "new", "nothing was qualified");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deals", vec![]).await, 0);

    let body = json!({"pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 1), "deal_title": "Kamali Trading — 40 trackers"});
    let result = qualify(body).await.ok(201).clone();
    assert_eq!(result["deal"]["title"], "Kamali Trading — 40 trackers");
    assert_eq!(result["deal"]["stage_id"], stage_id(&pipeline, 1).as_str());
    assert_eq!(result["opportunity"]["title"], "Kamali Trading", "the opportunity keeps its own title");
}

async fn a_new_lead_is_checked_for_duplicates_before_it_is_saved(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let outsider = app.signup("Other", "owner@other.test").await;
    let stored = create_lead(&app, &admin, json!({"name": "علي رضايي", "company": "شركت 12", "phone": "0912 333 4455"})).await;
    create_lead(&app, &outsider, json!({"name": "Someone", "email": "taken@example.com"})).await;
    app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Ali", "email": "ali@example.com"})).send().await.ok(201);
    let check = |session: &Session, body: Value| app.post("/api/v1/leads/duplicate-check").token(&session.token).json(body).send();

    // The same phone typed another way, and the same name and company in Persian letters.
    let found = check(&admin, json!({"name": "علی رضایی", "company": "شرکت ۱۲", "phone": "+98 912 333 4455", "email": "ali@example.com"}))
        .await
        .ok(200)
        .clone();
    assert_eq!(found["leads"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["leads"][0]["lead"]["id"], stored["id"]);
    assert_eq!(found["leads"][0]["matched_on"], json!(["phone", "name_and_company"]));
    assert_eq!(found["contacts"][0]["matched_on"], json!(["email"]));

    let none = check(&admin, json!({"name": "Nobody Else", "email": "taken@example.com"})).await.ok(200).clone();
    assert_eq!(none, json!({"leads": [], "contacts": []}), "another workspace's lead is not found");
    let bad = check(&admin, json!({"name": "  ", "phone": "call me"})).await;
    assert_eq!(bad.error_fields(), ["name", "phone"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 2, "a check creates nothing");
}

async fn custom_fields_are_edited_but_keep_their_key_and_kind(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let industry = json!({"entity": "lead", "key": "industry", "label": "Industry", "kind": "select", "options": ["logistics"]});
    let created = app.post("/api/v1/custom-fields").token(&admin.token).json(industry).send().await.ok(201).clone();
    let path = format!("/api/v1/custom-fields/{}", id(&created));
    let edit = |session: &Session, body: Value| app.patch(&path).token(&session.token).json(body).send();

    edit(&member, json!({"label": "Sector"})).await.problem(403);
    let edited = edit(&admin, json!({"label": " Sector ", "options": ["logistics", "retail"], "required": true, "kind": "select"})).await;
    let edited = edited.ok(200).clone();
    assert_eq!(
        (&edited["key"], &edited["label"], &edited["options"], &edited["required"], &edited["kind"]),
        (&json!("industry"), &json!("Sector"), &json!(["logistics", "retail"]), &json!(true), &json!("select"))
    );
    let listed = app.get("/api/v1/custom-fields?entity=lead").token(&member.token).send().await.ok(200).clone();
    assert_eq!(listed["data"][0], edited, "the edit is what the list shows");

    // The new options and the required flag apply to the next write.
    let missing = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Nima"})).send().await;
    assert_eq!(missing.error_fields(), ["custom_fields.industry"]);
    create_lead(&app, &admin, json!({"name": "Nima", "custom_fields": {"industry": "retail"}})).await;

    let retyped = edit(&admin, json!({"kind": "text"})).await;
    let problem = retyped.problem(409);
    assert_eq!(problem["code"], "field_kind_unchangeable");
    assert!(problem["detail"].as_str().unwrap().contains("select"), "{problem}");
    assert_eq!(edit(&admin, json!({"options": []})).await.error_fields(), ["options"]);
    assert_eq!(edit(&admin, json!({"label": "  "})).await.error_fields(), ["label"]);
    assert_eq!(edit(&admin, json!({"key": "sector"})).await.error_fields(), ["key"], "the key never changes");
    let unchanged = app.get("/api/v1/custom-fields?entity=lead").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(unchanged["data"][0], edited, "a refused edit changes nothing");

    let text = json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "text"});
    let tier = app.post("/api/v1/custom-fields").token(&admin.token).json(text).send().await.ok(201).clone();
    let tier_path = format!("/api/v1/custom-fields/{}", id(&tier));
    let options = app.patch(&tier_path).token(&admin.token).json(json!({"options": ["a"]})).send().await;
    assert_eq!(options.error_fields(), ["options"]);

    edit(&admin, json!({"label": "Sector"})).await.ok(200);
    let audited = app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'custom_field.updated'", vec![]).await;
    assert_eq!(audited, 1, "only the write that changed something is audited");
    app.delete(&path).token(&admin.token).send().await;
    edit(&admin, json!({"label": "Sector"})).await.problem(404);
}
