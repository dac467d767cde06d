use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Reply, Session, TestApp, id, session, spawn_app, spawn_app_with, stage_id};
use crate::on_both_engines;
use crate::pipelines::add_member;

on_both_engines!(
    every_mutating_route_writes_an_entry_naming_its_actor_action_and_object,
    an_update_records_only_the_fields_it_changed,
    secrets_never_reach_the_log,
    changes_made_with_an_api_key_name_the_key,
    only_admins_read_the_log_and_its_filters_and_pages_hold,
    a_refused_change_leaves_no_entry,
);

/// Routes that change no business data: signing in and out touches only the caller's own
/// session (refresh-token rows), and a stream ticket only lets the caller read, which is not what
/// the log is for.
/// Session bookkeeping, a user's read marks on their own notifications, and what renders or
/// checks without storing (an email template's preview, an automation's dry run): no business data.
const NOT_AUDITED: [(&str, &str); 10] = [
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/stream/tickets"),
    ("POST", "/api/v1/notifications/{id}/read"),
    ("POST", "/api/v1/notifications/read-all"),
    // A dry run changes nothing.
    ("POST", "/api/v1/automations/{id}/test"),
    ("POST", "/api/v1/email-templates/{id}/preview"),
    // A check before creating a lead reads, and writes nothing.
    ("POST", "/api/v1/leads/duplicate-check"),
    // Draft scoring rules are scored against the leads and nothing is saved.
    ("POST", "/api/v1/scoring-rules/preview"),
];

/// What an entry is about: the object the reply names, a known object, or a whole set.
enum About<'a> {
    /// The id at this JSON pointer of the reply.
    InReply(&'a str),
    Id(&'a str),
    Set,
}

/// Calls routes as one caller and checks that each call wrote its entry.
struct Audited<'a> {
    app: &'a TestApp,
    caller: &'a Session,
    covered: BTreeSet<(String, String)>,
}

impl Audited<'_> {
    /// Sends `operation` ("METHOD /documented/{id}/path", with `{id}` replaced by `id`) with `body`
    /// (JSON, or CSV for a string) and asserts an entry with `action`, about `about`, by this
    /// caller, from this very request.
    async fn call(&mut self, operation: &str, id: &str, body: Option<Value>, action: &str, about: About<'_>) -> Value {
        let (method, template) = operation.split_once(' ').unwrap();
        let path = template.replace("{id}", id);
        let mut request = self.app.request(method.parse().unwrap(), &path).token(&self.caller.token).header("if-match", "*");
        request = match body {
            Some(Value::String(csv)) => request.raw("text/csv", csv),
            // A form's fields as `[[name, value], …]`, sent with a small file (an upload).
            Some(Value::Array(fields)) => {
                let fields: Vec<(&str, &str)> = fields.iter().map(|f| (f[0].as_str().unwrap(), f[1].as_str().unwrap())).collect();
                let form = crate::helpers::form(&fields, Some(("notes.txt", "text/plain", b"minutes of the call")));
                request.raw(&format!("multipart/form-data; boundary={}", crate::helpers::BOUNDARY), form)
            }
            Some(json) => request.json(json),
            None => request,
        };
        let reply = request.send().await;
        self.check(method, template, &reply, action, about).await
    }

    /// [`call`](Self::call) with a PNG image as the body.
    async fn call_with_image(&mut self, operation: &str, image: &[u8], action: &str, about: About<'_>) -> Value {
        let (method, template) = operation.split_once(' ').unwrap();
        let request = self.app.request(method.parse().unwrap(), template).token(&self.caller.token).raw("image/png", image.to_vec());
        let reply = request.send().await;
        self.check(method, template, &reply, action, about).await
    }

    /// Asserts that `reply` succeeded and that its request wrote an entry with `action` about
    /// `about` by this caller.
    async fn check(&mut self, method: &str, template: &str, reply: &Reply, action: &str, about: About<'_>) -> Value {
        assert!((200..300).contains(&reply.status), "{method} {template}: {} {}", reply.status, reply.text);
        let entity = match about {
            About::InReply(pointer) => Some(reply.body.pointer(pointer).and_then(Value::as_str).expect(pointer).to_owned()),
            About::Id(id) => Some(id.to_owned()),
            About::Set => None,
        };
        let entry = entry_of(self.app, self.caller, reply, action).await;
        assert_eq!(entry["entity_id"].as_str(), entity.as_deref(), "{method} {template}: {entry}");
        assert_eq!(entry["actor_user_id"], self.caller.user_id.as_str(), "{method} {template}");
        assert_eq!(entry["actor_api_key_id"], Value::Null, "{method} {template}");
        self.covered.insert((method.to_owned(), template.to_owned()));
        reply.body.clone()
    }
}

/// The entry with `action` written by the request that answered `reply` (by its request id).
async fn entry_of(app: &TestApp, admin: &Session, reply: &Reply, action: &str) -> Value {
    let request_id = reply.headers["x-request-id"].to_str().unwrap();
    let log = app.get(&format!("/api/v1/audit?action={action}&limit=200")).token(&admin.token).send().await;
    let entries = log.ok(200)["data"].as_array().unwrap().clone();
    let found = entries.into_iter().find(|e| e["request_id"] == request_id);
    found.unwrap_or_else(|| panic!("no `{action}` entry for request {request_id}"))
}

/// Performs every mutating operation of the OpenAPI document and finds its entry; the set of
/// operations performed must be the document's, so a new mutating route fails this test until
/// it writes an entry and is added here.
async fn every_mutating_route_writes_an_entry_naming_its_actor_action_and_object(engine: Engine) {
    use About::{Id, InReply, Set};
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut a = Audited { app: &app, caller: &admin, covered: BTreeSet::new() };

    let stages = json!([{"name": "Lead", "probability": 10}, {"name": "Won soon", "probability": 80}]);
    let pipeline =
        a.call("POST /api/v1/pipelines", "", Some(json!({"name": "Sales", "stages": stages})), "pipeline.created", InReply("/id")).await;
    let (p, second) = (id(&pipeline), stage_id(&pipeline, 1));
    a.call("PATCH /api/v1/pipelines/{id}", &p, Some(json!({"name": "Sales 2"})), "pipeline.updated", Id(&p)).await;
    let stage = Some(json!({"name": "Extra", "probability": 5}));
    let s = id(&a.call("POST /api/v1/pipelines/{id}/stages", &p, stage, "stage.created", InReply("/id")).await);
    a.call("PATCH /api/v1/stages/{id}", &s, Some(json!({"name": "Extra 2"})), "stage.updated", Id(&s)).await;
    let template = Some(json!({"subject": "Call back", "due_in_hours": 24}));
    let t = id(&a.call("POST /api/v1/stages/{id}/task-templates", &s, template, "task_template.created", InReply("/id")).await);
    a.call("PATCH /api/v1/task-templates/{id}", &t, Some(json!({"subject": "Call"})), "task_template.updated", Id(&t)).await;
    a.call("DELETE /api/v1/task-templates/{id}", &t, None, "task_template.deleted", Id(&t)).await;
    a.call("DELETE /api/v1/stages/{id}", &s, None, "stage.deleted", Id(&s)).await;

    let d = id(&a.call("POST /api/v1/deals", "", Some(json!({"title": "Fleet", "pipeline_id": p})), "deal.created", InReply("/id")).await);
    a.call("PATCH /api/v1/deals/{id}", &d, Some(json!({"title": "Fleet 2"})), "deal.updated", Id(&d)).await;
    a.call("POST /api/v1/deals/{id}/move", &d, Some(json!({"stage_id": second})), "deal.moved", Id(&d)).await;
    a.call("POST /api/v1/deals/{id}/win", &d, None, "deal.won", Id(&d)).await;
    a.call("POST /api/v1/deals/{id}/reopen", &d, None, "deal.reopened", Id(&d)).await;
    a.call("POST /api/v1/deals/{id}/lose", &d, Some(json!({"reason": "price"})), "deal.lost", Id(&d)).await;
    let file = a.call("POST /api/v1/attachments", "", Some(json!([["deal_id", d]])), "attachment.created", InReply("/id")).await;
    a.call("DELETE /api/v1/attachments/{id}", &id(&file), None, "attachment.deleted", Id(&id(&file))).await;
    a.call("DELETE /api/v1/deals/{id}", &d, None, "deal.deleted", Id(&d)).await;
    // A bulk action writes each item's entry, as its single-item request would.
    let d2 = id(&app.create_deal(&admin, json!({"title": "Fleet 3", "pipeline_id": p})).await);
    let moves = Some(json!({"ids": [d2], "action": {"type": "move", "stage_id": second}}));
    a.call("POST /api/v1/deals/bulk", "", moves, "deal.moved", Id(&d2)).await;

    let o = id(&a.call("POST /api/v1/organizations", "", Some(json!({"name": "Kaveh"})), "organization.created", InReply("/id")).await);
    a.call("PATCH /api/v1/organizations/{id}", &o, Some(json!({"city": "Tabriz"})), "organization.updated", Id(&o)).await;
    let contact = Some(json!({"name": "Sara", "organization_id": o}));
    let c = id(&a.call("POST /api/v1/contacts", "", contact, "contact.created", InReply("/id")).await);
    a.call("PATCH /api/v1/contacts/{id}", &c, Some(json!({"city": "Tabriz"})), "contact.updated", Id(&c)).await;
    let csv = Some(Value::from("name,email\nReza,reza@example.com\n"));
    a.call("POST /api/v1/contacts/import", "", csv, "contact.imported", Set).await;
    let tag = Some(json!({"ids": [c], "action": {"type": "tag", "tag": "vip"}}));
    a.call("POST /api/v1/contacts/bulk", "", tag, "contact.updated", Id(&c)).await;
    let csv = Some(Value::from("name,city\nDena,Yazd\n"));
    a.call("POST /api/v1/organizations/import", "", csv, "organization.imported", Set).await;
    let view = Some(json!({"entity": "contacts", "name": "VIPs", "filters": {"tag": "vip"}, "shared": true}));
    let v = id(&a.call("POST /api/v1/views", "", view, "view.created", InReply("/id")).await);
    a.call("PATCH /api/v1/views/{id}", &v, Some(json!({"name": "Our VIPs"})), "view.updated", Id(&v)).await;
    a.call("DELETE /api/v1/views/{id}", &v, None, "view.deleted", Id(&v)).await;
    let rule = Some(json!({"name": "Tag wins", "trigger": {"type": "deal.won"}, "actions": [{"type": "add_tag", "tag": "won"}]}));
    let r = id(&a.call("POST /api/v1/automations", "", rule, "automation.created", InReply("/id")).await);
    a.call("PATCH /api/v1/automations/{id}", &r, Some(json!({"active": false})), "automation.updated", Id(&r)).await;
    a.call("DELETE /api/v1/automations/{id}", &r, None, "automation.deleted", Id(&r)).await;
    // Email templates, and emails queued to a contact and to a deal's contact.
    let template =
        Some(json!({"name": "Follow-up", "locale": "en", "subject": "About {{deal.title}}", "body": "Hi {{contact.first_name}}"}));
    let et = id(&a.call("POST /api/v1/email-templates", "", template, "email_template.created", InReply("/id")).await);
    a.call("PATCH /api/v1/email-templates/{id}", &et, Some(json!({"name": "Follow-up 2"})), "email_template.updated", Id(&et)).await;
    let mailed = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Mina", "email": "mina@example.com"}));
    let mc = id(mailed.send().await.ok(201));
    a.call("POST /api/v1/contacts/{id}/emails", &mc, Some(json!({"template_id": et})), "email.queued", InReply("/id")).await;
    let md = id(&app.create_deal(&admin, json!({"title": "Mina's fleet", "pipeline_id": p, "contact_id": mc})).await);
    let written = Some(json!({"subject": "Your fleet", "body": "Hi {{contact.name}}", "locale": "fa"}));
    a.call("POST /api/v1/deals/{id}/emails", &md, written, "email.queued", InReply("/id")).await;
    a.call("DELETE /api/v1/email-templates/{id}", &et, None, "email_template.deleted", Id(&et)).await;
    a.call("DELETE /api/v1/contacts/{id}", &c, None, "contact.deleted", Id(&c)).await;
    a.call("DELETE /api/v1/organizations/{id}", &o, None, "organization.deleted", Id(&o)).await;
    // One person's data: reading it out and erasing it are recorded, without the data.
    let person = app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "Parisa", "email": "parisa@example.com"}));
    let pc = id(person.send().await.ok(201));
    a.call("GET /api/v1/contacts/{id}/export", &pc, None, "contact.exported", Id(&pc)).await;
    a.call("POST /api/v1/contacts/{id}/erase", &pc, None, "contact.erased", Id(&pc)).await;

    let lead = Some(json!({"name": "Nima", "company": "Nima Co", "email": "nima@example.com"}));
    let l = id(&a.call("POST /api/v1/leads", "", lead, "lead.created", InReply("/id")).await);
    a.call("PATCH /api/v1/leads/{id}", &l, Some(json!({"job_title": "CEO"})), "lead.updated", Id(&l)).await;
    let tag = Some(json!({"ids": [l], "action": {"type": "tag", "tag": "vip"}}));
    a.call("POST /api/v1/leads/bulk", "", tag, "lead.updated", Id(&l)).await;
    a.call("POST /api/v1/leads/{id}/disqualify", &l, Some(json!({"reason": "bad_timing"})), "lead.disqualified", Id(&l)).await;
    a.call("POST /api/v1/leads/{id}/reopen", &l, None, "lead.reopened", Id(&l)).await;
    let other = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Nima", "phone": "09121234567"})).send().await;
    let merge = Some(json!({"other_id": id(other.ok(201))}));
    a.call("POST /api/v1/leads/{id}/merge", &l, merge, "lead.merged", Id(&l)).await;
    let csv = Some(Value::from("name,email\nLeila,leila@example.com\n"));
    a.call("POST /api/v1/leads/import", "", csv, "lead.imported", Set).await;
    let qualification = a.call("POST /api/v1/leads/{id}/qualify", &l, Some(json!({"pipeline_id": p})), "lead.qualified", Id(&l)).await;
    let deal = Some(json!({"title": "Second offer", "pipeline_id": p}));
    a.call("POST /api/v1/opportunities/{id}/deals", &id(&qualification["opportunity"]), deal, "deal.created", InReply("/id")).await;
    let spam = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Spam"})).send().await.ok(201));
    a.call("DELETE /api/v1/leads/{id}", &spam, None, "lead.deleted", Id(&spam)).await;
    let person = id(app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "Arash"})).send().await.ok(201));
    a.call("GET /api/v1/leads/{id}/export", &person, None, "lead.exported", Id(&person)).await;
    a.call("POST /api/v1/leads/{id}/erase", &person, None, "lead.erased", Id(&person)).await;

    let task = Some(json!({"kind": "task", "subject": "Call Nima", "lead_id": l, "due_at": "2030-01-01T09:00:00Z"}));
    let t = id(&a.call("POST /api/v1/activities", "", task, "activity.created", InReply("/id")).await);
    a.call("PATCH /api/v1/activities/{id}", &t, Some(json!({"subject": "Call"})), "activity.updated", Id(&t)).await;
    a.call("POST /api/v1/activities/{id}/complete", &t, None, "activity.completed", Id(&t)).await;
    a.call("POST /api/v1/activities/{id}/reopen", &t, None, "activity.reopened", Id(&t)).await;
    a.call("DELETE /api/v1/activities/{id}", &t, None, "activity.deleted", Id(&t)).await;

    let field = Some(json!({"entity": "lead", "key": "fleet", "label": "Fleet", "kind": "number"}));
    let f = id(&a.call("POST /api/v1/custom-fields", "", field, "custom_field.created", InReply("/id")).await);
    a.call("PATCH /api/v1/custom-fields/{id}", &f, Some(json!({"label": "Fleet size"})), "custom_field.updated", Id(&f)).await;
    a.call("DELETE /api/v1/custom-fields/{id}", &f, None, "custom_field.deleted", Id(&f)).await;
    let reason = Some(json!({"name": "Price"}));
    let lr = id(&a.call("POST /api/v1/lost-reasons", "", reason, "lost_reason.created", InReply("/id")).await);
    a.call("PATCH /api/v1/lost-reasons/{id}", &lr, Some(json!({"active": false})), "lost_reason.updated", Id(&lr)).await;
    a.call("DELETE /api/v1/lost-reasons/{id}", &lr, None, "lost_reason.deleted", Id(&lr)).await;
    let product = Some(json!({"name": "Tracker", "sku": "GPS-T4", "unit_price_minor": 100}));
    let pr = id(&a.call("POST /api/v1/products", "", product, "product.created", InReply("/id")).await);
    a.call("PATCH /api/v1/products/{id}", &pr, Some(json!({"unit_price_minor": 120})), "product.updated", Id(&pr)).await;
    let lined = id(&app.create_deal(&admin, json!({"title": "Lined", "pipeline_id": p})).await);
    let lines = Some(json!({"items": [{"product_id": pr, "quantity": "1.5"}]}));
    a.call("PUT /api/v1/deals/{id}/line-items", &lined, lines, "deal.line_items_updated", Id(&lined)).await;
    a.call("PUT /api/v1/deals/{id}/line-items", &lined, Some(json!({"items": []})), "deal.line_items_updated", Id(&lined)).await;
    // Quotes and invoices of a deal with lines.
    let lines = Some(json!({"items": [{"product_id": pr, "quantity": "2"}]}));
    a.call("PUT /api/v1/deals/{id}/line-items", &lined, lines, "deal.line_items_updated", Id(&lined)).await;
    let q = id(&a.call("POST /api/v1/deals/{id}/quotes", &lined, Some(json!({})), "quote.created", InReply("/id")).await);
    a.call("POST /api/v1/quotes/{id}/send", &q, None, "quote.sent", Id(&q)).await;
    let q2 = id(&a.call("POST /api/v1/quotes/{id}/revise", &q, Some(json!({})), "quote.created", InReply("/id")).await);
    a.call("POST /api/v1/quotes/{id}/send", &q2, None, "quote.sent", Id(&q2)).await;
    a.call("POST /api/v1/quotes/{id}/reject", &q2, None, "quote.rejected", Id(&q2)).await;
    let q3 = id(&a.call("POST /api/v1/quotes/{id}/revise", &q2, Some(json!({})), "quote.created", InReply("/id")).await);
    a.call("POST /api/v1/quotes/{id}/send", &q3, None, "quote.sent", Id(&q3)).await;
    a.call("POST /api/v1/quotes/{id}/accept", &q3, None, "quote.accepted", Id(&q3)).await;
    let inv = id(&a.call("POST /api/v1/quotes/{id}/invoice", &q3, None, "invoice.created", InReply("/id")).await);
    a.call("POST /api/v1/invoices/{id}/issue", &inv, None, "invoice.issued", Id(&inv)).await;
    let paid = a
        .call(
            "POST /api/v1/invoices/{id}/payments",
            &inv,
            Some(json!({"amount_minor": 1, "method": "cash"})),
            "payment.recorded",
            InReply("/payment/id"),
        )
        .await;
    assert_eq!(paid["invoice"]["paid_minor"], 1);
    let draft = id(&a.call("POST /api/v1/deals/{id}/invoices", &lined, None, "invoice.created", InReply("/id")).await);
    a.call("DELETE /api/v1/invoices/{id}", &draft, None, "invoice.deleted", Id(&draft)).await;
    let other = id(&a.call("POST /api/v1/deals/{id}/invoices", &lined, None, "invoice.created", InReply("/id")).await);
    a.call("POST /api/v1/invoices/{id}/issue", &other, None, "invoice.issued", Id(&other)).await;
    a.call("POST /api/v1/invoices/{id}/void", &other, None, "invoice.voided", Id(&other)).await;
    let workspace = admin.workspace_id.as_str();
    let seller = Some(json!({"legal_name": "Acme Ltd", "version": 0}));
    a.call("PATCH /api/v1/workspace/documents", "", seller, "document_settings.updated", Id(workspace)).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    a.call_with_image("PUT /api/v1/workspace/documents/logo", png, "document_settings.logo_changed", Id(workspace)).await;
    a.call("DELETE /api/v1/workspace/documents/logo", "", None, "document_settings.logo_changed", Id(workspace)).await;
    a.call("PUT /api/v1/deals/{id}/line-items", &lined, Some(json!({"items": []})), "deal.line_items_updated", Id(&lined)).await;
    a.call("DELETE /api/v1/products/{id}", &pr, None, "product.deleted", Id(&pr)).await;
    a.call("POST /api/v1/products/import", "", Some(json!("sku,name,unit_price_minor\nCSV-1,From a file,100\n")), "product.imported", Set)
        .await;
    let rules = Some(json!({"rules": [{"name": "Has email", "condition": {"kind": "field_present", "field": "email"}, "points": 10}]}));
    a.call("PUT /api/v1/scoring-rules", "", rules, "scoring_rules.replaced", Set).await;
    let rate = Some(json!({"currency": "USD", "rate_date": "2026-11-01", "rate": "42000"}));
    let x = id(&a.call("POST /api/v1/exchange-rates", "", rate, "exchange_rate.created", InReply("/id")).await);
    a.call("DELETE /api/v1/exchange-rates/{id}", &x, None, "exchange_rate.deleted", Id(&x)).await;

    let hook = Some(json!({"url": "http://127.0.0.1:9/hook"}));
    let w = id(&a.call("POST /api/v1/webhooks", "", hook, "webhook.created", InReply("/webhook/id")).await["webhook"]);
    a.call("PATCH /api/v1/webhooks/{id}", &w, Some(json!({"description": "CRM sync"})), "webhook.updated", Id(&w)).await;
    a.call("POST /api/v1/webhooks/{id}/rotate-secret", &w, Some(json!({})), "webhook.secret_rotated", Id(&w)).await;
    let delivery = id(&a.call("POST /api/v1/webhooks/{id}/test", &w, None, "webhook.tested", Id(&w)).await);
    a.call("POST /api/v1/webhooks/deliveries/{id}/redeliver", &delivery, None, "webhook.redelivered", Id(&w)).await;
    a.call("DELETE /api/v1/webhooks/{id}", &w, None, "webhook.deleted", Id(&w)).await;

    let key = a.call("POST /api/v1/api-keys", "", Some(json!({"name": "Form"})), "api_key.created", InReply("/api_key/id")).await;
    let k = id(&key["api_key"]);
    let intake = app
        .post("/api/v1/intake/leads")
        .header("authorization", &format!("Bearer {}", key["key"].as_str().unwrap()))
        .json(json!({"name": "From the form", "email": "form@example.com"}))
        .send()
        .await;
    intake.ok(202);
    let entry = entry_of(&app, &admin, &intake, "lead.created").await;
    let lead = app.get("/api/v1/leads?q=form%40example.com").token(&admin.token).send().await.ok(200)["data"][0]["id"].clone();
    assert_eq!((entry["entity_id"].clone(), entry["actor_api_key_id"].as_str()), (lead, Some(k.as_str())));
    a.covered.insert(("POST".into(), "/api/v1/intake/leads".into()));
    a.call("DELETE /api/v1/api-keys/{id}", &k, None, "api_key.revoked", Id(&k)).await;

    let user = Some(json!({"email": "mina@acme.test", "name": "Mina", "role": "member", "password": PASSWORD}));
    let u = id(&a.call("POST /api/v1/users", "", user, "user.created", InReply("/id")).await);
    a.call("PATCH /api/v1/users/{id}", &u, Some(json!({"role": "manager"})), "user.updated", Id(&u)).await;
    a.call("DELETE /api/v1/users/{id}", &u, None, "user.deactivated", Id(&u)).await;
    let settings = Some(json!({"deal_visibility": "owner_and_managers"}));
    let workspace = &admin.workspace_id;
    a.call("PATCH /api/v1/workspace", "", settings, "workspace.updated", Id(workspace)).await;

    let me = &admin.user_id;
    a.call("PATCH /api/v1/me", "", Some(json!({"time_zone": "Asia/Tehran", "locale": "fa"})), "user.updated", Id(me)).await;
    let preferences = Some(json!({"in_app": true, "email": true, "daily_digest": true}));
    a.call("PUT /api/v1/me/notification-preferences", "", preferences, "notification_preferences.updated", Id(me)).await;
    // The feed's id is in no answer (its token is derived from it): the entries name it alike.
    let reply = app.post("/api/v1/me/calendar/rotate").token(&admin.token).send().await;
    let created = entry_of(&app, &admin, &reply, "calendar_feed.created").await;
    assert_eq!(created["actor_user_id"], admin.user_id.as_str());
    assert_eq!(created["changes"]["token_hash"], "[redacted]");
    a.covered.insert(("POST".into(), "/api/v1/me/calendar/rotate".into()));
    let reply = app.delete("/api/v1/me/calendar").token(&admin.token).send().await;
    let revoked = entry_of(&app, &admin, &reply, "calendar_feed.revoked").await;
    assert_eq!(revoked["entity_id"], created["entity_id"]);
    a.covered.insert(("DELETE".into(), "/api/v1/me/calendar".into()));

    let spare = id(&app.create_pipeline(&admin, "Spare", &[("Only", 10)]).await);
    a.call("DELETE /api/v1/pipelines/{id}", &spare, None, "pipeline.deleted", Id(&spare)).await;

    // Signing up creates a workspace whose first entries name the new admin.
    let signup =
        json!({"workspace_name": "Beta", "name": "Bea", "email": "bea@beta.test", "password": PASSWORD, "default_currency": "USD"});
    let reply = app.post("/api/v1/auth/signup").json(signup).send().await;
    let bea = session(reply.ok(201));
    let entry = entry_of(&app, &bea, &reply, "workspace.created").await;
    assert_eq!(
        (entry["entity_id"].as_str(), entry["actor_user_id"].as_str()),
        (Some(bea.workspace_id.as_str()), Some(bea.user_id.as_str()))
    );
    assert_eq!(entry_of(&app, &bea, &reply, "user.created").await["changes"]["password_hash"], "[redacted]");
    a.covered.insert(("POST".into(), "/api/v1/auth/signup".into()));

    // A password change is recorded with both hashes redacted. It ends the sessions of before,
    // this access token among them: the entry is read with the one the answer gives.
    let change = json!({"current_password": PASSWORD, "new_password": "a brand new passphrase for acme"});
    let reply = app.post("/api/v1/me/password").token(&admin.token).json(change).send().await;
    let renewed = Session { token: reply.ok(200)["access_token"].as_str().unwrap().to_owned(), ..admin.clone() };
    let entry = entry_of(&app, &renewed, &reply, "user.password_changed").await;
    assert_eq!(
        (entry["entity_id"].as_str(), entry["actor_user_id"].as_str()),
        (Some(admin.user_id.as_str()), Some(admin.user_id.as_str()))
    );
    assert_eq!(entry["changes"]["password_hash"], json!({"before": "[redacted]", "after": "[redacted]"}));
    a.covered.insert(("POST".into(), "/api/v1/me/password".into()));

    let document = app.get("/api/v1/openapi.json").send().await.ok(200).clone();
    let mut mutating = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys().map(|m| m.to_uppercase()) {
            if ["POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) && !NOT_AUDITED.contains(&(method.as_str(), path.as_str())) {
                mutating.insert((method, path.clone()));
            }
        }
    }
    let missing: Vec<_> = mutating.difference(&a.covered).collect();
    assert!(missing.is_empty(), "mutating routes without an audit check: {missing:?}");
}

async fn an_update_records_only_the_fields_it_changed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "amount_minor": 100})).await;
    let d = id(&deal);
    let reply = app
        .patch(&format!("/api/v1/deals/{d}"))
        .token(&admin.token)
        .if_match(1)
        .json(json!({"title": "Fleet renewal", "amount_minor": 100, "expected_close_date": "2027-01-31"}))
        .send()
        .await;
    reply.ok(200);
    let entry = entry_of(&app, &admin, &reply, "deal.updated").await;
    assert_eq!(entry["entity_type"], "deal");
    assert_eq!(
        entry["changes"],
        json!({
            "title": {"before": "Fleet", "after": "Fleet renewal"},
            "expected_close_date": {"before": null, "after": "2027-01-31"},
        })
    );

    // A create holds the object's fields, without the workspace.
    let created = app.get(&format!("/api/v1/audit?entity_id={d}&action=deal.created")).token(&admin.token).send().await;
    let created = created.ok(200)["data"][0]["changes"].clone();
    assert_eq!((created["title"].as_str(), created["amount_minor"].as_i64()), (Some("Fleet"), Some(100)));
    assert!(created.get("workspace_id").is_none(), "{created}");
}

async fn secrets_never_reach_the_log(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let hook = app.post("/api/v1/webhooks").token(&admin.token).json(json!({"url": "http://127.0.0.1:9/hook"})).send().await;
    let hook = hook.ok(201).clone();
    let w = id(&hook["webhook"]);
    let rotated = app.post(&format!("/api/v1/webhooks/{w}/rotate-secret")).token(&admin.token).json(json!({})).send().await;
    let new_secret = rotated.ok(200)["secret"].as_str().map(str::to_owned);
    let entry = entry_of(&app, &admin, &rotated, "webhook.secret_rotated").await;
    assert_eq!(entry["changes"]["secret"], json!({"before": "[redacted]", "after": "[redacted]"}));
    assert_eq!(entry["changes"]["previous_secret"], json!({"before": null, "after": "[redacted]"}));
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Form"})).send().await.ok(201).clone();
    let log = app.get("/api/v1/audit?limit=200").token(&admin.token).send().await.text;
    let secrets = [hook["secret"].as_str().map(str::to_owned), new_secret, key["key"].as_str().map(str::to_owned)];
    for secret in secrets.into_iter().map(Option::unwrap) {
        assert!(!log.contains(&secret), "a secret in the log");
    }
    assert!(log.contains(r#""key_hash":"[redacted]""#) && log.contains(r#""password_hash":"[redacted]""#), "{log}");
}

async fn changes_made_with_an_api_key_name_the_key(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Form"})).send().await.ok(201).clone();
    let (k, secret) = (id(&key["api_key"]), key["key"].as_str().unwrap().to_owned());
    let submit = |email: &str| {
        app.post("/api/v1/intake/leads")
            .header("x-api-key", &secret)
            .json(json!({"name": "Visitor", "email": email, "company": "Acme"}))
            .send()
    };
    let created = submit("visitor@example.com").await;
    let attached = submit("visitor@example.com").await;
    assert_eq!((created.ok(202).as_object().map(|o| o.len()), attached.ok(202).as_object().map(|o| o.len())), (Some(1), Some(1)));
    let lead = app.get("/api/v1/leads").token(&admin.token).send().await.ok(200)["data"][0]["id"].clone();
    for (reply, action) in [(&created, "lead.created"), (&attached, "lead.attached")] {
        let entry = entry_of(&app, &admin, reply, action).await;
        assert_eq!(entry["entity_id"], lead);
        assert_eq!(entry["actor_api_key_id"], k.as_str(), "{action}");
        // The admin who made the key answers for it.
        assert_eq!(entry["actor_user_id"], admin.user_id.as_str(), "{action}");
    }
    let attached = entry_of(&app, &admin, &attached, "lead.attached").await;
    assert_eq!(attached["changes"]["submissions"], json!({"before": 1, "after": 2}));

    // Any other change made with a key as the bearer names the key too.
    let write = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Sync", "scopes": ["write"]})).send().await;
    let write = write.ok(201).clone();
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = json!({"title": "Synced", "pipeline_id": id(&pipeline)});
    let created = app.post("/api/v1/deals").token(write["key"].as_str().unwrap()).json(deal).send().await;
    let entry = entry_of(&app, &admin, &created, "deal.created").await;
    assert_eq!(entry["entity_id"], created.ok(201)["id"]);
    assert_eq!(
        (entry["actor_api_key_id"].as_str(), entry["actor_user_id"].as_str()),
        (Some(id(&write["api_key"]).as_str()), Some(admin.user_id.as_str()))
    );
}

async fn only_admins_read_the_log_and_its_filters_and_pages_hold(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let other = app.signup("Other", "owner@other.test").await;
    app.get("/api/v1/audit").token(&member.token).send().await.problem(403);
    app.get("/api/v1/audit").send().await.problem(401);

    let pipeline = app.sales_pipeline(&admin).await;
    let p = id(&pipeline);
    let mut deals = Vec::new();
    for title in ["One", "Two", "Three"] {
        deals.push(id(&app.create_deal(&member, json!({"title": title, "pipeline_id": p})).await));
    }
    let moved = app.move_deal(&member, &app.deal(&member, &deals[0]).await, json!({"stage_id": stage_id(&pipeline, 1)})).await;
    moved.ok(200);

    let list = |query: String| {
        let app = &app;
        let token = admin.token.clone();
        async move { app.get(&format!("/api/v1/audit?{query}")).token(&token).send().await.ok(200).clone() }
    };
    let actions = |page: &Value| -> Vec<(String, String)> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["action"].as_str().unwrap().to_owned(), e["entity_id"].as_str().unwrap_or("").to_owned()))
            .collect()
    };
    let by_member = list(format!("actor_user_id={}", member.user_id)).await;
    let expected: Vec<(String, String)> = [("deal.moved", 0), ("deal.created", 2), ("deal.created", 1), ("deal.created", 0)]
        .iter()
        .map(|(action, i)| (action.to_string(), deals[*i].clone()))
        .collect();
    assert_eq!(actions(&by_member), expected, "newest first");
    assert_eq!(actions(&list(format!("entity_id={}", deals[0])).await), vec![expected[0].clone(), expected[3].clone()]);
    assert_eq!(actions(&list("action=deal.moved".into()).await), vec![expected[0].clone()]);
    assert_eq!(list("entity_type=pipeline".into()).await["data"][0]["entity_id"], p.as_str());
    let stages = list("entity_type=stage".into()).await;
    assert_eq!(stages["data"].as_array().unwrap().len(), 3);

    for limit in ["0", "201"] {
        app.get(&format!("/api/v1/audit?limit={limit}")).token(&admin.token).send().await.problem(400);
    }

    // Pages of two: every entry once, in order, then no cursor.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = list(format!("actor_user_id={}&limit=2{cursor}", member.user_id)).await;
        paged.extend(actions(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(paged, expected);

    // since/until: the window around the move holds the move alone.
    let entries = by_member["data"].as_array().unwrap();
    let (moved_at, created_at) = (entries[0]["occurred_at"].as_str().unwrap(), entries[1]["occurred_at"].as_str().unwrap());
    let since = list(format!("actor_user_id={}&since={}", member.user_id, urlencode(moved_at))).await;
    assert_eq!(actions(&since), vec![expected[0].clone()]);
    let until = list(format!("actor_user_id={}&until={}", member.user_id, urlencode(created_at))).await;
    assert!(actions(&until).iter().all(|(action, _)| action == "deal.created"));
    assert!(!actions(&until).contains(&expected[1]), "until is exclusive");

    // Another workspace's log is its own.
    let theirs = app.get("/api/v1/audit").token(&other.token).send().await.ok(200).clone();
    assert!(theirs["data"].as_array().unwrap().iter().all(|e| e["entity_type"] == "workspace" || e["entity_type"] == "user"), "{theirs}");
    app.get("/api/v1/audit?cursor=nope").token(&admin.token).send().await.problem(400);
    app.get("/api/v1/audit?since=yesterday").token(&admin.token).send().await.problem(400);
}

async fn a_refused_change_leaves_no_entry(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let d = id(&deal);
    let count = || app.scalar("SELECT COUNT(*) FROM audit_entries", vec![]);
    let before = count().await;

    let stale = app.patch(&format!("/api/v1/deals/{d}")).token(&admin.token).if_match(7).json(json!({"title": "Lost update"})).send().await;
    stale.problem(412);
    let stale_move = app.move_deal(&admin, &json!({"id": d, "version": 9}), json!({"stage_id": stage_id(&pipeline, 1)})).await;
    stale_move.problem(412);
    app.delete(&format!("/api/v1/pipelines/{}", id(&pipeline))).token(&admin.token).if_match(1).send().await.problem(409);
    app.patch(&format!("/api/v1/pipelines/{}", id(&pipeline)))
        .token(&member.token)
        .if_match(1)
        .json(json!({"name": "x"}))
        .send()
        .await
        .problem(403);
    app.delete(&format!("/api/v1/deals/{d}")).token(&admin.token).if_match(3).send().await.problem(412);
    assert_eq!(count().await, before);
    assert_eq!(app.deal(&admin, &d).await["title"], "Fleet");
}

fn urlencode(value: &str) -> String {
    value.replace('+', "%2B").replace(':', "%3A")
}
