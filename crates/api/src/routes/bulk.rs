//! Bulk actions: one action on up to 500 deals, leads or contacts. Each item goes through the
//! single-item store operation (`update_deal`, `move_deal`, `disqualify_lead`, …) in its own
//! unit of work, so it is authorized, versioned, audited and announced exactly as the single-item
//! request would be, and one refused item leaves the others applied. The answer lists every
//! item's outcome in request order.

use std::collections::{BTreeMap, HashSet};

use actix_web::{HttpResponse, post, web};
use kariz_domain::{
    ContactId, ContactPatch, DealId, DealPatch, DisqualifyNote, DisqualifyReason, LeadId, LeadPatch, StageId, Tags, UserId,
};
use kariz_persistence::StoreError;
use kariz_persistence::deals::MoveDeal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::errors::WriteErrors;
use crate::error::{ApiError, ErrorCode, FieldCode};
use crate::extract::ValidJson;
use crate::state::AppState;
use crate::vocabulary as vocab;

/// The most ids one bulk request names.
pub const MAX_BULK_IDS: usize = 500;

/// What to do to each deal.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DealBulkAction {
    /// Give each deal to a member of your workspace.
    Assign { owner_id: Uuid },
    /// Add a tag (kept once, whatever its case).
    Tag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Remove a tag, whatever its case.
    Untag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Move each deal to the end of this stage's column; a deal of another pipeline, or a closed
    /// one, is `invalid`.
    Move { stage_id: Uuid },
    /// Delete each; tagged as `{"type": "delete"}` and nothing else.
    Delete {},
}

/// What to do to each lead.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LeadBulkAction {
    /// Give each lead to a member of your workspace.
    Assign { owner_id: Uuid },
    /// Add a tag (kept once, whatever its case).
    Tag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Remove a tag, whatever its case.
    Untag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Disqualify each lead with this reason.
    Disqualify {
        #[schema(schema_with = vocab::disqualify_reason)]
        reason: DisqualifyReason,
        #[schema(max_length = 1000)]
        note: Option<String>,
    },
    /// Delete each lead; a qualified one is `invalid`.
    Delete {},
}

/// What to do to each contact.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ContactBulkAction {
    /// Give each contact to a member of your workspace.
    Assign { owner_id: Uuid },
    /// Add a tag (kept once, whatever its case).
    Tag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Remove a tag, whatever its case.
    Untag {
        #[schema(min_length = 1, max_length = 50, example = "vip")]
        tag: String,
    },
    /// Delete each; tagged as `{"type": "delete"}` and nothing else.
    Delete {},
}

macro_rules! bulk_request {
    ($name:ident, $action:ty, $what:literal) => {
        #[doc = concat!("The ", $what, ", the action, and optionally the version each was read at.")]
        #[derive(Deserialize, Validate, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// 1 to 500 distinct ids; the results come in this order.
            #[validate(length(min = 1, max = 500))]
            #[schema(min_items = 1, max_items = 500)]
            pub ids: Vec<Uuid>,
            pub action: $action,
            /// The version you read of some or all items, by id: an item at another version is a
            /// `conflict` and is left as it is. An item without one is changed as it is now.
            #[serde(default)]
            pub versions: BTreeMap<Uuid, i64>,
        }

        impl $name {
            /// Refuses repeated ids (a 422 naming `ids`), so that each item is answered once.
            fn check(&self) -> Result<(), ApiError> {
                let mut seen = HashSet::with_capacity(self.ids.len());
                match self.ids.iter().position(|id| !seen.insert(*id)) {
                    Some(at) => Err(ApiError::validation(format!("ids.{at}"), FieldCode::Unique, "each id at most once")),
                    None => Ok(()),
                }
            }
        }
    };
}

bulk_request!(DealBulkRequest, DealBulkAction, "deals");
bulk_request!(LeadBulkRequest, LeadBulkAction, "leads");
bulk_request!(ContactBulkRequest, ContactBulkAction, "contacts");

/// How one item fared.
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BulkItemStatus {
    /// Done (or nothing to do: the item already was so).
    Ok,
    /// No such item in your workspace, or one hidden from you.
    NotFound,
    /// The item changed since the version you sent (`version` is its current one), or
    /// concurrently; nothing was written to it.
    Conflict,
    /// The action does not apply to this item (`code` says why: a closed deal, a stage of
    /// another pipeline, a qualified lead, an owner who is not a member, too many tags, …).
    Invalid,
    /// Your role may not do this to this item.
    Forbidden,
}

/// One item's outcome.
#[derive(Serialize, ToSchema)]
pub struct BulkItemResult {
    pub id: Uuid,
    pub status: BulkItemStatus,
    /// Why, when not `ok`: the code the single-item request would have answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The item's version after the action (absent once deleted); for a `conflict`, its current one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResponse {
    /// One per id, in request order.
    pub results: Vec<BulkItemResult>,
}

/// One item's outcome from its store call. A database that fails stops the batch (503 or 500):
/// the items before it are applied, and sending the batch again is safe with `versions`.
fn outcome(id: Uuid, result: Result<Option<i64>, StoreError>) -> Result<BulkItemResult, ApiError> {
    let error = match result {
        Ok(version) => return Ok(BulkItemResult { id, status: BulkItemStatus::Ok, code: None, detail: None, version }),
        Err(err) => ApiError::from(err),
    };
    let code = error.code();
    let status = match code {
        ErrorCode::Internal | ErrorCode::Unavailable => return Err(error),
        ErrorCode::NotFound => BulkItemStatus::NotFound,
        ErrorCode::Forbidden | ErrorCode::ScopeMissing => BulkItemStatus::Forbidden,
        ErrorCode::VersionMismatch | ErrorCode::NeighboursMoved => BulkItemStatus::Conflict,
        _ => BulkItemStatus::Invalid,
    };
    let version = match &error {
        ApiError::StaleVersion { current, .. } => Some(*current),
        _ => None,
    };
    // A field error names the item's field; its message is the detail.
    let detail = match &error {
        ApiError::Validation(fields) => fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    };
    Ok(BulkItemResult { id, status, code: Some(code), detail: Some(detail), version })
}

fn parse_tag(raw: &str) -> Result<String, ApiError> {
    kariz_domain::tags::Tag::parse(raw).map_err(|e| ApiError::validation("action.tag", FieldCode::Invalid, e.to_string()))
}

/// An action, its input parsed once for every item; `Only` is what one kind alone has (a deal's
/// move, a lead's disqualification; nothing for contacts).
enum Step<Only> {
    Assign(UserId),
    Retag { tag: String, adding: bool },
    Only(Only),
    Delete,
}

fn answer(results: Vec<BulkItemResult>) -> HttpResponse {
    HttpResponse::Ok().json(BulkResponse { results })
}

/// Apply one action to up to 500 deals: assign, tag, untag, move (to the end of a stage's
/// column) or delete. Each deal is changed as `PATCH /deals/{id}`, `POST /deals/{id}/move` or
/// `DELETE /deals/{id}` would change it — in its own transaction, with its audit entry and
/// events — and answered in `results`, in request order; one refused deal leaves the others
/// applied. A tag change reads the deal and writes it at the version read (or the one in
/// `versions`); a deal that already is as asked is left unwritten.
#[utoipa::path(tag = "bulk", security(("bearer" = [])), request_body = DealBulkRequest,
    responses((status = 200, description = "Each deal's outcome", body = BulkResponse), WriteErrors))]
#[post("/deals/bulk")]
pub async fn bulk_deals(state: web::Data<AppState>, auth: Caller, body: ValidJson<DealBulkRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.check()?;
    let step = match body.action {
        DealBulkAction::Assign { owner_id } => Step::Assign(UserId::from(owner_id)),
        DealBulkAction::Tag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: true },
        DealBulkAction::Untag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: false },
        DealBulkAction::Move { stage_id } => Step::Only(StageId::from(stage_id)),
        DealBulkAction::Delete {} => Step::Delete,
    };
    let mut results = Vec::with_capacity(body.ids.len());
    for &id in &body.ids {
        let (deal_id, version) = (DealId::from(id), body.versions.get(&id).copied());
        let result = match &step {
            Step::Assign(owner_id) => {
                let patch = DealPatch { owner_id: Some(*owner_id), ..DealPatch::default() };
                state.store.update_deal(&auth, deal_id, version, patch).await.map(|r| Some(r.version))
            }
            Step::Retag { tag, adding } => match state.store.deal(&auth, deal_id).await {
                Err(err) => Err(err),
                Ok(current) => match retagged(current.deal.tags(), tag, *adding) {
                    Err(err) => Err(err),
                    Ok(tags) if &tags == current.deal.tags() => unchanged("deal", version, current.version),
                    Ok(tags) => {
                        let patch = DealPatch { tags: Some(tags), ..DealPatch::default() };
                        let version = version.or(Some(current.version));
                        state.store.update_deal(&auth, deal_id, version, patch).await.map(|r| Some(r.version))
                    }
                },
            },
            Step::Only(stage_id) => {
                let target = MoveDeal { stage_id: *stage_id, before_id: None, after_id: None };
                state.store.move_deal(&auth, deal_id, version, target, auth.user_id).await.map(|r| Some(r.version))
            }
            Step::Delete => state.store.delete_deal(&auth, deal_id, version).await.map(|()| None),
        };
        results.push(outcome(id, result)?);
    }
    Ok(answer(results))
}

/// Apply one action to up to 500 leads: assign, tag, untag, disqualify or delete, each lead as
/// its single-item request would (`PATCH /leads/{id}`, `POST /leads/{id}/disqualify`,
/// `DELETE /leads/{id}`): its own transaction, re-score, audit entry and events. A tag change
/// reads the lead and writes it at the version read (or the one in `versions`).
#[utoipa::path(tag = "bulk", security(("bearer" = [])), request_body = LeadBulkRequest,
    responses((status = 200, description = "Each lead's outcome", body = BulkResponse), WriteErrors))]
#[post("/leads/bulk")]
pub async fn bulk_leads(state: web::Data<AppState>, auth: Caller, body: ValidJson<LeadBulkRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.check()?;
    let step = match body.action {
        LeadBulkAction::Assign { owner_id } => Step::Assign(UserId::from(owner_id)),
        LeadBulkAction::Tag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: true },
        LeadBulkAction::Untag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: false },
        LeadBulkAction::Disqualify { reason, note } => {
            let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(DisqualifyNote::parse).transpose();
            Step::Only((reason, note.map_err(|e| ApiError::validation("action.note", FieldCode::Invalid, e.to_string()))?))
        }
        LeadBulkAction::Delete {} => Step::Delete,
    };
    let mut results = Vec::with_capacity(body.ids.len());
    for &id in &body.ids {
        let (lead_id, version) = (LeadId::from(id), body.versions.get(&id).copied());
        let result = match &step {
            Step::Assign(owner_id) => {
                let patch = LeadPatch { owner_id: Some(Some(*owner_id)), ..LeadPatch::default() };
                state.store.update_lead(&auth, lead_id, version, patch).await.map(|r| Some(r.version))
            }
            Step::Retag { tag, adding } => match state.store.lead(&auth, lead_id).await {
                Err(err) => Err(err),
                Ok(current) => match retagged(&current.lead.fields().tags, tag, *adding) {
                    Err(err) => Err(err),
                    Ok(tags) if tags == current.lead.fields().tags => unchanged("lead", version, current.version),
                    Ok(tags) => {
                        let patch = LeadPatch { tags: Some(tags), ..LeadPatch::default() };
                        let version = version.or(Some(current.version));
                        state.store.update_lead(&auth, lead_id, version, patch).await.map(|r| Some(r.version))
                    }
                },
            },
            Step::Only((reason, note)) => {
                state.store.disqualify_lead(&auth, lead_id, version, *reason, note.clone()).await.map(|r| Some(r.version))
            }
            Step::Delete => state.store.delete_lead(&auth, lead_id, version).await.map(|()| None),
        };
        results.push(outcome(id, result)?);
    }
    Ok(answer(results))
}

/// Apply one action to up to 500 contacts: assign, tag, untag or delete, each contact as
/// `PATCH /contacts/{id}` or `DELETE /contacts/{id}` would: its own transaction, audit entry and
/// events. A tag change reads the contact and writes it at the version read (or the one in
/// `versions`).
#[utoipa::path(tag = "bulk", security(("bearer" = [])), request_body = ContactBulkRequest,
    responses((status = 200, description = "Each contact's outcome", body = BulkResponse), WriteErrors))]
#[post("/contacts/bulk")]
pub async fn bulk_contacts(
    state: web::Data<AppState>,
    auth: Caller,
    body: ValidJson<ContactBulkRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.check()?;
    let step: Step<std::convert::Infallible> = match body.action {
        ContactBulkAction::Assign { owner_id } => Step::Assign(UserId::from(owner_id)),
        ContactBulkAction::Tag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: true },
        ContactBulkAction::Untag { tag } => Step::Retag { tag: parse_tag(&tag)?, adding: false },
        ContactBulkAction::Delete {} => Step::Delete,
    };
    let mut results = Vec::with_capacity(body.ids.len());
    for &id in &body.ids {
        let (contact_id, version) = (ContactId::from(id), body.versions.get(&id).copied());
        let result = match &step {
            Step::Assign(owner_id) => {
                let patch = ContactPatch { owner_id: Some(Some(*owner_id)), ..ContactPatch::default() };
                state.store.update_contact(&auth, contact_id, version, patch).await.map(|r| Some(r.version))
            }
            Step::Retag { tag, adding } => match state.store.contact(&auth, contact_id).await {
                Err(err) => Err(err),
                Ok(current) => match retagged(&current.contact.fields().tags, tag, *adding) {
                    Err(err) => Err(err),
                    Ok(tags) if tags == current.contact.fields().tags => unchanged("contact", version, current.version),
                    Ok(tags) => {
                        let patch = ContactPatch { tags: Some(tags), ..ContactPatch::default() };
                        let version = version.or(Some(current.version));
                        state.store.update_contact(&auth, contact_id, version, patch).await.map(|r| Some(r.version))
                    }
                },
            },
            Step::Only(never) => match *never {},
            Step::Delete => state.store.delete_contact(&auth, contact_id, version).await.map(|()| None),
        };
        results.push(outcome(id, result)?);
    }
    Ok(answer(results))
}

/// An item the action leaves as it is: nothing is written (a lead would otherwise leave `new`),
/// but a version sent must still be the current one.
fn unchanged(entity: &'static str, expected: Option<i64>, current: i64) -> Result<Option<i64>, StoreError> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::StaleVersion { entity, current }),
        _ => Ok(Some(current)),
    }
}

/// The tags with `tag` added or removed; too many tags is the item's field error.
fn retagged(tags: &Tags, tag: &str, adding: bool) -> Result<Tags, StoreError> {
    if adding {
        tags.with(tag).map_err(|e| StoreError::InvalidFields(vec![("tags".to_owned(), e.to_string())]))
    } else {
        Ok(tags.without(tag))
    }
}
