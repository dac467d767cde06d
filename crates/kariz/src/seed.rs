//! Demo data: a workspace, its admin, a sales pipeline and a board full of deals.

use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use kariz_api::auth::hash_password;
use kariz_domain::{Currency, Email, Password, PersonName, PipelineName, Probability, Role, RottingDays, StageName, WorkspaceName};
use kariz_persistence::Store;
use kariz_persistence::auth::NewUser;
use kariz_persistence::deals::CreateDeal;
use kariz_persistence::pipelines::{NewPipeline, NewStage};

pub const DEMO_EMAIL: &str = "demo@kariz.local";
pub const DEMO_PASSWORD: &str = "kariz-demo-password";

const STAGES: [(&str, i64, Option<i64>); 8] = [
    ("Lead in", 5, Some(14)),
    ("Contacted", 10, Some(14)),
    ("Qualified", 25, Some(14)),
    ("Demo scheduled", 40, Some(10)),
    ("Proposal sent", 60, Some(10)),
    ("Negotiation", 75, Some(7)),
    ("Contract sent", 90, Some(5)),
    ("Awaiting payment", 95, Some(5)),
];

const COMPANIES: [&str; 12] = [
    "Pars Logistics",
    "Tabriz Textiles",
    "Caspian Foods",
    "Zagros Mining",
    "Persepolis Travel",
    "Alborz Pharma",
    "Shiraz Wines Export",
    "Karun Energy",
    "Isfahan Tiles",
    "Golestan Agro",
    "Hormoz Shipping",
    "Mashhad Retail",
];
const PRODUCTS: [&str; 6] = ["CRM rollout", "Fleet renewal", "Annual licence", "Support plan", "Data migration", "Training package"];

/// Seeds a demo workspace when the database has none. Returns whether it seeded.
pub async fn demo(store: &Store, deals: usize) -> Result<bool> {
    if store.first_workspace().await?.is_some() {
        return Ok(false);
    }
    let password_hash = hash_password(Password::parse(DEMO_PASSWORD)?).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = NewUser {
        email: Email::parse(DEMO_EMAIL)?,
        name: PersonName::parse("Sara Ahmadi")?,
        role: Role::Admin,
        locale: "en".to_owned(),
        password_hash,
    };
    let (workspace, user) = store
        .create_workspace_with_admin(WorkspaceName::parse("Kariz Demo")?, Currency::parse("IRR")?, admin)
        .await
        .context("Failed to create the demo workspace")?;
    let stages = STAGES
        .iter()
        .map(|(name, probability, rotting)| {
            Ok(NewStage {
                name: StageName::parse(name)?,
                probability: Probability::new(*probability)?,
                rotting_days: rotting.map(RottingDays::new).transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let pipeline = store
        .create_pipeline(
            workspace.id,
            NewPipeline { name: PipelineName::parse("New business")?, currency: Currency::parse("IRR")?, stages },
        )
        .await?;
    let today = Utc::now().date_naive();
    for i in 0..deals {
        let stage = &pipeline.stages[i % pipeline.stages.len()];
        let company = COMPANIES[i % COMPANIES.len()];
        let product = PRODUCTS[(i / COMPANIES.len()) % PRODUCTS.len()];
        let dollars = i % 5 == 0;
        let new = CreateDeal {
            pipeline_id: pipeline.id,
            stage_id: Some(stage.id),
            title: kariz_domain::DealTitle::parse(&format!("{product} — {company}"))?,
            // Rials have no minor unit; dollars are in cents.
            amount_minor: if dollars { ((i as i64 % 40) + 5) * 100_000 } else { ((i as i64 % 50) + 1) * 150_000_000 },
            currency: Some(Currency::parse(if dollars { "USD" } else { "IRR" })?),
            probability: None,
            expected_close_date: Some(today + Duration::days((i as i64 * 7) % 120)),
            owner_id: None,
        };
        store.create_deal(workspace.id, user.id, new).await?;
    }
    Ok(true)
}
