//! One person's data: the export holds everything kept about them, and after an erasure no
//! column of the database that could hold a copy — the record, the log, the outbox, webhook
//! deliveries, submissions, activities, files, stored answers — still holds their name, email or
//! phone. Who may see a person may export them; only admins erase; contacts made from a hidden
//! lead stay hidden.

use serde_json::{Value, json};

use crate::helpers::{BOUNDARY, Engine, Session, TestApp, form, id, session, spawn_app, spawn_app_with};
use crate::on_both_engines;
use crate::receiver::Receiver;
use crate::webhooks::deliver_until;

on_both_engines!(
    a_contacts_export_holds_everything_and_its_erasure_leaves_no_trace,
    a_leads_erasure_reaches_the_leads_merged_into_it,
    who_sees_a_person_exports_them_and_only_admins_erase,
    a_contact_made_from_a_hidden_lead_is_hidden_with_it,
);

const NAME: &str = "Roxana Tehrani";
const EMAIL: &str = "roxana@privacy.test";
const PHONE: &str = "+989121234567";

/// Every text column that might hold a copy of a person's data, by table.
const TEXT_COLUMNS: &[(&str, &[&str])] = &[
    ("audit_entries", &["changes", "action", "request_id"]),
    ("events", &["payload"]),
    ("webhook_deliveries", &["last_error", "event_type"]),
    ("webhook_attempts", &["error", "response_excerpt"]),
    ("lead_submissions", &["payload"]),
    ("activities", &["subject", "body"]),
    ("attachments", &["file_name", "media_type"]),
    ("idempotency_keys", &["response_body", "response_headers"]),
    ("important_dates", &["label"]),
    ("leads", &["name", "email", "phone", "company", "notes", "custom_fields"]),
    ("contacts", &["name", "email", "phone", "notes", "custom_fields"]),
    ("opportunities", &["decision_maker", "need"]),
];

/// The places (`table.column`) where `needle` still occurs, case-insensitively.
async fn traces_of(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, columns) in TEXT_COLUMNS {
        for column in *columns {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE LOWER({column}) LIKE ?");
            if app.scalar(&sql, vec![format!("%{}%", needle.to_lowercase()).into()]).await > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

async fn assert_no_trace(app: &TestApp, needles: &[&str]) {
    for needle in needles {
        assert_eq!(traces_of(app, needle).await, Vec::<String>::new(), "{needle} is still stored");
    }
}

async fn attach(app: &TestApp, session: &Session, link: (&str, &str), name: &str) -> Value {
    let body = form(&[link], Some((name, "text/plain", b"scan of a passport")));
    let reply =
        app.post("/api/v1/attachments").token(&session.token).raw(&format!("multipart/form-data; boundary={BOUNDARY}"), body).send().await;
    reply.ok(201).clone()
}

async fn a_contacts_export_holds_everything_and_its_erasure_leaves_no_trace(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let receiver = Receiver::start(&[]);
    app.post("/api/v1/webhooks").token(t).json(json!({"url": receiver.url})).send().await.ok(201);
    app.define_field(&admin, "contact", "nickname", "text", &[]).await;

    // The person arrives through a form (a submission), is qualified into a contact and a deal.
    let key = app.post("/api/v1/api-keys").token(t).json(json!({"name": "Form"})).send().await.ok(201)["key"].as_str().unwrap().to_owned();
    let submission =
        json!({"name": NAME, "email": EMAIL, "phone": "+98 912 123 4567", "company": "Pars Freight", "notes": "Met Roxana at the fair"});
    app.post("/api/v1/intake/leads").header("authorization", &format!("Bearer {key}")).json(submission).send().await.ok(202);
    let lead = app.get("/api/v1/leads").token(t).send().await.ok(200)["data"][0].clone();
    let qualify = json!({"pipeline_id": id(&pipeline), "decision_maker": NAME});
    let qualified = app.post(&format!("/api/v1/leads/{}/qualify", id(&lead))).token(t).json(qualify).send().await.ok(201).clone();
    let contact = qualified["contact_id"].as_str().unwrap().to_owned();
    let deal = id(&qualified["deal"]);
    let details =
        json!({"custom_fields": {"nickname": "Roxy"}, "important_dates": [{"kind": "birthday", "month": 3, "day": 4, "year": 1990}]});
    let reply = app.patch(&format!("/api/v1/contacts/{contact}")).token(t).header("if-match", "*").json(details).send().await;
    reply.ok(200);
    let note = json!({"kind": "note", "subject": format!("Called {NAME}"), "body": format!("write to {EMAIL}"), "contact_id": contact});
    let note = id(app.post("/api/v1/activities").token(t).header("idempotency-key", "note-1").json(note).send().await.ok(201));
    let file = id(&attach(&app, &admin, ("contact_id", &contact), "roxana-tehrani-passport.txt").await);
    deliver_until(&app, &receiver, |received| received.iter().any(|r| r.event_type() == "attachment.created")).await;

    // The export holds all of it.
    let export = app.get(&format!("/api/v1/contacts/{contact}/export")).token(t).send().await.ok(200).clone();
    assert_eq!((export["contact"]["name"].as_str(), export["contact"]["email"].as_str()), (Some(NAME), Some(EMAIL)));
    assert_eq!(export["contact"]["custom_fields"], json!({"nickname": "Roxy"}));
    assert_eq!(export["contact"]["important_dates"][0]["kind"], "birthday");
    assert_eq!(export["lead"], Value::Null);
    let ids = |list: &str| export[list].as_array().unwrap().iter().map(id).collect::<Vec<_>>();
    assert_eq!(ids("activities"), [note.as_str()]);
    assert_eq!(ids("deals"), [deal.as_str()]);
    assert_eq!(ids("attachments"), [file.as_str()]);
    let actions: Vec<&str> = export["audit_entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["contact.created", "contact.updated"]);
    let events: Vec<&str> = export["events"].as_array().unwrap().iter().map(|e| e["event_type"].as_str().unwrap()).collect();
    assert_eq!(events, ["contact.created"]);
    assert_eq!(export["events"][0]["data"]["contact"]["email"], EMAIL);
    // The lead's own export has its submission.
    let lead_export = app.get(&format!("/api/v1/leads/{}/export", id(&lead))).token(t).send().await.ok(200).clone();
    assert_eq!(lead_export["submissions"][0]["payload"]["email"], EMAIL);
    assert_eq!(lead_export["deals"][0]["id"].as_str(), Some(deal.as_str()));
    // Reading it out is recorded, without the data.
    let exported = app.get(&format!("/api/v1/audit?action=contact.exported&entity_id={contact}")).token(t).send().await;
    assert_eq!(exported.ok(200)["data"][0]["changes"], json!({}));

    assert!(!traces_of(&app, EMAIL).await.is_empty(), "the search finds what is there");
    app.post(&format!("/api/v1/contacts/{contact}/erase")).token(t).send().await.ok(204);

    assert_no_trace(&app, &[NAME, EMAIL, PHONE, "9121234567", "912 123 4567", "Roxy", "Met Roxana", "roxana-tehrani-passport"]).await;
    app.get(&format!("/api/v1/contacts/{contact}")).token(t).send().await.problem(404);
    app.get(&format!("/api/v1/leads/{}", id(&lead))).token(t).send().await.problem(404);
    app.get(&format!("/api/v1/activities/{note}")).token(t).send().await.problem(404);
    app.get(&format!("/api/v1/attachments/{file}")).token(t).send().await.problem(404);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM attachment_chunks", vec![]).await, 0);
    // The deal stays, without its link to the person.
    let kept = app.deal(&admin, &deal).await;
    assert_eq!((kept["contact_id"].clone(), kept["title"].as_str()), (Value::Null, Some("Pars Freight")));
    // The erasure is recorded and announced with the ids alone.
    let log = app.get(&format!("/api/v1/audit?action=contact.erased&entity_id={contact}")).token(t).send().await;
    let entry = log.ok(200)["data"][0].clone();
    assert_eq!((entry["changes"].clone(), entry["actor_user_id"].as_str()), (json!({"erased": true}), Some(admin.user_id.as_str())));
    let log = app.get(&format!("/api/v1/audit?action=lead.erased&entity_id={}", id(&lead))).token(t).send().await;
    assert_eq!(log.ok(200)["data"].as_array().unwrap().len(), 1);
    assert_eq!(app.event_payload(&contact, "contact.erased").await, json!({"contact_id": contact}));
    assert_eq!(app.event_payload(&id(&lead), "lead.erased").await, json!({"lead_id": id(&lead)}));
    // The erased events were delivered; the redacted ones are not sent again.
    let received = deliver_until(&app, &receiver, |received| received.iter().any(|r| r.event_type() == "lead.erased")).await;
    assert!(received.iter().any(|r| r.event_type() == "contact.erased"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL", vec![]).await, 0);
    assert_no_trace(&app, &[NAME, EMAIL, PHONE]).await;
}

async fn a_leads_erasure_reaches_the_leads_merged_into_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let lead = id(app.post("/api/v1/leads").token(t).json(json!({"name": NAME, "email": EMAIL})).send().await.ok(201));
    let twin = id(app.post("/api/v1/leads").token(t).json(json!({"name": NAME, "phone": PHONE})).send().await.ok(201));
    let merge = json!({"other_id": twin});
    app.post(&format!("/api/v1/leads/{lead}/merge")).token(t).header("if-match", "*").json(merge).send().await.ok(200);
    let task = json!({"kind": "task", "subject": format!("Call {NAME}"), "lead_id": lead, "due_at": "2030-01-01T09:00:00Z"});
    app.post("/api/v1/activities").token(t).json(task).send().await.ok(201);
    attach(&app, &admin, ("lead_id", &lead), "roxana-cv.txt").await;
    let other = id(app.post("/api/v1/leads").token(t).json(json!({"name": "Someone Else"})).send().await.ok(201));

    app.post(&format!("/api/v1/leads/{lead}/erase")).token(t).send().await.ok(204);

    assert_no_trace(&app, &[NAME, EMAIL, PHONE, "roxana-cv"]).await;
    app.get(&format!("/api/v1/leads/{lead}")).token(t).send().await.problem(404);
    app.get(&format!("/api/v1/leads/{other}")).token(t).send().await.ok(200);
    assert_eq!(app.event_payload(&lead, "lead.erased").await, json!({"lead_id": lead}));
    // The merged-away lead's entries are redacted too, and nobody else's.
    let log = app.get(&format!("/api/v1/audit?entity_id={twin}")).token(t).send().await.ok(200).clone();
    assert!(log["data"].as_array().unwrap().iter().all(|e| e["changes"] == json!({"erased": true})), "{log}");
    let log = app.get(&format!("/api/v1/audit?entity_id={other}")).token(t).send().await.ok(200).clone();
    assert_eq!(log["data"][0]["changes"]["name"], "Someone Else");
    app.post(&format!("/api/v1/leads/{lead}/erase")).token(t).send().await.problem(404);
}

async fn add_user(app: &TestApp, admin: &Session, email: &str, role: &str) -> Session {
    let body = json!({"email": email, "name": role, "role": role, "password": "correct horse battery"});
    app.post("/api/v1/users").token(&admin.token).json(body).send().await.ok(201);
    session(app.login(email, "correct horse battery").await.ok(200))
}

async fn who_sees_a_person_exports_them_and_only_admins_erase(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = add_user(&app, &admin, "mia@acme.test", "member").await;
    let max = add_user(&app, &admin, "max@acme.test", "manager").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let admins = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": NAME})).send().await.ok(201));
    let mias = id(app.post("/api/v1/leads").token(&mia.token).json(json!({"name": "Mia's lead"})).send().await.ok(201));

    // A member does not find what she may not see, as everywhere.
    app.get(&format!("/api/v1/leads/{admins}/export")).token(&mia.token).send().await.problem_code(404, "not_found");
    assert_eq!(app.get(&format!("/api/v1/leads/{mias}/export")).token(&mia.token).send().await.ok(200)["lead"]["id"], mias.as_str());
    assert_eq!(app.get(&format!("/api/v1/leads/{admins}/export")).token(&max.token).send().await.ok(200)["lead"]["id"], admins.as_str());
    // Erasing is for admins, even of one's own lead.
    for (who, lead) in [(&mia, &mias), (&mia, &admins), (&max, &admins)] {
        app.post(&format!("/api/v1/leads/{lead}/erase")).token(&who.token).send().await.problem_code(403, "forbidden");
    }
    let contact = id(app.post("/api/v1/contacts").token(&mia.token).json(json!({"name": "Mia's contact"})).send().await.ok(201));
    app.post(&format!("/api/v1/contacts/{contact}/erase")).token(&mia.token).send().await.problem_code(403, "forbidden");
    app.get(&format!("/api/v1/leads/{admins}")).token(&admin.token).send().await.ok(200);
    app.get(&format!("/api/v1/contacts/{contact}")).token(&mia.token).send().await.ok(200);
    app.post(&format!("/api/v1/contacts/{contact}/erase")).token(&admin.token).send().await.ok(204);
    app.get(&format!("/api/v1/contacts/{contact}")).token(&mia.token).send().await.problem(404);
}

async fn a_contact_made_from_a_hidden_lead_is_hidden_with_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let ana = add_user(&app, &admin, "ana@acme.test", "member").await;
    let ben = add_user(&app, &admin, "ben@acme.test", "member").await;
    let max = add_user(&app, &admin, "max@acme.test", "manager").await;
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"lead_visibility": "owner_and_managers"})).send().await.ok(200);
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = json!({"name": NAME, "email": EMAIL, "owner_id": ana.user_id});
    let lead = id(app.post("/api/v1/leads").token(&admin.token).json(lead).send().await.ok(201));
    let qualify = json!({"pipeline_id": id(&pipeline)});
    let qualified = app.post(&format!("/api/v1/leads/{lead}/qualify")).token(&admin.token).json(qualify).send().await.ok(201).clone();
    let contact = qualified["contact_id"].as_str().unwrap().to_owned();

    // Ana owns the lead, and so the contact made from it.
    let seen = app.get(&format!("/api/v1/contacts/{contact}")).token(&ana.token).send().await.ok(200).clone();
    assert_eq!(seen["owner_id"].as_str(), Some(ana.user_id.as_str()));
    for session in [&ana, &max, &admin] {
        let listed = app.get(&format!("/api/v1/contacts?q={EMAIL}")).token(&session.token).send().await.ok(200).clone();
        assert_eq!(listed["data"].as_array().unwrap().len(), 1, "{listed}");
        app.get(&format!("/api/v1/contacts/{contact}/timeline")).token(&session.token).send().await.ok(200);
        app.get(&format!("/api/v1/contacts/{contact}/export")).token(&session.token).send().await.ok(200);
    }
    // Ben sees neither, anywhere.
    let b = ben.token.as_str();
    app.get(&format!("/api/v1/contacts/{contact}")).token(b).send().await.problem(404);
    app.get(&format!("/api/v1/contacts/{contact}/timeline")).token(b).send().await.problem(404);
    app.get(&format!("/api/v1/contacts/{contact}/summary")).token(b).send().await.problem(404);
    app.get(&format!("/api/v1/contacts/{contact}/export")).token(b).send().await.problem(404);
    app.get(&format!("/api/v1/attachments?contact_id={contact}")).token(b).send().await.problem(404);
    // The deal opened on qualification is titled with her name and every member sees deals here;
    // the search finds that deal, never the contact.
    let found = app.get("/api/v1/search?q=roxana").token(b).send().await.ok(200).clone();
    assert!(!found.to_string().contains(&contact) && !found.to_string().contains("\"contact\""), "{found}");
    for listing in ["/api/v1/contacts", "/api/v1/contacts?q=roxana", "/api/v1/contacts/export"] {
        let reply = app.get(listing).token(b).send().await;
        assert_eq!(reply.status, 200);
        assert!(!reply.text.contains(&contact) && !reply.text.contains(NAME), "{listing}: {}", reply.text);
    }
    let change = app.patch(&format!("/api/v1/contacts/{contact}")).token(b).header("if-match", "*").json(json!({"name": "x"}));
    change.send().await.problem(404);
    let note = json!({"kind": "note", "subject": "x", "contact_id": contact});
    assert_eq!(app.post("/api/v1/activities").token(b).json(note).send().await.error_fields(), ["contact_id"]);
    // Importing the same email makes Ben a contact of his own instead of changing Ana's.
    let csv = format!("name,email,city\nR. T.,{EMAIL},Shiraz\n");
    let report = app.post("/api/v1/contacts/import").token(b).raw("text/csv", csv).send().await.ok(200).clone();
    assert_eq!((report["created"].as_i64(), report["attached"].as_i64()), (Some(1), Some(0)), "{report}");
    assert!(!report.to_string().contains(&contact));
    let anas = app.get(&format!("/api/v1/contacts/{contact}")).token(&ana.token).send().await.ok(200).clone();
    assert_eq!((anas["city"].clone(), anas["version"].as_i64()), (Value::Null, Some(1)));

    // Ben cannot link his deals to Ana's contact, on creation or later, and is told no more than
    // for a contact that does not exist.
    let linked = json!({"title": "Linked", "pipeline_id": id(&pipeline), "contact_id": contact});
    assert_eq!(app.post("/api/v1/deals").token(b).json(linked).send().await.error_fields(), ["contact_id"]);
    let bens_deal = app.create_deal(&ben, json!({"title": "Ben's", "pipeline_id": id(&pipeline)})).await;
    let link = app.patch(&format!("/api/v1/deals/{}", id(&bens_deal))).token(b).header("if-match", "*");
    assert_eq!(link.json(json!({"contact_id": contact})).send().await.error_fields(), ["contact_id"]);
    // Qualifying his own lead with her email links his own contact of that email (the one his
    // import made), never hers.
    let his_lead = json!({"name": "R. Tehrani", "email": EMAIL});
    let his_lead = id(app.post("/api/v1/leads").token(b).json(his_lead).send().await.ok(201));
    let his = app.post(&format!("/api/v1/leads/{his_lead}/qualify")).token(b).json(json!({})).send().await.ok(201).clone();
    assert_ne!(his["contact_id"].as_str(), Some(contact.as_str()), "{his}");
    app.get(&format!("/api/v1/contacts/{}", his["contact_id"].as_str().unwrap())).token(b).send().await.ok(200);
    // A deal of his that an admin linked to her contact shows him the link, not her name.
    let admins_link = json!({"title": "Admin's link", "pipeline_id": id(&pipeline), "contact_id": contact, "owner_id": ben.user_id});
    app.post("/api/v1/deals").token(&admin.token).json(admins_link).send().await.ok(201);
    let names_on_board = |token: String| {
        let (app, pipeline) = (&app, id(&pipeline));
        async move {
            let board = app.get(&format!("/api/v1/pipelines/{pipeline}/board")).token(&token).send().await.ok(200).clone();
            board["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["id"].as_str().unwrap().to_owned(), c["name"].clone()))
                .collect::<Vec<_>>()
        }
    };
    assert!(!names_on_board(ben.token.clone()).await.iter().any(|(id, _)| *id == contact), "Ben's board names no hidden contact");
    assert!(names_on_board(admin.token.clone()).await.contains(&(contact.clone(), json!(NAME))), "an admin's board names her");
}
