//! Accounts belong to one workspace (issue 13, M10): an email may have accounts in several
//! workspaces, and neither sign-up nor adding a member tells whether it has one elsewhere.
//! Sign-in finds the account the password opens, or asks which workspace when it opens several.

use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Reply, Session, TestApp, id, session, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    signup_answers_alike_whether_or_not_the_email_has_an_account_elsewhere,
    adding_a_member_answers_alike_whether_or_not_the_email_has_an_account_elsewhere,
    two_admins_adding_one_email_at_once_make_one_account,
    sign_in_opens_the_account_the_password_opens_or_asks_which_workspace,
    each_account_keeps_its_own_password_sessions_and_deactivation,
    a_sign_in_checks_at_most_ten_accounts_and_a_flood_does_not_push_out_the_oldest,
    the_workspace_choice_counts_as_a_right_password_for_the_throttle,
    the_command_line_resets_the_password_of_the_account_it_is_told,
);

/// The shape of a JSON value: its keys and the kinds of its values, recursively.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("bool"),
        Value::Null => Value::Null,
    }
}

/// A reply without what differs between any two requests (ids, tokens, times, request ids).
fn comparable(reply: &Reply) -> (u16, Value, Value) {
    (reply.status, reply.body.get("code").cloned().unwrap_or(Value::Null), shape(&reply.body))
}

async fn signup_as(app: &TestApp, workspace: &str, email: &str, password: &str) -> Reply {
    let body = json!({"workspace_name": workspace, "name": "Sara Ahmadi", "email": email, "password": password});
    app.post("/api/v1/auth/signup").json(body).send().await
}

async fn add_member(app: &TestApp, admin: &Session, email: &str, password: &str) -> Reply {
    let body = json!({"email": email, "name": "Sara Ahmadi", "role": "member", "password": password});
    app.post("/api/v1/users").token(&admin.token).json(body).send().await
}

async fn login(app: &TestApp, email: &str, password: &str, workspace: Option<&str>) -> Reply {
    let mut body = json!({"email": email, "password": password});
    if let Some(workspace) = workspace {
        body["workspace_id"] = json!(workspace);
    }
    app.post("/api/v1/auth/login").json(body).send().await
}

/// The workspaces a `workspace_choice_required` answer offers, by name, sorted.
fn offered(reply: &Reply) -> Vec<String> {
    let problem = reply.problem_code(409, "workspace_choice_required");
    let mut names: Vec<String> = problem["workspaces"].as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

async fn signup_answers_alike_whether_or_not_the_email_has_an_account_elsewhere(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signup("Pars", "sara@pars.example").await;

    let taken = signup_as(&app, "Elsewhere", "SARA@pars.example", PASSWORD).await;
    let fresh = signup_as(&app, "Elsewhere", "nobody-yet@pars.example", PASSWORD).await;
    assert_eq!(comparable(&taken), comparable(&fresh), "{} / {}", taken.text, fresh.text);
    assert_eq!(taken.status, 201, "{}", taken.text);
    assert_eq!((taken.body["user"]["email"].as_str(), taken.body["user"]["role"].as_str()), (Some("sara@pars.example"), Some("admin")));
    assert_eq!(taken.body["workspace"]["name"], "Elsewhere");
    // The new account is one of its own: its token opens the new workspace only.
    let me = app.get("/api/v1/me").token(taken.body["access_token"].as_str().unwrap()).send().await;
    assert_eq!(me.ok(200)["workspace"]["id"], taken.body["workspace"]["id"]);

    // Refused sign-ups are alike too.
    let weak_taken = signup_as(&app, "Third", "sara@pars.example", "password1234").await;
    let weak_fresh = signup_as(&app, "Third", "someone-else@pars.example", "password1234").await;
    assert_eq!(comparable(&weak_taken), comparable(&weak_fresh));
    assert_eq!(weak_taken.error_fields(), ["password"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email = 'sara@pars.example'", vec![]).await, 2);
}

async fn adding_a_member_answers_alike_whether_or_not_the_email_has_an_account_elsewhere(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signup("Pars", "sara@pars.example").await;
    let acme = app.signup("Acme", "owner@acme.test").await;

    let elsewhere = add_member(&app, &acme, "Sara@Pars.example", "another passphrase for acme").await;
    let fresh = add_member(&app, &acme, "reza@pars.example", "another passphrase for acme").await;
    assert_eq!(comparable(&elsewhere), comparable(&fresh), "{} / {}", elsewhere.text, fresh.text);
    assert_eq!(elsewhere.status, 201);
    assert_eq!(elsewhere.body["workspace_id"], acme.workspace_id.as_str());
    // Only an email of this very workspace is taken, which its admins see in the member list anyway.
    let again = add_member(&app, &acme, "sara@pars.example", "another passphrase for acme").await;
    assert_eq!(again.problem_code(409, "email_taken")["detail"], "a member of this workspace already has this email");
    add_member(&app, &acme, "owner@acme.test", "another passphrase for acme").await.problem_code(409, "email_taken");
    let weak_elsewhere = add_member(&app, &acme, "sara@pars.example", "1234567890").await;
    let weak_fresh = add_member(&app, &acme, "mina@pars.example", "1234567890").await;
    assert_eq!(comparable(&weak_elsewhere), comparable(&weak_fresh));
}

/// The unique index on (workspace, email) decides between two admins adding one email at once.
async fn two_admins_adding_one_email_at_once_make_one_account(engine: Engine) {
    let app = spawn_app(engine).await;
    let acme = app.signup("Acme", "owner@acme.test").await;
    for round in 0..4 {
        let email = format!("twice-{round}@acme.test");
        let (first, second) = tokio::join!(
            add_member(&app, &acme, &email, "another passphrase for acme"),
            add_member(&app, &acme, &email, "another passphrase for acme")
        );
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{} / {}", first.text, second.text);
        for reply in [&first, &second].into_iter().filter(|r| r.status == 409) {
            reply.problem_code(409, "email_taken");
        }
    }
}

async fn sign_in_opens_the_account_the_password_opens_or_asks_which_workspace(engine: Engine) {
    let app = spawn_app(engine).await;
    let pars = session(signup_as(&app, "Pars", "sara@pars.example", PASSWORD).await.ok(201));
    let caspian = session(signup_as(&app, "Caspian", "sara@pars.example", PASSWORD).await.ok(201));
    let zagros = session(signup_as(&app, "Zagros", "sara@pars.example", "a different passphrase entirely").await.ok(201));

    // The password opens two accounts: which workspace? Only those two are named.
    let choice = login(&app, "Sara@Pars.example", PASSWORD, None).await;
    assert_eq!(offered(&choice), ["Caspian", "Pars"]);
    let mut ids: Vec<&str> = choice.body["workspaces"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = [pars.workspace_id.as_str(), caspian.workspace_id.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(!choice.text.contains(&zagros.workspace_id), "the other password's workspace is not revealed");
    assert!(choice.body.get("access_token").is_none());

    // Naming one signs in to it; its token, refresh and /me stay in it.
    let signed = login(&app, "sara@pars.example", PASSWORD, Some(&caspian.workspace_id)).await;
    let signed = session(signed.ok(200));
    assert_eq!((signed.workspace_id.as_str(), signed.user_id.as_str()), (caspian.workspace_id.as_str(), caspian.user_id.as_str()));
    let refreshed = session(app.post("/api/v1/auth/refresh").json(json!({"refresh_token": signed.refresh_token})).send().await.ok(200));
    assert_eq!(refreshed.workspace_id, caspian.workspace_id);
    let me = app.get("/api/v1/me").token(&refreshed.token).send().await.ok(200).clone();
    assert_eq!((me["workspace"]["name"].as_str(), me["user"]["id"].as_str()), (Some("Caspian"), Some(caspian.user_id.as_str())));

    // The password that opens one account signs in to it directly.
    let direct = session(login(&app, "sara@pars.example", "a different passphrase entirely", None).await.ok(200));
    assert_eq!(direct.workspace_id, zagros.workspace_id);

    // A workspace where the password opens nothing, or with no such account, or a wrong
    // password: refused alike.
    let refusals = [
        login(&app, "sara@pars.example", PASSWORD, Some(&zagros.workspace_id)).await,
        login(&app, "sara@pars.example", PASSWORD, Some(&uuid::Uuid::now_v7().to_string())).await,
        login(&app, "sara@pars.example", "not any of the passwords", None).await,
        login(&app, "nobody@pars.example", PASSWORD, None).await,
    ];
    for refused in &refusals {
        assert_eq!(refused.problem_code(401, "credentials_refused")["detail"], "the email or password is wrong");
    }
    let other = app.signup("Other", "owner@other.test").await;
    login(&app, "sara@pars.example", PASSWORD, Some(&other.workspace_id)).await.problem_code(401, "credentials_refused");
}

async fn each_account_keeps_its_own_password_sessions_and_deactivation(engine: Engine) {
    let app = spawn_app(engine).await;
    let acme = app.signup("Acme", "owner@acme.test").await;
    let pars = app.signup("Pars", "owner@pars.test").await;
    let shared = "the same passphrase in both";
    let in_acme = id(add_member(&app, &acme, "sara@both.test", shared).await.ok(201));
    let in_pars = id(add_member(&app, &pars, "sara@both.test", shared).await.ok(201));
    assert_eq!(offered(&login(&app, "sara@both.test", shared, None).await), ["Acme", "Pars"]);

    // A new password in Acme's account changes nothing in Pars's.
    let acme_sara = session(login(&app, "sara@both.test", shared, Some(&acme.workspace_id)).await.ok(200));
    let pars_sara = session(login(&app, "sara@both.test", shared, Some(&pars.workspace_id)).await.ok(200));
    let change = json!({"current_password": shared, "new_password": "a new passphrase for acme only"});
    app.post("/api/v1/me/password").token(&acme_sara.token).json(change).send().await.ok(200);
    app.get("/api/v1/me").token(&acme_sara.token).send().await.problem_code(401, "unauthenticated");
    app.get("/api/v1/me").token(&pars_sara.token).send().await.ok(200);
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": pars_sara.refresh_token})).send().await.ok(200);
    let to_pars = session(login(&app, "sara@both.test", shared, None).await.ok(200));
    assert_eq!((to_pars.workspace_id.as_str(), to_pars.user_id.as_str()), (pars.workspace_id.as_str(), in_pars.as_str()));
    let to_acme = session(login(&app, "sara@both.test", "a new passphrase for acme only", None).await.ok(200));
    assert_eq!(to_acme.user_id, in_acme);

    // Deactivated in Pars, the account is not offered; Acme's goes on.
    app.post("/api/v1/me/password")
        .token(&to_acme.token)
        .json(json!({"current_password": "a new passphrase for acme only", "new_password": shared}))
        .send()
        .await
        .ok(200);
    app.delete(&format!("/api/v1/users/{in_pars}")).token(&pars.token).send().await.ok(204);
    let only = session(login(&app, "sara@both.test", shared, None).await.ok(200));
    assert_eq!(only.workspace_id, acme.workspace_id);
    login(&app, "sara@both.test", shared, Some(&pars.workspace_id)).await.problem_code(401, "credentials_refused");
}

/// Twelve accounts with one email and password: a sign-in checks ten (the choice lists ten), and
/// accounts created and signed in to later do not push out the oldest one.
async fn a_sign_in_checks_at_most_ten_accounts_and_a_flood_does_not_push_out_the_oldest(engine: Engine) {
    let app = spawn_app(engine).await;
    let shared = "the same passphrase everywhere";
    let mut workspaces = Vec::new();
    for n in 0..12 {
        let admin = app.signup(&format!("W{n:02}"), &format!("owner{n}@w.test")).await;
        add_member(&app, &admin, "sara@many.test", shared).await.ok(201);
        workspaces.push(admin.workspace_id);
    }
    let listed = offered(&login(&app, "sara@many.test", shared, None).await);
    assert_eq!(listed, (0..10).map(|n| format!("W{n:02}")).collect::<Vec<_>>(), "never signed in: the oldest ten");
    // Signing in to the newest puts it among those checked.
    login(&app, "sara@many.test", shared, Some(&workspaces[11])).await.ok(200);
    let listed = offered(&login(&app, "sara@many.test", shared, None).await);
    assert_eq!(listed.len(), 10);
    assert!(listed.contains(&"W11".to_owned()) && listed.contains(&"W00".to_owned()), "{listed:?}");

    // Someone creates a dozen accounts with a victim's email and keeps signing in to them: the
    // victim's established account is still among those checked, and signs in.
    let victim = session(signup_as(&app, "Victim Co", "victim@v.test", PASSWORD).await.ok(201));
    for n in 0..12 {
        let flood = session(signup_as(&app, &format!("Flood {n}"), "victim@v.test", "the attackers own passphrase").await.ok(201));
        login(&app, "victim@v.test", "the attackers own passphrase", Some(&flood.workspace_id)).await.ok(200);
    }
    let signed = session(login(&app, "victim@v.test", PASSWORD, None).await.ok(200));
    assert_eq!(signed.workspace_id, victim.workspace_id);
}

/// Proving the password of several accounts is no failed guess: the address is not slowed.
async fn the_workspace_choice_counts_as_a_right_password_for_the_throttle(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.sign_in_throttle.free_failures = 1).await;
    signup_as(&app, "Pars", "sara@pars.example", PASSWORD).await.ok(201);
    signup_as(&app, "Caspian", "sara@pars.example", PASSWORD).await.ok(201);
    for _ in 0..4 {
        login(&app, "sara@pars.example", PASSWORD, None).await.problem_code(409, "workspace_choice_required");
    }
    login(&app, "sara@pars.example", "a wrong passphrase", None).await.problem_code(401, "credentials_refused");
    login(&app, "sara@pars.example", "a wrong passphrase", None).await.problem_code(401, "credentials_refused");
    // Two failures with one free: the address waits, whatever it sends.
    login(&app, "sara@pars.example", PASSWORD, None).await.problem(429);
}

/// `kariz user reset-password` needs `--workspace` when the email has accounts in several, and
/// then resets that account's password only.
async fn the_command_line_resets_the_password_of_the_account_it_is_told(engine: Engine) {
    let app = spawn_app(engine).await;
    let pars = session(signup_as(&app, "Pars", "sara@pars.example", PASSWORD).await.ok(201));
    let caspian = session(signup_as(&app, "Caspian", "sara@pars.example", PASSWORD).await.ok(201));
    let data = crate::helpers::TempDir::new();
    let reset = |workspace: Option<&str>| {
        let mut command = std::process::Command::new(crate::processes::binary());
        command
            .args(["user", "reset-password", "--email", "sara@pars.example"])
            .env("DATABASE_URL", &app.db.url)
            .env("KARIZ_DATA_DIR", &data.path)
            .env("KARIZ_USER_PASSWORD", "a passphrase set by the operator")
            .env("RUST_LOG", "error");
        if let Some(workspace) = workspace {
            command.args(["--workspace", workspace]);
        }
        command.output().expect("Failed to run kariz")
    };
    let ambiguous = reset(None);
    assert!(!ambiguous.status.success());
    let said = String::from_utf8_lossy(&ambiguous.stderr);
    assert!(said.contains("accounts in 2 workspaces") && said.contains("--workspace"), "{said}");
    assert!(said.contains(&pars.workspace_id) && said.contains("Caspian"), "{said}");
    login(&app, "sara@pars.example", PASSWORD, Some(&pars.workspace_id)).await.ok(200);

    let done = reset(Some(&caspian.workspace_id));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    app.get("/api/v1/me").token(&caspian.token).send().await.problem_code(401, "unauthenticated");
    app.get("/api/v1/me").token(&pars.token).send().await.ok(200);
    let caspian_again = session(login(&app, "sara@pars.example", "a passphrase set by the operator", None).await.ok(200));
    assert_eq!(caspian_again.workspace_id, caspian.workspace_id);
    let pars_again = session(login(&app, "sara@pars.example", PASSWORD, None).await.ok(200));
    assert_eq!(pars_again.workspace_id, pars.workspace_id);

    // `kariz user create` adds an account to a workspace unless that workspace has the email.
    let create = |workspace: &str| {
        std::process::Command::new(crate::processes::binary())
            .args(["user", "create", "--email", "sara@pars.example", "--name", "Sara", "--workspace-id", workspace])
            .env("DATABASE_URL", &app.db.url)
            .env("KARIZ_DATA_DIR", &data.path)
            .env("KARIZ_USER_PASSWORD", "yet another operator passphrase")
            .env("RUST_LOG", "error")
            .output()
            .expect("Failed to run kariz")
    };
    let other = app.signup("Zagros", "owner@zagros.test").await;
    assert!(!create(&pars.workspace_id).status.success(), "Pars already has the email");
    let created = create(&other.workspace_id);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let zagros = session(login(&app, "sara@pars.example", "yet another operator passphrase", None).await.ok(200));
    assert_eq!(zagros.workspace_id, other.workspace_id);
}
