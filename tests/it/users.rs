use serde_json::{Value, json};

use crate::helpers::{Engine, Reply, Session, TestApp, id, session, spawn_app};
use crate::on_both_engines;

on_both_engines!(
    admins_add_members_who_then_sign_in,
    a_workspace_always_keeps_an_admin,
    a_new_role_applies_from_the_next_token,
    deactivated_members_cannot_sign_in_until_reactivated,
    visibility_is_a_workspace_setting_per_kind_of_record,
    a_deactivated_admins_token_does_nothing_and_cannot_reactivate_itself,
    a_demoted_admins_token_and_keys_lose_admin_powers_on_the_next_request,
    a_promotion_applies_to_the_token_in_hand,
    nobody_changes_their_own_role_or_active_flag,
    concurrent_mutual_demotions_leave_an_active_admin,
    an_admin_demoted_while_its_change_waits_is_refused,
);

const PASSWORD: &str = "correct horse battery";

async fn add(app: &TestApp, token: &str, email: &str, role: &str) -> crate::helpers::Reply {
    let body = json!({"email": email, "name": "Someone", "role": role, "password": PASSWORD});
    app.post("/api/v1/users").token(token).json(body).send().await
}

async fn admins_add_members_who_then_sign_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let created = add(&app, &admin.token, " Mia@Acme.test ", "member").await.ok(201).clone();
    assert_eq!((created["email"].as_str(), created["role"].as_str()), (Some("mia@acme.test"), Some("member")));
    assert_eq!((created["workspace_id"].as_str(), created["active"].as_bool()), (Some(admin.workspace_id.as_str()), Some(true)));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    assert_eq!(mia.workspace_id, admin.workspace_id);

    add(&app, &admin.token, "mia@acme.test", "member").await.problem(409);
    let bad = json!({"email": "x@acme.test", "name": "", "role": "member", "password": "short"});
    let refused = app.post("/api/v1/users").token(&admin.token).json(bad).send().await;
    let mut fields = refused.error_fields();
    fields.sort();
    assert_eq!(fields, ["name", "password"]);
    let bad = json!({"email": "no", "name": "X", "role": "member", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/users").token(&admin.token).json(bad).send().await.error_fields(), ["email"]);
    let owner = json!({"email": "x@acme.test", "name": "X", "role": "owner", "password": PASSWORD});
    assert_eq!(app.post("/api/v1/users").token(&admin.token).json(owner).send().await.error_fields(), ["role"]);
    add(&app, &mia.token, "max@acme.test", "admin").await.problem(403);
    let users = app.get("/api/v1/users").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(users["data"].as_array().unwrap().len(), 2);
}

/// The workspace keeps an active admin: the one admin cannot step down (nobody changes their own
/// role), and once someone else is admin, either may demote the other but not both.
async fn a_workspace_always_keeps_an_admin(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let demote = |user: String| {
        let app = &app;
        let token = admin.token.clone();
        async move { app.patch(&format!("/api/v1/users/{user}")).token(&token).json(json!({"role": "manager"})).send().await }
    };
    demote(admin.user_id.clone()).await.problem_code(403, "self_change_forbidden");

    let promoted =
        app.patch(&format!("/api/v1/users/{mia}")).token(&admin.token).json(json!({"role": "admin", "name": "Mia"})).send().await;
    assert_eq!((promoted.ok(200)["role"].as_str(), promoted.ok(200)["name"].as_str()), (Some("admin"), Some("Mia")));
    let mia_session = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let demoted =
        app.patch(&format!("/api/v1/users/{}", admin.user_id)).token(&mia_session.token).json(json!({"role": "manager"})).send().await;
    assert_eq!(demoted.ok(200)["role"], "manager");
    // Mia is now the only admin; the former admin may no longer change anyone.
    demote(mia.clone()).await.problem_code(403, "forbidden");
    let other = app.signup("Other", "other@other.test").await;
    app.patch(&format!("/api/v1/users/{mia}")).token(&other.token).json(json!({"name": "x"})).send().await.problem(404);
}

/// A new role applies at once, and to the tokens the refresh gives after.
async fn a_new_role_applies_from_the_next_token(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia_id = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let pipeline = json!({"name": "Mia's", "stages": [{"name": "A", "probability": 10}]});
    app.post("/api/v1/pipelines").token(&mia.token).json(pipeline.clone()).send().await.problem(403);
    app.patch(&format!("/api/v1/users/{mia_id}")).token(&admin.token).json(json!({"role": "manager"})).send().await.ok(200);
    let refreshed = app.post("/api/v1/auth/refresh").json(json!({"refresh_token": mia.refresh_token})).send().await;
    let mia = session(refreshed.ok(200));
    app.post("/api/v1/pipelines").token(&mia.token).json(pipeline).send().await.ok(201);
}

async fn visibility_is_a_workspace_setting_per_kind_of_record(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    add(&app, &admin.token, "mia@acme.test", "member").await.ok(201);
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let workspace = app.get("/api/v1/workspace").token(&mia.token).send().await.ok(200).clone();
    assert_eq!((workspace["deal_visibility"].as_str(), workspace["lead_visibility"].as_str()), (Some("everyone"), Some("everyone")));
    app.patch("/api/v1/workspace").token(&mia.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await.problem(403);
    let owners = json!({"deal_visibility": "owners"});
    assert_eq!(app.patch("/api/v1/workspace").token(&admin.token).json(owners).send().await.error_fields(), ["deal_visibility"]);

    let pipeline = app.sales_pipeline(&admin).await;
    let deal = id(&app.create_deal(&admin, json!({"title": "Big one", "pipeline_id": id(&pipeline)})).await);
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Hot lead"})).send().await.ok(201));
    let sees = |path: String| {
        let app = &app;
        let token = mia.token.clone();
        async move { app.get(&path).token(&token).send().await.status }
    };
    assert_eq!((sees(format!("/api/v1/deals/{deal}")).await, sees(format!("/api/v1/leads/{lead}")).await), (200, 200));

    let changed = app.patch("/api/v1/workspace").token(&admin.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await;
    assert_eq!(changed.ok(200)["deal_visibility"], "owner_and_managers");
    assert_eq!(changed.ok(200)["lead_visibility"], "everyone");
    assert_eq!((sees(format!("/api/v1/deals/{deal}")).await, sees(format!("/api/v1/leads/{lead}")).await), (404, 200));
    let me = app.get("/api/v1/me").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(me["workspace"]["deal_visibility"], "owner_and_managers");

    // Handing the deal to Mia shows it to her; the lead follows its own setting.
    let handed =
        app.patch(&format!("/api/v1/deals/{deal}")).token(&admin.token).if_match(1).json(json!({"owner_id": mia.user_id})).send().await;
    handed.ok(200);
    assert_eq!(sees(format!("/api/v1/deals/{deal}")).await, 200);
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"lead_visibility": "owner_and_managers"})).send().await.ok(200);
    assert_eq!(sees(format!("/api/v1/leads/{lead}")).await, 404);
    let listed: Value = app.get("/api/v1/leads").token(&mia.token).send().await.ok(200).clone();
    assert!(listed["data"].as_array().unwrap().is_empty());
}

async fn deactivated_members_cannot_sign_in_until_reactivated(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia_id = id(add(&app, &admin.token, "mia@acme.test", "member").await.ok(201));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    let deal_pipeline = app.sales_pipeline(&admin).await;
    let deal = id(&app.create_deal(&mia, json!({"title": "Mia's", "pipeline_id": id(&deal_pipeline)})).await);

    app.delete(&format!("/api/v1/users/{mia_id}")).token(&mia.token).send().await.problem(403);
    let gone = app.delete(&format!("/api/v1/users/{mia_id}")).token(&admin.token).send().await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    app.login("mia@acme.test", PASSWORD).await.problem(401);
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": mia.refresh_token})).send().await.problem(401);
    let users = app.get("/api/v1/users").token(&admin.token).send().await.ok(200).clone();
    let listed = users["data"].as_array().unwrap().iter().find(|u| u["id"] == mia_id.as_str()).unwrap().clone();
    assert_eq!(listed["active"], false);
    // What she owned stays hers.
    assert_eq!(app.deal(&admin, &deal).await["owner_id"], mia_id.as_str());

    // The admin cannot deactivate themselves (nor leave the workspace without an admin).
    app.delete(&format!("/api/v1/users/{}", admin.user_id)).token(&admin.token).send().await.problem_code(403, "self_change_forbidden");
    let back = app.patch(&format!("/api/v1/users/{mia_id}")).token(&admin.token).json(json!({"active": true})).send().await;
    assert_eq!(back.ok(200)["active"], true);
    app.login("mia@acme.test", PASSWORD).await.ok(200);
}

/// Two admins of one workspace: the one who signed up, and another added and signed in.
async fn two_admins(app: &TestApp) -> (Session, Session) {
    let alice = app.signup("Acme", "alice@acme.test").await;
    add(app, &alice.token, "bob@acme.test", "admin").await.ok(201);
    let bob = session(app.login("bob@acme.test", PASSWORD).await.ok(200));
    (alice, bob)
}

/// A privileged call of each kind an admin (or a manager) may make: members, API keys, webhooks,
/// the workspace, custom fields, scoring rules, pipelines, the audit log.
async fn privileged_calls(app: &TestApp, credential: &str, other_admin: &str) -> Vec<(String, Reply)> {
    let calls = [
        ("PATCH", format!("/api/v1/users/{other_admin}"), json!({"active": false})),
        ("DELETE", format!("/api/v1/users/{other_admin}"), Value::Null),
        ("POST", "/api/v1/users".to_owned(), json!({"email": "eve@acme.test", "name": "Eve", "role": "admin", "password": PASSWORD})),
        ("GET", "/api/v1/api-keys".to_owned(), Value::Null),
        ("POST", "/api/v1/api-keys".to_owned(), json!({"name": "escape hatch", "scopes": ["admin"]})),
        ("POST", "/api/v1/webhooks".to_owned(), json!({"url": "https://hooks.example.com/exfiltrate"})),
        ("PATCH", "/api/v1/workspace".to_owned(), json!({"name": "Taken over"})),
        ("POST", "/api/v1/custom-fields".to_owned(), json!({"entity": "lead", "key": "fleet", "label": "Fleet", "kind": "number"})),
        ("PUT", "/api/v1/scoring-rules".to_owned(), json!({"rules": []})),
        ("POST", "/api/v1/pipelines".to_owned(), json!({"name": "Mine", "stages": [{"name": "A", "probability": 10}]})),
        ("GET", "/api/v1/audit".to_owned(), Value::Null),
    ];
    let mut replies = Vec::new();
    for (method, path, body) in calls {
        let request = app.request(method.parse().unwrap(), &path).token(credential);
        let reply = if body.is_null() { request.send().await } else { request.json(body).send().await };
        replies.push((format!("{method} {path}"), reply));
    }
    replies
}

/// The attack of the review: a deactivated admin, with the access token still in hand,
/// re-activated itself and signed in again. The token stops working at once, for everything.
async fn a_deactivated_admins_token_does_nothing_and_cannot_reactivate_itself(engine: Engine) {
    let app = spawn_app(engine).await;
    let (alice, bob) = two_admins(&app).await;
    app.delete(&format!("/api/v1/users/{}", bob.user_id)).token(&alice.token).send().await.ok(204);

    let revive = app.patch(&format!("/api/v1/users/{}", bob.user_id)).token(&bob.token).json(json!({"active": true})).send().await;
    revive.problem_code(401, "unauthenticated");
    for (call, reply) in privileged_calls(&app, &bob.token, &alice.user_id).await {
        assert_eq!(reply.status, 401, "{call}: {}", reply.text);
    }
    for path in ["/api/v1/me", "/api/v1/deals", "/api/v1/users"] {
        app.get(path).token(&bob.token).send().await.problem_code(401, "unauthenticated");
    }
    app.login("bob@acme.test", PASSWORD).await.problem_code(401, "credentials_refused");
    app.post("/api/v1/auth/refresh").json(json!({"refresh_token": bob.refresh_token})).send().await.problem(401);
    let bob_id: uuid::Uuid = bob.user_id.parse().unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE id = ? AND active = ?", vec![bob_id.into(), false.into()]).await, 1);
    let alice_id: uuid::Uuid = alice.user_id.parse().unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE id = ? AND active = ?", vec![alice_id.into(), true.into()]).await, 1);

    // Re-activated by another admin, Bob signs in afresh: the tokens of before stay dead.
    app.patch(&format!("/api/v1/users/{}", bob.user_id)).token(&alice.token).json(json!({"active": true})).send().await.ok(200);
    app.get("/api/v1/me").token(&bob.token).send().await.problem_code(401, "unauthenticated");
    let again = session(app.login("bob@acme.test", PASSWORD).await.ok(200));
    app.get("/api/v1/api-keys").token(&again.token).send().await.ok(200);
}

/// The other attack: a demoted admin re-promoted itself, deactivated the admin who demoted it and
/// minted an admin API key. Its token and the keys it made now act with its current role.
async fn a_demoted_admins_token_and_keys_lose_admin_powers_on_the_next_request(engine: Engine) {
    let app = spawn_app(engine).await;
    let (alice, bob) = two_admins(&app).await;
    let key = app.post("/api/v1/api-keys").token(&bob.token).json(json!({"name": "Bob's", "scopes": ["admin"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    app.patch("/api/v1/workspace").token(&alice.token).json(json!({"deal_visibility": "owner_and_managers"})).send().await.ok(200);
    let pipeline = app.sales_pipeline(&alice).await;
    let deal = id(&app.create_deal(&alice, json!({"title": "Alice's", "pipeline_id": id(&pipeline)})).await);
    app.get(&format!("/api/v1/deals/{deal}")).token(&bob.token).send().await.ok(200);

    app.patch(&format!("/api/v1/users/{}", bob.user_id)).token(&alice.token).json(json!({"role": "member"})).send().await.ok(200);
    for credential in [&bob.token, &key] {
        let promote = app.patch(&format!("/api/v1/users/{}", bob.user_id)).token(credential).json(json!({"role": "admin"})).send().await;
        promote.problem_code(403, "forbidden");
        for (call, reply) in privileged_calls(&app, credential, &alice.user_id).await {
            assert_eq!(reply.status, 403, "{call}: {}", reply.text);
        }
        // A member sees only their own deals now.
        app.get(&format!("/api/v1/deals/{deal}")).token(credential).send().await.problem(404);
        app.get("/api/v1/deals").token(credential).send().await.ok(200);
    }
    let me = app.get("/api/v1/me").token(&bob.token).send().await.ok(200).clone();
    assert_eq!(me["user"]["role"], "member");
    // Nothing of the above happened.
    let users = app.get("/api/v1/users").token(&alice.token).send().await.ok(200).clone();
    let states: Vec<(String, String, bool)> = users["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["email"].as_str().unwrap().to_owned(), u["role"].as_str().unwrap().to_owned(), u["active"].as_bool().unwrap()))
        .collect();
    assert_eq!(states, [("alice@acme.test".into(), "admin".into(), true), ("bob@acme.test".into(), "member".into(), true)]);
    assert_eq!(app.get("/api/v1/api-keys").token(&alice.token).send().await.ok(200)["data"].as_array().unwrap().len(), 1);

    // Demoted to manager, the same token shapes pipelines but still manages nobody.
    app.patch(&format!("/api/v1/users/{}", bob.user_id)).token(&alice.token).json(json!({"role": "manager"})).send().await.ok(200);
    let pipeline = json!({"name": "Bob's", "stages": [{"name": "A", "probability": 10}]});
    app.post("/api/v1/pipelines").token(&bob.token).json(pipeline).send().await.ok(201);
    app.get(&format!("/api/v1/deals/{deal}")).token(&bob.token).send().await.ok(200);
    app.get("/api/v1/api-keys").token(&bob.token).send().await.problem(403);
    app.get("/api/v1/api-keys").token(&key).send().await.problem(403);
}

/// The role is read on every request, in both directions: a member made admin needs no new token.
async fn a_promotion_applies_to_the_token_in_hand(engine: Engine) {
    let app = spawn_app(engine).await;
    let alice = app.signup("Acme", "alice@acme.test").await;
    let mia_id = id(add(&app, &alice.token, "mia@acme.test", "member").await.ok(201));
    let mia = session(app.login("mia@acme.test", PASSWORD).await.ok(200));
    app.get("/api/v1/api-keys").token(&mia.token).send().await.problem(403);
    app.patch(&format!("/api/v1/users/{mia_id}")).token(&alice.token).json(json!({"role": "admin"})).send().await.ok(200);
    app.get("/api/v1/api-keys").token(&mia.token).send().await.ok(200);
}

/// Nobody changes their own role or active flag, with a token or with their API key; renaming
/// oneself is fine, and so is sending one's own values unchanged.
async fn nobody_changes_their_own_role_or_active_flag(engine: Engine) {
    let app = spawn_app(engine).await;
    let (alice, bob) = two_admins(&app).await;
    let key = app.post("/api/v1/api-keys").token(&alice.token).json(json!({"name": "Alice's", "scopes": ["admin"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let me = format!("/api/v1/users/{}", alice.user_id);
    for credential in [&alice.token, &key] {
        for change in
            [json!({"role": "manager"}), json!({"role": "member"}), json!({"active": false}), json!({"name": "A", "role": "member"})]
        {
            let reply = app.patch(&me).token(credential).json(change.clone()).send().await;
            let problem = reply.problem_code(403, "self_change_forbidden");
            assert!(problem["detail"].as_str().unwrap().contains("own role"), "{change}: {}", reply.text);
        }
        app.delete(&me).token(credential).send().await.problem_code(403, "self_change_forbidden");
    }
    let renamed = app.patch(&me).token(&alice.token).json(json!({"name": "Alice A.", "role": "admin", "active": true})).send().await;
    assert_eq!((renamed.ok(200)["name"].as_str(), renamed.ok(200)["role"].as_str()), (Some("Alice A."), Some("admin")));
    // Another admin may still change Alice.
    app.patch(&me).token(&bob.token).json(json!({"role": "manager"})).send().await.ok(200);
    let audit = app.get("/api/v1/audit?action=user.updated").token(&bob.token).send().await.ok(200).clone();
    assert!(!audit["data"].as_array().unwrap().is_empty());
}

/// Two admins demote or deactivate each other at the same moment, again and again: the changes
/// are serialized on the workspace, so at most one succeeds and an active admin always remains.
async fn concurrent_mutual_demotions_leave_an_active_admin(engine: Engine) {
    let app = spawn_app(engine).await;
    let (alice, bob) = two_admins(&app).await;
    let workspace: uuid::Uuid = alice.workspace_id.parse().unwrap();
    let changes = [json!({"role": "member"}), json!({"active": false}), json!({"role": "manager"})];
    let (mut alice, mut bob) = (alice, bob);
    for round in 0..6 {
        let change = |by: &Session, of: &Session| {
            let request = app.patch(&format!("/api/v1/users/{}", of.user_id)).token(&by.token);
            request.json(changes[round % changes.len()].clone()).send()
        };
        let (first, second) = tokio::join!(change(&alice, &bob), change(&bob, &alice));
        let statuses = [first.status, second.status];
        assert!(statuses.iter().all(|s| [200, 401, 403, 409].contains(s)), "round {round}: {} / {}", first.text, second.text);
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
        let admins = app
            .scalar(
                "SELECT COUNT(*) FROM users WHERE workspace_id = ? AND role = 'admin' AND active = ?",
                vec![workspace.into(), true.into()],
            )
            .await;
        assert_eq!(admins, 1, "round {round}: {statuses:?}");
        // Both admins again for the next round, restored by the one left, and signed in afresh.
        let (survivor, other) = if first.status == 200 { (&alice, &bob) } else { (&bob, &alice) };
        let restore = json!({"role": "admin", "active": true});
        app.patch(&format!("/api/v1/users/{}", other.user_id)).token(&survivor.token).json(restore).send().await.ok(200);
        alice = session(app.login("alice@acme.test", crate::helpers::PASSWORD).await.ok(200));
        bob = session(app.login("bob@acme.test", PASSWORD).await.ok(200));
    }
}

/// The rule is decided inside the transaction that holds the workspace, on the actor's row as it
/// is then: an admin whose change waits for the workspace while another transaction demotes them
/// is refused when its turn comes, although it was an admin when its request came in.
async fn an_admin_demoted_while_its_change_waits_is_refused(engine: Engine) {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_app(engine).await;
    let (alice, bob) = two_admins(&app).await;
    add(&app, &alice.token, "carol@acme.test", "admin").await.ok(201);
    let carol = session(app.login("carol@acme.test", PASSWORD).await.ok(200));
    let (workspace, bob_id): (uuid::Uuid, uuid::Uuid) = (alice.workspace_id.parse().unwrap(), bob.user_id.parse().unwrap());

    // Another writer holds the workspace (PostgreSQL: its row; SQLite: the database's write lock).
    let held = app.store.connection().begin().await.unwrap();
    match engine {
        Engine::Postgres => {
            held.execute_raw(app.statement("SELECT id FROM workspaces WHERE id = ? FOR UPDATE", vec![workspace.into()])).await.unwrap();
        }
        Engine::Sqlite => {
            held.execute_raw(app.statement("UPDATE workspaces SET updated_at = updated_at WHERE id = ?", vec![workspace.into()]))
                .await
                .unwrap();
        }
    }
    let waiting = {
        let (client, url, token) = (app.client.clone(), app.url(&format!("/api/v1/users/{}", carol.user_id)), bob.token.clone());
        tokio::spawn(async move { client.patch(url).bearer_auth(token).json(&json!({"role": "member"})).send().await.unwrap().status() })
    };
    if engine == Engine::Postgres {
        // Wait until Bob's change is queued behind the lock, past its authorization.
        let mut queued = false;
        for _ in 0..2_000 {
            let sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            if app.scalar(sql, vec![]).await > 0 {
                queued = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(queued, "Bob's change never waited for the workspace");
    }
    held.execute_raw(app.statement("UPDATE users SET role = 'member' WHERE id = ?", vec![bob_id.into()])).await.unwrap();
    held.commit().await.unwrap();

    assert_eq!(waiting.await.unwrap(), 403);
    let users = app.get("/api/v1/users").token(&alice.token).send().await.ok(200).clone();
    let carol_now = users["data"].as_array().unwrap().iter().find(|u| u["email"] == "carol@acme.test").unwrap().clone();
    assert_eq!(carol_now["role"], "admin");
}
