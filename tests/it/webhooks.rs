use std::time::Duration;

use kariz_api::webhook_docs::{
    ActivityEventData, ContactEventData, DealEventData, DealLostData, DealStageChangedData, DealUpdatedData, LeadDeletedData,
    LeadDisqualifiedData, LeadEventData, LeadQualifiedData, LeadUpdatedData, OpportunityEventData, PingData,
};
use kariz_webhooks::{Dispatcher, DispatcherConfig};
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, spawn_app_with, stage_id};
use crate::on_both_engines;
use crate::receiver::{Received, Receiver};

on_both_engines!(
    deal_events_arrive_signed_and_as_documented,
    a_failing_endpoint_gets_the_same_event_until_it_succeeds,
    events_of_one_deal_arrive_in_order,
    gone_disables_the_subscription,
    private_targets_are_refused_when_the_guard_is_on,
    redelivery_and_ping_send_again,
    a_rotated_secret_signs_beside_the_new_one,
    subscriptions_are_validated_and_admin_only,
    an_endpoint_failing_for_too_long_is_disabled,
    a_stopping_dispatcher_finishes_or_releases_its_work,
    retry_after_is_honoured_on_429,
    lead_events_arrive_as_documented,
    activity_events_arrive_as_documented,
    a_noisy_workspace_does_not_hold_back_a_quiet_one,
    claims_take_turns_across_workspaces_within_their_limits,
    another_workspaces_pipeline_is_refused_as_a_filter,
);

/// A dispatcher for tests: loopback targets allowed, retries after 20 ms instead of minutes.
pub(crate) fn dispatcher(app: &TestApp) -> Dispatcher {
    let config = DispatcherConfig {
        allow_private: true,
        retry_schedule: vec![Duration::from_millis(20); 9],
        jitter: 0.0,
        request_timeout: Duration::from_secs(5),
        outcomes: app.state.metrics.webhook_outcomes(),
        ..DispatcherConfig::default()
    };
    Dispatcher::new(app.store.clone(), config).unwrap()
}

/// Drives the dispatcher until the receiver has what `done` asks for, moving the clock on
/// between rounds so that retries come due without waiting for them.
pub(crate) async fn deliver_until(app: &TestApp, receiver: &Receiver, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
    let dispatcher = dispatcher(app);
    for _ in 0..500 {
        dispatcher.run_once().await.unwrap();
        if done(&receiver.received()) {
            return receiver.received();
        }
        app.clock.advance(chrono::Duration::milliseconds(100));
        tokio::task::yield_now().await;
    }
    receiver.wait_for(1, done).await
}

async fn allowing_private(engine: Engine) -> TestApp {
    spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await
}

async fn subscribe(app: &TestApp, admin: &Session, url: &str, body: Value) -> (String, String) {
    let mut request = json!({"url": url});
    request.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    let reply = app.post("/api/v1/webhooks").token(&admin.token).json(request).send().await;
    let created = reply.ok(201).clone();
    (id(&created["webhook"]), created["secret"].as_str().unwrap().to_owned())
}

async fn deal_events_arrive_signed_and_as_documented(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, secret) = subscribe(&app, &admin, &receiver.url, json!({})).await;
    assert!(secret.starts_with("whsec_"));
    let pipeline = app.sales_pipeline(&admin).await;
    let deal =
        app.create_deal(&admin, json!({"title": "Signed", "pipeline_id": id(&pipeline), "amount_minor": 100, "tags": ["vip"]})).await;
    let path = format!("/api/v1/deals/{}", id(&deal));
    let patch = json!({"amount_minor": 250, "tags": ["vip", "renewal"]});
    app.patch(&path).token(&admin.token).if_match(1).json(patch).send().await.ok(200);
    let moved =
        app.move_deal(&admin, &app.deal(&admin, &id(&deal)).await, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200).clone();
    app.post(&format!("{path}/lose")).token(&admin.token).if_match(3).json(json!({"reason": "budget cut"})).send().await.ok(200);
    app.post(&format!("{path}/reopen")).token(&admin.token).if_match(4).send().await.ok(200);
    app.post(&format!("{path}/win")).token(&admin.token).if_match(5).send().await.ok(200);
    app.delete(&path).token(&admin.token).send().await.ok(204);

    let received = deliver_until(&app, &receiver, |r| r.len() >= 7).await;
    let types: Vec<&str> = received.iter().map(Received::event_type).collect();
    assert_eq!(types, ["deal.created", "deal.updated", "deal.stage_changed", "deal.lost", "deal.reopened", "deal.won", "deal.deleted"]);
    for message in &received {
        assert!(message.verifies_with(&secret), "{} does not verify", message.event_type());
        assert_eq!(message.content_type, "application/json");
        assert!((message.timestamp - chrono::Utc::now().timestamp()).abs() < 60);
        assert!(message.json["timestamp"].is_string());
        assert_eq!(message.json["schema_version"], 1);
        let envelope: Vec<&String> = message.json.as_object().unwrap().keys().collect();
        assert_eq!(envelope, ["data", "schema_version", "timestamp", "type"]);
        let data = message.json["data"].clone();
        // Each payload parses with the documented schema, unknown fields refused.
        match message.event_type() {
            "deal.updated" => {
                let data: DealUpdatedData = serde_json::from_value(data).unwrap();
                assert_eq!(
                    (data.changes[0].field.as_str(), &data.changes[0].previous, &data.changes[0].current),
                    ("amount_minor", &json!(100), &json!(250))
                );
                assert_eq!(
                    (data.changes[1].field.as_str(), &data.changes[1].previous, &data.changes[1].current),
                    ("tags", &json!(["vip"]), &json!(["vip", "renewal"]))
                );
                assert_eq!(data.deal.tags, ["vip", "renewal"], "the deal as it now is, with its tags");
            }
            "deal.stage_changed" => {
                let data: DealStageChangedData = serde_json::from_value(data).unwrap();
                assert_eq!(data.to_stage_id.to_string(), stage_id(&pipeline, 1));
                assert_eq!(data.from_stage_id.to_string(), stage_id(&pipeline, 0));
                assert_eq!(data.actor_id.unwrap().to_string(), admin.user_id);
                assert_eq!(data.deal.version, moved["version"].as_i64().unwrap());
            }
            "deal.lost" => assert_eq!(serde_json::from_value::<DealLostData>(data).unwrap().reason.as_deref(), Some("budget cut")),
            "deal.created" => assert_eq!(serde_json::from_value::<DealEventData>(data).unwrap().deal.tags, ["vip"]),
            _ => drop(serde_json::from_value::<DealEventData>(data).unwrap()),
        }
    }
    let versions: Vec<i64> = received.iter().map(|r| r.json["data"]["deal"]["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6, 6], "every payload carries the deal's version");

    let log = app.get(&format!("/api/v1/webhooks/{webhook}/deliveries")).token(&admin.token).send().await.ok(200).clone();
    let deliveries = log["data"].as_array().unwrap();
    assert_eq!(deliveries.len(), 7);
    assert!(deliveries.iter().all(|d| d["status"] == "succeeded" && d["attempts"] == 1));
    assert_eq!(deliveries[0]["attempt_log"][0]["status_code"], 200);
    assert_eq!(deliveries[0]["attempt_log"][0]["response_excerpt"], "answered 200");
    let ids: Vec<&str> = received.iter().map(|r| r.id.as_str()).collect();
    assert!(deliveries.iter().all(|d| ids.contains(&d["event_id"].as_str().unwrap())), "webhook-id is the event id");
    let filtered =
        app.get(&format!("/api/v1/webhooks/{webhook}/deliveries?event_type=deal.won&status=succeeded")).token(&admin.token).send().await;
    assert_eq!(filtered.ok(200)["data"].as_array().unwrap().len(), 1);
}

async fn a_failing_endpoint_gets_the_same_event_until_it_succeeds(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[500, 500, 500]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, _) = subscribe(&app, &admin, &receiver.url, json!({"event_types": ["deal.created"]})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Persistent", "pipeline_id": id(&pipeline)})).await;

    let received = deliver_until(&app, &receiver, |r| r.len() >= 4).await;
    assert_eq!(received.len(), 4);
    assert!(received.iter().all(|r| r.id == received[0].id), "one webhook-id across retries");
    let log = app.get(&format!("/api/v1/webhooks/{webhook}/deliveries")).token(&admin.token).send().await.ok(200).clone();
    let delivery = &log["data"][0];
    assert_eq!((delivery["status"].as_str(), delivery["attempts"].as_i64()), (Some("succeeded"), Some(4)));
    let codes: Vec<i64> = delivery["attempt_log"].as_array().unwrap().iter().map(|a| a["status_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [500, 500, 500, 200]);
    assert_eq!(delivery["attempt_log"][0]["error"], "HTTP 500 Internal Server Error");
    // The subscription's failure streak ended with the success.
    let webhook = app.get(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!((webhook["active"].as_bool(), webhook["failing_since"].clone()), (Some(true), Value::Null));
    // The server's metrics count each attempt by what followed it.
    let metrics = app.get("/metrics").send().await.text;
    for line in ["kariz_webhook_deliveries_total{outcome=\"retrying\"} 3", "kariz_webhook_deliveries_total{outcome=\"succeeded\"} 1"] {
        assert!(metrics.lines().any(|l| l == line), "{line} missing from\n{metrics}");
    }
}

async fn events_of_one_deal_arrive_in_order(engine: Engine) {
    let app = allowing_private(engine).await;
    // The first event fails twice: everything after it must wait.
    let receiver = Receiver::start(&[503, 500]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    subscribe(&app, &admin, &receiver.url, json!({})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Ordered", "pipeline_id": id(&pipeline)})).await;
    let other = app.create_deal(&admin, json!({"title": "Independent", "pipeline_id": id(&pipeline)})).await;
    let mut current = deal.clone();
    for hop in [1, 2, 0, 1, 2] {
        current = app.move_deal(&admin, &current, json!({"stage_id": stage_id(&pipeline, hop)})).await.ok(200).clone();
    }
    // 6 events of the deal and 1 of the other, plus the two failed attempts.
    let received = deliver_until(&app, &receiver, |r| r.len() >= 9).await;
    let of_deal: Vec<&Received> = received.iter().filter(|m| m["data"]["deal"]["id"] == deal["id"]).collect();
    let sequence: Vec<i64> = of_deal.iter().map(|m| m.json["data"]["deal"]["version"].as_i64().unwrap()).collect();
    assert!(sequence.windows(2).all(|w| w[0] <= w[1]), "out of order: {sequence:?}");
    let mut distinct = sequence.clone();
    distinct.dedup();
    assert_eq!(distinct, [1, 2, 3, 4, 5, 6]);
    assert_eq!(sequence[..2], [1, 1], "the first event was retried before anything after it went out");
    // The other deal was not held back by the first deal's retries.
    let first_other = received.iter().position(|m| m["data"]["deal"]["id"] == other["id"]).unwrap();
    let last_retry = received.iter().rposition(|m| m.id == of_deal[0].id).unwrap();
    assert!(first_other < last_retry, "independent deals do not wait for each other");
}

impl std::ops::Index<&str> for Received {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        &self.json[key]
    }
}

async fn gone_disables_the_subscription(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[410]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, _) = subscribe(&app, &admin, &receiver.url, json!({})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Gone", "pipeline_id": id(&pipeline)})).await;
    deliver_until(&app, &receiver, |r| !r.is_empty()).await;
    let state = app.get(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(state["active"], false);
    assert!(state["disabled_reason"].as_str().unwrap().contains("410"));
    assert!(state["disabled_at"].is_string());
    // Nothing more is sent to a disabled subscription.
    app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    let dispatcher = dispatcher(&app);
    for _ in 0..5 {
        dispatcher.run_once().await.unwrap();
    }
    assert_eq!(receiver.received().len(), 1);
    // Re-enabling resumes delivery of new events.
    let enabled = app.patch(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).json(json!({"active": true})).send().await;
    assert_eq!((enabled.ok(200)["active"].as_bool(), enabled.body["disabled_reason"].clone()), (Some(true), Value::Null));
    let deal = app.deal(&admin, &id(&deal)).await;
    app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 2)})).await.ok(200);
    let received = deliver_until(&app, &receiver, |r| r.len() >= 2).await;
    assert_eq!(received[1].event_type(), "deal.stage_changed");
}

async fn private_targets_are_refused_when_the_guard_is_on(engine: Engine) {
    let app = spawn_app(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    for url in [
        receiver.url.as_str(),
        "http://localhost:9/x",
        "http://2130706433/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/x",
        "ftp://example.com/x",
    ] {
        let reply = app.post("/api/v1/webhooks").token(&admin.token).json(json!({"url": url})).send().await;
        assert_eq!(reply.error_fields(), ["url"], "{url}");
    }
    // A subscription created while private targets were allowed is still refused at delivery.
    let workspace = kariz_domain::WorkspaceId::from(admin.workspace_id.parse::<uuid::Uuid>().unwrap());
    let secret = kariz_webhooks::SigningSecret::generate().unwrap().expose();
    let subscription = app
        .store
        .create_subscription(
            workspace,
            kariz_domain::SubscriptionFields {
                url: receiver.url.clone(),
                description: None,
                event_types: kariz_domain::EventTypes::default(),
                pipeline_id: None,
            },
            secret,
        )
        .await
        .unwrap();
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "x", "pipeline_id": id(&pipeline)})).await;
    let guarded = Dispatcher::new(app.store.clone(), DispatcherConfig { allow_private: false, ..DispatcherConfig::default() }).unwrap();
    assert_eq!(guarded.run_once().await.unwrap(), 1);
    assert!(receiver.received().is_empty(), "nothing reached the private address");
    let log = app
        .get(&format!("/api/v1/webhooks/{}/deliveries", subscription.subscription.id()))
        .token(&admin.token)
        .send()
        .await
        .ok(200)
        .clone();
    let attempt = &log["data"][0]["attempt_log"][0];
    assert_eq!(attempt["status_code"], Value::Null);
    assert!(attempt["error"].as_str().unwrap().contains("private"), "{attempt}");
    assert_eq!(log["data"][0]["status"], "pending", "it will be retried on the schedule");
}

async fn redelivery_and_ping_send_again(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, secret) = subscribe(&app, &admin, &receiver.url, json!({"event_types": ["deal.created"]})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Again", "pipeline_id": id(&pipeline)})).await;
    deliver_until(&app, &receiver, |r| r.len() == 1).await;
    let log = app.get(&format!("/api/v1/webhooks/{webhook}/deliveries")).token(&admin.token).send().await.ok(200).clone();
    let delivery = id(&log["data"][0]);
    let again = app.post(&format!("/api/v1/webhooks/deliveries/{delivery}/redeliver")).token(&admin.token).send().await;
    assert_eq!(again.ok(202)["redelivery_of"], delivery.as_str());
    let received = deliver_until(&app, &receiver, |r| r.len() == 2).await;
    assert_eq!(received[0].id, received[1].id, "a redelivery keeps the webhook-id, so consumers can deduplicate");

    let ping = app.post(&format!("/api/v1/webhooks/{webhook}/test")).token(&admin.token).send().await;
    assert_eq!(ping.ok(202)["event_type"], "ping");
    let received = deliver_until(&app, &receiver, |r| r.len() == 3).await;
    assert_eq!(received[2].event_type(), "ping");
    assert!(received[2].verifies_with(&secret));
    let data: PingData = serde_json::from_value(received[2].json["data"].clone()).unwrap();
    assert_eq!(data.webhook_id.to_string(), webhook);
}

async fn a_rotated_secret_signs_beside_the_new_one(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, old) = subscribe(&app, &admin, &receiver.url, json!({})).await;
    let rotated =
        app.post(&format!("/api/v1/webhooks/{webhook}/rotate-secret")).token(&admin.token).json(json!({"overlap_hours": 2})).send().await;
    let new = rotated.ok(200)["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(rotated.body["webhook"]["previous_secret_expires_at"].is_string());
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Two signatures", "pipeline_id": id(&pipeline)})).await;
    let received = deliver_until(&app, &receiver, |r| !r.is_empty()).await;
    assert_eq!(received[0].signatures.len(), 2);
    assert!(received[0].verifies_with(&new) && received[0].verifies_with(&old));

    // With no overlap, only the new secret signs.
    let once_more =
        app.post(&format!("/api/v1/webhooks/{webhook}/rotate-secret")).token(&admin.token).json(json!({"overlap_hours": 0})).send().await;
    let newest = once_more.ok(200)["secret"].as_str().unwrap().to_owned();
    app.create_deal(&admin, json!({"title": "One signature", "pipeline_id": id(&pipeline)})).await;
    let received = deliver_until(&app, &receiver, |r| r.len() >= 2).await;
    assert_eq!(received[1].signatures.len(), 1);
    assert!(received[1].verifies_with(&newest) && !received[1].verifies_with(&new));
}

async fn subscriptions_are_validated_and_admin_only(engine: Engine) {
    let app = allowing_private(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = crate::pipelines::add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.post("/api/v1/webhooks").token(&member.token).json(json!({"url": "http://127.0.0.1:9/x"})).send().await.problem(403);
    app.get("/api/v1/webhooks").token(&member.token).send().await.problem(403);
    let bad = app
        .post("/api/v1/webhooks")
        .token(&admin.token)
        .json(json!({"url": "http://127.0.0.1:9/x", "event_types": ["deal.exploded"]}))
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["event_types"]);
    let bad_pipeline = app
        .post("/api/v1/webhooks")
        .token(&admin.token)
        .json(json!({"url": "http://127.0.0.1:9/x", "pipeline_id": uuid::Uuid::now_v7()}))
        .send()
        .await;
    assert_eq!(bad_pipeline.error_fields(), ["pipeline_id"]);
    let (webhook, _) = subscribe(
        &app,
        &admin,
        "http://127.0.0.1:9/x",
        json!({"pipeline_id": id(&pipeline), "event_types": ["deal.won", "deal.won"], "description": "CRM sync"}),
    )
    .await;
    let listed = app.get("/api/v1/webhooks").token(&admin.token).send().await.ok(200).clone();
    let entry = &listed["data"][0];
    assert_eq!((entry["event_types"].clone(), entry["description"].as_str()), (json!(["deal.won"]), Some("CRM sync")));
    assert!(entry.get("secret").is_none(), "the secret is shown once");
    let stale =
        app.patch(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).if_match(9).json(json!({"description": null})).send().await;
    stale.problem(412);
    let paused = app
        .patch(&format!("/api/v1/webhooks/{webhook}"))
        .token(&admin.token)
        .json(json!({"active": false, "pipeline_id": null}))
        .send()
        .await;
    assert_eq!((paused.ok(200)["active"].as_bool(), paused.body["pipeline_id"].clone()), (Some(false), Value::Null));
    app.delete(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).send().await.ok(204);
    app.get(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).send().await.problem(404);
}

async fn an_endpoint_failing_for_too_long_is_disabled(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[500; 50]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, _) = subscribe(&app, &admin, &receiver.url, json!({})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Doomed", "pipeline_id": id(&pipeline)})).await;
    // Five days, scaled down to 100 ms.
    let config = DispatcherConfig {
        allow_private: true,
        retry_schedule: vec![Duration::from_millis(30); 9],
        jitter: 0.0,
        disable_after: Duration::from_millis(100),
        ..DispatcherConfig::default()
    };
    let dispatcher = Dispatcher::new(app.store.clone(), config).unwrap();
    let mut state = Value::Null;
    for _ in 0..100 {
        dispatcher.run_once().await.unwrap();
        state = app.get(&format!("/api/v1/webhooks/{webhook}")).token(&admin.token).send().await.ok(200).clone();
        if state["active"] == false {
            break;
        }
        app.clock.advance(chrono::Duration::milliseconds(20));
    }
    assert_eq!(state["active"], false, "{state}");
    assert!(state["disabled_reason"].as_str().unwrap().contains("failed for"), "{state}");
    assert!(state["failing_since"].is_string());
    assert!(receiver.received().len() >= 2);
}

async fn a_stopping_dispatcher_finishes_or_releases_its_work(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    subscribe(&app, &admin, &receiver.url, json!({"event_types": ["deal.created"]})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(dispatcher(&app).run(stopped));
    for i in 0..5 {
        app.create_deal(&admin, json!({"title": format!("d{i}"), "pipeline_id": id(&pipeline)})).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running).await.expect("the dispatcher stops promptly").unwrap();
    // Whatever it had claimed was delivered or handed back: no delivery is left leased.
    let leased = app.scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND locked_until IS NOT NULL", vec![]).await;
    assert_eq!(leased, 0);
    let received = deliver_until(&app, &receiver, |r| r.len() >= 5).await;
    let mut ids: Vec<&str> = received.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "every event arrives after the restart");
}

async fn retry_after_is_honoured_on_429(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start_with(&[(429, Some(2))]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (webhook, _) = subscribe(&app, &admin, &receiver.url, json!({})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "Slow down", "pipeline_id": id(&pipeline)})).await;
    let dispatcher = dispatcher(&app);
    assert_eq!(dispatcher.run_once().await.unwrap(), 1);
    let log = app.get(&format!("/api/v1/webhooks/{webhook}/deliveries")).token(&admin.token).send().await.ok(200).clone();
    let delivery = &log["data"][0];
    assert_eq!(delivery["last_status_code"], 429);
    let attempted = chrono::DateTime::parse_from_rfc3339(delivery["attempt_log"][0]["attempted_at"].as_str().unwrap()).unwrap();
    let next = chrono::DateTime::parse_from_rfc3339(delivery["next_attempt_at"].as_str().unwrap()).unwrap();
    let wait = (next - attempted).num_milliseconds();
    // The test schedule would retry after 20 ms; the endpoint asked for 2 s.
    assert!((1_900..=2_500).contains(&wait), "retry scheduled {wait} ms later");
    let received = deliver_until(&app, &receiver, |r| r.len() >= 2).await;
    assert_eq!(received[0].id, received[1].id);
}

async fn lead_events_arrive_as_documented(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let types = json!([
        "lead.created",
        "lead.updated",
        "lead.qualified",
        "lead.disqualified",
        "lead.deleted",
        "opportunity.created",
        "contact.created"
    ]);
    let (_, secret) = subscribe(&app, &admin, &receiver.url, json!({"event_types": types})).await;
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = app
        .post("/api/v1/leads")
        .token(&admin.token)
        .json(json!({"name": "Sara", "company": "Pars", "email": "s@pars.example"}))
        .send()
        .await;
    let l = id(lead.ok(201));
    let path = format!("/api/v1/leads/{l}");
    app.patch(&path).token(&admin.token).if_match(1).json(json!({"job_title": "CEO"})).send().await.ok(200);
    let body = json!({"reason": "bad_timing", "note": "after Nowruz"});
    app.post(&format!("{path}/disqualify")).token(&admin.token).json(body).send().await.ok(200);
    app.post(&format!("{path}/reopen")).token(&admin.token).send().await.ok(200);
    let twin = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara P.", "email": "s@pars.example"})).send().await;
    let twin = id(twin.ok(201));
    app.post(&format!("{path}/merge")).token(&admin.token).if_match(4).json(json!({"other_id": twin})).send().await.ok(200);
    app.post(&format!("{path}/qualify")).token(&admin.token).json(json!({"pipeline_id": id(&pipeline)})).send().await.ok(201);

    let received = deliver_until(&app, &receiver, |r| r.len() >= 10).await;
    let mut types: Vec<&str> = received.iter().map(Received::event_type).collect();
    types.sort();
    let expected = [
        "contact.created",
        "lead.created",
        "lead.created",
        "lead.deleted",
        "lead.disqualified",
        "lead.qualified",
        "lead.updated",
        "lead.updated",
        "lead.updated",
        "opportunity.created",
    ];
    assert_eq!(types, expected, "deal.created was not subscribed to");
    let of_the_lead: Vec<&str> = received.iter().filter(|r| r.json["data"]["lead"]["id"] == l.as_str()).map(Received::event_type).collect();
    assert_eq!(
        of_the_lead,
        ["lead.created", "lead.updated", "lead.disqualified", "lead.updated", "lead.updated", "lead.qualified"],
        "in order"
    );
    for message in &received {
        assert!(message.verifies_with(&secret));
        let data = message.json["data"].clone();
        // Each payload parses with the documented schema, unknown fields refused.
        match message.event_type() {
            "lead.created" => drop(serde_json::from_value::<LeadEventData>(data).unwrap()),
            "lead.updated" => drop(serde_json::from_value::<LeadUpdatedData>(data).unwrap()),
            "lead.disqualified" => {
                let data: LeadDisqualifiedData = serde_json::from_value(data).unwrap();
                assert_eq!((data.reason.as_str(), data.note.as_deref()), ("bad_timing", Some("after Nowruz")));
            }
            "lead.deleted" => assert_eq!(serde_json::from_value::<LeadDeletedData>(data).unwrap().merged_into.unwrap().to_string(), l),
            "lead.qualified" => {
                let data: LeadQualifiedData = serde_json::from_value(data).unwrap();
                assert_eq!(data.lead.status, "qualified");
                assert!(data.deal_id.is_some() && data.organization_id.is_some());
            }
            "opportunity.created" => assert_eq!(serde_json::from_value::<OpportunityEventData>(data).unwrap().opportunity.title, "Pars"),
            "contact.created" => assert_eq!(serde_json::from_value::<ContactEventData>(data).unwrap().contact.name, "Sara"),
            other => panic!("unexpected {other}"),
        }
    }
}

async fn activity_events_arrive_as_documented(engine: Engine) {
    let app = allowing_private(engine).await;
    let receiver = Receiver::start(&[]);
    let admin = app.signup("Acme", "owner@acme.test").await;
    let (_, secret) = subscribe(&app, &admin, &receiver.url, json!({"event_types": ["activity.created", "task.completed"]})).await;
    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara"})).send().await;
    let l = id(lead.ok(201));
    let task = json!({"kind": "task", "subject": "Call Sara back", "lead_id": l, "priority": "high", "due_at": "2030-01-02T09:00:00Z"});
    let task = id(app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201));
    app.post(&format!("/api/v1/activities/{task}/complete")).token(&admin.token).send().await.ok(200);
    // A stage's template gives a deal entering it a task, announced like any other.
    let pipeline = app.sales_pipeline(&admin).await;
    let templates = format!("/api/v1/stages/{}/task-templates", stage_id(&pipeline, 0));
    let template = app.post(&templates).token(&admin.token).json(json!({"subject": "Qualify the need", "due_in_hours": 24})).send().await;
    let template = id(template.ok(201));
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;

    let received = deliver_until(&app, &receiver, |r| r.len() >= 3).await;
    let types: Vec<&str> = received.iter().map(Received::event_type).collect();
    assert_eq!(types.iter().filter(|t| **t == "activity.created").count(), 2, "{types:?}");
    assert_eq!(types.iter().filter(|t| **t == "task.completed").count(), 1, "{types:?}");
    for message in &received {
        assert!(message.verifies_with(&secret));
        // Each payload parses with the documented schema, unknown fields refused.
        let data: ActivityEventData = serde_json::from_value(message.json["data"].clone()).unwrap();
        let activity = data.activity;
        match (message.event_type(), activity.id.to_string() == task) {
            ("activity.created", true) => {
                assert_eq!((activity.lead_id.unwrap().to_string(), activity.done_at), (l.clone(), None));
                assert_eq!(activity.priority.as_str(), "high");
            }
            ("task.completed", true) => assert!(activity.done_at.is_some() && activity.version == 2),
            ("activity.created", false) => {
                assert_eq!(activity.deal_id.unwrap().to_string(), id(&deal));
                assert_eq!(activity.template_id.unwrap().to_string(), template);
                assert_eq!((activity.kind.as_str(), activity.subject.as_str()), ("task", "Qualify the need"));
            }
            (other, _) => panic!("unexpected {other}"),
        }
    }
}

/// Twelve endpoints of one workspace that never answer while held must not take every slot of
/// the dispatcher: another workspace's event is sent while their backlog waits.
async fn a_noisy_workspace_does_not_hold_back_a_quiet_one(engine: Engine) {
    let app = allowing_private(engine).await;
    let slow = Receiver::start_held();
    let prompt = Receiver::start(&[]);
    let noisy = app.signup("Noisy", "owner@noisy.test").await;
    let quiet = app.signup("Quiet", "owner@quiet.test").await;
    for endpoint in 0..12 {
        subscribe(&app, &noisy, &format!("{}/{endpoint}", slow.url), json!({"event_types": ["deal.created"]})).await;
    }
    subscribe(&app, &quiet, &prompt.url, json!({"event_types": ["deal.created"]})).await;
    let noisy_pipeline = app.sales_pipeline(&noisy).await;
    for n in 0..3 {
        app.create_deal(&noisy, json!({"title": format!("noisy {n}"), "pipeline_id": id(&noisy_pipeline)})).await;
    }
    let config = DispatcherConfig {
        allow_private: true,
        concurrency: 8,
        max_in_flight_per_workspace: 4,
        max_in_flight_per_endpoint: 2,
        request_timeout: Duration::from_secs(60),
        ..DispatcherConfig::default()
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(Dispatcher::new(app.store.clone(), config).unwrap().run(stopped));
    // The noisy workspace's 36 deliveries hang on its endpoints, as many at once as it may have.
    slow.wait_for(30, |r| r.len() >= 4).await;

    let quiet_pipeline = app.sales_pipeline(&quiet).await;
    let deal = app.create_deal(&quiet, json!({"title": "Quiet", "pipeline_id": id(&quiet_pipeline)})).await;
    let received = prompt.wait_for(30, |r| !r.is_empty()).await;
    assert_eq!(received[0].json["data"]["deal"]["id"], deal["id"]);
    let noisy_workspace: uuid::Uuid = noisy.workspace_id.parse().unwrap();
    let pending = "SELECT COUNT(*) FROM webhook_deliveries WHERE workspace_id = ? AND status = 'pending'";
    assert_eq!(app.scalar(pending, vec![noisy_workspace.into()]).await, 36, "the noisy backlog had not moved");
    assert_eq!(slow.received().len(), 4, "the noisy workspace never had more than its share in flight");

    // Released, the backlog drains: every (endpoint, deal) pair once, at least once overall.
    slow.release();
    let drained = slow.wait_for(60, |r| r.len() >= 36).await;
    let mut pairs: Vec<(String, String)> = drained.iter().map(|r| (r.id.clone(), r.signatures[0].clone())).collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), 36);
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(30), running).await.expect("the dispatcher stops").unwrap();
}

/// A claim serves every workspace with due work before any gets a second turn, and counts the
/// leases already held against each workspace's and each endpoint's limit.
async fn claims_take_turns_across_workspaces_within_their_limits(engine: Engine) {
    use kariz_persistence::webhooks::ClaimLimits;
    let app = allowing_private(engine).await;
    let noisy = app.signup("Noisy", "owner@noisy.test").await;
    let quiet = app.signup("Quiet", "owner@quiet.test").await;
    for endpoint in 0..3 {
        subscribe(&app, &noisy, &format!("http://127.0.0.1:9/{endpoint}"), json!({"event_types": ["deal.created"]})).await;
    }
    subscribe(&app, &quiet, "http://127.0.0.1:9/quiet", json!({"event_types": ["deal.created"]})).await;
    let pipeline = app.sales_pipeline(&noisy).await;
    for n in 0..4 {
        app.create_deal(&noisy, json!({"title": format!("noisy {n}"), "pipeline_id": id(&pipeline)})).await;
    }
    let pipeline = app.sales_pipeline(&quiet).await;
    app.create_deal(&quiet, json!({"title": "quiet", "pipeline_id": id(&pipeline)})).await;
    while app.store.fan_out(500).await.unwrap() > 0 {}
    let lease = chrono::Duration::minutes(5);
    let of = |workspace: &str| workspace.parse::<uuid::Uuid>().unwrap();

    // Twelve noisy deliveries are older, yet two slots go one to each workspace.
    let first = app.store.claim_deliveries(ClaimLimits { batch: 2, per_workspace: 100, per_endpoint: 100 }, lease).await.unwrap();
    let mut workspaces: Vec<uuid::Uuid> = first.iter().map(|c| c.workspace_id).collect();
    workspaces.sort();
    let mut expected = vec![of(&noisy.workspace_id), of(&quiet.workspace_id)];
    expected.sort();
    assert_eq!(workspaces, expected);
    let busy_endpoint = first.iter().find(|c| c.workspace_id == of(&noisy.workspace_id)).unwrap().subscription_id;

    // The noisy workspace holds one lease: two more fit its limit of three, each on an endpoint
    // with none in flight.
    let limits = ClaimLimits { batch: 100, per_workspace: 3, per_endpoint: 1 };
    let second = app.store.claim_deliveries(limits, lease).await.unwrap();
    assert_eq!(second.len(), 2, "{second:?}");
    assert!(second.iter().all(|c| c.workspace_id == of(&noisy.workspace_id) && c.subscription_id != busy_endpoint));
    assert_ne!(second[0].subscription_id, second[1].subscription_id);
    assert!(app.store.claim_deliveries(limits, lease).await.unwrap().is_empty(), "every limit is reached");
}

/// A subscription's pipeline filter names a pipeline of its own workspace, on create and update.
async fn another_workspaces_pipeline_is_refused_as_a_filter(engine: Engine) {
    let app = allowing_private(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let stranger = app.signup("Other", "owner@other.test").await;
    let theirs = id(&app.sales_pipeline(&stranger).await);
    let ours = id(&app.sales_pipeline(&admin).await);
    let create = json!({"url": "http://127.0.0.1:9/x", "pipeline_id": theirs});
    let refused = app.post("/api/v1/webhooks").token(&admin.token).json(create).send().await;
    assert_eq!(refused.error_fields(), ["pipeline_id"]);
    let (webhook, _) = subscribe(&app, &admin, "http://127.0.0.1:9/x", json!({"pipeline_id": ours})).await;
    let path = format!("/api/v1/webhooks/{webhook}");
    let refused = app.patch(&path).token(&admin.token).json(json!({"pipeline_id": theirs})).send().await;
    assert_eq!(refused.error_fields(), ["pipeline_id"]);
    let kept = app.get(&path).token(&admin.token).send().await.ok(200).clone();
    assert_eq!((kept["pipeline_id"].as_str(), kept["version"].as_i64()), (Some(ours.as_str()), Some(1)), "nothing changed");
}
