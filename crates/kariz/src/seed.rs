//! Demo data: a workspace, its admin, a sales pipeline, a board full of deals and a scored lead inbox.

use anyhow::{Context, Result};
use chrono::Duration;
use kariz_api::auth::hash_password;
use kariz_domain::LeadFields;
use kariz_domain::NewStage;
use kariz_domain::scoring::{Condition, LeadField, RuleName, ScoringRule};
use kariz_domain::{
    Currency, DisqualifyReason, Email, LeadName, LeadSource, PersonName, Phone, PipelineId, PipelineName, Probability, Role, RottingDays,
    StageName, Tags, UserId, Viewer, WorkspaceId, WorkspaceName,
};
use kariz_persistence::Store;
use kariz_persistence::auth::NewUser;
use kariz_persistence::deals::CreateDeal;
use kariz_persistence::opportunities::{QualifyDeal, QualifyLead};
use kariz_persistence::pipelines::NewPipeline;

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
/// Deals written per transaction when seeding.
const SEED_BATCH: usize = 1_000;
/// The demo's managed lost reasons, each with the note its lost deals carry.
const LOST_REASONS: [(&str, &str); 3] =
    [("Price", "Chose a competitor on price"), ("No budget", "No budget this year"), ("No response", "Went quiet after the demo")];
const PRODUCTS: [&str; 6] = ["CRM rollout", "Fleet renewal", "Annual licence", "Support plan", "Data migration", "Training package"];

/// Seeds a demo workspace when the database has none. Returns whether it seeded.
/// With `outcomes`, some deals are won or lost and some leads qualified, so that the reports
/// have something to show; benchmarks seed without them (every deal open).
pub async fn demo(store: &Store, deals: usize, outcomes: bool) -> Result<bool> {
    if store.first_workspace().await?.is_some() {
        return Ok(false);
    }
    let password_hash = hash_password(kariz_api::auth::new_password(DEMO_PASSWORD, DEMO_EMAIL, "Sara Ahmadi", None)?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
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
                required_fields: kariz_domain::RequiredFields::default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let pipeline = store
        .create_pipeline(
            workspace.id,
            NewPipeline { name: PipelineName::parse("New business")?, currency: Currency::parse("IRR")?, stages },
        )
        .await?;
    let admin_viewer = Viewer::everything(workspace.id, user.id, Role::Admin);
    let mut reasons = Vec::with_capacity(LOST_REASONS.len());
    for (name, _) in LOST_REASONS {
        reasons.push(store.create_lost_reason(workspace.id, kariz_domain::LostReasonName::parse(name)?, None).await?.id);
    }
    let today = store.now().date_naive();
    // A thousand deals per transaction, so that a benchmark's 100,000 take seconds, not minutes.
    for first in (0..deals).step_by(SEED_BATCH) {
        let batch = (first..deals.min(first + SEED_BATCH))
            .map(|i| {
                let stage = &pipeline.stages[i % pipeline.stages.len()];
                let company = COMPANIES[i % COMPANIES.len()];
                let product = PRODUCTS[(i / COMPANIES.len()) % PRODUCTS.len()];
                let dollars = i % 5 == 0;
                Ok(CreateDeal {
                    pipeline_id: pipeline.id,
                    stage_id: Some(stage.id),
                    title: kariz_domain::DealTitle::parse(&format!("{product} — {company}"))?,
                    // Rials have no minor unit; dollars are in cents.
                    amount_minor: if dollars { ((i as i64 % 40) + 5) * 100_000 } else { ((i as i64 % 50) + 1) * 150_000_000 },
                    currency: Some(Currency::parse(if dollars { "USD" } else { "IRR" })?),
                    probability: None,
                    expected_close_date: Some(today + Duration::days((i as i64 * 7) % 120)),
                    owner_id: None,
                    opportunity_id: None,
                    contact_id: None,
                    organization_id: None,
                    tags: kariz_domain::Tags::default(),
                    custom_fields: serde_json::Map::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let created = store.create_deals_in_bulk(workspace.id, user.id, batch).await?;
        // Some closed deals, so that the reports have a win rate and lost reasons to show.
        for (i, deal) in (first..).zip(created) {
            if outcomes && i % 7 == 3 {
                store.win_deal(&admin_viewer, deal.deal.id(), None).await?;
            } else if outcomes && i % 9 == 4 {
                let (_, note) = LOST_REASONS[i % LOST_REASONS.len()];
                let lose = kariz_persistence::deals::LoseDeal {
                    reason_id: Some(reasons[i % reasons.len()]),
                    note: Some(kariz_domain::LostReason::parse(note)?),
                };
                store.lose_deal(&admin_viewer, deal.deal.id(), None, lose).await?;
            }
        }
    }
    demo_leads(store, workspace.id, user.id, pipeline.id, outcomes).await?;
    Ok(true)
}

const LEADS: [(&str, &str, &str, &str, LeadSource); 12] = [
    ("Reza Karimi", "Caspian Foods", "CEO", "0912 345 6701", LeadSource::Exhibition),
    ("Maryam Hosseini", "Alborz Pharma", "Procurement manager", "0935 111 2233", LeadSource::Website),
    ("Ali Rezaei", "Karun Energy", "IT director", "+98 917 222 3344", LeadSource::Referral),
    ("سارا محمدی", "فرش تبریز", "مدیرعامل", "۰۹۱۴ ۳۳۳ ۴۴۵۵", LeadSource::Event),
    ("Nima Ahmadi", "Hormoz Shipping", "Operations lead", "0921 444 5566", LeadSource::Social),
    ("Leila Moradi", "Golestan Agro", "Owner", "0911 555 6677", LeadSource::EmailCampaign),
    ("Kian Jafari", "Isfahan Tiles", "Sales director", "0913 666 7788", LeadSource::Phone),
    ("Shirin Rahimi", "Mashhad Retail", "Marketing manager", "0915 777 8899", LeadSource::Website),
    ("Dariush Kazemi", "Zagros Mining", "CFO", "0916 888 9900", LeadSource::Exhibition),
    ("Parisa Najafi", "Persepolis Travel", "Founder", "0917 999 0011", LeadSource::Social),
    ("Babak Sadeghi", "", "Student", "0930 123 4567", LeadSource::Website),
    ("Elham Ghasemi", "Shiraz Wines Export", "Export manager", "0919 246 8100", LeadSource::Other),
];

/// A scored lead inbox: a few rules and a dozen leads from every channel.
async fn demo_leads(store: &Store, workspace_id: WorkspaceId, user_id: UserId, pipeline_id: PipelineId, outcomes: bool) -> Result<()> {
    let rule =
        |name: &str, condition: Condition, points| Ok::<_, anyhow::Error>(ScoringRule::new(RuleName::parse(name)?, condition, points)?);
    let rules = vec![
        rule("Has a company", Condition::FieldPresent { field: LeadField::Company }, 10)?,
        rule("Decision maker (CEO)", Condition::FieldContains { field: LeadField::JobTitle, value: "ceo".into() }, 25)?,
        rule("Decision maker (director)", Condition::FieldContains { field: LeadField::JobTitle, value: "director".into() }, 20)?,
        rule("Met in person", Condition::SourceIn { sources: vec![LeadSource::Exhibition, LeadSource::Event] }, 15)?,
        rule("Referred", Condition::SourceIn { sources: vec![LeadSource::Referral] }, 20)?,
        rule("Student", Condition::FieldContains { field: LeadField::JobTitle, value: "student".into() }, -30)?,
    ];
    store.replace_scoring_rules(workspace_id, rules).await?;
    for (name, company, job_title, phone, source) in LEADS {
        let fields = LeadFields {
            name: LeadName::parse(name)?,
            email: None,
            phone: Some(Phone::parse(phone)?),
            company: Some(company.to_owned()).filter(|c| !c.is_empty()),
            job_title: Some(job_title.to_owned()),
            source,
            campaign: None,
            medium: None,
            owner_id: None,
            tags: Tags::default(),
            notes: None,
            custom_fields: Default::default(),
        };
        let lead = store.create_lead(workspace_id, Some(user_id), fields).await?;
        // Two qualified, one disqualified: the funnel and the reasons are not empty.
        if !outcomes {
            continue;
        }
        if matches!(name, "Reza Karimi" | "Ali Rezaei") {
            let deal = QualifyDeal { pipeline_id: Some(pipeline_id), ..QualifyDeal::default() };
            let request = QualifyLead { deal: Some(deal), ..QualifyLead::default() };
            store.qualify_lead(&Viewer::everything(workspace_id, user_id, Role::Admin), lead.lead.id(), None, request).await?;
        } else if name == "Babak Sadeghi" {
            store
                .disqualify_lead(
                    &Viewer::everything(workspace_id, user_id, Role::Admin),
                    lead.lead.id(),
                    None,
                    DisqualifyReason::NoBudget,
                    None,
                )
                .await?;
        }
    }
    Ok(())
}
