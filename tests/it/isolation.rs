//! Authorization, route by route: one table with a case for EVERY operation of the OpenAPI
//! document, run as three callers against workspace A's objects:
//!
//! - an outsider, workspace B's admin: A's objects are not found (404), and nothing of A's leaks
//!   into any answer;
//! - a member of A while A's deals and leads are visible to their owners and managers only: the
//!   admin's deals and leads, their activities and opportunities are not found (404) and never
//!   listed, counted or exported; routes of a higher role answer 403;
//! - a manager of A: admin-only routes answer 403.
//!
//! An operation of the document without a case fails the test, naming it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Engine, Reply, Session, TestApp, id, session, spawn_app_with, stage_id};
use crate::on_both_engines;

on_both_engines!(every_route_is_authorized_for_outsiders_members_and_managers);

/// An id of nothing, for the bulk routes' cases.
const NOBODY: &str = "00000000-0000-7000-8000-000000000000";

/// The smallest PNG: its signature, and enough after it to be told from other files.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// Who may call an operation.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Called without a bearer token (sign-up, sign-in, tokens, probes; intake takes an API key).
    Public,
    /// Admins only: members and managers get 403.
    Admin,
    /// Admins and managers: members get 403.
    Manager,
    /// Every member of the workspace; a member of A gets this status (404 for the admin's hidden
    /// deals and leads and what hangs off them, 412 for a shared object sent with a stale version).
    Member(u16),
}

enum Body {
    None,
    Json(Value),
    Csv(&'static str),
    Form(Vec<u8>),
    Raw(&'static str, Vec<u8>),
}

struct Case {
    method: &'static str,
    /// The path as the OpenAPI document spells it.
    template: &'static str,
    /// The path with workspace A's ids.
    path: String,
    body: Body,
    /// What workspace B's admin gets.
    outsider: u16,
    access: Access,
}

fn case(method: &'static str, template: &'static str, path: impl Into<String>, outsider: u16, access: Access) -> Case {
    Case { method, template, path: path.into(), body: Body::None, outsider, access }
}

impl Case {
    fn json(mut self, body: Value) -> Case {
        self.body = Body::Json(body);
        self
    }

    fn csv(mut self, body: &'static str) -> Case {
        self.body = Body::Csv(body);
        self
    }

    /// A `multipart/form-data` body with these fields and a small file.
    fn form(mut self, fields: &[(&str, &str)]) -> Case {
        self.body = Body::Form(crate::helpers::form(fields, Some(("a.txt", "text/plain", b"A's file"))));
        self
    }

    /// A body of `content_type` as it is (an image).
    fn raw(mut self, content_type: &'static str, body: &[u8]) -> Case {
        self.body = Body::Raw(content_type, body.to_vec());
        self
    }

    /// Sends the case as `token` (or without one). Writes carry a stale version, so that a
    /// route that lets the caller through changes nothing (412) where it checks versions.
    async fn send(&self, app: &TestApp, token: Option<&str>) -> Reply {
        let mut request = app.request(self.method.parse().unwrap(), &self.path).if_match(999);
        if let Some(token) = token {
            request = request.token(token);
        }
        request = match &self.body {
            Body::None => request,
            Body::Json(body) => request.json(body.clone()),
            Body::Csv(csv) => request.raw("text/csv", *csv),
            Body::Form(form) => request.raw(&format!("multipart/form-data; boundary={}", crate::helpers::BOUNDARY), form.clone()),
            Body::Raw(content_type, body) => request.raw(content_type, body.clone()),
        };
        request.send().await
    }
}

/// Fails when an answer mentions any of `ids`.
fn assert_no_leak(who: &str, case: &Case, reply: &Reply, ids: &[(&str, &str)]) {
    for (name, id) in ids {
        assert!(!reply.text.contains(id), "{who}: {} {} reveals {name} {id}: {}", case.method, case.path, reply.text);
    }
}

async fn add_user(app: &TestApp, admin: &Session, email: &str, role: &str) -> Session {
    let body = json!({"email": email, "name": role, "role": role, "password": "correct horse battery"});
    app.post("/api/v1/users").token(&admin.token).json(body).send().await.ok(201);
    session(app.login(email, "correct horse battery").await.ok(200))
}

async fn every_route_is_authorized_for_outsiders_members_and_managers(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let alice = app.signup("A", "alice@a.test").await;
    let bob = app.signup("B", "bob@b.test").await;
    let mia = add_user(&app, &alice, "mia@a.test", "member").await;
    let max = add_user(&app, &alice, "max@a.test", "manager").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&alice.token).json(only_owners).send().await.ok(200);

    let pipeline = app.sales_pipeline(&alice).await;
    let hook = app.post("/api/v1/webhooks").token(&alice.token).json(json!({"url": "http://127.0.0.1:9/a"})).send().await;
    let w = id(&hook.ok(201)["webhook"]);
    let ping = app.post(&format!("/api/v1/webhooks/{w}/test")).token(&alice.token).send().await;
    let delivery = id(ping.ok(202));
    let deal = app.create_deal(&alice, json!({"title": "A's deal", "pipeline_id": id(&pipeline), "amount_minor": 100})).await;
    let (p, s, d) = (id(&pipeline), stage_id(&pipeline, 0), id(&deal));
    let org = app.post("/api/v1/organizations").token(&alice.token).json(json!({"name": "A's customer", "founded_on": "2010-01-10"}));
    let o = id(org.send().await.ok(201));
    let contact = json!({"name": "A's contact", "organization_id": o, "important_dates": [{"kind": "birthday", "month": 1, "day": 10}]});
    let c = id(app.post("/api/v1/contacts").token(&alice.token).json(contact).send().await.ok(201));
    let bob_pipeline = app.sales_pipeline(&bob).await;
    let bob_deal = app.create_deal(&bob, json!({"title": "B's deal", "pipeline_id": id(&bob_pipeline)})).await;
    let lead = json!({"name": "A's lead", "company": "A Co", "email": "a@lead.test"});
    let l = id(app.post("/api/v1/leads").token(&alice.token).json(lead).send().await.ok(201));
    let qualified = app.post("/api/v1/leads").token(&alice.token).json(json!({"name": "A's customer", "company": "A Co"})).send().await;
    let q = id(qualified.ok(201));
    let qualification = app.post(&format!("/api/v1/leads/{q}/qualify")).token(&alice.token).json(json!({"pipeline_id": p})).send().await;
    let qualification = qualification.ok(201).clone();
    let (op, qd) = (id(&qualification["opportunity"]), id(&qualification["deal"]));
    let (contact, organization) =
        (qualification["contact_id"].as_str().unwrap().to_owned(), qualification["organization_id"].as_str().unwrap().to_owned());
    let key = app.post("/api/v1/api-keys").token(&alice.token).json(json!({"name": "A's form"})).send().await;
    let k = id(&key.ok(201)["api_key"]);
    let field = json!({"entity": "lead", "key": "size", "label": "Size", "kind": "number"});
    let f = id(app.post("/api/v1/custom-fields").token(&alice.token).json(field).send().await.ok(201));
    let reason = app.post("/api/v1/lost-reasons").token(&alice.token).json(json!({"name": "A's reason"})).send().await;
    let lr = id(reason.ok(201));
    let product = json!({"name": "A's product", "sku": "A-1", "unit_price_minor": 1});
    let pr = id(app.post("/api/v1/products").token(&alice.token).json(product).send().await.ok(201));
    // A quote and a draft invoice of the admin's qualified deal (hidden from Mia with it), and a logo.
    let lines = json!({"items": [{"product_id": pr, "quantity": "2"}]});
    app.put(&format!("/api/v1/deals/{qd}/line-items")).token(&alice.token).if_match(1).json(lines).send().await.ok(200);
    let qt = id(app.post(&format!("/api/v1/deals/{qd}/quotes")).token(&alice.token).json(json!({})).send().await.ok(201));
    let iv = id(app.post(&format!("/api/v1/deals/{qd}/invoices")).token(&alice.token).send().await.ok(201));
    app.put("/api/v1/workspace/documents/logo").token(&alice.token).raw("image/png", PNG.to_vec()).send().await.ok(200);
    let rate = json!({"currency": "USD", "rate_date": "2026-11-01", "rate": "42000"});
    let x = id(app.post("/api/v1/exchange-rates").token(&alice.token).json(rate).send().await.ok(201));
    let bob_lead = id(app.post("/api/v1/leads").token(&bob.token).json(json!({"name": "B's lead"})).send().await.ok(201));
    let activity = json!({"kind": "task", "subject": "A's task", "lead_id": l, "due_at": "2030-01-01T09:00:00Z"});
    let a = id(app.post("/api/v1/activities").token(&alice.token).json(activity).send().await.ok(201));
    // Mia's own task, but about the admin's deal: hidden from her with the deal (even in her agenda).
    let call = json!({"kind": "task", "subject": "A's call", "deal_id": d, "owner_id": mia.user_id, "due_at": "2020-01-01T09:00:00Z"});
    let da = id(app.post("/api/v1/activities").token(&alice.token).json(call).send().await.ok(201));
    let template = json!({"subject": "A's follow-up", "due_in_hours": 24});
    let t = id(app.post(&format!("/api/v1/stages/{s}/task-templates")).token(&alice.token).json(template).send().await.ok(201));
    // Mia's own deal and lead, which she does see.
    let md = id(&app.create_deal(&mia, json!({"title": "Mia's deal", "pipeline_id": p, "amount_minor": 7})).await);
    let ml = id(app.post("/api/v1/leads").token(&mia.token).json(json!({"name": "Mia's lead"})).send().await.ok(201));
    let u = alice.user_id.clone();
    let file =
        Case { method: "POST", template: "", path: "/api/v1/attachments".into(), body: Body::None, outsider: 0, access: Access::Public }
            .form(&[("deal_id", &d)]);
    let at = id(file.send(&app, Some(&alice.token)).await.ok(201));
    // The admin's personal view: hidden from every other member.
    let view = json!({"entity": "contacts", "name": "A's view", "filters": {"tag": "vip"}});
    let vw = id(app.post("/api/v1/views").token(&alice.token).json(view).send().await.ok(201));
    let rule = json!({"name": "A's rule", "trigger": {"type": "deal.won"}, "actions": [{"type": "add_tag", "tag": "won"}]});
    let au = id(app.post("/api/v1/automations").token(&alice.token).json(rule).send().await.ok(201));

    // A notification of the admin's: Mia gives her a task.
    let for_alice = json!({"kind": "task", "subject": "For Alice", "lead_id": ml, "owner_id": alice.user_id});
    app.post("/api/v1/activities").token(&mia.token).json(for_alice).send().await.ok(201);
    let inbox = app.get("/api/v1/notifications").token(&alice.token).send().await;
    let n = id(&inbox.ok(200)["data"][0]);

    // An email template, and an email to the admin's contact (hidden from Mia with the contact).
    let mailed = json!({"name": "A's mailed contact", "email": "mailed@a.test"});
    let ec = id(app.post("/api/v1/contacts").token(&alice.token).json(mailed).send().await.ok(201));
    let template = json!({"name": "A's template", "locale": "en", "subject": "About {{deal.title}}", "body": "Hi {{contact.first_name}}"});
    let et = id(app.post("/api/v1/email-templates").token(&alice.token).json(template).send().await.ok(201));
    let sent = app.post(&format!("/api/v1/contacts/{ec}/emails")).token(&alice.token).json(json!({"template_id": et})).send().await;
    let em = id(sent.ok(202));

    use Access::*;
    let cases = vec![
        case("GET", "/healthz", "/healthz", 200, Public),
        case("GET", "/readyz", "/readyz", 200, Public),
        case("GET", "/metrics", "/metrics", 200, Public),
        case("POST", "/api/v1/auth/signup", "/api/v1/auth/signup", 0, Public),
        case("POST", "/api/v1/auth/login", "/api/v1/auth/login", 0, Public),
        case("POST", "/api/v1/auth/refresh", "/api/v1/auth/refresh", 0, Public),
        case("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", 0, Public),
        case("POST", "/api/v1/intake/leads", "/api/v1/intake/leads", 0, Public),
        case("GET", "/api/v1/me", "/api/v1/me", 200, Member(200)),
        // Anyone may change their own password, given the current one: a wrong one is a 422.
        case("POST", "/api/v1/me/password", "/api/v1/me/password", 422, Member(422))
            .json(json!({"current_password": "not the current one", "new_password": "a brand new passphrase for acme"})),
        case("GET", "/api/v1/me/agenda", "/api/v1/me/agenda?days=90", 200, Member(200)),
        case("PATCH", "/api/v1/me", "/api/v1/me", 200, Member(200)).json(json!({"time_zone": "Asia/Tehran"})),
        // Notifications are each caller's own: another's is not found, whatever the role.
        case("GET", "/api/v1/notifications", "/api/v1/notifications", 200, Member(200)),
        case("POST", "/api/v1/notifications/{id}/read", format!("/api/v1/notifications/{n}/read"), 404, Member(404)),
        case("POST", "/api/v1/notifications/read-all", "/api/v1/notifications/read-all", 200, Member(200)),
        case("GET", "/api/v1/me/notification-preferences", "/api/v1/me/notification-preferences", 200, Member(200)),
        case("PUT", "/api/v1/me/notification-preferences", "/api/v1/me/notification-preferences", 200, Member(200))
            .json(json!({"in_app": true, "email": false, "daily_digest": true})),
        // The caller's own feed: made by the rotation, then revoked (calendar.rs reads it).
        case("GET", "/api/v1/me/calendar", "/api/v1/me/calendar", 200, Member(200)),
        case("POST", "/api/v1/me/calendar/rotate", "/api/v1/me/calendar/rotate", 200, Member(200)),
        case("DELETE", "/api/v1/me/calendar", "/api/v1/me/calendar", 204, Member(204)),
        // Opened by its secret token, not a bearer token.
        case("GET", "/api/v1/calendar/{token}.ics", "/api/v1/calendar/x.ics", 0, Public),
        case("GET", "/api/v1/users", "/api/v1/users", 200, Member(200)),
        case("POST", "/api/v1/users", "/api/v1/users", 201, Admin)
            .json(json!({"email": "new@b.test", "name": "New", "role": "member", "password": "correct horse battery"})),
        case("PATCH", "/api/v1/users/{id}", format!("/api/v1/users/{u}"), 404, Admin).json(json!({"role": "member"})),
        case("DELETE", "/api/v1/users/{id}", format!("/api/v1/users/{u}"), 404, Admin),
        case("GET", "/api/v1/workspace", "/api/v1/workspace", 200, Member(200)),
        case("PATCH", "/api/v1/workspace", "/api/v1/workspace", 200, Admin).json(json!({"name": "B renamed"})),
        case("GET", "/api/v1/pipelines", "/api/v1/pipelines", 200, Member(200)),
        case("POST", "/api/v1/pipelines", "/api/v1/pipelines", 201, Manager)
            .json(json!({"name": "x", "currency": "USD", "stages": [{"name": "x", "probability": 1}]})),
        case("GET", "/api/v1/pipelines/{id}", format!("/api/v1/pipelines/{p}"), 404, Member(200)),
        case("PATCH", "/api/v1/pipelines/{id}", format!("/api/v1/pipelines/{p}"), 404, Manager).json(json!({"name": "mine now"})),
        case("DELETE", "/api/v1/pipelines/{id}", format!("/api/v1/pipelines/{p}"), 404, Manager),
        case("POST", "/api/v1/pipelines/{id}/stages", format!("/api/v1/pipelines/{p}/stages"), 404, Manager)
            .json(json!({"name": "x", "probability": 1})),
        case("GET", "/api/v1/pipelines/{id}/board", format!("/api/v1/pipelines/{p}/board"), 404, Member(200)),
        case("PATCH", "/api/v1/stages/{id}", format!("/api/v1/stages/{s}"), 404, Manager).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/stages/{id}", format!("/api/v1/stages/{s}?move_deals_to={}", stage_id(&pipeline, 1)), 404, Manager),
        case("GET", "/api/v1/stages/{id}/task-templates", format!("/api/v1/stages/{s}/task-templates"), 404, Member(200)),
        case("POST", "/api/v1/stages/{id}/task-templates", format!("/api/v1/stages/{s}/task-templates"), 404, Manager)
            .json(json!({"subject": "x", "due_in_hours": 1})),
        case("PATCH", "/api/v1/task-templates/{id}", format!("/api/v1/task-templates/{t}"), 404, Manager).json(json!({"subject": "x"})),
        case("DELETE", "/api/v1/task-templates/{id}", format!("/api/v1/task-templates/{t}"), 404, Manager),
        case("GET", "/api/v1/search", "/api/v1/search?q=deal", 200, Member(200)),
        case("GET", "/api/v1/deals", "/api/v1/deals", 200, Member(200)),
        case("POST", "/api/v1/deals", "/api/v1/deals", 422, Member(201)).json(json!({"title": "x", "pipeline_id": p})),
        // Each item is answered on its own (ids of A's are `not_found` to an outsider: `bulk.rs`).
        case("POST", "/api/v1/deals/bulk", "/api/v1/deals/bulk", 200, Member(200))
            .json(json!({"ids": [NOBODY], "action": {"type": "delete"}})),
        case("GET", "/api/v1/deals/{id}", format!("/api/v1/deals/{d}"), 404, Member(404)),
        case("PATCH", "/api/v1/deals/{id}", format!("/api/v1/deals/{d}"), 404, Member(404)).json(json!({"title": "x"})),
        case("DELETE", "/api/v1/deals/{id}", format!("/api/v1/deals/{d}"), 404, Member(404)),
        case("POST", "/api/v1/deals/{id}/move", format!("/api/v1/deals/{d}/move"), 404, Member(404))
            .json(json!({"stage_id": stage_id(&pipeline, 1)})),
        case("POST", "/api/v1/deals/{id}/win", format!("/api/v1/deals/{d}/win"), 404, Member(404)),
        case("POST", "/api/v1/deals/{id}/lose", format!("/api/v1/deals/{d}/lose"), 404, Member(404)).json(json!({"reason": "x"})),
        case("POST", "/api/v1/deals/{id}/reopen", format!("/api/v1/deals/{d}/reopen"), 404, Member(404)),
        case("GET", "/api/v1/deals/{id}/history", format!("/api/v1/deals/{d}/history"), 404, Member(404)),
        case("GET", "/api/v1/leads", "/api/v1/leads", 200, Member(200)),
        case("POST", "/api/v1/leads", "/api/v1/leads", 201, Member(201)).json(json!({"name": "x"})),
        // The check finds only the caller's own workspace's leads (the outsider's answer is empty).
        case("POST", "/api/v1/leads/duplicate-check", "/api/v1/leads/duplicate-check", 200, Member(200))
            .json(json!({"name": "x", "email": "x@example.com"})),
        case("POST", "/api/v1/leads/bulk", "/api/v1/leads/bulk", 200, Member(200))
            .json(json!({"ids": [NOBODY], "action": {"type": "tag", "tag": "x"}})),
        case("GET", "/api/v1/leads/export", "/api/v1/leads/export", 200, Member(200)),
        case("POST", "/api/v1/leads/import", "/api/v1/leads/import", 200, Member(200)).csv("name\nImported\n"),
        case("GET", "/api/v1/leads/{id}", format!("/api/v1/leads/{l}"), 404, Member(404)),
        case("PATCH", "/api/v1/leads/{id}", format!("/api/v1/leads/{l}"), 404, Member(404)).json(json!({"name": "mine now"})),
        case("DELETE", "/api/v1/leads/{id}", format!("/api/v1/leads/{l}"), 404, Member(404)),
        case("POST", "/api/v1/leads/{id}/qualify", format!("/api/v1/leads/{l}/qualify"), 404, Member(404))
            .json(json!({"create_deal": false})),
        case("POST", "/api/v1/leads/{id}/disqualify", format!("/api/v1/leads/{l}/disqualify"), 404, Member(404))
            .json(json!({"reason": "other"})),
        case("POST", "/api/v1/leads/{id}/reopen", format!("/api/v1/leads/{l}/reopen"), 404, Member(404)),
        case("GET", "/api/v1/leads/{id}/score", format!("/api/v1/leads/{l}/score"), 404, Member(404)),
        case("GET", "/api/v1/leads/{id}/duplicates", format!("/api/v1/leads/{l}/duplicates"), 404, Member(404)),
        case("GET", "/api/v1/leads/{id}/export", format!("/api/v1/leads/{l}/export"), 404, Member(404)),
        // Erasure is for admins; an outsider's admin does not find A's lead.
        case("POST", "/api/v1/leads/{id}/erase", format!("/api/v1/leads/{l}/erase"), 404, Admin),
        case("POST", "/api/v1/leads/{id}/merge", format!("/api/v1/leads/{l}/merge"), 404, Member(404))
            .json(json!({"other_id": bob_lead, "dry_run": true})),
        case("GET", "/api/v1/scoring-rules", "/api/v1/scoring-rules", 200, Member(200)),
        case("PUT", "/api/v1/scoring-rules", "/api/v1/scoring-rules", 200, Manager).json(json!({"rules": []})),
        // A preview scores only the caller's own workspace's leads.
        case("POST", "/api/v1/scoring-rules/preview", "/api/v1/scoring-rules/preview", 200, Manager).json(json!({"rules": []})),
        case("GET", "/api/v1/opportunities", "/api/v1/opportunities", 200, Member(200)),
        case("GET", "/api/v1/opportunities/{id}", format!("/api/v1/opportunities/{op}"), 404, Member(404)),
        case("POST", "/api/v1/opportunities/{id}/deals", format!("/api/v1/opportunities/{op}/deals"), 404, Member(404))
            .json(json!({"title": "x", "pipeline_id": id(&bob_pipeline)})),
        case("GET", "/api/v1/api-keys", "/api/v1/api-keys", 200, Admin),
        case("POST", "/api/v1/api-keys", "/api/v1/api-keys", 201, Admin).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/api-keys/{id}", format!("/api/v1/api-keys/{k}"), 404, Admin),
        case("GET", "/api/v1/custom-fields", "/api/v1/custom-fields", 200, Member(200)),
        case("GET", "/api/v1/tags", "/api/v1/tags", 200, Member(200)),
        case("POST", "/api/v1/custom-fields", "/api/v1/custom-fields", 201, Manager)
            .json(json!({"entity": "lead", "key": "size", "label": "Size", "kind": "number"})),
        case("PATCH", "/api/v1/custom-fields/{id}", format!("/api/v1/custom-fields/{f}"), 404, Manager).json(json!({"label": "x"})),
        case("DELETE", "/api/v1/custom-fields/{id}", format!("/api/v1/custom-fields/{f}"), 404, Manager),
        case("GET", "/api/v1/lost-reasons", "/api/v1/lost-reasons", 200, Member(200)),
        case("POST", "/api/v1/lost-reasons", "/api/v1/lost-reasons", 201, Admin).json(json!({"name": "x"})),
        case("GET", "/api/v1/lost-reasons/{id}", format!("/api/v1/lost-reasons/{lr}"), 404, Member(200)),
        case("PATCH", "/api/v1/lost-reasons/{id}", format!("/api/v1/lost-reasons/{lr}"), 404, Admin).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/lost-reasons/{id}", format!("/api/v1/lost-reasons/{lr}"), 404, Admin),
        case("GET", "/api/v1/products", "/api/v1/products", 200, Member(200)),
        case("POST", "/api/v1/products", "/api/v1/products", 201, Manager).json(json!({"name": "x", "sku": "x", "unit_price_minor": 1})),
        case("GET", "/api/v1/products/{id}", format!("/api/v1/products/{pr}"), 404, Member(200)),
        case("GET", "/api/v1/products/export", "/api/v1/products/export", 200, Member(200)),
        case("POST", "/api/v1/products/import", "/api/v1/products/import", 200, Manager)
            .csv("sku,name,unit_price_minor\nIMP-1,Imported,5\n"),
        case("PATCH", "/api/v1/products/{id}", format!("/api/v1/products/{pr}"), 404, Manager).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/products/{id}", format!("/api/v1/products/{pr}"), 404, Manager),
        case("GET", "/api/v1/deals/{id}/line-items", format!("/api/v1/deals/{d}/line-items"), 404, Member(404)),
        case("PUT", "/api/v1/deals/{id}/line-items", format!("/api/v1/deals/{d}/line-items"), 404, Member(404)).json(json!({"items": []})),
        case("GET", "/api/v1/quotes", "/api/v1/quotes", 200, Member(200)),
        case("POST", "/api/v1/deals/{id}/quotes", format!("/api/v1/deals/{qd}/quotes"), 404, Member(404)).json(json!({})),
        case("GET", "/api/v1/quotes/{id}", format!("/api/v1/quotes/{qt}"), 404, Member(404)),
        case("GET", "/api/v1/quotes/{id}/pdf", format!("/api/v1/quotes/{qt}/pdf"), 404, Member(404)),
        case("GET", "/api/v1/invoices/{id}/pdf", format!("/api/v1/invoices/{iv}/pdf"), 404, Member(404)),
        case("POST", "/api/v1/quotes/{id}/revise", format!("/api/v1/quotes/{qt}/revise"), 404, Member(404)).json(json!({})),
        case("POST", "/api/v1/quotes/{id}/send", format!("/api/v1/quotes/{qt}/send"), 404, Member(404)),
        case("POST", "/api/v1/quotes/{id}/accept", format!("/api/v1/quotes/{qt}/accept"), 404, Member(404)),
        case("POST", "/api/v1/quotes/{id}/reject", format!("/api/v1/quotes/{qt}/reject"), 404, Member(404)),
        case("POST", "/api/v1/quotes/{id}/invoice", format!("/api/v1/quotes/{qt}/invoice"), 404, Member(404)),
        case("POST", "/api/v1/deals/{id}/invoices", format!("/api/v1/deals/{qd}/invoices"), 404, Member(404)),
        case("GET", "/api/v1/invoices", "/api/v1/invoices", 200, Member(200)),
        case("GET", "/api/v1/invoices/{id}", format!("/api/v1/invoices/{iv}"), 404, Member(404)),
        case("POST", "/api/v1/invoices/{id}/issue", format!("/api/v1/invoices/{iv}/issue"), 404, Member(404)),
        case("POST", "/api/v1/invoices/{id}/void", format!("/api/v1/invoices/{iv}/void"), 404, Member(404)),
        case("DELETE", "/api/v1/invoices/{id}", format!("/api/v1/invoices/{iv}"), 404, Member(404)),
        case("POST", "/api/v1/invoices/{id}/payments", format!("/api/v1/invoices/{iv}/payments"), 404, Member(404))
            .json(json!({"amount_minor": 1, "method": "cash"})),
        case("GET", "/api/v1/workspace/documents", "/api/v1/workspace/documents", 200, Member(200)),
        // The outsider changes their own workspace's settings; a member may not change A's.
        case("PATCH", "/api/v1/workspace/documents", "/api/v1/workspace/documents", 412, Manager).json(json!({"footer": "x"})),
        case("GET", "/api/v1/workspace/documents/logo", "/api/v1/workspace/documents/logo", 404, Member(200)),
        case("PUT", "/api/v1/workspace/documents/logo", "/api/v1/workspace/documents/logo", 200, Manager).raw("image/png", PNG),
        case("DELETE", "/api/v1/workspace/documents/logo", "/api/v1/workspace/documents/logo", 200, Manager),
        case("GET", "/api/v1/exchange-rates", "/api/v1/exchange-rates", 200, Member(200)),
        case("POST", "/api/v1/exchange-rates", "/api/v1/exchange-rates", 201, Admin)
            .json(json!({"currency": "USD", "rate_date": "2026-11-01", "rate": "41000"})),
        case("DELETE", "/api/v1/exchange-rates/{id}", format!("/api/v1/exchange-rates/{x}"), 404, Admin),
        case("GET", "/api/v1/activities", "/api/v1/activities", 200, Member(200)),
        // About the admin's organization, which every member sees (the admin's contact is hidden from Mia).
        case("POST", "/api/v1/activities", "/api/v1/activities", 422, Member(201))
            .json(json!({"kind": "call", "subject": "x", "organization_id": o})),
        case("GET", "/api/v1/activities/{id}", format!("/api/v1/activities/{a}"), 404, Member(404)),
        case("PATCH", "/api/v1/activities/{id}", format!("/api/v1/activities/{a}"), 404, Member(404)).json(json!({"subject": "mine now"})),
        case("DELETE", "/api/v1/activities/{id}", format!("/api/v1/activities/{da}"), 404, Member(404)),
        case("POST", "/api/v1/activities/{id}/complete", format!("/api/v1/activities/{da}/complete"), 404, Member(404)),
        case("POST", "/api/v1/activities/{id}/reopen", format!("/api/v1/activities/{a}/reopen"), 404, Member(404)),
        case("GET", "/api/v1/webhooks", "/api/v1/webhooks", 200, Admin),
        case("POST", "/api/v1/webhooks", "/api/v1/webhooks", 201, Admin).json(json!({"url": "http://127.0.0.1:9/b"})),
        case("GET", "/api/v1/webhooks/{id}", format!("/api/v1/webhooks/{w}"), 404, Admin),
        case("PATCH", "/api/v1/webhooks/{id}", format!("/api/v1/webhooks/{w}"), 404, Admin).json(json!({"active": false})),
        case("DELETE", "/api/v1/webhooks/{id}", format!("/api/v1/webhooks/{w}"), 404, Admin),
        case("POST", "/api/v1/webhooks/{id}/rotate-secret", format!("/api/v1/webhooks/{w}/rotate-secret"), 404, Admin).json(json!({})),
        case("POST", "/api/v1/webhooks/{id}/test", format!("/api/v1/webhooks/{w}/test"), 404, Admin),
        case("GET", "/api/v1/webhooks/{id}/deliveries", format!("/api/v1/webhooks/{w}/deliveries"), 404, Admin),
        case("POST", "/api/v1/webhooks/deliveries/{id}/redeliver", format!("/api/v1/webhooks/deliveries/{delivery}/redeliver"), 404, Admin),
        // Files follow what they are kept with: the admin's hidden deal is not found for Mia.
        case("POST", "/api/v1/attachments", "/api/v1/attachments", 422, Member(422)).form(&[("deal_id", &d)]),
        case("GET", "/api/v1/attachments", format!("/api/v1/attachments?deal_id={d}"), 404, Member(404)),
        case("GET", "/api/v1/attachments/{id}", format!("/api/v1/attachments/{at}"), 404, Member(404)),
        case("GET", "/api/v1/attachments/{id}/content", format!("/api/v1/attachments/{at}/content"), 404, Member(404)),
        case("DELETE", "/api/v1/attachments/{id}", format!("/api/v1/attachments/{at}"), 404, Member(404)),
        case("GET", "/api/v1/contacts", "/api/v1/contacts", 200, Member(200)),
        case("POST", "/api/v1/contacts", "/api/v1/contacts", 422, Member(201)).json(json!({"name": "x", "organization_id": o})),
        case("GET", "/api/v1/contacts/upcoming-dates", "/api/v1/contacts/upcoming-dates?today=2027-01-01&days=30", 200, Member(200)),
        case("POST", "/api/v1/contacts/bulk", "/api/v1/contacts/bulk", 200, Member(200))
            .json(json!({"ids": [NOBODY], "action": {"type": "delete"}})),
        case("GET", "/api/v1/contacts/export", "/api/v1/contacts/export", 200, Member(200)),
        case("POST", "/api/v1/contacts/import", "/api/v1/contacts/import", 200, Member(200)).csv("Name\nImported\n"),
        // Contacts follow the lead visibility: the admin's contacts are hidden from Mia.
        case("GET", "/api/v1/contacts/{id}", format!("/api/v1/contacts/{c}"), 404, Member(404)),
        case("GET", "/api/v1/contacts/{id}/export", format!("/api/v1/contacts/{c}/export"), 404, Member(404)),
        case("POST", "/api/v1/contacts/{id}/erase", format!("/api/v1/contacts/{c}/erase"), 404, Admin),
        case("GET", "/api/v1/contacts/{id}/timeline", format!("/api/v1/contacts/{contact}/timeline"), 404, Member(404)),
        case("GET", "/api/v1/contacts/{id}/summary", format!("/api/v1/contacts/{contact}/summary"), 404, Member(404)),
        case("GET", "/api/v1/organizations/{id}/timeline", format!("/api/v1/organizations/{organization}/timeline"), 404, Member(200)),
        case("GET", "/api/v1/organizations/{id}/summary", format!("/api/v1/organizations/{organization}/summary"), 404, Member(200)),
        case("PATCH", "/api/v1/contacts/{id}", format!("/api/v1/contacts/{c}"), 404, Member(404)).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/contacts/{id}", format!("/api/v1/contacts/{c}"), 404, Member(404)),
        case("GET", "/api/v1/organizations", "/api/v1/organizations", 200, Member(200)),
        case("POST", "/api/v1/organizations", "/api/v1/organizations", 201, Member(201)).json(json!({"name": "x"})),
        case("GET", "/api/v1/organizations/export", "/api/v1/organizations/export", 200, Member(200)),
        case("POST", "/api/v1/organizations/import", "/api/v1/organizations/import", 200, Member(200)).csv("Name\nImported Co\n"),
        case("GET", "/api/v1/organizations/{id}", format!("/api/v1/organizations/{o}"), 404, Member(200)),
        case("PATCH", "/api/v1/organizations/{id}", format!("/api/v1/organizations/{o}"), 404, Member(412)).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/organizations/{id}", format!("/api/v1/organizations/{o}"), 404, Member(412)),
        case("GET", "/api/v1/reports/win-rate", "/api/v1/reports/win-rate", 200, Member(200)),
        case("GET", "/api/v1/reports/stage-conversion", format!("/api/v1/reports/stage-conversion?pipeline_id={p}"), 404, Member(200)),
        case("GET", "/api/v1/reports/funnel", "/api/v1/reports/funnel", 200, Member(200)),
        case("GET", "/api/v1/reports/forecast", "/api/v1/reports/forecast", 200, Member(200)),
        case("GET", "/api/v1/reports/revenue", "/api/v1/reports/revenue", 200, Member(200)),
        case("GET", "/api/v1/reports/rfm", "/api/v1/reports/rfm?source=won_deals", 200, Member(200)),
        case("GET", "/api/v1/reports/lost-reasons", "/api/v1/reports/lost-reasons", 200, Member(200)),
        case("GET", "/api/v1/reports/leaderboard", "/api/v1/reports/leaderboard", 200, Member(200)),
        case("GET", "/api/v1/reports/rotting", "/api/v1/reports/rotting", 200, Member(200)),
        case("GET", "/api/v1/reports/cohorts", "/api/v1/reports/cohorts", 200, Member(200)),
        case("GET", "/api/v1/views", "/api/v1/views", 200, Member(200)),
        case("POST", "/api/v1/views", "/api/v1/views", 201, Member(201)).json(json!({"entity": "contacts", "name": "x"})),
        case("GET", "/api/v1/views/{id}", format!("/api/v1/views/{vw}"), 404, Member(404)),
        case("PATCH", "/api/v1/views/{id}", format!("/api/v1/views/{vw}"), 404, Member(404)).json(json!({"name": "mine now"})),
        case("DELETE", "/api/v1/views/{id}", format!("/api/v1/views/{vw}"), 404, Member(404)),
        case("GET", "/api/v1/views/{id}/contacts/export", format!("/api/v1/views/{vw}/contacts/export"), 404, Member(404)),
        case("GET", "/api/v1/automations", "/api/v1/automations", 200, Manager),
        case("POST", "/api/v1/automations", "/api/v1/automations", 201, Manager)
            .json(json!({"name": "x", "trigger": {"type": "deal.won"}, "actions": [{"type": "add_tag", "tag": "x"}]})),
        case("GET", "/api/v1/automations/{id}", format!("/api/v1/automations/{au}"), 404, Manager),
        case("PATCH", "/api/v1/automations/{id}", format!("/api/v1/automations/{au}"), 404, Manager).json(json!({"name": "mine now"})),
        case("DELETE", "/api/v1/automations/{id}", format!("/api/v1/automations/{au}"), 404, Manager),
        case("GET", "/api/v1/automations/{id}/runs", format!("/api/v1/automations/{au}/runs"), 404, Manager),
        case("POST", "/api/v1/automations/{id}/test", format!("/api/v1/automations/{au}/test"), 404, Manager).json(json!({"record_id": d})),
        case("GET", "/api/v1/audit", format!("/api/v1/audit?entity_id={d}"), 200, Admin),
        // The email log is for admins and managers; members send to what they see.
        case("GET", "/api/v1/emails", "/api/v1/emails", 200, Manager),
        case("GET", "/api/v1/emails/{id}", format!("/api/v1/emails/{em}"), 404, Manager),
        case("POST", "/api/v1/contacts/{id}/emails", format!("/api/v1/contacts/{ec}/emails"), 404, Member(404))
            .json(json!({"subject": "x", "body": "y"})),
        case("POST", "/api/v1/deals/{id}/emails", format!("/api/v1/deals/{d}/emails"), 404, Member(404))
            .json(json!({"subject": "x", "body": "y"})),
        case("GET", "/api/v1/email-templates", "/api/v1/email-templates", 200, Member(200)),
        case("POST", "/api/v1/email-templates", "/api/v1/email-templates", 201, Manager)
            .json(json!({"name": "x", "locale": "en", "subject": "s", "body": "b"})),
        case("GET", "/api/v1/email-templates/{id}", format!("/api/v1/email-templates/{et}"), 404, Member(200)),
        case("PATCH", "/api/v1/email-templates/{id}", format!("/api/v1/email-templates/{et}"), 404, Manager).json(json!({"name": "x"})),
        case("DELETE", "/api/v1/email-templates/{id}", format!("/api/v1/email-templates/{et}"), 404, Manager),
        // Previews with a record render it only when the caller sees it.
        case("POST", "/api/v1/email-templates/{id}/preview", format!("/api/v1/email-templates/{et}/preview"), 404, Member(404))
            .json(json!({"contact_id": ec})),
        // A ticket reads as its holder; what a stream then sends is covered by stream.rs.
        case("POST", "/api/v1/stream/tickets", "/api/v1/stream/tickets", 201, Member(201)),
        // Opened with a ticket, not a bearer token (stream.rs: bad, used and expired tickets).
        case("GET", "/api/v1/stream", "/api/v1/stream", 0, Public),
    ];

    // Every operation of the document has exactly one case, and every case is an operation.
    let document: Value = serde_json::from_str(&kariz_api::openapi::document_json()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let covered: BTreeSet<(String, String)> = cases.iter().map(|c| (c.method.to_owned(), c.template.to_owned())).collect();
    assert_eq!(covered.len(), cases.len(), "an operation has two cases");
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(missing.is_empty(), "operations of the OpenAPI document without an authorization case: {missing:?}");
    let unknown: Vec<_> = covered.difference(&documented).collect();
    assert!(unknown.is_empty(), "cases of operations the document does not have: {unknown:?}");

    let everything_of_a = [
        ("workspace", alice.workspace_id.as_str()),
        ("user", u.as_str()),
        ("member", mia.user_id.as_str()),
        ("pipeline", p.as_str()),
        ("quote", qt.as_str()),
        ("invoice", iv.as_str()),
        ("stage", s.as_str()),
        ("deal", d.as_str()),
        ("member's deal", md.as_str()),
        ("webhook", w.as_str()),
        ("delivery", delivery.as_str()),
        ("lead", l.as_str()),
        ("member's lead", ml.as_str()),
        ("product", pr.as_str()),
        ("qualified lead", q.as_str()),
        ("opportunity", op.as_str()),
        ("api key", k.as_str()),
        ("custom field", f.as_str()),
        ("exchange rate", x.as_str()),
        ("lost reason", lr.as_str()),
        ("lost reason", "A's reason"),
        ("contact", c.as_str()),
        ("organization", o.as_str()),
        ("activity", a.as_str()),
        ("task template", t.as_str()),
        ("attachment", at.as_str()),
        ("view", vw.as_str()),
        ("view", "A's view"),
        ("automation", au.as_str()),
        ("automation", "A's rule"),
        ("email", em.as_str()),
        ("email template", et.as_str()),
        ("mailed contact", ec.as_str()),
        ("email address", "mailed@a.test"),
        ("qualified contact", contact.as_str()),
        ("qualified organization", organization.as_str()),
        ("deal", "A's deal"),
        ("lead", "A's lead"),
        ("contact", "A's contact"),
        ("task", "A's task"),
        ("task template", "A's follow-up"),
    ];
    let hidden_from_mia = [
        ("admin's quote", qt.as_str()),
        ("admin's invoice", iv.as_str()),
        ("admin's deal", d.as_str()),
        ("admin's qualified deal", qd.as_str()),
        ("admin's lead", l.as_str()),
        ("admin's qualified lead", q.as_str()),
        ("opportunity of the admin's lead", op.as_str()),
        ("activity on the admin's lead", a.as_str()),
        ("activity on the admin's deal", da.as_str()),
        ("admin's deal", "A's deal"),
        ("admin's lead", "A's lead"),
        ("admin's task", "A's task"),
        ("task on the admin's deal", "A's call"),
        ("admin's contact", c.as_str()),
        ("contact of the admin's lead", contact.as_str()),
        ("admin's contact", "A's contact"),
        ("admin's personal view", vw.as_str()),
        ("admin's personal view", "A's view"),
        ("admin's mailed contact", ec.as_str()),
        ("email to the admin's contact", em.as_str()),
        ("address of the admin's contact", "mailed@a.test"),
    ];

    for case in &cases {
        if matches!(case.access, Public) {
            continue;
        }
        // No token, no entry.
        case.send(&app, None).await.problem(401);

        let reply = case.send(&app, Some(&bob.token)).await;
        assert_eq!(reply.status, case.outsider, "outsider: {} {}: {}", case.method, case.path, reply.text);
        assert_no_leak("outsider", case, &reply, &everything_of_a);

        let reply = case.send(&app, Some(&mia.token)).await;
        let expected = match case.access {
            Admin | Manager => 403,
            Member(status) => status,
            Public => unreachable!(),
        };
        assert_eq!(reply.status, expected, "member: {} {}: {}", case.method, case.path, reply.text);
        assert_no_leak("member", case, &reply, &hidden_from_mia);

        if matches!(case.access, Admin) {
            let reply = case.send(&app, Some(&max.token)).await;
            assert_eq!(reply.status, 403, "manager: {} {}: {}", case.method, case.path, reply.text);
        }
    }

    // Ids of hidden objects inside bodies and queries are unknown too.
    let create = app.post("/api/v1/deals").token(&bob.token).json(json!({"title": "x", "pipeline_id": p})).send().await;
    assert_eq!(create.error_fields(), ["pipeline_id"]);
    let into_a = app.move_deal(&bob, &bob_deal, json!({"stage_id": s})).await;
    assert_eq!(into_a.error_fields(), ["stage_id"]);
    let beside_a = app.move_deal(&bob, &bob_deal, json!({"stage_id": stage_id(&bob_pipeline, 0), "before_id": d})).await;
    assert_eq!(beside_a.error_fields(), ["before_id"]);
    let mia_deal = json!({"id": md, "version": 1});
    let beside_hidden = app.move_deal(&mia, &mia_deal, json!({"stage_id": s, "before_id": d})).await;
    assert_eq!(beside_hidden.error_fields(), ["before_id"]);
    let owner_a = app
        .patch(&format!("/api/v1/deals/{}", id(&bob_deal)))
        .token(&bob.token)
        .if_match(1)
        .json(json!({"owner_id": alice.user_id}))
        .send()
        .await;
    assert_eq!(owner_a.error_fields(), ["owner_id"]);
    let merge_a =
        app.post(&format!("/api/v1/leads/{bob_lead}/merge")).token(&bob.token).json(json!({"other_id": l, "dry_run": true})).send().await;
    assert_eq!(merge_a.error_fields(), ["other_id"]);
    let merge_hidden =
        app.post(&format!("/api/v1/leads/{ml}/merge")).token(&mia.token).json(json!({"other_id": l, "dry_run": true})).send().await;
    assert_eq!(merge_hidden.error_fields(), ["other_id"]);
    let link_a = json!({"contact_id": contact, "create_deal": false});
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(link_a).send().await;
    assert_eq!(qualify_a.error_fields(), ["contact_id"]);
    let link_a = json!({"organization_id": organization, "create_deal": false});
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(link_a).send().await;
    assert_eq!(qualify_a.error_fields(), ["organization_id"]);
    let qualify_a = app.post(&format!("/api/v1/leads/{bob_lead}/qualify")).token(&bob.token).json(json!({"pipeline_id": p})).send().await;
    assert_eq!(qualify_a.error_fields(), ["pipeline_id"]);
    for (field, link) in [("lead_id", &l), ("contact_id", &c), ("organization_id", &o), ("deal_id", &d)] {
        let body = json!({"kind": "call", "subject": "x", field: link});
        let linked_to_a = app.post("/api/v1/activities").token(&bob.token).json(body).send().await;
        assert_eq!(linked_to_a.error_fields(), [field]);
    }
    for (field, link) in [("lead_id", &l), ("deal_id", &d)] {
        let body = json!({"kind": "call", "subject": "x", field: link});
        let linked_to_hidden = app.post("/api/v1/activities").token(&mia.token).json(body).send().await;
        assert_eq!(linked_to_hidden.error_fields(), [field]);
    }
    let for_alice = json!({"kind": "call", "subject": "x", "lead_id": bob_lead, "owner_id": alice.user_id});
    assert_eq!(app.post("/api/v1/activities").token(&bob.token).json(for_alice).send().await.error_fields(), ["owner_id"]);
    let filtered = format!("/api/v1/activities?deal_id={d}");
    assert!(app.get(&filtered).token(&mia.token).send().await.ok(200)["data"].as_array().unwrap().is_empty());

    // What the member does see: their own deal and lead, in lists, on the board and in reports.
    let titles = |listed: &Value, key: &str| -> Vec<String> {
        listed["data"].as_array().unwrap().iter().map(|item| item[key].as_str().unwrap().to_owned()).collect()
    };
    let deals = app.get(&format!("/api/v1/deals?pipeline_id={p}")).token(&mia.token).send().await.ok(200).clone();
    assert_eq!(titles(&deals, "title"), ["x", "Mia's deal"]);
    let board = app.get(&format!("/api/v1/pipelines/{p}/board")).token(&mia.token).send().await.ok(200).clone();
    let counted: i64 = board["columns"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
    assert_eq!(counted, 2);
    let forecast = app.get("/api/v1/reports/forecast").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(forecast["undated"]["open_deals"].as_i64(), Some(2));
    let leads = app.get("/api/v1/leads?sort=created_at").token(&mia.token).send().await.ok(200).clone();
    assert_eq!(titles(&leads, "name"), ["Mia's lead", "x", "Imported"]);
    // A manager sees everyone's.
    app.get(&format!("/api/v1/deals/{d}")).token(&max.token).send().await.ok(200);
    app.get(&format!("/api/v1/opportunities/{op}")).token(&max.token).send().await.ok(200);
    let forecast = app.get("/api/v1/reports/forecast").token(&max.token).send().await.ok(200).clone();
    assert_eq!(forecast["undated"]["open_deals"].as_i64(), Some(4));

    // A's data is untouched by all of the above.
    let hook_now = app.get(&format!("/api/v1/webhooks/{w}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((hook_now["active"].as_bool(), hook_now["version"].as_i64()), (Some(true), Some(1)));
    let still = app.deal(&alice, &d).await;
    assert_eq!((still["title"].as_str(), still["version"].as_i64(), still["status"].as_str()), (Some("A's deal"), Some(1), Some("open")));
    let a_lead = app.get(&format!("/api/v1/leads/{l}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_lead["name"].as_str(), a_lead["version"].as_i64(), a_lead["status"].as_str()), (Some("A's lead"), Some(1), Some("new")));
    let a_task = app.get(&format!("/api/v1/activities/{a}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_task["subject"].as_str(), a_task["version"].as_i64()), (Some("A's task"), Some(1)));
    let a_pipeline = app.get(&format!("/api/v1/pipelines/{p}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_pipeline["name"].as_str(), a_pipeline["stages"].as_array().unwrap().len()), (Some("Sales"), 3));
    let a_contact = app.get(&format!("/api/v1/contacts/{c}")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_contact["name"].as_str(), a_contact["version"].as_i64()), (Some("A's contact"), Some(1)));
    let a_templates = app.get(&format!("/api/v1/stages/{s}/task-templates")).token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_templates["data"][0]["subject"], "A's follow-up");
    let a_keys = app.get("/api/v1/api-keys").token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_keys["data"].as_array().unwrap().len(), 1);
    let a_users = app.get("/api/v1/users").token(&alice.token).send().await.ok(200).clone();
    assert_eq!(a_users["data"].as_array().unwrap().len(), 3);
    let a_workspace = app.get("/api/v1/workspace").token(&alice.token).send().await.ok(200).clone();
    assert_eq!((a_workspace["name"].as_str(), a_workspace["deal_visibility"].as_str()), (Some("A"), Some("owner_and_managers")));
}
