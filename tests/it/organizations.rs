use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    organizations_are_created_read_updated_and_deleted,
    invalid_organizations_are_refused_field_by_field,
    organization_lists_search_filter_and_page,
    organization_names_fold_arabic_and_persian_letters_and_digits,
);

async fn create(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/organizations").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn names(app: &TestApp, session: &Session, query: &str) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/organizations?{query}")).token(&session.token).send().await;
    reply.ok(200)["data"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_owned()).collect()
}

async fn organizations_are_created_read_updated_and_deleted(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let reply = app
        .post("/api/v1/organizations")
        .token(&admin.token)
        .json(json!({
            "name": "Pars Logistics", "domain": "www.Pars-Logistics.IR", "industry": "Logistics",
            "phone": "۰۲۱ ۸۸۸۸ ۱۲۳۴", "city": "Tehran", "country": "ir", "tags": ["fleet"], "founded_on": "2010-01-10",
            "important_dates": [{"kind": "anniversary", "label": "Partnership", "month": 5, "day": 2, "year": 2020}]
        }))
        .send()
        .await;
    let org = reply.ok(201).clone();
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(reply.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/organizations/{}", id(&org)));
    assert_eq!(
        (org["domain"].as_str(), org["phone"].as_str(), org["country"].as_str()),
        (Some("pars-logistics.ir"), Some("+982188881234"), Some("IR"))
    );
    assert_eq!((org["founded_on"].as_str(), org["contacts_count"].as_i64()), (Some("2010-01-10"), Some(0)));
    assert_eq!(
        org["important_dates"],
        json!([{"kind": "anniversary", "label": "Partnership", "calendar": "gregorian", "month": 5, "day": 2, "year": 2020}])
    );
    assert_eq!(org["owner_id"], admin.user_id.as_str());

    // Names are unique per workspace, ignoring case and spacing.
    let twin = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": " pars  LOGISTICS"})).send().await;
    assert!(twin.problem(409)["detail"].as_str().unwrap().contains(&id(&org)));

    let path = format!("/api/v1/organizations/{}", id(&org));
    for name in ["Sara", "Reza"] {
        app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": name, "organization_id": id(&org)})).send().await.ok(201);
    }
    let read = app.get(&path).token(&admin.token).send().await;
    assert_eq!((read.ok(200)["contacts_count"].as_i64(), read.etag()), (Some(2), "\"1\"".to_owned()));
    assert_eq!(read.body["founded_on"], "2010-01-10");

    app.patch(&path).token(&admin.token).json(json!({"industry": "Freight"})).send().await.problem(428);
    let updated = app
        .patch(&path)
        .token(&admin.token)
        .if_match(1)
        .json(json!({"industry": "Freight", "domain": null, "founded_on": "2011-02-01", "important_dates": []}))
        .send()
        .await;
    assert_eq!((updated.ok(200)["version"].as_i64(), updated.etag()), (Some(2), "\"2\"".to_owned()));
    assert_eq!((updated.body["industry"].as_str(), updated.body["domain"].clone()), (Some("Freight"), Value::Null));
    assert_eq!((updated.body["founded_on"].as_str(), updated.body["important_dates"].clone()), (Some("2011-02-01"), json!([])));
    assert_eq!(updated.body["contacts_count"], 2);
    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"industry": "Retail"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 2);
    let renamed = app.patch(&path).token(&admin.token).if_match(2).json(json!({"name": "PARS logistics"})).send().await;
    assert_eq!(renamed.ok(200)["name"], "PARS logistics", "a new spelling of its own name is no clash");
    let other = create(&app, &admin, json!({"name": "Kavir"})).await;
    let clash = app
        .patch(&format!("/api/v1/organizations/{}", id(&other)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"name": "pars Logistics"}))
        .send()
        .await;
    clash.problem(409);
    let founding = app.scalar("SELECT COUNT(*) FROM important_dates WHERE kind = 'founding'", vec![]).await;
    assert_eq!(founding, 1, "founded_on is one founding date, replaced on change");

    app.delete(&path).token(&admin.token).if_match(1).send().await.problem(412);
    assert_eq!(app.delete(&path).token(&admin.token).if_match(3).send().await.status, 204);
    app.get(&path).token(&admin.token).send().await.problem(404);
    let contacts = app.get("/api/v1/contacts").token(&admin.token).send().await.ok(200).clone();
    for contact in contacts["data"].as_array().unwrap() {
        assert_eq!((contact["organization_id"].clone(), contact["version"].as_i64()), (Value::Null, Some(2)), "contacts stay, unlinked");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM important_dates", vec![]).await, 0);
}

async fn invalid_organizations_are_refused_field_by_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let fields = |body: Value| {
        let (app, token) = (&app, admin.token.clone());
        async move {
            let reply = app.post("/api/v1/organizations").token(&token).json(body).send().await;
            let mut fields = reply.error_fields();
            fields.sort();
            fields
        }
    };
    assert_eq!(
        fields(json!({"name": "  ", "domain": "https://acme.com/about", "phone": "call us", "country": "Iran", "tags": [" "]})).await,
        ["country", "domain", "name", "phone", "tags"]
    );
    assert_eq!(fields(json!({"name": "Acme", "important_dates": [{"kind": "birthday", "month": 1, "day": 1}]})).await, ["important_dates"]);
    assert_eq!(fields(json!({"name": "Acme", "important_dates": [{"kind": "founding", "month": 1, "day": 1}]})).await, ["important_dates"]);
    assert_eq!(fields(json!({"name": "Acme", "founded_on": "2010-02-30"})).await, ["founded_on"]);
    assert_eq!(fields(json!({"name": "Acme", "custom_fields": {"fleet_size": 3}})).await, ["custom_fields.fleet_size"]);
    assert_eq!(fields(json!({"name": "Acme", "owner_id": uuid::Uuid::now_v7()})).await, ["owner_id"]);
}

async fn organization_lists_search_filter_and_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.define_field(&admin, "organization", "tier", "select", &["gold", "silver"]).await;
    create(&app, &admin, json!({"name": "شرکت كاریز", "city": "Tehran", "country": "IR", "industry": "Software", "tags": ["partner"]}))
        .await;
    create(
        &app,
        &admin,
        json!({"name": "Pars Logistics", "domain": "pars.ir", "city": "Tehran", "country": "IR", "industry": "logistics",
        "phone": "021 8888 1234", "custom_fields": {"tier": "gold"}}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"name": "acme GmbH", "city": "Berlin", "country": "DE", "industry": "Logistics", "tags": ["Partner"],
        "custom_fields": {"tier": "silver"}}),
    )
    .await;

    assert_eq!(names(&app, &admin, "q=pars%20%20LOGISTICS").await, ["Pars Logistics"], "names ignore case and spacing");
    assert_eq!(names(&app, &admin, "q=شرکت%20کاریز").await, ["شرکت كاریز"], "and Arabic letter forms");
    assert_eq!(names(&app, &admin, "q=PARS.IR").await, ["Pars Logistics"], "domains");
    assert_eq!(names(&app, &admin, "q=02188881234").await, ["Pars Logistics"], "phones");
    assert_eq!(names(&app, &admin, "industry=LOGISTICS").await, ["acme GmbH", "Pars Logistics"]);
    assert_eq!(names(&app, &admin, "city=tehran&country=IR").await, ["Pars Logistics", "شرکت كاریز"]);
    assert_eq!(names(&app, &admin, "tag=partner").await, ["acme GmbH", "شرکت كاریز"]);
    assert_eq!(names(&app, &admin, "cf.tier=gold").await, ["Pars Logistics"]);
    app.get("/api/v1/organizations?cf.size=big").token(&admin.token).send().await.problem(400);

    let first = app.get("/api/v1/organizations?sort=name&limit=2").token(&admin.token).send().await.ok(200).clone();
    let first_names: Vec<&str> = first["data"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(first_names, ["acme GmbH", "Pars Logistics"], "by name, ignoring case");
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_eq!(names(&app, &admin, &format!("sort=name&limit=2&cursor={cursor}")).await, ["شرکت كاریز"]);
}

/// An organization's name is the same whichever Arabic or Persian letter forms, digits or
/// punctuation it is typed with: the folding lists, the board and duplicate detection use.
async fn organization_names_fold_arabic_and_persian_letters_and_digits(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let persian = create(&app, &admin, json!({"name": "شرکت کاوه ۲"})).await;
    for arabic_spelling in ["شركت كاوه 2", "شركت  كاوه ٢", "شرکت-کاوه (۲)"] {
        let twin = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": arabic_spelling})).send().await;
        let problem = twin.problem(409);
        assert!(problem["detail"].as_str().unwrap().contains(&id(&persian)), "{arabic_spelling} is the same name");
    }
    let other = create(&app, &admin, json!({"name": "شرکت کاوه ۳"})).await;
    let path = format!("/api/v1/organizations/{}", id(&other));
    let rename = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "شركت كاوه ٢"})).send().await;
    rename.problem(409);
    let respelled = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "شركت كاوه ٣"})).send().await;
    assert_eq!(respelled.ok(200)["name"], "شركت كاوه ٣", "a new spelling of its own name is no clash");
}
