//! The `kariz` command line as a script or a person meets it: the demo in Persian, and output
//! that suits where it goes (no colour codes or progress bars in a file or a pipe, `--quiet`,
//! `--json`).

use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

use crate::helpers::{Engine, TempDir, TestDatabase, card_titles};
use crate::on_both_engines;
use crate::processes::{Server, binary};

on_both_engines!(
    a_persian_demo_names_everything_in_persian_and_counts_jalali_months,
    long_commands_write_plain_lines_without_colour_codes_into_a_pipe,
);

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
    let token = &server.demo_token(&client).await;

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
    let titles = card_titles(&board);
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

/// Runs `kariz` with `args` on `database_url`, its output piped (not a terminal), in a clean
/// environment with `RUST_LOG` as given.
fn kariz(database_url: &str, data: &TempDir, rust_log: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("KARIZ_DATA_DIR", &data.path)
        .args(args)
        .stdin(Stdio::null());
    if let Some(filter) = rust_log {
        command.env("RUST_LOG", filter);
    }
    let output = command.output().expect("run kariz");
    assert!(output.status.success(), "kariz {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let escaped = |bytes: &[u8]| bytes.contains(&0x1b);
    assert!(!escaped(&output.stdout) && !escaped(&output.stderr), "no escape codes into a pipe: {output:?}");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn long_commands_write_plain_lines_without_colour_codes_into_a_pipe(engine: Engine) {
    let database = TestDatabase::create(engine).await;
    let data = TempDir::new();

    // Each migration is a step, named on its own plain line.
    let migrate = kariz(&database.url, &data, Some("info"), &["migrate"]);
    let stdout = text(&migrate.stdout);
    let applied: usize = stdout.strip_prefix("Applied ").and_then(|s| s.strip_suffix(" migrations.\n")).unwrap().parse().unwrap();
    let steps: Vec<String> = text(&migrate.stderr).lines().filter(|l| l.starts_with("migrations: ")).map(str::to_owned).collect();
    assert_eq!(steps.len(), applied, "{steps:?}");
    assert!(steps[0].starts_with(&format!("migrations: 1/{applied} m2026")), "{steps:?}");
    assert!(steps.last().unwrap().starts_with(&format!("migrations: {applied}/{applied} ")));
    let again = kariz(&database.url, &data, None, &["migrate", "--json"]);
    assert_eq!(serde_json::from_slice::<Value>(&again.stdout).unwrap(), json!({"applied": []}));

    // Seeding 2,500 deals: a line at each tenth passed (the batches hold 1,000), a log line.
    let seed = kariz(&database.url, &data, Some("info"), &["seed", "--demo", "--deals", "2500"]);
    assert_eq!(text(&seed.stdout), "Seeded the demo workspace. Sign in as demo@kariz.local / kariz-demo-password\n");
    let stderr = text(&seed.stderr);
    let steps: Vec<&str> = stderr.lines().filter(|l| l.starts_with("deals: ")).collect();
    assert_eq!(steps, ["deals: 1000/2500", "deals: 2000/2500", "deals: 2500/2500"]);
    assert!(stderr.lines().any(|l| l.contains(" INFO ") && l.contains("seeded the demo workspace")), "{stderr}");

    // A script's view: one JSON object, or nothing at all.
    let json = kariz(&database.url, &data, None, &["seed", "--demo", "--json"]);
    let answer: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((answer["seeded"].as_bool(), answer["deals"].as_u64()), (Some(false), Some(0)), "{answer}");
    let logs = text(&json.stderr);
    assert!(logs.lines().all(|line| serde_json::from_str::<Value>(line).is_ok()), "log lines as JSON: {logs}");
    let quiet = kariz(&database.url, &data, None, &["--quiet", "seed", "--demo"]);
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty(), "{quiet:?}");
}
