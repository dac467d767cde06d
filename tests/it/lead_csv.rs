use serde_json::json;

use crate::helpers::{Engine, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    an_import_lands_good_rows_and_reports_bad_ones_by_line,
    an_export_is_utf8_with_a_bom_and_imports_back,
    exported_formulas_are_neutralised_and_import_back_unchanged,
    an_unterminated_quote_is_reported_with_its_line,
);

async fn an_import_lands_good_rows_and_reports_bad_ones_by_line(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let field = json!({"entity": "lead", "key": "fleet_size", "label": "Fleet size", "kind": "number"});
    app.post("/api/v1/custom-fields").token(&admin.token).json(field).send().await.ok(201);
    let rules = json!({"rules": [{"name": "Big fleet", "condition": {"kind": "custom_field", "key": "fleet_size", "comparison": "at_least", "value": 50}, "points": 30}]});
    app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(rules).send().await.ok(200);
    let existing =
        app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Old friend", "email": "old@friend.example"})).send().await;
    let existing = existing.ok(201).clone();

    let csv = "\u{feff}Full name,E-mail,Mobile,Source,Tags,Fleet,Shoe size\n\
               Sara Ahmadi,sara@pars.example,0912 123 4567,exhibition,\"fleet, vip\",80,41\n\
               Bad Email,not-an-email,,website,,,\n\
               ,nobody@example.com,,website,,,\n\
               Wrong Source,ws@example.com,,billboard,,,\n\
               Sara again,,+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷,exhibition,returning,,\n\
               Many Trucks,trucks@example.com,,event,,many,\n\
               \"Quoted, Name\",quoted@example.com,,referral,,12,\n\
               Old Friend Again,OLD@friend.example,,website,,,\n\
               سارا رضایی,sara.rezaei@example.ir,۰۹۳۵ ۱۱۱ ۲۲۳۳,social,نمایشگاه,,\n";
    let mapping = r#"{"Full name":"name","Mobile":"phone","Fleet":"cf.fleet_size"}"#;
    let url = format!("/api/v1/leads/import?mapping={}", urlencode(mapping));
    let report = app.post(&url).token(&admin.token).raw("text/csv", csv).send().await.ok(200).clone();

    assert_eq!(report["rows"], 9);
    assert_eq!(report["created"], 3, "{report}");
    assert_eq!(report["attached"], 2, "{report}");
    assert_eq!(report["failed"], 4, "{report}");
    assert_eq!(report["ignored_columns"], json!(["Shoe size"]));
    let errors: Vec<(i64, &str)> =
        report["errors"].as_array().unwrap().iter().map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap())).collect();
    assert_eq!(errors, [(3, "email"), (4, "name"), (5, "source"), (7, "cf.fleet_size")]);

    // Good rows landed whole; the second Sara (Persian digits, +98) attached to the first.
    let sara = app.get("/api/v1/leads?q=sara%40pars").token(&admin.token).send().await.ok(200)["data"][0].clone();
    assert_eq!(sara["phone"], "+989121234567");
    assert_eq!(sara["source"], "exhibition");
    assert_eq!(sara["tags"], json!(["fleet", "vip", "returning"]));
    assert_eq!(sara["custom_fields"], json!({"fleet_size": 80}));
    assert_eq!(sara["score"], 30, "imported leads are scored");
    assert_eq!(sara["submissions"], 2);
    let persian = app.get("/api/v1/leads?q=09351112233").token(&admin.token).send().await.ok(200)["data"][0].clone();
    assert_eq!(persian["name"], "سارا رضایی");
    assert_eq!(persian["tags"], json!(["نمایشگاه"]));
    let old = app.get(&format!("/api/v1/leads/{}", existing["id"].as_str().unwrap())).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(old["submissions"], 2, "a row matching a stored lead attaches to it");
    assert_eq!(old["name"], "Old friend");
    let total = app.scalar("SELECT COUNT(*) FROM leads", vec![]).await;
    assert_eq!(total, 4, "three new leads beside the stored one, nothing from the bad rows");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'lead.created'", vec![]).await, 4);

    // Without a column for `name` nothing is imported; a bad mapping is refused before reading.
    let nameless = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", "who,email\nx,x@example.com\n").send().await;
    assert_eq!(nameless.problem(422)["errors"][0]["field"], "mapping");
    let bad_mapping = format!("/api/v1/leads/import?mapping={}", urlencode(r#"{"who":"salary"}"#));
    app.post(&bad_mapping).token(&admin.token).raw("text/csv", "who\nx\n").send().await.problem(422);
    app.post("/api/v1/leads/import?mapping=nope").token(&admin.token).raw("text/csv", "name\nx\n").send().await.problem(400);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 4);
}

async fn an_export_is_utf8_with_a_bom_and_imports_back(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    for (name, source, phone) in
        [("سارا رضایی", "social", "۰۹۳۵ ۱۱۱ ۲۲۳۳"), ("Reza, Jr.", "website", "0912 000 1111"), ("Skip Me", "event", "0912 000 2222")]
    {
        let body = json!({"name": name, "source": source, "phone": phone, "notes": "line one\nline \"two\""});
        app.post("/api/v1/leads").token(&admin.token).json(body).send().await.ok(201);
    }
    let reply = app.get("/api/v1/leads/export?sort=created_at&source=social").token(&admin.token).send().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
    let raw = reply.text.clone();
    assert!(raw.starts_with('\u{feff}'), "a byte-order mark first");
    let mut reader = csv::Reader::from_reader(raw.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..4], ["id", "name", "email", "phone"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "the filter applies");
    assert_eq!(&rows[0][1], "سارا رضایی");
    assert_eq!(&rows[0][3], "'+989351112233", "a leading + reads as a formula: neutralised");
    assert_eq!(&rows[0][10], "line one\nline \"two\"");

    let all = app.get("/api/v1/leads/export?sort=created_at").token(&admin.token).send().await.text;
    assert_eq!(csv::Reader::from_reader(all.trim_start_matches('\u{feff}').as_bytes()).records().count(), 3);
    // The export's columns are the import's: importing it back attaches every row.
    let report = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", all).send().await.ok(200).clone();
    assert_eq!(
        (report["created"].as_i64(), report["attached"].as_i64(), report["failed"].as_i64()),
        (Some(0), Some(3), Some(0)),
        "{report}"
    );
    let listed = app.get("/api/v1/leads").token(&admin.token).send().await.ok(200).clone();
    assert!(listed["data"].as_array().unwrap().iter().all(|l| l["submissions"] == 2));
}

fn urlencode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Cells a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, carriage return) leave with a
/// leading apostrophe; importing the file removes it, so another workspace gets the same values.
async fn exported_formulas_are_neutralised_and_import_back_unchanged(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let lead = json!({
        "name": "=HYPERLINK(\"http://evil.example\",\"open\")",
        "company": "@SUM(1+1)",
        "job_title": "-2+3",
        "phone": "0912 000 1111",
        "notes": "'=kept as typed",
        "campaign": "plain",
    });
    app.post("/api/v1/leads").token(&admin.token).json(lead).send().await.ok(201);
    let exported = app.get("/api/v1/leads/export").token(&admin.token).send().await.text;
    let mut reader = csv::Reader::from_reader(exported.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(cell("name"), "'=HYPERLINK(\"http://evil.example\",\"open\")");
    assert_eq!((cell("company"), cell("job_title"), cell("phone")), ("'@SUM(1+1)".into(), "'-2+3".into(), "'+989120001111".into()));
    assert_eq!((cell("notes"), cell("campaign")), ("''=kept as typed".into(), "plain".into()));
    for value in row.iter() {
        let first = value.trim_start_matches('\'').chars().next();
        assert!(value.starts_with('\'') || !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "{value:?}");
    }

    let other = app.signup("Other", "owner@other.test").await;
    let report = app.post("/api/v1/leads/import").token(&other.token).raw("text/csv", exported).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["failed"].as_i64()), (Some(1), Some(0)), "{report}");
    let imported = app.get("/api/v1/leads").token(&other.token).send().await.ok(200)["data"][0].clone();
    assert_eq!(imported["name"], "=HYPERLINK(\"http://evil.example\",\"open\")");
    assert_eq!((imported["company"].as_str(), imported["job_title"].as_str()), (Some("@SUM(1+1)"), Some("-2+3")));
    assert_eq!((imported["phone"].as_str(), imported["notes"].as_str()), (Some("+989120001111"), Some("'=kept as typed")));
}

/// A quote that is never closed makes the CSV parser read the rest of the file into one field:
/// the rows before it are imported, and the report names the line where the damage starts.
async fn an_unterminated_quote_is_reported_with_its_line(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let csv = "name,email\nSara,sara@x.example\n\"Ali,ali@x.example\nReza,reza@x.example\nMina,mina@x.example\n";
    let report = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["failed"].as_i64()), (Some(1), Some(1)), "{report}");
    let error = &report["errors"][0];
    assert_eq!((error["line"].as_i64(), error["field"].as_str()), (Some(3), Some("row")), "{report}");
    assert!(error["message"].as_str().unwrap().contains("line 3 is never closed"), "{report}");
    let names: Vec<String> = app.get("/api/v1/leads").token(&admin.token).send().await.ok(200)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Sara"], "the rows before the quote are imported, none of the swallowed ones");
}
