//! Deal rules: custom fields on deals (checked, merged, filtered, announced), the fields a stage
//! requires of the deals entering it (on create, move, bulk move, qualification and reopen), and
//! the workspace's managed lost reasons (CRUD, losing for one, the report's grouping).

use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    deal_custom_fields_are_checked_merged_filtered_and_announced,
    a_stage_refuses_deals_without_its_required_fields_on_every_way_in,
    lost_reasons_are_managed_by_admins_and_audited,
    a_deal_is_lost_for_an_active_reason_of_its_workspace,
    the_lost_reasons_report_groups_by_managed_reason,
);

async fn define(app: &TestApp, admin: &Session, body: Value) -> Value {
    app.post("/api/v1/custom-fields").token(&admin.token).json(body).send().await.ok(201).clone()
}

async fn deal_fields(app: &TestApp, admin: &Session) {
    define(app, admin, json!({"entity": "deal", "key": "fleet_size", "label": "Fleet size", "kind": "number"})).await;
    define(app, admin, json!({"entity": "deal", "key": "segment", "label": "Segment", "kind": "select", "options": ["smb", "enterprise"]}))
        .await;
}

fn titles(page: &Value) -> Vec<String> {
    let mut titles: Vec<String> = page["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()).collect();
    titles.sort();
    titles
}

async fn deal_custom_fields_are_checked_merged_filtered_and_announced(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    deal_fields(&app, &admin).await;
    let listed = app.get("/api/v1/custom-fields?entity=deal").token(t).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);

    // A value of the wrong kind, an unknown key: each named.
    let bad = json!({"title": "Fleet", "pipeline_id": p, "custom_fields": {"fleet_size": "forty", "colour": "red"}});
    let reply = app.post("/api/v1/deals").token(t).json(bad).send().await;
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["custom_fields.colour", "custom_fields.fleet_size"]);
    assert_eq!(reply.body["code"], "validation_failed");

    let fleet = app
        .create_deal(&admin, json!({"title": "Fleet", "pipeline_id": p, "custom_fields": {"fleet_size": 40, "segment": "enterprise"}}))
        .await;
    assert_eq!(fleet["custom_fields"], json!({"fleet_size": 40, "segment": "enterprise"}));
    app.create_deal(&admin, json!({"title": "Corner shop", "pipeline_id": p, "custom_fields": {"segment": "smb"}})).await;
    app.create_deal(&admin, json!({"title": "Plain", "pipeline_id": p})).await;
    let created = app.event_payload(&id(&fleet), "deal.created").await;
    assert_eq!(created["deal"]["custom_fields"]["fleet_size"], 40, "the event carries the deal's fields");

    // PATCH merges (null removes a key), at the version read.
    let path = format!("/api/v1/deals/{}", id(&fleet));
    let stale = app.patch(&path).token(t).if_match(7).json(json!({"custom_fields": {"fleet_size": 41}})).send().await;
    stale.problem_code(412, "version_mismatch");
    let wrong = app.patch(&path).token(t).if_match(1).json(json!({"custom_fields": {"segment": "giant"}})).send().await;
    assert_eq!(wrong.error_fields(), ["custom_fields.segment"]);
    let patched = app.patch(&path).token(t).if_match(1).json(json!({"custom_fields": {"fleet_size": null, "segment": "smb"}})).send().await;
    let patched = patched.ok(200).clone();
    assert_eq!((patched["custom_fields"].clone(), patched["version"].clone()), (json!({"segment": "smb"}), json!(2)));
    let updated = app.event_payload(&id(&fleet), "deal.updated").await;
    assert_eq!(updated["changes"][0]["field"], "custom_fields");
    assert_eq!(updated["changes"][0]["previous"], json!({"fleet_size": 40, "segment": "enterprise"}));

    // The list filters by a deal field, compared as its kind; an unknown key is a bad query.
    let smb = app.get("/api/v1/deals?cf.segment=smb").token(t).send().await.ok(200).clone();
    assert_eq!(titles(&smb), ["Corner shop", "Fleet"]);
    app.patch(&path).token(t).if_match(2).json(json!({"custom_fields": {"fleet_size": 12}})).send().await.ok(200);
    let sized = app.get(&format!("/api/v1/deals?cf.fleet_size=12&pipeline_id={p}")).token(t).send().await.ok(200).clone();
    assert_eq!(titles(&sized), ["Fleet"]);
    app.get("/api/v1/deals?cf.colour=red").token(t).send().await.problem(400);
    app.get("/api/v1/deals?cf.fleet_size=many").token(t).send().await.problem(400);
    // A saved view of deals may keep such a filter, checked like the list checks it.
    let view = json!({"entity": "deals", "name": "SMB", "filters": {"cf.segment": "smb"}});
    app.post("/api/v1/views").token(t).json(view).send().await.ok(201);
    let view = json!({"entity": "deals", "name": "Bad", "filters": {"cf.colour": "red"}});
    assert_eq!(app.post("/api/v1/views").token(t).json(view).send().await.error_fields(), ["filters.cf.colour"]);
}

async fn a_stage_refuses_deals_without_its_required_fields_on_every_way_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let (p, first, proposal) = (id(&pipeline), stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    deal_fields(&app, &admin).await;

    // A stage lists built-in fields and deal field keys; an undefined key is refused.
    let stage_path = format!("/api/v1/stages/{proposal}");
    let unknown = app.patch(&stage_path).token(t).json(json!({"required_fields": ["amount", "colour"]})).send().await;
    assert_eq!(unknown.error_fields(), ["required_fields"]);
    let not_a_field = app.patch(&stage_path).token(t).json(json!({"required_fields": ["Amount!"]})).send().await;
    assert_eq!(not_a_field.error_fields(), ["required_fields"]);
    let stage = app
        .patch(&stage_path)
        .token(t)
        .json(json!({"required_fields": ["amount", "expected_close_date", "fleet_size", "amount"]}))
        .send()
        .await
        .ok(200)
        .clone();
    assert_eq!(stage["required_fields"], json!(["amount", "expected_close_date", "fleet_size"]));
    let read = app.get(&format!("/api/v1/pipelines/{p}")).token(t).send().await.ok(200).clone();
    assert_eq!(read["stages"][1]["required_fields"], stage["required_fields"]);

    // Created in the stage without them: 422, every missing field listed by its request name.
    let refused = app.post("/api/v1/deals").token(t).json(json!({"title": "Early", "pipeline_id": p, "stage_id": proposal})).send().await;
    let problem = refused.problem_code(422, "required_fields_missing");
    let missing: Vec<(&str, &str)> =
        problem["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
    assert_eq!(missing, [("amount_minor", "required"), ("expected_close_date", "required"), ("custom_fields.fleet_size", "required")]);
    let complete = json!({"title": "Ready", "pipeline_id": p, "stage_id": proposal, "amount_minor": 500,
        "expected_close_date": "2027-01-31", "custom_fields": {"fleet_size": 3}});
    app.create_deal(&admin, complete).await;

    // Moved in without them: refused, nothing written; filled in, moved.
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": p, "amount_minor": 100})).await;
    let refused = app.move_deal(&admin, &deal, json!({"stage_id": proposal})).await;
    let problem = refused.problem_code(422, "required_fields_missing");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["expected_close_date", "custom_fields.fleet_size"]);
    let unchanged = app.deal(&admin, &id(&deal)).await;
    assert_eq!((unchanged["stage_id"].as_str(), unchanged["version"].as_i64()), (Some(first.as_str()), Some(1)));
    assert_eq!(app.event_count(&id(&deal), "deal.stage_changed").await, 0);

    // A bulk move refuses the item with the same code, and applies the others.
    let other = app.create_deal(&admin, json!({"title": "Other", "pipeline_id": p})).await;
    let bulk = json!({"ids": [id(&deal), id(&other)], "action": {"type": "move", "stage_id": stage_id(&pipeline, 2)}});
    app.patch(&format!("/api/v1/stages/{}", stage_id(&pipeline, 2)))
        .token(t)
        .json(json!({"required_fields": ["amount"]}))
        .send()
        .await
        .ok(200);
    let results = app.post("/api/v1/deals/bulk").token(t).json(bulk).send().await.ok(200).clone();
    assert_eq!(results["results"][0]["status"], "ok");
    assert_eq!(
        (results["results"][1]["status"].as_str(), results["results"][1]["code"].as_str()),
        (Some("invalid"), Some("required_fields_missing"))
    );
    assert!(results["results"][1]["detail"].as_str().unwrap().contains("amount"), "{results}");

    // Filled in, the move goes through.
    let deal = app.deal(&admin, &id(&deal)).await;
    let version = deal["version"].as_i64().unwrap();
    let fill = json!({"expected_close_date": "2027-02-01", "custom_fields": {"fleet_size": 12}});
    let deal = app.patch(&format!("/api/v1/deals/{}", id(&deal))).token(t).if_match(version).json(fill).send().await.ok(200).clone();
    let moved = app.move_deal(&admin, &deal, json!({"stage_id": proposal})).await.ok(200).clone();
    assert_eq!(moved["stage_id"].as_str(), Some(proposal.as_str()));

    // Reopening lands the deal in the stage where it closed, whose requirements it must meet.
    let lost = app
        .post(&format!("/api/v1/deals/{}/lose", id(&moved)))
        .token(t)
        .if_match(moved["version"].as_i64().unwrap())
        .json(json!({"reason": "went quiet"}))
        .send()
        .await
        .ok(200)
        .clone();
    app.patch(&stage_path).token(t).json(json!({"required_fields": ["amount", "contact_id"]})).send().await.ok(200);
    let reopen = app.post(&format!("/api/v1/deals/{}/reopen", id(&lost))).token(t).if_match(lost["version"].as_i64().unwrap()).send().await;
    assert_eq!(reopen.problem_code(422, "required_fields_missing")["errors"][0]["field"], "contact_id");

    // Qualifying a lead into the stage: the deal it opens must meet them too (the contact it
    // links counts), and a refused qualification writes nothing.
    app.patch(&stage_path).token(t).json(json!({"required_fields": ["contact_id", "expected_close_date"]})).send().await.ok(200);
    let lead = id(app.post("/api/v1/leads").token(t).json(json!({"name": "Sara", "company": "Pars"})).send().await.ok(201));
    let qualify = json!({"pipeline_id": p, "stage_id": proposal});
    let refused = app.post(&format!("/api/v1/leads/{lead}/qualify")).token(t).json(qualify).send().await;
    assert_eq!(refused.problem_code(422, "required_fields_missing")["errors"][0]["field"], "expected_close_date");
    assert_eq!(app.get(&format!("/api/v1/leads/{lead}")).token(t).send().await.ok(200)["status"], "new");
    app.patch(&stage_path).token(t).json(json!({"required_fields": ["contact_id"]})).send().await.ok(200);
    let qualified =
        app.post(&format!("/api/v1/leads/{lead}/qualify")).token(t).json(json!({"pipeline_id": p, "stage_id": proposal})).send().await;
    assert_eq!(qualified.ok(201)["deal"]["stage_id"].as_str(), Some(proposal.as_str()));

    // Removing a deal field removes it from every stage's requirements.
    app.patch(&stage_path).token(t).json(json!({"required_fields": ["fleet_size", "amount"]})).send().await.ok(200);
    let fields = app.get("/api/v1/custom-fields?entity=deal").token(t).send().await.ok(200).clone();
    let fleet = fields["data"].as_array().unwrap().iter().find(|f| f["key"] == "fleet_size").unwrap().clone();
    app.delete(&format!("/api/v1/custom-fields/{}", id(&fleet))).token(t).send().await.ok(204);
    let read = app.get(&format!("/api/v1/pipelines/{p}")).token(t).send().await.ok(200).clone();
    assert_eq!(read["stages"][1]["required_fields"], json!(["amount"]));
}

async fn reason(app: &TestApp, admin: &Session, name: &str) -> Value {
    app.post("/api/v1/lost-reasons").token(&admin.token).json(json!({"name": name})).send().await.ok(201).clone()
}

fn names(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
}

async fn lost_reasons_are_managed_by_admins_and_audited(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    let manager = app.add_member(&admin, "boss@acme.test", "manager").await;

    let price = reason(&app, &admin, "  Price ").await;
    assert_eq!((price["name"].as_str(), price["active"].as_bool(), price["position"].as_i64()), (Some("Price"), Some(true), Some(0)));
    let rival = reason(&app, &admin, "Chose a competitor").await;
    let timing = reason(&app, &admin, "Timing").await;
    let first = app.post("/api/v1/lost-reasons").token(t).json(json!({"name": "No budget", "position": 0})).send().await.ok(201).clone();
    assert_eq!(first["position"], 0);
    let list = app.get("/api/v1/lost-reasons").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&list), ["No budget", "Price", "Chose a competitor", "Timing"]);

    // Sales reps and managers read them; only admins change them.
    for who in [&rep, &manager] {
        app.post("/api/v1/lost-reasons").token(&who.token).json(json!({"name": "Mine"})).send().await.problem_code(403, "forbidden");
        let path = format!("/api/v1/lost-reasons/{}", id(&price));
        app.patch(&path).token(&who.token).if_match(1).json(json!({"name": "x"})).send().await.problem_code(403, "forbidden");
        app.delete(&path).token(&who.token).send().await.problem_code(403, "forbidden");
    }
    let blank = app.post("/api/v1/lost-reasons").token(t).json(json!({"name": "   "})).send().await;
    assert_eq!(blank.error_fields(), ["name"]);

    // Rename, reorder and deactivate at the version read.
    let timing_path = format!("/api/v1/lost-reasons/{}", id(&timing));
    app.patch(&timing_path).token(t).json(json!({"name": "Bad timing"})).send().await.problem_code(428, "version_required");
    app.patch(&timing_path).token(t).if_match(9).json(json!({"name": "Bad timing"})).send().await.problem_code(412, "version_mismatch");
    let renamed = app.patch(&timing_path).token(t).if_match(1).json(json!({"name": "Bad timing", "position": 0})).send().await;
    let renamed = renamed.ok(200).clone();
    assert_eq!((renamed["version"].as_i64(), renamed["position"].as_i64()), (Some(2), Some(0)));
    let list = app.get("/api/v1/lost-reasons").token(t).send().await.ok(200).clone();
    assert_eq!(names(&list), ["Bad timing", "No budget", "Price", "Chose a competitor"]);
    let positions: Vec<i64> = list["data"].as_array().unwrap().iter().map(|r| r["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, [0, 1, 2, 3]);
    let rival_path = format!("/api/v1/lost-reasons/{}", id(&rival));
    let off = app.patch(&rival_path).token(t).if_match(1).json(json!({"active": false})).send().await.ok(200).clone();
    assert_eq!(off["active"], false);
    let active = app.get("/api/v1/lost-reasons?active=true").token(t).send().await.ok(200).clone();
    assert_eq!(names(&active), ["Bad timing", "No budget", "Price"]);

    // Deleted when unused.
    app.delete(&format!("/api/v1/lost-reasons/{}", id(&first))).token(t).send().await.ok(204);
    app.get(&format!("/api/v1/lost-reasons/{}", id(&first))).token(t).send().await.problem_code(404, "not_found");

    // Every change is in the audit log, with its actor.
    let audit = app.get("/api/v1/audit?entity_type=lost_reason").token(t).send().await.ok(200).clone();
    let mut actions: Vec<&str> = audit["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "lost_reason.created",
            "lost_reason.created",
            "lost_reason.created",
            "lost_reason.created",
            "lost_reason.deleted",
            "lost_reason.updated",
            "lost_reason.updated"
        ]
    );
    let rename =
        audit["data"].as_array().unwrap().iter().find(|e| e["entity_id"] == timing["id"] && e["action"] == "lost_reason.updated").unwrap();
    assert_eq!(rename["changes"]["name"], json!({"before": "Timing", "after": "Bad timing"}));
    assert_eq!(rename["actor_user_id"].as_str(), Some(admin.user_id.as_str()));
}

async fn lose(app: &TestApp, session: &Session, deal: &Value, body: Value) -> crate::helpers::Reply {
    let version = deal["version"].as_i64().unwrap();
    app.post(&format!("/api/v1/deals/{}/lose", id(deal))).token(&session.token).if_match(version).json(body).send().await
}

async fn a_deal_is_lost_for_an_active_reason_of_its_workspace(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let price = reason(&app, &admin, "Price").await;
    let retired = reason(&app, &admin, "Retired").await;
    app.patch(&format!("/api/v1/lost-reasons/{}", id(&retired))).token(t).if_match(1).json(json!({"active": false})).send().await.ok(200);
    let outsider = app.signup("Other", "owner@other.test").await;
    let theirs = reason(&app, &outsider, "Their reason").await;

    let deal = app.create_deal(&rep, json!({"title": "Fleet", "pipeline_id": p})).await;
    // Neither a reason nor a note; an inactive reason; another workspace's or no such reason.
    assert_eq!(lose(&app, &rep, &deal, json!({})).await.error_fields(), ["reason"]);
    let inactive = lose(&app, &rep, &deal, json!({"reason_id": id(&retired)})).await;
    assert_eq!((inactive.error_fields(), inactive.body["errors"][0]["code"].clone()), (vec!["reason_id".to_owned()], json!("inactive")));
    assert_eq!(lose(&app, &rep, &deal, json!({"reason_id": id(&theirs)})).await.error_fields(), ["reason_id"]);
    assert_eq!(lose(&app, &rep, &deal, json!({"reason_id": "00000000-0000-7000-8000-000000000000"})).await.error_fields(), ["reason_id"]);
    assert_eq!(app.deal(&rep, &id(&deal)).await["status"], "open", "a refused loss writes nothing");

    // A managed reason with a note: both kept, and announced.
    let lost = lose(&app, &rep, &deal, json!({"reason_id": id(&price), "reason": "20% above the competitor"})).await.ok(200).clone();
    assert_eq!((lost["status"].as_str(), lost["lost_reason_id"].as_str()), (Some("lost"), Some(id(&price).as_str())));
    assert_eq!(lost["lost_reason"], "20% above the competitor");
    let event = app.event_payload(&id(&deal), "deal.lost").await;
    assert_eq!((event["reason_id"].clone(), event["reason"].clone()), (price["id"].clone(), json!("20% above the competitor")));
    assert_eq!(event["deal"]["lost_reason_id"], price["id"]);
    // A reason deals were lost for is not deleted: it is deactivated instead.
    let in_use = app.delete(&format!("/api/v1/lost-reasons/{}", id(&price))).token(t).send().await;
    in_use.problem_code(409, "lost_reason_in_use");
    // Reopened, the deal is open again without a reason.
    let reopened =
        app.post(&format!("/api/v1/deals/{}/reopen", id(&lost))).token(t).if_match(lost["version"].as_i64().unwrap()).send().await;
    let reopened = reopened.ok(200).clone();
    assert_eq!((reopened["lost_reason_id"].clone(), reopened["lost_reason"].clone()), (Value::Null, Value::Null));

    // A note alone is enough, until the workspace requires a managed reason.
    let noted = app.create_deal(&rep, json!({"title": "Catering", "pipeline_id": p})).await;
    let settings = app.patch("/api/v1/workspace").token(t).json(json!({"lost_reason_required": true})).send().await.ok(200).clone();
    assert_eq!(settings["lost_reason_required"], true);
    let required = lose(&app, &rep, &noted, json!({"reason": "no answer"})).await;
    assert_eq!((required.error_fields(), required.body["errors"][0]["code"].clone()), (vec!["reason_id".to_owned()], json!("required")));
    lose(&app, &rep, &noted, json!({"reason_id": id(&price)})).await.ok(200);
    app.patch("/api/v1/workspace").token(t).json(json!({"lost_reason_required": false})).send().await.ok(200);
    let free = app.create_deal(&rep, json!({"title": "Free text", "pipeline_id": p})).await;
    let free = lose(&app, &rep, &free, json!({"reason": "no answer"})).await.ok(200).clone();
    assert_eq!((free["lost_reason_id"].clone(), free["lost_reason"].clone()), (Value::Null, json!("no answer")));
}

async fn the_lost_reasons_report_groups_by_managed_reason(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let price = reason(&app, &admin, "Price").await;
    let timing = reason(&app, &admin, "Timing").await;
    let unused = reason(&app, &admin, "Unused").await;
    let losses = [
        (Some(&price), Some("too expensive"), 100),
        (Some(&price), None, 200),
        (Some(&timing), Some("next year"), 50),
        (None, Some("went quiet"), 7),
        (None, Some("went quiet"), 3),
    ];
    for (i, (managed, note, amount)) in losses.into_iter().enumerate() {
        let deal = app.create_deal(&admin, json!({"title": format!("Deal {i}"), "pipeline_id": p, "amount_minor": amount})).await;
        let body = json!({"reason_id": managed.map(id), "reason": note});
        lose(&app, &admin, &deal, body).await.ok(200);
    }
    app.patch(&format!("/api/v1/lost-reasons/{}", id(&timing))).token(t).if_match(1).json(json!({"active": false})).send().await.ok(200);

    let report = app.get("/api/v1/reports/lost-reasons").token(t).send().await.ok(200).clone();
    let lost = &report["lost_deals"];
    assert_eq!(lost["count"], 5);
    let rows: Vec<(Value, Value, Value, Value)> = lost["by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["reason_id"].clone(), r["name"].clone(), r["active"].clone(), r["count"].clone()))
        .collect();
    // By count, then the list's order; deals lost with a note alone are "other", last.
    let expected = [
        (price["id"].clone(), json!("Price"), json!(true), json!(2)),
        (timing["id"].clone(), json!("Timing"), json!(false), json!(1)),
        (Value::Null, Value::Null, json!(false), json!(2)),
    ];
    assert_eq!(rows, expected);
    let price_value = &lost["by_reason"][0]["value"];
    assert!(price_value.to_string().contains("300"), "{price_value}");
    assert!(!lost["by_reason"].to_string().contains(&id(&unused)), "a reason no deal was lost for is not listed");
    // The free-text notes are still listed as written.
    assert_eq!(lost["reasons"][0]["reason"], "went quiet");
    assert_eq!(lost["reasons"][0]["count"], 2);
}
