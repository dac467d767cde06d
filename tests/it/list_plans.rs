//! Every list served by an index (issue 18, item 3): the queries the lists send for a few
//! representative sorts and filters are planned, on both engines, on the index meant for them and
//! without sorting what they read. `bench/plans.sh` checks every documented combination on
//! 100,000 rows per kind; this catches a plan that regresses — a dropped index, or a condition
//! written in a form no index starts from (`key > x OR (key = x AND id > y)` instead of a row
//! comparison, a status bound as a parameter instead of the partial index's own literals).
//!
//! On PostgreSQL sequential scans and sorts are priced out (`enable_seqscan`, `enable_sort`
//! off), since tables this small would otherwise be read whole; a plan that still sorts, or names
//! another index, has no index that serves it.

use std::sync::{Arc, Mutex};

use kariz_domain::{Role, StageId, UserId, Viewer, WorkspaceId};
use kariz_persistence::Store;
use kariz_persistence::deals::{DealFilter, DealSort};
use sea_orm::{ConnectionTrait, Database, Statement, TransactionTrait, Value};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    every_list_is_planned_on_its_index,
    the_deals_list_sends_a_stages_open_deals_by_amount_to_their_index,
    tag_rows_follow_every_write_of_a_records_tags,
    a_tag_under_a_sort_pages_in_its_order_as_keys_change,
);

/// The plan of `query` (with `?` placeholders), one line per step; on PostgreSQL with the plan
/// types `off` switched off.
async fn plan(app: &TestApp, off: &[&str], query: &str, values: Vec<Value>) -> Vec<String> {
    let txn = app.store.connection().begin().await.unwrap();
    let explain = match app.engine {
        Engine::Postgres => {
            for setting in off {
                txn.execute_unprepared(&format!("SET LOCAL enable_{setting} = off")).await.unwrap();
            }
            format!("EXPLAIN {query}")
        }
        Engine::Sqlite => format!("EXPLAIN QUERY PLAN {query}"),
    };
    let rows = txn.query_all_raw(app.statement(&explain, values)).await.unwrap();
    let column = if app.engine == Engine::Postgres { 0 } else { 3 };
    let plan = rows.iter().map(|row| row.try_get_by_index::<String>(column).unwrap()).collect();
    txn.rollback().await.unwrap();
    plan
}

/// The query is planned on `index` (its name on this engine) and sorts nothing.
async fn assert_served(app: &TestApp, index: &str, query: &str, values: Vec<Value>) {
    let plan = plan(app, &["seqscan", "sort"], query, values).await;
    assert!(plan.iter().any(|line| line.contains(index)), "{query}\nnot on {index}: {plan:#?}");
    let sorts = |line: &&String| line.contains("Sort") || line.contains("TEMP B-TREE");
    assert!(!plan.iter().any(|line| sorts(&line)), "{query}\nsorts: {plan:#?}");
}

/// The deals list itself: the statement it sends for one stage's open deals by amount writes the
/// status as the open deals' partial index's own literal, and is planned on that index. (A bound
/// status plans the same here, where EXPLAIN sees its value; a prepared statement's generic plan
/// could not use the index and would walk the stage's amount order past every closed deal.)
async fn the_deals_list_sends_a_stages_open_deals_by_amount_to_their_index(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let sent = Arc::new(Mutex::new(Vec::<Statement>::new()));
    let mut db = Database::connect(&app.db.url).await.unwrap();
    let seen = sent.clone();
    db.set_metric_callback(move |info| seen.lock().unwrap().push(info.statement.clone()));
    let store = Store::from_connection(db);
    let uuid = |text: &str| text.parse::<Uuid>().unwrap();
    let viewer = Viewer::everything(WorkspaceId::from(uuid(&admin.workspace_id)), UserId::from(uuid(&admin.user_id)), Role::Admin);
    let filter = DealFilter { stage_id: Some(StageId::from(uuid(&stage_id(&pipeline, 1)))), status: Some("open"), ..Default::default() };
    store.deals(&viewer, filter, DealSort::AmountDescending, None, None).await.unwrap();

    let list = sent.lock().unwrap().iter().find(|s| s.sql.contains("ORDER BY") && s.sql.contains("amount_minor")).cloned();
    let list = list.expect("the list's statement");
    assert!(list.sql.contains("\"status\" = 'open'"), "{}", list.sql);
    let values = list.values.map(|values| values.0).unwrap_or_default();
    assert_served(&app, "ix_deals_open_stage_amount", &list.sql, values).await;
}

async fn every_list_is_planned_on_its_index(engine: Engine) {
    let app = spawn_app(engine).await;
    let ws: Value = Uuid::now_v7().into();
    let some_id: Value = Uuid::now_v7().into();
    // The tag rows' primary key, in id order.
    let tags_key = if engine == Engine::Postgres { "record_tags_pkey" } else { "sqlite_autoindex_record_tags_1" };

    // Deals by amount, from a cursor: the workspace's amount order, and one stage's.
    let amount = "SELECT id FROM deals WHERE workspace_id = ? AND (amount_minor, id) > (?, ?) ORDER BY amount_minor, id LIMIT 51";
    assert_served(&app, "ix_deals_amount", amount, vec![ws.clone(), 5_000_i64.into(), some_id.clone()]).await;
    let stage_amount = "SELECT id FROM deals WHERE workspace_id = ? AND stage_id = ? AND (amount_minor, id) < (?, ?) \
                        ORDER BY amount_minor DESC, id DESC LIMIT 51";
    let values = vec![ws.clone(), Uuid::now_v7().into(), 5_000_i64.into(), some_id.clone()];
    assert_served(&app, "ix_deals_stage_amount", stage_amount, values).await;
    // The open deals by amount, in one stage and in the workspace: the partial indexes of the open
    // deals, with the status written as their own literal (as the list writes it).
    let open_stage_amount = "SELECT id FROM deals WHERE workspace_id = ? AND stage_id = ? AND \"deals\".\"status\" = 'open' \
                             AND (amount_minor, id) < (?, ?) ORDER BY amount_minor DESC, id DESC LIMIT 51";
    let values = vec![ws.clone(), Uuid::now_v7().into(), 5_000_i64.into(), some_id.clone()];
    assert_served(&app, "ix_deals_open_stage_amount", open_stage_amount, values).await;
    let open_amount = "SELECT id FROM deals WHERE workspace_id = ? AND \"deals\".\"status\" = 'open' AND (amount_minor, id) > (?, ?) \
                       ORDER BY amount_minor, id LIMIT 51";
    assert_served(&app, "ix_deals_open_amount", open_amount, vec![ws.clone(), 5_000_i64.into(), some_id.clone()]).await;
    // An owner's deals, newest first.
    let owner = "SELECT id FROM deals WHERE workspace_id = ? AND owner_id = ? AND id < ? ORDER BY id DESC LIMIT 51";
    assert_served(&app, "ix_deals_owner", owner, vec![ws.clone(), Uuid::now_v7().into(), some_id.clone()]).await;

    // Under a tag, by amount, score or name: through the tag rows, which carry the key.
    let through = |table: &str, kind: &str, key: &str, direction: &str| {
        format!(
            "SELECT {table}.id FROM {table} JOIN record_tags ON record_tags.record_id = {table}.id WHERE {table}.workspace_id = ? \
             AND record_tags.workspace_id = ? AND record_tags.kind = '{kind}' AND record_tags.tag = ? \
             AND (record_tags.{key}, record_tags.record_id) > (?, ?) \
             ORDER BY record_tags.{key} {direction}, record_tags.record_id {direction} LIMIT 51"
        )
    };
    let values = |key: Value| vec![ws.clone(), ws.clone(), "vip".into(), key, some_id.clone()];
    assert_served(&app, "ix_record_tags_number", &through("deals", "deal", "sort_number", "DESC"), values(5_000_i64.into())).await;
    assert_served(&app, "ix_record_tags_number", &through("leads", "lead", "sort_number", "ASC"), values(50_i64.into())).await;
    assert_served(&app, "ix_record_tags_text", &through("contacts", "contact", "sort_text", "ASC"), values("sara".into())).await;
    // Under a tag in created-at order: the tag rows' primary key, from the cursor on.
    let by_id = |table: &str, kind: &str, direction: &str, after: &str| {
        format!(
            "SELECT {table}.id FROM {table} JOIN record_tags ON record_tags.record_id = {table}.id WHERE {table}.workspace_id = ? \
             AND record_tags.workspace_id = ? AND record_tags.kind = '{kind}' AND record_tags.tag = ? AND record_tags.record_id {after} ? \
             ORDER BY record_tags.record_id {direction} LIMIT 51"
        )
    };
    let values = || vec![ws.clone(), ws.clone(), "vip".into(), some_id.clone()];
    assert_served(&app, tags_key, &by_id("deals", "deal", "DESC", "<"), values()).await;
    assert_served(&app, tags_key, &by_id("leads", "lead", "ASC", ">"), values()).await;
    assert_served(&app, tags_key, &by_id("organizations", "organization", "DESC", "<"), values()).await;

    // Leads by score under each filter that has its index.
    let score = |condition: &str| {
        format!(
            "SELECT id FROM leads WHERE workspace_id = ? AND {condition} AND (score, id) < (?, ?) ORDER BY score DESC, id DESC LIMIT 51"
        )
    };
    let cursor = || vec![ws.clone(), 50_i64.into(), some_id.clone()];
    assert_served(&app, "ix_leads_open_score", &score("\"leads\".\"status\" IN ('new', 'working')"), cursor()).await;
    assert_served(&app, "ix_leads_status_score", &score("\"leads\".\"status\" IN ('disqualified')"), cursor()).await;
    let values = vec![ws.clone(), "website".into(), 50_i64.into(), some_id.clone()];
    assert_served(&app, "ix_leads_source_score", &score("source = ?"), values).await;
    let values = vec![ws.clone(), Uuid::now_v7().into(), 50_i64.into(), some_id.clone()];
    assert_served(&app, "ix_leads_owner_score", &score("owner_id = ?"), values).await;

    // Contacts by name from a cursor, and an organization's tag; organizations by name.
    let name = "SELECT id FROM contacts WHERE workspace_id = ? AND (lower(name), id) > (lower(?), ?) ORDER BY lower(name), id LIMIT 51";
    assert_served(&app, "ix_contacts_name", name, vec![ws.clone(), "Sara".into(), some_id.clone()]).await;
    let name = "SELECT id FROM organizations WHERE workspace_id = ? AND (name_key, id) > (?, ?) ORDER BY name_key, id LIMIT 51";
    assert_served(&app, "ix_organizations_name", name, vec![ws.clone(), "acme".into(), some_id.clone()]).await;
    // A contact search (`q`) is left to `bench/plans.sh`: on tables this small no setting makes
    // the planner OR the trigram and organization indexes, which it does at scale.
}

/// A record's tag rows: all of them, and those of `vip`.
async fn tag_rows(app: &TestApp, record: &serde_json::Value) -> (i64, i64) {
    let record: Value = Uuid::parse_str(&id(record)).unwrap().into();
    let query = "SELECT COUNT(*) FROM record_tags WHERE record_id = ?";
    (app.scalar(query, vec![record.clone()]).await, app.scalar(&format!("{query} AND tag = 'vip'"), vec![record]).await)
}

/// How many records of the list at `path` the tag filter `VIP` finds.
async fn tagged_vip(app: &TestApp, session: &Session, path: &str) -> usize {
    let page = app.get(&format!("/api/v1/{path}?tag=VIP")).token(&session.token).send().await.ok(200).clone();
    page["data"].as_array().unwrap().len()
}

/// The tag rows a list's `tag` filter reads follow a record's every write — create, edit,
/// deletion — on both engines, lower-cased as the filter compares them.
async fn tag_rows_follow_every_write_of_a_records_tags(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let contact = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Sara", "tags": ["VIP", "Expo"]})).send().await;
    let contact = contact.ok(201).clone();
    assert_eq!(tag_rows(&app, &contact).await, (2, 1));
    assert_eq!(tagged_vip(&app, &admin, "contacts").await, 1);
    let path = format!("/api/v1/contacts/{}", id(&contact));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"tags": ["expo"]})).send().await.ok(200);
    assert_eq!(tag_rows(&app, &contact).await, (1, 0));
    assert_eq!(tagged_vip(&app, &admin, "contacts").await, 0);
    // An edit that leaves the tags alone leaves their rows alone.
    app.patch(&path).token(&admin.token).if_match(2).json(json!({"name": "Sara Tehrani"})).send().await.ok(200);
    assert_eq!(tag_rows(&app, &contact).await, (1, 0));
    app.delete(&path).token(&admin.token).if_match(3).send().await;
    assert_eq!(tag_rows(&app, &contact).await, (0, 0));

    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Nima", "tags": ["vip"]})).send().await.ok(201).clone();
    assert_eq!(tag_rows(&app, &lead).await, (1, 1));
    assert_eq!(tagged_vip(&app, &admin, "leads").await, 1);
    let organization = app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Zagros", "tags": ["Vip"]})).send().await;
    let organization = organization.ok(201).clone();
    assert_eq!(tag_rows(&app, &organization).await, (1, 1));
    assert_eq!(tagged_vip(&app, &admin, "organizations").await, 1);
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "tags": ["vip", "fleet"]})).await;
    assert_eq!(tag_rows(&app, &deal).await, (2, 1));
    assert_eq!(tagged_vip(&app, &admin, "deals").await, 1);
}

/// Every title of the list at `query` (a path and its parameters), page after page of two.
async fn titles(app: &TestApp, session: &Session, query: &str, field: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get(&format!("/api/v1/{query}&limit=2{after}")).token(&session.token).send().await.ok(200).clone();
        found.extend(page["data"].as_array().unwrap().iter().map(|item| item[field].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return found,
        }
    }
}

/// Under a tag, the lists by amount, score and name read the keys their tag rows carry: the order
/// and the pages are those of the records, and follow an edit of the amount or the name.
async fn a_tag_under_a_sort_pages_in_its_order_as_keys_change(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut deals = Vec::new();
    for (title, amount, tags) in [("A", 300, json!(["vip"])), ("B", 100, json!(["VIP"])), ("C", 200, json!([])), ("D", 100, json!(["vip"]))]
    {
        let body = json!({"title": title, "pipeline_id": id(&pipeline), "amount_minor": amount, "tags": tags});
        deals.push(app.create_deal(&admin, body).await);
    }
    // B and D tie on the amount: the id breaks the tie, as without a tag.
    assert_eq!(titles(&app, &admin, "deals?tag=vip&sort=amount_minor", "title").await, ["B", "D", "A"]);
    assert_eq!(titles(&app, &admin, "deals?tag=vip&sort=-amount_minor", "title").await, ["A", "D", "B"]);
    let path = format!("/api/v1/deals/{}", id(&deals[0]));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"amount_minor": 50})).send().await.ok(200);
    assert_eq!(titles(&app, &admin, "deals?tag=vip&sort=amount_minor", "title").await, ["A", "B", "D"]);

    for name in ["Zahra", "arash", "Mina"] {
        app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": name, "tags": ["vip"]})).send().await.ok(201);
    }
    app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Bahar"})).send().await.ok(201);
    assert_eq!(titles(&app, &admin, "contacts?tag=vip&sort=name", "name").await, ["arash", "Mina", "Zahra"]);
    let zahra = app.get("/api/v1/contacts?q=zahra").token(&admin.token).send().await.ok(200)["data"][0].clone();
    let path = format!("/api/v1/contacts/{}", id(&zahra));
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Afsaneh"})).send().await.ok(200);
    assert_eq!(titles(&app, &admin, "contacts?tag=vip&sort=name", "name").await, ["Afsaneh", "arash", "Mina"]);

    for (name, tags) in [("Nima", json!(["vip"])), ("Omid", json!(["vip"])), ("Parsa", json!([]))] {
        app.post("/api/v1/leads").token(&admin.token).json(json!({"name": name, "tags": tags})).send().await.ok(201);
    }
    assert_eq!(titles(&app, &admin, "leads?tag=vip&sort=-score", "name").await, ["Omid", "Nima"]);
    assert_eq!(titles(&app, &admin, "organizations?tag=vip&sort=name", "name").await, Vec::<String>::new());
}
