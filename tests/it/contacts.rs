use chrono::{Datelike, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    contacts_are_created_read_updated_and_deleted,
    invalid_contacts_are_refused_field_by_field,
    custom_fields_are_merged_and_dropped_with_their_definition,
    a_phone_in_any_spelling_is_one_number,
    segment_filters_narrow_the_list,
    lists_page_by_name_and_by_age,
    upcoming_dates_wrap_the_year_and_keep_leap_day_birthdays,
    jalali_dates_recur_on_their_jalali_day,
);

async fn create(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/contacts").token(&session.token).json(body).send().await.ok(201).clone()
}

/// The names of the contacts `GET /contacts?{query}` returns, in order.
async fn names(app: &TestApp, session: &Session, query: &str) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/contacts?{query}")).token(&session.token).send().await;
    reply.ok(200)["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

async fn contacts_are_created_read_updated_and_deleted(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let reply = app
        .post("/api/v1/contacts")
        .token(&admin.token)
        .json(json!({
            "name": " Sara Ahmadi ", "email": "Sara@Pars-Logistics.IR", "phone": "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", "job_title": "Fleet manager",
            "city": "Tehran", "country": "ir", "tags": ["vip", "VIP", "expo-1405"], "notes": "Met at the expo",
            "important_dates": [
                {"kind": "custom", "label": "First order", "month": 6, "day": 1},
                {"kind": "birthday", "month": 3, "day": 21, "year": 1990}
            ]
        }))
        .send()
        .await;
    let contact = reply.ok(201).clone();
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(reply.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/contacts/{}", id(&contact)));
    assert_eq!(contact["name"], "Sara Ahmadi");
    assert_eq!(contact["email"], "sara@pars-logistics.ir", "emails are stored lower-case");
    assert_eq!(contact["phone"], "+989121234567", "phones are stored in E.164");
    assert_eq!(contact["country"], "IR");
    assert_eq!(contact["tags"], json!(["vip", "expo-1405"]));
    assert_eq!(contact["owner_id"], admin.user_id.as_str(), "the creator owns it by default");
    assert_eq!(contact["custom_fields"], json!({}));
    assert_eq!(
        contact["important_dates"],
        json!([
            {"kind": "birthday", "label": null, "calendar": "gregorian", "month": 3, "day": 21, "year": 1990},
            {"kind": "custom", "label": "First order", "calendar": "gregorian", "month": 6, "day": 1, "year": null}
        ]),
        "in calendar order"
    );

    // The event carries the contact exactly as the API returned it.
    assert_eq!(app.event_count(&id(&contact), "contact.created").await, 1);
    assert_eq!(app.event_payload(&id(&contact), "contact.created").await, json!({"contact": contact}));

    let path = format!("/api/v1/contacts/{}", id(&contact));
    let read = app.get(&path).token(&admin.token).send().await;
    assert_eq!(read.etag(), "\"1\"");
    assert_eq!(
        (read.ok(200)["email"].clone(), read.body["important_dates"].clone()),
        (contact["email"].clone(), contact["important_dates"].clone())
    );

    app.patch(&path).token(&admin.token).json(json!({"city": "Karaj"})).send().await.problem(428);
    let updated = app
        .patch(&path)
        .token(&admin.token)
        .if_match(1)
        .json(json!({"city": "Karaj", "email": null, "important_dates": [{"kind": "anniversary", "month": 9, "day": 1}]}))
        .send()
        .await;
    assert_eq!(updated.ok(200)["version"], 2);
    assert_eq!(updated.etag(), "\"2\"");
    assert_eq!((updated.body["city"].as_str(), updated.body["email"].clone()), (Some("Karaj"), Value::Null));
    assert_eq!(
        updated.body["important_dates"],
        json!([{"kind": "anniversary", "label": null, "calendar": "gregorian", "month": 9, "day": 1, "year": null}])
    );
    assert_eq!(updated.body["phone"], "+989121234567", "fields not sent are kept");

    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"city": "Qom"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 2);
    app.patch(&path).token(&admin.token).json(json!({"city": "Qom", "version": 1})).send().await.problem(412);
    let now = app.get(&path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!((now["city"].as_str(), now["version"].as_i64()), (Some("Karaj"), Some(2)), "stale writes change nothing");
    // The same phone in another spelling is no change at all.
    let same = app.patch(&path).token(&admin.token).if_match(2).json(json!({"phone": "0912 123 4567", "city": "Karaj"})).send().await;
    assert_eq!(same.ok(200)["version"], 2);

    app.delete(&path).token(&admin.token).if_match(1).send().await.problem(412);
    assert_eq!(app.delete(&path).token(&admin.token).if_match(2).send().await.status, 204);
    app.get(&path).token(&admin.token).send().await.problem(404);
    let dates = app.scalar("SELECT COUNT(*) FROM important_dates", vec![]).await;
    assert_eq!(dates, 0, "its dates went with it");
}

async fn invalid_contacts_are_refused_field_by_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let fields = |body: Value| {
        let app = &app;
        let token = admin.token.clone();
        async move {
            let reply = app.post("/api/v1/contacts").token(&token).json(body).send().await;
            let mut fields = reply.error_fields();
            fields.sort();
            fields
        }
    };
    assert_eq!(
        fields(json!({"name": " ", "email": "sara@", "phone": "0912-CALL-NOW", "country": "XX", "tags": ["a\"b"]})).await,
        ["country", "email", "name", "phone", "tags"]
    );
    assert_eq!(fields(json!({"name": "Sara", "country": "IRN"})).await, ["country"]);
    assert_eq!(fields(json!({"name": "Sara", "custom_fields": {"shoe_size": 42}})).await, ["custom_fields.shoe_size"]);
    assert_eq!(
        fields(json!({"name": "Sara", "important_dates": [
            {"kind": "birthday", "month": 2, "day": 30},
            {"kind": "custom", "month": 1, "day": 1},
            {"kind": "anniversary", "month": 2, "day": 29, "year": 2001}
        ]}))
        .await,
        ["important_dates.0.day", "important_dates.1.label", "important_dates.2.day"]
    );
    assert_eq!(
        fields(json!({"name": "Sara", "important_dates": [{"kind": "anniversary", "month": 13, "day": 1}]})).await,
        ["important_dates.0.month"]
    );
    assert_eq!(
        fields(json!({"name": "Sara", "important_dates": [{"kind": "birthday", "month": 1, "day": 1}, {"kind": "birthday", "month": 2, "day": 2}]}))
            .await,
        ["important_dates"]
    );
    assert_eq!(
        fields(json!({"name": "Sara", "important_dates": [{"kind": "wedding", "month": 1, "day": 1}]})).await,
        ["important_dates.0.kind"]
    );
    assert_eq!(fields(json!({"name": "Sara", "company": "Acme"})).await, ["company"]);
    assert_eq!(fields(json!({"name": "Sara", "organization_id": uuid::Uuid::now_v7()})).await, ["organization_id"]);
    assert_eq!(fields(json!({"name": "Sara", "owner_id": uuid::Uuid::now_v7()})).await, ["owner_id"]);

    let contact = create(&app, &admin, json!({"name": "Sara"})).await;
    let path = format!("/api/v1/contacts/{}", id(&contact));
    let patch = app.patch(&path).token(&admin.token).if_match(1).json(json!({"phone": "12", "country": ""})).send().await;
    let mut fields = patch.error_fields();
    fields.sort();
    assert_eq!(fields, ["country", "phone"]);
    assert_eq!(app.event_count(&id(&contact), "contact.created").await, 1, "refused requests wrote nothing");
}

async fn custom_fields_are_merged_and_dropped_with_their_definition(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.define_field(&admin, "contact", "segment", "select", &["smb", "enterprise"]).await;
    app.define_field(&admin, "contact", "fleet_size", "number", &[]).await;
    app.define_field(&admin, "contact", "met_on", "date", &[]).await;
    let contact = create(&app, &admin, json!({"name": "Sara", "custom_fields": {"segment": "smb", "fleet_size": 40}})).await;
    assert_eq!(contact["custom_fields"], json!({"segment": "smb", "fleet_size": 40}));
    let path = format!("/api/v1/contacts/{}", id(&contact));

    let merged = app
        .patch(&path)
        .token(&admin.token)
        .if_match(1)
        .json(json!({"custom_fields": {"fleet_size": null, "met_on": "2026-11-20"}}))
        .send()
        .await;
    assert_eq!(merged.ok(200)["custom_fields"], json!({"segment": "smb", "met_on": "2026-11-20"}), "null removes, the rest is kept");
    let wrong =
        app.patch(&path).token(&admin.token).if_match(2).json(json!({"custom_fields": {"segment": "huge", "colour": "red"}})).send().await;
    let mut fields = wrong.error_fields();
    fields.sort();
    assert_eq!(fields, ["custom_fields.colour", "custom_fields.segment"]);

    // Deleting a definition drops its values from the contact when it is next saved.
    let workspace_id = kariz_domain::WorkspaceId::from(admin.workspace_id.parse::<uuid::Uuid>().unwrap());
    let definitions = app.store.field_definitions(workspace_id, Some(kariz_domain::custom_fields::FieldEntity::Contact)).await.unwrap();
    let segment = definitions.iter().find(|d| d.definition.key == "segment").unwrap();
    app.store.delete_field_definition(workspace_id, segment.id).await.unwrap();
    let saved = app.patch(&path).token(&admin.token).if_match(2).json(json!({"job_title": "CEO"})).send().await;
    assert_eq!(saved.ok(200)["custom_fields"], json!({"met_on": "2026-11-20"}));
    let read = app.get(&path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(read["custom_fields"], json!({"met_on": "2026-11-20"}));
}

async fn a_phone_in_any_spelling_is_one_number(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let org = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars  Logistics"})).send().await.ok(201).clone();
    create(&app, &admin, json!({"name": "Sara Ahmadi", "phone": "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", "organization_id": id(&org)})).await;
    create(&app, &admin, json!({"name": "Reza Karimi", "phone": "0935 765 4321", "email": "reza@example.com"})).await;

    for spelling in ["09121234567", "0912%20123%204567", "%2B989121234567", "00989121234567", "۰۹۱۲۱۲۳", "912-123"] {
        assert_eq!(names(&app, &admin, &format!("q={spelling}")).await, ["Sara Ahmadi"], "{spelling}");
    }
    let by_filter = app.get("/api/v1/contacts?q=0935%207654321").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(by_filter["data"][0]["phone"], "+989357654321");
    assert_eq!(names(&app, &admin, "q=sara").await, ["Sara Ahmadi"], "names, ignoring case");
    assert_eq!(names(&app, &admin, "q=EXAMPLE.com").await, ["Reza Karimi"], "emails");
    assert_eq!(names(&app, &admin, "q=pars%20logistics").await, ["Sara Ahmadi"], "the organization's name");
    assert!(names(&app, &admin, "q=50%25").await.is_empty(), "wildcards are taken literally");
}

async fn segment_filters_narrow_the_list(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.define_field(&admin, "contact", "segment", "select", &["smb", "enterprise"]).await;
    app.define_field(&admin, "contact", "fleet_size", "number", &[]).await;
    app.define_field(&admin, "contact", "visited_booth", "boolean", &[]).await;
    let org = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars"})).send().await.ok(201).clone();
    create(
        &app,
        &admin,
        json!({"name": "Sara", "city": "Tehran", "country": "IR", "tags": ["VIP", "expo"],
        "organization_id": id(&org), "custom_fields": {"segment": "enterprise", "fleet_size": 40, "visited_booth": true}}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"name": "Reza", "city": "tehran", "country": "IR", "tags": ["expo_2"],
        "custom_fields": {"segment": "smb", "fleet_size": 400}}),
    )
    .await;
    create(&app, &admin, json!({"name": "Anna", "city": "Berlin", "country": "DE", "tags": ["vip"], "custom_fields": {"fleet_size": 4.5}}))
        .await;

    assert_eq!(names(&app, &admin, "city=TEHRAN").await, ["Reza", "Sara"]);
    assert_eq!(names(&app, &admin, "country=de").await, ["Anna"]);
    assert_eq!(names(&app, &admin, "tag=vip").await, ["Anna", "Sara"], "tags ignore case");
    assert_eq!(names(&app, &admin, "tag=expo").await, ["Sara"], "a tag matches whole, not as a prefix");
    assert_eq!(names(&app, &admin, "tag=expo_2").await, ["Reza"]);
    assert!(names(&app, &admin, "tag=expo%252").await.is_empty(), "wildcards in tags are literal");
    assert_eq!(names(&app, &admin, &format!("organization_id={}", id(&org))).await, ["Sara"]);
    assert_eq!(names(&app, &admin, &format!("owner_id={}", admin.user_id)).await, ["Anna", "Reza", "Sara"]);
    assert_eq!(names(&app, &admin, "cf.segment=smb").await, ["Reza"]);
    assert_eq!(names(&app, &admin, "cf.fleet_size=40").await, ["Sara"], "40 is not 400");
    assert_eq!(names(&app, &admin, "cf.fleet_size=40.0").await, ["Sara"], "numbers compare as numbers");
    assert_eq!(names(&app, &admin, "cf.fleet_size=4.5").await, ["Anna"]);
    assert_eq!(names(&app, &admin, "cf.visited_booth=true").await, ["Sara"]);
    assert_eq!(names(&app, &admin, "cf.segment=Enterprise").await, Vec::<String>::new(), "select values are exact");
    assert_eq!(names(&app, &admin, "city=tehran&tag=vip&cf.segment=enterprise&country=IR").await, ["Sara"], "filters combine");

    app.get("/api/v1/contacts?cf.colour=red").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/contacts?cf.fleet_size=many").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/contacts?country=XX").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/contacts?sort=age").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/contacts?age_min=40&age_max=30").token(&admin.token).send().await.problem(400);
}

/// A birthday `years` years ago today (28 February for a 29 February today).
fn born_years_ago(years: i32) -> Value {
    let today = Utc::now().date_naive();
    let day = today.with_year(today.year() - years).unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year() - years, 2, 28).unwrap());
    json!([{"kind": "birthday", "month": day.month(), "day": day.day(), "year": day.year()}])
}

async fn lists_page_by_name_and_by_age(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    create(&app, &admin, json!({"name": "bahram", "important_dates": born_years_ago(30)})).await;
    create(&app, &admin, json!({"name": "Arash", "important_dates": born_years_ago(40)})).await;
    create(&app, &admin, json!({"name": "Darya", "important_dates": born_years_ago(29)})).await;
    create(&app, &admin, json!({"name": "Chalipa", "important_dates": [{"kind": "birthday", "month": 1, "day": 1}]})).await;
    create(&app, &admin, json!({"name": "Elham"})).await;

    assert_eq!(names(&app, &admin, "age_min=35").await, ["Arash"]);
    assert_eq!(names(&app, &admin, "age_max=35").await, ["Darya", "bahram"]);
    assert_eq!(names(&app, &admin, "age_min=30&age_max=30").await, ["bahram"], "turning 30 today counts as 30");
    assert_eq!(names(&app, &admin, "age_min=29&age_max=39&sort=name").await, ["bahram", "Darya"]);
    assert!(names(&app, &admin, "age_min=31&age_max=39").await.is_empty());

    // Pages by name, ignoring case, each ending with a cursor to the next.
    let seen = pages_by_name(&app, &admin).await;
    assert_eq!(seen, ["Arash", "bahram", "Chalipa", "Darya", "Elham"]);
    assert_eq!(names(&app, &admin, "").await, ["Elham", "Chalipa", "Darya", "Arash", "bahram"], "newest first by default");
    let newest = app.get("/api/v1/contacts?limit=1").token(&admin.token).send().await.ok(200).clone();
    let cursor = newest["next_cursor"].as_str().unwrap();
    app.get(&format!("/api/v1/contacts?sort=name&cursor={cursor}")).token(&admin.token).send().await.problem(400);

    // Names equal but for case go by their ids, across a page's end too.
    create(&app, &admin, json!({"name": "elham"})).await;
    create(&app, &admin, json!({"name": "ELHAM"})).await;
    assert_eq!(pages_by_name(&app, &admin).await, ["Arash", "bahram", "Chalipa", "Darya", "Elham", "elham", "ELHAM"]);
}

/// Every contact's name, paging by name two at a time.
async fn pages_by_name(app: &TestApp, admin: &Session) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("/api/v1/contacts?sort=name&limit=2&cursor={c}"),
            None => "/api/v1/contacts?sort=name&limit=2".to_owned(),
        };
        let page = app.get(&query).token(&admin.token).send().await.ok(200).clone();
        seen.extend(page["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
}

async fn upcoming_dates_wrap_the_year_and_keep_leap_day_birthdays(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let sara = create(
        &app,
        &admin,
        json!({"name": "Sara", "important_dates": [
            {"kind": "birthday", "month": 1, "day": 5, "year": 1990},
            {"kind": "anniversary", "month": 12, "day": 25},
            {"kind": "custom", "label": "Contract renewal", "month": 12, "day": 19}
        ]}),
    )
    .await;
    let leap =
        create(&app, &admin, json!({"name": "Leila", "important_dates": [{"kind": "birthday", "month": 2, "day": 29, "year": 2000}]}))
            .await;
    let org = app
        .post("/api/v1/organizations")
        .token(&admin.token)
        .json(json!({"name": "Pars", "founded_on": "2010-01-10", "important_dates": [{"kind": "custom", "label": "Fiscal year", "month": 3, "day": 21}]}))
        .send()
        .await
        .ok(201)
        .clone();

    let upcoming = |query: &'static str| {
        let (app, token) = (&app, admin.token.clone());
        async move { app.get(&format!("/api/v1/contacts/upcoming-dates?{query}")).token(&token).send().await.ok(200)["data"].clone() }
    };
    assert_eq!(
        upcoming("today=2026-12-20&days=30").await,
        json!([
            {"date": "2026-12-25", "kind": "anniversary", "calendar": "gregorian", "label": null, "contact_id": id(&sara), "organization_id": null, "name": "Sara", "years": null},
            {"date": "2027-01-05", "kind": "birthday", "calendar": "gregorian", "label": null, "contact_id": id(&sara), "organization_id": null, "name": "Sara", "years": 37},
            {"date": "2027-01-10", "kind": "founding", "calendar": "gregorian", "label": null, "contact_id": null, "organization_id": id(&org), "name": "Pars", "years": 17},
        ]),
        "the window wraps into January; 19 December has passed"
    );
    let leap_day = |date: &str, years: i64| json!([{"date": date, "kind": "birthday", "calendar": "gregorian", "label": null, "contact_id": id(&leap), "organization_id": null, "name": "Leila", "years": years}]);
    assert_eq!(upcoming("today=2027-02-20&days=8").await, leap_day("2027-02-28", 27), "on 28 February in a common year");
    assert_eq!(upcoming("today=2028-02-20&days=9").await, leap_day("2028-02-29", 28));
    assert_eq!(upcoming("today=2028-02-20&days=8").await, json!([]), "in a leap year, not a day early");
    assert_eq!(upcoming("today=2026-12-19&days=0").await[0]["label"], "Contract renewal", "today is included");
    assert_eq!(upcoming("today=2027-03-01&days=366").await.as_array().unwrap().len(), 6, "a whole year holds every date");

    app.get("/api/v1/contacts/upcoming-dates?days=367").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/contacts/upcoming-dates?today=2027-02-30").token(&admin.token).send().await.problem(400);
    let default = app.get("/api/v1/contacts/upcoming-dates").token(&admin.token).send().await;
    assert!(default.ok(200)["data"].is_array());
}

async fn jalali_dates_recur_on_their_jalali_day(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    // Born 1 Mehr 1370 (23 September 1991); married on 30 Esfand, which only leap years have.
    let reza = create(
        &app,
        &admin,
        json!({"name": "Reza", "important_dates": [
            {"kind": "birthday", "calendar": "jalali", "month": 7, "day": 1, "year": 1370},
            {"kind": "anniversary", "calendar": "jalali", "month": 12, "day": 30}
        ]}),
    )
    .await;
    assert_eq!(
        reza["important_dates"][0],
        json!({"kind": "birthday", "label": null, "calendar": "jalali", "month": 7, "day": 1, "year": 1370})
    );
    // Ages count Jalali years from a Jalali birthday: 1370 is 34 or more today, not 600.
    let aged = |query: &'static str| {
        let (app, token) = (&app, admin.token.clone());
        async move { app.get(&format!("/api/v1/contacts?{query}")).token(&token).send().await.ok(200)["data"].as_array().unwrap().len() }
    };
    assert_eq!(aged("age_min=34&age_max=60").await, 1);
    assert_eq!(aged("age_min=100").await, 0);

    let upcoming = |query: &'static str| {
        let (app, token) = (&app, admin.token.clone());
        async move { app.get(&format!("/api/v1/contacts/upcoming-dates?{query}")).token(&token).send().await.ok(200)["data"].clone() }
    };
    let on = |data: &Value| {
        data.as_array().unwrap().iter().map(|d| (d["date"].as_str().unwrap().to_owned(), d["years"].clone())).collect::<Vec<_>>()
    };
    // 1 Mehr is 22 September in 2024 (1403) and 23 September in 2025 (1404).
    assert_eq!(on(&upcoming("today=2024-09-20&days=5").await), [("2024-09-22".to_owned(), json!(33))]);
    assert_eq!(on(&upcoming("today=2025-09-20&days=5").await), [("2025-09-23".to_owned(), json!(34))]);
    assert_eq!(upcoming("today=2025-09-20&days=2").await, json!([]), "not on the Gregorian day of a past year");
    assert_eq!(upcoming("today=2025-09-20&days=5").await[0]["calendar"], "jalali");
    // 30 Esfand 1403 is 20 March 2025; 1404 is a common year, so it comes on 29 Esfand (20 March
    // 2026), and the window over Nowruz wraps into the next Jalali year.
    assert_eq!(on(&upcoming("today=2025-03-15&days=10").await), [("2025-03-20".to_owned(), Value::Null)]);
    assert_eq!(on(&upcoming("today=2026-03-15&days=10").await), [("2026-03-20".to_owned(), Value::Null)]);
    assert_eq!(upcoming("today=2026-03-21&days=30").await, json!([]));

    let refused = app
        .post("/api/v1/contacts")
        .token(&admin.token)
        .json(
            json!({"name": "Nima", "important_dates": [{"kind": "birthday", "calendar": "jalali", "month": 12, "day": 30, "year": 1404}]}),
        )
        .send()
        .await
        .problem(422)
        .clone();
    assert!(refused.to_string().contains("important_dates.0.day"), "{refused}");
    let mehr_31 = app
        .post("/api/v1/contacts")
        .token(&admin.token)
        .json(json!({"name": "Nima", "important_dates": [{"kind": "birthday", "calendar": "jalali", "month": 7, "day": 31}]}))
        .send()
        .await;
    mehr_31.problem(422);
}
