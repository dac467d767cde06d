//! Serving the built SPA: hashed assets cached for a year, `index.html` for client routes.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::state::AppState;

/// Registers the SPA's routes under `/`; call after every API route.
pub fn configure(web_dir: PathBuf) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let assets = web_dir.join("assets");
        if assets.is_dir() {
            cfg.service(
                web::scope("/assets")
                    .wrap(DefaultHeaders::new().add((CACHE_CONTROL, "public, max-age=31536000, immutable")))
                    .service(Files::new("", assets)),
            );
        }
        cfg.app_data(web::Data::new(SpaDir(web_dir)));
    }
}

pub struct SpaDir(pub PathBuf);

/// A file at the root of the build (favicon, …) or else `index.html`, never cached.
pub async fn fallback(req: HttpRequest, dir: web::Data<SpaDir>, state: web::Data<AppState>) -> actix_web::Result<HttpResponse> {
    if let Some(err) = crate::routes::probes::method_not_allowed(&req, &state.openapi) {
        return Err(err.into());
    }
    let relative = req.path().trim_start_matches('/');
    let candidate = safe_join(&dir.0, relative).filter(|p| p.is_file()).unwrap_or_else(|| dir.0.join("index.html"));
    let mut response = NamedFile::open_async(candidate).await?.into_response(&req);
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
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
