use serde_json::{Value, json};

use crate::helpers::{Engine, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    deals_are_created_with_defaults_from_their_pipeline,
    updates_need_the_version_and_stale_ones_change_nothing,
    deals_move_between_stages_and_within_a_column,
    won_and_lost_deals_stay_put_until_reopened,
    a_deal_cannot_move_to_another_pipelines_stage,
    deals_list_filters_sorts_and_pages,
    deleting_a_deal_records_an_event,
    deals_created_in_bulk_are_like_deals_created_one_by_one,
    currencies_are_iso_4217_codes_and_stored_ones_still_load,
    deals_have_tags_to_create_change_and_filter_by,
);

async fn deals_are_created_with_defaults_from_their_pipeline(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let reply = app
        .post("/api/v1/deals")
        .token(&admin.token)
        .json(json!({"title": " Fleet renewal ", "pipeline_id": id(&pipeline), "amount_minor": 1_000_000, "expected_close_date": "2027-03-21"}))
        .send()
        .await;
    let deal = reply.ok(201).clone();
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(reply.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/deals/{}", id(&deal)));
    assert_eq!(deal["title"], "Fleet renewal");
    assert_eq!(deal["stage_id"], stage_id(&pipeline, 0).as_str(), "first stage by default");
    assert_eq!(deal["currency"], "IRR", "the pipeline's currency by default");
    assert_eq!(deal["owner_id"], admin.user_id.as_str(), "the creator owns it by default");
    assert_eq!((deal["probability"].as_i64(), deal["custom_probability"].clone()), (Some(20), Value::Null));
    assert_eq!(deal["weighted_amount_minor"], 200_000);
    assert_eq!(deal["status"], "open");
    assert_eq!(deal["version"], 1);

    let pinned = app
        .create_deal(&admin, json!({"title": "Pinned", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 2), "amount_minor": 999, "currency": "usd", "probability": 33}))
        .await;
    assert_eq!((pinned["probability"].as_i64(), pinned["custom_probability"].as_i64()), (Some(33), Some(33)));
    assert_eq!(pinned["weighted_amount_minor"], 330);
    assert_eq!(pinned["currency"], "USD");

    let history = app.get(&format!("/api/v1/deals/{}/history", id(&deal))).token(&admin.token).send().await;
    let entries = history.ok(200)["data"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["from_stage_id"], Value::Null);
    assert_eq!(app.event_count(&id(&deal), "deal.created").await, 1);

    let invalid = app
        .post("/api/v1/deals")
        .token(&admin.token)
        .json(json!({"title": "   ", "pipeline_id": id(&pipeline), "currency": "R$", "probability": 30}))
        .send()
        .await;
    let mut fields = invalid.error_fields();
    fields.sort();
    assert_eq!(fields, ["currency", "title"]);
    let bad_owner = app
        .post("/api/v1/deals")
        .token(&admin.token)
        .json(json!({"title": "X", "pipeline_id": id(&pipeline), "owner_id": uuid::Uuid::now_v7()}))
        .send()
        .await;
    assert_eq!(bad_owner.error_fields(), ["owner_id"]);
    let bad_stage = app
        .post("/api/v1/deals")
        .token(&admin.token)
        .json(json!({"title": "X", "pipeline_id": id(&pipeline), "stage_id": uuid::Uuid::now_v7()}))
        .send()
        .await;
    assert_eq!(bad_stage.error_fields(), ["stage_id"]);
}

async fn updates_need_the_version_and_stale_ones_change_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Deal", "pipeline_id": id(&pipeline), "amount_minor": 100})).await;
    let path = format!("/api/v1/deals/{}", id(&deal));

    app.patch(&path).token(&admin.token).json(json!({"title": "No version"})).send().await.problem(428);
    let updated = app
        .patch(&path)
        .token(&admin.token)
        .if_match(1)
        .json(json!({"title": "Bigger", "amount_minor": 500, "probability": 90}))
        .send()
        .await;
    assert_eq!(updated.ok(200)["version"], 2);
    assert_eq!(updated.etag(), "\"2\"");
    assert_eq!((updated.body["amount_minor"].as_i64(), updated.body["probability"].as_i64()), (Some(500), Some(90)));
    let changes = app.event_count(&id(&deal), "deal.updated").await;
    assert_eq!(changes, 1);

    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"title": "Lost update"})).send().await;
    assert_eq!(stale.problem(412)["current_version"], 2);
    let body_version = app.patch(&path).token(&admin.token).json(json!({"title": "Also stale", "version": 1})).send().await;
    body_version.problem(412);
    let now = app.deal(&admin, &id(&deal)).await;
    assert_eq!((now["title"].as_str(), now["version"].as_i64()), (Some("Bigger"), Some(2)), "stale writes change nothing");
    assert_eq!(app.event_count(&id(&deal), "deal.updated").await, 1, "and record no event");

    // `null` returns the probability to the stage's; the body's version works like If-Match.
    let reset = app.patch(&path).token(&admin.token).json(json!({"probability": null, "version": 2})).send().await;
    assert_eq!((reset.ok(200)["probability"].as_i64(), reset.body["custom_probability"].clone()), (Some(20), Value::Null));
    // An update that changes nothing keeps the version.
    let same = app.patch(&path).token(&admin.token).if_match(3).json(json!({"title": "Bigger"})).send().await;
    assert_eq!(same.ok(200)["version"], 3);
    app.patch(&path).token(&admin.token).if_match(3).json(json!({"stage_id": stage_id(&pipeline, 1)})).send().await.problem(422);
    // `If-Match: *` is an explicit opt-out: it writes over whatever version is current.
    let forced = app.patch(&path).token(&admin.token).header("if-match", "*").json(json!({"title": "Forced"})).send().await;
    assert_eq!((forced.ok(200)["title"].as_str(), forced.body["version"].as_i64()), (Some("Forced"), Some(4)));
}

fn column_titles(board: &Value, column: usize) -> Vec<String> {
    board["columns"][column]["deals"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()).collect()
}

async fn deals_move_between_stages_and_within_a_column(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (first, second) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    let mut deals = Vec::new();
    for title in ["A", "B", "C"] {
        deals.push(app.create_deal(&admin, json!({"title": title, "pipeline_id": id(&pipeline), "amount_minor": 1000})).await);
    }
    let board_path = format!("/api/v1/pipelines/{}/board", id(&pipeline));
    let board = app.get(&board_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(column_titles(&board, 0), ["A", "B", "C"]);

    // Between stages: A goes to the second column.
    let moved = app.move_deal(&admin, &deals[0], json!({"stage_id": second})).await;
    let a = moved.ok(200).clone();
    assert_eq!((a["stage_id"].as_str(), a["version"].as_i64(), a["probability"].as_i64()), (Some(second.as_str()), Some(2), Some(50)));
    assert_eq!(app.event_count(&id(&a), "deal.stage_changed").await, 1);
    let history = app.get(&format!("/api/v1/deals/{}/history", id(&a))).token(&admin.token).send().await.ok(200).clone();
    let entries = history["data"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[1]["from_stage_id"].as_str(), entries[1]["to_stage_id"].as_str()), (Some(first.as_str()), Some(second.as_str())));
    assert_eq!(entries[1]["actor_id"], admin.user_id.as_str());

    // Within a column: C goes before B (after_id = the card below it).
    let c = app.move_deal(&admin, &deals[2], json!({"stage_id": first, "after_id": id(&deals[1])})).await.ok(200).clone();
    assert_eq!(c["version"], 2);
    let board = app.get(&board_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(column_titles(&board, 0), ["C", "B"]);
    assert_eq!(app.event_count(&id(&c), "deal.stage_changed").await, 0, "a reorder is not a stage change");
    let history = app.get(&format!("/api/v1/deals/{}/history", id(&c))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(history["data"].as_array().unwrap().len(), 1);

    // Back into the first column between C and B, with both neighbours named.
    let a = app.move_deal(&admin, &a, json!({"stage_id": first, "before_id": id(&c), "after_id": id(&deals[1])})).await.ok(200).clone();
    let board = app.get(&board_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(column_titles(&board, 0), ["C", "A", "B"]);
    // Only `before_id`: just below that card.
    let b = app.deal(&admin, &id(&deals[1])).await;
    app.move_deal(&admin, &b, json!({"stage_id": first, "before_id": id(&c)})).await.ok(200);
    let board = app.get(&board_path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(column_titles(&board, 0), ["C", "B", "A"]);
    assert_eq!(board["columns"][1]["count"], 0);

    // Neighbours must be in the target column, and not the card itself.
    let a = app.deal(&admin, &id(&a)).await;
    let wrong = app.move_deal(&admin, &a, json!({"stage_id": second, "before_id": id(&c)})).await;
    assert_eq!(wrong.error_fields(), ["before_id"]);
    let itself = app.move_deal(&admin, &a, json!({"stage_id": first, "after_id": id(&a)})).await;
    assert_eq!(itself.error_fields(), ["after_id"]);
    let nowhere = app.move_deal(&admin, &a, json!({"stage_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(nowhere.error_fields(), ["stage_id"]);
    let no_version = app.post(&format!("/api/v1/deals/{}/move", id(&a))).token(&admin.token).json(json!({"stage_id": second})).send().await;
    no_version.problem(428);
}

async fn won_and_lost_deals_stay_put_until_reopened(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Closing", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 1)})).await;
    let path = format!("/api/v1/deals/{}", id(&deal));

    let won = app.post(&format!("{path}/win")).token(&admin.token).if_match(1).send().await;
    let won = won.ok(200).clone();
    assert_eq!((won["status"].as_str(), won["stage_id"].as_str()), (Some("won"), Some(stage_id(&pipeline, 1).as_str())));
    assert!(won["closed_at"].is_string());
    app.post(&format!("{path}/win")).token(&admin.token).if_match(2).send().await.problem(409);
    let refused = app.move_deal(&admin, &won, json!({"stage_id": stage_id(&pipeline, 2)})).await;
    assert!(refused.problem(409)["detail"].as_str().unwrap().contains("reopen"));
    app.post(&format!("{path}/lose")).token(&admin.token).if_match(2).json(json!({"reason": "x"})).send().await.problem(409);

    let reopened = app.post(&format!("{path}/reopen")).token(&admin.token).if_match(2).send().await.ok(200).clone();
    assert_eq!((reopened["status"].as_str(), reopened["closed_at"].clone()), (Some("open"), Value::Null));
    app.post(&format!("{path}/reopen")).token(&admin.token).if_match(3).send().await.problem(409);

    let blank = app.post(&format!("{path}/lose")).token(&admin.token).if_match(3).json(json!({"reason": ""})).send().await;
    assert_eq!(blank.error_fields(), ["reason"]);
    let missing = app.post(&format!("{path}/lose")).token(&admin.token).if_match(3).json(json!({})).send().await;
    assert_eq!(missing.error_fields(), ["reason"]);
    let lost =
        app.post(&format!("{path}/lose")).token(&admin.token).if_match(3).json(json!({"reason": "Went with a competitor"})).send().await;
    let lost = lost.ok(200).clone();
    assert_eq!((lost["status"].as_str(), lost["lost_reason"].as_str()), (Some("lost"), Some("Went with a competitor")));
    app.post(&format!("{path}/win")).token(&admin.token).send().await.problem(428);

    for (event, count) in [("deal.won", 1), ("deal.lost", 1), ("deal.reopened", 1)] {
        assert_eq!(app.event_count(&id(&deal), event).await, count, "{event}");
    }
    // The board shows open deals by default; closed ones on request, still in their stage.
    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(board["columns"][1]["count"], 0);
    let lost_board =
        app.get(&format!("/api/v1/pipelines/{}/board?status=lost", id(&pipeline))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(lost_board["columns"][1]["count"], 1);
}

async fn a_deal_cannot_move_to_another_pipelines_stage(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let sales = app.sales_pipeline(&admin).await;
    let other = app.create_pipeline(&admin, "Partners", &[("Intro", 10)]).await;
    let deal = app.create_deal(&admin, json!({"title": "Stay", "pipeline_id": id(&sales)})).await;
    let reply = app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&other, 0)})).await;
    assert!(reply.problem(409)["detail"].as_str().unwrap().contains("another pipeline"));
    assert_eq!(app.deal(&admin, &id(&deal)).await["version"], 1);
}

async fn deals_list_filters_sorts_and_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let other = app.create_pipeline(&admin, "Partners", &[("Intro", 10)]).await;
    for i in 0..7 {
        let date = format!("2027-01-{:02}", i + 1);
        app.create_deal(
            &admin,
            json!({"title": format!("Deal {i}"), "pipeline_id": id(&pipeline), "amount_minor": (i % 3) * 100, "expected_close_date": date}),
        )
        .await;
    }
    app.create_deal(&admin, json!({"title": "Partner 100% deal_x", "pipeline_id": id(&other), "amount_minor": 5})).await;

    let page = |query: String| {
        let app = &app;
        let token = admin.token.clone();
        async move { app.get(&format!("/api/v1/deals?{query}")).token(&token).send().await.ok(200).clone() }
    };
    let all = page(String::new()).await;
    let titles: Vec<&str> = all["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(titles.first(), Some(&"Partner 100% deal_x"), "newest first by default");
    assert_eq!(titles.len(), 8);

    // Walk pages of 3 by amount, descending: stable, no duplicates, nothing skipped.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("pipeline_id={}&sort=-amount_minor&limit=3&cursor={c}", id(&pipeline)),
            None => format!("pipeline_id={}&sort=-amount_minor&limit=3", id(&pipeline)),
        };
        let body = page(query).await;
        for deal in body["data"].as_array().unwrap() {
            seen.push((deal["amount_minor"].as_i64().unwrap(), deal["title"].as_str().unwrap().to_owned()));
        }
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert!(seen.windows(2).all(|w| w[0].0 >= w[1].0), "{seen:?}");
    let mut unique: Vec<_> = seen.iter().map(|(_, t)| t.clone()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7);

    let text = page("q=100%25%20DEAL_".to_owned()).await;
    assert_eq!(text["data"].as_array().unwrap().len(), 1, "text search ignores case and punctuation");
    let none = page("q=p_rtner".to_owned()).await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0, "`_` is no wildcard");
    let dated = page("expected_close_from=2027-01-03&expected_close_to=2027-01-05".to_owned()).await;
    assert_eq!(dated["data"].as_array().unwrap().len(), 3);
    let by_stage = page(format!("stage_id={}&sort=position", stage_id(&pipeline, 0))).await;
    let positions: Vec<&str> = by_stage["data"].as_array().unwrap().iter().map(|d| d["position"].as_str().unwrap()).collect();
    assert_eq!(positions.len(), 7);
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    let owned = page(format!("owner_id={}&status=open", admin.user_id)).await;
    assert_eq!(owned["data"].as_array().unwrap().len(), 8);
    let won = page("status=won".to_owned()).await;
    assert_eq!(won["data"].as_array().unwrap().len(), 0);

    for bad in ["status=maybe", "sort=title", "cursor=garbage", "limit=abc", "pipeline_id=not-a-uuid", "expected_close_from=tomorrow"] {
        let reply = app.get(&format!("/api/v1/deals?{bad}")).token(&admin.token).send().await;
        reply.problem(400);
    }
    // A cursor made for one sort is refused under another.
    let amount_cursor = page("sort=amount_minor&limit=1".to_owned()).await["next_cursor"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/deals?sort=position&cursor={amount_cursor}")).token(&admin.token).send().await.problem(400);
}

async fn deleting_a_deal_records_an_event(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Temp", "pipeline_id": id(&pipeline)})).await;
    let path = format!("/api/v1/deals/{}", id(&deal));
    app.delete(&path).token(&admin.token).if_match(7).send().await.problem(412);
    app.delete(&path).token(&admin.token).if_match(1).send().await.ok(204);
    app.get(&path).token(&admin.token).send().await.problem(404);
    app.delete(&path).token(&admin.token).send().await.problem(404);
    assert_eq!(app.event_count(&id(&deal), "deal.deleted").await, 1);
    let history_rows = app.scalar("SELECT COUNT(*) FROM stage_history", vec![]).await;
    assert_eq!(history_rows, 0);
}

/// Seeding writes deals in bulk: each lands last in its column in the order given, after the
/// cards already there, with its history row, its event and its stage's follow-up tasks, across
/// more rows than one multi-row statement holds.
async fn deals_created_in_bulk_are_like_deals_created_one_by_one(engine: Engine) {
    use kariz_persistence::deals::CreateDeal;

    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (qualified, proposal) = (stage_id(&pipeline, 0), stage_id(&pipeline, 1));
    let earlier = app.create_deal(&admin, json!({"title": "Already here", "pipeline_id": id(&pipeline)})).await;
    let templates = format!("/api/v1/stages/{proposal}/task-templates");
    app.post(&templates).token(&admin.token).json(json!({"subject": "Send the proposal", "due_in_hours": 48})).send().await.ok(201);

    let workspace_id = kariz_domain::WorkspaceId::from(admin.workspace_id.parse::<uuid::Uuid>().unwrap());
    let user_id = kariz_domain::UserId::from(admin.user_id.parse::<uuid::Uuid>().unwrap());
    let pipeline_id = kariz_domain::PipelineId::from(id(&pipeline).parse::<uuid::Uuid>().unwrap());
    let new = |n: usize| CreateDeal {
        pipeline_id,
        // Every third deal goes to the proposal stage, the others to the first stage (the default).
        stage_id: (n % 3 == 2).then(|| kariz_domain::StageId::from(proposal.parse::<uuid::Uuid>().unwrap())),
        title: kariz_domain::DealTitle::parse(&format!("Bulk {n:04}")).unwrap(),
        amount_minor: n as i64,
        currency: None,
        probability: None,
        expected_close_date: None,
        owner_id: None,
        opportunity_id: None,
        contact_id: None,
        organization_id: None,
        tags: kariz_domain::Tags::default(),
        custom_fields: serde_json::Map::new(),
        amount_from_lines: false,
    };
    let created = app.store.create_deals_in_bulk(workspace_id, user_id, (0..1_200).map(new).collect()).await.unwrap();
    assert_eq!(created.len(), 1_200);

    // The first column: the earlier card, then the bulk deals in the order given.
    let mut titles = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = format!("/api/v1/deals?stage_id={qualified}&sort=position&limit=200{cursor}");
        let page = app.get(&url).token(&admin.token).send().await.ok(200).clone();
        titles.extend(page["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let expected: Vec<String> =
        std::iter::once("Already here".to_owned()).chain((0..1_200).filter(|n| n % 3 != 2).map(|n| format!("Bulk {n:04}"))).collect();
    assert_eq!(titles, expected);
    assert_eq!(titles[0], earlier["title"].as_str().unwrap());

    let bulk = created[1].deal.id().to_string();
    let deal = app.deal(&admin, &bulk).await;
    assert_eq!((deal["version"].as_i64(), deal["status"].as_str(), deal["probability"].as_i64()), (Some(1), Some("open"), Some(20)));
    let history = app.get(&format!("/api/v1/deals/{bulk}/history")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(history["data"].as_array().unwrap().len(), 1);
    assert_eq!(app.event_payload(&bulk, "deal.created").await["deal"]["title"], "Bulk 0001");
    let count = |sql: &'static str| app.scalar(sql, vec![]);
    assert_eq!(count("SELECT COUNT(*) FROM events WHERE event_type = 'deal.created'").await, 1_201);
    assert_eq!(count("SELECT COUNT(*) FROM stage_history WHERE from_stage_id IS NULL").await, 1_201);
    // The 400 deals that entered the proposal stage got its follow-up task.
    assert_eq!(count("SELECT COUNT(*) FROM activities WHERE subject = 'Send the proposal'").await, 400);
}

/// Only ISO 4217 codes are taken as currencies; a code stored before they were checked still loads.
async fn currencies_are_iso_4217_codes_and_stored_ones_still_load(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = json!({"name": "Odd", "currency": "ABC", "stages": [{"name": "One", "probability": 10}]});
    assert_eq!(app.post("/api/v1/pipelines").token(t).json(pipeline).send().await.error_fields(), ["currency"]);
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = json!({"title": "Odd", "pipeline_id": id(&pipeline), "currency": "XYZ"});
    assert_eq!(app.post("/api/v1/deals").token(t).json(deal).send().await.error_fields(), ["currency"]);
    let rate = json!({"currency": "QQQ", "rate_date": "2026-01-01", "rate": "2"});
    assert_eq!(app.post("/api/v1/exchange-rates").token(t).json(rate).send().await.error_fields(), ["currency"]);
    let signup = json!({"workspace_name": "Odd", "name": "O", "email": "o@odd.test", "password": crate::helpers::PASSWORD, "default_currency": "ZZZ"});
    assert_eq!(app.post("/api/v1/auth/signup").json(signup).send().await.error_fields(), ["default_currency"]);
    let usd = json!({"title": "Dollars", "pipeline_id": id(&pipeline), "currency": "usd"});
    assert_eq!(app.post("/api/v1/deals").token(t).json(usd).send().await.ok(201)["currency"], "USD");

    // Written when any three letters passed: it still reads, lists and adds up.
    let deal = app.create_deal(&admin, json!({"title": "Legacy", "pipeline_id": id(&pipeline), "amount_minor": 5})).await;
    let deal_id: uuid::Uuid = id(&deal).parse().unwrap();
    app.execute("UPDATE deals SET currency = 'ABC' WHERE id = ?", vec![deal_id.into()]).await;
    // Written around the application: the board's kept figures are counted again, as `kariz
    // repair --rollups` does.
    app.store.rebuild_rollups(|_, _| {}).await.unwrap();
    assert_eq!(app.deal(&admin, &id(&deal)).await["currency"], "ABC");
    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(t).send().await.ok(200).clone();
    let totals = board["columns"][0]["totals"].as_array().unwrap().clone();
    assert!(totals.iter().any(|total| total["currency"] == "ABC" && total["amount_minor"] == 5), "{totals:?}");
    app.get("/api/v1/reports/forecast").token(t).send().await.ok(200);
}

/// Tags on a deal: given when it is created (kept once whatever their case), replaced by a
/// `PATCH` (a `deal.updated` naming `tags`), refused by their place when bad, and a filter of
/// the deal list and of the board, whose counts and totals follow it.
async fn deals_have_tags_to_create_change_and_filter_by(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let t = admin.token.as_str();
    let fleet =
        app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": p, "amount_minor": 1000, "tags": [" VIP ", "vip", "fleet"]})).await;
    assert_eq!(fleet["tags"], json!(["VIP", "fleet"]));
    let plain = app.create_deal(&admin, json!({"title": "Plain", "pipeline_id": p, "amount_minor": 30})).await;
    assert_eq!(plain["tags"], json!([]), "no tags by default");
    app.create_deal(&admin, json!({"title": "Percent", "pipeline_id": p, "amount_minor": 500, "tags": ["50%_off"]})).await;

    let bad = app.post("/api/v1/deals").token(t).json(json!({"title": "X", "pipeline_id": p, "tags": ["ok", "a\"b", " "]})).send().await;
    assert_eq!(bad.error_fields(), ["tags.1", "tags.2"]);
    let too_many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let bad = app.post("/api/v1/deals").token(t).json(json!({"title": "X", "pipeline_id": p, "tags": too_many})).send().await;
    assert_eq!(bad.error_fields(), ["tags"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM deals", vec![]).await, 3, "nothing was created");

    let path = format!("/api/v1/deals/{}", id(&plain));
    let bad = app.patch(&path).token(t).if_match(1).json(json!({"tags": ["fine", "x".repeat(51)]})).send().await;
    assert_eq!(bad.error_fields(), ["tags.1"]);
    let updated = app.patch(&path).token(t).if_match(1).json(json!({"tags": ["Vip", "renewal"]})).send().await;
    assert_eq!((updated.ok(200)["tags"].clone(), updated.body["version"].as_i64()), (json!(["Vip", "renewal"]), Some(2)));
    let event = app.event_payload(&id(&plain), "deal.updated").await;
    assert_eq!(event["changes"], json!([{"field": "tags", "previous": [], "current": ["Vip", "renewal"]}]));
    assert_eq!(event["deal"]["tags"], json!(["Vip", "renewal"]));
    // The same tags again change nothing; a title change leaves them as they are.
    let same = app.patch(&path).token(t).if_match(2).json(json!({"tags": ["Vip", "renewal", "VIP"]})).send().await;
    assert_eq!((same.ok(200)["tags"].clone(), same.body["version"].as_i64()), (json!(["Vip", "renewal"]), Some(2)));
    let renamed = app.patch(&path).token(t).if_match(2).json(json!({"title": "Renamed"})).send().await;
    assert_eq!(renamed.ok(200)["tags"], json!(["Vip", "renewal"]));

    // Another workspace's deal with the same tag is never listed.
    let outsider = app.signup("Other", "owner@other.test").await;
    let theirs = app.sales_pipeline(&outsider).await;
    app.create_deal(&outsider, json!({"title": "Theirs", "pipeline_id": id(&theirs), "tags": ["vip"]})).await;

    let titles = |query: String| {
        let app = &app;
        async move {
            let page = app.get(&format!("/api/v1/deals?{query}&sort=created_at")).token(t).send().await.ok(200).clone();
            page["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("tag=vip".into()).await, ["Fleet", "Renamed"], "whatever the case");
    assert_eq!(titles("tag=renewal&q=ren".into()).await, ["Renamed"]);
    assert!(titles("tag=vi".into()).await.is_empty(), "a whole tag, not a part of one");
    assert_eq!(titles("tag=50%25_off".into()).await, ["Percent"]);
    assert!(titles("tag=50%25%25off".into()).await.is_empty(), "LIKE wildcards are taken literally");

    // The board's filter narrows the cards, the counts and the totals alike.
    let board = app.get(&format!("/api/v1/pipelines/{p}/board?tag=VIP")).token(t).send().await.ok(200).clone();
    let column = &board["columns"][0];
    assert_eq!(column_titles(&board, 0), ["Fleet", "Renamed"]);
    assert_eq!(column["count"], 2);
    assert_eq!(column["totals"][0]["amount_minor"], 1030);
    let board = app.get(&format!("/api/v1/pipelines/{p}/board?tag=fleet&q=nothing")).token(t).send().await.ok(200).clone();
    assert_eq!(board["columns"][0]["count"], 0);
}
