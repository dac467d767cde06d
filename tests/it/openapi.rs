//! The committed OpenAPI document is the contract: it must match what the code generates.

use crate::helpers::{Engine, spawn_app};

#[test]
fn the_committed_openapi_document_is_up_to_date() {
    let generated = kariz_api::openapi::document_json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "openapi/openapi.json is not up to date with the code: run `make openapi` and commit the result");
}

#[test]
fn every_operation_documents_its_errors_and_is_tagged() {
    let document: serde_json::Value = serde_json::from_str(&kariz_api::openapi::document_json()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
            if path.starts_with("/api/v1/") {
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.keys().any(|status| status.starts_with('4')), "{method} {path} documents no error");
                for (status, response) in responses {
                    // Shared responses (403 for scopes, 429, 503) are references to the components.
                    let response = match response["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/responses/")) {
                        Some(name) => &document["components"]["responses"][name],
                        None => response,
                    };
                    if status.starts_with('4') {
                        assert!(
                            response["content"]["application/problem+json"].is_object(),
                            "{method} {path} {status} is not problem+json"
                        );
                    }
                }
            }
        }
    }
}

/// Every error code of the document is in the README's table with the status the server gives
/// it, and the table names no code the server does not have.
#[test]
fn the_readme_lists_every_error_code_with_its_status() {
    let document: serde_json::Value = serde_json::from_str(&kariz_api::openapi::document_json()).unwrap();
    let codes: Vec<&str> =
        document["components"]["schemas"]["ErrorCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let section =
        readme.split("- **Error codes**").nth(1).and_then(|rest| rest.split("\n- **").next()).expect("README.md has no error codes");
    let listed: Vec<(String, u16)> = section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let code = cells.first()?.strip_prefix('`')?.strip_suffix('`')?;
            Some((code.to_owned(), cells.get(1)?.parse().ok()?))
        })
        .collect();
    let listed_codes: Vec<&str> = listed.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(listed_codes, codes, "README.md's error-code table differs from the ErrorCode schema");
    for (code, status) in listed {
        let parsed: kariz_api::error::ErrorCode = serde_json::from_value(serde_json::Value::from(code.clone())).unwrap();
        assert_eq!(parsed.kind().0.as_u16(), status, "README.md gives `{code}` the wrong status");
    }
}

#[tokio::test]
async fn the_document_and_an_offline_reference_page_are_served() {
    let app = spawn_app(Engine::Sqlite).await;
    let served = app.get("/api/v1/openapi.json").send().await;
    assert_eq!(served.ok(200), &serde_json::from_str::<serde_json::Value>(&kariz_api::openapi::document_json()).unwrap());
    let page = app.get("/api/v1/docs/").send().await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    // Every asset the page loads is served by us: nothing comes from a CDN.
    assert!(!page.text.contains("https://"), "the reference page loads something from the internet");
    let initializer = app.get("/api/v1/docs/swagger-initializer.js").send().await;
    assert_eq!(initializer.status, 200);
    assert!(initializer.text.contains("/api/v1/openapi.json"));
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js"] {
        assert_eq!(app.get(&format!("/api/v1/docs/{asset}")).send().await.status, 200, "{asset}");
    }
}

#[tokio::test]
async fn the_reference_page_address_without_its_slash_redirects_to_the_page() {
    let app = spawn_app(Engine::Sqlite).await;
    let reply = app.get("/api/v1/docs").send().await;
    assert_eq!(reply.status, 308, "{}", reply.text);
    assert_eq!(reply.headers.get("location").and_then(|value| value.to_str().ok()), Some("/api/v1/docs/"));
    // Where it leads is the page itself.
    let page = app.get("/api/v1/docs/").send().await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"));
}
