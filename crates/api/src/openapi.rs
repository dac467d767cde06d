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
        crate::webhook_docs::ActivityEventData,
    )),
    tags(
        (name = "auth", description = "Sign-up, sign-in, tokens and the current user"),
        (name = "users", description = "Adding members to your workspace and changing their roles (admins)"),
        (name = "workspace", description = "Your workspace and who sees its deals and leads"),
        (name = "pipelines", description = "Pipelines, stages and the kanban board"),
        (name = "deals", description = "Deals: the cards on the board"),
        (name = "contacts", description = "Contacts: the people you sell to, their segments and important dates"),
        (name = "organizations", description = "Organizations: the companies your contacts belong to"),
        (name = "leads", description = "The lead inbox: capture, scoring, duplicates, qualification, CSV"),
        (name = "intake", description = "Lead intake for web forms and integrations, with an API key"),
        (name = "opportunities", description = "Qualified leads and their deals"),
        (name = "activities", description = "Calls, meetings, emails, notes and tasks, and your agenda"),
        (name = "api-keys", description = "API keys for integrations"),
        (name = "custom-fields", description = "Workspace-defined fields of leads, contacts and organizations"),
        (name = "reports", description = "Sales reports computed in the database, and the exchange rates that convert their money"),
        (name = "webhooks", description = "Webhook subscriptions, deliveries, and the events they carry"),
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
                    .description(Some("An API key made by an admin (`POST /api-keys`), also accepted as `X-Api-Key`"))
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
    document_unavailable(&mut doc);
    doc
}

/// The document as committed in `openapi/openapi.json`: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
