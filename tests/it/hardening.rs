//! What answers tell browsers and caches (security headers, `no-store` on secrets), what the SPA
//! route serves (its policy and nonce, no source maps, no page for a POST), who may read
//! `/metrics`, the browser's refresh token in an HttpOnly cookie with CSRF protection, and the
//! one route a page on another website may call (CORS on `POST /intake/leads` alone).

use serde_json::json;

use crate::helpers::{Engine, PASSWORD, Reply, TempDir, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    answers_carry_security_headers_and_secrets_are_never_cached,
    the_spa_page_has_a_strict_policy_no_source_maps_and_only_get,
    metrics_answer_this_machine_or_the_token,
    a_page_keeps_its_refresh_token_in_an_httponly_cookie_that_needs_the_csrf_header,
    only_the_intake_route_lets_other_websites_post,
);

fn header(reply: &Reply, name: &str) -> String {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn assert_protected(reply: &Reply, what: &str) {
    assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(reply, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(reply, "referrer-policy"), "no-referrer", "{what}");
    assert!(header(reply, "content-security-policy").contains("frame-ancestors 'none'"), "{what}: {:?}", reply.headers);
}

fn assert_not_stored(reply: &Reply, what: &str) {
    assert_eq!(header(reply, "cache-control"), "no-store", "{what}: {:?}", reply.headers);
}

async fn answers_carry_security_headers_and_secrets_are_never_cached(engine: Engine) {
    let app = spawn_app_with(engine, |s| s.webhooks_allow_private = true).await;
    let signup = app
        .post("/api/v1/auth/signup")
        .json(json!({"workspace_name": "Acme", "name": "Owner", "email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    let admin = crate::helpers::session(signup.ok(201));
    let login = app.login("owner@acme.test", PASSWORD).await;
    let refresh = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": admin.refresh_token})).send().await;
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "form"})).send().await;
    let hook = app.post("/api/v1/webhooks").token(&admin.token).json(json!({"url": "http://127.0.0.1:9/hook"})).send().await;
    let hook_id = hook.ok(201)["webhook"]["id"].as_str().unwrap().to_owned();
    let rotated =
        app.post(&format!("/api/v1/webhooks/{hook_id}/rotate-secret")).token(&admin.token).json(json!({"overlap_hours": 1})).send().await;
    let problem = app.get("/api/v1/me").send().await;
    for (what, reply) in
        [("signup", &signup), ("login", &login), ("refresh", &refresh), ("api key", &key), ("webhook", &hook), ("rotation", &rotated)]
    {
        assert!((200..300).contains(&reply.status), "{what}: {}", reply.text);
        assert_not_stored(reply, what);
        assert_protected(reply, what);
        assert!(header(reply, "content-security-policy").starts_with("default-src 'none'"), "{what}");
    }
    assert_protected(&problem, "a problem");
    assert_not_stored(&problem, "a problem");
    assert_protected(&app.get("/healthz").send().await, "a probe");
}

/// A built SPA in miniature: a page with the nonce placeholder, a script and its source map.
fn spa_build() -> TempDir {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.path.join("assets")).unwrap();
    std::fs::write(
        dir.path.join("index.html"),
        "<!doctype html><html><head><meta name=\"csp-nonce\" content=\"__KARIZ_CSP_NONCE__\"><script type=\"module\" src=\"/assets/app.js\"></script></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(dir.path.join("assets/app.js"), "console.log('kariz')").unwrap();
    std::fs::write(dir.path.join("assets/app.js.map"), "{\"sources\": [\"../src/secret.ts\"]}").unwrap();
    std::fs::write(dir.path.join("favicon.svg.map"), "{}").unwrap();
    dir
}

async fn the_spa_page_has_a_strict_policy_no_source_maps_and_only_get(engine: Engine) {
    let build = spa_build();
    let web_dir = build.path.clone();
    let app = spawn_app_with(engine, move |s| s.web_dir = Some(web_dir)).await;
    let page = app.get("/pipelines/some-id").send().await;
    assert_eq!(page.status, 200);
    assert_protected(&page, "the page");
    let policy = header(&page, "content-security-policy");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{policy}");
    let nonce = page.text.split("content=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    assert!(nonce.len() >= 16 && nonce != "__KARIZ_CSP_NONCE__", "{nonce}");
    assert!(policy.contains(&format!("style-src 'self' 'nonce-{nonce}'")), "{policy}");
    let again = app.get("/").send().await;
    assert!(!again.text.contains(&nonce), "a fresh nonce per page");

    assert_eq!(app.get("/assets/app.js").send().await.status, 200);
    assert_eq!(app.get("/assets/app.js.map").send().await.status, 404, "source maps are not served");
    assert_eq!(app.get("/favicon.svg.map").send().await.status, 404, "not at the root either");

    for path in ["/", "/pipelines/some-id", "/sign-in"] {
        let posted = app.post(path).json(json!({})).send().await;
        posted.problem(405);
        assert_eq!(header(&posted, "allow"), "GET, HEAD", "{path}");
    }
}

async fn metrics_answer_this_machine_or_the_token(engine: Engine) {
    let open = spawn_app(engine).await;
    assert_eq!(open.get("/metrics").send().await.status, 200, "from this machine");
    open.get("/metrics").header("x-forwarded-for", "203.0.113.9").send().await.problem(403);
    open.get("/metrics").header("forwarded", "for=203.0.113.9").send().await.problem(403);

    let guarded = spawn_app_with(engine, |s| s.metrics_token = Some("metrics-token-of-some-length".to_owned())).await;
    guarded.get("/metrics").send().await.problem(401);
    guarded.get("/metrics").token("a-wrong-token-of-some-length").send().await.problem(401);
    assert_eq!(guarded.get("/metrics").token("metrics-token-of-some-length").send().await.status, 200);
    let forwarded = guarded.get("/metrics").header("x-forwarded-for", "203.0.113.9").token("metrics-token-of-some-length").send().await;
    assert_eq!(forwarded.status, 200, "with the token, from anywhere");
}

async fn a_page_keeps_its_refresh_token_in_an_httponly_cookie_that_needs_the_csrf_header(engine: Engine) {
    let app = spawn_app(engine).await;
    let signup = app
        .post("/api/v1/auth/signup")
        .header("x-requested-with", "XMLHttpRequest")
        .json(json!({"workspace_name": "Acme", "name": "Owner", "email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    assert!(signup.ok(201)["access_token"].is_string());
    assert!(signup.body.get("refresh_token").is_none(), "the page's script never sees it: {}", signup.text);
    let cookie = header(&signup, "set-cookie");
    for part in ["kariz_refresh=rt_", "Path=/api/v1/auth", "HttpOnly", "SameSite=Strict", "Max-Age=2592000"] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http is allowed on loopback: {cookie}");
    let token = cookie.split(';').next().unwrap().to_owned();

    // Without the header, the cookie is refused (CSRF); with it, it is spent and rotated.
    let forged = app.post("/api/v1/auth/refresh").header("cookie", &token).json(json!({})).send().await;
    forged.problem(403);
    let refreshed =
        app.post("/api/v1/auth/refresh").header("cookie", &token).header("x-requested-with", "XMLHttpRequest").json(json!({})).send().await;
    assert!(refreshed.ok(200).get("refresh_token").is_none());
    let rotated = header(&refreshed, "set-cookie");
    let next = rotated.split(';').next().unwrap().to_owned();
    assert_ne!(next, token);
    // Past the grace for a lost answer, the spent cookie is a replay.
    app.clock.advance(chrono::Duration::seconds(11));
    let replay =
        app.post("/api/v1/auth/refresh").header("cookie", &token).header("x-requested-with", "XMLHttpRequest").json(json!({})).send().await;
    replay.problem(401);

    // Behind https (or on any other host) the cookie is Secure.
    let proxied = app
        .post("/api/v1/auth/login")
        .header("x-requested-with", "XMLHttpRequest")
        .header("x-forwarded-proto", "https")
        .json(json!({"email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    assert!(header(&proxied, "set-cookie").contains("; Secure"), "{:?}", proxied.headers);
    let elsewhere = app
        .post("/api/v1/auth/login")
        .header("x-requested-with", "XMLHttpRequest")
        .header("host", "crm.example.com")
        .json(json!({"email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    assert!(header(&elsewhere, "set-cookie").contains("; Secure"), "{:?}", elsewhere.headers);

    // Signing out by cookie revokes it and forgets it.
    let fresh = app
        .post("/api/v1/auth/login")
        .header("x-requested-with", "XMLHttpRequest")
        .json(json!({"email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    let fresh_token = header(&fresh, "set-cookie").split(';').next().unwrap().to_owned();
    app.post("/api/v1/auth/logout").header("cookie", &fresh_token).json(json!({})).send().await.problem(403);
    let out = app
        .post("/api/v1/auth/logout")
        .header("cookie", &fresh_token)
        .header("x-requested-with", "XMLHttpRequest")
        .json(json!({}))
        .send()
        .await;
    out.ok(204);
    assert!(header(&out, "set-cookie").contains("Max-Age=0"), "{:?}", out.headers);
    let after = app
        .post("/api/v1/auth/refresh")
        .header("cookie", &fresh_token)
        .header("x-requested-with", "XMLHttpRequest")
        .json(json!({}))
        .send()
        .await;
    after.problem(401);

    // API clients keep the documented contract: the token in the body, no cookie.
    let api = app.login("owner@acme.test", PASSWORD).await;
    assert!(api.ok(200)["refresh_token"].as_str().unwrap().starts_with("rt_"));
    assert_eq!(header(&api, "set-cookie"), "");
}

/// A web form on another website posts a lead with `fetch`: the browser's preflight is answered
/// for `POST /intake/leads`, and its answers (acceptance and refusal) allow any origin, without
/// credentials. Every other route grants nothing to another origin.
async fn only_the_intake_route_lets_other_websites_post(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Website form", "scopes": ["intake"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let origin = "https://shop.example.com";

    let preflight = app
        .request(reqwest::Method::OPTIONS, "/api/v1/intake/leads")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await;
    assert_eq!(preflight.status, 204, "{}", preflight.text);
    assert_eq!(header(&preflight, "access-control-allow-origin"), "*");
    assert_eq!(header(&preflight, "access-control-allow-methods"), "POST");
    let allowed = header(&preflight, "access-control-allow-headers");
    for needed in ["authorization", "content-type", "x-api-key", "idempotency-key"] {
        assert!(allowed.split(", ").any(|h| h == needed), "{needed} in {allowed}");
    }
    assert_eq!(header(&preflight, "access-control-allow-credentials"), "", "no credentials");

    let lead = json!({"name": "Nima", "email": "nima@example.com"});
    let posted =
        app.post("/api/v1/intake/leads").header("origin", origin).header("authorization", &format!("Bearer {key}")).json(lead).send().await;
    assert_eq!(posted.status, 202, "{}", posted.text);
    assert_eq!(header(&posted, "access-control-allow-origin"), "*");
    assert!(header(&posted, "access-control-expose-headers").contains("x-request-id"));
    assert_eq!(header(&posted, "access-control-allow-credentials"), "");
    let leads = app.get("/api/v1/leads").token(&admin.token).send().await;
    assert_eq!(leads.ok(200)["data"][0]["email"], "nima@example.com", "the cross-origin post made the lead");

    // A refusal is readable by the form's script too, so it can say what went wrong.
    let refused = app.post("/api/v1/intake/leads").header("origin", origin).json(json!({"name": "Nima"})).send().await;
    refused.problem(401);
    assert_eq!(header(&refused, "access-control-allow-origin"), "*");

    // No other route answers a preflight or names an origin: not the rest of the API, not the
    // sign-in, not the probes.
    for path in ["/api/v1/deals", "/api/v1/auth/login", "/api/v1/leads", "/api/v1/me", "/healthz"] {
        let preflight = app
            .request(reqwest::Method::OPTIONS, path)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await;
        assert_ne!(preflight.status / 100, 2, "{path} answered a preflight: {}", preflight.status);
        assert_eq!(header(&preflight, "access-control-allow-origin"), "", "{path}");
    }
    let login = app
        .post("/api/v1/auth/login")
        .header("origin", origin)
        .json(json!({"email": "owner@acme.test", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(header(&login, "access-control-allow-origin"), "", "sign-in grants no origin: {}", login.status);
    let deals = app.get("/api/v1/deals").header("origin", origin).token(&admin.token).send().await;
    assert_eq!((deals.status, header(&deals, "access-control-allow-origin")), (200, String::new()));
}
