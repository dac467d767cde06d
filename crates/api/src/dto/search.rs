//! Global search's answer.

use kariz_persistence::global_search::{HitKind, SearchHit};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// What a hit is.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum SearchHitType {
    Deal,
    Lead,
    Contact,
    Organization,
}

impl From<HitKind> for SearchHitType {
    fn from(kind: HitKind) -> Self {
        match kind {
            HitKind::Deal => SearchHitType::Deal,
            HitKind::Lead => SearchHitType::Lead,
            HitKind::Contact => SearchHitType::Contact,
            HitKind::Organization => SearchHitType::Organization,
        }
    }
}

/// One record found.
#[derive(Serialize, ToSchema)]
pub struct SearchHitResponse {
    #[serde(rename = "type")]
    pub hit_type: SearchHitType,
    pub id: Uuid,
    /// The deal's title, or the lead's, contact's or organization's name.
    pub title: String,
    /// A deal's stage; a lead's or contact's email, else phone (a lead's company last); an
    /// organization's web domain.
    pub subtitle: Option<String>,
    /// A deal's pipeline (its board); absent for other hits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<Uuid>,
}

impl From<&SearchHit> for SearchHitResponse {
    fn from(hit: &SearchHit) -> Self {
        SearchHitResponse {
            hit_type: hit.kind.into(),
            id: hit.id,
            title: hit.title.clone(),
            subtitle: hit.subtitle.clone(),
            pipeline_id: hit.pipeline_id,
        }
    }
}

/// The hits, best first: a whole field matching the query, then a word starting with it, then
/// the query anywhere; within each, deals, leads, contacts, organizations; then the most
/// recently changed.
#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    pub data: Vec<SearchHitResponse>,
}
