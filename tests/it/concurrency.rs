use serde_json::json;

use crate::helpers::{Engine, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    concurrent_moves_with_the_same_version_let_exactly_one_win,
    concurrent_reorders_all_succeed_and_keep_positions_distinct,
    concurrent_creates_and_moves_into_one_column_get_distinct_positions,
);

/// Many clients read version 1 and move the same card at once: the version is a compare-and-swap,
/// so exactly one move commits (with its one history row and one event) and the rest get 412.
async fn concurrent_moves_with_the_same_version_let_exactly_one_win(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Contested", "pipeline_id": id(&pipeline)})).await;

    for round in 0..3 {
        let current = app.deal(&admin, &id(&deal)).await;
        let attempts = (0..8).map(|i| {
            let target = stage_id(&pipeline, 1 + (i + round) % 2);
            app.move_deal(&admin, &current, json!({"stage_id": target}))
        });
        let replies = futures_join_all(attempts).await;
        let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 412), "round {round}: {statuses:?}");
        for loser in replies.iter().filter(|r| r.status == 412) {
            assert_eq!(loser.body["current_version"], current["version"].as_i64().unwrap() + 1);
        }
    }
    let after = app.deal(&admin, &id(&deal)).await;
    assert_eq!(after["version"], 4, "three winning moves, nothing else");
    let history = app.get(&format!("/api/v1/deals/{}/history", id(&deal))).token(&admin.token).send().await.ok(200).clone();
    let changes = app.event_count(&id(&deal), "deal.stage_changed").await;
    // Moves to the stage a card is already in are reorders: no history row, no event.
    assert_eq!(history["data"].as_array().unwrap().len() as i64 - 1, changes);
    assert!(changes >= 1);
}

/// Reordering pipelines (or stages) at once, each request with `If-Match: *`: every one succeeds,
/// one after another, and the positions stay a permutation. (They used to deadlock on
/// PostgreSQL, each holding its own row and waiting for its siblings'; the fuzz run found it.)
async fn concurrent_reorders_all_succeed_and_keep_positions_distinct(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut pipelines = Vec::new();
    for name in ["A", "B", "C", "D"] {
        pipelines.push(app.create_pipeline(&admin, name, &[("One", 10), ("Two", 20), ("Three", 30), ("Four", 40)]).await);
    }
    let (app, t) = (&app, admin.token.as_str());
    for round in 0..3 {
        let reorders = pipelines.iter().enumerate().map(|(i, pipeline)| {
            let path = format!("/api/v1/pipelines/{}", id(pipeline));
            async move { app.patch(&path).token(t).header("if-match", "*").json(json!({"position": (i + round) % 4})).send().await }
        });
        let statuses: Vec<u16> = futures_join_all(reorders).await.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [200; 4], "round {round}");
        let stage_reorders = (0..4).map(|i| {
            let path = format!("/api/v1/stages/{}", stage_id(&pipelines[0], i));
            async move { app.patch(&path).token(t).header("if-match", "*").json(json!({"position": (i + round + 1) % 4})).send().await }
        });
        let statuses: Vec<u16> = futures_join_all(stage_reorders).await.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [200; 4], "round {round}");
    }
    let listed = app.get("/api/v1/pipelines").token(t).send().await.ok(200).clone();
    let mut positions: Vec<i64> = listed["data"].as_array().unwrap().iter().map(|p| p["position"].as_i64().unwrap()).collect();
    positions.sort();
    assert_eq!(positions, [0, 1, 2, 3]);
    let first = app.get(&format!("/api/v1/pipelines/{}", id(&pipelines[0]))).token(t).send().await.ok(200).clone();
    let mut stage_positions: Vec<i64> = first["stages"].as_array().unwrap().iter().map(|s| s["position"].as_i64().unwrap()).collect();
    stage_positions.sort();
    assert_eq!(stage_positions, [0, 1, 2, 3]);
}

/// Thirty cards created into one column at once, then thirty moved to the end of another at
/// once: each gets a position of its own (they used to share a few, chosen before the write
/// transaction), and a card can be placed between any two neighbours afterwards.
async fn concurrent_creates_and_moves_into_one_column_get_distinct_positions(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (app, admin) = (&app, &admin);
    let creates = (0..30).map(|n| {
        let body = json!({"title": format!("Card {n}"), "pipeline_id": id(&pipeline)});
        async move { app.post("/api/v1/deals").token(&admin.token).json(body).send().await }
    });
    let created: Vec<serde_json::Value> = futures_join_all(creates).await.iter().map(|r| r.ok(201).clone()).collect();
    let first = column(app, admin, &stage_id(&pipeline, 0)).await;
    assert_eq!(first.len(), 30);
    assert_distinct_positions(&first);

    let target = stage_id(&pipeline, 1);
    let moves = created.iter().map(|card| app.move_deal(admin, card, json!({"stage_id": target})));
    for reply in futures_join_all(moves).await {
        reply.ok(200);
    }
    let second = column(app, admin, &target).await;
    assert_eq!(second.len(), 30);
    assert_distinct_positions(&second);

    for pair in second[..29].windows(2).step_by(7) {
        let mover = app.deal(admin, &id(&second[29])).await;
        let between = json!({"stage_id": target, "before_id": id(&pair[0]), "after_id": id(&pair[1])});
        app.move_deal(admin, &mover, between).await.ok(200);
    }
}

/// A column's cards in position order.
async fn column(app: &crate::helpers::TestApp, session: &crate::helpers::Session, stage: &str) -> Vec<serde_json::Value> {
    let path = format!("/api/v1/deals?stage_id={stage}&sort=position&limit=100");
    app.get(&path).token(&session.token).send().await.ok(200)["data"].as_array().unwrap().clone()
}

fn assert_distinct_positions(cards: &[serde_json::Value]) {
    let positions: Vec<&str> = cards.iter().map(|card| card["position"].as_str().unwrap()).collect();
    for pair in positions.windows(2) {
        assert!(pair[0] < pair[1], "every card has a position of its own: {positions:?}");
    }
}

/// Runs futures concurrently on the current task (no extra dependency needed).
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    let mut pending: Vec<_> = handles.into_iter().enumerate().collect();
    std::future::poll_fn(move |cx| {
        pending.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
            std::task::Poll::Ready(output) => {
                outputs[*index] = Some(output);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(outputs.drain(..).map(|o| o.expect("every future finished")).collect())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}
