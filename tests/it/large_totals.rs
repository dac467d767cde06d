//! Money totals beyond 64 bits: 10,000 deals at the largest amount (10^15 minor units) add up to
//! 10^19, past `i64::MAX`. The board, every report that sums money, and their conversions answer
//! exact totals instead of failing.

use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;

on_both_engines!(totals_beyond_64_bits_are_exact_on_the_board_and_in_reports);

const MAX_AMOUNT: i128 = 1_000_000_000_000_000;
/// Deals of each status (open, won, lost): 10,000 × 10^15 = 10^19 > 2^63.
const DEALS: i128 = 10_000;

#[derive(Deserialize)]
struct Total {
    currency: String,
    amount_minor: i128,
    #[serde(default)]
    weighted_amount_minor: Option<i128>,
}

#[derive(Deserialize)]
struct Column {
    totals: Vec<Total>,
}

#[derive(Deserialize)]
struct Board {
    columns: Vec<Column>,
}

#[derive(Deserialize)]
struct Converted {
    amount_minor: i128,
    unconverted: Vec<String>,
}

#[derive(Deserialize)]
struct Figure {
    by_currency: Vec<Total>,
    converted: Option<Converted>,
}

/// Copies `deal` `copies` times in SQL with `status` (the API would take minutes for as many),
/// each at a position of its own after the original's.
async fn copy_deal(app: &TestApp, deal: &str, copies: i128, status: &str) {
    let new_id = match app.engine {
        Engine::Postgres => "gen_random_uuid()",
        Engine::Sqlite => "randomblob(16)",
    };
    let closed = (status != "open").then(Utc::now);
    let lost_reason = (status == "lost").then_some("Price");
    // A fraction digit per status (never `0`), so that each batch of copies has positions of its own.
    let tag = &status[..1];
    let sql = format!(
        "WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ?) \
         INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, probability, expected_close_date, \
           owner_id, status, lost_reason, closed_at, position, stage_entered_at, version, created_at, updated_at, opportunity_id) \
         SELECT {new_id}, d.workspace_id, d.pipeline_id, d.stage_id, d.title, d.amount_minor, d.currency, d.probability, \
           d.expected_close_date, d.owner_id, ?, ?, ?, d.position || 'V' || n || '{tag}', d.stage_entered_at, d.version, d.created_at, d.updated_at, \
           d.opportunity_id FROM deals d, copies WHERE d.id = ?"
    );
    let deal: uuid::Uuid = deal.parse().unwrap();
    app.execute(&sql, vec![(copies as i64).into(), status.into(), lost_reason.into(), closed.into(), deal.into()]).await;
}

/// A report parsed into `T` straight from the text, so that 128-bit integers stay exact (a
/// `serde_json::Value` would round them to floats).
async fn report<T: serde::de::DeserializeOwned>(app: &TestApp, admin: &Session, path: &str) -> T {
    let reply = app.get(path).token(&admin.token).send().await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    serde_json::from_str(&reply.text).unwrap_or_else(|e| panic!("{path}: {e}: {}", reply.text))
}

#[derive(Deserialize)]
struct ForecastMonth {
    weighted: Figure,
    won: Figure,
}

#[derive(Deserialize)]
struct Forecast {
    months: Vec<ForecastMonth>,
}

#[derive(Deserialize)]
struct Outcome {
    value: Figure,
}

#[derive(Deserialize)]
struct WinRate {
    won: Outcome,
    lost: Outcome,
}

#[derive(Deserialize)]
struct LostDeals {
    value: Figure,
    reasons: Vec<Outcome>,
}

#[derive(Deserialize)]
struct LostReasons {
    lost_deals: LostDeals,
}

#[derive(Deserialize)]
struct Leader {
    value_won: Figure,
}

#[derive(Deserialize)]
struct Leaderboard {
    data: Vec<Leader>,
}

async fn totals_beyond_64_bits_are_exact_on_the_board_and_in_reports(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app
        .post("/api/v1/pipelines")
        .token(&admin.token)
        .json(json!({"name": "Big", "currency": "USD", "stages": [{"name": "Only", "probability": 30}]}))
        .send()
        .await
        .ok(201)
        .clone();
    let today = Utc::now().date_naive();
    let body = json!({"title": "Huge", "pipeline_id": id(&pipeline), "amount_minor": MAX_AMOUNT as i64, "expected_close_date": today});
    let deal = id(&app.create_deal(&admin, body).await);
    copy_deal(&app, &deal, DEALS - 1, "open").await;
    copy_deal(&app, &deal, DEALS, "won").await;
    copy_deal(&app, &deal, DEALS, "lost").await;
    // Deals written around the application: the board's kept figures are counted again, as
    // `kariz repair --rollups` does.
    app.store.rebuild_rollups(|_, _| {}).await.unwrap();
    let rate = json!({"currency": "USD", "rate_date": today, "rate": "42000"});
    app.post("/api/v1/exchange-rates").token(&admin.token).json(rate).send().await.ok(201);
    let total = DEALS * MAX_AMOUNT;
    assert!(total > i128::from(i64::MAX));
    // Cents at 42,000 rials a dollar: × 42,000 / 100.
    let in_rials = total * 420;

    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(&admin.token).send().await;
    assert_eq!(board.status, 200, "{}", board.text);
    let board: Board = serde_json::from_str(&board.text).unwrap();
    let column = &board.columns[0].totals[0];
    assert_eq!((column.currency.as_str(), column.amount_minor, column.weighted_amount_minor), ("USD", total, Some(total * 3 / 10)));

    let forecast: Forecast = report(&app, &admin, "/api/v1/reports/forecast").await;
    let month = &forecast.months[0];
    assert_eq!(month.weighted.by_currency[0].amount_minor, total * 3 / 10);
    let converted = month.weighted.converted.as_ref().unwrap();
    assert_eq!((converted.amount_minor, converted.unconverted.is_empty()), (in_rials * 3 / 10, true));
    assert_eq!(month.won.by_currency[0].amount_minor, total);
    let win_rate: WinRate = report(&app, &admin, "/api/v1/reports/win-rate").await;
    assert_eq!((win_rate.won.value.by_currency[0].amount_minor, win_rate.lost.value.by_currency[0].amount_minor), (total, total));
    assert_eq!(win_rate.won.value.converted.unwrap().amount_minor, in_rials);
    let by_value = app.get("/api/v1/reports/win-rate").token(&admin.token).send().await;
    assert_eq!(by_value.ok(200)["win_rate_by_value"][0]["percent"], 50.0);
    let lost: LostReasons = report(&app, &admin, "/api/v1/reports/lost-reasons").await;
    let lost = lost.lost_deals;
    assert_eq!((lost.value.by_currency[0].amount_minor, lost.reasons[0].value.by_currency[0].amount_minor), (total, total));
    let leaderboard: Leaderboard = report(&app, &admin, "/api/v1/reports/leaderboard").await;
    assert_eq!(leaderboard.data[0].value_won.by_currency[0].amount_minor, total);
}
