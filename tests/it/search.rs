//! Global search: Persian-aware matching, the ranking, what the caller may see, the limit, and
//! keys that follow every change of a record.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    letter_forms_digits_and_joiners_do_not_matter,
    hits_are_ranked_exact_then_prefix_then_contains,
    a_member_finds_only_what_they_may_read,
    the_limit_and_the_query_are_checked,
    keys_follow_updates_and_deletions,
    lists_and_duplicates_treat_arabic_and_persian_forms_alike,
);

async fn search(app: &TestApp, session: &Session, query: &str) -> Value {
    let path = format!("/api/v1/search?q={}", urlencoding(query));
    app.get(&path).token(&session.token).send().await.ok(200).clone()
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// `(type, title)` of each hit, in order.
fn found(answer: &Value) -> Vec<(String, String)> {
    answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["type"].as_str().unwrap().to_owned(), h["title"].as_str().unwrap().to_owned()))
        .collect()
}

fn hit(kind: &str, title: &str) -> (String, String) {
    (kind.to_owned(), title.to_owned())
}

async fn contact(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/contacts").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn lead(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/leads").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn organization(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/organizations").token(&session.token).json(body).send().await.ok(201).clone()
}

async fn letter_forms_digits_and_joiners_do_not_matter(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    contact(&app, &admin, json!({"name": "کریم رضایی", "email": "Karim@Example.com", "phone": "+98 912 123 4567"})).await;
    lead(&app, &admin, json!({"name": "می\u{200C}خواهم بخرم", "company": "فاطمة"})).await;
    organization(&app, &admin, json!({"name": "آریا", "domain": "aria.ir"})).await;

    let karim = [hit("contact", "کریم رضایی")];
    assert_eq!(found(&search(&app, &admin, "كريم").await), karim, "Arabic yeh and kaf");
    assert_eq!(found(&search(&app, &admin, "۰۹۱۲").await), karim, "Persian digits of the national form");
    assert_eq!(found(&search(&app, &admin, "٩١٢١٢٣").await), karim, "Arabic-Indic digits");
    assert_eq!(found(&search(&app, &admin, "0912 123 4567").await), karim, "a spaced national number");
    assert_eq!(found(&search(&app, &admin, "+98912").await), karim, "the international form");
    assert_eq!(found(&search(&app, &admin, "KARIM@example").await), karim, "case and punctuation");
    let wanting = [hit("lead", "می\u{200C}خواهم بخرم")];
    assert_eq!(found(&search(&app, &admin, "میخواهم").await), wanting, "without the joiner");
    assert_eq!(found(&search(&app, &admin, "می\u{200C}خوا").await), wanting, "with the joiner");
    assert_eq!(found(&search(&app, &admin, "فاطمه").await), wanting, "teh marbuta is heh, in the company");
    assert_eq!(found(&search(&app, &admin, "اريا").await), [hit("organization", "آریا")], "alef with madda");
    assert_eq!(found(&search(&app, &admin, "مُحَمَّد").await), Vec::<(String, String)>::new());

    let answer = search(&app, &admin, "karim").await;
    assert_eq!(answer["data"][0]["subtitle"], "karim@example.com");
    let answer = search(&app, &admin, "بخرم").await;
    assert_eq!(answer["data"][0]["subtitle"], "فاطمة", "a lead without email or phone shows its company");
}

async fn hits_are_ranked_exact_then_prefix_then_contains(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let minute = || app.clock.advance(Duration::minutes(1));
    organization(&app, &admin, json!({"name": "Espars Trading"})).await;
    minute();
    organization(&app, &admin, json!({"name": "Tehran Pars Co"})).await;
    minute();
    lead(&app, &admin, json!({"name": "Parsa Older"})).await;
    minute();
    lead(&app, &admin, json!({"name": "Parsa Newer"})).await;
    minute();
    contact(&app, &admin, json!({"name": "pars"})).await;
    minute();
    let deal = app.create_deal(&admin, json!({"title": "PARS", "pipeline_id": id(&pipeline)})).await;

    let answer = search(&app, &admin, "Pars").await;
    assert_eq!(
        found(&answer),
        [
            hit("deal", "PARS"),
            hit("contact", "pars"),
            hit("lead", "Parsa Newer"),
            hit("lead", "Parsa Older"),
            hit("organization", "Tehran Pars Co"),
            hit("organization", "Espars Trading"),
        ]
    );
    let first = &answer["data"][0];
    assert_eq!((first["id"].as_str(), first["subtitle"].as_str()), (deal["id"].as_str(), Some("Qualified")));
    assert_eq!(first["pipeline_id"], pipeline["id"]);
    assert!(answer["data"][1].get("pipeline_id").is_none());
}

async fn a_member_finds_only_what_they_may_read(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let outsider = app.signup("Other", "bob@other.test").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Secret admin deal", "pipeline_id": id(&pipeline)})).await;
    lead(&app, &admin, json!({"name": "Secret admin lead"})).await;
    app.create_deal(&mia, json!({"title": "Secret mia deal", "pipeline_id": id(&pipeline)})).await;
    lead(&app, &mia, json!({"name": "Secret mia lead"})).await;
    // Contacts follow the lead visibility: Mia finds her own contact, not the admin's.
    contact(&app, &admin, json!({"name": "Secret admin contact"})).await;
    contact(&app, &mia, json!({"name": "Secret mia contact"})).await;

    let mine = found(&search(&app, &mia, "secret").await);
    assert_eq!(mine, [hit("deal", "Secret mia deal"), hit("lead", "Secret mia lead"), hit("contact", "Secret mia contact")]);
    assert_eq!(found(&search(&app, &admin, "secret").await).len(), 6);
    assert!(found(&search(&app, &outsider, "secret").await).is_empty());
}

async fn the_limit_and_the_query_are_checked(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    for n in 0..22 {
        organization(&app, &admin, json!({"name": format!("Acme {n}")})).await;
    }
    assert_eq!(found(&search(&app, &admin, "acme").await).len(), 20);
    let two = app.get("/api/v1/search?q=acme&limit=2").token(&admin.token).send().await;
    assert_eq!(found(two.ok(200)).len(), 2);
    let fifty = app.get("/api/v1/search?q=acme&limit=50").token(&admin.token).send().await;
    assert_eq!(found(fifty.ok(200)).len(), 22);

    for (query, field) in [("q=%20%20", "q"), ("", "q"), ("q=acme&limit=51", "limit"), ("q=acme&limit=0", "limit")] {
        let reply = app.get(&format!("/api/v1/search?{query}")).token(&admin.token).send().await;
        reply.problem(422);
        assert_eq!(reply.error_fields(), [field], "{query}");
    }
    let long = "a".repeat(101);
    let reply = app.get(&format!("/api/v1/search?q={long}")).token(&admin.token).send().await;
    reply.problem(422);
    assert_eq!(reply.error_fields(), ["q"]);
    let padded = format!("%20{}%20", "a".repeat(100));
    app.get(&format!("/api/v1/search?q={padded}")).token(&admin.token).send().await.ok(200);
    app.get("/api/v1/search?q=acme").send().await.problem(401);
}

async fn keys_follow_updates_and_deletions(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let person = contact(&app, &admin, json!({"name": "Old Name"})).await;
    let path = format!("/api/v1/contacts/{}", id(&person));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Renamed Person"})).send().await.ok(200);
    assert!(found(&search(&app, &admin, "old").await).is_empty());
    assert_eq!(found(&search(&app, &admin, "renamed").await), [hit("contact", "Renamed Person")]);
    app.delete(&path).token(&admin.token).if_match(2).send().await;
    assert!(found(&search(&app, &admin, "renamed").await).is_empty());

    let deal = app.create_deal(&admin, json!({"title": "Doomed deal", "pipeline_id": id(&pipeline)})).await;
    let deal_path = format!("/api/v1/deals/{}", id(&deal));
    app.patch(&deal_path).token(&admin.token).if_match(1).json(json!({"title": "Saved deal"})).send().await.ok(200);
    assert_eq!(found(&search(&app, &admin, "saved").await), [hit("deal", "Saved deal")]);
    app.delete(&deal_path).token(&admin.token).if_match(2).send().await;
    assert!(found(&search(&app, &admin, "saved").await).is_empty());

    // A lead qualified into a contact, an organization and a deal named after the company: all are found.
    let prospect = lead(&app, &admin, json!({"name": "Nima Qualified", "company": "Zagros Steel"})).await;
    let qualify = json!({"pipeline_id": id(&pipeline)});
    app.post(&format!("/api/v1/leads/{}/qualify", id(&prospect))).token(&admin.token).json(qualify).send().await.ok(201);
    let kinds: Vec<String> = found(&search(&app, &admin, "zagros").await).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["deal", "lead", "organization"]);
    let kinds: Vec<String> = found(&search(&app, &admin, "nima").await).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["lead", "contact"]);
}

/// On PostgreSQL a match inside words can read the trigram index of each kind's search key
/// instead of every row (with sequential scans priced out, the plan must name the index).
#[tokio::test]
async fn on_postgres_matches_inside_words_can_read_the_trigram_indexes() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_app(Engine::Postgres).await;
    let txn = app.store.connection().begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
    for table in ["deals", "leads", "contacts", "organizations"] {
        let explain = format!("EXPLAIN SELECT id FROM {table} WHERE search_text LIKE '%arsalan%'");
        let plan = txn.query_all_raw(app.statement(&explain, vec![])).await.unwrap();
        let plan: Vec<String> = plan.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect();
        assert!(plan.iter().any(|line| line.contains(&format!("ix_{table}_search_trigrams"))), "{table}: {plan:#?}");
    }
    txn.rollback().await.unwrap();
}

/// On SQLite, each kind's FTS5 trigram index follows every insert, rename and deletion (the
/// triggers of migration 000025), so the candidates it hands the search are never short of a row.
#[tokio::test]
async fn on_sqlite_the_trigram_indexes_follow_every_change() {
    let app = spawn_app(Engine::Sqlite).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let created = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Arsalan Tehrani"})).send().await;
    let contact = created.ok(201).clone();
    let other = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Arsalan Nikoo"})).send().await.ok(201).clone();
    let indexed = |term: &str| format!("SELECT COUNT(*) FROM contacts_search WHERE search_text LIKE '%{term}%'");
    assert_eq!(app.scalar(&indexed("arsalan"), vec![]).await, 2);

    let path = format!("/api/v1/contacts/{}", id(&contact));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Bardia Tehrani"})).send().await.ok(200);
    app.delete(&format!("/api/v1/contacts/{}", id(&other))).token(&admin.token).send().await;
    assert_eq!(app.scalar(&indexed("arsalan"), vec![]).await, 0);
    assert_eq!(app.scalar(&indexed("bardia"), vec![]).await, 1);
    assert_eq!(found(&search(&app, &admin, "bardi").await), [("contact".to_owned(), "Bardia Tehrani".to_owned())]);

    // FTS5 compares an external-content index with its table, row by row.
    for table in ["deals", "leads", "contacts", "organizations"] {
        app.execute(&format!("INSERT INTO {table}_search({table}_search, rank) VALUES ('integrity-check', 1)"), vec![]).await;
    }
}

/// The names in a list answer's `data` (a deal's title).
async fn listed(app: &TestApp, session: &Session, path: &str, query: &str) -> Vec<String> {
    let answer = app.get(&format!("/api/v1/{path}?q={}", urlencoding(query))).token(&session.token).send().await.ok(200).clone();
    let mut names: Vec<String> = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.get("name").or(r.get("title")).and_then(Value::as_str).unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn lists_and_duplicates_treat_arabic_and_persian_forms_alike(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    // Stored with Persian letters and digits, and a joiner; searched with Arabic letters, Latin
    // or Arabic-Indic digits, tatweel, and no joiner.
    let lead = |body: Value| async { id(app.post("/api/v1/leads").token(&admin.token).json(body).send().await.ok(201)) };
    let kept = lead(json!({"name": "علی کریمی", "company": "شرکت ۱۲"})).await;
    let arabic = lead(json!({"name": "علي كريمي", "company": "شركت 12"})).await;
    lead(json!({"name": "Sara", "company": "کاریز\u{200C}ها"})).await;
    app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "مریم یکتا"})).send().await.ok(201);
    app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "پارس ۲۴"})).send().await.ok(201);
    let deal = json!({"title": "قرارداد کیان", "pipeline_id": id(&pipeline), "amount_minor": 1_000, "currency": "IRR"});
    app.create_deal(&admin, deal).await;

    assert_eq!(listed(&app, &admin, "leads", "كريمي").await, ["علي كريمي", "علی کریمی"]);
    assert_eq!(listed(&app, &admin, "leads", "شرکت ١٢").await, ["علي كريمي", "علی کریمی"], "Arabic-Indic digits");
    assert_eq!(listed(&app, &admin, "leads", "کاريزها").await, ["Sara"], "no joiner");
    assert_eq!(listed(&app, &admin, "leads", "?!").await, Vec::<String>::new(), "no letter or digit");
    assert_eq!(listed(&app, &admin, "contacts", "مـريم يكتا").await, ["مریم یکتا"], "tatweel");
    assert_eq!(listed(&app, &admin, "organizations", "پارس 24").await, ["پارس ۲۴"]);
    assert_eq!(listed(&app, &admin, "deals", "قرارداد كيان").await, ["قرارداد کیان"]);
    let board = format!("/api/v1/pipelines/{}/board?q={}", id(&pipeline), urlencoding("كيان"));
    let board = app.get(&board).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(crate::helpers::card_titles(&board), ["قرارداد کیان"]);

    // The same person typed on two keyboards is a likely duplicate by name and company.
    let found = app.get(&format!("/api/v1/leads/{kept}/duplicates")).token(&admin.token).send().await.ok(200).clone();
    let leads: Vec<(String, Value)> =
        found["leads"].as_array().unwrap().iter().map(|m| (id(&m["lead"]), m["matched_on"].clone())).collect();
    assert_eq!(leads, [(arabic, json!(["name_and_company"]))]);
}
