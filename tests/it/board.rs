use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kariz_domain::{PipelineId, Role, UserId, Viewer, Visibility, VisibilitySettings, WorkspaceId};
use kariz_persistence::Store;
use kariz_persistence::board::BoardFilter;
use sea_orm::Database;
use serde_json::{Value, json};

use crate::helpers::{Engine, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    the_board_has_counts_totals_per_currency_and_weighted_totals,
    board_columns_page_through_the_deals_list,
    the_board_takes_the_same_number_of_queries_for_any_number_of_stages,
);

fn total(column: &Value, currency: &str) -> (i64, i64) {
    let t = column["totals"].as_array().unwrap().iter().find(|t| t["currency"] == currency).expect("currency total");
    (t["amount_minor"].as_i64().unwrap(), t["weighted_amount_minor"].as_i64().unwrap())
}

async fn the_board_has_counts_totals_per_currency_and_weighted_totals(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await; // 20%, 50%, 80%
    let p = id(&pipeline);
    let s0 = stage_id(&pipeline, 0);
    let s1 = stage_id(&pipeline, 1);
    app.create_deal(&admin, json!({"title": "a", "pipeline_id": p, "amount_minor": 1000})).await;
    app.create_deal(&admin, json!({"title": "b", "pipeline_id": p, "amount_minor": 2000})).await;
    app.create_deal(&admin, json!({"title": "c", "pipeline_id": p, "amount_minor": 999, "currency": "USD"})).await;
    app.create_deal(&admin, json!({"title": "d", "pipeline_id": p, "stage_id": s1, "amount_minor": 10_000, "probability": 5})).await;
    let won = app.create_deal(&admin, json!({"title": "e", "pipeline_id": p, "stage_id": s1, "amount_minor": 50_000})).await;
    app.post(&format!("/api/v1/deals/{}/win", id(&won))).token(&admin.token).if_match(1).send().await.ok(200);

    let board = app.get(&format!("/api/v1/pipelines/{p}/board")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(board["pipeline"]["id"], p.as_str());
    let columns = board["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 3);
    assert_eq!(columns[0]["stage"]["id"], s0.as_str());
    assert_eq!(columns[0]["count"], 3);
    // IRR: 1000 + 2000 = 3000, weighted at 20% = 200 + 400 = 600; USD kept apart: 999 × 20% = 199.8 → 200.
    assert_eq!(total(&columns[0], "IRR"), (3000, 600));
    assert_eq!(total(&columns[0], "USD"), (999, 200));
    // The won deal is not on the open board; d's own 5% overrides the stage's 50%: 10 000 × 5% = 500.
    assert_eq!(columns[1]["count"], 1);
    assert_eq!(total(&columns[1], "IRR"), (10_000, 500));
    assert_eq!(columns[2]["count"], 0);
    assert!(columns[2]["totals"].as_array().unwrap().is_empty());
    assert!(columns[2]["deals"].as_array().unwrap().is_empty());

    let all = app.get(&format!("/api/v1/pipelines/{p}/board?status=all")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(all["columns"][1]["count"], 2);
    let text = app.get(&format!("/api/v1/pipelines/{p}/board?q=B")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(text["columns"][0]["count"], 1);
    let owner =
        app.get(&format!("/api/v1/pipelines/{p}/board?owner_id={}", uuid::Uuid::now_v7())).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(owner["columns"][0]["count"], 0);
    app.get(&format!("/api/v1/pipelines/{p}/board?status=maybe")).token(&admin.token).send().await.problem(400);
}

async fn board_columns_page_through_the_deals_list(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    for i in 0..7 {
        app.create_deal(&admin, json!({"title": format!("card {i}"), "pipeline_id": p})).await;
    }
    let board = app.get(&format!("/api/v1/pipelines/{p}/board?limit=3")).token(&admin.token).send().await.ok(200).clone();
    let column = &board["columns"][0];
    assert_eq!(column["count"], 7);
    let mut titles: Vec<String> = column["deals"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["card 0", "card 1", "card 2"]);
    let mut cursor = column["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = app
            .get(&format!("/api/v1/deals?stage_id={}&status=open&sort=position&limit=3&cursor={c}", stage_id(&pipeline, 0)))
            .token(&admin.token)
            .send()
            .await
            .ok(200)
            .clone();
        titles.extend(page["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    let expected: Vec<String> = (0..7).map(|i| format!("card {i}")).collect();
    assert_eq!(titles, expected);
    assert_eq!(board["columns"][1]["next_cursor"], Value::Null);
}

/// Counts the statements one board read runs, for a 2-stage and a 20-stage pipeline.
async fn the_board_takes_the_same_number_of_queries_for_any_number_of_stages(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let small = app.create_pipeline(&admin, "Small", &[("A", 10), ("B", 20)]).await;
    let stages: Vec<(String, i64)> = (0..20).map(|i| (format!("S{i}"), i * 5)).collect();
    let stage_refs: Vec<(&str, i64)> = stages.iter().map(|(n, p)| (n.as_str(), *p)).collect();
    let large = app.create_pipeline(&admin, "Large", &stage_refs).await;
    for pipeline in [&small, &large] {
        for (i, stage) in pipeline["stages"].as_array().unwrap().iter().enumerate() {
            app.create_deal(&admin, json!({"title": format!("d{i}"), "pipeline_id": id(pipeline), "stage_id": id(stage)})).await;
        }
    }

    let counter = Arc::new(AtomicUsize::new(0));
    let mut db = Database::connect(&app.db.url).await.unwrap();
    let seen = counter.clone();
    db.set_metric_callback(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let store = Store::from_connection(db);
    let workspace = WorkspaceId::from(admin.workspace_id.parse::<uuid::Uuid>().unwrap());
    // A member who sees only their own deals (they own them all here): the visibility condition
    // is part of the same statements.
    let owner = UserId::from(admin.user_id.parse::<uuid::Uuid>().unwrap());
    let only_own = VisibilitySettings { deals: Visibility::OwnerAndManagers, leads: Visibility::Everyone };
    let viewer = Viewer::new(workspace, owner, Role::Member, only_own);
    let mut counts = Vec::new();
    for pipeline in [&small, &large] {
        counter.store(0, Ordering::SeqCst);
        let pipeline_id = PipelineId::from(id(pipeline).parse::<uuid::Uuid>().unwrap());
        let board = store.board(&viewer, pipeline_id, BoardFilter { status: Some("open"), ..Default::default() }, None).await.unwrap();
        assert!(board.columns.iter().all(|c| c.count == 1 && c.deals.len() == 1));
        counts.push(counter.load(Ordering::SeqCst));
    }
    assert_eq!(counts[0], counts[1], "queries for 2 stages vs 20 stages");
    assert!(counts[0] <= 4, "{counts:?}");
}
