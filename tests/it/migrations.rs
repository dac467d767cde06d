use kariz_persistence::Store;
use serde_json::{Value, json};

use crate::helpers::{Engine, TestDatabase, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(migrations_run_from_empty_and_are_idempotent, duplicate_card_positions_are_repaired_and_then_refused);

async fn migrations_run_from_empty_and_are_idempotent(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    let store = Store::connect(&db.url).await.unwrap();
    assert!(!store.is_migrated().await.unwrap(), "a new database has pending migrations");
    store.migrate().await.unwrap();
    assert!(store.is_migrated().await.unwrap());
    store.migrate().await.unwrap();
    assert_eq!(
        store.engine(),
        match engine {
            Engine::Sqlite => kariz_persistence::Engine::Sqlite,
            Engine::Postgres => kariz_persistence::Engine::Postgres,
        }
    );
    assert!(store.first_workspace().await.unwrap().is_none());
    assert_eq!(store.outbox_depth().await.unwrap(), (0, 0));
    store.close().await.unwrap();
}

/// Columns whose cards share a position (left by concurrent creates and moves before positions
/// were chosen with the column held) are renumbered in their order, and the index then refuses
/// a duplicate: the card between two former twins can be placed again.
async fn duplicate_card_positions_are_repaired_and_then_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut cards = Vec::new();
    for title in ["One", "Two", "Three", "Four", "Five", "Six"] {
        cards.push(app.create_deal(&admin, json!({"title": title, "pipeline_id": id(&pipeline)})).await);
    }
    let elsewhere =
        app.create_deal(&admin, json!({"title": "Elsewhere", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 1)})).await;
    let uuid = |card: &Value| uuid::Uuid::parse_str(&id(card)).unwrap();
    // The schema and data before the migration: the plain index, and twins in the column.
    app.execute("DROP INDEX ix_deals_card_position", vec![]).await;
    app.execute("CREATE INDEX ix_deals_stage_position ON deals (stage_id, position)", vec![]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[0]["position"].as_str().into(), uuid(&cards[1]).into()]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[3]["position"].as_str().into(), uuid(&cards[4]).into()]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[3]["position"].as_str().into(), uuid(&cards[5]).into()]).await;

    app.execute("DELETE FROM seaql_migrations WHERE version = ?", vec!["m20261205_000015_unique_card_positions".into()]).await;
    app.store.migrate().await.unwrap();

    let column = format!("/api/v1/deals?stage_id={}&sort=position&limit=50", stage_id(&pipeline, 0));
    let listed = app.get(&column).token(&admin.token).send().await.ok(200).clone();
    let listed = listed["data"].as_array().unwrap().clone();
    let order: Vec<String> = listed.iter().map(id).collect();
    assert_eq!(order, cards.iter().map(id).collect::<Vec<_>>(), "the column keeps its order (position, then id)");
    let positions: Vec<&str> = listed.iter().map(|card| card["position"].as_str().unwrap()).collect();
    for pair in positions.windows(2) {
        assert!(pair[0] < pair[1], "positions strictly ascending: {positions:?}");
    }
    assert!(positions.iter().all(|p| kariz_domain::Position::parse(p).is_ok()), "valid keys: {positions:?}");
    let untouched = app.deal(&admin, &id(&elsewhere)).await;
    assert_eq!(untouched["position"], elsewhere["position"], "a column without twins is left alone");

    let twin = app.try_execute("UPDATE deals SET position = ? WHERE id = ?", vec![positions[0].into(), uuid(&cards[1]).into()]).await;
    assert!(twin.is_err(), "the index refuses a second card at a taken position");
    let current = app.deal(&admin, &id(&cards[5])).await;
    let between = json!({"stage_id": stage_id(&pipeline, 0), "before_id": id(&cards[0]), "after_id": id(&cards[1])});
    let moved = app.move_deal(&admin, &current, between).await.ok(200).clone();
    assert!(positions[0] < moved["position"].as_str().unwrap() && moved["position"].as_str().unwrap() < positions[1]);
}
