//! Your calendar feed: a secret URL that calendar applications poll for your open activities
//! with a due time and the important dates of the customers you own.
//!
//! The URL's token is derived from the feed's id with the server's secret (HMAC-SHA256 under
//! `KARIZ_JWT_SECRET`), so that `GET /me/calendar` can show it again, while the database keeps
//! only the token's SHA-256: a copy of the database alone opens no feed. Rotating makes a new
//! feed (the old URL stops working); revoking removes it. Changing the server secret changes
//! every feed's URL (the old ones stop working).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Days, Utc};
use hmac::{Hmac, Mac};
use kariz_domain::dates::{Calendar, DateKind};
use kariz_persistence::calendar::{CalendarContent, CalendarFeed};
use serde::Serialize;
use sha2::Sha256;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{AuthUser, refresh_token_hash};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::ics::Ics;
use crate::state::AppState;

/// Your calendar feed.
#[derive(Serialize, ToSchema)]
pub struct CalendarFeedResponse {
    /// The feed's secret address for a calendar application (`null`: you have none; make one
    /// with `POST /me/calendar/rotate`). Anyone with it reads your feed: keep it private.
    #[schema(example = "https://crm.example/api/v1/calendar/3q2-7wEjyR8V0eFH5l0c0mS8ouYX0qMxYsWbtgT2Zp8.ics")]
    pub url: Option<String>,
    /// The same, as a path on this server.
    pub path: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
}

/// The token of feed `id`: HMAC-SHA256 of its id under the server's secret, base64url.
fn feed_token(state: &AppState, id: Uuid) -> Result<String, ApiError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.settings.jwt_secret.as_bytes())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("calendar token key: {e}")))?;
    mac.update(b"kariz calendar feed ");
    mac.update(id.as_bytes());
    Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

fn describe(req: &HttpRequest, state: &AppState, feed: Option<CalendarFeed>) -> Result<CalendarFeedResponse, ApiError> {
    let Some(feed) = feed else { return Ok(CalendarFeedResponse { url: None, path: None, created_at: None }) };
    let path = format!("/api/v1/calendar/{}.ics", feed_token(state, feed.id)?);
    let info = req.connection_info();
    let url = format!("{}://{}{path}", info.scheme(), info.host());
    Ok(CalendarFeedResponse { url: Some(url), path: Some(path), created_at: Some(feed.created_at) })
}

/// Your calendar feed's URL, if you have one.
#[utoipa::path(tag = "calendar", security(("bearer" = [])),
    responses((status = 200, description = "Your feed", body = CalendarFeedResponse), ReadErrors))]
#[get("/me/calendar")]
pub async fn get_calendar_feed(req: HttpRequest, state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let feed = state.store.calendar_feed(auth.workspace_id, auth.user_id).await?;
    Ok(HttpResponse::Ok().json(describe(&req, &state, feed)?))
}

/// Make your calendar feed, or a new one in place of the old (whose URL stops working).
/// Audited as `calendar_feed.created` (and `calendar_feed.revoked` for the old one).
#[utoipa::path(tag = "calendar", security(("bearer" = [])),
    responses((status = 200, description = "Your new feed", body = CalendarFeedResponse), WriteErrors))]
#[post("/me/calendar/rotate")]
pub async fn rotate_calendar_feed(req: HttpRequest, state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let id = Uuid::now_v7();
    let token_hash = refresh_token_hash(&feed_token(&state, id)?);
    let feed = state.store.rotate_calendar_feed(auth.workspace_id, auth.user_id, id, token_hash).await?;
    Ok(HttpResponse::Ok().json(describe(&req, &state, Some(feed))?))
}

/// Revoke your calendar feed: its URL answers 404 from now on.
#[utoipa::path(tag = "calendar", security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), WriteErrors))]
#[delete("/me/calendar")]
pub async fn revoke_calendar_feed(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    state.store.revoke_calendar_feed(auth.workspace_id, auth.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A calendar feed (iCalendar), for calendar applications: its user's open activities with a
/// due time (events of 30 minutes at the due time) and the important dates of the customers they
/// own (all-day events on each occurrence of the next two years; a Jalali date on the Gregorian
/// day it falls on that year). The token is the credential; a revoked or unknown one answers 404.
#[utoipa::path(tag = "calendar", params(("token" = String, Path, description = "The feed's secret token")),
    responses(
        (status = 200, description = "The calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "No such feed (revoked, rotated or never made)", content_type = "application/problem+json",
            body = crate::error::Problem)))]
#[get("/calendar/{token}.ics", wrap = "actix_web::middleware::from_fn(crate::rate_limit::calendar_per_ip)")]
pub async fn calendar_ics(state: web::Data<AppState>, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("calendar not found".to_owned());
    let token = token.into_inner();
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(not_found());
    }
    let feed = state.store.calendar_feed_by_token(&refresh_token_hash(&token)).await?.ok_or_else(not_found)?;
    let user = state.store.user(feed.workspace_id, feed.user_id).await?;
    let content = state.store.calendar_content(feed.workspace_id, feed.user_id).await?;
    let body = render(&content, &user.name, user.locale == "fa", state.store.now());
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, "inline; filename=\"kariz.ics\""))
        .body(body))
}

/// The words of the feed in its user's language.
fn date_title(kind: DateKind, label: Option<&str>, name: &str, years: Option<i32>, persian: bool) -> String {
    let what = match (kind, persian) {
        (DateKind::Birthday, false) => "Birthday".to_owned(),
        (DateKind::Birthday, true) => "تولد".to_owned(),
        (DateKind::Anniversary, false) => "Anniversary".to_owned(),
        (DateKind::Anniversary, true) => "سالگرد".to_owned(),
        (DateKind::Founding, false) => "Founding anniversary".to_owned(),
        (DateKind::Founding, true) => "سالگرد تأسیس".to_owned(),
        (DateKind::Custom, _) => label.unwrap_or(if persian { "مناسبت" } else { "Date" }).to_owned(),
    };
    match years {
        Some(years) if persian => format!("{what}: {name} ({})", persian_digits(&years.to_string())),
        Some(years) => format!("{what}: {name} ({years})"),
        None => format!("{what}: {name}"),
    }
}

fn persian_digits(text: &str) -> String {
    text.chars().map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x06F0 + d)).unwrap_or(c)).collect()
}

/// The feed as iCalendar text.
fn render(content: &CalendarContent, user_name: &str, persian: bool, now: DateTime<Utc>) -> String {
    let mut ics = Ics::new();
    ics.raw("BEGIN", "VCALENDAR")
        .raw("VERSION", "2.0")
        .raw("PRODID", "-//Kariz//Calendar feed//EN")
        .raw("CALSCALE", "GREGORIAN")
        .raw("METHOD", "PUBLISH")
        .text("X-WR-CALNAME", &format!("Kariz — {user_name}"))
        .text("X-WR-TIMEZONE", content.time_zone.as_str())
        .raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
        .raw("X-PUBLISHED-TTL", "PT1H");
    for record in &content.activities {
        let activity = &record.activity;
        let Some(due_at) = activity.due_at() else { continue };
        ics.raw("BEGIN", "VEVENT")
            .raw("UID", &format!("activity-{}@kariz", record.id.as_uuid()))
            .instant("DTSTAMP", now)
            .instant("DTSTART", due_at)
            .instant("DTEND", due_at + chrono::Duration::minutes(30))
            .text("SUMMARY", activity.subject().as_str())
            .text("CATEGORIES", activity.kind().as_str());
        if let Some(body) = activity.body() {
            ics.text("DESCRIPTION", &kariz_domain::notification::without_mention_markup(body.as_str()));
        }
        ics.raw("END", "VEVENT");
    }
    for (date, id) in content.dates.iter().zip(&content.date_ids) {
        let title = date_title(date.date.kind, date.date.label.as_ref().map(|l| l.as_str()), &date.name, date.years, persian);
        ics.raw("BEGIN", "VEVENT")
            .raw("UID", &format!("date-{id}-{}@kariz", date.on.format("%Y%m%d")))
            .instant("DTSTAMP", now)
            .date("DTSTART", date.on)
            .date("DTEND", date.on.checked_add_days(Days::new(1)).unwrap_or(date.on))
            .text("SUMMARY", &title)
            .raw("TRANSP", "TRANSPARENT")
            .text("CATEGORIES", date.date.kind.as_str());
        if date.date.date.calendar() == Calendar::Jalali {
            let jalali = kariz_domain::dates::jalali(date.on);
            let written = format!("{}/{}/{}", jalali.year(), jalali.month(), jalali.day());
            ics.text(
                "DESCRIPTION",
                &if persian { format!("تقویم جلالی: {}", persian_digits(&written)) } else { format!("Jalali: {written}") },
            );
        }
        ics.raw("END", "VEVENT");
    }
    ics.raw("END", "VCALENDAR");
    ics.finish()
}
