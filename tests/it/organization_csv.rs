//! Organizations from CSV: rows checked one by one and reported by line, a name already in the
//! workspace (or earlier in the file) filling that organization's blanks, and an export that
//! imports back.

use serde_json::{Value, json};

use crate::helpers::{Engine, spawn_app};
use crate::on_both_engines;

on_both_engines!(organizations_import_row_by_row_and_merge_by_name, an_organization_export_imports_back_elsewhere);

fn encoded(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn by_name(list: &Value) -> Vec<Value> {
    list["data"].as_array().unwrap().clone()
}

async fn organizations_import_row_by_row_and_merge_by_name(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    app.define_field(&admin, "organization", "fleet", "number", &[]).await;
    let existing = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars Logistics"})).send().await;
    let existing = existing.ok(201).clone();

    let csv = "Company,domain,industry,city,country,tags,founded_on,cf.fleet,Shoe size\n\
               pars  LOGISTICS,pars.example,Logistics,Tehran,IR,,,,\n\
               Rad Co,rad.example,,Shiraz,ir,\"a, b\",2001-05-06,12,44\n\
               rad co,,Retail,Isfahan,,c,,,\n\
               Bad Country,,,,Persia,,,,\n\
               ,,,,,,,,\n\
               Bad Date,,,,,,2001-02-30,,\n\
               Bad Fleet,,,,,,,many,\n";
    let url = format!("/api/v1/organizations/import?mapping={}", encoded(r#"{"Company":"name"}"#));
    let reply = app.post(&url).token(&mia.token).raw("text/csv", csv).send().await;
    let report = reply.ok(200).clone();
    assert_eq!(
        (report["rows"].as_i64(), report["created"].as_i64(), report["attached"].as_i64(), report["failed"].as_i64()),
        (Some(7), Some(1), Some(2), Some(4)),
        "{report}"
    );
    let errors: Vec<(i64, &str)> =
        report["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(errors, [(5, "country"), (6, "name"), (7, "founded_on"), (8, "cf.fleet")]);
    assert_eq!(report["ignored_columns"], json!(["Shoe size"]));

    let listed = app.get("/api/v1/organizations?sort=name").token(&admin.token).send().await.ok(200).clone();
    let organizations = by_name(&listed);
    assert_eq!(organizations.len(), 2, "one organization per folded name: {listed}");
    let pars = &organizations[0];
    assert_eq!((pars["id"].clone(), pars["name"].as_str()), (existing["id"].clone(), Some("Pars Logistics")), "the stored name wins");
    assert_eq!((pars["domain"].as_str(), pars["city"].as_str(), pars["version"].as_i64()), (Some("pars.example"), Some("Tehran"), Some(2)));
    let rad = &organizations[1];
    assert_eq!(rad["name"], "Rad Co");
    assert_eq!((rad["city"].as_str(), rad["industry"].as_str(), rad["country"].as_str()), (Some("Shiraz"), Some("Retail"), Some("IR")));
    assert_eq!(rad["tags"], json!(["a", "b", "c"]));
    assert_eq!((rad["founded_on"].as_str(), rad["custom_fields"]["fleet"].as_i64()), (Some("2001-05-06"), Some(12)));
    assert_eq!(rad["owner_id"].as_str(), Some(mia.user_id.as_str()), "the importer owns what the import creates");

    // One audit entry for the batch, naming what it created and filled in.
    let audited = app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'organization.imported'", vec![]).await;
    assert_eq!(audited, 1);

    // Not CSV, or a mapping to no field, changes nothing.
    app.post("/api/v1/organizations/import?mapping=nope").token(&admin.token).raw("text/csv", "name\nx\n").send().await.problem(400);
    let bad_mapping = format!("/api/v1/organizations/import?mapping={}", encoded(r#"{"who":"salary"}"#));
    let reply = app.post(&bad_mapping).token(&admin.token).raw("text/csv", "who\nx\n").send().await;
    assert_eq!(reply.error_fields(), ["mapping"]);
    assert_eq!(by_name(app.get("/api/v1/organizations").token(&admin.token).send().await.ok(200)).len(), 2);
}

async fn an_organization_export_imports_back_elsewhere(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let body = json!({"name": "=Pars Logistics", "domain": "pars.example", "city": "Tehran", "tags": ["vip", "fleet"], "founded_on": "1999-01-02"});
    app.post("/api/v1/organizations").token(&admin.token).json(body).send().await.ok(201);
    app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Rad Co", "country": "IR"})).send().await.ok(201);
    let exported = app.get("/api/v1/organizations/export").token(&admin.token).send().await;
    assert_eq!(exported.status, 200);

    let other = app.signup("Other", "owner@other.test").await;
    let reply = app.post("/api/v1/organizations/import").token(&other.token).raw("text/csv", exported.text.clone()).send().await;
    let report = reply.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["failed"].as_i64()), (Some(2), Some(0)), "{report}");
    let mut ignored: Vec<&str> = report["ignored_columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    ignored.sort();
    assert_eq!(ignored, ["contacts_count", "created_at", "id", "owner_id"]);
    let theirs = by_name(app.get("/api/v1/organizations?sort=name").token(&other.token).send().await.ok(200));
    let mine = by_name(app.get("/api/v1/organizations?sort=name").token(&admin.token).send().await.ok(200));
    let fields = |o: &Value| ["name", "domain", "city", "country", "tags", "founded_on"].map(|f| o[f].clone());
    assert_eq!(
        theirs.iter().map(fields).collect::<Vec<_>>(),
        mine.iter().map(fields).collect::<Vec<_>>(),
        "the same, formula-like name too"
    );
    assert_eq!(theirs[0]["name"], "=Pars Logistics");
}
