//! Opens many event streams on one server and measures how long each event takes from its change
//! (the event's `timestamp`, the change's transaction time) to its arrival, on every stream.
//!
//!   cargo run --release -p kariz --example stream_client -- BASE TOKEN STREAMS SECONDS READY_FILE
//!
//! A lean client on one thread: raw HTTP/1.1 over TCP, frames never decoded beyond finding each
//! `"timestamp":"…"`, so that the client takes as little as it can of the CPU the server and
//! PostgreSQL share with it on one machine. Writes READY_FILE once every stream is open, measures
//! for SECONDS and prints one JSON line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use memchr::memmem;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const STAMP: &[u8] = b"\"timestamp\":\"";
/// `2026-12-05T22:16:01.123Z`: the server writes milliseconds, in UTC.
const STAMP_LEN: usize = 24;

#[derive(Default)]
struct Tally {
    latencies_ms: Vec<i64>,
    resets: u64,
    closed: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, token, streams, seconds, ready] = args.as_slice() else {
        eprintln!("usage: stream_client BASE TOKEN STREAMS SECONDS READY_FILE");
        std::process::exit(2);
    };
    let host = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let streams: usize = streams.parse().expect("STREAMS");
    let seconds: u64 = seconds.parse().expect("SECONDS");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let tally = Arc::new(Mutex::new(Tally::default()));
        let measuring = Arc::new(AtomicBool::new(false));
        for _ in 0..streams {
            let ticket = ticket(&host, token).await;
            let stream = open(&host, &ticket).await;
            tokio::spawn(read_frames(stream, tally.clone(), measuring.clone()));
        }
        let cpu_before = cpu_seconds();
        measuring.store(true, Ordering::SeqCst);
        std::fs::write(ready, "ready\n").unwrap();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        measuring.store(false, Ordering::SeqCst);
        let cpu = cpu_seconds() - cpu_before;
        let mut tally = tally.lock().unwrap();
        let Tally { latencies_ms, resets, closed } = &mut *tally;
        latencies_ms.sort_unstable();
        let at = |q: f64| latencies_ms.get(((q * latencies_ms.len() as f64) as usize).min(latencies_ms.len().saturating_sub(1))).copied();
        println!(
            "{{\"streams\":{streams},\"events\":{},\"resets\":{resets},\"closed\":{closed},\"client_cpu_s\":{cpu:.2},\"p50_ms\":{:?},\"p90_ms\":{:?},\"p99_ms\":{:?},\"max_ms\":{:?}}}",
            latencies_ms.len(),
            at(0.5).unwrap_or(-1),
            at(0.9).unwrap_or(-1),
            at(0.99).unwrap_or(-1),
            latencies_ms.last().copied().unwrap_or(-1),
        );
    });
    // The streams are still open: leave without waiting for them.
    std::process::exit(0);
}

/// `POST /api/v1/stream/tickets`: a fresh single-use ticket.
async fn ticket(host: &str, token: &str) -> String {
    let mut stream = TcpStream::connect(host).await.expect("connect");
    let request = format!(
        "POST /api/v1/stream/tickets HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 201"), "ticket refused: {text}");
    let start = text.find("\"ticket\":\"").expect("a ticket") + 10;
    let end = text[start..].find('"').unwrap() + start;
    text[start..end].to_owned()
}

/// `GET /api/v1/stream?ticket=…`, once its headers say 200.
async fn open(host: &str, ticket: &str) -> TcpStream {
    let mut stream = TcpStream::connect(host).await.expect("connect");
    stream.set_nodelay(true).unwrap();
    // Tickets are URL-safe base64 with a prefix: nothing to escape.
    let request = format!("GET /api/v1/stream?ticket={ticket} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200", "the stream did not open");
    stream
}

/// Reads one stream until it closes, timing every event that arrives while `measuring`.
async fn read_frames(mut stream: TcpStream, tally: Arc<Mutex<Tally>>, measuring: Arc<AtomicBool>) {
    let finder = memmem::Finder::new(STAMP);
    let resets = memmem::Finder::new(b"\nevent: reset\n");
    // Whatever might be the start of a stamp cut by a read: shorter than a whole stamp, so nothing
    // is counted twice.
    let carry_max = STAMP.len() + STAMP_LEN - 1;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut carried = 0;
    let mut found = Vec::new();
    loop {
        let read = match stream.read(&mut buffer[carried..]).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let filled = carried + read;
        let data = &buffer[..filled];
        found.clear();
        for at in finder.find_iter(data) {
            let start = at + STAMP.len();
            if let Some(ms) = data.get(start..start + STAMP_LEN).and_then(parse_millis) {
                found.push(now_ms - ms);
            }
        }
        let reset_count = resets.find_iter(data).count() as u64;
        if measuring.load(Ordering::Relaxed) && (!found.is_empty() || reset_count > 0) {
            let mut tally = tally.lock().unwrap();
            tally.latencies_ms.extend_from_slice(&found);
            tally.resets += reset_count;
        }
        carried = carry_max.min(filled);
        buffer.copy_within(filled - carried..filled, 0);
    }
    tally.lock().unwrap().closed += 1;
}

/// Milliseconds since the epoch of `2026-12-05T22:16:01.123Z`.
fn parse_millis(stamp: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(stamp).ok()?;
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis())
}

/// This process's user and system CPU time (`/proc/self/stat`, in the kernel's 100 Hz ticks).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0) + fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
    ticks as f64 / 100.0
}
