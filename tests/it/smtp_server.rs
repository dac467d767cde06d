//! A real SMTP server on loopback (RFC 5321, the commands a submission client uses): it accepts
//! sessions over TCP, records every message it accepts, and answers the end of each message's
//! data as it was scripted to — a reply code, or no reply at all (a server that took the message
//! and then went silent) — and then with 250.
//!
//! Written here rather than taken from a crate: the maintained Rust SMTP server crates run their
//! own threads and always accept, and these tests need to script refusals and silences.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// How the server answers the end of a message's data.
#[derive(Clone, Copy, Debug)]
pub enum Reply {
    /// A reply code: 2xx accepts (and records), 4xx and 5xx refuse.
    Code(u16),
    /// Record the message, then never answer (the connection stays open until the client goes).
    Silence,
}

/// A message the server accepted, with its envelope.
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent, dot-unstuffed, CRLF line ends.
    pub data: String,
}

impl Received {
    /// The first header `name`, unfolded; `None` when absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(current) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    current.push(' ');
                    current.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    /// The subject, its RFC 2047 encoded words decoded.
    pub fn subject(&self) -> String {
        decode_words(&self.header("Subject").unwrap_or_default())
    }

    /// The decoded body of the part whose `Content-Type` starts with `media_type`.
    pub fn part(&self, media_type: &str) -> Option<String> {
        let content_type = self.header("Content-Type")?;
        let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"').split(';').next()?.trim_matches('"').to_owned();
        for part in self.data.split(&format!("--{boundary}")).skip(1) {
            let (head, body) = part.split_once("\r\n\r\n")?;
            let head_lower = head.to_ascii_lowercase();
            if !head_lower.contains(&format!("content-type: {media_type}")) {
                continue;
            }
            let body = body.trim_end_matches("\r\n");
            return Some(if head_lower.contains("content-transfer-encoding: base64") {
                let joined: String = body.split("\r\n").collect();
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).ok()?).ok()?
            } else if head_lower.contains("content-transfer-encoding: quoted-printable") {
                decode_quoted_printable(body)
            } else {
                body.to_owned()
            });
        }
        None
    }
}

fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut last_encoded = false;
    for word in value.split_whitespace() {
        match word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")) {
            Some(encoded) => {
                // Whitespace between encoded words is not part of the text (RFC 2047 6.2).
                if !last_encoded && !out.is_empty() {
                    out.push(' ');
                }
                last_encoded = true;
                let mut pieces = encoded.splitn(3, '?');
                let (_charset, kind, text) = (pieces.next(), pieces.next().unwrap_or(""), pieces.next().unwrap_or(""));
                let bytes = if kind.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD.decode(text).unwrap_or_default()
                } else {
                    decode_quoted_printable(&text.replace('_', " ")).into_bytes()
                };
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                last_encoded = false;
                out.push_str(word);
            }
        }
    }
    out
}

fn decode_quoted_printable(text: &str) -> String {
    let mut bytes = Vec::new();
    let raw = text.replace("=\r\n", "");
    let raw = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'='
            && i + 2 < raw.len()
            && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            bytes.push(byte);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    script: VecDeque<Reply>,
    sessions: usize,
    /// `(user, password)` of each `AUTH PLAIN`.
    logins: Vec<(String, String)>,
}

pub struct SmtpServer {
    state: Arc<Mutex<State>>,
    arrived: Arc<Notify>,
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let arrived = Arc::new(Notify::new());
        let (shared, notify) = (state.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.lock().unwrap().sessions += 1;
                tokio::spawn(session(stream, shared.clone(), notify.clone()));
            }
        });
        SmtpServer { state, arrived, port, task }
    }

    /// `smtp://127.0.0.1:<port>` (plain: this server offers no STARTTLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The answers to the next messages' data, in order; 250 after them.
    pub fn script(&self, replies: &[Reply]) {
        self.state.lock().unwrap().script.extend(replies.iter().copied());
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// The credentials clients signed in with (`AUTH PLAIN`).
    pub fn logins(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().logins.clone()
    }

    /// How many SMTP sessions were opened.
    pub fn sessions(&self) -> usize {
        self.state.lock().unwrap().sessions
    }

    /// Waits until at least `count` messages were received.
    pub async fn wait_for(&self, count: usize) {
        let wait = async {
            loop {
                let notified = self.arrived.notified();
                if self.state.lock().unwrap().received.len() >= count {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), wait).await.expect("the message never arrived");
    }
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>, arrived: Arc<Notify>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut envelope = (String::new(), Vec::<String>::new());
    if write.write_all(b"220 kariz-test ESMTP ready\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let answer: String = match verb.as_str() {
            "EHLO" => "250-kariz-test greets you\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SIZE 10485760\r\n".to_owned(),
            "AUTH" => {
                let mut words = command.split_whitespace().skip(1);
                let (mechanism, initial) = (words.next().unwrap_or("").to_ascii_uppercase(), words.next().map(str::to_owned));
                let response = match initial {
                    Some(response) => response,
                    None => {
                        if write.write_all(b"334 \r\n").await.is_err() {
                            return;
                        }
                        line.clear();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        line.trim().to_owned()
                    }
                };
                let decoded = base64::engine::general_purpose::STANDARD.decode(response).unwrap_or_default();
                let parts: Vec<String> = String::from_utf8_lossy(&decoded).split('\0').map(str::to_owned).collect();
                if mechanism == "PLAIN" && parts.len() == 3 {
                    state.lock().unwrap().logins.push((parts[1].clone(), parts[2].clone()));
                    "235 2.7.0 Authentication successful\r\n".to_owned()
                } else {
                    "535 5.7.8 Authentication credentials invalid\r\n".to_owned()
                }
            }
            "HELO" => "250 kariz-test\r\n".to_owned(),
            "MAIL" => {
                envelope = (address_of(&command), Vec::new());
                "250 2.1.0 OK\r\n".to_owned()
            }
            "RCPT" => {
                envelope.1.push(address_of(&command));
                "250 2.1.5 OK\r\n".to_owned()
            }
            "DATA" => {
                if write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await.is_err() {
                    return;
                }
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    // A line that began with a dot was sent with one more (RFC 5321 4.5.2).
                    let unstuffed = if line.starts_with("..") { &line[1..] } else { line.as_str() };
                    data.push_str(unstuffed);
                }
                let reply = state.lock().unwrap().script.pop_front().unwrap_or(Reply::Code(250));
                let received = Received { mail_from: envelope.0.clone(), rcpt_to: envelope.1.clone(), data };
                match reply {
                    Reply::Silence => {
                        state.lock().unwrap().received.push(received);
                        arrived.notify_waiters();
                        // Hold the connection without answering, until the client goes.
                        let mut rest = String::new();
                        let _ = lines.read_line(&mut rest).await;
                        return;
                    }
                    Reply::Code(code) if code < 300 => {
                        state.lock().unwrap().received.push(received);
                        arrived.notify_waiters();
                        format!("{code} 2.0.0 queued\r\n")
                    }
                    Reply::Code(code) if code < 500 => format!("{code} 4.3.0 try again later\r\n"),
                    Reply::Code(code) => format!("{code} 5.1.1 mailbox unavailable\r\n"),
                }
            }
            "RSET" => {
                envelope = (String::new(), Vec::new());
                "250 OK\r\n".to_owned()
            }
            "NOOP" => "250 OK\r\n".to_owned(),
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => "502 5.5.2 command not implemented\r\n".to_owned(),
        };
        if write.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn address_of(command: &str) -> String {
    command.split_once('<').and_then(|(_, rest)| rest.split_once('>')).map(|(address, _)| address.to_owned()).unwrap_or_default()
}
