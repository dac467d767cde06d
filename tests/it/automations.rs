//! Automation rules over real HTTP on both engines: a rule on a stage change over an amount
//! makes its task and tag once and logs its run, a deal under the amount fires nothing; rules
//! cascade to a bounded depth and never back into their own chain; owners are assigned in turn;
//! a lead is qualified by a rule; a run cut short by a crash is resumed without doing anything
//! twice; rules are checked whole, versioned, audited, and kept from members and other
//! workspaces; a dry run explains itself.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_rule_on_a_stage_change_over_an_amount_acts_once_and_logs_its_run,
    rules_cascade_to_a_bounded_depth_and_never_back_into_their_chain,
    owners_are_assigned_in_turn_and_leads_qualified_by_a_rule,
    a_run_cut_short_is_resumed_without_doing_anything_twice,
    rules_are_checked_versioned_audited_and_kept_to_managers_of_their_workspace,
    a_dry_run_says_which_conditions_hold,
    a_stage_change_over_an_amount_emails_the_contact_in_persian_and_tasks_the_owner,
    notify_actions_reach_the_members_named,
    time_based_rules_fire_once_per_occurrence,
    lost_deals_and_qualified_leads_fire_their_rules,
    a_lead_rule_emails_the_lead_and_its_owner,
);

/// Lets every committed change be numbered and matched against the rules (the server's own
/// runner works too; this waits until the two together have finished).
async fn settle(app: &TestApp) {
    for _ in 0..200 {
        app.store.sequence_events().await.unwrap();
        app.store.run_automations().await.unwrap();
        let behind = app
            .scalar(
                "SELECT COUNT(*) FROM automation_cursors c WHERE last_sequence < \
                   (SELECT COALESCE(MAX(sequence), 0) FROM events e WHERE e.workspace_id = c.workspace_id)",
                vec![],
            )
            .await;
        let unnumbered = app.scalar("SELECT COUNT(*) FROM events WHERE sequence IS NULL", vec![]).await;
        let running = app.scalar("SELECT COUNT(*) FROM automation_runs WHERE status = 'running'", vec![]).await;
        if behind == 0 && unnumbered == 0 && running == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the automations did not settle");
}

async fn create_rule(app: &TestApp, session: &Session, rule: Value) -> Value {
    app.post("/api/v1/automations").token(&session.token).json(rule).send().await.ok(201).clone()
}

async fn runs(app: &TestApp, session: &Session, rule: &Value) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/automations/{}/runs", id(rule))).token(&session.token).send().await;
    reply.ok(200)["data"].as_array().unwrap().clone()
}

async fn tasks_of(app: &TestApp, session: &Session, deal: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/activities?deal_id={deal}")).token(&session.token).send().await;
    reply.ok(200)["data"].as_array().unwrap().iter().filter(|a| a["kind"] == "task" && a["template_id"].is_null()).cloned().collect()
}

async fn a_rule_on_a_stage_change_over_an_amount_acts_once_and_logs_its_run(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let rule = create_rule(
        &app,
        &admin,
        json!({
            "name": "Big deals into Proposal",
            "trigger": {"type": "deal.stage_changed", "stage_id": stage_id(&pipeline, 1)},
            "conditions": [{"field": "amount_minor", "op": "gte", "value": 1000}],
            "actions": [
                {"type": "create_task", "title": "Send the proposal", "due_in_days": 2},
                {"type": "add_tag", "tag": "proposal"},
            ],
        }),
    )
    .await;
    assert_eq!(rule["active"], true);
    let big =
        app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_minor": 5000, "currency": "IRR"})).await;
    let small =
        app.create_deal(&admin, json!({"title": "Pens", "pipeline_id": id(&pipeline), "amount_minor": 999, "currency": "IRR"})).await;
    app.move_deal(&admin, &big, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    app.move_deal(&admin, &small, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    settle(&app).await;
    settle(&app).await;

    let big_now = app.deal(&admin, &id(&big)).await;
    assert_eq!(big_now["tags"], json!(["proposal"]));
    let tasks = tasks_of(&app, &admin, &id(&big)).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0]["subject"], "Send the proposal");
    assert_eq!(tasks[0]["owner_id"], big["owner_id"]);
    assert_eq!(app.deal(&admin, &id(&small)).await["tags"], json!([]), "under the amount: nothing");
    assert!(tasks_of(&app, &admin, &id(&small)).await.is_empty());

    let log = runs(&app, &admin, &rule).await;
    assert_eq!(log.len(), 1, "one run, however many passes: {log:?}");
    assert_eq!(log[0]["subject_id"], id(&big).as_str());
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(log[0]["depth"], 1);
    let outcomes: Vec<(&str, &str)> =
        log[0]["outcomes"].as_array().unwrap().iter().map(|o| (o["action"].as_str().unwrap(), o["status"].as_str().unwrap())).collect();
    assert_eq!(outcomes, [("create_task", "done"), ("add_tag", "done")]);
    assert_eq!(log[0]["outcomes"][0]["record_id"], tasks[0]["id"]);
    // The rule's changes are announced like anyone's, and name the rule that made them.
    let caused = app.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'deal.updated' AND caused_by IS NOT NULL", vec![]).await;
    assert_eq!(caused, 1);
    // A paused rule does nothing.
    app.patch(&format!("/api/v1/automations/{}", id(&rule)))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"active": false}))
        .send()
        .await
        .ok(200);
    let moved =
        app.move_deal(&admin, &app.deal(&admin, &id(&small)).await, json!({"stage_id": stage_id(&pipeline, 0)})).await.ok(200).clone();
    app.patch(&format!("/api/v1/deals/{}", id(&small)))
        .token(&admin.token)
        .if_match(moved["version"].as_i64().unwrap())
        .json(json!({"amount_minor": 5000}))
        .send()
        .await
        .ok(200);
    app.move_deal(&admin, &app.deal(&admin, &id(&small)).await, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    settle(&app).await;
    assert_eq!(runs(&app, &admin, &rule).await.len(), 1);
}

async fn rules_cascade_to_a_bounded_depth_and_never_back_into_their_chain(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    // A ring: into Proposal → Negotiation → Qualified → Proposal → …, and a tag on every move.
    let ring = |name: &str, from: usize, to: usize| {
        json!({"name": name, "trigger": {"type": "deal.stage_changed", "stage_id": stage_id(&pipeline, from)},
               "actions": [{"type": "move_to_stage", "stage_id": stage_id(&pipeline, to)}]})
    };
    let to_negotiation = create_rule(&app, &admin, ring("Y", 1, 2)).await;
    let to_qualified = create_rule(&app, &admin, ring("W", 2, 0)).await;
    let to_proposal = create_rule(&app, &admin, ring("X", 0, 1)).await;
    let any_move = json!({"type": "deal.stage_changed"});
    let tagger =
        create_rule(&app, &admin, json!({"name": "Z", "trigger": any_move, "actions": [{"type": "add_tag", "tag": "moved"}]})).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    for _ in 0..4 {
        settle(&app).await;
    }
    // The person's move fires Y (depth 1); Y's move fires W (2); W's fires X (3); X's move, three
    // rules deep, fires nothing more — not Y again, which is in its chain besides.
    let depths = |log: Vec<Value>| {
        let mut depths: Vec<i64> = log.iter().map(|r| r["depth"].as_i64().unwrap()).collect();
        depths.sort();
        depths
    };
    assert_eq!(depths(runs(&app, &admin, &to_negotiation).await), [1]);
    assert_eq!(depths(runs(&app, &admin, &to_qualified).await), [2]);
    assert_eq!(depths(runs(&app, &admin, &to_proposal).await), [3]);
    assert_eq!(depths(runs(&app, &admin, &tagger).await), [1, 2, 3], "every move of a chain under three rules");
    let now = app.deal(&admin, &id(&deal)).await;
    assert_eq!(now["stage_id"], stage_id(&pipeline, 1).as_str(), "the ring stopped after X's move");
    assert_eq!(now["tags"], json!(["moved"]));
    let chain = app.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed' AND caused_by IS NOT NULL", vec![]).await;
    assert_eq!(chain, 3);
}

async fn owners_are_assigned_in_turn_and_leads_qualified_by_a_rule(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let sam = app.add_member(&admin, "sam@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    create_rule(
        &app,
        &admin,
        json!({"name": "Share new deals", "trigger": {"type": "deal.created"}, "actions": [{"type": "assign_owner", "user_ids": [mia.user_id, sam.user_id]}]}),
    )
    .await;
    let mut deals = Vec::new();
    for n in 0..3 {
        deals.push(app.create_deal(&admin, json!({"title": format!("Deal {n}"), "pipeline_id": id(&pipeline)})).await);
        settle(&app).await;
    }
    let mut owners = Vec::new();
    for deal in &deals {
        owners.push(app.deal(&admin, &id(deal)).await["owner_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(owners, [mia.user_id.clone(), sam.user_id.clone(), mia.user_id.clone()]);

    let qualify = json!({
        "name": "Web leads become deals",
        "trigger": {"type": "lead.created"},
        "conditions": [{"field": "source", "op": "eq", "value": "website"}],
        "actions": [{"type": "qualify_lead", "pipeline_id": id(&pipeline)}],
    });
    let rule = create_rule(&app, &admin, qualify).await;
    let web =
        app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Sara", "company": "Fars Co", "source": "website"})).send().await;
    let web = web.ok(201).clone();
    let phone = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Omid", "source": "phone"})).send().await.ok(201).clone();
    settle(&app).await;
    let lead = app.get(&format!("/api/v1/leads/{}", id(&web))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(lead["status"], "qualified");
    let log = runs(&app, &admin, &rule).await;
    assert_eq!(log.len(), 1);
    let deal = app.deal(&admin, log[0]["outcomes"][0]["record_id"].as_str().unwrap()).await;
    assert_eq!(deal["pipeline_id"], id(&pipeline).as_str());
    let other = app.get(&format!("/api/v1/leads/{}", id(&phone))).token(&admin.token).send().await.ok(200).clone();
    assert_ne!(other["status"], "qualified");
}

async fn a_run_cut_short_is_resumed_without_doing_anything_twice(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let rule = create_rule(
        &app,
        &admin,
        json!({"name": "Follow up", "trigger": {"type": "deal.created"}, "actions": [
            {"type": "create_task", "title": "Call", "due_in_days": 1},
            {"type": "add_tag", "tag": "new"},
        ]}),
    )
    .await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    settle(&app).await;
    assert_eq!(tasks_of(&app, &admin, &id(&deal)).await.len(), 1);
    // As if the process died after both actions and before it recorded them.
    app.execute("UPDATE automation_runs SET status = 'running', outcomes = '[]', finished_at = NULL", vec![]).await;
    app.clock.advance(chrono::Duration::minutes(2));
    app.store.run_automations().await.unwrap();
    settle(&app).await;
    let log = runs(&app, &admin, &rule).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "succeeded");
    let statuses: Vec<&str> = log[0]["outcomes"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["skipped", "skipped"], "the task and the tag were there already");
    assert_eq!(tasks_of(&app, &admin, &id(&deal)).await.len(), 1, "one task, not two");
    assert_eq!(app.deal(&admin, &id(&deal)).await["tags"], json!(["new"]));
}

async fn rules_are_checked_versioned_audited_and_kept_to_managers_of_their_workspace(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = app.add_member(&admin, "mia@acme.test", "member").await;
    let manager = app.add_member(&admin, "max@acme.test", "manager").await;
    let outsider = app.signup("Other", "owner@other.test").await;
    let pipeline = app.sales_pipeline(&admin).await;

    let bad = app
        .post("/api/v1/automations")
        .token(&admin.token)
        .json(json!({
            "name": "Bad",
            "trigger": {"type": "deal.created"},
            "conditions": [{"field": "score", "op": "gt", "value": 1}, {"field": "currency", "op": "in", "value": "IRR"}],
            "actions": [{"type": "qualify_lead", "pipeline_id": id(&pipeline)}],
        }))
        .send()
        .await;
    let problem = bad.problem(422);
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["conditions[0].field", "conditions[1].value", "actions[0].type"], "{problem}");
    let unknown = app
        .post("/api/v1/automations")
        .token(&admin.token)
        .json(json!({"name": "x", "trigger": {"type": "deal.exploded"}, "actions": [{"type": "add_tag", "tag": "x"}]}))
        .send()
        .await;
    assert_eq!(unknown.problem(422)["errors"][0]["field"], "trigger.type");

    let body = json!({"name": "Tag wins", "trigger": {"type": "deal.won"}, "actions": [{"type": "add_tag", "tag": "won"}]});
    app.post("/api/v1/automations").token(&member.token).json(body.clone()).send().await.problem_code(403, "forbidden");
    let rule = create_rule(&app, &manager, body).await;
    let path = format!("/api/v1/automations/{}", id(&rule));
    app.get(&path).token(&member.token).send().await.problem_code(403, "forbidden");
    app.get("/api/v1/automations").token(&member.token).send().await.problem_code(403, "forbidden");
    app.get(&path).token(&outsider.token).send().await.problem_code(404, "not_found");
    app.patch(&path).token(&outsider.token).if_match(1).json(json!({"name": "Mine"})).send().await.problem_code(404, "not_found");
    app.delete(&path).token(&outsider.token).send().await.problem_code(404, "not_found");
    assert!(app.get("/api/v1/automations").token(&outsider.token).send().await.ok(200)["data"].as_array().unwrap().is_empty());

    let renamed = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Tag every win"})).send().await.ok(200).clone();
    assert_eq!((renamed["name"].as_str(), renamed["version"].as_i64()), (Some("Tag every win"), Some(2)));
    assert_eq!(renamed["actions"], json!([{"type": "add_tag", "tag": "won"}]), "unchanged parts are kept");
    let stale = app.patch(&path).token(&admin.token).if_match(1).json(json!({"name": "Late"})).send().await;
    assert_eq!(stale.problem_code(412, "version_mismatch")["current_version"], 2);
    let invalid = app
        .patch(&path)
        .token(&admin.token)
        .if_match(2)
        .json(json!({"actions": [{"type": "qualify_lead", "pipeline_id": id(&pipeline)}]}))
        .send()
        .await;
    assert_eq!(invalid.problem(422)["errors"][0]["field"], "actions[0].type", "a change is checked with the rest of the rule");
    app.delete(&path).token(&admin.token).if_match(2).send().await;
    app.get(&path).token(&admin.token).send().await.problem_code(404, "not_found");
    for action in ["automation.created", "automation.updated", "automation.deleted"] {
        let sql = "SELECT COUNT(*) FROM audit_entries WHERE action = ? AND entity_id = ?";
        let entity: uuid::Uuid = id(&rule).parse().unwrap();
        assert_eq!(app.scalar(sql, vec![action.into(), entity.into()]).await, 1, "{action}");
    }
}

async fn a_dry_run_says_which_conditions_hold(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let rule = create_rule(
        &app,
        &admin,
        json!({"name": "Big", "trigger": {"type": "deal.created"}, "conditions": [
            {"field": "amount_minor", "op": "gte", "value": 1000},
            {"field": "title", "op": "contains", "value": "fleet"},
        ], "actions": [{"type": "add_tag", "tag": "big"}]}),
    )
    .await;
    let deal = app
        .create_deal(&admin, json!({"title": "Fleet renewal", "pipeline_id": id(&pipeline), "amount_minor": 500, "currency": "IRR"}))
        .await;
    let dry =
        app.post(&format!("/api/v1/automations/{}/test", id(&rule))).token(&admin.token).json(json!({"record_id": id(&deal)})).send().await;
    let dry = dry.ok(200).clone();
    assert_eq!(dry["matches"], false);
    assert_eq!(dry["conditions"][0]["actual"], 500);
    assert_eq!((dry["conditions"][0]["holds"].as_bool(), dry["conditions"][1]["holds"].as_bool()), (Some(false), Some(true)));
    assert_eq!(dry["actions"], json!(["add_tag"]));
    settle(&app).await;
    assert_eq!(app.deal(&admin, &id(&deal)).await["tags"], json!([]), "nothing was done");
    let missing = app
        .post(&format!("/api/v1/automations/{}/test", id(&rule)))
        .token(&admin.token)
        .json(json!({"record_id": uuid::Uuid::now_v7()}))
        .send()
        .await;
    missing.problem_code(404, "not_found");
}

/// The rule the issue describes: into stage B with an amount of at least 1,000, the deal's
/// contact gets the Persian template over real SMTP and the owner a follow-up task; a deal under
/// the amount gets neither; the run log and the email log show it.
async fn a_stage_change_over_an_amount_emails_the_contact_in_persian_and_tasks_the_owner(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = crate::smtp_server::SmtpServer::start().await;
    let admin = app.signup("Pars", "admin@pars.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let template = json!({"name": "پیشنهاد", "locale": "fa", "subject": "پیشنهاد {{deal.title}}", "body": "{{contact.first_name}} عزیز، مبلغ: {{deal.amount}}"});
    let t = id(app.post("/api/v1/email-templates").token(&admin.token).json(template).send().await.ok(201));
    let rule = create_rule(
        &app,
        &admin,
        json!({
            "name": "پیشنهاد برای معامله‌های بزرگ",
            "trigger": {"type": "deal.stage_changed", "stage_id": stage_id(&pipeline, 1)},
            "conditions": [{"field": "amount_minor", "op": "gte", "value": 1000}],
            "actions": [
                {"type": "send_email", "to": "contact", "template_id": t},
                {"type": "create_task", "title": "پیگیری پیشنهاد", "due_in_days": 3},
            ],
        }),
    )
    .await;
    let contact =
        |name: &str, email: &str| app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": name, "email": email})).send();
    let sara = id(contact("سارا احمدی", "sara@pars.test").await.ok(201));
    let omid = id(contact("امید رضایی", "omid@pars.test").await.ok(201));
    let big = app
        .create_deal(
            &admin,
            json!({"title": "ناوگان", "pipeline_id": id(&pipeline), "amount_minor": 2500, "currency": "IRR", "contact_id": sara}),
        )
        .await;
    let small = app
        .create_deal(
            &admin,
            json!({"title": "خودکار", "pipeline_id": id(&pipeline), "amount_minor": 999, "currency": "IRR", "contact_id": omid}),
        )
        .await;
    app.move_deal(&admin, &big, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    app.move_deal(&admin, &small, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    settle(&app).await;
    assert_eq!(crate::emails::mailer(&app, &server).run_once().await.unwrap(), 1, "one email, for the big deal only");

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_to, vec!["sara@pars.test".to_owned()]);
    assert_eq!(received[0].subject(), "پیشنهاد ناوگان");
    assert_eq!(received[0].part("text/plain").unwrap().trim(), "سارا عزیز، مبلغ: ۲٬۵۰۰ ریال");
    assert!(received[0].part("text/html").unwrap().contains("dir=\"rtl\""));
    let tasks = tasks_of(&app, &admin, &id(&big)).await;
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0]["subject"].as_str(), tasks[0]["owner_id"].as_str()), (Some("پیگیری پیشنهاد"), Some(admin.user_id.as_str())));
    assert!(tasks_of(&app, &admin, &id(&small)).await.is_empty());

    let log = runs(&app, &admin, &rule).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["outcomes"][0]["status"], "done");
    let email_id = log[0]["outcomes"][0]["record_id"].as_str().unwrap().to_owned();
    let emails = app.get(&format!("/api/v1/emails?deal_id={}", id(&big))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(emails["data"].as_array().unwrap().len(), 1);
    assert_eq!((emails["data"][0]["id"].as_str(), emails["data"][0]["status"].as_str()), (Some(email_id.as_str()), Some("sent")));
    let none = app.get(&format!("/api/v1/emails?deal_id={}", id(&small))).token(&admin.token).send().await.ok(200).clone();
    assert!(none["data"].as_array().unwrap().is_empty());
}

async fn notify_actions_reach_the_members_named(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let outsider = app.signup("Other", "owner@other.test").await;
    let refused = app
        .post("/api/v1/automations")
        .token(&admin.token)
        .json(json!({"name": "x", "trigger": {"type": "deal.won"}, "actions": [{"type": "notify", "user_ids": [outsider.user_id]}]}))
        .send()
        .await;
    assert_eq!(refused.problem(422)["errors"][0]["field"], "actions[0].user_ids");
    let rule = create_rule(
        &app,
        &admin,
        json!({"name": "Tell Mia about wins", "trigger": {"type": "deal.won"}, "actions": [{"type": "notify", "user_ids": [mia.user_id]}]}),
    )
    .await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    app.post(&format!("/api/v1/deals/{}/win", id(&deal)))
        .token(&admin.token)
        .if_match(deal["version"].as_i64().unwrap())
        .send()
        .await
        .ok(200);
    settle(&app).await;
    let inbox = app.get("/api/v1/notifications").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(inbox["unread_count"], 1);
    assert_eq!(
        (inbox["data"][0]["kind"].as_str(), inbox["data"][0]["data"]["title"].as_str()),
        (Some("automation"), Some("Tell Mia about wins"))
    );
    assert_eq!(inbox["data"][0]["deal_id"], id(&deal).as_str());
    assert_eq!(runs(&app, &admin, &rule).await[0]["outcomes"][0]["status"], "done");
}

/// `deal.rotting`, `activity.overdue` and `important_date.upcoming` fire from the pass on what
/// is due, once per occurrence however many passes run, and only where their conditions hold.
async fn time_based_rules_fire_once_per_occurrence(engine: Engine) {
    use chrono::Datelike;
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let stages = json!([{"name": "New", "probability": 10, "rotting_days": 2}, {"name": "Quote", "probability": 50}]);
    let pipeline =
        app.post("/api/v1/pipelines").token(&admin.token).json(json!({"name": "Sales", "stages": stages})).send().await.ok(201).clone();
    let stale = create_rule(
        &app,
        &admin,
        json!({"name": "Stale", "trigger": {"type": "deal.rotting"},
        "conditions": [{"field": "amount_minor", "op": "gt", "value": 0}], "actions": [{"type": "add_tag", "tag": "stale"}]}),
    )
    .await;
    let late = create_rule(
        &app,
        &admin,
        json!({"name": "Late", "trigger": {"type": "activity.overdue"},
        "actions": [{"type": "create_task", "title": "Chase the late task", "owner_id": admin.user_id}]}),
    )
    .await;
    let soon = create_rule(
        &app,
        &admin,
        json!({"name": "Birthday", "trigger": {"type": "important_date.upcoming", "days_before": 3},
        "actions": [{"type": "add_tag", "tag": "birthday-soon"}]}),
    )
    .await;
    let rotting =
        app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_minor": 100, "currency": "IRR"})).await;
    let free = app.create_deal(&admin, json!({"title": "Free", "pipeline_id": id(&pipeline)})).await;
    let moved_on =
        app.create_deal(&admin, json!({"title": "Moved", "pipeline_id": id(&pipeline), "amount_minor": 100, "currency": "IRR"})).await;
    app.move_deal(&admin, &moved_on, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    let now = kariz_persistence::clock::Clock::now(&app.clock);
    let task = json!({"kind": "task", "subject": "Send the quote", "deal_id": id(&rotting), "due_at": (now + chrono::Duration::hours(1)).to_rfc3339()});
    let t = id(app.post("/api/v1/activities").token(&admin.token).json(task).send().await.ok(201));
    let in_five = (now + chrono::Duration::days(5)).date_naive();
    let birthday = json!({"kind": "birthday", "month": in_five.month(), "day": in_five.day()});
    let sara = id(app
        .post("/api/v1/contacts")
        .token(&admin.token)
        .json(json!({"name": "Sara", "important_dates": [birthday]}))
        .send()
        .await
        .ok(201));

    settle(&app).await;
    for rule in [&stale, &late, &soon] {
        assert!(runs(&app, &admin, rule).await.is_empty(), "nothing is due yet");
    }
    // Two days and a bit later: the deal rots, the task is late, the birthday is three days off.
    app.clock.advance(chrono::Duration::days(2) + chrono::Duration::hours(2));
    let admin = crate::helpers::session(app.login("owner@acme.test", crate::helpers::PASSWORD).await.ok(200));
    settle(&app).await;
    settle(&app).await;
    let stale_runs = runs(&app, &admin, &stale).await;
    assert_eq!(stale_runs.len(), 1, "the deal with an amount, once: {stale_runs:?}");
    assert_eq!(stale_runs[0]["subject_id"], id(&rotting).as_str());
    assert_eq!(app.deal(&admin, &id(&rotting)).await["tags"], json!(["stale"]));
    assert_eq!(app.deal(&admin, &id(&free)).await["tags"], json!([]), "its condition does not hold");
    assert_eq!(app.deal(&admin, &id(&moved_on)).await["tags"], json!([]), "not in a rotting stage");
    let late_runs = runs(&app, &admin, &late).await;
    assert_eq!((late_runs.len(), late_runs[0]["subject_id"].as_str()), (1, Some(t.as_str())));
    assert_eq!(late_runs[0]["outcomes"][0]["status"], "done");
    let soon_runs = runs(&app, &admin, &soon).await;
    assert_eq!((soon_runs.len(), soon_runs[0]["subject_id"].as_str()), (1, Some(sara.as_str())));
    let contact = app.get(&format!("/api/v1/contacts/{sara}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(contact["tags"], json!(["birthday-soon"]));
    // A day later nothing fires again for the same occurrences.
    app.clock.advance(chrono::Duration::days(1));
    let admin = crate::helpers::session(app.login("owner@acme.test", crate::helpers::PASSWORD).await.ok(200));
    settle(&app).await;
    assert_eq!(
        (runs(&app, &admin, &stale).await.len(), runs(&app, &admin, &late).await.len(), runs(&app, &admin, &soon).await.len()),
        (1, 1, 1)
    );
}

async fn lost_deals_and_qualified_leads_fire_their_rules(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let lost = create_rule(
        &app,
        &admin,
        json!({"name": "Post-mortem", "trigger": {"type": "deal.lost"},
        "actions": [{"type": "create_task", "title": "Ask why we lost", "due_in_days": 1}]}),
    )
    .await;
    let qualified = create_rule(
        &app,
        &admin,
        json!({"name": "Qualified leads", "trigger": {"type": "lead.qualified"},
        "conditions": [{"field": "tags", "op": "contains", "value": "vip"}], "actions": [{"type": "add_tag", "tag": "handled"}]}),
    )
    .await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    app.post(&format!("/api/v1/deals/{}/lose", id(&deal)))
        .token(&admin.token)
        .if_match(deal["version"].as_i64().unwrap())
        .json(json!({"reason": "price"}))
        .send()
        .await
        .ok(200);
    let won = app.create_deal(&admin, json!({"title": "Won one", "pipeline_id": id(&pipeline)})).await;
    app.post(&format!("/api/v1/deals/{}/win", id(&won)))
        .token(&admin.token)
        .if_match(won["version"].as_i64().unwrap())
        .send()
        .await
        .ok(200);
    let lead = |name: &str, tags: Value| {
        app.post("/api/v1/leads").token(&admin.token).json(json!({"name": name, "company": "Co", "tags": tags})).send()
    };
    let vip = lead("Sara", json!(["vip"])).await.ok(201).clone();
    let plain = lead("Omid", json!([])).await.ok(201).clone();
    for l in [&vip, &plain] {
        app.post(&format!("/api/v1/leads/{}/qualify", id(l)))
            .token(&admin.token)
            .if_match(l["version"].as_i64().unwrap())
            .json(json!({}))
            .send()
            .await
            .ok(201);
    }
    settle(&app).await;
    let log = runs(&app, &admin, &lost).await;
    assert_eq!((log.len(), log[0]["subject_id"].as_str()), (1, Some(id(&deal).as_str())), "the lost deal, not the won one");
    assert_eq!(tasks_of(&app, &admin, &id(&deal)).await.len(), 1);
    let log = runs(&app, &admin, &qualified).await;
    assert_eq!((log.len(), log[0]["subject_id"].as_str()), (1, Some(id(&vip).as_str())), "the VIP lead only");
    let now = app.get(&format!("/api/v1/leads/{}", id(&vip))).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(now["tags"], json!(["vip", "handled"]));
}

/// A rule on new leads emails the lead itself (its name and company fill the contact's
/// placeholders) and its owner; the log lists the emails by lead; a lead without an address gets
/// a failed outcome saying so, and its owner's email still goes.
async fn a_lead_rule_emails_the_lead_and_its_owner(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = crate::smtp_server::SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let template = json!({"name": "Welcome", "locale": "en", "subject": "Welcome, {{contact.first_name}}", "body": "{{organization.name}}: {{owner.email}}"});
    let t = id(app.post("/api/v1/email-templates").token(&admin.token).json(template).send().await.ok(201));
    let rule = create_rule(
        &app,
        &admin,
        json!({
            "name": "Welcome new leads",
            "trigger": {"type": "lead.created"},
            "actions": [{"type": "send_email", "to": "contact", "template_id": t}, {"type": "send_email", "to": "owner", "template_id": t}],
        }),
    )
    .await;
    let sara = json!({"name": "Sara Ahmadi", "email": "sara@example.test", "company": "Pars Fleet", "owner_id": mia.user_id});
    let sara = id(app.post("/api/v1/leads").token(&admin.token).json(sara).send().await.ok(201));
    let omid = json!({"name": "Omid", "owner_id": mia.user_id});
    app.post("/api/v1/leads").token(&admin.token).json(omid).send().await.ok(201);
    settle(&app).await;
    assert_eq!(crate::emails::mailer(&app, &server).run_once().await.unwrap(), 3);

    let mut received: Vec<(Vec<String>, String, String)> =
        server.received().iter().map(|m| (m.rcpt_to.clone(), m.subject(), m.part("text/plain").unwrap().trim().to_owned())).collect();
    received.sort();
    let expected =
        |to: &str, first: &str, company: &str| (vec![to.to_owned()], format!("Welcome, {first}"), format!("{company}: mia@acme.test"));
    assert_eq!(
        received,
        [
            expected("mia@acme.test", "Omid", ""),
            expected("mia@acme.test", "Sara", "Pars Fleet"),
            expected("sara@example.test", "Sara", "Pars Fleet")
        ]
    );
    let log = app.get(&format!("/api/v1/emails?lead_id={sara}")).token(&admin.token).send().await.ok(200).clone();
    let log = log["data"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|e| e["lead_id"] == sara.as_str() && e["status"] == "sent"));

    let mut outcomes: Vec<Vec<(String, Option<String>)>> = runs(&app, &admin, &rule)
        .await
        .iter()
        .map(|run| {
            run["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o["status"].as_str().unwrap().to_owned(), o["detail"].as_str().map(str::to_owned)))
                .collect()
        })
        .collect();
    outcomes.sort();
    assert_eq!(outcomes[0][0], ("done".to_owned(), Some("queued to sara@example.test".to_owned())));
    assert_eq!(outcomes[1][0].0, "failed");
    assert!(outcomes[1][0].1.as_deref().unwrap().contains("the lead has no email address"), "{outcomes:?}");
    assert_eq!(outcomes[1][1], ("done".to_owned(), Some("queued to mia@acme.test".to_owned())));
}
