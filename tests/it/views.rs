//! Saved views and segments: checked against their list, personal or shared, changed by their
//! creator or an admin under a version, audited; a contacts view exports its contacts only.

use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    a_view_is_created_read_changed_and_deleted_with_its_audit_entries,
    personal_views_are_their_creators_and_shared_ones_everyones,
    filters_and_sorts_the_list_refuses_are_refused_per_field,
    a_segment_exports_the_contacts_it_selects_only,
);

async fn create(app: &TestApp, session: &Session, body: Value) -> Value {
    app.post("/api/v1/views").token(&session.token).json(body).send().await.ok(201).clone()
}

fn names(list: &Value) -> Vec<String> {
    list["data"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap().to_owned()).collect()
}

async fn audited(app: &TestApp, action: &str, entity_id: &str) -> i64 {
    let sql = "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND entity_id = ?";
    app.scalar(sql, vec![action.into(), uuid::Uuid::parse_str(entity_id).unwrap().into()]).await
}

async fn a_view_is_created_read_changed_and_deleted_with_its_audit_entries(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let body = json!({
        "entity": "deals",
        "name": "  Big open deals ",
        "filters": {"pipeline_id": id(&pipeline), "status": "open", "expected_close_from": "2026-01-01", "tag": "vip"},
        "sort": "-amount_minor",
    });
    let reply = app.post("/api/v1/views").token(&admin.token).json(body).send().await;
    let view = reply.ok(201).clone();
    assert_eq!(reply.headers.get("location").unwrap(), &format!("/api/v1/views/{}", id(&view)));
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(view["name"], "Big open deals");
    assert_eq!(view["entity"], "deals");
    assert_eq!(view["filters"]["status"], "open");
    assert_eq!(view["filters"]["tag"], "vip");
    assert_eq!(view["sort"], "-amount_minor");
    assert_eq!((view["shared"].as_bool(), view["version"].as_i64()), (Some(false), Some(1)));
    assert_eq!(view["owner_id"].as_str(), Some(admin.user_id.as_str()));
    assert_eq!(audited(&app, "view.created", &id(&view)).await, 1);

    let path = format!("/api/v1/views/{}", id(&view));
    assert_eq!(app.get(&path).token(&admin.token).send().await.ok(200)["name"], "Big open deals");

    // A change needs the version read; a stale one changes nothing.
    let change = json!({"name": "Open deals", "filters": {"status": "open"}, "sort": null, "shared": true});
    app.patch(&path).token(&admin.token).json(change.clone()).send().await.problem_code(428, "version_required");
    let changed = app.patch(&path).token(&admin.token).if_match(1).json(change.clone()).send().await.ok(200).clone();
    assert_eq!((changed["name"].as_str(), changed["version"].as_i64()), (Some("Open deals"), Some(2)));
    assert_eq!(changed["filters"], json!({"status": "open"}));
    assert_eq!((changed["sort"].clone(), changed["shared"].as_bool()), (Value::Null, Some(true)));
    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Lost"})).send().await;
    assert_eq!(stale.problem_code(412, "version_mismatch")["current_version"], 2);
    assert_eq!(app.get(&path).token(&admin.token).send().await.ok(200)["name"], "Open deals");
    assert_eq!(audited(&app, "view.updated", &id(&view)).await, 1);

    let listed = app.get("/api/v1/views?entity=deals").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(names(&listed), ["Open deals"]);
    assert!(app.get("/api/v1/views?entity=leads").token(&admin.token).send().await.ok(200)["data"].as_array().unwrap().is_empty());
    app.get("/api/v1/views?entity=users").token(&admin.token).send().await.problem_code(400, "bad_request");

    app.delete(&path).token(&admin.token).if_match(1).send().await.problem_code(412, "version_mismatch");
    app.delete(&path).token(&admin.token).if_match(2).send().await.ok(204);
    app.get(&path).token(&admin.token).send().await.problem_code(404, "not_found");
    assert_eq!(audited(&app, "view.deleted", &id(&view)).await, 1);
    // A refused write left no entry.
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action LIKE 'view.%'", vec![]).await, 3);
}

async fn personal_views_are_their_creators_and_shared_ones_everyones(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let max = app.add_member(&admin, "max@acme.test", "manager").await;
    let outsider = app.signup("Other", "owner@other.test").await;

    let mine = create(&app, &mia, json!({"entity": "contacts", "name": "Mia's VIPs", "filters": {"tag": "vip"}})).await;
    let team = create(&app, &mia, json!({"entity": "contacts", "name": "Tehran", "filters": {"city": "Tehran"}, "shared": true})).await;
    let admins = create(&app, &admin, json!({"entity": "contacts", "name": "Admin's own", "shared": false})).await;

    assert_eq!(names(app.get("/api/v1/views?entity=contacts").token(&mia.token).send().await.ok(200)), ["Mia's VIPs", "Tehran"]);
    // Not even an admin sees another member's personal view.
    assert_eq!(names(app.get("/api/v1/views").token(&admin.token).send().await.ok(200)), ["Admin's own", "Tehran"]);
    assert_eq!(names(app.get("/api/v1/views").token(&max.token).send().await.ok(200)), ["Tehran"]);
    assert!(app.get("/api/v1/views").token(&outsider.token).send().await.ok(200)["data"].as_array().unwrap().is_empty());

    let path = |view: &Value| format!("/api/v1/views/{}", id(view));
    for (who, view) in [(&admin, &mine), (&max, &mine), (&mia, &admins), (&outsider, &team), (&outsider, &mine)] {
        app.get(&path(view)).token(&who.token).send().await.problem_code(404, "not_found");
        app.patch(&path(view)).token(&who.token).if_match(1).json(json!({"name": "x"})).send().await.problem_code(404, "not_found");
        app.delete(&path(view)).token(&who.token).send().await.problem_code(404, "not_found");
        let export = format!("{}/contacts/export", path(view));
        app.get(&export).token(&who.token).send().await.problem_code(404, "not_found");
    }

    // A shared view is read by all, changed by its creator or an admin only.
    app.get(&path(&team)).token(&max.token).send().await.ok(200);
    app.patch(&path(&team)).token(&max.token).if_match(1).json(json!({"name": "x"})).send().await.problem_code(403, "forbidden");
    app.delete(&path(&team)).token(&max.token).send().await.problem_code(403, "forbidden");
    let renamed = app.patch(&path(&team)).token(&admin.token).if_match(1).json(json!({"name": "Tehran team"})).send().await;
    assert_eq!(renamed.ok(200)["owner_id"].as_str(), Some(mia.user_id.as_str()));
    app.patch(&path(&team)).token(&mia.token).if_match(2).json(json!({"shared": false})).send().await.ok(200);
    // Unshared, it is its creator's alone again.
    app.get(&path(&team)).token(&admin.token).send().await.problem_code(404, "not_found");
    app.delete(&path(&mine)).token(&mia.token).send().await.ok(204);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM saved_views", vec![]).await, 2);
}

async fn filters_and_sorts_the_list_refuses_are_refused_per_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let refused = |body: Value| {
        let app = &app;
        let token = admin.token.clone();
        async move { app.post("/api/v1/views").token(&token).json(body).send().await }
    };

    let reply = refused(json!({"entity": "deals", "name": "x", "filters": {"city": "Tehran", "status": "closed"}, "sort": "name"})).await;
    reply.problem_code(422, "validation_failed");
    assert_eq!(reply.content_type(), "application/problem+json");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(fields, ["filters.city", "filters.status", "sort"]);
    let unknown = reply.problem(422)["errors"].as_array().unwrap().iter().find(|e| e["field"] == "filters.city").unwrap().clone();
    assert_eq!(unknown["code"], "unknown");

    for (entity, filters) in [
        ("deals", json!({"pipeline_id": "not-a-uuid"})),
        ("deals", json!({"expected_close_from": "2026-13-01"})),
        ("leads", json!({"source": "carrier pigeon"})),
        ("leads", json!({"score_min": "high"})),
        ("contacts", json!({"age_min": 200})),
        ("contacts", json!({"country": "Persia"})),
        ("contacts", json!({"limit": "10"})),
        ("organizations", json!({"age_min": "30"})),
        ("contacts", json!({"tag": ["a", "b"]})),
    ] {
        let key = filters.as_object().unwrap().keys().next().unwrap().clone();
        let reply = refused(json!({"entity": entity, "name": "x", "filters": filters})).await;
        assert_eq!(reply.error_fields(), [format!("filters.{key}")], "{entity} {key}: {}", reply.text);
    }
    // Filters that are each fine but not together are refused as a whole.
    let reply = refused(json!({"entity": "contacts", "name": "x", "filters": {"age_min": 40, "age_max": 30}})).await;
    assert_eq!(reply.error_fields(), ["filters"]);
    // A custom field the workspace does not define, or a value not of its kind.
    app.define_field(&admin, "contact", "fleet", "number", &[]).await;
    let reply = refused(json!({"entity": "contacts", "name": "x", "filters": {"cf.colour": "red"}})).await;
    assert_eq!(reply.error_fields(), ["filters.cf.colour"]);
    let reply = refused(json!({"entity": "contacts", "name": "x", "filters": {"cf.fleet": "many"}})).await;
    assert_eq!(reply.error_fields(), ["filters.cf.fleet"]);
    let reply = refused(json!({"entity": "tasks", "name": "x"})).await;
    reply.problem(422);
    let reply = refused(json!({"entity": "leads", "name": "   "})).await;
    assert_eq!(reply.error_fields(), ["name"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM saved_views", vec![]).await, 0);

    // What the lists take is kept, numbers as their text.
    let ok = json!({"entity": "contacts", "name": "Fleets", "filters": {"cf.fleet": 12, "age_min": 30, "country": "IR"}, "sort": "name"});
    let view = create(&app, &admin, ok).await;
    assert_eq!(view["filters"], json!({"age_min": "30", "cf.fleet": "12", "country": "IR"}));
    // A change is checked against the view's own list.
    let path = format!("/api/v1/views/{}", id(&view));
    let reply = app.patch(&path).token(&admin.token).if_match(1).json(json!({"filters": {"pipeline_id": id(&view)}})).send().await;
    assert_eq!(reply.error_fields(), ["filters.pipeline_id"]);
    let reply = app.patch(&path).token(&admin.token).if_match(1).json(json!({"sort": "-amount_minor"})).send().await;
    assert_eq!(reply.error_fields(), ["sort"]);
    assert_eq!(app.get(&path).token(&admin.token).send().await.ok(200)["version"], 1);

    // A custom field deleted later leaves its views renamable; sending the filters again names it.
    let fields = app.get("/api/v1/custom-fields?entity=contact").token(&admin.token).send().await.ok(200).clone();
    app.delete(&format!("/api/v1/custom-fields/{}", id(&fields["data"][0]))).token(&admin.token).send().await.ok(204);
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Fleet owners"})).send().await.ok(200);
    let again = json!({"filters": {"cf.fleet": "12"}});
    let reply = app.patch(&path).token(&admin.token).if_match(2).json(again).send().await;
    assert_eq!(reply.error_fields(), ["filters.cf.fleet"]);
}

async fn a_segment_exports_the_contacts_it_selects_only(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    for (name, city, tags) in [
        ("Sara", "Tehran", json!(["vip"])),
        ("Reza", "Tehran", json!([])),
        ("Nika", "Shiraz", json!(["vip"])),
        ("Ali", "Tehran", json!(["vip"])),
    ] {
        let body = json!({"name": name, "city": city, "tags": tags});
        app.post("/api/v1/contacts").token(&admin.token).json(body).send().await.ok(201);
    }
    let segment = create(
        &app,
        &admin,
        json!({"entity": "contacts", "name": "Tehran VIPs", "filters": {"city": "tehran", "tag": "vip"}, "sort": "name"}),
    )
    .await;
    let (status, headers, body) =
        app.get(&format!("/api/v1/views/{}/contacts/export", id(&segment))).token(&admin.token).send_for_bytes().await;
    assert_eq!(status, 200);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
    let text = String::from_utf8(body).unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(rows[0].starts_with("id,name,"), "{}", rows[0]);
    let exported: Vec<&str> = rows[1..].iter().map(|row| row.split(',').nth(1).unwrap()).collect();
    assert_eq!(exported, ["Ali", "Sara"], "the view's filters and sort");

    // A view of another list has no contacts export.
    let deals = create(&app, &admin, json!({"entity": "deals", "name": "All deals"})).await;
    app.get(&format!("/api/v1/views/{}/contacts/export", id(&deals))).token(&admin.token).send().await.problem_code(404, "not_found");
}
