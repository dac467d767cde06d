//! The `kariz` command line as a script or a person meets it: the demo in Persian, and output
//! that suits where it goes (no colour codes or progress bars in a file or a pipe, `--quiet`,
//! `--json`).

use serde_json::{Value, json};

use crate::helpers::{Engine, TestDatabase};
use crate::on_both_engines;
use crate::processes::Server;

on_both_engines!(a_persian_demo_names_everything_in_persian_and_counts_jalali_months);

/// Whether `text` is written in the Arabic script (Persian letters), ignoring digits and signs.
fn persian(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) && !text.chars().any(|c| c.is_ascii_alphabetic())
}

async fn get(client: &reqwest::Client, server: &Server, token: &str, path: &str) -> Value {
    let reply = client.get(format!("{}/api/v1/{path}", server.base)).bearer_auth(token).send().await.unwrap();
    assert!(reply.status().is_success(), "{path}: {}", reply.status());
    reply.json().await.unwrap()
}

async fn a_persian_demo_names_everything_in_persian_and_counts_jalali_months(engine: Engine) {
    let database = TestDatabase::create(engine).await;
    let server = Server::start_with(&database.url, &[("KARIZ_DEMO", "true"), ("KARIZ_DEMO_LOCALE", "fa")]).await;
    let client = reqwest::Client::new();
    let signed_in: Value = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"email": "demo@kariz.local", "password": "kariz-demo-password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signed_in["access_token"].as_str().expect("the demo signs in");

    let workspace = get(&client, &server, token, "workspace").await;
    assert_eq!(
        (workspace["locale"].as_str(), workspace["calendar"].as_str(), workspace["time_zone"].as_str()),
        (Some("fa"), Some("jalali"), Some("Asia/Tehran"))
    );
    assert!(persian(workspace["name"].as_str().unwrap()), "{workspace}");
    let pipelines = get(&client, &server, token, "pipelines").await;
    let pipeline = &pipelines["data"][0];
    assert!(persian(pipeline["name"].as_str().unwrap()));
    let stages: Vec<&str> = pipeline["stages"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(stages.len(), 8);
    assert!(stages.iter().all(|s| persian(s)), "{stages:?}");

    let board = get(&client, &server, token, &format!("pipelines/{}/board?status=all", pipeline["id"].as_str().unwrap())).await;
    let titles: Vec<&str> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["deals"].as_array().unwrap())
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 36 + 2, "the demo's deals and those of the two qualified leads");
    // "استقرار سامانه CRM — لجستیک پارس": the product's acronym is the one Latin word allowed.
    assert!(titles.iter().all(|t| persian(&t.replace("CRM", ""))), "{titles:?}");
    let leads = get(&client, &server, token, "leads?limit=50").await;
    let names: Vec<&str> = leads["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 12);
    assert!(names.iter().all(|n| persian(n)), "{names:?}");
    let companies: Vec<&str> = leads["data"].as_array().unwrap().iter().filter_map(|l| l["company"].as_str()).collect();
    assert!(companies.iter().all(|c| persian(c)), "{companies:?}");

    // The reports count the workspace's Jalali months.
    let forecast = get(&client, &server, token, "reports/forecast").await;
    assert_eq!(forecast["calendar"], "jalali");
    let months: Vec<&str> = forecast["months"].as_array().unwrap().iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert!(!months.is_empty() && months.iter().all(|m| m.starts_with("14")), "{months:?}");
}
