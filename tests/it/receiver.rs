//! A real HTTP endpoint that receives webhooks: it records every request and answers with the
//! statuses it was scripted to (then 200).

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use kariz_webhooks::SigningSecret;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signatures: Vec<String>,
    pub content_type: String,
    pub body: String,
    pub json: Value,
}

impl Received {
    pub fn event_type(&self) -> &str {
        self.json["type"].as_str().unwrap_or_default()
    }

    /// Whether one of the signatures verifies with `secret` (as a consumer would check).
    pub fn verifies_with(&self, secret: &str) -> bool {
        let expected = SigningSecret::parse(secret).unwrap().sign(&self.id, self.timestamp, &self.body);
        self.signatures.contains(&expected)
    }
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    /// Status and optional `Retry-After` seconds of the next answers.
    script: VecDeque<(u16, Option<u64>)>,
}

/// Holds every answer until released: an endpoint as slow as a test needs, without sleeping.
type Gate = tokio::sync::watch::Receiver<bool>;

pub struct Receiver {
    state: Arc<Mutex<State>>,
    pub url: String,
    server: actix_web::dev::ServerHandle,
    release: tokio::sync::watch::Sender<bool>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<Arc<Mutex<State>>>, gate: web::Data<Gate>) -> HttpResponse {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let text = String::from_utf8_lossy(&body).into_owned();
    let received = Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
        signatures: header("webhook-signature").split(' ').map(str::to_owned).collect(),
        content_type: header("content-type"),
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
        body: text,
    };
    state.lock().unwrap().received.push(received);
    let mut gate = gate.get_ref().clone();
    let _ = gate.wait_for(|released| *released).await;
    let (status, retry_after) = state.lock().unwrap().script.pop_front().unwrap_or((200, None));
    let mut response = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
    if let Some(seconds) = retry_after {
        response.insert_header(("retry-after", seconds.to_string()));
    }
    response.body(format!("answered {status}"))
}

impl Receiver {
    /// Starts a receiver that answers the given statuses in turn, then 200.
    pub fn start(script: &[u16]) -> Receiver {
        let script: Vec<(u16, Option<u64>)> = script.iter().map(|status| (*status, None)).collect();
        Self::start_with(&script)
    }

    /// Like `start`, with a `Retry-After` (seconds) on some answers.
    pub fn start_with(script: &[(u16, Option<u64>)]) -> Receiver {
        Self::serve(script, true)
    }

    /// A receiver that records each request at once but answers none (200) until `release`.
    pub fn start_held() -> Receiver {
        Self::serve(&[], false)
    }

    /// Lets every held request, and every later one, be answered.
    pub fn release(&self) {
        self.release.send_replace(true);
    }

    fn serve(script: &[(u16, Option<u64>)], released: bool) -> Receiver {
        let state = Arc::new(Mutex::new(State { received: Vec::new(), script: script.iter().copied().collect() }));
        let (release, gate) = tokio::sync::watch::channel(released);
        let gate = web::Data::new(gate);
        let shared = web::Data::new(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || App::new().app_data(shared.clone()).app_data(gate.clone()).default_service(web::to(receive)))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { state, url: format!("http://127.0.0.1:{port}/hooks"), server: handle, release }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// Waits until `done` holds for what was received, or fails after `seconds`.
    pub async fn wait_for(&self, seconds: u64, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out; received {} messages: {:#?}",
                received.len(),
                received.iter().map(|r| r.event_type().to_owned()).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
