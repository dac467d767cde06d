//! The webhook payloads, documented in the OpenAPI document's `webhooks` section. These types
//! describe what the outbox writes; the integration suite parses every received payload with
//! them (unknown fields refused), so the documentation cannot drift from what is sent.

use serde_json::{Value, json};
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Ref, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Required, ResponseBuilder, ResponsesBuilder};

pub use kariz_contract::events::*;

fn example_activity(done_at: Value) -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000e1", "kind": "call", "subject": "Call back about the fleet quote",
        "body": null, "lead_id": null, "contact_id": null, "organization_id": null,
        "deal_id": "01a20d5e-b3f0-7000-8000-000000000001", "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "priority": "high", "due_at": "2026-11-26T10:15:00Z", "done_at": done_at,
        "template_id": "01a20d5e-b3f0-7000-8000-0000000000f1", "created_by": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "version": 1, "created_at": "2026-11-24T10:15:00Z", "updated_at": "2026-11-24T10:15:00Z"
    })
}

fn example_lead() -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000a1", "name": "Sara Ahmadi", "email": "sara@pars-logistics.example",
        "phone": "+989121234567", "company": "Pars Logistics", "job_title": "CEO", "source": "exhibition",
        "campaign": "Iran Auto Show 1405", "medium": "booth 12", "owner_id": null, "status": "new", "disqualify_reason": null,
        "disqualify_note": null, "closed_at": null, "score": 40, "tags": ["fleet"], "notes": null, "custom_fields": {"fleet_size": 80},
        "submissions": 1, "opportunity_id": null, "version": 1, "created_at": "2026-11-24T10:15:00Z", "updated_at": "2026-11-24T10:15:00Z"
    })
}

fn example_deal() -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-000000000001", "pipeline_id": "01a20d5e-b3e9-718e-9da2-149340017d7b",
        "stage_id": "01a20d5e-b3ea-7000-8000-000000000003", "title": "Fleet renewal — Pars Logistics",
        "amount_minor": 250_000_000, "currency": "IRR", "probability": 60, "custom_probability": null,
        "weighted_amount_minor": 150_000_000, "expected_close_date": "2027-03-21", "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "status": "open", "lost_reason": null, "lost_reason_id": null, "closed_at": null, "position": "a3", "stage_entered_at": "2026-11-24T10:15:00Z",
        "opportunity_id": null, "contact_id": "01a20d5e-b3f0-7000-8000-0000000000c1",
        "organization_id": "01a20d5e-b3f0-7000-8000-0000000000d1", "tags": ["fleet"], "custom_fields": {"fleet_size": 40},
        "amount_from_lines": false, "version": 4, "created_at": "2026-11-20T08:00:00Z", "updated_at": "2026-11-24T10:15:00Z"
    })
}

/// (event type, data schema, summary, example data)
fn catalogue() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let deal = example_deal();
    vec![
        ("deal.created", "DealEventData", "A deal was opened", json!({"deal": deal})),
        (
            "deal.updated",
            "DealUpdatedData",
            "A deal's fields changed (each with its previous and current value)",
            json!({
                "deal": deal, "changes": [{"field": "amount_minor", "previous": 200_000_000, "current": 250_000_000}]
            }),
        ),
        (
            "deal.stage_changed",
            "DealStageChangedData",
            "A deal moved to another stage",
            json!({
                "deal": deal, "pipeline_id": deal["pipeline_id"], "from_stage_id": "01a20d5e-b3ea-7000-8000-000000000002",
                "to_stage_id": deal["stage_id"], "actor_id": deal["owner_id"], "changed_at": "2026-11-24T10:15:00Z"
            }),
        ),
        ("deal.won", "DealEventData", "A deal was won", json!({"deal": deal})),
        (
            "deal.lost",
            "DealLostData",
            "A deal was lost, for a managed reason (`reason_id`), with a note (`reason`), or both",
            json!({"deal": deal, "reason": "Chose a competitor on price", "reason_id": "01a20d5e-b3f0-7000-8000-0000000000e1"}),
        ),
        ("deal.reopened", "DealEventData", "A won or lost deal was reopened", json!({"deal": deal})),
        ("deal.deleted", "DealEventData", "A deal was deleted (the deal as it was)", json!({"deal": deal})),
        ("lead.created", "LeadEventData", "A lead was added (by hand, intake or import)", json!({"lead": example_lead()})),
        (
            "lead.updated",
            "LeadUpdatedData",
            "A lead changed (each changed field with its previous and current value)",
            json!({"lead": example_lead(), "changes": [{"field": "job_title", "previous": null, "current": "CEO"}]}),
        ),
        (
            "lead.qualified",
            "LeadQualifiedData",
            "A lead was qualified into an opportunity",
            json!({
                "lead": example_lead(), "opportunity_id": "01a20d5e-b3f0-7000-8000-0000000000b1",
                "contact_id": "01a20d5e-b3f0-7000-8000-0000000000c1", "organization_id": "01a20d5e-b3f0-7000-8000-0000000000d1",
                "deal_id": "01a20d5e-b3f0-7000-8000-000000000001"
            }),
        ),
        (
            "lead.disqualified",
            "LeadDisqualifiedData",
            "A lead was disqualified, with the reason",
            json!({"lead": example_lead(), "reason": "no_budget", "note": "Call again after Nowruz"}),
        ),
        ("lead.deleted", "LeadDeletedData", "A lead was deleted, or merged into another", json!({"lead": example_lead()})),
        (
            "lead.erased",
            "LeadErasedData",
            "A lead's personal data was erased everywhere Kariz keeps it (only the id is sent)",
            json!({"lead_id": "01a20d5e-b3f0-7000-8000-0000000000a1"}),
        ),
        (
            "opportunity.created",
            "OpportunityEventData",
            "A lead was qualified into this opportunity",
            json!({"opportunity": {
                "id": "01a20d5e-b3f0-7000-8000-0000000000b1", "title": "Pars Logistics", "lead_id": "01a20d5e-b3f0-7000-8000-0000000000a1",
                "contact_id": "01a20d5e-b3f0-7000-8000-0000000000c1", "organization_id": "01a20d5e-b3f0-7000-8000-0000000000d1",
                "need": "Tracking for 80 trucks", "budget_minor": 250_000_000, "budget_currency": "IRR", "timeline": "before Nowruz",
                "decision_maker": "Sara Ahmadi", "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009", "status": "open",
                "created_at": "2026-11-24T10:15:00Z", "updated_at": "2026-11-24T10:15:00Z"
            }}),
        ),
        (
            "contact.created",
            "ContactEventData",
            "A contact was created (by hand, or by qualifying a lead)",
            json!({"contact": {
                "id": "01a20d5e-b3f0-7000-8000-0000000000c1", "organization_id": "01a20d5e-b3f0-7000-8000-0000000000d1",
                "name": "Sara Ahmadi", "email": "sara@pars-logistics.example", "phone": "+989121234567", "job_title": "CEO",
                "address": null, "city": "Tehran", "country": "IR", "tags": ["fleet"], "custom_fields": {}, "notes": null,
                "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009", "important_dates": [], "version": 1,
                "created_at": "2026-11-24T10:15:00Z", "updated_at": "2026-11-24T10:15:00Z"
            }}),
        ),
        (
            "contact.erased",
            "ContactErasedData",
            "A contact's personal data was erased everywhere Kariz keeps it (only the id is sent)",
            json!({"contact_id": "01a20d5e-b3f0-7000-8000-0000000000c1"}),
        ),
        (
            "activity.created",
            "ActivityEventData",
            "An activity was logged or a task created (by hand, or by a stage's template when a deal entered it)",
            json!({"activity": example_activity(Value::Null)}),
        ),
        (
            "task.completed",
            "ActivityEventData",
            "An activity was marked done",
            json!({"activity": example_activity(json!("2026-11-25T16:40:00Z"))}),
        ),
        (
            "attachment.created",
            "AttachmentEventData",
            "A file was attached to a deal, contact, organization or lead",
            json!({"attachment": example_attachment()}),
        ),
        ("attachment.deleted", "AttachmentEventData", "An attached file was deleted", json!({"attachment": example_attachment()})),
        (
            "notification.created",
            "NotificationEventData",
            "A notification was created for a user. On the event stream only, and only to that user: never delivered to webhook subscriptions",
            json!({"notification": {
                "id": "01a20d5e-b3f0-7000-8000-0000000000b1", "user_id": "01a20d5e-b3e7-74c4-80ef-000000000009", "kind": "task_assigned",
                "data": {"actor": {"id": "01a20d5e-b3e7-74c4-80ef-00000000000a", "name": "Reza Karimi"},
                    "activity": {"id": "01a20d5e-b3f0-7000-8000-0000000000e1", "subject": "Call back about the fleet quote", "kind": "task", "due_at": "2026-11-26T10:15:00Z"}},
                "deal_id": "01a20d5e-b3f0-7000-8000-000000000001", "lead_id": null, "contact_id": null, "organization_id": null,
                "activity_id": "01a20d5e-b3f0-7000-8000-0000000000e1", "created_at": "2026-11-24T10:15:00Z", "read_at": null
            }}),
        ),
        ("email.sent", "EmailEventData", "An email was accepted by the SMTP server", json!({"email": example_email("sent", None)})),
        (
            "email.failed",
            "EmailEventData",
            "An email's last attempt failed, or it was not sent because no SMTP server is configured (`status` says which)",
            json!({"email": example_email("failed", Some("permanent error (550): 5.1.1 mailbox unavailable"))}),
        ),
        ("product.created", "ProductEventData", "A product was added to the catalogue", json!({"product": example_product()})),
        (
            "product.updated",
            "ProductUpdatedData",
            "A product changed, or was archived (`active` false) or restored (each changed field with its previous and current value)",
            json!({"product": example_product(), "changes": [{"field": "unit_price_minor", "previous": 12_000_000, "current": 12_500_000}]}),
        ),
        (
            "product.deleted",
            "ProductEventData",
            "A product no deal's lines use was deleted (the product as it was)",
            json!({"product": example_product()}),
        ),
        (
            "quote.created",
            "QuoteEventData",
            "A quote (pre-invoice) or a new revision of one was made from a deal's lines",
            json!({"quote": example_quote("draft")}),
        ),
        ("quote.sent", "QuoteEventData", "A quote was marked sent to the customer", json!({"quote": example_quote("sent")})),
        ("quote.accepted", "QuoteEventData", "The customer accepted a quote", json!({"quote": example_quote("accepted")})),
        ("quote.rejected", "QuoteEventData", "The customer rejected a quote", json!({"quote": example_quote("rejected")})),
        ("quote.expired", "QuoteEventData", "A draft or sent quote passed its last valid day", json!({"quote": example_quote("expired")})),
        (
            "quote.superseded",
            "QuoteEventData",
            "A newer revision replaced a draft or sent quote",
            json!({"quote": example_quote("superseded")}),
        ),
        (
            "invoice.created",
            "InvoiceEventData",
            "A draft invoice was made from an accepted quote or a deal's lines",
            json!({"invoice": example_invoice("draft", 0)}),
        ),
        ("invoice.issued", "InvoiceEventData", "An invoice was issued with its number", json!({"invoice": example_invoice("issued", 0)})),
        ("invoice.paid", "InvoiceEventData", "A payment settled an invoice", json!({"invoice": example_invoice("paid", 41_250_000)})),
        (
            "invoice.voided",
            "InvoiceEventData",
            "An issued invoice without payments was voided (it keeps its number)",
            json!({"invoice": example_invoice("void", 0)}),
        ),
        (
            "invoice.deleted",
            "InvoiceEventData",
            "A draft invoice was deleted (the invoice as it was)",
            json!({"invoice": example_invoice("draft", 0)}),
        ),
        (
            "payment.recorded",
            "PaymentRecordedData",
            "A payment was recorded against an invoice (the invoice as it is after it)",
            json!({"payment": example_payment(), "invoice": example_invoice("partially_paid", 10_000_000)}),
        ),
        ("ping", "PingData", "A test message", json!({"webhook_id": "01a20d5e-b3e7-74c4-80ef-00000000000a", "message": "ping"})),
    ]
}

fn example_email(status: &str, error: Option<&str>) -> Value {
    let sent = status == "sent";
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000e9", "to": "sara@pars-logistics.example",
        "subject": "پیشنهاد تمدید ناوگان", "text_body": "سارا عزیز،\nپیشنهاد ما ۲۵۰٬۰۰۰٬۰۰۰ ریال است.",
        "html_body": "<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">…</html>\n", "locale": "fa", "status": status,
        "attempts": if sent { 1 } else { 6 }, "next_attempt_at": null, "last_attempt_at": "2026-11-25T09:30:02Z",
        "last_error": error, "message_id": "<01a20d5e-b3f0-7000-8000-0000000000e9@kariz.example>",
        "deal_id": "01a20d5e-b3f0-7000-8000-000000000001", "contact_id": "01a20d5e-b3f0-7000-8000-0000000000c1", "lead_id": null,
        "template_id": "01a20d5e-b3f0-7000-8000-0000000000f2", "created_by": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "sent_at": if sent { json!("2026-11-25T09:30:02Z") } else { Value::Null },
        "created_at": "2026-11-25T09:30:00Z", "updated_at": "2026-11-25T09:30:02Z"
    })
}

fn example_product() -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000f7", "name": "GPS tracker T4", "sku": "GPS-T4", "unit": "pcs",
        "unit_price_minor": 12_500_000, "currency": "IRR", "tax_rate_bp": 1000, "active": true, "version": 2,
        "created_at": "2026-11-20T08:00:00Z", "updated_at": "2026-11-24T10:15:00Z"
    })
}

fn example_line() -> Value {
    json!({
        "product_id": "01a20d5e-b3f0-7000-8000-0000000000f7", "name": "GPS tracker T4", "unit": "pcs", "quantity": "3",
        "unit_price_minor": 12_500_000, "discount_bp": 0, "tax_rate_bp": 1000, "subtotal_minor": 37_500_000,
        "discount_minor": 0, "tax_minor": 3_750_000, "total_minor": 41_250_000
    })
}

fn example_buyer() -> Value {
    json!({
        "name": "شرکت نمونه‌سازان پارس", "organization": "Sara Ahmadi", "economic_code": "411111111111", "national_id": "10101234567",
        "registration_number": "12345", "postal_code": "1234567890", "address": "Tehran, Valiasr St. 12", "phone": "+982188776655",
        "email": "sara@pars-logistics.example"
    })
}

fn example_quote(status: &str) -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000a7", "deal_id": "01a20d5e-b3f0-7000-8000-000000000001",
        "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009", "number": "Q-1405-0007", "revision": 1, "revision_of": null,
        "status": status, "currency": "IRR", "quote_date": "2027-01-10", "valid_until": "2027-02-09", "lines": [example_line()],
        "subtotal_minor": 37_500_000, "discount_minor": 0, "tax_minor": 3_750_000, "total_minor": 41_250_000, "buyer": example_buyer(),
        "notes": null, "created_by": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "sent_at": if status == "draft" { Value::Null } else { json!("2027-01-10T09:00:00Z") },
        "answered_at": if matches!(status, "accepted" | "rejected") { json!("2027-01-12T10:00:00Z") } else { Value::Null },
        "version": 2, "created_at": "2027-01-10T08:30:00Z", "updated_at": "2027-01-12T10:00:00Z"
    })
}

fn example_payment() -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000b9", "invoice_id": "01a20d5e-b3f0-7000-8000-0000000000b7", "amount_minor": 10_000_000,
        "paid_at": "2027-01-20T11:00:00Z", "method": "bank_transfer", "reference": "SATNA-889911",
        "recorded_by": "01a20d5e-b3e7-74c4-80ef-000000000009", "created_at": "2027-01-20T11:05:00Z"
    })
}

fn example_invoice(status: &str, paid_minor: i64) -> Value {
    let issued = status != "draft";
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000b7", "deal_id": "01a20d5e-b3f0-7000-8000-000000000001",
        "owner_id": "01a20d5e-b3e7-74c4-80ef-000000000009", "quote_id": "01a20d5e-b3f0-7000-8000-0000000000a7",
        "number": if issued { json!("INV-1405-0012") } else { Value::Null }, "status": status, "currency": "IRR",
        "issued_on": if issued { json!("2027-01-13") } else { Value::Null }, "due_on": if issued { json!("2027-02-12") } else { Value::Null },
        "lines": [example_line()], "subtotal_minor": 37_500_000, "discount_minor": 0, "tax_minor": 3_750_000, "total_minor": 41_250_000,
        "paid_minor": paid_minor, "outstanding_minor": 41_250_000 - paid_minor, "buyer": example_buyer(),
        "seller": if issued { json!({"name": "Kariz Trading Co.", "organization": null, "economic_code": "411122223333", "national_id": "10320000000",
            "registration_number": "98765", "postal_code": "1111111111", "address": "Tehran", "phone": "+982100000000", "email": null}) } else { Value::Null },
        "notes": null, "created_by": "01a20d5e-b3e7-74c4-80ef-000000000009",
        "voided_at": if status == "void" { json!("2027-01-14T08:00:00Z") } else { Value::Null },
        "payments": if paid_minor > 0 { json!([example_payment()]) } else { json!([]) },
        "version": 3, "created_at": "2027-01-13T08:00:00Z", "updated_at": "2027-01-20T11:05:00Z"
    })
}

fn example_attachment() -> Value {
    json!({
        "id": "01a20d5e-b3f0-7000-8000-0000000000f1", "deal_id": "01a20d5e-b3e7-74c4-80ef-000000000001", "contact_id": null,
        "organization_id": null, "lead_id": null, "file_name": "quote-1405-017.pdf", "media_type": "application/pdf",
        "size_bytes": 48213, "sha256": "9f2c1e0b7a4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49",
        "uploaded_by": "01a20d5e-b3e7-74c4-80ef-000000000009", "created_at": "2026-11-25T09:30:00Z"
    })
}

fn header(name: &str, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

/// The `webhooks` section: one entry per event type, with its body schema, headers and example.
pub fn webhooks() -> utoipa::openapi::path::Paths {
    let mut paths = PathsBuilder::new();
    for (event_type, schema, summary, data) in catalogue() {
        let body_schema = ObjectBuilder::new()
            .property("type", ObjectBuilder::new().schema_type(Type::String).enum_values(Some([event_type])))
            .required("type")
            .property(
                "timestamp",
                ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .required("timestamp")
            .property(
                "schema_version",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .description(Some("The payload schema version (1); raised only for changes that could break a consumer"))
                    .enum_values(Some([1])),
            )
            .required("schema_version")
            .property("data", Ref::from_schema_name(schema))
            .required("data");
        let example = json!({"type": event_type, "timestamp": "2026-11-24T10:15:00.123Z", "schema_version": 1, "data": data});
        let operation = OperationBuilder::new()
            .summary(Some(summary))
            .description(Some(
                "Sent as an HTTP POST following the Standard Webhooks specification. Verify `webhook-signature` \
                 (HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with your secret) and deduplicate by \
                 `webhook-id`. Answer any 2xx within 15 s to acknowledge; anything else is retried (5 s, 5 min, \
                 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, ±20%); 410 Gone disables the subscription.",
            ))
            .tag("webhooks")
            .parameter(header("webhook-id", "The event id; the same on every retry"))
            .parameter(header("webhook-timestamp", "Unix seconds when this attempt was signed"))
            .parameter(header("webhook-signature", "`v1,<base64>` signatures, space-separated during a secret rotation"))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", ContentBuilder::new().schema(Some(body_schema)).example(Some(example)).build())
                    .build(),
            ))
            .responses(ResponsesBuilder::new().response("2XX", ResponseBuilder::new().description("Acknowledged")).build())
            .build();
        paths = paths.path(event_type, PathItem::new(HttpMethod::Post, operation));
    }
    paths.build()
}
