use serde_json::json;

use crate::helpers::{Engine, PASSWORD, session, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    signup_signs_in_as_admin_of_a_new_workspace,
    login_accepts_only_the_right_password,
    refresh_rotates_and_reuse_revokes_the_family,
    a_refresh_repeated_at_once_is_a_lost_answer_not_a_replay,
    logout_revokes_the_refresh_token,
    protected_routes_need_a_valid_unexpired_token,
    repeated_wrong_passwords_are_throttled,
    an_attacker_cannot_lock_the_real_user_out,
    a_distributed_attack_gets_one_guess_per_address,
    a_password_change_checks_the_current_one_and_ends_every_other_session,
    new_passwords_must_not_be_blank_invisible_short_or_guessable,
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

    // Presenting the rotated token again, later than a lost answer would be, is a replay:
    // refused, and the whole family dies.
    app.clock.advance(chrono::Duration::seconds(11));
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

/// A page reloaded while its refresh was in flight, or two tabs refreshing at once, present the
/// same cookie again before the new one arrives: each gets a working token of the family; the same
/// token presented later is a replay that ends every one of them.
async fn a_refresh_repeated_at_once_is_a_lost_answer_not_a_replay(engine: Engine) {
    let app = spawn_app(engine).await;
    let first = app.signup("Acme", "owner@acme.test").await;
    let refresh = |token: String| {
        let app = &app;
        async move { app.post("/api/v1/auth/refresh").json(json!({"refresh_token": token})).send().await }
    };
    let (one, two) = tokio::join!(refresh(first.refresh_token.clone()), refresh(first.refresh_token.clone()));
    let (one, two) = (session(one.ok(200)), session(two.ok(200)));
    assert_ne!(one.refresh_token, two.refresh_token, "each answer carries a token of its own");

    // A reload 5 seconds later (its answer was lost) still gets a token, which works.
    app.clock.advance(chrono::Duration::seconds(5));
    let reloaded = session(refresh(first.refresh_token.clone()).await.ok(200));
    assert_eq!(app.get("/api/v1/me").token(&reloaded.token).send().await.status, 200);
    let next = session(refresh(reloaded.refresh_token.clone()).await.ok(200));

    // Past the grace, the first token is a replay: the whole family is revoked, branches included.
    app.clock.advance(chrono::Duration::seconds(6));
    refresh(first.refresh_token.clone()).await.problem(401);
    for token in [one.refresh_token, two.refresh_token, next.refresh_token] {
        refresh(token).await.problem(401);
    }
}

async fn logout_revokes_the_refresh_token(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    app.post("/api/v1/auth/logout").json(json!({"refresh_token": admin.refresh_token})).send().await.ok(204);
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": admin.refresh_token})).send().await.problem(401);
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
    let other_secret = kariz_api::auth::JwtSecret::new(*b"some-other-secret-of-enough-length!!").unwrap();
    let forged = kariz_api::auth::TokenService::new(&other_secret, 60, app.store.clock().clone()).issue_access(user, workspace, 0).unwrap();
    app.get("/api/v1/me").token(&forged.access_token).send().await.problem_code(401, "unauthenticated");

    // Our own token, once its 15 minutes have passed.
    app.get("/api/v1/me").token(&admin.token).send().await.ok(200);
    app.clock.advance(chrono::Duration::minutes(16));
    let reply = app.get("/api/v1/me").token(&admin.token).send().await;
    assert!(reply.problem_code(401, "token_expired")["detail"].as_str().unwrap().contains("expired"));
}

async fn repeated_wrong_passwords_are_throttled(engine: Engine) {
    let app = spawn_app_with(engine, |settings| {
        settings.sign_in_throttle.free_failures = 2;
        settings.sign_in_throttle.window = std::time::Duration::from_secs(60);
    })
    .await;
    app.signup("Acme", "owner@acme.test").await;
    for _ in 0..3 {
        app.login("owner@acme.test", "not-the-password").await.problem(401);
    }
    // One failure beyond the free ones: a wait, even with the right password, and told for how long.
    let waiting = app.login("OWNER@acme.test", PASSWORD).await;
    waiting.problem(429);
    let wait: u64 = waiting.headers.get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert_eq!(wait, 1);
    // Another email is not affected.
    app.login("nobody@acme.test", "whatever-password").await.problem(401);
    app.clock.advance(chrono::Duration::seconds(1));
    app.login("owner@acme.test", PASSWORD).await.ok(200);
}

/// Past the looser bound per email, every address that has been failing is refused for the rest
/// of the window, and a new address gets one guess; an address that has not failed gets in.
async fn a_distributed_attack_gets_one_guess_per_address(engine: Engine) {
    let app = spawn_app_with(engine, |settings| {
        settings.rate_limits.trusted_proxies = kariz_api::rate_limit::parse_networks("127.0.0.1").unwrap();
        settings.sign_in_throttle.email_max_failures = 4;
    })
    .await;
    app.signup("Acme", "owner@acme.test").await;
    let login = |from: String, password: &'static str| {
        let request = app.post("/api/v1/auth/login").header("x-forwarded-for", &from);
        request.json(json!({"email": "owner@acme.test", "password": password})).send()
    };
    for n in 1..=4 {
        login(format!("192.0.2.{n}"), "guess-number-something").await.problem(401);
    }
    login("192.0.2.1".to_owned(), "guess-number-something").await.problem(429);
    login("192.0.2.9".to_owned(), "guess-number-something").await.problem(401);
    login("192.0.2.9".to_owned(), PASSWORD).await.problem(429);
    login("198.51.100.7".to_owned(), PASSWORD).await.ok(200);
}

/// Wrong passwords from one address slow that address down; they never lock the account for
/// everyone: the user signing in from elsewhere with the right password gets in.
async fn an_attacker_cannot_lock_the_real_user_out(engine: Engine) {
    let app = spawn_app_with(engine, |settings| {
        settings.rate_limits.trusted_proxies = kariz_api::rate_limit::parse_networks("127.0.0.1").unwrap();
    })
    .await;
    app.signup("Acme", "owner@acme.test").await;
    let login = |from: &'static str, password: &'static str| {
        app.post("/api/v1/auth/login")
            .header("x-forwarded-for", from)
            .json(json!({"email": "owner@acme.test", "password": password}))
            .send()
    };
    let attacker = "203.0.113.66";
    let mut throttled = 0;
    for _ in 0..12 {
        let reply = login(attacker, "guess-number-something").await;
        match reply.status {
            401 => {}
            429 => {
                throttled += 1;
                assert!(reply.headers.get("retry-after").is_some(), "{:?}", reply.headers);
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert!(throttled > 0, "the guessing address is slowed down");
    // The real user, elsewhere, is not locked out.
    login("198.51.100.7", PASSWORD).await.ok(200);
    // The guessing address stays throttled, even with the right password.
    login(attacker, PASSWORD).await.problem(429);
}

async fn a_password_change_checks_the_current_one_and_ends_every_other_session(engine: Engine) {
    let app = spawn_app(engine).await;
    let here = app.signup("Acme", "owner@acme.test").await;
    let elsewhere = session(app.login("owner@acme.test", PASSWORD).await.ok(200));
    let change = |current: &'static str, new: &'static str| {
        app.post("/api/v1/me/password").token(&here.token).json(json!({"current_password": current, "new_password": new})).send()
    };
    let wrong = change("not the current password", "a brand new passphrase for acme").await;
    assert_eq!(wrong.error_fields(), ["current_password"]);
    let weak = change(PASSWORD, "password1234").await;
    assert_eq!(weak.error_fields(), ["new_password"]);
    assert!(weak.body["errors"][0]["message"].as_str().unwrap().contains("guess"), "{}", weak.text);
    let same = change(PASSWORD, PASSWORD).await;
    assert_eq!(same.error_fields(), ["new_password"]);
    // Nothing changed so far: the old sessions still refresh... (checked below on the new one)
    let changed = change(PASSWORD, "a brand new passphrase for acme").await;
    let renewed = session(changed.ok(200));
    assert_eq!(app.get("/api/v1/me").token(&renewed.token).send().await.ok(200)["user"]["id"], here.user_id.as_str());

    // Every earlier sign-in is over; the new one goes on.
    for old in [&here.refresh_token, &elsewhere.refresh_token] {
        app.post("/api/v1/auth/refresh").json(json!({"refresh_token": old})).send().await.problem(401);
    }
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": renewed.refresh_token})).send().await.ok(200);
    app.login("owner@acme.test", PASSWORD).await.problem(401);
    app.login("owner@acme.test", "a brand new passphrase for acme").await.ok(200);

    // An API key acts as its maker, but cannot change their password.
    let key = app.post("/api/v1/api-keys").token(&renewed.token).json(json!({"name": "k", "scopes": ["admin"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let by_key = app
        .post("/api/v1/me/password")
        .token(&key)
        .json(json!({"current_password": "a brand new passphrase for acme", "new_password": "yet another passphrase here"}))
        .send()
        .await;
    by_key.problem(403);
}

async fn new_passwords_must_not_be_blank_invisible_short_or_guessable(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let signup = |email: &str, password: &str| {
        let body = json!({"workspace_name": "Pars Trading", "name": "Sara Ahmadi", "email": email, "password": password});
        app.post("/api/v1/auth/signup").json(body).send()
    };
    for bad in [
        "            ",
        "\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}",
        "correct\u{200B}horse battery staple",
        "correct horse\u{0007}battery staple",
        "short",
        "password1234",
        "qwertyuiop123",
        "sara.ahmadi.1990",
        "parstrading2024",
    ] {
        let reply = signup("sara.ahmadi@pars.example", bad).await;
        assert_eq!(reply.error_fields(), ["password"], "{bad:?}: {}", reply.text);
    }
    signup("sara.ahmadi@pars.example", "correct horse battery staple").await.ok(201);
    // Members get the same policy.
    let member = json!({"email": "mina@acme.test", "name": "Mina", "role": "member", "password": "1234567890"});
    assert_eq!(app.post("/api/v1/users").token(&admin.token).json(member).send().await.error_fields(), ["password"]);
}
