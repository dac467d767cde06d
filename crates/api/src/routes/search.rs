//! Global search over deals, leads, contacts and organizations (the header's search box).

use actix_web::{HttpResponse, get, web};
use kariz_persistence::global_search::{DEFAULT_HITS, MAX_HITS};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::dto::errors::ReadErrors;

use crate::dto::search::SearchResponse;
use crate::error::{ApiError, FieldCode, FieldError, Problem};
use crate::state::AppState;

/// Longest query, in characters after trimming.
const MAX_QUERY_CHARS: usize = 100;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// 1–100 characters (after trimming). Case, Arabic and Persian letter forms (ي/ی, ك/ک, ة/ه,
    /// أ/إ/آ/ا), Persian and Arabic-Indic digits, the zero-width non-joiner, diacritics and
    /// punctuation do not matter; a phone number is found by its digits however it is typed.
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// 1–50, default 20.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

/// Deals (by title), leads and contacts (by name, email, phone; a lead also by company) and
/// organizations (by name and web domain) that you may read, best first: a whole field equal
/// to the query, then a word starting with it, then the query anywhere; within each, deals,
/// leads, contacts, organizations; then the most recently changed.
#[utoipa::path(tag = "search", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, description = "The hits, best first", body = SearchResponse),
        (status = 422, description = "A blank or too long `q`, or a `limit` outside 1–50, each listed in `errors`",
            body = Problem, content_type = "application/problem+json"),
        ReadErrors))]
#[get("/search")]
pub async fn search(state: web::Data<AppState>, auth: Caller, query: web::Query<SearchQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut problems = Vec::new();
    let text = query.q.as_deref().unwrap_or("").trim();
    let chars = text.chars().count();
    if chars == 0 {
        problems.push(FieldError::new("q", FieldCode::Required, "type something to search for"));
    } else if chars > MAX_QUERY_CHARS {
        problems.push(FieldError::new("q", FieldCode::Length, format!("must be at most {MAX_QUERY_CHARS} characters")));
    }
    let limit = query.limit.unwrap_or(DEFAULT_HITS as i64);
    if !(1..=MAX_HITS as i64).contains(&limit) {
        problems.push(FieldError::new("limit", FieldCode::Range, format!("must be 1 to {MAX_HITS}")));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let hits = state.store.search(&auth, text, limit as u64).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(SearchResponse { data: hits.iter().map(Into::into).collect() }))
}
