//! The `kariz` binary's start: which secrets it refuses, and which files it creates for its
//! owner alone. These concern the embedded SQLite default (its data directory and database
//! file), so they run there; PostgreSQL keeps no files of ours.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TempDir;
use crate::processes::{binary, free_port};

/// A `kariz` command with a clean environment: only what a test sets reaches it.
fn kariz(data_dir: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KARIZ_DATA_DIR", data_dir)
        .env("KARIZ_DEMO", "false")
        .env("KARIZ_WEB_DIR", "/nonexistent")
        .env("RUST_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `kariz serve` and expects it to exit on its own within a few seconds; a server that
/// starts serving instead is killed and the test fails.
fn serve_expecting_refusal(mut command: Command) -> Output {
    let mut child = command.arg("serve").env("KARIZ_BIND", format!("127.0.0.1:{}", free_port())).spawn().expect("start kariz");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if child.try_wait().expect("wait for kariz").is_some() {
            let output = child.wait_with_output().expect("kariz output");
            assert!(!output.status.success(), "kariz should refuse to start");
            return output;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let output = child.wait_with_output().expect("kariz output");
    panic!("kariz started serving instead of refusing: {}", String::from_utf8_lossy(&output.stderr));
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[test]
fn a_short_or_empty_jwt_secret_from_any_source_is_refused() {
    let dir = TempDir::new();
    let data = dir.path.join("data");
    std::fs::create_dir_all(&data).unwrap();

    for contents in ["", "\n", "too-short-a-secret\n"] {
        std::fs::write(data.join("jwt-secret"), contents).unwrap();
        let output = serve_expecting_refusal(kariz(&data));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("jwt-secret") && stderr.contains("32 bytes"), "{contents:?}: {stderr}");
    }
    std::fs::remove_file(data.join("jwt-secret")).unwrap();

    let mut from_env = kariz(&data);
    from_env.env("KARIZ_JWT_SECRET", "short");
    let stderr = String::from_utf8_lossy(&serve_expecting_refusal(from_env).stderr).into_owned();
    assert!(stderr.contains("KARIZ_JWT_SECRET") && stderr.contains("32 bytes"), "{stderr}");

    let file = dir.path.join("kariz.toml");
    std::fs::write(&file, "jwt_secret = \"also-too-short\"\n").unwrap();
    let mut from_file = kariz(&data);
    from_file.arg("--config").arg(&file);
    let stderr = String::from_utf8_lossy(&serve_expecting_refusal(from_file).stderr).into_owned();
    assert!(stderr.contains("jwt_secret") && stderr.contains("32 bytes"), "{stderr}");
}

#[test]
fn the_data_directory_database_and_generated_secret_are_the_owners_alone() {
    let dir = TempDir::new();
    let data = dir.path.join("fresh").join("data");

    let mut serve = kariz(&data).arg("serve").env("KARIZ_BIND", format!("127.0.0.1:{}", free_port())).spawn().expect("start kariz");
    let secret = data.join("jwt-secret");
    let started = Instant::now();
    while !secret.is_file() && started.elapsed() < Duration::from_secs(30) {
        assert!(serve.try_wait().unwrap().is_none(), "kariz exited early");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = serve.kill();
    let _ = serve.wait();

    assert_eq!(mode(&data), 0o700, "the data directory it created");
    assert_eq!(mode(&secret), 0o600, "the generated secret");
    assert_eq!(std::fs::read_to_string(&secret).unwrap().trim().len(), 64, "32 random bytes, hex");
    for file in ["kariz.db", "kariz.db-wal", "kariz.db-shm"] {
        let path = data.join(file);
        if file == "kariz.db" || path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_from_the_command_line_meets_the_policy_and_ends_every_session() {
    use serde_json::{Value, json};
    let dir = TempDir::new();
    let data = dir.path.join("data");
    let run = |args: &[&str], password: &str| {
        let mut command = kariz(&data);
        command.args(args).env("KARIZ_USER_PASSWORD", password);
        command.output().expect("run kariz")
    };
    let created = run(&["user", "create", "--email", "ops@ops.test", "--name", "Ops", "--admin"], crate::helpers::PASSWORD);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));

    let port = free_port();
    let mut server = kariz(&data).arg("serve").env("KARIZ_BIND", format!("127.0.0.1:{port}")).spawn().expect("start kariz");
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if http.get(format!("http://127.0.0.1:{port}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "kariz did not become ready");
    let login = |password: &'static str| {
        http.post(format!("{base}/auth/login")).json(&json!({"email": "ops@ops.test", "password": password})).send()
    };
    let signed_in: Value = login(crate::helpers::PASSWORD).await.unwrap().json().await.unwrap();
    let refresh_token = signed_in["refresh_token"].as_str().expect("a refresh token").to_owned();

    let weak = run(&["user", "reset-password", "--email", "ops@ops.test"], "password1234");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("guess"), "{}", String::from_utf8_lossy(&weak.stderr));
    let reset = run(&["user", "reset-password", "--email", "ops@ops.test"], "a brand new passphrase for ops");
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));

    let refreshed = http.post(format!("{base}/auth/refresh")).json(&json!({"refresh_token": refresh_token})).send().await.unwrap();
    assert_eq!(refreshed.status(), 401, "the reset signed every session out");
    assert_eq!(login(crate::helpers::PASSWORD).await.unwrap().status(), 401);
    assert_eq!(login("a brand new passphrase for ops").await.unwrap().status(), 200);
    let _ = server.kill();
    let _ = server.wait();
}
