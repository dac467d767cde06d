//! Files kept with a deal, a contact, an organization or a lead. Uploads are `multipart/form-data`
//! streamed into the database a chunk at a time, never held whole; downloads stream back the
//! same way and are always offered as attachments, never rendered inline.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::TryStreamExt;
use kariz_domain::{AttachmentId, AttachmentTarget, ContactId, DealId, FileName, LeadId, MediaType, OrganizationId, UploadLimits, Viewer};
use kariz_persistence::Store;
use kariz_persistence::attachments::AttachmentRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::body_deadline::body_error;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode};
use crate::state::AppState;

pub use kariz_contract::AttachmentResponse;

/// Bytes written per chunk row: large enough for few rows, small enough to hold one in memory.
const CHUNK_BYTES: usize = 256 * 1024;
/// What a link field (a UUID) may take, and the multipart framing around the file.
const FIELD_BYTES: usize = 64;
const FRAMING_BYTES: u64 = 64 * 1024;

/// The form of an upload. Send the link before the file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// Exactly one of `deal_id`, `contact_id`, `organization_id` and `lead_id`.
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    lead_id: Option<Uuid>,
    /// The file, with its name in the part's `filename`; at most 25 MiB by default.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentListQuery {
    /// Exactly one of `deal_id`, `contact_id`, `organization_id` and `lead_id`.
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub data: Vec<AttachmentResponse>,
    pub next_cursor: Option<String>,
}

/// The four links as one target, or a 422 naming what is wrong.
fn target_of(
    deal: Option<Uuid>,
    contact: Option<Uuid>,
    organization: Option<Uuid>,
    lead: Option<Uuid>,
) -> Result<AttachmentTarget, ApiError> {
    AttachmentTarget::from_links(
        deal.map(DealId::from),
        contact.map(ContactId::from),
        organization.map(OrganizationId::from),
        lead.map(LeadId::from),
    )
    .map_err(|e| ApiError::validation("deal_id", FieldCode::Invalid, e.to_string()))
}

fn multipart_error(err: MultipartError, limit: usize) -> ApiError {
    match err {
        MultipartError::Payload(payload) => body_error(&payload, limit),
        other => ApiError::MalformedBody(format!("the multipart body could not be read: {other}")),
    }
}

/// The links read so far, before the file.
#[derive(Default)]
struct Links {
    deal: Option<Uuid>,
    contact: Option<Uuid>,
    organization: Option<Uuid>,
    lead: Option<Uuid>,
}

impl Links {
    fn slot(&mut self, name: &str) -> Option<&mut Option<Uuid>> {
        match name {
            "deal_id" => Some(&mut self.deal),
            "contact_id" => Some(&mut self.contact),
            "organization_id" => Some(&mut self.organization),
            "lead_id" => Some(&mut self.lead),
            _ => None,
        }
    }
}

/// A small text field's value.
async fn text_field(field: &mut Field, name: &'static str, limit: usize) -> Result<String, ApiError> {
    let mut value = Vec::new();
    while let Some(chunk) = field.try_next().await.map_err(|e| multipart_error(e, limit))? {
        value.extend_from_slice(&chunk);
        if value.len() > FIELD_BYTES {
            return Err(ApiError::validation(name, FieldCode::Invalid, "must be a UUID"));
        }
    }
    String::from_utf8(value).map_err(|_| ApiError::validation(name, FieldCode::Invalid, "must be a UUID"))
}

/// The file part's name: the UTF-8 `filename*` when sent, else `filename`.
fn file_name(field: &Field) -> Result<FileName, ApiError> {
    let disposition = field.content_disposition();
    let extended = disposition.and_then(|d| d.get_filename_ext()).and_then(|ext| String::from_utf8(ext.value.clone()).ok());
    let plain = disposition.and_then(|d| d.get_filename()).map(str::to_owned);
    let raw = extended.or(plain).unwrap_or_default();
    FileName::parse(&raw).map_err(|e| ApiError::validation("file", FieldCode::Invalid, e.to_string()))
}

/// Streams the file part into an open upload, chunk by chunk; returns its size and SHA-256.
async fn store_file(
    store: &Store,
    viewer: &Viewer,
    id: AttachmentId,
    field: &mut Field,
    limits: UploadLimits,
) -> Result<(u64, String), ApiError> {
    let limit = usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX);
    let (mut digest, mut size, mut seq, mut buffer) = (Sha256::new(), 0u64, 0i32, Vec::with_capacity(CHUNK_BYTES));
    while let Some(bytes) = field.try_next().await.map_err(|e| multipart_error(e, limit))? {
        size += bytes.len() as u64;
        limits.check_size(size).map_err(|_| ApiError::PayloadTooLarge { limit })?;
        digest.update(&bytes);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let take = (CHUNK_BYTES - buffer.len()).min(rest.len());
            buffer.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if buffer.len() == CHUNK_BYTES {
                store.append_chunk(viewer.workspace_id, id, seq, std::mem::replace(&mut buffer, Vec::with_capacity(CHUNK_BYTES))).await?;
                seq += 1;
            }
        }
    }
    if size == 0 {
        return Err(ApiError::validation("file", FieldCode::Required, "the file is empty"));
    }
    if !buffer.is_empty() {
        store.append_chunk(viewer.workspace_id, id, seq, buffer).await?;
    }
    Ok((size, digest.finalize().iter().map(|b| format!("{b:02x}")).collect()))
}

/// Attach a file to a deal, a contact, an organization or a lead (`multipart/form-data`: the
/// link field, then `file`). Larger than the limit (25 MiB by default) is 413 and nothing is
/// kept; so is a file the workspace's quota (1 GiB by default) has no room for
/// (`storage_quota_exceeded`).
#[utoipa::path(tag = "attachments", security(("bearer" = [])),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "Kept", body = AttachmentResponse, headers(("Location" = String))), WriteErrors))]
#[post("/attachments")]
pub async fn upload_attachment(
    state: web::Data<AppState>,
    auth: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limits = state.settings.attachment_limits;
    let limit = usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX);
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > limits.max_file_bytes + FRAMING_BYTES) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut links = Links::default();
    while let Some(mut field) = multipart.try_next().await.map_err(|e| multipart_error(e, limit))? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(slot) = links.slot(&name) {
            let field_name = match name.as_str() {
                "deal_id" => "deal_id",
                "contact_id" => "contact_id",
                "organization_id" => "organization_id",
                _ => "lead_id",
            };
            let value = text_field(&mut field, field_name, limit).await?;
            *slot = Some(value.trim().parse().map_err(|_| ApiError::validation(field_name, FieldCode::Invalid, "must be a UUID"))?);
            continue;
        }
        if name != "file" {
            return Err(ApiError::validation("file", FieldCode::Invalid, format!("unknown form field `{name}`")));
        }
        let target = target_of(links.deal, links.contact, links.organization, links.lead)?;
        let file_name = file_name(&field)?;
        let media_type = MediaType::declared(field.content_type().map(|m| m.essence_str()));
        let id = state.store.start_upload(&auth, target, file_name, media_type, limits).await?;
        let stored = store_file(&state.store, &auth, id, &mut field, limits).await;
        let (size, sha256) = match stored {
            Ok(done) => done,
            Err(err) => {
                state.store.abandon_upload(auth.workspace_id, id).await?;
                return Err(err);
            }
        };
        // Whatever follows the file is not read: the upload is complete.
        let kept = state.store.finish_upload(&auth, id, size, sha256, limits).await?;
        let location = format!("/api/v1/attachments/{}", kept.id);
        return Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(AttachmentResponse::from(&kept)));
    }
    Err(ApiError::validation("file", FieldCode::Required, "send the file in a part named `file`, after its link"))
}

/// The files kept with one deal, contact, organization or lead, newest first.
#[utoipa::path(tag = "attachments", security(("bearer" = [])), params(AttachmentListQuery),
    responses((status = 200, description = "A page of files", body = AttachmentList), ReadErrors))]
#[get("/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<AttachmentListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let target = target_of(query.deal_id, query.contact_id, query.organization_id, query.lead_id)
        .map_err(|_| ApiError::BadRequest("give exactly one of deal_id, contact_id, organization_id and lead_id".to_owned()))?;
    let page = state.store.attachments(&auth, target, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(AttachmentList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// A file's details.
#[utoipa::path(tag = "attachments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file's details", body = AttachmentResponse), ReadErrors))]
#[get("/attachments/{id}")]
pub async fn get_attachment(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let kept = state.store.attachment(&auth, AttachmentId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(AttachmentResponse::from(&kept)))
}

/// The `Content-Disposition` of a download: always an attachment, with the name in ASCII for old
/// clients and in UTF-8 (RFC 6266) for the rest.
fn disposition(file_name: &str) -> ContentDisposition {
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii.replace('"', "'")),
            DispositionParam::FilenameExt(header::ExtendedValue {
                charset: header::Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file_name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// Download a file. It is always offered as an attachment under its declared type, with
/// `nosniff` and a sandbox, so that no browser renders it as part of the app.
#[utoipa::path(tag = "attachments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream",
        headers(("Content-Disposition" = String), ("ETag" = String))), ReadErrors))]
#[get("/attachments/{id}/content")]
pub async fn attachment_content(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let kept: AttachmentRecord = state.store.attachment(&auth, AttachmentId::from(*id)).await?;
    let (store, workspace_id, id) = (state.store.clone(), auth.workspace_id, kept.id);
    let body = futures_util::stream::unfold(0i32, move |seq| {
        let store = store.clone();
        async move {
            match store.attachment_chunk(workspace_id, id, seq).await {
                Ok(Some(data)) => Some((Ok::<_, ApiError>(web::Bytes::from(data)), seq + 1)),
                Ok(None) => None,
                Err(err) => Some((Err(ApiError::from(err)), i32::MAX)),
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(kept.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition(&kept.file_name)))
        .insert_header((header::ETAG, format!("\"{}\"", kept.sha256)))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'"))
        .no_chunking(kept.size_bytes)
        .streaming(body))
}

/// Delete a file: your own, or any as a manager or an admin.
#[utoipa::path(tag = "attachments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/attachments/{id}")]
pub async fn delete_attachment(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    state.store.delete_attachment(&auth, AttachmentId::from(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
