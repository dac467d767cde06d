use serde_json::json;

use crate::helpers::{Engine, PASSWORD, session, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    signup_signs_in_as_admin_of_a_new_workspace,
    login_accepts_only_the_right_password,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_revokes_the_refresh_token,
    duplicate_email_is_a_conflict,
    protected_routes_need_a_valid_unexpired_token,
    repeated_wrong_passwords_are_throttled,
);

async fn signup_signs_in_as_admin_of_a_new_workspace(engine: Engine) {
    let app = spawn_app(engine).await;
    let reply = app
        .post("/api/v1/auth/signup")
        .json(json!({"workspace_name": "Pars Trading", "name": "Sara", "email": " Sara@Example.com ", "password": PASSWORD, "default_currency": "irr", "locale": "fa"}))
        .send()
        .await;
    let body = reply.ok(201);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["email"], "sara@example.com", "emails are normalized");
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["workspace"]["default_currency"], "IRR");
    assert_eq!(body["workspace"]["locale"], "fa");
    let me = app.get("/api/v1/me").token(body["access_token"].as_str().unwrap()).send().await;
    assert_eq!(me.ok(200)["user"]["id"], body["user"]["id"]);
    assert_eq!(me.body["workspace"]["name"], "Pars Trading");

    // The password is stored as an argon2id hash, never in the clear.
    let stored = app.scalar("SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'", vec![]).await;
    assert_eq!(stored, 1);
}

async fn login_accepts_only_the_right_password(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signup("Acme", "owner@acme.test").await;
    let ok = app.login("OWNER@acme.test", PASSWORD).await;
    assert!(ok.ok(200)["access_token"].as_str().unwrap().len() > 20);
    let wrong = app.login("owner@acme.test", "not the password at all").await;
    assert_eq!(wrong.problem(401)["detail"], "the email or password is wrong");
    let unknown = app.login("nobody@acme.test", PASSWORD).await;
    assert_eq!(unknown.problem(401)["detail"], wrong.body["detail"], "unknown emails look like wrong passwords");
}

async fn refresh_rotates_and_reuse_revokes_the_family(engine: Engine) {
    let app = spawn_app(engine).await;
    let first = app.signup("Acme", "owner@acme.test").await;
    let refreshed = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": first.refresh_token})).send().await;
    let second = session(refreshed.ok(200));
    assert_ne!(second.refresh_token, first.refresh_token, "refresh tokens rotate");
    assert_eq!(app.get("/api/v1/me").token(&second.token).send().await.status, 200);

    // Presenting the rotated token again is a replay: refused, and the whole family dies.
    let replay = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": first.refresh_token})).send().await;
    replay.problem(401);
    let after = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": second.refresh_token})).send().await;
    after.problem(401);

    // A fresh sign-in starts a new family that works.
    let again = session(app.login("owner@acme.test", PASSWORD).await.ok(200));
    let ok = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": again.refresh_token})).send().await;
    ok.ok(200);
    let stored_plain = app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash LIKE 'rt_%'", vec![]).await;
    assert_eq!(stored_plain, 0, "refresh tokens are stored hashed");
}

async fn logout_revokes_the_refresh_token(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.post("/api/v1/auth/logout").json(json!({"refresh_token": admin.refresh_token})).send().await.ok(204);
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": admin.refresh_token})).send().await.problem(401);
}

async fn duplicate_email_is_a_conflict(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signup("Acme", "owner@acme.test").await;
    let again = app
        .post("/api/v1/auth/signup")
        .json(json!({"workspace_name": "Other", "name": "X", "email": "OWNER@acme.test", "password": PASSWORD}))
        .send()
        .await;
    again.problem(409);
}

async fn protected_routes_need_a_valid_unexpired_token(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let missing = app.get("/api/v1/me").send().await;
    missing.problem(401);
    assert_eq!(missing.headers.get("www-authenticate").unwrap(), "Bearer");
    app.get("/api/v1/me").token("not-a-jwt").send().await.problem(401);
    app.get("/api/v1/me").header("authorization", "Basic abc").send().await.problem(401);

    // A token signed with another secret.
    let user: uuid::Uuid = admin.user_id.parse().unwrap();
    let workspace: uuid::Uuid = admin.workspace_id.parse().unwrap();
    let forged = kariz_api::auth::TokenService::new(b"some-other-secret-of-enough-length!!", 60, app.store.clock().clone())
        .issue_access(user, workspace, kariz_domain::Role::Admin)
        .unwrap();
    app.get("/api/v1/me").token(&forged.access_token).send().await.problem_code(401, "unauthenticated");

    // Our own token, once its 15 minutes have passed.
    app.get("/api/v1/me").token(&admin.token).send().await.ok(200);
    app.clock.advance(chrono::Duration::minutes(16));
    let reply = app.get("/api/v1/me").token(&admin.token).send().await;
    assert!(reply.problem_code(401, "token_expired")["detail"].as_str().unwrap().contains("expired"));
}

async fn repeated_wrong_passwords_are_throttled(engine: Engine) {
    let app = spawn_app_with(engine, |settings| {
        settings.sign_in_max_failures = 3;
        settings.sign_in_window = std::time::Duration::from_secs(2);
    })
    .await;
    app.signup("Acme", "owner@acme.test").await;
    for _ in 0..3 {
        app.login("owner@acme.test", "not-the-password").await.problem(401);
    }
    // Locked out, even with the right password, and told for how long.
    let locked = app.login("OWNER@acme.test", PASSWORD).await;
    locked.problem(429);
    let wait: u64 = locked.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    // Another email is not affected.
    app.login("nobody@acme.test", "whatever-password").await.problem(401);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    app.login("owner@acme.test", PASSWORD).await.ok(200);
}
