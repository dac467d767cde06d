//! The browser's refresh token lives in a cookie that scripts cannot read (`HttpOnly`), sent only
//! to the refresh and sign-out routes (`Path=/api/v1/auth`), only by this site
//! (`SameSite=Strict`) and only over https (`Secure`; plain http is allowed on loopback, for
//! development and tests). A page's script (the SPA) asks for it by marking its requests with
//! `X-Requested-With`; the token then goes into the cookie and not into the answer's body.
//!
//! Cross-site request forgery: a cookie goes along with requests whatever page made them, so a
//! refresh or sign-out by cookie also needs `X-Requested-With`, which no form can send and no
//! other site's script may send without a CORS preflight that this server never approves.
//! `SameSite=Strict` already keeps the cookie off cross-site requests; the header is the second
//! lock. API clients keep sending `refresh_token` in the body and get it back in the body.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};

use crate::error::ApiError;

pub const COOKIE: &str = "kariz_refresh";
pub const PATH: &str = "/api/v1/auth";
pub const CSRF_HEADER: &str = "x-requested-with";

/// Whether the caller is a page's script that keeps its refresh token in the cookie.
pub fn wants_cookie(req: &HttpRequest) -> bool {
    req.headers().get(CSRF_HEADER).is_some_and(|value| !value.is_empty())
}

/// The refresh token the request presents: the body's, or else the cookie's, which counts only
/// together with `X-Requested-With`.
pub fn presented(req: &HttpRequest, in_body: Option<String>) -> Result<Option<String>, ApiError> {
    if let Some(token) = in_body {
        return Ok(Some(token));
    }
    let Some(token) = cookie(req) else { return Ok(None) };
    if !wants_cookie(req) {
        return Err(ApiError::Forbidden("a refresh by cookie needs the `X-Requested-With` header (CSRF protection)".to_owned()));
    }
    Ok(Some(token))
}

fn cookie(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Over https always; over plain http only to a loopback host, where no one is in between.
fn secure(req: &HttpRequest) -> bool {
    let info = req.connection_info();
    if info.scheme() == "https" {
        return true;
    }
    let host = info.host();
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    !(name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()))
}

/// The `Set-Cookie` value that keeps `token` for `max_age_seconds`, or, with no token, forgets it.
pub fn set_cookie(req: &HttpRequest, token: Option<&str>, max_age_seconds: i64) -> HeaderValue {
    let secure = if secure(req) { "; Secure" } else { "" };
    let (value, max_age) = match token {
        Some(token) => (token, max_age_seconds),
        None => ("", 0),
    };
    let cookie = format!("{COOKIE}={value}; Path={PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("kariz_refresh=; Path=/api/v1/auth; Max-Age=0"))
}
