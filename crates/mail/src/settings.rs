//! The SMTP server and the sender address, parsed once at startup. The server's URL holds a
//! password: it is kept out of every `Debug` and `Display`, so it cannot reach a log line.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, PoolConfig};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailSettingsError {
    #[error("KARIZ_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…; {0}")]
    Url(String),
    #[error("KARIZ_MAIL_FROM must be an address or `Name <address>`: {0}")]
    From(String),
    #[error("KARIZ_MAIL_FROM is required with KARIZ_SMTP_URL: the address emails are sent from")]
    FromMissing,
}

/// `smtp://user:password@host:port` (plain, upgraded with STARTTLS when the server offers it;
/// `?tls=required` refuses a server that does not), or `smtps://…` (implicit TLS, port 465 by
/// default). Shown as `smtp://user:***@host:port`.
#[derive(Clone)]
pub struct SmtpUrl {
    url: String,
    shown: String,
}

impl SmtpUrl {
    pub fn parse(raw: &str) -> Result<SmtpUrl, MailSettingsError> {
        let raw = raw.trim();
        let (scheme, rest) = raw.split_once("://").ok_or_else(|| MailSettingsError::Url("the scheme is missing".to_owned()))?;
        if !matches!(scheme, "smtp" | "smtps") {
            return Err(MailSettingsError::Url(format!("the scheme `{scheme}` is neither smtp nor smtps")));
        }
        let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        let (user, host) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user.split(':').next().unwrap_or_default()), host),
            None => (None, authority),
        };
        if host.is_empty() || host.starts_with(':') {
            return Err(MailSettingsError::Url("the host is missing".to_owned()));
        }
        // A plain `smtp://` upgrades with STARTTLS when the server offers it.
        let url = if scheme == "smtp" && !tail.contains("tls=") {
            let joiner = if tail.contains('?') { "&" } else { "?" };
            format!("{raw}{joiner}tls=opportunistic")
        } else {
            raw.to_owned()
        };
        let shown = match user {
            Some(user) => format!("{scheme}://{user}:***@{host}"),
            None => format!("{scheme}://{host}"),
        };
        let parsed = SmtpUrl { url, shown };
        // Refuse now what the transport would refuse later (an unknown `tls` value, a bad port).
        parsed.builder()?;
        Ok(parsed)
    }

    fn builder(&self) -> Result<AsyncSmtpTransportBuilder, MailSettingsError> {
        // The transport's error would name the URL it could not parse: say what was wrong
        // without it.
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|_| MailSettingsError::Url(format!("{} is not a URL the SMTP client takes", self.shown)))
    }

    /// The transport, keeping up to `connections` open to the server and reusing them, so that
    /// a burst of emails does not pay a connection and greeting each. Needs a Tokio runtime (the
    /// pool reaps idle connections in a task of its own).
    pub(crate) fn transport(&self, timeout: Duration, connections: u32) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailSettingsError> {
        let pool = PoolConfig::new().max_size(connections.max(1)).idle_timeout(Duration::from_secs(30));
        Ok(self.builder()?.timeout(Some(timeout)).pool_config(pool).build())
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

pub(crate) fn parse_from(raw: &str) -> Result<Mailbox, MailSettingsError> {
    raw.trim().parse::<Mailbox>().map_err(|e| MailSettingsError::From(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let url = SmtpUrl::parse("smtp://mailer:s3cret-pass@mail.example.com:587").unwrap();
        assert_eq!(format!("{url:?}"), "smtp://mailer:***@mail.example.com:587");
        assert_eq!(url.to_string(), "smtp://mailer:***@mail.example.com:587");
        assert!(!format!("{url:?} {url}").contains("s3cret"));
        let implicit = SmtpUrl::parse("smtps://mail.example.com").unwrap();
        assert_eq!(implicit.to_string(), "smtps://mail.example.com");
    }

    #[test]
    fn other_urls_are_refused_without_their_password() {
        for raw in ["http://u:p@host", "mail.example.com", "smtp://", "smtp://u:topsecret@:25", "smtp://u:topsecret@host?tls=maybe"] {
            let err = SmtpUrl::parse(raw).unwrap_err().to_string();
            assert!(!err.contains("topsecret"), "{raw}: {err}");
        }
        assert!(SmtpUrl::parse("smtp://host:2525?tls=required").is_ok());
    }

    #[test]
    fn the_sender_is_an_address_or_a_named_one() {
        assert_eq!(parse_from("Kariz <crm@example.com>").unwrap().email.domain(), "example.com");
        assert!(parse_from("not an address").is_err());
    }
}
