//! Configuration: built-in defaults, then a TOML file, then environment variables (highest).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use kariz_api::auth::{JwtSecret, ThrottleSettings};
use kariz_api::rate_limit::{Limit, RateLimitSettings, parse_networks};
use kariz_api::shared_limits::LimitsSharing;
use kariz_api::state::{BodyTimeouts, DEFAULT_ATTACHMENT_LIMITS, StreamSettings};
use kariz_domain::UploadLimits;
use kariz_mail::SmtpUrl;
use kariz_persistence::PoolSettings;
use serde::Deserialize;

use crate::seed::DemoLocale;

/// Every setting, after defaults, file and environment are merged.
#[derive(Clone, Debug)]
pub struct Config {
    /// `KARIZ_BIND`: the address to listen on.
    pub bind: String,
    /// `KARIZ_DATA_DIR`: where the SQLite database and the generated JWT secret live.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…`, or `sqlite://…`; default a SQLite file in the data directory.
    pub database_url: Option<String>,
    /// `KARIZ_JWT_SECRET`: HS256 signing secret, with where it was set; generated and kept in the
    /// data directory when unset.
    pub jwt_secret: Option<(String, &'static str)>,
    /// `KARIZ_WEB_DIR`: the built SPA to serve; default `web/dist`.
    pub web_dir: PathBuf,
    /// `KARIZ_DEMO`: seed demo data when the database is empty; default on for the embedded SQLite.
    pub demo: Option<bool>,
    /// `KARIZ_DEMO_LOCALE`: `en` (the default) or `fa`, the language of the demo's names: a
    /// Persian demo also has the Jalali calendar and the Tehran time zone.
    pub demo_locale: DemoLocale,
    /// `KARIZ_WEBHOOKS_ALLOW_PRIVATE`: let webhooks target loopback and private addresses.
    pub webhooks_allow_private: bool,
    /// `KARIZ_WEBHOOKS_DISPATCH`: run the webhook dispatcher inside `kariz serve` (default on).
    pub webhooks_dispatch: bool,
    /// `KARIZ_WEBHOOKS_CONCURRENCY`: deliveries one dispatcher has in flight; default 64.
    pub webhooks_concurrency: usize,
    /// `KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_WORKSPACE`: one workspace's deliveries in flight across
    /// every dispatcher; default 32.
    pub webhooks_max_in_flight_per_workspace: usize,
    /// `KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT`: one subscription's deliveries in flight across
    /// every dispatcher; default 16.
    pub webhooks_max_in_flight_per_endpoint: usize,
    /// `KARIZ_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: String,
    /// `KARIZ_ACCESS_TOKEN_TTL_SECONDS`: access token lifetime; default 900.
    pub access_token_ttl_seconds: i64,
    /// `KARIZ_DB_MAX_CONNECTIONS`: the PostgreSQL pool's size; default 32.
    pub db_max_connections: u32,
    /// `KARIZ_DB_STATEMENT_TIMEOUT_MS`: PostgreSQL cancels statements running longer; default 15000.
    pub db_statement_timeout_ms: u64,
    /// `KARIZ_SHUTDOWN_TIMEOUT_SECONDS`: on SIGTERM, how long requests in flight may finish; default 30.
    pub shutdown_timeout_seconds: u64,
    /// `KARIZ_RATE_LIMIT_*` (`100/5s`, or `off`) and `KARIZ_TRUSTED_PROXIES`.
    pub rate_limits: RateLimitSettings,
    /// `KARIZ_BODY_IDLE_TIMEOUT_SECONDS` (10), `KARIZ_BODY_TIMEOUT_SECONDS` (30) and
    /// `KARIZ_UPLOAD_TIMEOUT_SECONDS` (600): how long a request body may take to arrive.
    pub body_timeouts: BodyTimeouts,
    /// `KARIZ_MAX_UPLOAD_MB`: the largest CSV upload; default 256.
    pub max_upload_bytes: usize,
    /// `KARIZ_MAX_ATTACHMENT_MB` (25): the largest attached file; `KARIZ_ATTACHMENT_QUOTA_MB`
    /// (1024): what a workspace may keep in files.
    pub attachment_limits: UploadLimits,
    /// `KARIZ_SIGN_IN_FREE_FAILURES` (3) and `KARIZ_SIGN_IN_EMAIL_MAX_FAILURES` (50).
    pub sign_in_throttle: ThrottleSettings,
    /// `KARIZ_METRICS_TOKEN`: the bearer token `/metrics` asks for (at least 16 characters);
    /// without one, `/metrics` answers callers on this machine only.
    pub metrics_token: Option<String>,
    /// `KARIZ_REDIS_URL`: rate limits and the sign-in throttle count in this Redis; without it
    /// they count in the database on PostgreSQL (shared by every replica) and in the process on
    /// SQLite.
    pub limits_sharing: LimitsSharing,
    /// `KARIZ_STREAM_HEARTBEAT_SECONDS` (15): the longest silence on an event stream;
    /// `KARIZ_STREAM_RETENTION` (10000): how many events back a stream may resume.
    pub stream: StreamSettings,
    /// `KARIZ_SMTP_URL`: the SMTP server emails go out through (`smtp://user:password@host:port`,
    /// STARTTLS when offered, `?tls=required` to insist; `smtps://…` for implicit TLS). Its
    /// password is never shown: `Debug` prints `smtp://user:***@host:port`. Without one, queued
    /// emails are marked not sent (`smtp_not_configured`).
    pub smtp_url: Option<SmtpUrl>,
    /// `KARIZ_MAIL_FROM`: the sender, `Kariz <crm@example.com>` or an address; required with
    /// `KARIZ_SMTP_URL`.
    pub mail_from: Option<String>,
    /// `KARIZ_SMTP_TIMEOUT_SECONDS`: how long one SMTP command may take (30). An email being sent
    /// is leased for four times this plus 10 s, so a sender that died is replaced after that.
    pub smtp_timeout_seconds: u64,
}

/// The file's shape: the same keys, lower-case, all optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    jwt_secret: Option<String>,
    web_dir: Option<PathBuf>,
    demo: Option<bool>,
    demo_locale: Option<String>,
    webhooks_allow_private: Option<bool>,
    webhooks_dispatch: Option<bool>,
    webhooks_concurrency: Option<usize>,
    webhooks_max_in_flight_per_workspace: Option<usize>,
    webhooks_max_in_flight_per_endpoint: Option<usize>,
    log_format: Option<String>,
    access_token_ttl_seconds: Option<i64>,
    db_max_connections: Option<u32>,
    db_statement_timeout_ms: Option<u64>,
    shutdown_timeout_seconds: Option<u64>,
    stream_heartbeat_seconds: Option<u64>,
    stream_retention: Option<u64>,
    rate_limit_user: Option<String>,
    rate_limit_api_key: Option<String>,
    rate_limit_sign_in: Option<String>,
    rate_limit_signup: Option<String>,
    rate_limit_refresh: Option<String>,
    rate_limit_intake: Option<String>,
    rate_limit_calendar: Option<String>,
    trusted_proxies: Option<String>,
    redis_url: Option<String>,
    body_idle_timeout_seconds: Option<u64>,
    body_timeout_seconds: Option<u64>,
    upload_timeout_seconds: Option<u64>,
    max_upload_mb: Option<u64>,
    max_attachment_mb: Option<u64>,
    attachment_quota_mb: Option<u64>,
    sign_in_free_failures: Option<u32>,
    sign_in_email_max_failures: Option<u32>,
    metrics_token: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    smtp_timeout_seconds: Option<u64>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_bool(name: &str) -> Result<Option<bool>> {
    match env(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(None),
        Some("1" | "true" | "yes" | "on") => Ok(Some(true)),
        Some("0" | "false" | "no" | "off") => Ok(Some(false)),
        Some(other) => bail!("{name} must be true or false, not {other:?}"),
    }
}

fn env_number<T: std::str::FromStr>(name: &str, from_file: Option<T>) -> Result<Option<T>> {
    match env(name) {
        Some(raw) => raw.trim().parse().map(Some).map_err(|_| anyhow::anyhow!("{name} must be a whole number, not {raw:?}")),
        None => Ok(from_file),
    }
}

/// A rate limit from the environment or the file: `100/5s`, `10/1m`, `1000/1h`, or `off`.
fn rate_limit(name: &str, from_file: Option<String>, default: Option<Limit>) -> Result<Option<Limit>> {
    match env(name).or(from_file) {
        None => Ok(default),
        Some(raw) if raw.trim().eq_ignore_ascii_case("off") => Ok(None),
        Some(raw) => raw.parse().map(Some).map_err(|e| anyhow!("{name}: {e}, or `off`")),
    }
}

fn rate_limits(file: &FileConfig) -> Result<RateLimitSettings> {
    let defaults = RateLimitSettings::default();
    let proxies = env("KARIZ_TRUSTED_PROXIES").or(file.trusted_proxies.clone()).unwrap_or_default();
    Ok(RateLimitSettings {
        user: rate_limit("KARIZ_RATE_LIMIT_USER", file.rate_limit_user.clone(), defaults.user)?,
        api_key: rate_limit("KARIZ_RATE_LIMIT_API_KEY", file.rate_limit_api_key.clone(), defaults.api_key)?,
        sign_in: rate_limit("KARIZ_RATE_LIMIT_SIGN_IN", file.rate_limit_sign_in.clone(), defaults.sign_in)?,
        signup: rate_limit("KARIZ_RATE_LIMIT_SIGNUP", file.rate_limit_signup.clone(), defaults.signup)?,
        refresh: rate_limit("KARIZ_RATE_LIMIT_REFRESH", file.rate_limit_refresh.clone(), defaults.refresh)?,
        intake: rate_limit("KARIZ_RATE_LIMIT_INTAKE", file.rate_limit_intake.clone(), defaults.intake)?,
        calendar: rate_limit("KARIZ_RATE_LIMIT_CALENDAR", file.rate_limit_calendar.clone(), defaults.calendar)?,
        trusted_proxies: parse_networks(&proxies).map_err(|e| anyhow!("KARIZ_TRUSTED_PROXIES: {e}"))?,
    })
}

impl Config {
    /// Loads `file` (or `KARIZ_CONFIG`, or `kariz.toml` when it exists), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let path = file.map(Path::to_path_buf).or_else(|| env("KARIZ_CONFIG").map(PathBuf::from));
        let file_config = match path {
            Some(path) => read_file(&path)?,
            None if Path::new("kariz.toml").is_file() => read_file(Path::new("kariz.toml"))?,
            None => FileConfig::default(),
        };
        let ttl = env_number("KARIZ_ACCESS_TOKEN_TTL_SECONDS", file_config.access_token_ttl_seconds)?;
        let db_max_connections = env_number("KARIZ_DB_MAX_CONNECTIONS", file_config.db_max_connections)?.unwrap_or(32);
        let db_statement_timeout_ms = env_number("KARIZ_DB_STATEMENT_TIMEOUT_MS", file_config.db_statement_timeout_ms)?.unwrap_or(15_000);
        let shutdown_timeout_seconds = env_number("KARIZ_SHUTDOWN_TIMEOUT_SECONDS", file_config.shutdown_timeout_seconds)?.unwrap_or(30);
        let rate_limits = rate_limits(&file_config)?;
        let seconds = |name: &str, from_file: Option<u64>, default: Duration| -> Result<Duration> {
            match env_number(name, from_file)? {
                Some(0) => bail!("{name} must be at least 1"),
                Some(seconds) => Ok(Duration::from_secs(seconds)),
                None => Ok(default),
            }
        };
        let default_timeouts = BodyTimeouts::default();
        let body_timeouts = BodyTimeouts {
            idle: seconds("KARIZ_BODY_IDLE_TIMEOUT_SECONDS", file_config.body_idle_timeout_seconds, default_timeouts.idle)?,
            body: seconds("KARIZ_BODY_TIMEOUT_SECONDS", file_config.body_timeout_seconds, default_timeouts.body)?,
            upload: seconds("KARIZ_UPLOAD_TIMEOUT_SECONDS", file_config.upload_timeout_seconds, default_timeouts.upload)?,
        };
        let max_upload_mb = env_number("KARIZ_MAX_UPLOAD_MB", file_config.max_upload_mb)?.unwrap_or(256);
        if max_upload_mb == 0 {
            bail!("KARIZ_MAX_UPLOAD_MB must be at least 1");
        }
        let megabytes = |name: &str, from_file: Option<u64>, default: u64| -> Result<u64> {
            match env_number(name, from_file)? {
                Some(0) => bail!("{name} must be at least 1"),
                Some(mb) => Ok(mb.saturating_mul(1024 * 1024)),
                None => Ok(default),
            }
        };
        let default_limits = DEFAULT_ATTACHMENT_LIMITS;
        let attachment_limits = UploadLimits {
            max_file_bytes: megabytes("KARIZ_MAX_ATTACHMENT_MB", file_config.max_attachment_mb, default_limits.max_file_bytes)?,
            workspace_quota_bytes: megabytes(
                "KARIZ_ATTACHMENT_QUOTA_MB",
                file_config.attachment_quota_mb,
                default_limits.workspace_quota_bytes,
            )?,
        };
        let default_throttle = ThrottleSettings::default();
        let sign_in_throttle = ThrottleSettings {
            free_failures: env_number("KARIZ_SIGN_IN_FREE_FAILURES", file_config.sign_in_free_failures)?
                .unwrap_or(default_throttle.free_failures),
            email_max_failures: env_number("KARIZ_SIGN_IN_EMAIL_MAX_FAILURES", file_config.sign_in_email_max_failures)?
                .unwrap_or(default_throttle.email_max_failures),
            ..default_throttle
        };
        let default_stream = StreamSettings::default();
        let stream_retention = env_number("KARIZ_STREAM_RETENTION", file_config.stream_retention)?;
        if stream_retention == Some(0) {
            bail!("KARIZ_STREAM_RETENTION must be at least 1");
        }
        let stream = StreamSettings {
            heartbeat: seconds("KARIZ_STREAM_HEARTBEAT_SECONDS", file_config.stream_heartbeat_seconds, default_stream.heartbeat)?,
            retention: stream_retention.map_or(default_stream.retention, |events| i64::try_from(events).unwrap_or(i64::MAX)),
            ..default_stream
        };
        let webhooks_concurrency = env_number("KARIZ_WEBHOOKS_CONCURRENCY", file_config.webhooks_concurrency)?.unwrap_or(64);
        let webhooks_max_in_flight_per_workspace =
            env_number("KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_WORKSPACE", file_config.webhooks_max_in_flight_per_workspace)?.unwrap_or(32);
        let webhooks_max_in_flight_per_endpoint =
            env_number("KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT", file_config.webhooks_max_in_flight_per_endpoint)?.unwrap_or(16);
        let database_url = env("DATABASE_URL").or(file_config.database_url);
        let limits_sharing = match env("KARIZ_REDIS_URL").or(file_config.redis_url).filter(|url| !url.trim().is_empty()) {
            Some(url) => LimitsSharing::redis(url.trim()).map_err(|e| anyhow!("KARIZ_REDIS_URL: {e}"))?,
            None if database_url.as_deref().is_some_and(|url| url.starts_with("postgres")) => LimitsSharing::Database,
            None => LimitsSharing::Process,
        };
        let smtp_url = env("KARIZ_SMTP_URL").or(file_config.smtp_url).map(|raw| SmtpUrl::parse(&raw)).transpose()?;
        let mail_from = env("KARIZ_MAIL_FROM").or(file_config.mail_from);
        let smtp_timeout_seconds = env_number("KARIZ_SMTP_TIMEOUT_SECONDS", file_config.smtp_timeout_seconds)?.unwrap_or(30);
        if smtp_timeout_seconds == 0 {
            bail!("KARIZ_SMTP_TIMEOUT_SECONDS must be at least 1");
        }
        if smtp_url.is_some() && mail_from.is_none() {
            bail!("KARIZ_MAIL_FROM is required with KARIZ_SMTP_URL: the address emails are sent from");
        }
        let config = Config {
            bind: env("KARIZ_BIND").or(file_config.bind).unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            data_dir: env("KARIZ_DATA_DIR").map(PathBuf::from).or(file_config.data_dir).unwrap_or_else(|| PathBuf::from("./data")),
            database_url,
            jwt_secret: env("KARIZ_JWT_SECRET")
                .map(|secret| (secret, "KARIZ_JWT_SECRET"))
                .or(file_config.jwt_secret.map(|secret| (secret, "the config file's jwt_secret"))),
            web_dir: env("KARIZ_WEB_DIR").map(PathBuf::from).or(file_config.web_dir).unwrap_or_else(|| PathBuf::from("web/dist")),
            demo: env_bool("KARIZ_DEMO")?.or(file_config.demo),
            demo_locale: match env("KARIZ_DEMO_LOCALE").or(file_config.demo_locale) {
                Some(raw) => DemoLocale::parse(&raw).context("KARIZ_DEMO_LOCALE")?,
                None => DemoLocale::En,
            },
            webhooks_allow_private: env_bool("KARIZ_WEBHOOKS_ALLOW_PRIVATE")?.or(file_config.webhooks_allow_private).unwrap_or(false),
            webhooks_dispatch: env_bool("KARIZ_WEBHOOKS_DISPATCH")?.or(file_config.webhooks_dispatch).unwrap_or(true),
            webhooks_concurrency,
            webhooks_max_in_flight_per_workspace,
            webhooks_max_in_flight_per_endpoint,
            log_format: env("KARIZ_LOG_FORMAT").or(file_config.log_format).unwrap_or_else(|| "text".to_owned()),
            access_token_ttl_seconds: ttl.unwrap_or(15 * 60),
            db_max_connections,
            db_statement_timeout_ms,
            shutdown_timeout_seconds,
            rate_limits,
            body_timeouts,
            max_upload_bytes: usize::try_from(max_upload_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX),
            attachment_limits,
            sign_in_throttle,
            metrics_token: env("KARIZ_METRICS_TOKEN").or(file_config.metrics_token),
            stream,
            limits_sharing,
            smtp_url,
            mail_from,
            smtp_timeout_seconds,
        };
        if config.metrics_token.as_ref().is_some_and(|token| token.trim().len() < 16) {
            bail!("KARIZ_METRICS_TOKEN must be at least 16 characters");
        }
        if config.db_max_connections == 0 || config.db_statement_timeout_ms == 0 {
            bail!("KARIZ_DB_MAX_CONNECTIONS and KARIZ_DB_STATEMENT_TIMEOUT_MS must be at least 1");
        }
        if [config.webhooks_concurrency, config.webhooks_max_in_flight_per_workspace, config.webhooks_max_in_flight_per_endpoint]
            .contains(&0)
        {
            bail!(
                "KARIZ_WEBHOOKS_CONCURRENCY, KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_WORKSPACE and KARIZ_WEBHOOKS_MAX_IN_FLIGHT_PER_ENDPOINT must be at least 1"
            );
        }
        if !(60..=86_400).contains(&config.access_token_ttl_seconds) {
            bail!("the access token lifetime must be between 60 and 86400 seconds");
        }
        Ok(config)
    }

    /// The database URL, defaulting to `kariz.db` in the data directory. That file holds every
    /// workspace's data, so it is created readable by its owner alone (SQLite gives its journal
    /// files the database's permissions), in a data directory created the same way.
    pub fn database_url(&self) -> Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        create_private_dir(&self.data_dir)?;
        let path = self.data_dir.join("kariz.db");
        create_private_file(&path).with_context(|| format!("Failed to create the database file {}", path.display()))?;
        Ok(format!("sqlite://{}?mode=rwc", path.display()))
    }

    pub fn pool_settings(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.db_max_connections,
            statement_timeout: Duration::from_millis(self.db_statement_timeout_ms),
            ..PoolSettings::default()
        }
    }

    /// Whether the embedded SQLite default is in use (no `DATABASE_URL`).
    pub fn is_embedded(&self) -> bool {
        self.database_url.is_none()
    }

    /// The JWT secret: configured, or read from (first generated into) the data directory.
    /// Whatever its source, a secret shorter than 32 bytes is refused: tokens signed with it
    /// could be forged.
    pub fn jwt_secret(&self) -> Result<JwtSecret> {
        if let Some((secret, source)) = &self.jwt_secret {
            return JwtSecret::new(secret.as_bytes()).map_err(|short| anyhow!("{source} {short}"));
        }
        create_private_dir(&self.data_dir)?;
        let path = self.data_dir.join("jwt-secret");
        match std::fs::read_to_string(&path) {
            Ok(existing) => JwtSecret::new(existing.trim().as_bytes())
                .map_err(|short| anyhow!("{} {short}; write a longer one, or delete the file to have one generated", path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
                let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                write_private(&path, &secret).with_context(|| format!("Failed to write {}", path.display()))?;
                Ok(JwtSecret::new(secret.into_bytes())?)
            }
            Err(err) => Err(err).with_context(|| format!("Failed to read {}", path.display())),
        }
    }
}

/// Creates `dir` (and its parents) if missing; the directory itself readable by its owner alone.
#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("Failed to create {}", parent.display()))?;
    }
    std::fs::DirBuilder::new().mode(0o700).create(dir).with_context(|| format!("Failed to create the data directory {}", dir.display()))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("Failed to create the data directory {}", dir.display()))
}

/// Creates an empty file readable by its owner alone, unless it exists.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path).map(drop)
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("Failed to read the config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("Failed to parse the config file {}", path.display()))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        std::env::temp_dir().join(format!("kariz-config-{}", uuid::Uuid::now_v7().simple()))
    }

    fn config(data_dir: PathBuf, jwt_secret: Option<(String, &'static str)>) -> Config {
        let mut config = Config::load(Some(Path::new("/dev/null"))).expect("defaults load");
        config.data_dir = data_dir;
        config.jwt_secret = jwt_secret;
        config.database_url = None;
        config
    }

    #[test]
    fn the_smtp_password_is_never_shown() {
        let file = scratch().with_extension("toml");
        std::fs::write(
            &file,
            "smtp_url = \"smtp://mailer:hunter2-secret@mail.example.com:587\"\nmail_from = \"Kariz <crm@example.com>\"\n",
        )
        .unwrap();
        let config = Config::load(Some(&file)).unwrap();
        std::fs::remove_file(&file).unwrap();
        let shown = format!("{config:?}");
        assert!(shown.contains("smtp://mailer:***@mail.example.com:587"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn short_secrets_are_refused_whatever_their_source() {
        let dir = scratch();
        let short = config(dir.clone(), Some(("short".to_owned(), "KARIZ_JWT_SECRET")));
        assert!(short.jwt_secret().unwrap_err().to_string().contains("KARIZ_JWT_SECRET is 5 bytes long"));
        std::fs::create_dir_all(&dir).unwrap();
        for stored in ["", " \n", "0123456789abcdef0123456789abcde"] {
            std::fs::write(dir.join("jwt-secret"), stored).unwrap();
            let err = config(dir.clone(), None).jwt_secret().unwrap_err().to_string();
            assert!(err.contains("jwt-secret is") && err.contains("at least 32 bytes"), "{stored:?}: {err}");
        }
        std::fs::write(dir.join("jwt-secret"), "0123456789abcdef0123456789abcdef\n").unwrap();
        assert!(config(dir.clone(), None).jwt_secret().is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn generated_files_are_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let root = scratch();
        let dir = root.join("nested").join("data");
        let config = config(dir.clone(), None);
        config.jwt_secret().unwrap();
        let url = config.database_url().unwrap();
        assert!(url.ends_with("kariz.db?mode=rwc"), "{url}");
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("jwt-secret")), 0o600);
        assert_eq!(mode(&dir.join("kariz.db")), 0o600);
        assert_eq!(config.jwt_secret().unwrap().as_bytes(), std::fs::read_to_string(dir.join("jwt-secret")).unwrap().as_bytes());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
