//! Bounds on what a request body may cost: the size of a CSV field and of an upload, and how
//! long a body may take to arrive. A client that announces more than it may send, or stops
//! sending, is answered and cut off instead of holding a connection and memory.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Engine, TestApp, spawn_app, spawn_app_with};
use crate::on_both_engines;

on_both_engines!(
    a_csv_field_beyond_the_limit_stops_the_import_naming_its_line_and_column,
    an_upload_announced_beyond_the_limit_is_refused_before_it_is_read,
    an_upload_streamed_beyond_the_limit_is_cut_off_and_nothing_after_is_imported,
    a_stalled_body_is_cut_off,
);

/// Sends `head` (and `body`, possibly shorter than announced) over a raw connection, then reads
/// until the server answers and closes or `patience` runs out. Returns what was read and how long
/// it took; `None` when the server said nothing and kept the connection open.
async fn raw_exchange(app: &TestApp, head: String, body: &[u8], patience: Duration) -> Option<(String, Duration)> {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("send the head");
    stream.write_all(body).await.expect("send the body");
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let remaining = patience.checked_sub(started.elapsed())?;
        match tokio::time::timeout(remaining, stream.read(&mut buffer)).await {
            Err(_) => {
                return if answer.is_empty() { None } else { Some((String::from_utf8_lossy(&answer).into_owned(), started.elapsed())) };
            }
            Ok(Ok(0)) | Ok(Err(_)) => return Some((String::from_utf8_lossy(&answer).into_owned(), started.elapsed())),
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
        }
    }
}

async fn a_csv_field_beyond_the_limit_stops_the_import_naming_its_line_and_column(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    // A field far beyond anything a lead can hold: refused as it is read, not buffered whole.
    let csv = format!(
        "name,email,notes\nSara,sara@pars.example,fine\nOmid,omid@pars.example,{}\nLate,late@pars.example,never read\n",
        "x".repeat(300_000)
    );
    let reply = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", csv).send().await;
    let problem = reply.problem(422);
    let error = &problem["errors"][0];
    assert_eq!(error["field"], "notes", "{problem}");
    assert!(error["message"].as_str().unwrap().contains("line 3"), "{problem}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads WHERE name = 'Late'", vec![]).await, 0, "nothing after the bad line");
}

async fn an_upload_announced_beyond_the_limit_is_refused_before_it_is_read(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let head = format!(
        "POST /api/v1/leads/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\nContent-Length: 1073741824\r\n\r\n",
        admin.token
    );
    let (answer, took) = raw_exchange(&app, head, b"name\n", Duration::from_secs(5)).await.expect("an answer, not silence");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("content-type: application/problem+json"), "{answer}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

/// Without a `Content-Length` (chunked), the size is counted as the upload arrives.
async fn an_upload_streamed_beyond_the_limit_is_cut_off_and_nothing_after_is_imported(engine: Engine) {
    let app = spawn_app_with(engine, |s| s.max_upload_bytes = 4096).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rows: String = (0..200).map(|n| format!("Lead {n},lead{n}@example.com\n")).collect();
    let csv = format!("name,email\n{rows}");
    let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len());
    let mut body = String::new();
    for piece in csv.as_bytes().chunks(1000) {
        body.push_str(&chunk(std::str::from_utf8(piece).unwrap()));
    }
    body.push_str("0\r\n\r\n");
    let head = format!(
        "POST /api/v1/leads/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n",
        admin.token
    );
    let (answer, _) = raw_exchange(&app, head, body.as_bytes(), Duration::from_secs(10)).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("4096"), "{answer}");
    let imported = app.scalar("SELECT COUNT(*) FROM leads", vec![]).await;
    assert!(imported < 200, "the rows past the limit are not imported: {imported}");
}

async fn a_stalled_body_is_cut_off(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    // A JSON body that stops half-way, and a CSV upload that stops after its header.
    let json_head =
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n".to_owned();
    let csv_head = format!(
        "POST /api/v1/leads/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n",
        admin.token
    );
    for (head, partial) in [(json_head, &b"{\"email\": \"owner@"[..]), (csv_head, &b"name,email\nSara,"[..])] {
        // The default: no more than 10 seconds without a byte of the body.
        let (answer, took) = raw_exchange(&app, head, partial, Duration::from_secs(20)).await.expect("the connection is not held open");
        assert!(took < Duration::from_secs(15), "{took:?}");
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
        if !answer.is_empty() {
            assert!(answer.to_ascii_lowercase().contains("application/problem+json"), "{answer}");
        }
    }
}
