//! Emails over SMTP, end to end: queued through the API, sent by the sender (`kariz-mail`, driven
//! with `run_once`) to a real SMTP server on loopback (`smtp_server.rs`), retried after
//! refusals, failed after their last attempt, not sent without a server, resent with the same
//! `Message-ID` after a crash; templates checked, previewed and versioned; the log for admins and
//! managers of the workspace alone.

use std::time::Duration;

use kariz_mail::{Mailer, MailerConfig, SmtpUrl};
use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app};
use crate::on_both_engines;
use crate::smtp_server::{Reply, SmtpServer};

on_both_engines!(
    a_templated_persian_email_arrives_over_smtp_as_multipart_rtl,
    a_refused_email_is_retried_with_backoff_until_accepted,
    an_email_fails_after_its_last_attempt_or_a_permanent_refusal,
    without_smtp_emails_are_not_sent_and_say_why,
    a_crash_between_send_and_record_resends_with_the_same_message_id,
    templates_refuse_unknown_placeholders_and_are_versioned_and_previewed,
    the_log_is_read_by_admins_and_managers_of_its_workspace_alone,
    sending_refuses_what_cannot_be_sent,
    erasing_a_contact_erases_the_emails_to_them,
    two_senders_never_send_one_email_twice,
    email_events_are_streamed_to_those_who_see_their_deal_or_contact,
    a_written_email_is_in_the_workspaces_language_unless_told,
);

const FROM: &str = "Kariz CRM <crm@kariz.test>";

/// `kariz serve` itself, configured by its environment: it signs in to the SMTP server with the
/// URL's credentials, delivers a queued email, and never writes the password to its log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_sends_with_its_smtp_credentials_and_never_logs_the_password() {
    use std::process::{Command, Stdio};
    let server = SmtpServer::start().await;
    let data = crate::helpers::TempDir::new();
    let log_path = data.path.join("server.log");
    let port = crate::processes::free_port();
    let url = format!("smtp://mailer:s3cret%2Fpass@127.0.0.1:{}", server.port);
    let mut child = Command::new(crate::processes::binary())
        .arg("serve")
        .env("KARIZ_BIND", format!("127.0.0.1:{port}"))
        .env("KARIZ_DATA_DIR", data.path.join("data"))
        .env("KARIZ_JWT_SECRET", std::str::from_utf8(crate::helpers::JWT_SECRET).unwrap())
        .env("KARIZ_DEMO", "false")
        .env("KARIZ_WEB_DIR", "/nonexistent")
        .env("KARIZ_SMTP_URL", &url)
        .env("KARIZ_MAIL_FROM", FROM)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("Failed to start kariz");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "kariz did not become ready");
    let signup = json!({"workspace_name": "Ops", "name": "Ops", "email": "ops@ops.test", "password": crate::helpers::PASSWORD});
    let session: Value = http.post(format!("{base}/api/v1/auth/signup")).json(&signup).send().await.unwrap().json().await.unwrap();
    let token = session["access_token"].as_str().unwrap();
    let contact: Value = http
        .post(format!("{base}/api/v1/contacts"))
        .bearer_auth(token)
        .json(&json!({"name": "Reza Karimi", "email": "reza@example.test"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sent = http
        .post(format!("{base}/api/v1/contacts/{}/emails", contact["id"].as_str().unwrap()))
        .bearer_auth(token)
        .json(&json!({"subject": "From the server", "body": "Hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 202);
    server.wait_for(1).await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(server.logins(), [("mailer".to_owned(), "s3cret/pass".to_owned())]);
    assert_eq!(server.received()[0].subject(), "From the server");
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("smtp://mailer:***@127.0.0.1"), "the log names the server: {log}");
    assert!(!log.contains("s3cret"), "the password reached the log: {log}");
}

pub(crate) fn mailer_with(app: &TestApp, smtp: Option<String>, adjust: impl FnOnce(&mut MailerConfig)) -> Mailer {
    let mut config = MailerConfig {
        smtp: smtp.map(|url| SmtpUrl::parse(&url).unwrap()),
        from: Some(FROM.to_owned()),
        timeout: Duration::from_secs(10),
        ..MailerConfig::default()
    };
    adjust(&mut config);
    Mailer::new(app.store.clone(), config).unwrap()
}

pub(crate) fn mailer(app: &TestApp, server: &SmtpServer) -> Mailer {
    mailer_with(app, Some(server.url()), |_| {})
}

async fn email(app: &TestApp, admin: &Session, id: &str) -> Value {
    app.get(&format!("/api/v1/emails/{id}")).token(&admin.token).send().await.ok(200).clone()
}

async fn contact(app: &TestApp, session: &Session, name: &str, email: Option<&str>) -> String {
    let body = json!({"name": name, "email": email});
    id(app.post("/api/v1/contacts").token(&session.token).json(body).send().await.ok(201))
}

/// Sends a written email to a contact; returns the queued email.
async fn send_written(app: &TestApp, session: &Session, contact: &str, subject: &str) -> Value {
    let body = json!({"subject": subject, "body": "Dear {{contact.first_name}},\nsee you soon."});
    let reply = app.post(&format!("/api/v1/contacts/{contact}/emails")).token(&session.token).json(body).send().await;
    reply.ok(202).clone()
}

async fn audit_entry(app: &TestApp, admin: &Session, action: &str, entity: &str) -> Value {
    let log = app.get(&format!("/api/v1/audit?action={action}&entity_id={entity}")).token(&admin.token).send().await;
    log.ok(200)["data"][0].clone()
}

async fn a_templated_persian_email_arrives_over_smtp_as_multipart_rtl(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Pars", "admin@pars.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let c = contact(&app, &admin, "سارا احمدی", Some("Sara@Pars-Logistics.test")).await;
    let deal = json!({"title": "تمدید ناوگان", "pipeline_id": id(&pipeline), "amount_minor": 250_000_000, "currency": "IRR",
        "expected_close_date": "2027-03-21", "contact_id": c});
    let d = id(&app.create_deal(&admin, deal).await);
    let template = json!({"name": "پیگیری پیشنهاد", "locale": "fa", "subject": "پیشنهاد {{deal.title}}",
        "body": "{{contact.first_name}} عزیز،\nمبلغ: {{deal.amount}}\nتا {{deal.expected_close}} — {{stage.name}}\n<b>{{owner.name}}</b>"});
    let t = id(app.post("/api/v1/email-templates").token(&admin.token).json(template).send().await.ok(201));

    let reply = app.post(&format!("/api/v1/deals/{d}/emails")).token(&admin.token).json(json!({"template_id": t})).send().await;
    let queued = reply.ok(202).clone();
    let e = id(&queued);
    assert_eq!(reply.headers["location"], format!("/api/v1/emails/{e}").as_str());
    assert_eq!((queued["status"].as_str(), queued["to"].as_str()), (Some("queued"), Some("sara@pars-logistics.test")));
    assert_eq!((queued["deal_id"].as_str(), queued["contact_id"].as_str()), (Some(d.as_str()), Some(c.as_str())));

    assert_eq!(mailer(&app, &server).run_once().await.unwrap(), 1);
    let received = server.received();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!((message.mail_from.as_str(), message.rcpt_to.clone()), ("crm@kariz.test", vec!["sara@pars-logistics.test".to_owned()]));
    assert_eq!(message.subject(), "پیشنهاد تمدید ناوگان");
    assert!(message.header("Content-Type").unwrap().starts_with("multipart/alternative"), "{}", message.data);
    let text = message.part("text/plain").expect("a text part");
    assert_eq!(text.replace("\r\n", "\n"), "سارا عزیز،\nمبلغ: ۲۵۰٬۰۰۰٬۰۰۰ ریال\nتا ۱ فروردین ۱۴۰۶ — Qualified\n<b>Test Admin</b>");
    let html = message.part("text/html").expect("an HTML part");
    assert!(html.contains("<html lang=\"fa\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("&lt;b&gt;Test Admin&lt;/b&gt;") && !html.contains("<b>"), "{html}");

    let sent = email(&app, &admin, &e).await;
    assert_eq!((sent["status"].as_str(), sent["attempts"].as_i64()), (Some("sent"), Some(1)));
    let message_id = sent["message_id"].as_str().unwrap();
    assert_eq!(message_id, format!("<{e}@kariz.test>"));
    assert_eq!(message.header("Message-ID").as_deref(), Some(message_id));
    assert!(sent["sent_at"].is_string() && sent["next_attempt_at"].is_null());
    assert_eq!(app.event_count(&e, "email.sent").await, 1);
    assert_eq!(app.event_payload(&e, "email.sent").await["email"]["status"], "sent");

    // On the customer's timeline, as it went out.
    let timeline = app.get(&format!("/api/v1/contacts/{c}/timeline")).token(&admin.token).send().await.ok(200).clone();
    let entry = timeline["data"].as_array().unwrap().iter().find(|e| e["kind"] == "email").expect("an email entry").clone();
    assert_eq!((entry["id"].as_str(), entry["email"]["status"].as_str()), (Some(e.as_str()), Some("sent")));

    // Queued by its sender, sent by the sender: both audited.
    let entry = audit_entry(&app, &admin, "email.queued", &e).await;
    assert_eq!(
        (entry["actor_user_id"].as_str(), entry["changes"]["to_address"].as_str()),
        (Some(admin.user_id.as_str()), Some("sara@pars-logistics.test"))
    );
    let entry = audit_entry(&app, &admin, "email.sent", &e).await;
    assert_eq!(entry["changes"]["message_id"], message_id);
    assert_eq!(audit_entry(&app, &admin, "email_template.created", &t).await["changes"]["locale"], "fa");
}

async fn a_refused_email_is_retried_with_backoff_until_accepted(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let e = id(&send_written(&app, &admin, &c, "Hello {{contact.name}}").await);
    server.script(&[Reply::Code(451), Reply::Code(421)]);
    let sender = mailer_with(&app, Some(server.url()), |config| config.backoff = Duration::from_secs(60));

    assert_eq!(sender.run_once().await.unwrap(), 1);
    let first = email(&app, &admin, &e).await;
    assert_eq!((first["status"].as_str(), first["attempts"].as_i64()), (Some("queued"), Some(1)));
    assert!(first["last_error"].as_str().unwrap().contains("451"), "{first}");
    let message_id = first["message_id"].as_str().unwrap().to_owned();
    // Not due again before its backoff (60 s ± 20 %).
    assert_eq!(sender.run_once().await.unwrap(), 0);
    app.clock.advance(chrono::Duration::seconds(47));
    assert_eq!(sender.run_once().await.unwrap(), 0);
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(sender.run_once().await.unwrap(), 1);
    let second = email(&app, &admin, &e).await;
    assert_eq!((second["status"].as_str(), second["attempts"].as_i64()), (Some("queued"), Some(2)));
    // The next wait doubles: 120 s ± 20 %.
    app.clock.advance(chrono::Duration::seconds(95));
    assert_eq!(sender.run_once().await.unwrap(), 0);
    app.clock.advance(chrono::Duration::seconds(50));
    assert_eq!(sender.run_once().await.unwrap(), 1);

    let sent = email(&app, &admin, &e).await;
    assert_eq!((sent["status"].as_str(), sent["attempts"].as_i64(), sent["last_error"].clone()), (Some("sent"), Some(3), Value::Null));
    assert_eq!(sent["message_id"], message_id.as_str(), "every attempt carries the same Message-ID");
    assert_eq!(server.sessions(), 3);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("Message-ID").as_deref(), Some(message_id.as_str()));
    assert_eq!(received[0].subject(), "Hello Reza Karimi");
    assert_eq!(received[0].part("text/plain").unwrap().replace("\r\n", "\n"), "Dear Reza,\nsee you soon.");
    assert!(received[0].part("text/html").unwrap().contains("<html lang=\"en\" dir=\"ltr\">"));
    assert_eq!(app.event_count(&e, "email.sent").await, 1);
}

async fn an_email_fails_after_its_last_attempt_or_a_permanent_refusal(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let sender = mailer_with(&app, Some(server.url()), |config| {
        config.max_attempts = 2;
        config.backoff = Duration::from_secs(10);
    });

    let transient = id(&send_written(&app, &admin, &c, "Twice refused").await);
    server.script(&[Reply::Code(450), Reply::Code(452)]);
    assert_eq!(sender.run_once().await.unwrap(), 1);
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(sender.run_once().await.unwrap(), 1);
    let failed = email(&app, &admin, &transient).await;
    assert_eq!((failed["status"].as_str(), failed["attempts"].as_i64()), (Some("failed"), Some(2)));
    assert!(failed["last_error"].as_str().unwrap().contains("452"), "{failed}");
    assert!(failed["next_attempt_at"].is_null());
    assert_eq!(app.event_payload(&transient, "email.failed").await["email"]["status"], "failed");

    let permanent = id(&send_written(&app, &admin, &c, "Refused for good").await);
    server.script(&[Reply::Code(550)]);
    assert_eq!(sender.run_once().await.unwrap(), 1);
    let failed = email(&app, &admin, &permanent).await;
    assert_eq!((failed["status"].as_str(), failed["attempts"].as_i64()), (Some("failed"), Some(1)));
    assert!(failed["last_error"].as_str().unwrap().contains("550"), "{failed}");
    assert_eq!(audit_entry(&app, &admin, "email.failed", &permanent).await["changes"]["attempts"], 1);
    assert!(server.received().is_empty());

    let log = app.get("/api/v1/emails?status=failed").token(&admin.token).send().await.ok(200).clone();
    let ids: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [permanent.as_str(), transient.as_str()]);
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(sender.run_once().await.unwrap(), 0, "a failed email is not tried again");
}

async fn without_smtp_emails_are_not_sent_and_say_why(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let e = id(&send_written(&app, &admin, &c, "Nowhere to go").await);
    let sender = mailer_with(&app, None, |config| config.from = None);
    assert!(!sender.is_configured());
    assert_eq!(sender.run_once().await.unwrap(), 1);
    let not_sent = email(&app, &admin, &e).await;
    assert_eq!(
        (not_sent["status"].as_str(), not_sent["last_error"].as_str(), not_sent["attempts"].as_i64()),
        (Some("not_sent"), Some("smtp_not_configured"), Some(0))
    );
    assert_eq!(app.event_payload(&e, "email.failed").await["email"]["last_error"], "smtp_not_configured");
    assert_eq!(audit_entry(&app, &admin, "email.not_sent", &e).await["changes"]["last_error"], "smtp_not_configured");
    assert_eq!(sender.run_once().await.unwrap(), 0);
    // An SMTP server without a sender address is refused when the sender is built.
    let config = MailerConfig { smtp: Some(SmtpUrl::parse("smtp://127.0.0.1:2525").unwrap()), ..MailerConfig::default() };
    assert!(Mailer::new(app.store.clone(), config).is_err());
}

async fn a_crash_between_send_and_record_resends_with_the_same_message_id(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let e = id(&send_written(&app, &admin, &c, "Exactly once, or a detectable duplicate").await);
    // The server takes the message and answers nothing: the sender dies before it records the send.
    server.script(&[Reply::Silence]);
    let first = mailer(&app, &server);
    let crashed = tokio::spawn(async move { first.run_once().await });
    server.wait_for(1).await;
    crashed.abort();
    let _ = crashed.await;
    let leased = email(&app, &admin, &e).await;
    assert_eq!((leased["status"].as_str(), leased["attempts"].as_i64()), (Some("sending"), Some(0)));

    // Another sender finds nothing while the lease holds, then sends it again.
    let second = mailer(&app, &server);
    assert_eq!(second.run_once().await.unwrap(), 0);
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(second.run_once().await.unwrap(), 1);
    let sent = email(&app, &admin, &e).await;
    assert_eq!((sent["status"].as_str(), sent["attempts"].as_i64()), (Some("sent"), Some(1)));
    let received = server.received();
    assert_eq!(received.len(), 2, "at least once: the message went out twice");
    let ids: Vec<Option<String>> = received.iter().map(|m| m.header("Message-ID")).collect();
    assert_eq!(ids, vec![Some(sent["message_id"].as_str().unwrap().to_owned()); 2], "the duplicate carries the same Message-ID");
    assert_eq!(app.event_count(&e, "email.sent").await, 1);
}

async fn templates_refuse_unknown_placeholders_and_are_versioned_and_previewed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let t = admin.token.as_str();
    let bad = json!({"name": "Typo", "locale": "en", "subject": "About {{deal.titel}}", "body": "Hi {{contact.first_name}} {{price}}"});
    let reply = app.post("/api/v1/email-templates").token(t).json(bad).send().await;
    let problem = reply.problem(422).clone();
    let errors = problem["errors"].as_array().unwrap();
    let subject = errors.iter().find(|e| e["field"] == "subject").expect("the subject's error");
    assert_eq!(subject["code"], "unknown_placeholder");
    assert!(subject["message"].as_str().unwrap().contains("deal.titel"), "{subject}");
    let body = errors.iter().find(|e| e["field"] == "body").expect("the body's error");
    assert!(
        body["message"].as_str().unwrap().contains("price")
            && !body["message"].as_str().unwrap().starts_with("unknown placeholders: contact")
    );
    let reply =
        app.post("/api/v1/email-templates").token(t).json(json!({"name": "x", "locale": "de", "subject": "s", "body": "b"})).send().await;
    assert_eq!(reply.error_fields(), ["locale"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM email_templates", vec![]).await, 0);

    let good = json!({"name": "Follow-up", "locale": "en", "subject": "{{deal.title}} for {{organization.name}}",
        "body": "Hi {{contact.first_name}}, {{deal.amount}} by {{deal.expected_close}}.\n<i>{{owner.name}}</i>"});
    let reply = app.post("/api/v1/email-templates").token(t).json(good).send().await;
    let created = reply.ok(201).clone();
    assert_eq!(reply.etag(), "\"1\"");
    let tid = id(&created);

    // Preview with sample values, then with a real deal's.
    let sample = app.post(&format!("/api/v1/email-templates/{tid}/preview")).token(t).json(json!({})).send().await.ok(200).clone();
    assert_eq!(sample["subject"], "Fleet renewal for Pars Logistics");
    assert!(sample["text_body"].as_str().unwrap().starts_with("Hi Sara, 250,000,000 Rial by 21 March 2027."), "{sample}");
    let pipeline = app.sales_pipeline(&admin).await;
    let org = id(app.post("/api/v1/organizations").token(t).json(json!({"name": "Kaveh & Sons"})).send().await.ok(201));
    let c = id(app.post("/api/v1/contacts").token(t).json(json!({"name": "Nima Rad", "organization_id": org})).send().await.ok(201));
    let deal = json!({"title": "Trucks", "pipeline_id": id(&pipeline), "amount_minor": 1_234_567, "currency": "USD", "contact_id": c, "organization_id": org});
    let d = id(&app.create_deal(&admin, deal).await);
    let preview =
        app.post(&format!("/api/v1/email-templates/{tid}/preview")).token(t).json(json!({"deal_id": d})).send().await.ok(200).clone();
    assert_eq!(preview["subject"], "Trucks for Kaveh & Sons");
    assert_eq!(preview["text_body"], "Hi Nima, 12,345.67 USD by .\n<i>Test Admin</i>");
    assert!(preview["html_body"].as_str().unwrap().contains("Hi Nima, 12,345.67 USD by .<br>\n&lt;i&gt;Test Admin&lt;/i&gt;"), "{preview}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM emails", vec![]).await, 0, "a preview sends nothing");
    let other = app.signup("Other", "admin@other.test").await;
    app.post(&format!("/api/v1/email-templates/{tid}/preview")).token(&other.token).json(json!({})).send().await.problem(404);

    // Changes: If-Match required, a stale version refused, placeholders checked again.
    let path = format!("/api/v1/email-templates/{tid}");
    app.patch(&path).token(t).json(json!({"name": "Renamed"})).send().await.problem(428);
    app.patch(&path).token(t).if_match(7).json(json!({"name": "Renamed"})).send().await.problem(412);
    let reply = app.patch(&path).token(t).if_match(1).json(json!({"body": "{{nope}}"})).send().await;
    assert_eq!(reply.error_fields(), ["body"]);
    let reply = app.patch(&path).token(t).if_match(1).json(json!({"name": "Renamed", "locale": "fa"})).send().await;
    assert_eq!(
        (reply.ok(200)["name"].as_str(), reply.body["locale"].as_str(), reply.etag()),
        (Some("Renamed"), Some("fa"), "\"2\"".to_owned())
    );
    let listed = app.get("/api/v1/email-templates").token(t).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    app.delete(&path).token(t).if_match(1).send().await.problem(412);
    assert_eq!(app.delete(&path).token(t).if_match(2).send().await.status, 204);
    app.get(&path).token(t).send().await.problem(404);
    assert_eq!(audit_entry(&app, &admin, "email_template.deleted", &tid).await["changes"]["name"], "Renamed");
}

async fn the_log_is_read_by_admins_and_managers_of_its_workspace_alone(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let manager = app.add_member(&admin, "manager@acme.test", "manager").await;
    let member = app.add_member(&admin, "member@acme.test", "member").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let other = contact(&app, &admin, "Mina Sadeghi", Some("mina@example.test")).await;
    let first = id(&send_written(&app, &admin, &c, "First").await);
    let second = id(&send_written(&app, &admin, &other, "Second").await);
    // A member sends to the contacts they see, and their email is in the log.
    let third = id(&send_written(&app, &member, &c, "Third").await);

    // Sales reps do not read the log: it holds what everyone wrote to every customer.
    app.get("/api/v1/emails").token(&member.token).send().await.problem(403);
    app.get(&format!("/api/v1/emails/{first}")).token(&member.token).send().await.problem(403);
    let log = app.get("/api/v1/emails?limit=2").token(&manager.token).send().await.ok(200).clone();
    let ids: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [third.as_str(), second.as_str()]);
    let cursor = log["next_cursor"].as_str().unwrap();
    let rest = app.get(&format!("/api/v1/emails?limit=2&cursor={cursor}")).token(&manager.token).send().await.ok(200).clone();
    assert_eq!(rest["data"][0]["id"], first.as_str());
    assert!(rest["next_cursor"].is_null());
    let to_reza = app.get(&format!("/api/v1/emails?contact_id={c}&status=queued")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!(to_reza["data"].as_array().unwrap().len(), 2);
    assert_eq!(to_reza["data"][0]["created_by"], member.user_id.as_str());
    app.get("/api/v1/emails?status=lost").token(&admin.token).send().await.problem(400);

    // Another workspace sees none of it.
    let outsider = app.signup("Other", "admin@other.test").await;
    app.get(&format!("/api/v1/emails/{first}")).token(&outsider.token).send().await.problem(404);
    let theirs = app.get("/api/v1/emails").token(&outsider.token).send().await.ok(200).clone();
    assert!(theirs["data"].as_array().unwrap().is_empty());
    app.post(&format!("/api/v1/contacts/{c}/emails"))
        .token(&outsider.token)
        .json(json!({"subject": "x", "body": "y"}))
        .send()
        .await
        .problem(404);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM emails", vec![]).await, 3);
}

async fn sending_refuses_what_cannot_be_sent(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let t = admin.token.as_str();
    let silent = contact(&app, &admin, "No Address", None).await;
    let reply = app.post(&format!("/api/v1/contacts/{silent}/emails")).token(t).json(json!({"subject": "x", "body": "y"})).send().await;
    assert_eq!(reply.error_fields(), ["to"]);
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let path = format!("/api/v1/contacts/{c}/emails");
    let reply = app.post(&path).token(t).json(json!({"subject": "{{deal.titel}}", "body": "y"})).send().await;
    assert_eq!(reply.error_fields(), ["subject"]);
    let reply = app.post(&path).token(t).json(json!({"subject": "x"})).send().await;
    assert_eq!(reply.error_fields(), ["body"]);
    let unknown = "00000000-0000-7000-8000-000000000000";
    let reply = app.post(&path).token(t).json(json!({"template_id": unknown})).send().await;
    assert_eq!(reply.error_fields(), ["template_id"]);
    let pipeline = app.sales_pipeline(&admin).await;
    let d = id(&app.create_deal(&admin, json!({"title": "Nobody's", "pipeline_id": id(&pipeline)})).await);
    let reply = app.post(&format!("/api/v1/deals/{d}/emails")).token(t).json(json!({"subject": "x", "body": "y"})).send().await;
    assert_eq!(reply.error_fields(), ["to"]);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM emails", vec![]).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'email.queued'", vec![]).await, 0);
}

async fn erasing_a_contact_erases_the_emails_to_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Parisa Nouri", Some("parisa@example.test")).await;
    let e = id(&send_written(&app, &admin, &c, "About your order").await);
    mailer(&app, &server).run_once().await.unwrap();
    assert_eq!(app.event_count(&e, "email.sent").await, 1);
    assert_eq!(app.post(&format!("/api/v1/contacts/{c}/erase")).token(&admin.token).send().await.status, 204);
    app.get(&format!("/api/v1/emails/{e}")).token(&admin.token).send().await.problem(404);
    let about = app.scalar("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'email' AND changes LIKE '%parisa%'", vec![]).await;
    assert_eq!(about, 0, "the log keeps no copy of the address");
    assert_eq!(app.event_payload(&e, "email.sent").await, json!({"erased": true}));
}

async fn two_senders_never_send_one_email_twice(engine: Engine) {
    let app = spawn_app(engine).await;
    let server = SmtpServer::start().await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let mut queued = Vec::new();
    for n in 0..12 {
        queued.push(id(&send_written(&app, &admin, &c, &format!("Message {n}")).await));
    }
    // Two replicas' senders, small batches, at the same time: the leases (and SKIP LOCKED on
    // PostgreSQL) give each email to one of them.
    let (one, two) = (mailer_with(&app, Some(server.url()), |c| c.batch = 3), mailer_with(&app, Some(server.url()), |c| c.batch = 3));
    let (a, b) = tokio::join!(one.run_once(), two.run_once());
    assert_eq!(a.unwrap() + b.unwrap(), 12);
    let received = server.received();
    let mut ids: Vec<String> = received.iter().filter_map(|m| m.header("Message-ID")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((received.len(), ids.len()), (12, 12));
    for e in &queued {
        assert_eq!(email(&app, &admin, e).await["status"], "sent");
    }
}

async fn email_events_are_streamed_to_those_who_see_their_deal_or_contact(engine: Engine) {
    use kariz_domain::{Role, UserId, Viewer, Visibility, VisibilitySettings, WorkspaceId};
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "admin@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let max = app.add_member(&admin, "max@acme.test", "manager").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let admins_contact = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let mias_contact = contact(&app, &mia, "Nima Rad", Some("nima@example.test")).await;
    let admins = id(&send_written(&app, &admin, &admins_contact, "To the admin's contact").await);
    let mias = id(&send_written(&app, &mia, &mias_contact, "To Mia's contact").await);
    let unrelated = id(&send_written(&app, &admin, &admins_contact, "About nobody").await);
    // An email about no deal or contact (as a later feature may send to an address).
    let unrelated_id: uuid::Uuid = unrelated.parse().unwrap();
    app.execute("UPDATE emails SET contact_id = NULL WHERE id = ?", vec![unrelated_id.into()]).await;
    assert_eq!(mailer_with(&app, None, |_| {}).run_once().await.unwrap(), 3);

    app.store.sequence_events().await.unwrap();
    let workspace = WorkspaceId::from(admin.workspace_id.parse::<uuid::Uuid>().unwrap());
    let events: Vec<_> =
        app.store.stream_events(workspace, 0, 500).await.unwrap().into_iter().filter(|e| e.event_type == "email.failed").collect();
    assert_eq!(events.len(), 3);
    let settings = VisibilitySettings { deals: Visibility::OwnerAndManagers, leads: Visibility::OwnerAndManagers };
    let viewer = |session: &Session, role: Role| {
        Viewer::new(workspace, UserId::from(session.user_id.parse::<uuid::Uuid>().unwrap()), role, settings)
    };
    let seen_by = |viewer: Viewer| {
        let (store, events) = (app.store.clone(), events.clone());
        async move {
            let mut seen = Vec::new();
            for event in &events {
                if store.stream_visible(&viewer, event).await.unwrap() {
                    seen.push(event.aggregate_id.to_string());
                }
            }
            seen.sort();
            seen
        }
    };
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    assert_eq!(seen_by(viewer(&mia, Role::Member)).await, vec![mias.clone()], "a member sees the emails of the contacts they see");
    assert_eq!(seen_by(viewer(&max, Role::Manager)).await, sorted(vec![admins.clone(), mias.clone()]), "an unrelated email is for admins");
    assert_eq!(seen_by(viewer(&admin, Role::Admin)).await, sorted(vec![admins, mias, unrelated]));
}

async fn a_written_email_is_in_the_workspaces_language_unless_told(engine: Engine) {
    let app = spawn_app(engine).await;
    let signup = json!({"workspace_name": "پارس", "name": "Sara", "email": "sara@pars.test", "password": crate::helpers::PASSWORD,
        "default_currency": "IRR", "locale": "fa"});
    let admin = crate::helpers::session(app.post("/api/v1/auth/signup").json(signup).send().await.ok(201));
    let c = contact(&app, &admin, "Reza Karimi", Some("reza@example.test")).await;
    let persian = send_written(&app, &admin, &c, "سلام").await;
    assert_eq!(persian["locale"], "fa");
    assert!(persian["html_body"].as_str().unwrap().contains("<html lang=\"fa\" dir=\"rtl\">"));
    let body = json!({"subject": "Hello", "body": "Hi {{contact.first_name}}", "locale": "en"});
    let english = app.post(&format!("/api/v1/contacts/{c}/emails")).token(&admin.token).json(body).send().await.ok(202).clone();
    assert_eq!(english["locale"], "en");
    let body = json!({"subject": "Hello", "body": "Hi", "locale": "de"});
    let reply = app.post(&format!("/api/v1/contacts/{c}/emails")).token(&admin.token).json(body).send().await;
    assert_eq!(reply.error_fields(), ["locale"]);
}
