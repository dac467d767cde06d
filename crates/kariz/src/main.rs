//! `kariz`: serve the API and SPA, migrate, seed, manage users, export the OpenAPI document.

mod config;
mod progress;
mod seed;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use kariz_api::{ApiSettings, Application, ServerOptions};
use kariz_domain::{Email, PersonName, Role, WorkspaceId, WorkspaceName};
use kariz_mail::{Mailer, MailerConfig};
use kariz_persistence::Store;
use kariz_persistence::UserCredentials;
use kariz_persistence::auth::NewUser;
use kariz_webhooks::{DeliveryOutcomes, Dispatcher, DispatcherConfig};
use tokio::sync::watch;

use crate::config::Config;
use crate::progress::{Output, Progress};

#[derive(Parser)]
#[command(name = "kariz", version, about = "Kariz sales-pipeline CRM")]
struct Cli {
    /// A TOML config file; environment variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Show only warnings and errors: no progress, no result line (the exit status tells).
    #[arg(long, short, global = true, conflicts_with = "json")]
    quiet: bool,
    /// Print the result as one JSON object on stdout, log as JSON lines, show no progress.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the API and the SPA.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Seed data into an empty database.
    Seed {
        /// The demo workspace: a pipeline with deals and a sign-in.
        #[arg(long)]
        demo: bool,
        /// How many demo deals.
        #[arg(long, default_value_t = 36)]
        deals: usize,
        /// The language of the demo's names (stages, deals, companies, people); KARIZ_DEMO_LOCALE
        /// when omitted, else English. A Persian demo also counts Jalali months in Tehran time.
        #[arg(long, value_enum)]
        locale: Option<seed::DemoLocale>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Run only the webhook dispatcher and the email sender (alongside servers started with
    /// KARIZ_WEBHOOKS_DISPATCH=false).
    Worker,
    /// Print the OpenAPI document.
    Openapi,
    /// Rebuild derived data from the records it is derived from.
    Repair {
        /// The board's kept column figures (count, amount and weighted amount of the open deals
        /// per stage, owner and currency), counted again from the deals, a stage at a time.
        #[arg(long)]
        rollups: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; with no workspace, a new workspace is created for them.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read from KARIZ_USER_PASSWORD when omitted.
        #[arg(long, env = "KARIZ_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        admin: bool,
        /// Add the user to this workspace.
        #[arg(long)]
        workspace_id: Option<uuid::Uuid>,
        /// The name of the new workspace when no id is given.
        #[arg(long, default_value = "Kariz")]
        workspace_name: String,
    },
    /// Set a user's password and sign them out everywhere (every session of theirs ends).
    /// Accounts belong to one workspace: when the email has accounts in several, say which with
    /// --workspace.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// The workspace of the account; needed when the email has accounts in several.
        #[arg(long)]
        workspace: Option<uuid::Uuid>,
        /// Read from KARIZ_USER_PASSWORD when omitted.
        #[arg(long, env = "KARIZ_USER_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

/// Log lines go to stderr, in colour only on a terminal; `--quiet` keeps warnings and errors.
/// The migrator's line per step is left out by default: the commands say what they applied.
fn init_tracing(config: &Config, output: Output) {
    let default = if output == Output::Quiet { "warn" } else { "info,sea_orm_migration=warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(Output::colours());
    if config.log_format == "json" || output == Output::Json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open_store(config: &Config) -> Result<Store> {
    let url = config.database_url()?;
    let store = Store::connect_with(&url, config.pool_settings()).await.context("Failed to connect to the database")?;
    let pending = store.pending_migrations().await?;
    store.migrate().await.context("Failed to migrate the database")?;
    if !pending.is_empty() {
        tracing::info!(count = pending.len(), last = pending.last().map(String::as_str), "applied migrations");
    }
    Ok(store)
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", kariz_api::openapi::document_json());
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref())?;
    let output = Output::of(cli.quiet, cli.json);
    init_tracing(&config, output);
    actix_web::rt::System::new().block_on(run(cli.command, config, output))
}

async fn run(command: Command, config: Config, output: Output) -> Result<()> {
    match command {
        Command::Serve => serve(config).await,
        Command::Worker => {
            let store = open_store(&config).await?;
            let own = store.dispatcher_pool(&config.database_url()?, 8).await?;
            let (stop, stopped) = watch::channel(false);
            let maintenance = tokio::spawn(kariz_api::maintenance::run(store.clone(), stopped.clone()));
            let mailer = tokio::spawn(mailer(&config, own.clone())?.run(stopped.clone()));
            let dispatcher = tokio::spawn(dispatcher(&config, own, Default::default())?.run(stopped));
            // Outbox events numbered (as `serve` does), and the automation rules that follow them.
            let (sequencer, automations) = (store.clone(), store.clone());
            tokio::spawn(async move { sequencer.run_sequencer(std::time::Duration::from_secs(1)).await });
            tokio::spawn(async move { automations.run_automations_forever(std::time::Duration::from_secs(1)).await });
            tracing::info!("webhook dispatcher, email sender and automations running; stop with Ctrl-C or SIGTERM");
            shutdown_signal().await;
            let _ = stop.send(true);
            dispatcher.await?;
            mailer.await?;
            maintenance.await?;
            Ok(())
        }
        Command::Migrate => {
            let url = config.database_url()?;
            let store = Store::connect_with(&url, config.pool_settings()).await.context("Failed to connect to the database")?;
            let pending = store.pending_migrations().await?;
            let mut progress = output.progress("migrations", pending.len() as u64);
            for name in &pending {
                store.migrate_one().await.with_context(|| format!("Failed to apply {name}"))?;
                progress.advance(1, Some(name));
            }
            progress.finish();
            let sentence = match pending.len() {
                0 => "The database is up to date.".to_owned(),
                n => format!("Applied {n} migrations."),
            };
            output.result(&sentence, serde_json::json!({ "applied": pending }));
            Ok(())
        }
        Command::Seed { demo, deals, locale } => {
            if !demo {
                anyhow::bail!("say what to seed: --demo");
            }
            let store = open_store(&config).await?;
            let locale = locale.unwrap_or(config.demo_locale);
            // No bar for a database that will not be seeded.
            let mut progress = match store.first_workspace().await? {
                Some(_) => Progress::hidden(),
                None => output.progress("deals", deals as u64),
            };
            let seeded = seed::demo(&store, deals, false, locale, &mut progress).await?;
            progress.finish();
            if seeded {
                tracing::info!(deals, locale = locale.as_str(), "seeded the demo workspace");
            }
            let sentence = match seeded {
                true => format!("Seeded the demo workspace. Sign in as {} / {}", seed::DEMO_EMAIL, seed::DEMO_PASSWORD),
                false => "The database already has a workspace; nothing seeded.".to_owned(),
            };
            let json = serde_json::json!({
                "seeded": seeded,
                "deals": if seeded { deals } else { 0 },
                "email": seed::DEMO_EMAIL,
                "password": seed::DEMO_PASSWORD,
            });
            output.result(&sentence, json);
            Ok(())
        }
        Command::User { command: UserCommand::Create { email, name, password, admin, workspace_id, workspace_name } } => {
            let store = open_store(&config).await?;
            let password =
                kariz_api::auth::new_password(&password, &email, &name, None).map_err(|e| anyhow::anyhow!("the password {e}"))?;
            let password_hash = kariz_api::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = NewUser {
                email: Email::parse(&email)?,
                name: PersonName::parse(&name)?,
                role: if admin { Role::Admin } else { Role::Member },
                locale: "en".to_owned(),
                password_hash,
            };
            let created = match workspace_id {
                Some(id) => store.create_user(WorkspaceId::from(id), user).await?,
                None => {
                    let workspace = WorkspaceName::parse(&workspace_name)?;
                    store.create_workspace_with_admin(workspace, kariz_domain::Currency::parse("USD")?, user).await?.1
                }
            };
            let sentence = format!("Created {} ({}) in workspace {}", created.email.as_str(), created.role.as_str(), created.workspace_id);
            let json = serde_json::json!({
                "user_id": created.id.as_uuid(),
                "email": created.email.as_str(),
                "role": created.role.as_str(),
                "workspace_id": created.workspace_id.as_uuid(),
            });
            output.result(&sentence, json);
            Ok(())
        }
        Command::User { command: UserCommand::ResetPassword { email, workspace, password } } => {
            let store = open_store(&config).await?;
            let email = Email::parse(&email)?;
            let accounts = store.accounts_with_email(&email).await?;
            let account = pick_account(&email, accounts, workspace)?;
            let user = account.user;
            let password = kariz_api::auth::new_password(&password, email.as_str(), &user.name, Some(&account.workspace_name))
                .map_err(|e| anyhow::anyhow!("the password {e}"))?;
            let password_hash = kariz_api::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            store.change_password(user.workspace_id, user.id, password_hash).await?;
            let sentence = format!(
                "Set the password of {} in workspace {} ({}) and signed them out everywhere",
                email.as_str(),
                account.workspace_name,
                user.workspace_id
            );
            output.result(&sentence, serde_json::json!({ "user_id": user.id.as_uuid(), "workspace_id": user.workspace_id.as_uuid() }));
            Ok(())
        }
        Command::Repair { rollups } => {
            if !rollups {
                anyhow::bail!("say what to repair: --rollups");
            }
            let store = open_store(&config).await?;
            let mut progress = None;
            let stages = store
                .rebuild_rollups(|_, total| {
                    progress.get_or_insert_with(|| output.progress("stages", total)).advance(1, None);
                })
                .await
                .context("Failed to rebuild the board's figures")?;
            if let Some(progress) = progress {
                progress.finish();
            }
            let sentence = format!("Counted the board's figures of {stages} stages again.");
            output.result(&sentence, serde_json::json!({ "rollups": { "stages": stages } }));
            Ok(())
        }
        Command::Openapi => unreachable!("handled before the runtime starts"),
    }
}

/// The account of `email` that `reset-password` means: the one in `workspace`, or the only one.
fn pick_account(email: &Email, accounts: Vec<UserCredentials>, workspace: Option<uuid::Uuid>) -> Result<UserCredentials> {
    let email = email.as_str();
    if let Some(workspace) = workspace {
        return accounts
            .into_iter()
            .find(|account| account.user.workspace_id.as_uuid() == workspace)
            .with_context(|| format!("no account with the email {email} in workspace {workspace}"));
    }
    match accounts.len() {
        0 => anyhow::bail!("no account has the email {email}"),
        1 => Ok(accounts.into_iter().next().expect("one account")),
        n => {
            let listed: Vec<String> = accounts.iter().map(|a| format!("  {}  {}", a.user.workspace_id, a.workspace_name)).collect();
            anyhow::bail!(
                "{email} has accounts in {n} workspaces, each with its own password; say which with --workspace <id>:\n{}",
                listed.join("\n")
            )
        }
    }
}

async fn serve(config: Config) -> Result<()> {
    // Refuse a weak secret before anything else is done.
    let jwt_secret = config.jwt_secret()?;
    let store = open_store(&config).await?;
    if config.demo.unwrap_or(config.is_embedded()) && seed::demo(&store, 36, true, config.demo_locale, &mut Progress::hidden()).await? {
        tracing::info!(
            email = seed::DEMO_EMAIL,
            password = seed::DEMO_PASSWORD,
            "seeded demo data into the empty database; sign in with these"
        );
    }
    let mut settings = ApiSettings::new(jwt_secret);
    settings.access_token_ttl_seconds = config.access_token_ttl_seconds;
    settings.web_dir = Some(config.web_dir.clone());
    settings.webhooks_allow_private = config.webhooks_allow_private;
    settings.rate_limits = config.rate_limits.clone();
    settings.limits_sharing = config.limits_sharing.clone();
    settings.body_timeouts = config.body_timeouts;
    settings.max_upload_bytes = config.max_upload_bytes;
    settings.attachment_limits = config.attachment_limits;
    settings.sign_in_throttle = config.sign_in_throttle;
    settings.metrics_token = config.metrics_token.clone();
    settings.stream = config.stream;
    let listener = std::net::TcpListener::bind(&config.bind).with_context(|| format!("Failed to bind {}", config.bind))?;
    let options = ServerOptions { workers: None, shutdown_timeout: Duration::from_secs(config.shutdown_timeout_seconds) };
    let application = Application::build(store.clone(), settings, listener, options)?;
    let (stop, stopped) = watch::channel(false);
    let maintenance = tokio::spawn(kariz_api::maintenance::run(store.clone(), stopped.clone()));
    // The email sender runs beside the webhook dispatcher, on its pool.
    let (dispatcher, mailer) = match config.webhooks_dispatch {
        true => {
            let own = store.dispatcher_pool(&config.database_url()?, 8).await?;
            let mailer = tokio::spawn(mailer(&config, own.clone())?.run(stopped.clone()));
            let dispatcher = tokio::spawn(dispatcher(&config, own, application.state().metrics.webhook_outcomes())?.run(stopped));
            (Some(dispatcher), Some(mailer))
        }
        false => (None, None),
    };
    tracing::info!("serving on http://{} (API reference at /api/v1/docs/)", application.address());
    let stopper = application.handle();
    let mut serving = actix_web::rt::spawn(application.run_until_stopped());
    tokio::select! {
        served = &mut serving => served??,
        _ = shutdown_signal() => {
            tracing::info!("stopping: finishing the requests in flight");
            stopper.stop().await;
            serving.await??;
        }
    }
    // Then the dispatcher finishes or releases its work.
    let _ = stop.send(true);
    if let Some(dispatcher) = dispatcher {
        dispatcher.await?;
    }
    if let Some(mailer) = mailer {
        mailer.await?;
    }
    maintenance.await?;
    Ok(())
}

fn dispatcher(config: &Config, store: Store, outcomes: DeliveryOutcomes) -> Result<Dispatcher> {
    let settings = DispatcherConfig {
        allow_private: config.webhooks_allow_private,
        concurrency: config.webhooks_concurrency,
        max_in_flight_per_workspace: config.webhooks_max_in_flight_per_workspace,
        max_in_flight_per_endpoint: config.webhooks_max_in_flight_per_endpoint,
        outcomes,
        ..DispatcherConfig::default()
    };
    Dispatcher::new(store, settings).context("Failed to build the webhook HTTP client")
}

fn mailer(config: &Config, store: Store) -> Result<Mailer> {
    let settings = MailerConfig {
        smtp: config.smtp_url.clone(),
        from: config.mail_from.clone(),
        timeout: Duration::from_secs(config.smtp_timeout_seconds),
        ..MailerConfig::default()
    };
    if let Some(url) = &config.smtp_url {
        tracing::info!(smtp = %url, "emails go out through this SMTP server");
    }
    Mailer::new(store, settings).context("Failed to set up the email sender")
}

async fn shutdown_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminated => {}
    }
}
