//! The calendar feed: its secret URL (made, shown again, rotated, revoked), and the iCalendar it
//! serves parsed back: the caller's open activities with a due time and their customers'
//! important dates (a Jalali one on its Gregorian days), escaped and folded as RFC 5545 says.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use crate::helpers::{Engine, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(the_feed_lists_open_activities_and_owned_customers_dates, a_rotated_or_revoked_feed_is_not_found);

/// The events of a calendar: each a map of property name (parameters dropped) to raw value.
fn events(ics: &str) -> Vec<HashMap<String, String>> {
    assert!(ics.ends_with("\r\n"), "lines end with CRLF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare line feed in {line:?}");
    }
    let unfolded = ics.replace("\r\n ", "");
    let mut found = Vec::new();
    let mut current: Option<HashMap<String, String>> = None;
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').unwrap();
        let name = name.split(';').next().unwrap().to_owned();
        match (name.as_str(), value) {
            ("BEGIN", "VEVENT") => current = Some(HashMap::new()),
            ("END", "VEVENT") => found.push(current.take().unwrap()),
            _ => {
                if let Some(event) = current.as_mut() {
                    event.insert(name, value.to_owned());
                }
            }
        }
    }
    found
}

/// A TEXT value as written before escaping.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

async fn the_feed_lists_open_activities_and_owned_customers_dates(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    assert_eq!(app.get("/api/v1/me/calendar").token(&mia.token).send().await.ok(200)["url"], serde_json::Value::Null);
    let feed = app.post("/api/v1/me/calendar/rotate").token(&mia.token).send().await.ok(200).clone();
    let path = feed["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/calendar/") && path.ends_with(".ics"), "{path}");
    assert!(feed["url"].as_str().unwrap().ends_with(&path));
    assert_eq!(app.get("/api/v1/me/calendar").token(&mia.token).send().await.ok(200)["path"], path.as_str(), "shown again");

    let lead = id(app.post("/api/v1/leads").token(&mia.token).json(json!({"name": "Sara"})).send().await.ok(201));
    let subject = "Call Sara, then; quote \\ price";
    let open = json!({"kind": "task", "subject": subject, "body": "line one\nline two", "lead_id": lead, "due_at": "2031-03-04T09:30:00Z"});
    let a = id(app.post("/api/v1/activities").token(&mia.token).json(open).send().await.ok(201));
    let long = "پیگیری پیش‌فاکتور ناوگان ".repeat(8);
    let long_task = json!({"kind": "call", "subject": long.trim(), "lead_id": lead, "due_at": "2031-03-05T09:30:00Z"});
    app.post("/api/v1/activities").token(&mia.token).json(long_task).send().await.ok(201);
    let done = json!({"kind": "task", "subject": "Done", "lead_id": lead, "due_at": "2031-03-04T09:30:00Z"});
    let d = id(app.post("/api/v1/activities").token(&mia.token).json(done).send().await.ok(201));
    app.post(&format!("/api/v1/activities/{d}/complete")).token(&mia.token).if_match(1).send().await.ok(200);
    let undated = json!({"kind": "task", "subject": "Someday", "lead_id": lead});
    app.post("/api/v1/activities").token(&mia.token).json(undated).send().await.ok(201);
    let others = json!({"kind": "task", "subject": "The admin's", "lead_id": lead, "due_at": "2031-03-04T09:30:00Z"});
    app.post("/api/v1/activities").token(&admin.token).json(others).send().await.ok(201);
    // Sara's birthday is 1 Mehr (Jalali): 22 or 23 September.
    let sara = json!({"name": "Sara Ahmadi", "owner_id": mia.user_id,
        "important_dates": [{"kind": "birthday", "calendar": "jalali", "month": 7, "day": 1, "year": 1370}]});
    let c = id(app.post("/api/v1/contacts").token(&mia.token).json(sara).send().await.ok(201));
    let not_hers = json!({"name": "Reza", "important_dates": [{"kind": "birthday", "month": 1, "day": 10}]});
    app.post("/api/v1/contacts").token(&admin.token).json(not_hers).send().await.ok(201);

    let reply = app.get(&path).send().await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type(), "text/calendar; charset=utf-8");
    assert!(reply.text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(reply.text.ends_with("END:VCALENDAR\r\n"));
    assert!(reply.text.contains("Call Sara\\, then\\; quote \\\\ price"), "{}", reply.text);
    let found = events(&reply.text);
    let summaries: Vec<String> = found.iter().map(|e| unescape(&e["SUMMARY"])).collect();
    assert!(!summaries.iter().any(|s| s == "Done" || s == "Someday" || s == "The admin's" || s.contains("Reza")), "{summaries:?}");

    let task = found.iter().find(|e| e["UID"] == format!("activity-{a}@kariz")).expect("the open task");
    assert_eq!(unescape(&task["SUMMARY"]), subject);
    assert_eq!(unescape(&task["DESCRIPTION"]), "line one\nline two");
    assert_eq!((task["DTSTART"].as_str(), task["DTEND"].as_str()), ("20310304T093000Z", "20310304T100000Z"));
    assert!(summaries.contains(&long.trim().to_owned()), "a folded line unfolds to its text");

    let birthdays: Vec<&HashMap<String, String>> = found.iter().filter(|e| e["UID"].starts_with("date-")).collect();
    assert!((2..=3).contains(&birthdays.len()), "two years of occurrences: {birthdays:?}");
    for birthday in &birthdays {
        let day = NaiveDate::parse_from_str(&birthday["DTSTART"], "%Y%m%d").unwrap();
        let jalali = kariz_domain::dates::jalali(day);
        assert_eq!((jalali.month(), jalali.day(), day.month()), (7, 1, 9), "{day}");
        let years = jalali.year() - 1370;
        assert_eq!(unescape(&birthday["SUMMARY"]), format!("Birthday: Sara Ahmadi ({years})"));
        assert_eq!(birthday["DTEND"], day.succ_opt().unwrap().format("%Y%m%d").to_string());
        assert_eq!(birthday["TRANSP"], "TRANSPARENT");
    }
    assert!(!c.is_empty());

    // In Persian, with Persian digits.
    app.patch("/api/v1/me").token(&mia.token).json(json!({"locale": "fa"})).send().await.ok(200);
    let persian = events(&app.get(&path).send().await.text);
    let birthday = persian.iter().find(|e| e["UID"].starts_with("date-")).unwrap();
    assert!(unescape(&birthday["SUMMARY"]).starts_with("تولد: Sara Ahmadi (۳"), "{}", birthday["SUMMARY"]);
}

async fn a_rotated_or_revoked_feed_is_not_found(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let first = app.post("/api/v1/me/calendar/rotate").token(&admin.token).send().await.ok(200)["path"].as_str().unwrap().to_owned();
    app.get(&first).send().await.ok(200);
    let second = app.post("/api/v1/me/calendar/rotate").token(&admin.token).send().await.ok(200)["path"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    app.get(&first).send().await.problem(404);
    app.get(&second).send().await.ok(200);
    app.get("/api/v1/calendar/not-a-token.ics").send().await.problem(404);
    app.get(&second.replace(".ics", "")).send().await.problem(404);

    app.delete("/api/v1/me/calendar").token(&admin.token).send().await.ok(204);
    app.get(&second).send().await.problem(404);
    app.delete("/api/v1/me/calendar").token(&admin.token).send().await.problem(404);
    assert_eq!(app.get("/api/v1/me/calendar").token(&admin.token).send().await.ok(200)["url"], serde_json::Value::Null);

    // A deactivated user's feed stops too.
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let hers = app.post("/api/v1/me/calendar/rotate").token(&mia.token).send().await.ok(200)["path"].as_str().unwrap().to_owned();
    app.get(&hers).send().await.ok(200);
    app.delete(&format!("/api/v1/users/{}", mia.user_id)).token(&admin.token).send().await.ok(204);
    app.get(&hers).send().await.problem(404);
}
