//! Email: the sender that turns queued emails into SMTP deliveries.
//!
//! Emails are queued by the store in the transaction of their cause; the [`Mailer`] claims due
//! ones with a lease, sends each as a multipart (text and HTML) message with the `Message-ID`
//! stored before its first attempt, and records the outcome: sent, retried later (exponential
//! backoff with jitter) or failed after its last attempt. Without an SMTP server configured, it
//! marks them `not_sent` (`smtp_not_configured`) instead.
//!
//! This crate knows SMTP only as a client; it reads and writes through the persistence `Store`.

mod settings;

use std::sync::Arc;
use std::time::Duration;

use kariz_persistence::Store;
use kariz_persistence::emails::{ClaimedEmail, EmailOutcome};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use settings::{MailSettingsError, SmtpUrl};

#[derive(Clone, Debug)]
pub struct MailerConfig {
    /// `KARIZ_SMTP_URL`; without one, queued emails are marked `not_sent`.
    pub smtp: Option<SmtpUrl>,
    /// `KARIZ_MAIL_FROM`: the sender, `Name <address>` or an address; its domain names the
    /// `Message-ID`s. Required with an SMTP server.
    pub from: Option<String>,
    /// Attempts before an email fails for good (a permanent refusal fails it at once).
    pub max_attempts: u32,
    /// The wait after the first failed attempt; each next one doubles it, up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// ± this fraction of each wait, so that retries spread out.
    pub jitter: f64,
    /// How long one SMTP command may take.
    pub timeout: Duration,
    /// How often to look for due emails when nothing woke the sender.
    pub poll_interval: Duration,
    /// Emails claimed and sent at once (and SMTP connections kept open for them).
    pub batch: u64,
}

impl Default for MailerConfig {
    fn default() -> Self {
        MailerConfig {
            smtp: None,
            from: None,
            max_attempts: 8,
            backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(4 * 3600),
            jitter: 0.2,
            timeout: Duration::from_secs(30),
            poll_interval: Duration::from_secs(1),
            batch: 16,
        }
    }
}

struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// The email sender. Cheap to clone: clones share the SMTP transport.
#[derive(Clone)]
pub struct Mailer {
    store: Store,
    smtp: Option<Arc<Smtp>>,
    /// The domain of `Message-ID`s: the sender's.
    message_domain: String,
    config: Arc<MailerConfig>,
}

impl Mailer {
    /// A sender over `config`'s SMTP server; refuses an SMTP server without a sender address.
    pub fn new(store: Store, config: MailerConfig) -> Result<Mailer, MailSettingsError> {
        let from = config.from.as_deref().map(settings::parse_from).transpose()?;
        let smtp = match (&config.smtp, from.clone()) {
            (Some(url), Some(from)) => {
                Some(Arc::new(Smtp { transport: url.transport(config.timeout, u32::try_from(config.batch).unwrap_or(u32::MAX))?, from }))
            }
            (Some(_), None) => return Err(MailSettingsError::FromMissing),
            (None, _) => None,
        };
        let message_domain = from.as_ref().map(|f| f.email.domain().to_owned()).unwrap_or_else(|| "kariz.invalid".to_owned());
        Ok(Mailer { store, smtp, message_domain, config: Arc::new(config) })
    }

    /// Whether an SMTP server is configured.
    pub fn is_configured(&self) -> bool {
        self.smtp.is_some()
    }

    /// Makes one attempt of every due email (a batch at a time), waiting for all of them.
    /// Returns the number of attempts. Tests drive sending deterministically with this.
    pub async fn run_once(&self) -> Result<usize, kariz_persistence::StoreError> {
        let mut total = 0;
        loop {
            let (count, full) = self.send_batch().await?;
            total += count;
            if !full {
                return Ok(total);
            }
        }
    }

    /// Runs until `shutdown` turns true; the attempts in flight finish first.
    ///
    /// A batch is claimed at once and sent over connections kept open, and the next is claimed
    /// when it is done. (Refilling each slot as it frees was measured no faster: a claim per
    /// email; `bench/RESULTS.md`.)
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if !self.is_configured() {
            tracing::info!("no SMTP server configured (KARIZ_SMTP_URL): queued emails are marked not sent");
        }
        while !*shutdown.borrow() {
            let full = match self.send_batch().await {
                Ok((_, full)) => full,
                Err(err) => {
                    tracing::warn!(error = ?err, "email pass failed; will retry");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                _ = self.store.mail_written() => {}
                _ = tokio::time::sleep(self.config.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Claims up to a batch of due emails and makes one attempt of each, concurrently; answers
    /// how many, and whether the batch was full (more may be due).
    async fn send_batch(&self) -> Result<(usize, bool), kariz_persistence::StoreError> {
        let batch = self.config.batch.max(1);
        let claimed = self.claim(batch).await?;
        let count = claimed.len();
        let mut attempts = JoinSet::new();
        for email in claimed {
            attempts.spawn(self.clone().attempt_and_record(email));
        }
        while let Some(result) = attempts.join_next().await {
            log_record_failure(result);
        }
        Ok((count, count as u64 >= batch))
    }

    async fn claim(&self, count: u64) -> Result<Vec<ClaimedEmail>, kariz_persistence::StoreError> {
        let lease = self.config.timeout * 4 + Duration::from_secs(10);
        let lease = chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::minutes(5));
        self.store.claim_emails(count, lease, &self.message_domain).await
    }

    async fn attempt_and_record(self, email: ClaimedEmail) -> Result<(), kariz_persistence::StoreError> {
        let outcome = self.attempt(&email).await;
        match &outcome {
            EmailOutcome::Sent => tracing::debug!(email = %email.id, "email sent"),
            EmailOutcome::NotSent => tracing::debug!(email = %email.id, "email not sent: no SMTP server"),
            EmailOutcome::RetryAt { error, .. } | EmailOutcome::Failed { error } => {
                tracing::info!(email = %email.id, error, "email attempt failed")
            }
        }
        self.store.record_email_attempt(&email, outcome).await
    }

    /// One SMTP attempt and what should follow it.
    async fn attempt(&self, email: &ClaimedEmail) -> EmailOutcome {
        let Some(smtp) = &self.smtp else {
            return EmailOutcome::NotSent;
        };
        let message = match self.message(smtp, email) {
            Ok(message) => message,
            Err(error) => return EmailOutcome::Failed { error },
        };
        match smtp.transport.send(message).await {
            Ok(_) => EmailOutcome::Sent,
            Err(err) if err.is_permanent() => EmailOutcome::Failed { error: error_chain(&err) },
            Err(err) => self.after_failure(email, error_chain(&err)),
        }
    }

    fn message(&self, smtp: &Smtp, email: &ClaimedEmail) -> Result<Message, String> {
        let to: Mailbox = email.to.parse().map_err(|e| format!("invalid recipient address: {e}"))?;
        let date: std::time::SystemTime = self.store.now().into();
        Message::builder()
            .from(smtp.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(email.message_id.clone()))
            .date(date)
            .multipart(body(email)?)
            .map_err(|e| format!("the message could not be built: {e}"))
    }

    /// After a transient failure: retry after the backoff, or fail when the attempts are spent.
    fn after_failure(&self, email: &ClaimedEmail, error: String) -> EmailOutcome {
        let made = u32::try_from(email.attempts).unwrap_or(0) + 1;
        if made >= self.config.max_attempts {
            return EmailOutcome::Failed { error };
        }
        let wait = backoff(self.config.backoff, self.config.max_backoff, made);
        let wait = jittered(wait, self.config.jitter);
        let at = self.store.now() + chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::hours(1));
        EmailOutcome::RetryAt { at, error }
    }
}

fn log_record_failure(result: Result<Result<(), kariz_persistence::StoreError>, tokio::task::JoinError>) {
    if let Ok(Err(err)) = result {
        tracing::error!(error = ?err, "recording an email attempt failed");
    }
}

/// The wait after the `made`-th failed attempt: `base`, doubled for each attempt before, at most
/// `max`.
fn backoff(base: Duration, max: Duration, made: u32) -> Duration {
    let factor = 2u32.saturating_pow(made.saturating_sub(1).min(20));
    base.saturating_mul(factor).min(max)
}

/// `wait` ± `fraction`, uniformly.
fn jittered(wait: Duration, fraction: f64) -> Duration {
    let mut bytes = [0u8; 8];
    let unit = if getrandom::fill(&mut bytes).is_ok() { (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64 } else { 0.5 };
    let factor = 1.0 + fraction * (2.0 * unit - 1.0);
    wait.mul_f64(factor.max(0.0))
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The text and HTML alternatives, and the file the email carries (a quote's PDF) beside them.
fn body(email: &ClaimedEmail) -> Result<MultiPart, String> {
    let text = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text_body.clone()))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html_body.clone()));
    let Some(file) = &email.attachment else { return Ok(text) };
    let media_type = ContentType::parse(&file.media_type).map_err(|e| format!("the attachment's type: {e}"))?;
    let attachment = lettre::message::Attachment::new(file.file_name.clone()).body(file.bytes.clone(), media_type);
    Ok(MultiPart::mixed().multipart(text).singlepart(attachment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_its_cap() {
        let waits: Vec<u64> = (1..=6).map(|made| backoff(Duration::from_secs(60), Duration::from_secs(600), made).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 600, 600]);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        for _ in 0..1000 {
            let wait = jittered(Duration::from_secs(100), 0.2);
            assert!(wait >= Duration::from_secs(80) && wait <= Duration::from_secs(120), "{wait:?}");
        }
    }
}
