use serde_json::json;

use crate::helpers::{Engine, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    contacts_import_with_their_organizations_and_export_back,
    contact_and_organization_exports_neutralise_formulas,
    exports_write_dates_on_the_workspace_calendar_and_import_them_back,
);

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

/// A Jalali workspace's exports write days and timestamps on the Jalali calendar (timestamps in
/// the workspace's time zone); `calendar=gregorian` writes ISO; the import reads what the export
/// wrote, so a Jalali export imports back onto the same values.
async fn exports_write_dates_on_the_workspace_calendar_and_import_them_back(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.define_field(&admin, "contact", "signed_on", "date", &[]).await;
    let birthdays = json!([{"kind": "birthday", "calendar": "gregorian", "month": 3, "day": 21, "year": 1990}]);
    let body = json!({"name": "Sara", "custom_fields": {"signed_on": "2027-01-10"}, "important_dates": birthdays});
    app.post("/api/v1/contacts").token(&admin.token).json(body).send().await.ok(201);
    let jalali_birthday = json!([{"kind": "birthday", "calendar": "jalali", "month": 7, "day": 1, "year": 1370}]);
    app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Reza", "important_dates": jalali_birthday})).send().await.ok(201);
    app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Pars", "founded_on": "2027-01-10"})).send().await.ok(201);
    let reply =
        app.patch("/api/v1/workspace").token(&admin.token).json(json!({"calendar": "jalali", "time_zone": "Asia/Tehran"})).send().await;
    reply.ok(200);

    let column = |rows: &[csv::StringRecord], header: &csv::StringRecord, name: &str, row: usize| {
        rows[row][header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column"))].to_owned()
    };
    let export = |path: &'static str| {
        let app = &app;
        let token = admin.token.clone();
        async move {
            let text = app.get(path).token(&token).send().await.text;
            let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let header = reader.headers().unwrap().clone();
            (text.clone(), header, reader.records().map(Result::unwrap).collect::<Vec<_>>())
        }
    };

    let (jalali_text, header, rows) = export("/api/v1/contacts/export?sort=name").await;
    // Reza, then Sara.
    assert_eq!(column(&rows, &header, "cf.signed_on", 1), "1405-10-20", "10 January 2027 is 20 Dey 1405");
    assert_eq!(column(&rows, &header, "birthday", 0), "1370-07-01", "a Jalali birthday on the file's calendar is unmarked");
    assert_eq!(column(&rows, &header, "birthday", 1), "1990-03-21 gregorian", "a Gregorian one says so");
    let created = column(&rows, &header, "created_at", 1);
    let jalali_minute = regex_like(&created);
    assert!(jalali_minute && created.starts_with("140"), "a Jalali minute in Tehran: {created}");
    let (_, header, rows) = export("/api/v1/organizations/export").await;
    assert_eq!(column(&rows, &header, "founded_on", 0), "1405-10-20");

    let (_, header, rows) = export("/api/v1/contacts/export?sort=name&calendar=gregorian").await;
    assert_eq!(column(&rows, &header, "cf.signed_on", 1), "2027-01-10");
    assert_eq!(column(&rows, &header, "birthday", 0), "1370-07-01 jalali");
    assert_eq!(column(&rows, &header, "birthday", 1), "1990-03-21");
    let created = column(&rows, &header, "created_at", 1);
    assert!(chrono::DateTime::parse_from_rfc3339(&created).is_ok(), "RFC 3339: {created}");
    let (_, header, rows) = export("/api/v1/organizations/export?calendar=gregorian").await;
    assert_eq!(column(&rows, &header, "founded_on", 0), "2027-01-10");

    // The Jalali export imports back onto the same contacts, their dates unchanged.
    let again = app.post("/api/v1/contacts/import").token(&admin.token).raw("text/csv", jalali_text).send().await.ok(200).clone();
    assert_eq!((again["attached"].as_i64(), again["failed"].as_i64()), (Some(0), Some(0)), "no email or phone to match: {again}");
    assert_eq!(again["created"].as_i64(), Some(2), "{again}");
    let list = app.get("/api/v1/contacts?q=sara").token(&admin.token).send().await.ok(200).clone();
    for sara in list["data"].as_array().unwrap() {
        assert_eq!(sara["custom_fields"], json!({"signed_on": "2027-01-10"}));
        assert_eq!(sara["important_dates"][0]["calendar"], "gregorian");
        assert_eq!((sara["important_dates"][0]["month"].as_i64(), sara["important_dates"][0]["year"].as_i64()), (Some(3), Some(1990)));
    }
    let list = app.get("/api/v1/contacts?q=reza").token(&admin.token).send().await.ok(200).clone();
    for reza in list["data"].as_array().unwrap() {
        assert_eq!(
            (reza["important_dates"][0]["calendar"].as_str(), reza["important_dates"][0]["year"].as_i64()),
            (Some("jalali"), Some(1370))
        );
    }
    // A Jalali day that does not exist is reported on its line; a Gregorian file reads ISO days.
    let csv = "name,cf.signed_on\nBad,1405-12-30\n";
    let report = app.post("/api/v1/contacts/import").token(&admin.token).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!(report["errors"][0]["field"], "cf.signed_on", "{report}");
    let csv = "name,cf.signed_on\nIso,2027-01-10\n";
    let report =
        app.post("/api/v1/contacts/import?calendar=gregorian").token(&admin.token).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!(report["created"].as_i64(), Some(1), "{report}");
}

/// `YYYY-MM-DD HH:MM`.
fn regex_like(cell: &str) -> bool {
    let shape: String = cell.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
    shape == "9999-99-99 99:99"
}
