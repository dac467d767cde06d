use chrono::{DateTime, Days, Duration, NaiveTime, Utc};
use kariz_persistence::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::notifications::set_clock;
use crate::on_both_engines;
use crate::pipelines::add_member;

on_both_engines!(
    activities_are_logged_changed_done_and_deleted,
    the_agenda_sorts_open_tasks_into_overdue_today_and_upcoming,
    a_tehran_users_agenda_day_starts_at_half_past_eight_utc,
    a_deal_entering_a_stage_gets_its_follow_up_tasks,
    activity_rules_rescore_the_lead_as_activities_come_and_go,
);

async fn create_activity(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/activities").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn list(app: &TestApp, session: &Session, query: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/activities{query}")).token(&session.token).send().await;
    reply.ok(200)["data"].as_array().unwrap().clone()
}

fn subjects(items: &[Value]) -> Vec<&str> {
    items.iter().map(|a| a["subject"].as_str().unwrap()).collect()
}

async fn lead_score(app: &TestApp, session: &Session, lead_id: &str) -> i64 {
    let lead = app.get(&format!("/api/v1/leads/{lead_id}")).token(&session.token).send().await;
    lead.ok(200)["score"].as_i64().unwrap()
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn activities_are_logged_changed_done_and_deleted(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await;
    let lead_id = id(lead.ok(201));
    let org = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars"})).send().await;
    let org_id = id(org.ok(201));

    // A call logged on a lead: the owner is the caller, the priority normal.
    let reply = app
        .post("/api/v1/activities")
        .token(&admin.token)
        .json(json!({"kind": "call", "subject": "  First call  ", "body": "Wants a demo", "lead_id": lead_id, "done_at": "2026-11-24T10:00:00Z"}))
        .send()
        .await;
    let call = reply.ok(201).clone();
    let call_id = id(&call);
    assert_eq!(reply.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/activities/{call_id}"));
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!((call["subject"].as_str(), call["owner_id"].as_str()), (Some("First call"), Some(admin.user_id.as_str())));
    assert_eq!((call["priority"].as_str(), call["done_at"].as_str()), (Some("normal"), Some("2026-11-24T10:00:00Z")));
    assert_eq!((call["created_by"].as_str(), call["template_id"].clone()), (Some(admin.user_id.as_str()), Value::Null));
    assert_eq!(app.event_count(&call_id, "activity.created").await, 1);

    // A task for a member, on an organization.
    let task = create_activity(
        &app,
        &admin,
        json!({"kind": "task", "subject": "Send the quote", "organization_id": org_id, "owner_id": member.user_id,
               "priority": "high", "due_at": "2030-01-02T09:00:00Z"}),
    )
    .await;
    let task_id = id(&task);
    let fetched = app.get(&format!("/api/v1/activities/{task_id}")).token(&member.token).send().await;
    assert_eq!((fetched.ok(200)["owner_id"].as_str(), fetched.etag()), (Some(member.user_id.as_str()), "\"1\"".to_owned()));

    // Invalid requests name their fields.
    let bad = |body: Value| app.post("/api/v1/activities").token(&admin.token).json(body).send();
    assert_eq!(bad(json!({"kind": "call", "subject": "Nothing linked"})).await.error_fields(), ["lead_id"]);
    assert_eq!(bad(json!({"kind": "visit", "subject": "x", "lead_id": lead_id})).await.error_fields(), ["kind"]);
    assert_eq!(bad(json!({"kind": "call", "subject": "   ", "lead_id": lead_id})).await.error_fields(), ["subject"]);
    assert_eq!(bad(json!({"kind": "call", "subject": "x", "deal_id": uuid::Uuid::now_v7()})).await.error_fields(), ["deal_id"]);
    assert_eq!(bad(json!({"kind": "call", "subject": "x", "contact_id": org_id})).await.error_fields(), ["contact_id"]);
    assert_eq!(
        bad(json!({"kind": "call", "subject": "x", "lead_id": lead_id, "owner_id": uuid::Uuid::now_v7()})).await.error_fields(),
        ["owner_id"]
    );
    assert_eq!(
        bad(json!({"kind": "note", "subject": "x", "lead_id": lead_id, "due_at": "2030-01-01T00:00:00Z"})).await.error_fields(),
        ["due_at"]
    );
    assert_eq!(bad(json!({"kind": "call", "subject": "x", "lead_id": lead_id, "colour": "red"})).await.error_fields(), ["colour"]);

    // Lists filter and page.
    let note = create_activity(&app, &member, json!({"kind": "note", "subject": "Prefers WhatsApp", "lead_id": lead_id})).await;
    assert_eq!(subjects(&list(&app, &admin, "").await), ["Prefers WhatsApp", "Send the quote", "First call"], "newest first");
    assert_eq!(subjects(&list(&app, &admin, &format!("?lead_id={lead_id}")).await), ["Prefers WhatsApp", "First call"]);
    assert_eq!(subjects(&list(&app, &admin, "?kind=task").await), ["Send the quote"]);
    assert_eq!(subjects(&list(&app, &admin, &format!("?owner_id={}", member.user_id)).await), ["Prefers WhatsApp", "Send the quote"]);
    assert_eq!(subjects(&list(&app, &admin, "?done=true").await), ["First call"]);
    assert_eq!(subjects(&list(&app, &admin, "?done=false").await), ["Prefers WhatsApp", "Send the quote"]);
    assert_eq!(subjects(&list(&app, &admin, "?due_from=2030-01-01T00:00:00Z&due_to=2030-01-03T00:00:00Z").await), ["Send the quote"]);
    assert!(list(&app, &admin, "?due_to=2029-01-01T00:00:00Z").await.is_empty());
    let first = app.get("/api/v1/activities?limit=2").token(&admin.token).send().await.ok(200).clone();
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_eq!(subjects(&list(&app, &admin, &format!("?limit=2&cursor={cursor}")).await), ["First call"]);
    app.get("/api/v1/activities?kind=visit").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/activities?cursor=nonsense").token(&admin.token).send().await.problem(400);

    // Updates need the version; a stale one changes nothing.
    let path = format!("/api/v1/activities/{task_id}");
    app.patch(&path).token(&admin.token).json(json!({"priority": "low"})).send().await.problem(428);
    let stale = app.patch(&path).token(&admin.token).if_match(7).json(json!({"priority": "low"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 1);
    let unlinked = app.patch(&path).token(&admin.token).if_match(1).json(json!({"organization_id": null})).send().await;
    assert_eq!(unlinked.error_fields(), ["lead_id"]);
    let updated = app
        .patch(&path)
        .token(&admin.token)
        .if_match(1)
        .json(json!({"priority": "low", "body": "With the new prices", "deal_id": null, "due_at": "2030-01-03T09:00:00Z"}))
        .send()
        .await;
    let updated = updated.ok(200).clone();
    assert_eq!((updated["version"].as_i64(), updated["priority"].as_str()), (Some(2), Some("low")));
    assert_eq!((updated["body"].as_str(), updated["due_at"].as_str()), (Some("With the new prices"), Some("2030-01-03T09:00:00Z")));
    assert_eq!(updated["organization_id"], org_id.as_str());

    // Done and undone, each with its checks.
    let done = app.post(&format!("{path}/complete")).token(&member.token).if_match(2).send().await.ok(200).clone();
    assert!(done["done_at"].is_string());
    assert_eq!(done["version"], 3);
    assert_eq!(app.event_count(&task_id, "task.completed").await, 1);
    let completed = app.event_payload(&task_id, "task.completed").await;
    assert_eq!(completed["activity"]["done_at"], done["done_at"]);
    app.post(&format!("{path}/complete")).token(&member.token).send().await.problem(409);
    app.post(&format!("{path}/reopen")).token(&member.token).if_match(2).send().await.problem(412);
    let reopened = app.post(&format!("{path}/reopen")).token(&member.token).if_match(3).send().await.ok(200).clone();
    assert_eq!((reopened["done_at"].clone(), reopened["version"].as_i64()), (Value::Null, Some(4)));
    app.post(&format!("{path}/reopen")).token(&member.token).send().await.problem(409);
    app.post(&format!("/api/v1/activities/{}/complete", id(&note))).token(&member.token).send().await.problem(409);

    // Deleting honours If-Match when sent.
    app.delete(&path).token(&admin.token).if_match(1).send().await.problem(412);
    app.delete(&path).token(&admin.token).if_match(4).send().await.ok(204);
    app.get(&path).token(&admin.token).send().await.problem(404);
    app.delete(&path).token(&admin.token).send().await.problem(404);
    assert_eq!(app.event_count(&task_id, "activity.created").await, 1, "events stay in the outbox");
}

async fn the_agenda_sorts_open_tasks_into_overdue_today_and_upcoming(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await;
    let lead_id = id(lead.ok(201));
    // Noon of the UTC day, so that "today" holds whenever the test runs.
    let today = Utc::now().date_naive().and_hms_opt(12, 0, 0).unwrap().and_utc();
    let due = |subject: &str, at: DateTime<Utc>, owner: &Session| json!({"kind": "task", "subject": subject, "lead_id": lead_id, "due_at": rfc3339(at), "owner_id": owner.user_id});
    for (subject, at) in [
        ("In 30 days", today + Duration::days(30)),
        ("In 3 days", today + Duration::days(3)),
        ("Today, later", today + Duration::hours(6)),
        ("Yesterday", today - Duration::days(1)),
        ("Today", today),
        ("Last week", today - Duration::days(7)),
        ("Tomorrow", today + Duration::days(1)),
    ] {
        create_activity(&app, &admin, due(subject, at, &admin)).await;
    }
    // Not on the agenda: done, without a due time, or someone else's.
    let done = create_activity(&app, &admin, due("Done already", today, &admin)).await;
    app.post(&format!("/api/v1/activities/{}/complete", id(&done))).token(&admin.token).send().await.ok(200);
    create_activity(&app, &admin, json!({"kind": "call", "subject": "Logged", "lead_id": lead_id})).await;
    create_activity(&app, &admin, due("The member's", today, &member)).await;

    let agenda = app.get("/api/v1/me/agenda?days=7").token(&admin.token).send().await.ok(200).clone();
    let bucket = |name: &str| subjects(agenda[name].as_array().unwrap()).into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(bucket("overdue"), ["Last week", "Yesterday"]);
    assert_eq!(bucket("today"), ["Today", "Today, later"]);
    assert_eq!(bucket("upcoming"), ["Tomorrow", "In 3 days"], "30 days ahead is past the window");
    let midnight = today - Duration::hours(12);
    assert_eq!(agenda["today_starts_at"].as_str().unwrap(), rfc3339(midnight));
    assert_eq!(agenda["upcoming_ends_at"].as_str().unwrap(), rfc3339(midnight + Duration::days(8)));

    let default = app.get("/api/v1/me/agenda").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(default["upcoming"], agenda["upcoming"], "7 days by default");
    let month = app.get("/api/v1/me/agenda?days=31").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(subjects(month["upcoming"].as_array().unwrap()), ["Tomorrow", "In 3 days", "In 30 days"]);
    let none = app.get("/api/v1/me/agenda?days=0").token(&admin.token).send().await.ok(200).clone();
    assert!(none["upcoming"].as_array().unwrap().is_empty());
    app.get("/api/v1/me/agenda?days=91").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/me/agenda?days=-1").token(&admin.token).send().await.problem(400);

    let theirs = app.get("/api/v1/me/agenda").token(&member.token).send().await.ok(200).clone();
    assert_eq!(subjects(theirs["today"].as_array().unwrap()), ["The member's"]);
    assert!(theirs["overdue"].as_array().unwrap().is_empty());
}

async fn a_tehran_users_agenda_day_starts_at_half_past_eight_utc(engine: Engine) {
    let app = spawn_app(engine).await;
    let day = Clock::now(&app.clock).date_naive().checked_add_days(Days::new(1)).unwrap();
    let utc = |days: u64, hour: u32, minute: u32| {
        day.checked_add_days(Days::new(days)).unwrap().and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap()).and_utc()
    };
    // 21:00 UTC: 00:30 the next day in Tehran, still the same day in UTC.
    set_clock(&app, utc(0, 21, 0));
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = add_member(&app, &admin.workspace_id, "mia@acme.test").await;
    app.patch("/api/v1/me").token(&mia.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    let lead_id = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    for (subject, at) in [("20:00 UTC", utc(0, 20, 0)), ("20:45 UTC", utc(0, 20, 45)), ("Next 20:45 UTC", utc(1, 20, 45))] {
        for owner in [&admin, &mia] {
            let task = json!({"kind": "task", "subject": subject, "lead_id": lead_id, "due_at": rfc3339(at), "owner_id": owner.user_id});
            create_activity(&app, &admin, task).await;
        }
    }

    let agenda = app.get("/api/v1/me/agenda?days=7").token(&mia.token).send().await.ok(200).clone();
    let bucket = |agenda: &Value, name: &str| subjects(agenda[name].as_array().unwrap()).into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(agenda["today_starts_at"].as_str().unwrap(), rfc3339(utc(0, 20, 30)), "midnight in Tehran");
    assert_eq!(agenda["upcoming_ends_at"].as_str().unwrap(), rfc3339(utc(8, 20, 30)));
    assert_eq!(bucket(&agenda, "overdue"), ["20:00 UTC"], "23:30 yesterday in Tehran");
    assert_eq!(bucket(&agenda, "today"), ["20:45 UTC"]);
    assert_eq!(bucket(&agenda, "upcoming"), ["Next 20:45 UTC"]);

    // The admin chose no zone and the workspace's is UTC: the same tasks all fall today.
    let theirs = app.get("/api/v1/me/agenda?days=7").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(theirs["today_starts_at"].as_str().unwrap(), rfc3339(utc(0, 0, 0)));
    assert_eq!(bucket(&theirs, "today"), ["20:00 UTC", "20:45 UTC"]);
    // Members who chose none follow the workspace's zone.
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    let theirs = app.get("/api/v1/me/agenda?days=7").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(bucket(&theirs, "overdue"), ["20:00 UTC"]);
}

async fn a_deal_entering_a_stage_gets_its_follow_up_tasks(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (qualified, proposal, negotiation) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1), stage_id(&pipeline, 2));
    let templates = format!("/api/v1/stages/{proposal}/task-templates");

    // Only admins and managers set templates; everyone reads them.
    let body = json!({"subject": "Send the proposal", "priority": "high", "due_in_hours": 48});
    app.post(&templates).token(&member.token).json(body.clone()).send().await.problem(403);
    let reply = app.post(&templates).token(&admin.token).json(body).send().await;
    let send = reply.ok(201).clone();
    assert_eq!(reply.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/task-templates/{}", id(&send)));
    assert_eq!((send["kind"].as_str(), send["position"].as_i64()), (Some("task"), Some(0)));
    let call = json!({"kind": "call", "subject": "Call about the proposal", "body": "Ask who decides", "due_in_hours": 72});
    let follow_up = app.post(&templates).token(&admin.token).json(call).send().await.ok(201).clone();
    assert_eq!(follow_up["position"], 1);
    let bad = app.post(&templates).token(&admin.token).json(json!({"kind": "note", "subject": "x", "due_in_hours": 1})).send().await;
    assert_eq!(bad.error_fields(), ["kind"]);
    let bad = app.post(&templates).token(&admin.token).json(json!({"subject": "x", "due_in_hours": 9000})).send().await;
    assert_eq!(bad.error_fields(), ["due_in_hours"]);
    app.post(&format!("/api/v1/stages/{}/task-templates", uuid::Uuid::now_v7()))
        .token(&admin.token)
        .json(json!({"subject": "x", "due_in_hours": 1}))
        .send()
        .await
        .problem(404);
    let listed = app.get(&templates).token(&member.token).send().await.ok(200).clone();
    assert_eq!(subjects(listed["data"].as_array().unwrap()), ["Send the proposal", "Call about the proposal"]);
    let edit = format!("/api/v1/task-templates/{}", id(&follow_up));
    app.patch(&edit).token(&member.token).json(json!({"priority": "low"})).send().await.problem(403);
    let edited = app.patch(&edit).token(&admin.token).json(json!({"priority": "low", "body": null})).send().await.ok(200).clone();
    assert_eq!(
        (edited["priority"].as_str(), edited["body"].clone(), edited["due_in_hours"].as_i64()),
        (Some("low"), Value::Null, Some(72))
    );

    let tasks_of = |deal: &Value| format!("?deal_id={}", id(deal));

    // A deal moved in from another stage gets one task per template, for its owner, due from the
    // entry, in the move's transaction.
    let deal = app
        .create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "stage_id": qualified, "owner_id": member.user_id}))
        .await;
    assert!(list(&app, &admin, &tasks_of(&deal)).await.is_empty(), "the first stage has no templates");
    let moved = app.move_deal(&admin, &deal, json!({"stage_id": proposal})).await.ok(200).clone();
    let entered: DateTime<Utc> = moved["stage_entered_at"].as_str().unwrap().parse().unwrap();
    let tasks = list(&app, &admin, &tasks_of(&deal)).await;
    assert_eq!(tasks.len(), 2);
    for (template, hours) in [(&send, 48), (&edited, 72)] {
        let task = tasks.iter().find(|t| t["template_id"] == template["id"]).expect("a task per template");
        assert_eq!(
            (task["subject"].clone(), task["kind"].clone(), task["priority"].clone()),
            (template["subject"].clone(), template["kind"].clone(), template["priority"].clone())
        );
        assert_eq!(task["owner_id"], member.user_id.as_str(), "the deal's owner");
        assert_eq!(task["created_by"], admin.user_id.as_str(), "who moved it");
        assert_eq!((task["lead_id"].clone(), task["done_at"].clone()), (Value::Null, Value::Null));
        let due: DateTime<Utc> = task["due_at"].as_str().unwrap().parse().unwrap();
        assert!((due - (entered + Duration::hours(hours))).num_seconds().abs() <= 1, "{due} vs {entered} + {hours} h");
        assert_eq!(app.event_count(task["id"].as_str().unwrap(), "activity.created").await, 1);
    }
    assert!(tasks.iter().all(|t| t["body"].is_null()), "the template as edited");

    // Moving within the column is no entry.
    let other = app.create_deal(&admin, json!({"title": "Other", "pipeline_id": id(&pipeline), "stage_id": proposal})).await;
    assert_eq!(list(&app, &admin, &tasks_of(&other)).await.len(), 2, "a deal opened in the stage enters it too");
    let current = app.deal(&admin, &id(&moved)).await;
    app.move_deal(&admin, &current, json!({"stage_id": proposal, "before_id": id(&other)})).await.ok(200);
    assert_eq!(list(&app, &admin, &tasks_of(&deal)).await.len(), 2);

    // Entering a stage without templates creates nothing; nor does reopening in a stage.
    let current = app.deal(&admin, &id(&moved)).await;
    let onward = app.move_deal(&admin, &current, json!({"stage_id": negotiation})).await.ok(200).clone();
    assert_eq!(list(&app, &admin, &tasks_of(&deal)).await.len(), 2);
    let won = app
        .post(&format!("/api/v1/deals/{}/win", id(&onward)))
        .token(&admin.token)
        .if_match(onward["version"].as_i64().unwrap())
        .send()
        .await;
    let won = won.ok(200).clone();
    app.post(&format!("/api/v1/deals/{}/reopen", id(&won)))
        .token(&admin.token)
        .if_match(won["version"].as_i64().unwrap())
        .send()
        .await
        .ok(200);
    assert_eq!(list(&app, &admin, &tasks_of(&deal)).await.len(), 2);

    // A deleted template gives nothing more; the tasks it gave stay.
    app.delete(&edit).token(&member.token).send().await.problem(403);
    app.delete(&edit).token(&admin.token).send().await.ok(204);
    app.delete(&edit).token(&admin.token).send().await.problem(404);
    let late = app.create_deal(&admin, json!({"title": "Late", "pipeline_id": id(&pipeline), "stage_id": proposal})).await;
    assert_eq!(subjects(&list(&app, &admin, &tasks_of(&late)).await), ["Send the proposal"]);
    assert_eq!(list(&app, &admin, &tasks_of(&deal)).await.len(), 2);
}

async fn activity_rules_rescore_the_lead_as_activities_come_and_go(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rules = json!({"rules": [
        {"name": "Talked", "condition": {"kind": "activities_at_least", "min": 2, "activity_kind": "call"}, "points": 20},
        {"name": "Engaged", "condition": {"kind": "activities_at_least", "min": 1}, "points": 5}
    ]});
    let set = app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(rules).send().await;
    let set = set.ok(200).clone();
    assert_eq!(set["data"][0]["condition"], json!({"kind": "activities_at_least", "min": 2, "activity_kind": "call"}));
    assert_eq!(set["data"][1]["condition"], json!({"kind": "activities_at_least", "min": 1}));
    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201).clone();
    let lead_id = id(&lead);
    assert_eq!(lead["score"], 0);

    let note = create_activity(&app, &admin, json!({"kind": "note", "subject": "Met at the fair", "lead_id": lead_id})).await;
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5);
    let first = create_activity(&app, &admin, json!({"kind": "call", "subject": "First call", "lead_id": lead_id})).await;
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5);
    create_activity(&app, &admin, json!({"kind": "call", "subject": "Second call", "lead_id": lead_id})).await;
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 25);
    let explained = app.get(&format!("/api/v1/leads/{lead_id}/score")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(explained["score"], 25);
    assert_eq!(explained["rules"].as_array().unwrap().len(), 2);
    let stored = app.get(&format!("/api/v1/leads/{lead_id}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(stored["version"], 1, "a derived score is no change of the lead");

    // Deleting an activity, or moving it off the lead, re-scores it.
    app.delete(&format!("/api/v1/activities/{}", id(&first))).token(&admin.token).send().await.ok(204);
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5);
    let org = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars"})).send().await;
    let org_id = id(org.ok(201));
    let moved = app
        .patch(&format!("/api/v1/activities/{}", id(&note)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"lead_id": null, "organization_id": org_id}))
        .send()
        .await;
    moved.ok(200);
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5, "one call left");
    let calls = list(&app, &admin, &format!("?lead_id={lead_id}")).await;
    let call = &calls[0];
    app.patch(&format!("/api/v1/activities/{}", id(call)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"kind": "email"}))
        .send()
        .await
        .ok(200);
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5);

    // Editing the lead, and replacing the rules, count its activities too.
    app.patch(&format!("/api/v1/leads/{lead_id}")).token(&admin.token).if_match(1).json(json!({"company": "Pars"})).send().await.ok(200);
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 5);
    let rules = json!({"rules": [{"name": "Emailed", "condition": {"kind": "activities_at_least", "min": 1, "activity_kind": "email"}, "points": 7}]});
    let replaced = app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(rules).send().await;
    assert_eq!(replaced.ok(200)["rescored"], 1);
    assert_eq!(lead_score(&app, &admin, &lead_id).await, 7);
    let bad =
        json!({"rules": [{"name": "x", "condition": {"kind": "activities_at_least", "min": 1, "activity_kind": "visit"}, "points": 1}]});
    app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(bad).send().await.problem(422);
}
