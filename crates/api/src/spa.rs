//! Serving the built SPA: hashed assets cached for a year, `index.html` for client routes (only
//! to GET and HEAD: any other method on a page is a 405), never a source map. `index.html` is
//! answered with its Content-Security-Policy and a fresh nonce for the style elements the
//! drag-and-drop library inserts (it reads the nonce from the page's `csp-nonce` meta tag).

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::http::Method;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::state::AppState;

/// Registers the SPA's routes under `/`; call after every API route.
pub fn configure(web_dir: PathBuf) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let assets = web_dir.join("assets");
        if assets.is_dir() {
            cfg.service(
                web::scope("/assets")
                    .wrap(DefaultHeaders::new().add((CACHE_CONTROL, "public, max-age=31536000, immutable")))
                    // Source maps are not built for production; should one be there, it is not served.
                    .service(Files::new("", assets).path_filter(|path, _| !is_source_map(path))),
            );
        }
        cfg.app_data(web::Data::new(SpaDir(web_dir)));
    }
}

pub struct SpaDir(pub PathBuf);

/// A file at the root of the build (favicon, …) or else `index.html`, never cached.
pub async fn fallback(req: HttpRequest, dir: web::Data<SpaDir>, state: web::Data<AppState>) -> actix_web::Result<HttpResponse> {
    if let Some(err) = crate::allowed_methods::method_not_allowed(&req, &state.openapi) {
        return Err(err.into());
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let method = req.method().to_string();
        return Err(ApiError::MethodNotAllowed { method, allow: "GET, HEAD".to_owned() }.into());
    }
    let relative = req.path().trim_start_matches('/');
    if is_source_map(Path::new(relative)) {
        return Err(ApiError::not_found("file").into());
    }
    let file = safe_join(&dir.0, relative).filter(|p| p.is_file());
    let mut response = match file {
        Some(file) => NamedFile::open_async(file).await?.into_response(&req),
        None => index_page(&dir.0).await?,
    };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// The placeholder `index.html` holds where the page's nonce goes.
const NONCE_PLACEHOLDER: &str = "__KARIZ_CSP_NONCE__";

/// `index.html` with a fresh nonce, and the policy that allows exactly it.
async fn index_page(dir: &Path) -> actix_web::Result<HttpResponse> {
    let html = tokio::fs::read_to_string(dir.join("index.html")).await?;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let nonce = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((CONTENT_SECURITY_POLICY, crate::security_headers::spa_policy(&nonce)))
        .body(html.replace(NONCE_PLACEHOLDER, &nonce)))
}

fn is_source_map(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "map")
}

/// Joins a request path under `root`, refusing anything that could escape it.
fn safe_join(root: &Path, relative: &str) -> Option<PathBuf> {
    if relative.is_empty() || relative.split('/').any(|part| part == ".." || part.starts_with('.') || part.contains('\\')) {
        return None;
    }
    Some(root.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape_the_build() {
        let root = Path::new("/srv/web");
        assert_eq!(safe_join(root, "favicon.svg"), Some(PathBuf::from("/srv/web/favicon.svg")));
        assert_eq!(safe_join(root, "../etc/passwd"), None);
        assert_eq!(safe_join(root, "a/../../x"), None);
        assert_eq!(safe_join(root, ".env"), None);
        assert_eq!(safe_join(root, ""), None);
    }
}
