use serde_json::json;

use crate::helpers::{Engine, spawn_app};
use crate::on_both_engines;

on_both_engines!(contacts_import_with_their_organizations_and_export_back, contact_and_organization_exports_neutralise_formulas);

fn records(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes()).records().map(Result::unwrap).collect()
}

async fn contacts_import_with_their_organizations_and_export_back(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let existing =
        app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Mina Rad", "email": "mina@rad.example"})).send().await;
    let existing = existing.ok(201).clone();

    // CRLF line endings, as spreadsheets write them: the report still names each row's own line.
    let csv = "Name,Email,Phone,Organization,City,Country,Birthday,Tags\r\n\
               Sara Ahmadi,sara@pars.example,0912 123 4567,Pars Logistics,Tehran,ir,1990-03-21,vip\r\n\
               Reza Karimi,reza@pars.example,,pars  LOGISTICS,Tabriz,IR,,\r\n\
               Bad Country,bc@example.com,,,,Iran,,\r\n\
               Bad Birthday,bb@example.com,,,,,1990-02-30,\r\n\
               Mina R.,MINA@rad.example,۰۹۱۲ ۵۵۵ ۶۶۶۶,Rad Co,Shiraz,,,\r\n";
    let report = app.post("/api/v1/contacts/import").token(&admin.token).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!(
        (report["created"].as_i64(), report["attached"].as_i64(), report["failed"].as_i64()),
        (Some(2), Some(1), Some(2)),
        "{report}"
    );
    let errors: Vec<(i64, &str)> =
        report["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(errors, [(4, "country"), (5, "birthday")]);

    let organizations = app.get("/api/v1/organizations?sort=name").token(&admin.token).send().await.ok(200).clone();
    let names: Vec<(&str, i64)> = organizations["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["contacts_count"].as_i64().unwrap()))
        .collect();
    assert_eq!(names, [("Pars Logistics", 2), ("Rad Co", 1)], "one organization per folded name");
    let sara = app.get("/api/v1/contacts?q=sara%40pars").token(&admin.token).send().await.ok(200)["data"][0].clone();
    assert_eq!((sara["phone"].as_str(), sara["country"].as_str()), (Some("+989121234567"), Some("IR")));
    assert_eq!(
        sara["important_dates"],
        json!([{"kind": "birthday", "label": null, "calendar": "gregorian", "month": 3, "day": 21, "year": 1990}])
    );
    let mina = app.get(&format!("/api/v1/contacts/{}", existing["id"].as_str().unwrap())).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(mina["name"], "Mina Rad", "the stored values win");
    assert_eq!((mina["phone"].as_str(), mina["city"].as_str()), (Some("+989125556666"), Some("Shiraz")), "its blanks were filled");
    assert_eq!(mina["version"], 2);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'contact.created'", vec![]).await, 3);

    let exported = app.get("/api/v1/contacts/export?city=tehran").token(&admin.token).send().await;
    assert_eq!(exported.content_type(), "text/csv; charset=utf-8");
    assert!(exported.text.starts_with('\u{feff}'));
    let rows = records(&exported.text);
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][1], &rows[0][5], &rows[0][11]), ("Sara Ahmadi", "Pars Logistics", "1990-03-21"));
    app.get("/api/v1/contacts/export?cf.nope=1").token(&admin.token).send().await.problem(400);

    // Everything exported imports back onto the same contacts.
    let all = app.get("/api/v1/contacts/export").token(&admin.token).send().await.text;
    assert_eq!(records(&all).len(), 3);
    let again = app.post("/api/v1/contacts/import").token(&admin.token).raw("text/csv", all).send().await.ok(200).clone();
    assert_eq!((again["created"].as_i64(), again["attached"].as_i64(), again["failed"].as_i64()), (Some(0), Some(3), Some(0)), "{again}");

    let orgs = app.get("/api/v1/organizations/export?sort=name").token(&admin.token).send().await.text;
    let rows = records(&orgs);
    assert_eq!(
        rows.iter().map(|r| (r[1].to_owned(), r[10].to_owned())).collect::<Vec<_>>(),
        [("Pars Logistics".to_owned(), "2".to_owned()), ("Rad Co".to_owned(), "1".to_owned())]
    );
}

/// Contact and organization exports neutralise formula-like cells like the lead export, and the
/// contact export imports back into another workspace with the values unchanged.
async fn contact_and_organization_exports_neutralise_formulas(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let organization = json!({"name": "@Evil Org", "city": "=cmd|' /C calc'!A0"});
    let organization = app.post("/api/v1/organizations").token(&admin.token).json(organization).send().await.ok(201).clone();
    let contact = json!({"name": "+Sara", "email": "sara@x.example", "organization_id": organization["id"], "notes": "-1"});
    app.post("/api/v1/contacts").token(&admin.token).json(contact).send().await.ok(201);

    let contacts = app.get("/api/v1/contacts/export").token(&admin.token).send().await.text;
    let rows = records(&contacts);
    assert_eq!((&rows[0][1], &rows[0][5]), ("'+Sara", "'@Evil Org"));
    let organizations = app.get("/api/v1/organizations/export").token(&admin.token).send().await.text;
    let rows = records(&organizations);
    assert_eq!(&rows[0][1], "'@Evil Org");
    assert!(rows[0].iter().any(|cell| cell == "'=cmd|' /C calc'!A0"), "{:?}", rows[0]);

    let other = app.signup("Other", "owner@other.test").await;
    let report = app.post("/api/v1/contacts/import").token(&other.token).raw("text/csv", contacts).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["failed"].as_i64()), (Some(1), Some(0)), "{report}");
    let imported = app.get("/api/v1/contacts").token(&other.token).send().await.ok(200)["data"][0].clone();
    assert_eq!((imported["name"].as_str(), imported["notes"].as_str()), (Some("+Sara"), Some("-1")));
    let imported_org = app.get("/api/v1/organizations").token(&other.token).send().await.ok(200)["data"][0].clone();
    assert_eq!(imported_org["name"], "@Evil Org");
}
