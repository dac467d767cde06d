//! Long operations run in bounded batches, each its own transaction, so that other writers (of
//! any workspace) interleave; a batch records how far the operation got, so a stopped one is
//! finished by the maintenance pass.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_rescore_runs_in_batches_and_equals_a_full_recount,
    a_stopped_rescore_is_finished_by_the_maintenance_pass,
    a_deleted_organization_unlinks_its_contacts_in_batches,
    a_deleted_stage_moves_its_deals_in_batches,
);

const LEADS: usize = 2600;

/// Imports `LEADS` leads: every third at a company named Pars, every fifth with a phone.
async fn import_leads(app: &TestApp, admin: &Session) {
    let mut csv = String::from("name,email,company,phone\n");
    for n in 0..LEADS {
        let company = if n % 3 == 0 { "Pars Trading" } else { "Other" };
        let phone = if n % 5 == 0 { format!("+98912{n:07}") } else { String::new() };
        csv.push_str(&format!("Visitor {n},visitor{n}@example.com,{company},{phone}\n"));
    }
    let imported = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", csv).send().await;
    assert_eq!(imported.ok(200)["created"], LEADS, "{}", imported.text);
}

/// The scores the rules below give, counted from the import itself.
fn expected_total() -> i64 {
    (0..LEADS).map(|n| if n % 3 == 0 { 10 } else { 0 } + if n % 5 == 0 { 4 } else { 0 }).sum()
}

async fn replace_rules(app: &TestApp, admin: &Session) -> serde_json::Value {
    let rules = json!({"rules": [
        {"name": "Pars", "condition": {"kind": "field_contains", "field": "company", "value": "Pars"}, "points": 10},
        {"name": "Callable", "condition": {"kind": "field_present", "field": "phone"}, "points": 4}
    ]});
    let replaced = app.request(reqwest::Method::PUT, "/api/v1/scoring-rules").token(&admin.token).json(rules).send().await;
    replaced.ok(200).clone()
}

async fn score_total(app: &TestApp) -> i64 {
    app.scalar("SELECT CAST(COALESCE(SUM(score), 0) AS BIGINT) FROM leads", vec![]).await
}

async fn a_rescore_runs_in_batches_and_equals_a_full_recount(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let other = app.signup("Other", "other@other.test").await;
    import_leads(&app, &admin).await;
    let theirs = app.post("/api/v1/leads").token(&other.token).json(json!({"name": "Untouched", "company": "Pars"})).send().await;
    theirs.ok(201);

    let replaced = replace_rules(&app, &admin).await;
    let changed = (0..LEADS).filter(|n| n % 3 == 0 || n % 5 == 0).count();
    assert_eq!(replaced["rescored"], changed);
    assert_eq!(score_total(&app).await, expected_total(), "the batches together equal a full recount");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads WHERE score <> 0 AND name = 'Untouched'", vec![]).await, 0, "one workspace only");

    // 2,600 leads in batches of 500: six transactions, each recorded on the operation.
    let batches = app.scalar("SELECT CAST(batches AS BIGINT) FROM bulk_operations WHERE status = 'done'", vec![]).await;
    assert_eq!(batches, 6);
    assert_eq!(app.scalar("SELECT processed FROM bulk_operations", vec![]).await, LEADS as i64);
    let log = app.get("/api/v1/audit?action=scoring_rules.rescored").token(&admin.token).send().await;
    let entry = log.ok(200)["data"][0].clone();
    assert_eq!((entry["changes"]["leads_rescored"].as_u64(), entry["changes"]["batches"].as_u64()), (Some(changed as u64), Some(6)));

    // Replacing the rules again redoes it: the scores are the same, none changed.
    assert_eq!(replace_rules(&app, &admin).await["rescored"], 0);
    assert_eq!(score_total(&app).await, expected_total());
}

/// A re-score whose runner stopped (as if the server died before its first batch) is finished
/// by the maintenance pass once its lease has run out.
async fn a_stopped_rescore_is_finished_by_the_maintenance_pass(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    import_leads(&app, &admin).await;
    replace_rules(&app, &admin).await;
    app.execute("UPDATE leads SET score = 0", vec![]).await;
    app.execute(
        "UPDATE bulk_operations SET status = 'running', cursor = NULL, processed = 0, changed = 0, batches = 0, \
         finished_at = NULL, lease_until = updated_at",
        vec![],
    )
    .await;
    app.clock.advance(chrono::Duration::seconds(30));

    kariz_api::maintenance::run_once(&app.store).await;
    assert_eq!(score_total(&app).await, expected_total(), "resumed from where it was recorded");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM bulk_operations WHERE status = 'done'", vec![]).await, 1);
    assert_eq!(app.scalar("SELECT CAST(batches AS BIGINT) FROM bulk_operations", vec![]).await, 6);
}

/// 1,100 contacts of one organization are unlinked 500 per transaction: three units of work,
/// the last of which deletes the organization; each contact unlinked once, with a new version.
async fn a_deleted_organization_unlinks_its_contacts_in_batches(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut csv = String::from("Name,Email,Organization\n");
    for n in 0..1100 {
        csv.push_str(&format!("Person {n},person{n}@pars.example,Pars Logistics\n"));
    }
    let report = app.post("/api/v1/contacts/import").token(&admin.token).raw("text/csv", csv).send().await;
    assert_eq!(report.ok(200)["created"], 1100, "{}", report.text);
    let organizations = app.get("/api/v1/organizations").token(&admin.token).send().await.ok(200).clone();
    let pars = id(&organizations["data"][0]);

    let before = app.store.units_committed();
    app.delete(&format!("/api/v1/organizations/{pars}")).token(&admin.token).if_match(1).send().await.ok(204);
    assert_eq!(app.store.units_committed() - before, 3, "500 + 500 + the last 100 with the deletion");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM contacts WHERE organization_id IS NOT NULL", vec![]).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM contacts WHERE version = 2", vec![]).await, 1100, "each unlinked once");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM organizations", vec![]).await, 0);
}

/// The 520 deals of a deleted stage move 500 per transaction, in their column order, each with
/// its history row and event; the last transaction moves the rest and deletes the stage.
async fn a_deleted_stage_moves_its_deals_in_batches(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (from, to) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    for n in 0..520 {
        let deal = json!({"title": format!("Deal {n:03}"), "pipeline_id": id(&pipeline), "stage_id": from});
        app.post("/api/v1/deals").token(&admin.token).json(deal).send().await.ok(201);
    }
    let before = app.store.units_committed();
    app.delete(&format!("/api/v1/stages/{from}?move_deals_to={to}")).token(&admin.token).send().await.ok(204);
    assert_eq!(app.store.units_committed() - before, 2, "500, then the last 20 with the deletion");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed'", vec![]).await, 520);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM stages", vec![]).await, 2);
    let target: uuid::Uuid = to.parse().unwrap();
    let titles: Vec<String> = {
        let sql = app.statement("SELECT title FROM deals WHERE stage_id = ? ORDER BY position", vec![target.into()]);
        let rows = app.store.connection().query_all_raw(sql).await.unwrap();
        rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect()
    };
    let expected: Vec<String> = (0..520).map(|n| format!("Deal {n:03}")).collect();
    assert_eq!(titles, expected, "moved in their column order");
}
