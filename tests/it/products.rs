//! The product catalogue: CRUD at the version read, a SKU unique per workspace whatever its
//! case, field-level validation, the list's filters and pages, who may change it, a product in
//! use refused deletion, isolation between workspaces, the audit log and the `product.*`
//! webhooks as documented.

use kariz_api::webhook_docs::{ProductEventData, ProductUpdatedData};
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, spawn_app_with};
use crate::on_both_engines;
use crate::receiver::{Received, Receiver};
use crate::webhooks::deliver_until;

on_both_engines!(
    products_are_managed_by_admins_and_managers_at_the_version_read,
    a_sku_is_unique_per_workspace_whatever_its_case,
    the_product_list_filters_and_pages,
    a_product_on_deal_lines_is_archived_not_deleted,
    products_are_audited_and_announced_to_webhooks,
    products_import_and_export_as_csv,
);

pub(crate) async fn product(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/products").token(&session.token).json(body).send().await.ok(201).clone()
}

fn names(page: &Value) -> Vec<&str> {
    page["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect()
}

async fn products_are_managed_by_admins_and_managers_at_the_version_read(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let manager = app.add_member(&admin, "boss@acme.test", "manager").await;
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;

    let tracker = product(
        &app,
        &admin,
        json!({"name": " GPS tracker T4 ", "sku": "GPS-T4", "unit": "pcs", "unit_price_minor": 12_500_000, "tax_rate_bp": 1000}),
    )
    .await;
    assert_eq!(
        (&tracker["name"], &tracker["sku"], &tracker["currency"], &tracker["tax_rate_bp"], &tracker["active"], &tracker["version"]),
        (&json!("GPS tracker T4"), &json!("GPS-T4"), &json!("IRR"), &json!(1000), &json!(true), &json!(1)),
        "trimmed, the workspace's currency by default, active"
    );
    let path = format!("/api/v1/products/{}", id(&tracker));
    // A manager writes too; a member reads only.
    let install = product(&app, &manager, json!({"name": "Installation", "sku": "SVC-1", "unit_price_minor": 0, "currency": "usd"})).await;
    assert_eq!(install["currency"], "USD");
    let read = app.get(&path).token(&rep.token).send().await;
    assert_eq!(read.etag(), "\"1\"");
    assert_eq!(read.ok(200)["sku"], "GPS-T4");
    app.post("/api/v1/products")
        .token(&rep.token)
        .json(json!({"name": "x", "sku": "x", "unit_price_minor": 1}))
        .send()
        .await
        .problem_code(403, "forbidden");
    app.patch(&path).token(&rep.token).if_match(1).json(json!({"name": "x"})).send().await.problem_code(403, "forbidden");
    app.delete(&path).token(&rep.token).send().await.problem_code(403, "forbidden");

    // Every bad field is named at once: the shapes (ranges) first, then what the domain refuses.
    let out_of_range = json!({"name": "x", "sku": "x", "unit_price_minor": -1, "tax_rate_bp": 10_001});
    let reply = app.post("/api/v1/products").token(&admin.token).json(out_of_range).send().await;
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["tax_rate_bp", "unit_price_minor"]);
    let bad = json!({"name": " ", "sku": "two words", "unit_price_minor": 1, "currency": "XYZ"});
    let reply = app.post("/api/v1/products").token(&admin.token).json(bad).send().await;
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["currency", "name", "sku"]);
    assert_eq!(reply.body["code"], "validation_failed");
    assert_eq!(reply.content_type(), "application/problem+json");

    // A change needs the version read; a stale one changes nothing.
    app.patch(&path).token(&admin.token).json(json!({"unit_price_minor": 13_000_000})).send().await.problem_code(428, "version_required");
    app.patch(&path)
        .token(&admin.token)
        .if_match(5)
        .json(json!({"unit_price_minor": 13_000_000}))
        .send()
        .await
        .problem_code(412, "version_mismatch");
    let changed = app
        .patch(&path)
        .token(&manager.token)
        .if_match(1)
        .json(json!({"unit_price_minor": 13_000_000, "unit": null, "active": false}))
        .send()
        .await
        .ok(200)
        .clone();
    assert_eq!(
        (&changed["unit_price_minor"], &changed["unit"], &changed["active"], &changed["version"]),
        (&json!(13_000_000), &Value::Null, &json!(false), &json!(2))
    );
    let same = app.patch(&path).token(&admin.token).if_match(2).json(json!({"active": false})).send().await.ok(200).clone();
    assert_eq!(same["version"], 2, "an unchanged product is not written");

    app.delete(&path).token(&admin.token).if_match(1).send().await.problem_code(412, "version_mismatch");
    app.delete(&path).token(&manager.token).send().await.ok(204);
    app.get(&path).token(&admin.token).send().await.problem_code(404, "not_found");
}

async fn a_sku_is_unique_per_workspace_whatever_its_case(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let other = app.signup("Other", "owner@other.test").await;
    let first = product(&app, &admin, json!({"name": "Tracker", "sku": "GPS-T4", "unit_price_minor": 1})).await;
    let taken =
        app.post("/api/v1/products").token(&admin.token).json(json!({"name": "Copy", "sku": "gps-t4", "unit_price_minor": 1})).send().await;
    let problem = taken.problem_code(409, "sku_taken");
    assert!(problem["detail"].as_str().unwrap().contains(&id(&first)), "{problem}");
    // Another workspace has its own SKUs.
    product(&app, &other, json!({"name": "Tracker", "sku": "GPS-T4", "unit_price_minor": 1})).await;
    // Renaming to a taken SKU is refused; a change of case of its own is not.
    let second = product(&app, &admin, json!({"name": "Relay", "sku": "RLY-1", "unit_price_minor": 1})).await;
    let second_path = format!("/api/v1/products/{}", id(&second));
    app.patch(&second_path).token(&admin.token).if_match(1).json(json!({"sku": "Gps-T4"})).send().await.problem_code(409, "sku_taken");
    let recased = app.patch(&second_path).token(&admin.token).if_match(1).json(json!({"sku": "rly-1"})).send().await.ok(200).clone();
    assert_eq!(recased["sku"], "rly-1");
}

async fn the_product_list_filters_and_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    for (name, sku) in [("GPS tracker T4", "GPS-T4"), ("ردیاب خودرو", "TRK-FA"), ("Relay", "RLY-1"), ("SIM card", "SIM-1")] {
        product(&app, &admin, json!({"name": name, "sku": sku, "unit_price_minor": 100})).await;
    }
    let sim = app.get("/api/v1/products?q=sim").token(&rep.token).send().await.ok(200).clone();
    let sim_id = id(&sim["data"][0]);
    app.patch(&format!("/api/v1/products/{sim_id}")).token(&admin.token).if_match(1).json(json!({"active": false})).send().await.ok(200);

    let all = app.get("/api/v1/products").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&all), ["SIM card", "Relay", "ردیاب خودرو", "GPS tracker T4"], "newest first");
    let by_sku = app.get("/api/v1/products?q=gps-t4").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&by_sku), ["GPS tracker T4"]);
    let persian = app.get(&format!("/api/v1/products?q={}", urlencoding("ردياب"))).token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&persian), ["ردیاب خودرو"], "Arabic and Persian letter forms match");
    let active = app.get("/api/v1/products?active=true").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&active), ["Relay", "ردیاب خودرو", "GPS tracker T4"]);
    let archived = app.get("/api/v1/products?active=false").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&archived), ["SIM card"]);

    let first = app.get("/api/v1/products?limit=3").token(&rep.token).send().await.ok(200).clone();
    assert_eq!(names(&first).len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/products?limit=3&cursor={cursor}")).token(&rep.token).send().await.ok(200).clone();
    assert_eq!((names(&rest), &rest["next_cursor"]), (vec!["GPS tracker T4"], &Value::Null));
    app.get("/api/v1/products?cursor=garbage").token(&rep.token).send().await.problem_code(400, "invalid_cursor");
}

fn urlencoding(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

async fn a_product_on_deal_lines_is_archived_not_deleted(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let tracker = product(&app, &admin, json!({"name": "Tracker", "sku": "GPS-T4", "unit_price_minor": 100})).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let lines = format!("/api/v1/deals/{}/line-items", id(&deal));
    let items = json!({"items": [{"product_id": id(&tracker), "quantity": "2"}]});
    app.put(&lines).token(&admin.token).if_match(1).json(items.clone()).send().await.ok(200);

    let path = format!("/api/v1/products/{}", id(&tracker));
    let refused = app.delete(&path).token(&admin.token).send().await;
    assert!(refused.problem_code(409, "product_in_use")["detail"].as_str().unwrap().contains("archive"));
    let archived = app.patch(&path).token(&admin.token).if_match(1).json(json!({"active": false})).send().await.ok(200).clone();
    assert_eq!(archived["active"], false);
    // The deal keeps its line, and may save it again; no other deal gets the archived product.
    let again = app
        .put(&lines)
        .token(&admin.token)
        .if_match(2)
        .json(json!({"items": [{"product_id": id(&tracker), "quantity": "3"}]}))
        .send()
        .await;
    assert_eq!(again.ok(200)["data"][0]["name"], "Tracker");
    let other = app.create_deal(&admin, json!({"title": "Other", "pipeline_id": id(&pipeline)})).await;
    let refused = app.put(&format!("/api/v1/deals/{}/line-items", id(&other))).token(&admin.token).if_match(1).json(items).send().await;
    assert_eq!(refused.error_fields(), ["items.0.product_id"]);
    // Once no line uses it, it can go.
    app.put(&lines).token(&admin.token).if_match(3).json(json!({"items": []})).send().await.ok(200);
    app.delete(&path).token(&admin.token).send().await.ok(204);
}

async fn products_are_audited_and_announced_to_webhooks(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let body = json!({"url": receiver.url, "event_types": ["product.created", "product.updated", "product.deleted"]});
    app.post("/api/v1/webhooks").token(&admin.token).json(body).send().await.ok(201);

    let tracker = product(&app, &admin, json!({"name": "Tracker", "sku": "GPS-T4", "unit_price_minor": 100, "tax_rate_bp": 900})).await;
    let path = format!("/api/v1/products/{}", id(&tracker));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"unit_price_minor": 120, "name": "Tracker T4"})).send().await.ok(200);
    app.delete(&path).token(&admin.token).send().await.ok(204);

    let received = deliver_until(&app, &receiver, |r| r.len() >= 3).await;
    let types: Vec<&str> = received.iter().map(Received::event_type).collect();
    assert_eq!(types, ["product.created", "product.updated", "product.deleted"]);
    let created: ProductEventData = serde_json::from_value(received[0].json["data"].clone()).unwrap();
    assert_eq!((created.product.sku.as_str(), created.product.tax_rate_bp), ("GPS-T4", 900));
    let updated: ProductUpdatedData = serde_json::from_value(received[1].json["data"].clone()).unwrap();
    let mut changed: Vec<(&str, &Value, &Value)> = updated.changes.iter().map(|c| (c.field.as_str(), &c.previous, &c.current)).collect();
    changed.sort_by_key(|c| c.0);
    assert_eq!(changed, [("name", &json!("Tracker"), &json!("Tracker T4")), ("unit_price_minor", &json!(100), &json!(120))]);
    let deleted: ProductEventData = serde_json::from_value(received[2].json["data"].clone()).unwrap();
    assert_eq!(deleted.product.name, "Tracker T4");

    let audit = app.get("/api/v1/audit?entity_type=product").token(&admin.token).send().await.ok(200).clone();
    let mut actions: Vec<&str> = audit["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(actions, ["product.created", "product.deleted", "product.updated"]);
    let update = audit["data"].as_array().unwrap().iter().find(|e| e["action"] == "product.updated").unwrap();
    assert_eq!(update["changes"]["unit_price_minor"], json!({"before": 100, "after": 120}), "{update}");
}

async fn products_import_and_export_as_csv(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    product(&app, &admin, json!({"name": "GPS tracker T4", "sku": "GPS-T4", "unit_price_minor": 12_500_000})).await;

    // An existing SKU (whatever its case) is changed, a new one added; Persian digits and grouping
    // read as numbers; bad rows are listed by line and field, and nothing of them is written.
    let csv = "SKU,Name,unit_price_minor,tax_rate_bp,currency,unit,active\n\
               gps-t4,GPS tracker T4 (2027),\"13,000,000\",1000,,pcs,yes\n\
               SVC-1,نصب و راه‌اندازی,۲۵۰۰۰۰۰,۹۰۰,,hour,\n\
               BAD 1,,-5,20000,XX,,maybe\n";
    let report = app.post("/api/v1/products/import").token(t).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["attached"].as_i64()), (Some(1), Some(1)), "{report}");
    let mut fields: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    fields.sort();
    assert_eq!(fields, ["active", "currency", "name", "sku", "tax_rate_bp", "unit_price_minor"]);
    assert!(report["errors"].as_array().unwrap().iter().all(|e| e["line"] == 4));
    let listed = app.get("/api/v1/products").token(t).send().await.ok(200).clone();
    let by_sku = |sku: &str| listed["data"].as_array().unwrap().iter().find(|p| p["sku"] == sku).unwrap().clone();
    let tracker = by_sku("GPS-T4");
    assert_eq!(
        (tracker["name"].as_str(), tracker["unit_price_minor"].as_i64(), tracker["version"].as_i64()),
        (Some("GPS tracker T4 (2027)"), Some(13_000_000), Some(2))
    );
    let service = by_sku("SVC-1");
    assert_eq!(
        (service["unit_price_minor"].as_i64(), service["tax_rate_bp"].as_i64(), service["currency"].as_str()),
        (Some(2_500_000), Some(900), Some("IRR"))
    );
    assert_eq!(app.event_count(service["id"].as_str().unwrap(), "product.created").await, 1);
    assert_eq!(app.event_count(tracker["id"].as_str().unwrap(), "product.updated").await, 1);

    // A member may not import; the export reads back as an import of the same products.
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    app.post("/api/v1/products/import").token(&rep.token).raw("text/csv", csv).send().await.problem_code(403, "forbidden");
    let (status, _, exported) = app.get("/api/v1/products/export").token(&rep.token).send_for_bytes().await;
    assert_eq!(status, 200);
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.starts_with("\u{feff}id,name,sku,unit,unit_price_minor,currency,tax_rate_bp,active,created_at"), "{exported}");
    assert!(exported.contains("نصب و راه‌اندازی,SVC-1,hour,2500000,IRR,900,true"), "{exported}");
    let again = app.post("/api/v1/products/import").token(t).raw("text/csv", exported).send().await.ok(200).clone();
    assert_eq!((again["created"].as_i64(), again["attached"].as_i64(), again["errors"].as_array().unwrap().len()), (Some(0), Some(2), 0));
    let unchanged = app.get(&format!("/api/v1/products/{}", tracker["id"].as_str().unwrap())).token(t).send().await.ok(200).clone();
    assert_eq!(unchanged["version"], 2, "an unchanged row writes nothing");
}
