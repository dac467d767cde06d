//! Stored records as the world sees them: the response bodies of `kariz-contract`, which the API
//! answers with and the outbox writes into event payloads.

use kariz_contract::{
    ActivityResponse, ContactResponse, DealResponse, DealStatusDto, ImportantDateResponse, LeadResponse, OpportunityResponse,
};
use kariz_domain::LeadStatus;

use crate::activities::ActivityRecord;
use crate::opportunities::OpportunityRecord;
use crate::records::{ContactRecord, DealRecord, LeadRecord};

impl From<&DealRecord> for DealResponse {
    fn from(r: &DealRecord) -> Self {
        let d = &r.deal;
        DealResponse {
            id: d.id().as_uuid(),
            pipeline_id: d.pipeline_id().as_uuid(),
            stage_id: d.stage_id().as_uuid(),
            title: d.title().as_str().to_owned(),
            amount_minor: d.value().amount_minor(),
            currency: d.value().currency().to_string(),
            probability: r.probability().percent(),
            custom_probability: d.own_probability().map(|p| p.percent()),
            weighted_amount_minor: r.weighted_amount_minor(),
            expected_close_date: d.expected_close_date(),
            owner_id: d.owner_id().as_uuid(),
            status: DealStatusDto::from(d.status()),
            lost_reason: d.status().lost_reason().map(|r| r.as_str().to_owned()),
            lost_reason_id: d.status().lost_reason_id().map(|r| r.as_uuid()),
            closed_at: d.status().closed_at(),
            position: d.position().as_str().to_owned(),
            stage_entered_at: d.stage_entered_at(),
            opportunity_id: d.opportunity_id().map(|o| o.as_uuid()),
            contact_id: d.contact_id().map(|c| c.as_uuid()),
            organization_id: d.organization_id().map(|o| o.as_uuid()),
            tags: d.tags().as_slice().to_vec(),
            custom_fields: d.custom_fields().clone(),
            amount_from_lines: d.amount_from_lines(),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&ContactRecord> for ContactResponse {
    fn from(r: &ContactRecord) -> Self {
        let c = r.contact.fields();
        let text = |value: Option<&str>| value.map(str::to_owned);
        ContactResponse {
            id: r.contact.id().as_uuid(),
            organization_id: c.organization_id.map(|o| o.as_uuid()),
            name: c.name.as_str().to_owned(),
            email: text(c.email.as_ref().map(|e| e.as_str())),
            phone: text(c.phone.as_ref().map(|p| p.as_str())),
            job_title: text(c.job_title.as_ref().map(|t| t.as_str())),
            address: text(c.address.as_ref().map(|a| a.as_str())),
            city: text(c.city.as_ref().map(|t| t.as_str())),
            country: text(c.country.as_ref().map(|t| t.as_str())),
            tags: c.tags.as_slice().to_vec(),
            custom_fields: c.custom_fields.clone(),
            notes: text(c.notes.as_ref().map(|n| n.as_str())),
            owner_id: c.owner_id.map(|o| o.as_uuid()),
            important_dates: ImportantDateResponse::list(c.important_dates.as_slice()),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&LeadRecord> for LeadResponse {
    fn from(r: &LeadRecord) -> Self {
        let (lead, f) = (&r.lead, r.lead.fields());
        let (reason, note, closed_at) = match lead.status() {
            LeadStatus::Disqualified { reason, note, at } => (Some(*reason), note.as_ref().map(|n| n.as_str().to_owned()), Some(*at)),
            LeadStatus::Qualified { at } => (None, None, Some(*at)),
            _ => (None, None, None),
        };
        LeadResponse {
            id: lead.id().as_uuid(),
            name: f.name.as_str().to_owned(),
            email: f.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: f.phone.as_ref().map(|p| p.as_str().to_owned()),
            company: f.company.clone(),
            job_title: f.job_title.clone(),
            source: f.source,
            campaign: f.campaign.clone(),
            medium: f.medium.clone(),
            owner_id: f.owner_id.map(|o| o.as_uuid()),
            status: lead.status().as_str().to_owned(),
            disqualify_reason: reason,
            disqualify_note: note,
            closed_at,
            score: lead.score(),
            tags: f.tags.as_slice().to_vec(),
            notes: f.notes.clone(),
            custom_fields: f.custom_fields.clone(),
            submissions: lead.submissions(),
            opportunity_id: lead.opportunity_id().map(|o| o.as_uuid()),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&OpportunityRecord> for OpportunityResponse {
    fn from(r: &OpportunityRecord) -> Self {
        OpportunityResponse {
            id: r.id.as_uuid(),
            title: r.title.clone(),
            lead_id: r.lead_id.map(|l| l.as_uuid()),
            contact_id: r.contact_id.map(|c| c.as_uuid()),
            organization_id: r.organization_id.map(|o| o.as_uuid()),
            need: r.need.clone(),
            budget_minor: r.budget.map(|b| b.amount_minor()),
            budget_currency: r.budget.map(|b| b.currency().to_string()),
            timeline: r.timeline.clone(),
            decision_maker: r.decision_maker.clone(),
            owner_id: r.owner_id.as_uuid(),
            status: r.status().as_str().to_owned(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            deals: Some(r.deals.iter().map(Into::into).collect()),
        }
    }
}

impl From<&ActivityRecord> for ActivityResponse {
    fn from(r: &ActivityRecord) -> Self {
        let a = &r.activity;
        let links = a.links();
        ActivityResponse {
            id: r.id.as_uuid(),
            kind: a.kind(),
            subject: a.subject().as_str().to_owned(),
            body: a.body().map(|b| b.as_str().to_owned()),
            lead_id: links.lead_id.map(|id| id.as_uuid()),
            contact_id: links.contact_id.map(|id| id.as_uuid()),
            organization_id: links.organization_id.map(|id| id.as_uuid()),
            deal_id: links.deal_id.map(|id| id.as_uuid()),
            owner_id: a.owner_id().as_uuid(),
            priority: a.priority(),
            due_at: a.due_at(),
            done_at: a.done_at(),
            template_id: r.template_id.map(|id| id.as_uuid()),
            created_by: r.created_by.map(|id| id.as_uuid()),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
