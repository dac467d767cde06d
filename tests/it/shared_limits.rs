//! Limits shared by replicas: two instances on one PostgreSQL database count a user's requests,
//! a client address's sign-ins and an address's wrong passwords together — in the database, or
//! in the Redis on this machine — where instances that count alone would each allow the quota.
//! A shared store that cannot be reached leaves each instance counting alone.

use std::time::Duration;

use kariz_api::rate_limit::Limit;
use kariz_api::shared_limits::LimitsSharing;
use serde_json::json;

use crate::helpers::{Engine, PASSWORD, TestApp, spawn_app_with, spawn_replica};

const REDIS: &str = "redis://127.0.0.1:6379";

/// Two instances on one PostgreSQL database, limits counted as `sharing` says: four requests a
/// minute per user and, with `limit_sign_ins`, three sign-ins a minute per address.
async fn replicas_with(sharing: LimitsSharing, limit_sign_ins: bool) -> (TestApp, TestApp) {
    let adjust = |s: &mut kariz_api::state::ApiSettings| {
        s.rate_limits.user = Limit::new(4, Duration::from_secs(60));
        s.rate_limits.sign_in = if limit_sign_ins { Limit::new(3, Duration::from_secs(60)) } else { None };
        s.limits_sharing = sharing.clone();
    };
    let a = spawn_app_with(Engine::Postgres, adjust).await;
    let b = spawn_replica(&a, adjust).await;
    (a, b)
}

async fn replicas(sharing: LimitsSharing) -> (TestApp, TestApp) {
    replicas_with(sharing, false).await
}

/// How many of `attempts` requests, alternating between the instances, a user's quota allows.
async fn allowed_requests(a: &TestApp, b: &TestApp, attempts: usize) -> usize {
    let session = a.signup("Acme", &format!("owner-{}@acme.test", uuid::Uuid::now_v7().simple())).await;
    let mut allowed = 0;
    for n in 0..attempts {
        let app = if n % 2 == 0 { a } else { b };
        let reply = app.get("/api/v1/me").token(&session.token).send().await;
        match reply.status {
            200 => allowed += 1,
            429 => assert!(reply.problem(429)["detail"].as_str().unwrap().contains("`user`")),
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    allowed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_quota_is_one_across_replicas_in_the_database_and_in_redis() {
    for sharing in [LimitsSharing::Database, LimitsSharing::Redis(REDIS.to_owned())] {
        let (a, b) = replicas(sharing.clone()).await;
        assert_eq!(allowed_requests(&a, &b, 8).await, 4, "{sharing:?}: four in all, whichever replica answers");
    }
    let (a, b) = replicas(LimitsSharing::Process).await;
    assert_eq!(allowed_requests(&a, &b, 8).await, 8, "counted in each process, each allows four");
    // Redis unreachable: each instance goes on counting alone rather than failing requests.
    let (a, b) = replicas(LimitsSharing::Redis("redis://127.0.0.1:1".to_owned())).await;
    assert_eq!(allowed_requests(&a, &b, 10).await, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_from_one_address_are_counted_across_replicas() {
    let (a, b) = replicas_with(LimitsSharing::Database, true).await;
    a.signup("Acme", "owner@acme.test").await;
    let body = json!({"email": "owner@acme.test", "password": PASSWORD});
    for app in [&a, &b, &a] {
        app.post("/api/v1/auth/login").json(body.clone()).send().await.ok(200);
    }
    let refused = b.post("/api/v1/auth/login").json(body).send().await;
    let detail = refused.problem(429)["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("`sign-in`"), "{detail}");
    assert!(refused.headers.contains_key("retry-after"));
}

/// Wrong passwords from one address: the first three cost nothing, the fourth makes the address
/// wait — counted over both instances, so the fifth attempt is refused wherever it goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_throttled_across_replicas() {
    for sharing in [LimitsSharing::Database, LimitsSharing::Redis(REDIS.to_owned()), LimitsSharing::Process] {
        let (a, b) = replicas(sharing.clone()).await;
        let email = format!("sara-{}@acme.test", uuid::Uuid::now_v7().simple());
        a.signup("Acme", &email).await;
        let wrong = json!({"email": email, "password": "not the password"});
        for n in 0..4 {
            let app = if n % 2 == 0 { &a } else { &b };
            let reply = app.post("/api/v1/auth/login").json(wrong.clone()).send().await;
            assert_eq!(reply.status, 401, "{sharing:?} attempt {n}: {}", reply.text);
        }
        let fifth = a.post("/api/v1/auth/login").json(wrong.clone()).send().await;
        match sharing {
            LimitsSharing::Process => assert_eq!(fifth.status, 401, "each instance saw two failures: no wait yet"),
            _ => {
                assert_eq!(fifth.status, 429, "{sharing:?}: {}", fifth.text);
                // The right password from the same address waits too: the refusal comes first.
                let right = a.post("/api/v1/auth/login").json(json!({"email": email, "password": PASSWORD})).send().await;
                assert_eq!(right.status, 429, "{sharing:?}");
            }
        }
    }
}
