use serde_json::json;

use crate::helpers::{Engine, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    bad_input_gets_a_clear_problem_never_a_500,
    nul_characters_are_refused_before_the_database,
    answers_keep_to_the_documented_contract,
    each_cause_of_a_refusal_has_its_own_code,
    extreme_dates_and_edited_cursors_are_refused_at_the_edge,
    settings_refusals_carry_specific_field_codes,
);

async fn bad_input_gets_a_clear_problem_never_a_500(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let t = admin.token.as_str();

    let malformed = app.post("/api/v1/deals").token(t).raw("application/json", "{\"title\": ").send().await;
    assert!(malformed.problem(400)["detail"].as_str().unwrap().contains("not valid JSON"));
    let trailing = app
        .post("/api/v1/deals")
        .token(t)
        .raw("application/json", format!("{{\"title\":\"x\",\"pipeline_id\":\"{}\"}} {{}}", id(&pipeline)))
        .send()
        .await;
    trailing.problem(400);
    let empty = app.post("/api/v1/deals").token(t).raw("application/json", "").send().await;
    empty.problem(400);
    let wrong_type =
        app.post("/api/v1/deals").token(t).json(json!({"title": "x", "pipeline_id": id(&pipeline), "amount_minor": "lots"})).send().await;
    assert_eq!(wrong_type.error_fields(), ["amount_minor"]);
    let bad_uuid_field = app.post("/api/v1/deals").token(t).json(json!({"title": "x", "pipeline_id": "nope"})).send().await;
    assert_eq!(bad_uuid_field.error_fields(), ["pipeline_id"]);
    let bad_date = app
        .post("/api/v1/deals")
        .token(t)
        .json(json!({"title": "x", "pipeline_id": id(&pipeline), "expected_close_date": "2027-02-30"}))
        .send()
        .await;
    assert_eq!(bad_date.error_fields(), ["expected_close_date"]);
    let unknown_field = app
        .post("/api/v1/deals")
        .token(t)
        .json(json!({"title": "x", "pipeline_id": id(&pipeline), "version": 9, "workspace_id": admin.workspace_id}))
        .send()
        .await;
    let problem = unknown_field.problem(422).clone();
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("version"), Some("unknown")),
        "no mass assignment: {problem}"
    );
    let unknown_enum = app
        .post("/api/v1/auth/signup")
        .json(json!({"workspace_name": "W", "name": "N", "email": "n@w.test", "password": "long enough password", "locale": "de"}))
        .send()
        .await;
    assert_eq!(unknown_enum.error_fields(), ["locale"]);
    let not_json = app.post("/api/v1/deals").token(t).raw("text/plain", "title=x").send().await;
    not_json.problem(415);
    let huge = format!("{{\"title\": \"{}\", \"pipeline_id\": \"{}\"}}", "x".repeat(300 * 1024), id(&pipeline));
    let too_large = app.post("/api/v1/deals").token(t).raw("application/json", huge).send().await;
    too_large.problem(413);
    let huge_amount =
        app.post("/api/v1/deals").token(t).json(json!({"title": "x", "pipeline_id": id(&pipeline), "amount_minor": i64::MAX})).send().await;
    assert_eq!(huge_amount.error_fields(), ["amount_minor"]);
    let overflow = app
        .post("/api/v1/deals")
        .token(t)
        .raw(
            "application/json",
            format!("{{\"title\":\"x\",\"pipeline_id\":\"{}\",\"amount_minor\":99999999999999999999999}}", id(&pipeline)),
        )
        .send()
        .await;
    assert_eq!(overflow.error_fields(), ["amount_minor"]);

    app.get("/api/v1/deals/not-a-uuid").token(t).send().await.problem(400);
    app.get("/api/v1/pipelines/123").token(t).send().await.problem(400);
    app.get(&format!("/api/v1/deals/{}", uuid::Uuid::now_v7())).token(t).send().await.problem(404);
    let route = app.get("/api/v1/no-such-route").token(t).send().await;
    route.problem(404);
    let bad_if_match = app.post(&format!("/api/v1/deals/{}/win", uuid::Uuid::now_v7())).token(t).header("if-match", "\"abc\"").send().await;
    bad_if_match.problem(400);

    // The request id is the server's own; a caller's `x-request-id` is only a correlation id.
    let traced = app.get("/api/v1/me").header("x-request-id", "trace-123").send().await;
    let request_id = traced.problem(401)["request_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&request_id).is_ok(), "{request_id}");
    assert_eq!(traced.headers.get("x-request-id").unwrap(), request_id.as_str());
    assert_eq!(traced.headers.get("x-correlation-id").unwrap(), "trace-123");
    let odd = app.get("/api/v1/me").header("x-request-id", "a b<script>").send().await;
    assert!(odd.headers.get("x-correlation-id").is_none(), "an invalid correlation id is dropped");

    // A body is an object: an array of a struct's fields in order is not one, even where every
    // field may be left out.
    for path in ["/api/v1/me", "/api/v1/workspace"] {
        let array = app.patch(path).token(t).raw("application/json", "[null, null]").send().await;
        assert_eq!(array.problem(422)["errors"][0]["field"], "body", "{path}: {}", array.text);
    }

    assert_eq!(app.get("/healthz").send().await.ok(200)["status"], "ok");
    assert_eq!(app.get("/readyz").send().await.ok(200)["status"], "ok");
    let metrics = app.get("/metrics").send().await;
    assert!(metrics.text.contains("kariz_http_responses_total{class=\"4xx\"}"), "{}", metrics.text);
    assert!(metrics.text.contains("kariz_webhook_pending_deliveries 0"), "{}", metrics.text);
}

/// PostgreSQL cannot store U+0000 in text; it is refused at the edge, on both engines alike.
async fn nul_characters_are_refused_before_the_database(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let t = admin.token.as_str();
    let deal = app.post("/api/v1/deals").token(t).json(json!({"title": "a\u{0}b", "pipeline_id": id(&pipeline)})).send().await;
    assert_eq!(deal.error_fields(), ["title"]);
    let lead = app.post("/api/v1/leads").token(t).json(json!({"name": "x", "tags": ["ok", "a\u{0}"]})).send().await;
    assert_eq!(lead.error_fields(), ["tags.1"]);
    for path in ["/api/v1/deals?q=a%00b", "/api/v1/leads?q=%00", "/api/v1/contacts?city=x%00"] {
        app.get(path).token(t).send().await.problem(400);
    }
    let csv = "name,notes\nGood,fine\nBad,a\u{0}b\n";
    let report = app.post("/api/v1/leads/import").token(t).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["failed"].as_i64()), (Some(1), Some(1)));
    assert_eq!(report["errors"][0]["line"], 3);
}

/// What the schema-driven fuzz run (tests/fuzz/run.sh) holds the server to, pinned down here.
async fn answers_keep_to_the_documented_contract(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();

    // A path some route serves, with a method none does: 405 naming the methods that work.
    let wrong_method = app.request(reqwest::Method::PUT, "/api/v1/deals").token(t).send().await;
    wrong_method.problem(405);
    assert_eq!(wrong_method.headers.get("allow").unwrap(), "GET, POST");
    // `/contacts/export` is its own resource, not a contact with the id `export`.
    let export = app.patch("/api/v1/contacts/export").token(t).json(json!({})).send().await;
    export.problem(405);
    assert_eq!(export.headers.get("allow").unwrap(), "GET");
    let item = app.request(reqwest::Method::PUT, &format!("/api/v1/deals/{}", uuid::Uuid::now_v7())).token(t).send().await;
    item.problem(405);
    assert_eq!(item.headers.get("allow").unwrap(), "GET, PATCH, DELETE");
    app.request(reqwest::Method::OPTIONS, "/healthz").send().await.problem(405);
    app.get("/api/v1/contacts/not-a-uuid").token(t).send().await.problem(400);
    app.get("/api/v1/nothing-here").token(t).send().await.problem(404);

    // `limit` is 1–200 as documented, refused outside rather than clamped.
    for path in ["/api/v1/deals?limit=0", "/api/v1/leads?limit=201", "/api/v1/exchange-rates?limit=-1", "/api/v1/contacts?limit=x"] {
        app.get(path).token(t).send().await.problem(400);
    }
    assert_eq!(app.get("/api/v1/deals?limit=200").token(t).send().await.ok(200)["data"], json!([]));
    // A cursor is a query parameter: a bad one is a 400 on every list.
    for path in ["/api/v1/exchange-rates?cursor=x", "/api/v1/reports/rotting?cursor=x", "/api/v1/leads?cursor=x", "/api/v1/deals?cursor=x"]
    {
        app.get(path).token(t).send().await.problem_code(400, "invalid_cursor");
    }
    // If-Match is `*` or a version, bare or quoted, and nothing else.
    for refused in ["\"3", "-3", "1234567890123456789"] {
        let reply = app.post(&format!("/api/v1/deals/{}/win", uuid::Uuid::now_v7())).token(t).header("if-match", refused).send().await;
        reply.problem(400);
    }
    // Scoring on a count needs a count that can fail to hold.
    let never_failing = app
        .request(reqwest::Method::PUT, "/api/v1/scoring-rules")
        .token(t)
        .json(json!({"rules": [{"name": "Any", "condition": {"kind": "activities_at_least", "min": 0}, "points": 5}]}))
        .send()
        .await;
    assert_eq!(never_failing.error_fields(), ["rules.0.condition"]);
}

/// Clients decide by `code`, never by status alone: causes that share a status have codes of
/// their own (409 alone has a dozen).
async fn each_cause_of_a_refusal_has_its_own_code(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let other = app.create_pipeline(&admin, "Renewals", &[("Due", 50)]).await;
    let (first, second) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    let deal = |title: &str| json!({"title": title, "pipeline_id": id(&pipeline)});
    let a = app.create_deal(&admin, deal("A")).await;
    let b = app.create_deal(&admin, deal("B")).await;
    let c = app.create_deal(&admin, deal("C")).await;

    app.login("owner@acme.test", "not the password").await.problem_code(401, "credentials_refused");
    app.get("/api/v1/me").send().await.problem_code(401, "unauthenticated");
    app.get(&format!("/api/v1/deals/{}", uuid::Uuid::now_v7())).token(t).send().await.problem_code(404, "not_found");
    app.post("/api/v1/deals").token(t).json(json!({"title": ""})).send().await.problem_code(422, "validation_failed");
    app.post("/api/v1/deals").token(t).raw("application/json", "{").send().await.problem_code(400, "malformed_body");
    let win = |deal: &serde_json::Value| format!("/api/v1/deals/{}/win", id(deal));
    app.post(&win(&a)).token(t).send().await.problem_code(428, "version_required");
    app.post(&win(&a)).token(t).if_match(7).send().await.problem_code(412, "version_mismatch");

    // Three different 409s of a move.
    let elsewhere = app.move_deal(&admin, &a, json!({"stage_id": stage_id(&other, 0)})).await;
    elsewhere.problem_code(409, "stage_in_other_pipeline");
    // B sits above C: "after C and before B" names a place that no longer exists.
    let crossed = app.move_deal(&admin, &a, json!({"stage_id": first, "before_id": id(&c), "after_id": id(&b)})).await;
    crossed.problem_code(409, "neighbours_moved");
    let won = app.post(&win(&a)).token(t).if_match(1).send().await.ok(200).clone();
    app.move_deal(&admin, &won, json!({"stage_id": second})).await.problem_code(409, "deal_closed");
    let reopen = format!("/api/v1/deals/{}/reopen", id(&b));
    app.post(&reopen).token(t).if_match(1).send().await.problem_code(409, "deal_open");

    let stage_path = format!("/api/v1/stages/{first}");
    app.delete(&stage_path).token(t).send().await.problem_code(409, "stage_has_deals");
    let pipeline_path = format!("/api/v1/pipelines/{}", id(&pipeline));
    app.delete(&pipeline_path).token(t).if_match(1).send().await.problem_code(409, "pipeline_has_deals");
    let lone_stage = format!("/api/v1/stages/{}", stage_id(&other, 0));
    app.delete(&lone_stage).token(t).send().await.problem_code(409, "last_stage");

    let lead = app.post("/api/v1/leads").token(t).json(json!({"name": "Dara"})).send().await.ok(201).clone();
    let lead_path = format!("/api/v1/leads/{}", id(&lead));
    let disqualified =
        app.post(&format!("{lead_path}/disqualify")).token(t).if_match(1).json(json!({"reason": "no_budget"})).send().await.ok(200).clone();
    let version = disqualified["version"].as_i64().unwrap();
    let qualify = app.post(&format!("{lead_path}/qualify")).token(t).if_match(version).json(json!({})).send().await;
    qualify.problem_code(409, "lead_disqualified");

    let member = json!({"email": "mina@acme.test", "name": "Mina", "role": "admin", "password": crate::helpers::PASSWORD});
    app.post("/api/v1/users").token(t).json(member.clone()).send().await.ok(201);
    app.post("/api/v1/users").token(t).json(member).send().await.problem_code(409, "email_taken");
    let own = format!("/api/v1/users/{}", admin.user_id);
    app.patch(&own).token(t).json(json!({"role": "member"})).send().await.problem_code(403, "self_change_forbidden");

    let twice = |workspace: &'static str| {
        let body = json!({"workspace_name": workspace, "name": "N", "email": "sara@both.test", "password": crate::helpers::PASSWORD});
        app.post("/api/v1/auth/signup").json(body).send()
    };
    twice("One").await.ok(201);
    twice("Two").await.ok(201);
    let login = json!({"email": "sara@both.test", "password": crate::helpers::PASSWORD});
    app.post("/api/v1/auth/login").json(login).send().await.problem_code(409, "workspace_choice_required");
}

/// Years outside 1–9999 in any date or timestamp (query or body) and an edited cursor holding a
/// NUL character or such a date are refused at the edge, never passed to the database.
async fn extreme_dates_and_edited_cursors_are_refused_at_the_edge(engine: Engine) {
    use kariz_persistence::pagination::encode;
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let t = admin.token.as_str();
    for path in [
        "/api/v1/reports/win-rate?from=%2B99999-01-01",
        "/api/v1/reports/forecast?to=-9999-12-31",
        "/api/v1/deals?expected_close_from=-9999-01-01",
        "/api/v1/activities?due_from=%2B99999-01-01T00:00:00Z",
        "/api/v1/audit?since=-9999-01-01T00:00:00Z",
        "/api/v1/contacts/upcoming-dates?today=%2B99999-01-01",
    ] {
        let reply = app.get(path).token(t).send().await;
        assert!(reply.problem(400)["detail"].as_str().unwrap().contains("0001-01-01 and 9999-12-31"), "{path}: {}", reply.text);
    }
    let far = json!({"title": "Far", "pipeline_id": id(&pipeline), "expected_close_date": "+99999-01-01"});
    assert_eq!(app.post("/api/v1/deals").token(t).json(far).send().await.error_fields(), ["expected_close_date"]);
    let deal = app.create_deal(&admin, json!({"title": "Near", "pipeline_id": id(&pipeline)})).await;
    let ancient = json!({"expected_close_date": "-9999-01-01"});
    let patched = app.patch(&format!("/api/v1/deals/{}", id(&deal))).token(t).if_match(1).json(ancient).send().await;
    assert_eq!(patched.error_fields(), ["expected_close_date"]);
    let task = json!({"kind": "task", "subject": "Later", "deal_id": id(&deal), "due_at": "+99999-01-01T00:00:00Z"});
    assert_eq!(app.post("/api/v1/activities").token(t).json(task).send().await.error_fields(), ["due_at"]);
    let rate = json!({"currency": "USD", "rate_date": "-9999-01-01", "rate": "42000"});
    assert_eq!(app.post("/api/v1/exchange-rates").token(t).json(rate).send().await.error_fields(), ["rate_date"]);
    let key = json!({"name": "Forever", "scopes": ["read"], "expires_at": "+99999-01-01T00:00:00Z"});
    assert_eq!(app.post("/api/v1/api-keys").token(t).json(key).send().await.error_fields(), ["expires_at"]);

    let somewhere = uuid::Uuid::now_v7();
    for (path, sort, value) in [
        ("/api/v1/deals?sort=position", "position", json!("a\u{0}")),
        ("/api/v1/contacts?sort=name", "name", json!("\u{0}")),
        ("/api/v1/exchange-rates", "-rate_date", json!("+99999-01-01")),
        ("/api/v1/reports/rotting", "stage_entered_at", json!("-9999-01-01T00:00:00Z")),
    ] {
        let cursor = encode(sort, value, somewhere);
        let reply = app.get(&format!("{path}{}cursor={cursor}", if path.contains('?') { '&' } else { '?' })).token(t).send().await;
        reply.problem(400);
    }
}

/// The settings screens' refusals carry a code of their own, not the generic `invalid`, so that a
/// client can word them in its language.
async fn settings_refusals_carry_specific_field_codes(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let codes = |problem: &serde_json::Value| {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
            .collect::<Vec<_>>()
    };
    let rules = json!({"rules": [
        {"name": "Blank", "condition": {"kind": "field_contains", "field": "job_title", "value": " "}, "points": 10},
        {"name": "Too many", "condition": {"kind": "field_present", "field": "email"}, "points": 5000},
    ]});
    let reply = app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(rules).send().await;
    let problem = reply.problem(422).clone();
    assert_eq!(
        codes(&problem),
        [("rules.0.condition".to_owned(), "condition".to_owned()), ("rules.1.points".to_owned(), "range".to_owned())]
    );
    let field = json!({"entity": "contact", "key": "Bad Key", "label": "Bad", "kind": "text"});
    let problem = app.post("/api/v1/custom-fields").token(&admin.token).json(field).send().await.problem(422).clone();
    assert_eq!(codes(&problem), [("key".to_owned(), "key".to_owned())]);
    let field = json!({"entity": "contact", "key": "size", "label": "Size", "kind": "select", "options": []});
    let problem = app.post("/api/v1/custom-fields").token(&admin.token).json(field).send().await.problem(422).clone();
    assert_eq!(codes(&problem), [("options".to_owned(), "options".to_owned())]);
    let problem =
        app.patch("/api/v1/workspace").token(&admin.token).json(json!({"time_zone": "Mars/Olympus"})).send().await.problem(422).clone();
    assert_eq!(codes(&problem), [("time_zone".to_owned(), "time_zone".to_owned())]);
}
