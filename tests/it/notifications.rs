//! Notifications: created with their cause (assignments, mentions) or by the scheduled pass
//! (activities due and overdue, deals rotting, important dates coming) exactly once each; read
//! marks and the unread count; preferences; each user's own only, on the API and on the event
//! stream; time zones; the daily digest.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc};
use kariz_domain::{UserId, WorkspaceId};
use kariz_persistence::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Session, TestApp, id, session, spawn_app, spawn_app_with, stage_id};
use crate::on_both_engines;
use crate::stream::open;

on_both_engines!(
    a_task_given_to_someone_else_notifies_its_new_owner_with_its_event,
    mentions_notify_each_mentioned_member_once,
    read_marks_and_the_unread_count_are_each_users_own,
    preferences_are_audited_and_in_app_off_creates_none,
    the_scheduled_pass_reminds_of_each_occurrence_once,
    a_tehran_users_day_starts_at_half_past_eight_utc_the_day_before,
    the_daily_digest_is_composed_once_per_local_day_at_eight,
    the_stream_carries_a_notification_to_its_recipient_only,
    erasing_a_person_erases_the_notifications_about_them,
    notifications_and_digests_go_out_by_email_to_those_who_chose_it,
);

fn ids(session: &Session) -> (WorkspaceId, UserId) {
    (WorkspaceId::from(session.workspace_id.parse::<uuid::Uuid>().unwrap()), UserId::from(session.user_id.parse::<uuid::Uuid>().unwrap()))
}

/// `session`'s notifications (newest first), read from the store: valid whatever the clock did
/// to access tokens.
async fn inbox(app: &TestApp, session: &Session) -> Vec<Value> {
    let (workspace, user) = ids(session);
    let page = app.store.notifications(workspace, user, false, Some(200), None).await.unwrap();
    page.page.items.iter().map(|n| serde_json::to_value(n).unwrap()).collect()
}

async fn of_kind(app: &TestApp, session: &Session, kind: &str) -> Vec<Value> {
    inbox(app, session).await.into_iter().filter(|n| n["kind"] == kind).collect()
}

/// Moves the clock to `at`.
pub(crate) fn set_clock(app: &TestApp, at: DateTime<Utc>) {
    app.clock.advance(at - Clock::now(&app.clock));
}

async fn relogin(app: &TestApp, email: &str) -> Session {
    session(app.login(email, PASSWORD).await.ok(200))
}

async fn a_task_given_to_someone_else_notifies_its_new_owner_with_its_event(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));

    let task = json!({"kind": "task", "subject": "Call Sara", "lead_id": lead, "owner_id": mia.user_id, "due_at": "2030-01-01T09:00:00Z"});
    let a = id(app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201));
    let list = app.get("/api/v1/notifications").token(&mia.token).send().await;
    let body = list.ok(200);
    assert_eq!(body["unread_count"], 1);
    let n = &body["data"][0];
    assert_eq!(n["kind"], "task_assigned");
    assert_eq!(n["user_id"], mia.user_id.as_str());
    assert_eq!(n["activity_id"], a.as_str());
    assert_eq!(n["lead_id"], lead.as_str());
    assert_eq!(n["data"]["actor"], json!({"id": admin.user_id, "name": "Test Admin"}));
    assert_eq!(n["data"]["activity"]["subject"], "Call Sara");
    assert_eq!(n["data"]["activity"]["due_at"], "2030-01-01T09:00:00Z");
    assert_eq!(n["read_at"], Value::Null);
    // Its event, the notification as the API shows it, in the same change.
    let event = app.event_payload(&id(n), "notification.created").await;
    assert_eq!(event["notification"], *n);
    kariz_contract::Event::parse("notification.created", event).unwrap();

    // Your own task, or a note given to someone, notifies nobody.
    let own = json!({"kind": "task", "subject": "Mine", "lead_id": lead});
    app.post("/api/v1/activities").token(&admin.token).json(own).send().await.ok(201);
    let note = json!({"kind": "note", "subject": "FYI", "lead_id": lead, "owner_id": mia.user_id});
    app.post("/api/v1/activities").token(&admin.token).json(note).send().await.ok(201);
    assert_eq!(inbox(&app, &admin).await.len(), 0);
    assert_eq!(inbox(&app, &mia).await.len(), 1);

    // Handing over an existing task notifies its new owner; changing it otherwise does not.
    let mine = json!({"kind": "task", "subject": "Quote", "lead_id": lead});
    let q = id(app.post("/api/v1/activities").token(&mia.token).json(mine).send().await.ok(201));
    app.patch(&format!("/api/v1/activities/{q}"))
        .token(&mia.token)
        .if_match(1)
        .json(json!({"owner_id": admin.user_id}))
        .send()
        .await
        .ok(200);
    let given = of_kind(&app, &admin, "task_assigned").await;
    assert_eq!(given.len(), 1);
    assert_eq!(given[0]["data"]["actor"]["id"], mia.user_id.as_str());
    app.patch(&format!("/api/v1/activities/{q}")).token(&admin.token).if_match(2).json(json!({"subject": "Quote 2"})).send().await.ok(200);
    assert_eq!(of_kind(&app, &admin, "task_assigned").await.len(), 1);
    // A refused change leaves no notification behind.
    let stale = app.patch(&format!("/api/v1/activities/{q}")).token(&admin.token).if_match(1).json(json!({"owner_id": mia.user_id}));
    stale.send().await.problem(412);
    assert_eq!(inbox(&app, &mia).await.len(), 1);
}

async fn mentions_notify_each_mentioned_member_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let max = app.add_member(&admin, "max@acme.test", "manager").await;
    let outsider = app.signup("Other", "eve@other.test").await;
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));

    let body = format!(
        "@[Mia]({}) please call; @[Mia]({}) again, not @[Eve]({}) nor @[me]({}) nor @mia",
        mia.user_id, mia.user_id, outsider.user_id, admin.user_id
    );
    let note = json!({"kind": "note", "subject": "Sara, the fleet deal", "body": body, "lead_id": lead});
    let reply = app.post("/api/v1/activities").token(&admin.token).json(note).send().await;
    let a = id(reply.ok(201));
    let mentions = of_kind(&app, &mia, "mention").await;
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert_eq!(mentions[0]["data"]["actor"]["id"], admin.user_id.as_str());
    assert_eq!(mentions[0]["data"]["activity"]["subject"], "Sara, the fleet deal");
    let excerpt = mentions[0]["data"]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("@Mia please call") && !excerpt.contains(&mia.user_id), "{excerpt}");
    assert!(inbox(&app, &admin).await.is_empty(), "nobody is notified of their own mention");
    assert!(inbox(&app, &outsider).await.is_empty(), "another workspace's user is nobody here");

    // An edit notifies only those it newly mentions.
    let edited = format!("{body} and @[Max]({})", max.user_id);
    app.patch(&format!("/api/v1/activities/{a}")).token(&admin.token).if_match(1).json(json!({"body": edited})).send().await.ok(200);
    assert_eq!(of_kind(&app, &mia, "mention").await.len(), 1);
    assert_eq!(of_kind(&app, &max, "mention").await.len(), 1);

    // A member is not told of what they may not read: the admin's lead is hidden from Mia when
    // leads are their owners'.
    let only_owners = json!({"lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let hidden = json!({"kind": "note", "subject": "Secret", "body": format!("@[Mia]({})", mia.user_id), "lead_id": lead});
    app.post("/api/v1/activities").token(&admin.token).json(hidden).send().await.ok(201);
    assert_eq!(of_kind(&app, &mia, "mention").await.len(), 1);
}

async fn read_marks_and_the_unread_count_are_each_users_own(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let outsider = app.signup("Other", "eve@other.test").await;
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    for n in 0..3 {
        let task = json!({"kind": "task", "subject": format!("Task {n}"), "lead_id": lead, "owner_id": mia.user_id});
        app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201);
    }
    let first = app.get("/api/v1/notifications?limit=2").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["data"][0]["data"]["activity"]["subject"], "Task 2", "newest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/notifications?limit=2&cursor={cursor}")).token(&mia.token).send().await.ok(200).clone();
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);
    let oldest = id(&rest["data"][0]);

    // Another user's notification is not found, in this workspace or another.
    app.post(&format!("/api/v1/notifications/{oldest}/read")).token(&admin.token).send().await.problem(404);
    app.post(&format!("/api/v1/notifications/{oldest}/read")).token(&outsider.token).send().await.problem(404);
    let others = app.get("/api/v1/notifications").token(&outsider.token).send().await;
    assert_eq!(others.ok(200)["unread_count"], 0);
    app.post("/api/v1/notifications/read-all").token(&admin.token).send().await.ok(200);
    assert_eq!(app.get("/api/v1/notifications").token(&mia.token).send().await.ok(200)["unread_count"], 3);

    let read = app.post(&format!("/api/v1/notifications/{oldest}/read")).token(&mia.token).send().await.ok(200).clone();
    assert!(read["read_at"].is_string());
    let again = app.post(&format!("/api/v1/notifications/{oldest}/read")).token(&mia.token).send().await;
    assert_eq!(again.ok(200)["read_at"], read["read_at"], "reading again changes nothing");
    let unread = app.get("/api/v1/notifications?unread=true").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(unread["unread_count"], 2);
    assert_eq!(unread["data"].as_array().unwrap().len(), 2);
    assert!(unread["data"].as_array().unwrap().iter().all(|n| n["id"] != oldest.as_str()));

    let all = app.post("/api/v1/notifications/read-all").token(&mia.token).send().await.ok(200).clone();
    assert_eq!((all["marked"].as_i64(), all["unread_count"].as_i64()), (Some(2), Some(0)));
    let list = app.get("/api/v1/notifications?unread=true").token(&mia.token).send().await.ok(200).clone();
    assert_eq!((list["unread_count"].as_i64(), list["data"].as_array().unwrap().len()), (Some(0), 0));
    assert_eq!(app.get("/api/v1/notifications").token(&mia.token).send().await.ok(200)["data"].as_array().unwrap().len(), 3);
}

async fn preferences_are_audited_and_in_app_off_creates_none(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let defaults = app.get("/api/v1/me/notification-preferences").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(defaults, json!({"in_app": true, "email": false, "daily_digest": false}));

    let off = json!({"in_app": false, "email": true, "daily_digest": true});
    let reply = app.put("/api/v1/me/notification-preferences").token(&mia.token).json(off.clone()).send().await;
    assert_eq!(*reply.ok(200), off);
    assert_eq!(*app.get("/api/v1/me/notification-preferences").token(&mia.token).send().await.ok(200), off);
    let partial = app.put("/api/v1/me/notification-preferences").token(&mia.token).json(json!({"in_app": true})).send().await;
    partial.problem(422);
    let log = app.get("/api/v1/audit?action=notification_preferences.updated").token(&admin.token).send().await.ok(200).clone();
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0]["entity_id"].as_str(), entries[0]["actor_user_id"].as_str()),
        (Some(mia.user_id.as_str()), Some(mia.user_id.as_str()))
    );
    assert_eq!(entries[0]["changes"]["in_app"], false);

    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    let task = json!({"kind": "task", "subject": "Call", "lead_id": lead, "owner_id": mia.user_id});
    app.post("/api/v1/activities").token(&admin.token).json(task.clone()).send().await.ok(201);
    assert!(inbox(&app, &mia).await.is_empty(), "in-app off: nothing is created");
    let past = (Clock::now(&app.clock) - Duration::minutes(1)).to_rfc3339();
    let due = json!({"kind": "task", "subject": "Due", "lead_id": lead, "due_at": past});
    app.post("/api/v1/activities").token(&mia.token).json(due).send().await.ok(201);
    assert_eq!(app.store.send_reminders().await.unwrap().due, 0, "nor any reminder");

    let on = json!({"in_app": true, "email": false, "daily_digest": false});
    app.put("/api/v1/me/notification-preferences").token(&mia.token).json(on).send().await.ok(200);
    let log = app.get("/api/v1/audit?action=notification_preferences.updated").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(log["data"][0]["changes"]["in_app"], json!({"before": false, "after": true}));
    app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201);
    assert_eq!(inbox(&app, &mia).await.len(), 1);
    assert_eq!(app.store.send_reminders().await.unwrap().due, 1, "turned on again: the reminder comes");
    assert_eq!(of_kind(&app, &mia, "task_due").await.len(), 1);
}

async fn the_scheduled_pass_reminds_of_each_occurrence_once(engine: Engine) {
    let app = spawn_app(engine).await;
    // 10:00 UTC tomorrow, so that an hour later is the same day.
    let tomorrow = Clock::now(&app.clock).date_naive().checked_add_days(Days::new(1)).unwrap();
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap()).and_utc());
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let now = Clock::now(&app.clock);
    let stages = json!([{"name": "New", "probability": 10, "rotting_days": 1}, {"name": "Quote", "probability": 50}]);
    let pipeline = app.post("/api/v1/pipelines").token(&admin.token).json(json!({"name": "Sales", "stages": stages})).send().await;
    let pipeline = pipeline.ok(201).clone();
    let deal = app.create_deal(&mia, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 0)})).await;
    let quiet = app.create_deal(&mia, json!({"title": "Quiet", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 1)})).await;
    let lead = id(app.post("/api/v1/leads").token(&mia.token).json(json!({"name": "Sara"})).send().await.ok(201));
    let due_at = now + Duration::hours(1);
    let task = json!({"kind": "task", "subject": "Call Sara", "lead_id": lead, "due_at": due_at.to_rfc3339()});
    let a = id(app.post("/api/v1/activities").token(&mia.token).json(task).send().await.ok(201));
    let done = json!({"kind": "task", "subject": "Done already", "lead_id": lead, "due_at": due_at.to_rfc3339()});
    let d = id(app.post("/api/v1/activities").token(&mia.token).json(done).send().await.ok(201));
    app.post(&format!("/api/v1/activities/{d}/complete")).token(&mia.token).if_match(1).send().await.ok(200);
    let in_two_days = (now + Duration::days(2)).date_naive();
    let birthday = json!({"kind": "birthday", "month": in_two_days.month(), "day": in_two_days.day(), "year": 1990});
    let far = (now + Duration::days(20)).date_naive();
    let later = json!({"kind": "anniversary", "month": far.month(), "day": far.day()});
    let contact = json!({"name": "Sara Ahmadi", "owner_id": mia.user_id, "important_dates": [birthday, later]});
    let c = id(app.post("/api/v1/contacts").token(&mia.token).json(contact).send().await.ok(201));

    kariz_api::maintenance::run_once(&app.store).await;
    let dates = of_kind(&app, &mia, "important_date").await;
    assert_eq!(dates.len(), 1, "only the date within the notice days: {dates:?}");
    assert_eq!(dates[0]["contact_id"], c.as_str());
    assert_eq!(dates[0]["data"]["customer"], json!({"type": "contact", "id": c, "name": "Sara Ahmadi"}));
    assert_eq!(dates[0]["data"]["on"], in_two_days.to_string());
    assert_eq!(dates[0]["data"]["days_left"], 2);
    assert_eq!(dates[0]["data"]["years"], in_two_days.year() - 1990);
    assert!(of_kind(&app, &mia, "task_due").await.is_empty(), "not due yet");

    app.clock.advance(Duration::minutes(61));
    kariz_api::maintenance::run_once(&app.store).await;
    kariz_api::maintenance::run_once(&app.store).await;
    let due = of_kind(&app, &mia, "task_due").await;
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!((due[0]["activity_id"].as_str(), due[0]["lead_id"].as_str()), (Some(a.as_str()), Some(lead.as_str())));
    assert_eq!(due[0]["data"]["activity"]["subject"], "Call Sara");
    assert!(of_kind(&app, &mia, "task_overdue").await.is_empty(), "due today is not overdue");

    // A day later: overdue (its day has passed), and the deal idle past its stage's day rots.
    app.clock.advance(Duration::days(1) + Duration::hours(1));
    kariz_api::maintenance::run_once(&app.store).await;
    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(of_kind(&app, &mia, "task_overdue").await.len(), 1);
    let rotting = of_kind(&app, &mia, "deal_rotting").await;
    assert_eq!(rotting.len(), 1, "only the deal in a stage with rotting days: {rotting:?}");
    assert_eq!(rotting[0]["deal_id"], id(&deal).as_str());
    assert_eq!(rotting[0]["data"]["deal"]["stage_name"], "New");
    assert_eq!(rotting[0]["data"]["deal"]["rotting_days"], 1);
    assert_ne!(rotting[0]["deal_id"], id(&quiet).as_str());
    assert_eq!(of_kind(&app, &mia, "task_due").await.len(), 1);
    assert_eq!(of_kind(&app, &mia, "important_date").await.len(), 1);
    assert!(inbox(&app, &admin).await.is_empty());

    // A second replica's pass on the same database adds nothing either.
    let replica = crate::helpers::spawn_replica(&app, |_| {}).await;
    replica.clock.advance(Clock::now(&app.clock) - Clock::now(&replica.clock));
    kariz_api::maintenance::run_once(&replica.store).await;
    assert_eq!(inbox(&app, &mia).await.len(), 4);

    // Moving the deal on starts a new stay: it rots again a day later, once.
    let mia = relogin(&app, "mia@acme.test").await;
    let fleet = app.deal(&mia, &id(&deal)).await;
    app.move_deal(&mia, &fleet, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    let fleet = app.deal(&mia, &id(&deal)).await;
    app.move_deal(&mia, &fleet, json!({"stage_id": stage_id(&pipeline, 0)})).await.ok(200);
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    kariz_api::maintenance::run_once(&app.store).await;
    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(of_kind(&app, &mia, "deal_rotting").await.len(), 2);
}

async fn a_tehran_users_day_starts_at_half_past_eight_utc_the_day_before(engine: Engine) {
    let app = spawn_app(engine).await;
    // 20:00 UTC tomorrow: 23:30 in Tehran.
    let tomorrow = Clock::now(&app.clock).date_naive().checked_add_days(Days::new(1)).unwrap();
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(20, 0, 0).unwrap()).and_utc());
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;

    let me = app.get("/api/v1/me").token(&mia.token).send().await.ok(200).clone();
    assert_eq!((me["time_zone"].as_str(), me["user"]["time_zone"].as_str()), (Some("UTC"), None));
    let bad = app.patch("/api/v1/me").token(&mia.token).json(json!({"time_zone": "Tehran"})).send().await;
    assert_eq!(bad.error_fields(), ["time_zone"]);
    let reply = app.patch("/api/v1/me").token(&mia.token).json(json!({"time_zone": "Asia/Tehran", "locale": "fa"})).send().await;
    let me = reply.ok(200).clone();
    assert_eq!(
        (me["time_zone"].as_str(), me["locale"].as_str(), me["user"]["locale"].as_str()),
        (Some("Asia/Tehran"), Some("fa"), Some("fa"))
    );
    assert_eq!(app.get("/api/v1/me").token(&mia.token).send().await.ok(200)["user"]["time_zone"], "Asia/Tehran");
    // The workspace's zone is the default of members who chose none.
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"time_zone": "Europe/Berlin"})).send().await.ok(200);
    assert_eq!(app.get("/api/v1/me").token(&admin.token).send().await.ok(200)["time_zone"], "Europe/Berlin");
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"time_zone": "UTC"})).send().await.ok(200);

    // Both due at 20:15 UTC: for Mia, 23:45 in Tehran; for the admin, 20:15 in UTC.
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    let due_at = tomorrow.and_time(NaiveTime::from_hms_opt(20, 15, 0).unwrap()).and_utc().to_rfc3339();
    let hers = json!({"kind": "task", "subject": "Hers", "lead_id": lead, "owner_id": mia.user_id, "due_at": due_at});
    app.post("/api/v1/activities").token(&admin.token).json(hers).send().await.ok(201);
    let his = json!({"kind": "task", "subject": "His", "lead_id": lead, "due_at": due_at});
    app.post("/api/v1/activities").token(&admin.token).json(his).send().await.ok(201);

    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(20, 29, 0).unwrap()).and_utc());
    app.store.send_reminders().await.unwrap();
    assert_eq!(of_kind(&app, &mia, "task_due").await.len(), 1);
    assert!(of_kind(&app, &mia, "task_overdue").await.is_empty(), "23:59 in Tehran: still its day");
    // 20:30 UTC is midnight in Tehran: Mia's task is overdue, the admin's (UTC) is not.
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(20, 31, 0).unwrap()).and_utc());
    app.store.send_reminders().await.unwrap();
    assert_eq!(of_kind(&app, &mia, "task_overdue").await.len(), 1);
    assert!(of_kind(&app, &admin, "task_overdue").await.is_empty());
    set_clock(&app, tomorrow.and_time(NaiveTime::MIN).and_utc() + Duration::days(1) + Duration::minutes(1));
    app.store.send_reminders().await.unwrap();
    assert_eq!(of_kind(&app, &admin, "task_overdue").await.len(), 1);
}

async fn the_daily_digest_is_composed_once_per_local_day_at_eight(engine: Engine) {
    let app = spawn_app(engine).await;
    let tomorrow = Clock::now(&app.clock).date_naive().checked_add_days(Days::new(1)).unwrap();
    // 04:00 UTC: 07:30 in Tehran.
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(4, 0, 0).unwrap()).and_utc());
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    app.patch("/api/v1/me").token(&mia.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    // Due today in Tehran (21:00 UTC the day before is 00:30 there) and tomorrow there.
    let today_there = tomorrow.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap()).and_utc();
    let tomorrow_there = tomorrow.and_time(NaiveTime::from_hms_opt(21, 0, 0).unwrap()).and_utc();
    for (subject, due) in [("Today", today_there), ("Tomorrow", tomorrow_there)] {
        let task = json!({"kind": "task", "subject": subject, "lead_id": lead, "owner_id": mia.user_id, "due_at": due.to_rfc3339()});
        app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201);
    }
    let (workspace, user) = ids(&mia);
    assert_eq!(app.store.send_digests().await.unwrap(), 0, "nobody chose a digest");
    let choice = json!({"in_app": true, "email": false, "daily_digest": true});
    app.put("/api/v1/me/notification-preferences").token(&mia.token).json(choice).send().await.ok(200);
    assert_eq!(app.store.send_digests().await.unwrap(), 0, "07:30 in Tehran");

    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(4, 31, 0).unwrap()).and_utc());
    assert_eq!(app.store.send_digests().await.unwrap(), 1, "08:01 in Tehran");
    assert_eq!(app.store.send_digests().await.unwrap(), 0);
    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(app.store.digests_sent(workspace, user).await.unwrap(), 1);
    let digest = app.store.compose_digest(workspace, user, tomorrow).await.unwrap().unwrap();
    assert_eq!(digest.unread_count, 2);
    assert_eq!(digest.notifications.len(), 2);
    assert_eq!(digest.due_today.iter().map(|a| a.subject.as_str()).collect::<Vec<_>>(), ["Today"]);
    assert_eq!(digest.time_zone.as_str(), "Asia/Tehran");

    // The next local day begins at 20:30 UTC; its digest is due at 04:30 UTC after that.
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(23, 0, 0).unwrap()).and_utc());
    assert_eq!(app.store.send_digests().await.unwrap(), 0, "02:30 in Tehran");
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(4, 30, 0).unwrap()).and_utc() + Duration::days(1));
    assert_eq!(app.store.send_digests().await.unwrap(), 1);
    assert_eq!(app.store.digests_sent(workspace, user).await.unwrap(), 2);
    let next: NaiveDate = tomorrow.checked_add_days(Days::new(1)).unwrap();
    let digest = app.store.compose_digest(workspace, user, next).await.unwrap().unwrap();
    assert_eq!(digest.due_today.iter().map(|a| a.subject.as_str()).collect::<Vec<_>>(), ["Tomorrow"]);
}

async fn the_stream_carries_a_notification_to_its_recipient_only(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let max = app.add_member(&admin, "max@acme.test", "manager").await;
    // A subscription to every event type.
    app.post("/api/v1/webhooks").token(&admin.token).json(json!({"url": "http://127.0.0.1:9/all"})).send().await.ok(201);
    let lead = id(app.post("/api/v1/leads").token(&mia.token).json(json!({"name": "Sara"})).send().await.ok(201));
    let mut hers = open(&app, &mia, None).await;
    let mut admins = open(&app, &admin, None).await;
    let mut managers = open(&app, &max, None).await;

    let task = json!({"kind": "task", "subject": "Call Sara", "lead_id": lead, "owner_id": mia.user_id});
    app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201);
    // Then something every reader gets, to show what came before it.
    let marker = json!({"kind": "note", "subject": "Marker", "lead_id": lead});
    app.post("/api/v1/activities").token(&mia.token).json(marker).send().await.ok(201);

    assert_eq!(hers.event().await.event.as_deref(), Some("activity.created"));
    let notification = hers.event().await;
    assert_eq!(notification.event.as_deref(), Some("notification.created"));
    assert_eq!(notification.data()["data"]["notification"]["user_id"], mia.user_id.as_str());
    assert_eq!(notification.data()["data"]["notification"]["kind"], "task_assigned");
    for stream in [&mut admins, &mut managers] {
        assert_eq!(stream.event().await.event.as_deref(), Some("activity.created"));
        let next = stream.event().await;
        assert_eq!(next.event.as_deref(), Some("activity.created"), "another's notification: {next:?}");
        assert_eq!(next.data()["data"]["activity"]["subject"], "Marker");
    }
    assert_eq!(hers.event().await.data()["data"]["activity"]["subject"], "Marker");

    // Webhook subscriptions never receive it.
    app.store.fan_out(1000).await.unwrap();
    let delivered = app.scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = ?", vec!["notification.created".into()]).await;
    let others = app.scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = ?", vec!["activity.created".into()]).await;
    assert_eq!((delivered, others), (0, 2));
}

async fn erasing_a_person_erases_the_notifications_about_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let soon = (Clock::now(&app.clock) + Duration::days(1)).date_naive();
    let contact = json!({"name": "Sara Ahmadi", "owner_id": mia.user_id,
        "important_dates": [{"kind": "birthday", "month": soon.month(), "day": soon.day()}]});
    let c = id(app.post("/api/v1/contacts").token(&mia.token).json(contact).send().await.ok(201));
    let note = json!({"kind": "note", "subject": "Sara called", "body": format!("@[Mia]({}) she called", mia.user_id), "contact_id": c});
    app.post("/api/v1/activities").token(&admin.token).json(note).send().await.ok(201);
    app.store.send_reminders().await.unwrap();
    let before = inbox(&app, &mia).await;
    assert_eq!(before.len(), 2, "{before:?}");

    app.post(&format!("/api/v1/contacts/{c}/erase")).token(&admin.token).send().await.ok(204);
    assert!(inbox(&app, &mia).await.is_empty());
    for notification in &before {
        assert_eq!(app.event_payload(&id(notification), "notification.created").await, json!({"erased": true}));
    }
}

/// A member who chose email gets each notification as an email in their language, and the
/// daily digest as one; a member who did not gets none.
async fn notifications_and_digests_go_out_by_email_to_those_who_chose_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = crate::smtp_server::SmtpServer::start().await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let sam = app.add_member(&admin, "sam@acme.test", "member").await;
    app.patch("/api/v1/me").token(&mia.token).json(json!({"locale": "fa"})).send().await.ok(200);
    let choice = json!({"in_app": true, "email": true, "daily_digest": true});
    app.put("/api/v1/me/notification-preferences").token(&mia.token).json(choice).send().await.ok(200);
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await.ok(201));
    for (owner, subject) in [(&mia, "Call Sara"), (&sam, "Email Sara")] {
        let task =
            json!({"kind": "task", "subject": subject, "lead_id": lead, "owner_id": owner.user_id, "due_at": "2030-01-01T09:00:00Z"});
        app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201);
    }
    assert_eq!(crate::emails::mailer(&app, &server).run_once().await.unwrap(), 1, "Mia chose email; Sam did not");
    let received = server.received();
    assert_eq!(received[0].rcpt_to, vec!["mia@acme.test".to_owned()]);
    assert_eq!(received[0].subject(), "Test Admin کاری به شما سپرد: «Call Sara»");
    assert!(received[0].part("text/html").unwrap().contains("dir=\"rtl\""));

    // Her digest at 08:00 in her zone (UTC by default): the unread notification.
    let tomorrow = Clock::now(&app.clock).date_naive().checked_add_days(Days::new(1)).unwrap();
    set_clock(&app, tomorrow.and_time(NaiveTime::from_hms_opt(8, 1, 0).unwrap()).and_utc());
    assert_eq!(app.store.send_digests().await.unwrap(), 1);
    assert_eq!(crate::emails::mailer(&app, &server).run_once().await.unwrap(), 1);
    let digest = server.received().pop().unwrap();
    assert_eq!(digest.rcpt_to, vec!["mia@acme.test".to_owned()]);
    assert_eq!(digest.subject(), "خلاصهٔ امروز: ۱ اعلان خوانده‌نشده، ۰ کار");
    assert!(digest.part("text/plain").unwrap().contains("«Call Sara»"), "{}", digest.data);
}
