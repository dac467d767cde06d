//! The OpenAPI 3.1 document: the paths come from the route table; this adds what surrounds them.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kariz API",
        description = "The Kariz sales-pipeline CRM. JSON over HTTP; errors are RFC 9457 problem+json; \
                       updates carry the version you read (If-Match) and a stale one is refused with 412.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    modifiers(&BearerAuth),
    components(schemas(
        Problem,
        FieldError,
        crate::webhook_docs::DealEventData,
        crate::webhook_docs::FieldChange,
        crate::webhook_docs::DealUpdatedData,
        crate::webhook_docs::DealStageChangedData,
        crate::webhook_docs::DealLostData,
        crate::webhook_docs::PingData,
        crate::webhook_docs::LeadEventData,
        crate::webhook_docs::LeadUpdatedData,
        crate::webhook_docs::LeadQualifiedData,
        crate::webhook_docs::LeadDisqualifiedData,
        crate::webhook_docs::LeadDeletedData,
        crate::webhook_docs::OpportunityEventData,
        crate::webhook_docs::ContactEventData,
        crate::webhook_docs::ContactErasedData,
        crate::webhook_docs::LeadErasedData,
        crate::webhook_docs::ActivityEventData,
        crate::webhook_docs::AttachmentEventData,
        crate::webhook_docs::ProductEventData,
        crate::webhook_docs::ProductUpdatedData,
        crate::webhook_docs::QuoteEventData,
        crate::webhook_docs::InvoiceEventData,
        crate::webhook_docs::PaymentRecordedData,
        crate::webhook_docs::NotificationEventData,
        crate::webhook_docs::EmailEventData,
    )),
    tags(
        (name = "auth", description = "Sign-up, sign-in, tokens and the current user"),
        (name = "users", description = "Adding members to your workspace and changing their roles (admins)"),
        (name = "workspace", description = "Your workspace and who sees its deals and leads"),
        (name = "pipelines", description = "Pipelines, stages and the kanban board"),
        (name = "search", description = "One search box over deals, leads, contacts and organizations"),
        (name = "tags", description = "The tags in use on deals, leads, contacts and organizations, with their counts"),
        (name = "deals", description = "Deals: the cards on the board"),
        (name = "attachments", description = "Files kept with deals, contacts, organizations and leads"),
        (name = "contacts", description = "Contacts: the people you sell to, their segments and important dates"),
        (name = "organizations", description = "Organizations: the companies your contacts belong to"),
        (name = "views", description = "Saved views of the deal, lead, contact and organization lists, personal or shared; a contacts view is an exportable segment"),
        (name = "bulk", description = "One action on up to 500 deals, leads or contacts, each applied and answered on its own"),
        (name = "leads", description = "The lead inbox: capture, scoring, duplicates, qualification, CSV"),
        (name = "intake", description = "Lead intake for web forms and integrations, with an API key"),
        (name = "opportunities", description = "Qualified leads and their deals"),
        (name = "activities", description = "Calls, meetings, emails, notes and tasks, and your agenda"),
        (name = "notifications", description = "Your notifications (assignments, mentions, reminders) and how you are told"),
        (name = "calendar", description = "Your calendar feed: a secret iCalendar URL of your tasks and your customers' important dates"),
        (name = "api-keys", description = "API keys for integrations"),
        (name = "custom-fields", description = "Workspace-defined fields of leads, contacts, organizations and deals"),
        (name = "lost-reasons", description = "The workspace's managed reasons for losing a deal"),
        (name = "products", description = "The product catalogue, and the line items of deals priced from it"),
        (name = "quotes", description = "Pre-invoices made from a deal's lines: gapless numbers, revisions, sending and the customer's answer"),
        (name = "invoices", description = "Invoices from accepted quotes or deals: gapless numbers when issued, payments, voiding"),
        (name = "reports", description = "Sales reports computed in the database, and the exchange rates that convert their money"),
        (name = "stream", description = "The live event stream: the webhook events of your workspace as server-sent events, resumable"),
        (name = "automations", description = "Rules that act when a deal or lead changes: trigger, conditions, actions, and the log of their runs"),
        (name = "emails", description = "Emails sent over SMTP: the log, sending to a contact or a deal's contact, and templates with placeholders"),
        (name = "webhooks", description = "Webhook subscriptions, deliveries, and the events they carry"),
        (name = "audit", description = "The audit log: every change of business data, who made it and what changed"),
        (name = "operations", description = "Probes and metrics"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("kz_… API key")
                    .description(Some(
                        "An API key made by an admin (`POST /api-keys`), also accepted as `X-Api-Key`. It acts as the admin \
                         who made it, within its scopes: `read` for GET, `write` for changes, `admin` also for admin-only \
                         operations (API keys, webhooks, custom fields, scoring rules, exchange rates, users and workspace \
                         settings), `intake` for `POST /intake/leads` only. A missing scope is a 403 naming it; an unknown, \
                         revoked or expired key is a 401.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Documents the request headers that the route table declares by name only: `Idempotency-Key`
/// on every authenticated POST (see `idempotency.rs`), and the grammar of `If-Match` wherever it
/// is read (see `extract.rs`). It applies to the collected paths, so it runs after the route
/// table is read.
fn document_headers(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    for (path, item) in openapi.paths.paths.iter_mut() {
        // Intake is keyed by the person (email or phone) instead: a repeat attaches.
        let idempotent = path.starts_with("/api/v1/") && !path.starts_with("/api/v1/auth/") && !path.starts_with("/api/v1/intake/");
        if let (true, Some(operation)) = (idempotent, item.post.as_mut()) {
            let parameter = ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .description(Some(
                    "Any unique string (≤ 255 visible ASCII characters). A retry with the same key and the same \
                     request within 24 hours gets the first successful response again (`idempotent-replayed: true`); \
                     the key on a different request is a 422; while the first is still running, a 409.",
                ))
                .schema(Some(
                    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255)).pattern(Some("^[!-~]+$")),
                ))
                .build();
            operation.parameters.get_or_insert_with(Vec::new).push(parameter.into());
        }
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && parameter.name == "If-Match"
                {
                    parameter.schema =
                        Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(crate::extract::IF_MATCH_PATTERN)).into());
                    parameter.description.get_or_insert_with(|| {
                        "The version you read: the `ETag` of the object (`\"3\"`), or `*` for whatever is current.".to_owned()
                    });
                }
            }
        }
    }
}

/// Operations limited per client IP although they take no token.
const LIMITED_BY_IP: [&str; 4] = ["/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/auth/refresh", "/api/v1/calendar/{token}.ics"];

/// Every operation that takes an access token also takes an API key with the scope its method
/// needs (see `auth::required_scope`), and every rate-limited operation documents its 429 and
/// the `RateLimit` headers. Applied to the collected paths, like the idempotency key.
fn document_keys_and_rate_limits(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Ref, RefOr, SecurityRequirement};
    let components = openapi.components.get_or_insert_with(Default::default);
    components.responses.insert("TooManyRequests".to_owned(), RefOr::T(too_many_requests()));
    components.responses.insert("ScopeMissing".to_owned(), RefOr::T(scope_missing()));
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [
            ("read", item.get.as_mut()),
            ("read", item.head.as_mut()),
            ("write", item.post.as_mut()),
            ("write", item.put.as_mut()),
            ("write", item.patch.as_mut()),
            ("write", item.delete.as_mut()),
        ];
        for (scope, operation) in operations {
            let Some(operation) = operation else { continue };
            let security = operation.security.as_mut().filter(|security| !security.is_empty());
            let authenticated = security.is_some();
            if let Some(security) = security
                && security.contains(&SecurityRequirement::new("bearer", Vec::<String>::new()))
            {
                security.push(SecurityRequirement::new("api_key", [scope]));
            }
            let responses = &mut operation.responses.responses;
            if authenticated {
                responses.entry("403".to_owned()).or_insert_with(|| RefOr::Ref(Ref::from_response_name("ScopeMissing")));
            }
            if authenticated || LIMITED_BY_IP.contains(&path.as_str()) {
                responses.insert("429".to_owned(), RefOr::Ref(Ref::from_response_name("TooManyRequests")));
            }
        }
    }
}

fn too_many_requests() -> utoipa::openapi::Response {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let header = |kind: Type, description: &str| {
        HeaderBuilder::new().schema(Some(ObjectBuilder::new().schema_type(kind))).description(Some(description)).build()
    };
    ResponseBuilder::new()
        .description(
            "Too many requests: a rate limit was reached (or, on sign-in, too many wrong passwords for one email); \
             nothing was done. Wait `Retry-After` seconds. Every answer of a rate-limited operation carries \
             `RateLimit-Policy` and `RateLimit`.",
        )
        .header("Retry-After", header(Type::Integer, "Seconds until a request is allowed again"))
        .header(
            "RateLimit-Policy",
            header(
                Type::String,
                "The limits that apply, as `\"<policy>\";q=<requests>;w=<window seconds>`, comma-separated: `user` or \
                 `api-key` on authenticated operations, and per client IP `sign-in`, `signup`, `refresh` or `intake`",
            ),
        )
        .header(
            "RateLimit",
            header(Type::String, "Each limit's state, as `\"<policy>\";r=<remaining requests>;t=<seconds until all are available again>`"),
        )
        .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
}

fn scope_missing() -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description("Your role, or the API key's scopes, do not allow this; the problem names what is missing")
        .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
}

/// Documents the 503 every API operation answers while the database is unreachable, out of
/// connections or past the statement timeout (nothing was written; `Retry-After` says when to
/// try again). One shared response component, referenced from each operation.
fn document_unavailable(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let response = ResponseBuilder::new()
        .description("The database is unavailable or timed out; nothing was changed. Retry after `Retry-After` seconds.")
        .header("Retry-After", HeaderBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))).build())
        .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build();
    openapi.components.get_or_insert_with(Default::default).responses.insert("Unavailable".to_owned(), response.into());
    for (path, item) in openapi.paths.paths.iter_mut() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            operation.responses.responses.insert("503".to_owned(), Ref::from_response_name("Unavailable").into());
        }
    }
}

pub(crate) fn base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc.webhooks = Some(crate::webhook_docs::webhooks());
    doc
}

/// The document, built from the same route table the server runs.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new().into_utoipa_app().openapi(base()).configure(crate::routes::register).split_for_parts();
    document_headers(&mut doc);
    document_keys_and_rate_limits(&mut doc);
    document_unavailable(&mut doc);
    doc
}

/// The document as committed in `openapi/openapi.json`: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
