//! Operations: metrics by route, and what callers get while the database cannot answer.

use std::time::Duration;

use kariz_persistence::{PoolSettings, StoreError};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{Engine, TestDatabase, id, spawn_app, spawn_app_with_pool};
use crate::on_both_engines;

on_both_engines!(metrics_time_each_route_and_show_the_pool);

async fn metrics_time_each_route_and_show_the_pool(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Timed", "pipeline_id": id(&pipeline)})).await;
    for _ in 0..3 {
        app.get(&format!("/api/v1/deals/{}", id(&deal))).token(&admin.token).send().await.ok(200);
    }
    app.get(&format!("/api/v1/deals/{}", uuid::Uuid::now_v7())).token(&admin.token).send().await.problem(404);

    let metrics = app.get("/metrics").send().await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.content_type().starts_with("application/openmetrics-text"), "{}", metrics.content_type());
    let lines: Vec<&str> = metrics.text.lines().collect();
    // One series per route pattern, never per raw path: the three reads and the miss share it.
    let count = r#"kariz_http_request_duration_seconds_count{method="GET",route="/api/v1/deals/{id}"} 4"#;
    assert!(lines.contains(&count), "{count} missing from\n{}", metrics.text);
    let buckets = lines
        .iter()
        .filter(|l| l.starts_with("kariz_http_request_duration_seconds_bucket{") && l.contains(r#"route="/api/v1/deals/{id}""#));
    assert_eq!(buckets.count(), 15, "14 buckets and +Inf");
    assert!(!metrics.text.contains(&id(&deal)), "no raw paths in label values");
    let max = if engine == Engine::Sqlite { 8 } else { 32 };
    assert!(lines.contains(&format!(r#"kariz_db_pool_connections{{state="max"}} {max}"#).as_str()), "{}", metrics.text);
    assert!(lines.iter().any(|l| l.starts_with(r#"kariz_db_pool_connections{state="open"} "#)));
    assert!(lines.contains(&r#"kariz_http_responses_total{class="4xx"} 1"#), "{}", metrics.text);
    assert!(lines.contains(&"kariz_webhook_pending_deliveries 0"), "{}", metrics.text);
}

/// A statement that runs past the timeout is cancelled by PostgreSQL and reported as the database
/// being unavailable (retry later), not as an internal error.
#[tokio::test]
async fn a_statement_past_the_timeout_is_unavailable_not_a_failure() {
    let db = TestDatabase::create(Engine::Postgres).await;
    let pool = PoolSettings { statement_timeout: Duration::from_millis(100), ..PoolSettings::default() };
    let store = kariz_persistence::Store::connect_with(&db.url, pool).await.unwrap();
    let err = store.connection().execute_unprepared("SELECT pg_sleep(2)").await.unwrap_err();
    assert!(matches!(StoreError::from(err), StoreError::Unavailable(_)));
    store.connection().execute_unprepared("SELECT pg_sleep(0.01)").await.expect("short statements still run");
}

/// While a table is locked past the statement timeout, a request is answered 503 problem+json
/// with Retry-After; once the lock is gone the same request succeeds.
#[tokio::test]
async fn a_request_the_database_cannot_answer_in_time_is_a_503_with_retry_after() {
    let pool = PoolSettings { statement_timeout: Duration::from_millis(200), ..PoolSettings::default() };
    let app = spawn_app_with_pool(Engine::Postgres, pool, |_| {}).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Locked", "pipeline_id": id(&pipeline)})).await;

    let locker = sea_orm::Database::connect(&app.db.url).await.unwrap();
    let lock = sea_orm::TransactionTrait::begin(&locker).await.unwrap();
    lock.execute_unprepared("LOCK TABLE deals IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let reply = app.get(&format!("/api/v1/deals/{}", id(&deal))).token(&admin.token).send().await;
    reply.problem(503);
    assert_eq!(reply.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("2"));
    lock.rollback().await.unwrap();

    app.get(&format!("/api/v1/deals/{}", id(&deal))).token(&admin.token).send().await.ok(200);
}
