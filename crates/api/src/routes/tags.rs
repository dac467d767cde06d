//! The tags in use in the workspace, for pickers and filters.

use actix_web::{HttpResponse, get, web};
use kariz_domain::custom_fields::FieldEntity;
use kariz_persistence::tags::TagCount;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::dto::errors::ReadErrors;
use crate::error::ApiError;
use crate::state::AppState;
use crate::vocabulary as vocab;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    /// Only the tags of `deal`, `lead`, `contact` or `organization` records; all four by default.
    #[param(schema_with = vocab::field_entity)]
    pub entity: Option<String>,
}

/// A tag and how many of the records you see carry it.
#[derive(Serialize, ToSchema)]
pub struct TagCountResponse {
    #[schema(example = "vip")]
    pub tag: String,
    #[schema(example = 12)]
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TagList {
    pub data: Vec<TagCountResponse>,
    /// Always `null`: the list is whole (at most 500 tags).
    pub next_cursor: Option<String>,
}

impl From<TagCount> for TagCountResponse {
    fn from(tag: TagCount) -> Self {
        TagCountResponse { tag: tag.tag, count: tag.count }
    }
}

/// The tags in use on the records you may read, each with how many carry it: the most used
/// first, then by name; at most 500. Tags that differ only in case count as one, as the `tag`
/// filters of the lists and the board match them.
#[utoipa::path(tag = "tags", security(("bearer" = [])), params(TagQuery),
    responses((status = 200, description = "The tags in use", body = TagList), ReadErrors))]
#[get("/tags")]
pub async fn list_tags(state: web::Data<AppState>, auth: Caller, query: web::Query<TagQuery>) -> Result<HttpResponse, ApiError> {
    let entity = match query.entity.as_deref() {
        None => None,
        Some(raw) => Some(FieldEntity::parse(raw).map_err(|e| ApiError::BadRequest(format!("entity {e}")))?),
    };
    let tags = state.store.tags_in_use(&auth, entity).await?;
    Ok(HttpResponse::Ok().json(TagList { data: tags.into_iter().map(Into::into).collect(), next_cursor: None }))
}
