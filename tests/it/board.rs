use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Days, NaiveTime};
use kariz_domain::{PipelineId, Role, UserId, Viewer, Visibility, VisibilitySettings, WorkspaceId};
use kariz_persistence::Store;
use kariz_persistence::board::BoardFilter;
use sea_orm::Database;
use serde_json::{Value, json};

use crate::helpers::{Engine, TestDatabase, id, spawn_app, stage_id};
use crate::notifications::set_clock;
use crate::on_both_engines;
use crate::processes::Server;

on_both_engines!(
    the_board_has_counts_totals_per_currency_and_weighted_totals,
    board_columns_page_through_the_deals_list,
    the_board_takes_the_same_number_of_queries_for_any_number_of_stages,
    a_card_holds_what_it_shows_with_its_next_activity_and_overdue_mark,
    the_demo_boards_cards_average_at_most_350_bytes,
    the_cards_next_activities_are_read_from_their_index,
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
    // The pipeline with its stages, the figures, the cards and their next activities.
    assert!(counts[0] <= 5, "{counts:?}");
}

/// A card carries what the board draws, not the whole deal; its next activity is the earliest
/// open one the viewer may see, overdue once its day has passed in the viewer's time zone.
async fn a_card_holds_what_it_shows_with_its_next_activity_and_overdue_mark(engine: Engine) {
    let app = spawn_app(engine).await;
    let day = kariz_persistence::clock::Clock::now(&app.clock).date_naive();
    let utc = |days: u64, hour: u32, minute: u32| {
        day.checked_add_days(Days::new(days)).unwrap().and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap()).and_utc()
    };
    let rfc3339 = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // 21:00 UTC on day 1: 00:30 on day 2 in Tehran.
    set_clock(&app, utc(1, 21, 0));
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let overdue = app.create_deal(&admin, json!({"title": "Overdue", "pipeline_id": p, "tags": ["vip"], "probability": 35})).await;
    let upcoming = app.create_deal(&admin, json!({"title": "Upcoming", "pipeline_id": p, "expected_close_date": "2030-01-10"})).await;
    let idle = app.create_deal(&admin, json!({"title": "Idle", "pipeline_id": p})).await;
    let task = |deal: &Value, subject: &str, due_at: Option<String>, done: bool| {
        let mut body = json!({"kind": "task", "subject": subject, "deal_id": id(deal)});
        if let Some(due_at) = due_at {
            body["due_at"] = json!(due_at);
        }
        if done {
            body["done_at"] = json!(rfc3339(utc(0, 9, 0)));
        }
        body
    };
    for body in [
        // Due at 20:00 UTC on day 1: today in UTC, yesterday (23:30) in Tehran.
        task(&overdue, "Call back", Some(rfc3339(utc(1, 20, 0))), false),
        task(&overdue, "Later", Some(rfc3339(utc(5, 9, 0))), false),
        task(&overdue, "Done long ago", Some(rfc3339(utc(0, 8, 0))), true),
        task(&upcoming, "Send the offer", Some(rfc3339(utc(3, 9, 0))), false),
        task(&idle, "Someday", None, false),
        task(&idle, "Finished", Some(rfc3339(utc(0, 8, 0))), true),
    ] {
        app.post("/api/v1/activities").token(&admin.token).json(body).send().await.ok(201);
    }

    let cards = |board: &Value| -> Vec<Value> { board["columns"][0]["deals"].as_array().unwrap().to_vec() };
    let card = |cards: &[Value], title: &str| cards.iter().find(|c| c["title"] == title).cloned().unwrap();
    let board = app.get(&format!("/api/v1/pipelines/{p}/board")).token(&admin.token).send().await.ok(200).clone();
    let shown = cards(&board);
    let first = card(&shown, "Overdue");
    let mut keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "amount_minor",
            "currency",
            "custom_probability",
            "id",
            "next_activity_at",
            "owner_id",
            "position",
            "stage_entered_at",
            "status",
            "tags",
            "title",
            "version"
        ],
        "UTC: the task is due today, not overdue, and what is empty is left out"
    );
    assert_eq!(first["next_activity_at"], rfc3339(utc(1, 20, 0)));
    assert_eq!((first["custom_probability"].as_i64(), first["tags"].clone()), (Some(35), json!(["vip"])));
    let second = card(&shown, "Upcoming");
    assert_eq!((second["next_activity_at"].as_str(), second.get("overdue")), (Some(rfc3339(utc(3, 9, 0)).as_str()), None));
    assert_eq!(second["expected_close_date"], "2030-01-10");
    let third = card(&shown, "Idle");
    assert_eq!((third.get("next_activity_at"), third.get("overdue")), (None, None), "no due open task: {third}");

    // In Tehran the first task's day has passed.
    app.patch("/api/v1/me").token(&admin.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    let board = app.get(&format!("/api/v1/pipelines/{p}/board")).token(&admin.token).send().await.ok(200).clone();
    let shown = cards(&board);
    assert_eq!(card(&shown, "Overdue")["overdue"], true);
    assert_eq!(card(&shown, "Upcoming").get("overdue"), None);
    // Done, the next one is up and not overdue.
    let activities = app.get(&format!("/api/v1/activities?deal_id={}", id(&overdue))).token(&admin.token).send().await.ok(200).clone();
    let call = activities["data"].as_array().unwrap().iter().find(|a| a["subject"] == "Call back").unwrap().clone();
    app.post(&format!("/api/v1/activities/{}/complete", id(&call))).token(&admin.token).if_match(1).send().await.ok(200);
    let board = app.get(&format!("/api/v1/pipelines/{p}/board")).token(&admin.token).send().await.ok(200).clone();
    let first = card(&cards(&board), "Overdue");
    assert_eq!((first["next_activity_at"].as_str(), first.get("overdue")), (Some(rfc3339(utc(5, 9, 0)).as_str()), None));
}

/// The demo's board, as a new user first meets it: its cards average at most 350 bytes of JSON.
async fn the_demo_boards_cards_average_at_most_350_bytes(engine: Engine) {
    let database = TestDatabase::create(engine).await;
    let server = Server::start_with(&database.url, &[("KARIZ_DEMO", "true")]).await;
    let client = reqwest::Client::new();
    let token = server.demo_token(&client).await;
    let get = |path: String| client.get(format!("{}/api/v1/{path}", server.base)).bearer_auth(&token).send();
    let pipelines: Value = get("pipelines".into()).await.unwrap().json().await.unwrap();
    let pipeline = pipelines["data"][0]["id"].as_str().unwrap().to_owned();
    for status in ["open", "all"] {
        let board: Value = get(format!("pipelines/{pipeline}/board?status={status}")).await.unwrap().json().await.unwrap();
        let sizes: Vec<usize> = board["columns"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["deals"].as_array().unwrap())
            .map(|card| serde_json::to_vec(card).unwrap().len())
            .collect();
        assert!(sizes.len() >= 30, "{status}: {} cards", sizes.len());
        let average = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
        assert!(average <= 350.0, "{status}: {average:.0} bytes a card on average");
    }
}

/// The cards' next activities come from the index of migration 000038 on both engines, not
/// from a scan of the activities (sequential scans are switched off on PostgreSQL, where a table
/// this small would otherwise be read whole).
async fn the_cards_next_activities_are_read_from_their_index(engine: Engine) {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_app(engine).await;
    let ids = [uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7()];
    let values: Vec<sea_orm::Value> = ids.iter().map(|id| (*id).into()).collect();
    let query =
        "SELECT deal_id, MIN(due_at) FROM activities WHERE workspace_id = ? AND deal_id IN (?, ?) AND done_at IS NULL GROUP BY deal_id";
    let txn = app.store.connection().begin().await.unwrap();
    let explain = match engine {
        Engine::Postgres => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            format!("EXPLAIN {query}")
        }
        Engine::Sqlite => format!("EXPLAIN QUERY PLAN {query}"),
    };
    let plan = txn.query_all_raw(app.statement(&explain, values)).await.unwrap();
    let column = if engine == Engine::Postgres { 0 } else { 3 };
    let plan: Vec<String> = plan.iter().map(|row| row.try_get_by_index::<String>(column).unwrap()).collect();
    assert!(plan.iter().any(|line| line.contains("ix_activities_deal_open")), "{plan:#?}");
    txn.rollback().await.unwrap();
}
