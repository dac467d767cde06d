//! Rate limits per API key, per user and per client IP: `RateLimit-Policy` and `RateLimit` on
//! every answer of a limited route, a 429 problem with `Retry-After` beyond the quota, and the
//! quota back once the wait is over. Small limits keep the tests short.

use std::time::Duration;

use kariz_api::rate_limit::{Limit, parse_networks};
use serde_json::json;

use crate::helpers::{Engine, PASSWORD, Reply, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    each_api_key_has_its_own_quota_and_gets_it_back,
    each_user_has_a_quota_of_their_own,
    sign_in_is_limited_per_client_ip_and_forwarded_addresses_count_only_from_trusted_proxies,
    intake_is_limited_per_client_ip_and_per_key,
    every_spelling_of_a_limited_path_that_reaches_its_handler_is_counted,
);

/// Three requests, one more every two seconds.
fn small() -> Option<Limit> {
    Limit::new(3, Duration::from_secs(6))
}

fn header(reply: &Reply, name: &str) -> String {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Asserts a rate-limit refusal: a 429 problem naming the policy, `Retry-After` and both headers.
fn refused(reply: &Reply, policy: &str) -> u64 {
    let detail = reply.problem(429)["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("`{policy}`")), "{detail}");
    assert!(header(reply, "ratelimit").contains(&format!("\"{policy}\";r=0;")), "{:?}", reply.headers);
    let wait: u64 = header(reply, "retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=2).contains(&wait), "{wait}");
    wait
}

async fn each_api_key_has_its_own_quota_and_gets_it_back(engine: Engine) {
    let app = spawn_app_with(engine, |s| s.rate_limits.api_key = small()).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut keys = Vec::new();
    for name in ["first", "second"] {
        let created = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": name, "scopes": ["read"]})).send().await;
        keys.push(created.ok(201)["key"].as_str().unwrap().to_owned());
    }
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let reply = app.get("/api/v1/deals").token(&keys[0]).send().await;
        reply.ok(200);
        assert_eq!(header(&reply, "ratelimit-policy"), "\"api-key\";q=3;w=6");
        remaining.push(header(&reply, "ratelimit"));
    }
    assert_eq!(remaining, ["\"api-key\";r=2;t=2", "\"api-key\";r=1;t=4", "\"api-key\";r=0;t=6"]);
    let wait = refused(&app.get("/api/v1/deals").header("x-api-key", &keys[0]).send().await, "api-key");
    // Another key, and the user's own token, are not held back.
    app.get("/api/v1/deals").token(&keys[1]).send().await.ok(200);
    let by_token = app.get("/api/v1/deals").token(&admin.token).send().await;
    by_token.ok(200);
    assert_eq!(header(&by_token, "ratelimit"), "", "user limits are off here");

    app.clock.advance(chrono::Duration::seconds(wait as i64));
    app.get("/api/v1/deals").token(&keys[0]).send().await.ok(200);
}

async fn each_user_has_a_quota_of_their_own(engine: Engine) {
    let app = spawn_app_with(engine, |s| s.rate_limits.user = small()).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = crate::pipelines::add_member(&app, &admin.workspace_id, "member@acme.test").await;
    for _ in 0..3 {
        let reply = app.get("/api/v1/me").token(&admin.token).send().await;
        reply.ok(200);
        assert_eq!(header(&reply, "ratelimit-policy"), "\"user\";q=3;w=6");
    }
    // Refused before anything is done: a write is not made.
    let write = app
        .post("/api/v1/pipelines")
        .token(&admin.token)
        .json(json!({"name": "P", "stages": [{"name": "A", "probability": 10}]}))
        .send()
        .await;
    let wait = refused(&write, "user");
    app.get("/api/v1/me").token(&member.token).send().await.ok(200);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM pipelines", vec![]).await, 0);
    app.clock.advance(chrono::Duration::seconds(wait as i64));
    app.get("/api/v1/me").token(&admin.token).send().await.ok(200);
}

async fn sign_in_is_limited_per_client_ip_and_forwarded_addresses_count_only_from_trusted_proxies(engine: Engine) {
    let app = spawn_app_with(engine, |s| s.rate_limits.sign_in = small()).await;
    app.signup("Acme", "owner@acme.test").await;
    let login = |forwarded: &'static str| {
        app.post("/api/v1/auth/login")
            .header("x-forwarded-for", forwarded)
            .json(json!({"email": "owner@acme.test", "password": PASSWORD}))
            .send()
    };
    for _ in 0..3 {
        let reply = login("203.0.113.1").await;
        reply.ok(200);
        assert_eq!(header(&reply, "ratelimit-policy"), "\"sign-in\";q=3;w=6");
    }
    // Not behind a trusted proxy, the forwarded address is ignored: the peer is limited.
    let wait = refused(&login("203.0.113.2").await, "sign-in");
    // Other unauthenticated routes have their own limits (off here).
    let refresh = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": "nope"})).send().await;
    refresh.problem(401);
    app.clock.advance(chrono::Duration::seconds(wait as i64));
    login("203.0.113.1").await.ok(200);

    let proxied = spawn_app_with(engine, |s| {
        s.rate_limits.sign_in = small();
        s.rate_limits.trusted_proxies = parse_networks("127.0.0.1").unwrap();
    })
    .await;
    proxied.signup("Acme", "owner@acme.test").await;
    let login = |forwarded: &'static str| {
        proxied
            .post("/api/v1/auth/login")
            .header("x-forwarded-for", forwarded)
            .json(json!({"email": "owner@acme.test", "password": "wrong password, still counted"}))
            .send()
    };
    for _ in 0..3 {
        login("198.51.100.7, 203.0.113.1").await.problem(401);
    }
    refused(&login("203.0.113.1").await, "sign-in");
    // Behind the trusted proxy, another client has a quota of its own.
    login("203.0.113.2").await.problem(401);
}

async fn intake_is_limited_per_client_ip_and_per_key(engine: Engine) {
    let app = spawn_app_with(engine, |s| {
        s.rate_limits.intake = Limit::new(2, Duration::from_secs(60));
        s.rate_limits.api_key = Limit::new(1, Duration::from_secs(60));
    })
    .await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut keys = Vec::new();
    for name in ["form", "chat"] {
        let created = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": name})).send().await;
        keys.push(created.ok(201)["key"].as_str().unwrap().to_owned());
    }
    let intake =
        |key: &str, email: &str| app.post("/api/v1/intake/leads").token(key).json(json!({"name": "Visitor", "email": email})).send();
    let first = intake(&keys[0], "a@example.com").await;
    first.ok(202);
    assert_eq!(header(&first, "ratelimit-policy"), "\"intake\";q=2;w=60, \"api-key\";q=1;w=60");
    assert_eq!(header(&first, "ratelimit"), "\"intake\";r=1;t=30, \"api-key\";r=0;t=60");
    let per_key = intake(&keys[0], "b@example.com").await;
    assert!(per_key.problem(429)["detail"].as_str().unwrap().contains("`api-key`"), "{}", per_key.text);
    // The refused request still counted against the address; the other key then finds the
    // address's quota spent.
    let per_ip = intake(&keys[1], "c@example.com").await;
    assert!(per_ip.problem(429)["detail"].as_str().unwrap().contains("`intake`"), "{}", per_ip.text);
    assert!(header(&per_ip, "retry-after").parse::<u64>().unwrap() > 1);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads", vec![]).await, 1, "refused submissions make no lead");
}

/// The limits belong to the handlers, not to one spelling of their paths: the router decodes
/// percent-encoded letters, so `/auth/l%6Fgin` is sign-in too and must count as sign-in.
async fn every_spelling_of_a_limited_path_that_reaches_its_handler_is_counted(engine: Engine) {
    let quota = || Limit::new(3, Duration::from_secs(600));
    let app = spawn_app_with(engine, |s| {
        s.rate_limits.sign_in = quota();
        s.rate_limits.signup = quota();
        s.rate_limits.refresh = quota();
    })
    .await;
    let cases: [(&str, &str, serde_json::Value, &[&str]); 3] = [
        (
            "sign-in",
            "login",
            json!({"email": "nobody@acme.test", "password": "not the password"}),
            &[
                "/api/v1/auth/l%6Fgin",
                "/api/v1/auth/%6C%6F%67%69%6E",
                "/api/v1/%61uth/login",
                "/%61pi/v1/auth/login",
                "/api/v1/auth/login",
                "/api/v1//auth/login",
                "//api/v1/auth/login",
                "/api/v1/auth/login/",
                "/api/v1/auth/./login",
                "/api/v1/auth/LOGIN",
            ],
        ),
        (
            "signup",
            "signup",
            json!({}),
            &["/api/v1/auth/sign%75p", "/api/v1/auth/%73ignup", "/%61pi/v1/auth/signup", "/api/v1/auth/signup"],
        ),
        (
            "refresh",
            "refresh",
            json!({"refresh_token": "nope"}),
            &["/api/v1/auth/refres%68", "/api/v1/auth/%72efresh", "/api/v1/%61uth/refresh", "/api/v1/auth/refresh"],
        ),
    ];
    for (policy, handler, body, spellings) in cases {
        let mut counted = 0;
        for spelling in spellings {
            let reply = app.post(spelling).json(body.clone()).send().await;
            if reply.status == 404 || reply.status == 405 {
                // This spelling reaches no handler, so there is nothing to limit.
                continue;
            }
            counted += 1;
            if counted > 3 {
                let detail = reply.problem(429)["detail"].as_str().unwrap();
                assert!(detail.contains(&format!("`{policy}`")), "{spelling}: {detail}");
                assert!(header(&reply, "retry-after").parse::<u64>().is_ok(), "{spelling}: {:?}", reply.headers);
                continue;
            }
            assert_ne!(reply.status, 429, "{spelling} was refused early: {}", reply.text);
            assert_eq!(
                header(&reply, "ratelimit"),
                format!("\"{policy}\";r={};t={}", 3 - counted, 200 * counted),
                "{spelling} reached `{handler}` without being counted: {} {}",
                reply.status,
                reply.text
            );
        }
        assert!(counted > 3, "some encoded spelling of `{handler}` should reach it: {counted}");
    }
}
