//! Deals: the kanban cards, and the rules of how they move and close.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};
use thiserror::Error;

use crate::custom_fields::has_value;
use crate::deal_rules::{ManagedLostReason, RequiredField, RequiredFields};
use crate::events::{DealChange, DealEvent, date_value};
use crate::ids::{ContactId, DealId, LostReasonId, OpportunityId, OrganizationId, PipelineId, StageId, UserId, WorkspaceId};
use crate::money::{Currency, Money, MoneyError};
use crate::position::Position;
use crate::probability::Probability;
use crate::tags::Tags;
use crate::text::bounded_text;

bounded_text!(
    /// A deal's title, as shown on its card.
    DealTitle,
    200
);
bounded_text!(
    /// Why a deal was lost, in the salesperson's words.
    LostReason,
    500
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DealError {
    #[error("the deal is {status}; reopen it before moving it")]
    ClosedDealCannotMove { status: &'static str },
    #[error("the deal is already {status}")]
    AlreadyClosed { status: &'static str },
    #[error("the deal is open; only won or lost deals can be reopened")]
    NotClosed,
    #[error("the target stage belongs to another pipeline")]
    StageInOtherPipeline,
    #[error(transparent)]
    Amount(#[from] MoneyError),
    #[error("the stage requires fields the deal lacks: {}", names(fields))]
    RequiredFieldsMissing { fields: Vec<RequiredField> },
    #[error("the lost reason is inactive; pick an active one")]
    LostReasonInactive,
    #[error("{}", if *managed_required { "say why the deal was lost: a reason_id is required in this workspace" } else { "say why the deal was lost: a reason_id, a reason, or both" })]
    LostReasonMissing { managed_required: bool },
    #[error("the deal's amount follows its line items: change the lines, or turn amount_from_lines off")]
    AmountFollowsLines,
}

fn names(fields: &[RequiredField]) -> String {
    fields.iter().map(RequiredField::name).collect::<Vec<_>>().join(", ")
}

/// Why a deal is lost: one of the workspace's managed reasons, the salesperson's words (a
/// note), or both.
#[derive(Clone, Debug, Default)]
pub struct LossDetails {
    pub reason_id: Option<ManagedLostReason>,
    pub note: Option<LostReason>,
}

/// Won and lost are statuses, not stages: a closed deal keeps the stage it closed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DealStatus {
    Open,
    Won {
        at: DateTime<Utc>,
    },
    /// `reason` is the salesperson's note, `reason_id` the managed reason; at least one is set.
    Lost {
        reason: Option<LostReason>,
        reason_id: Option<LostReasonId>,
        at: DateTime<Utc>,
    },
}

impl DealStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won { .. } => "won",
            DealStatus::Lost { .. } => "lost",
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, DealStatus::Open)
    }

    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        match self {
            DealStatus::Open => None,
            DealStatus::Won { at } | DealStatus::Lost { at, .. } => Some(*at),
        }
    }

    pub fn lost_reason(&self) -> Option<&LostReason> {
        match self {
            DealStatus::Lost { reason, .. } => reason.as_ref(),
            _ => None,
        }
    }

    pub fn lost_reason_id(&self) -> Option<LostReasonId> {
        match self {
            DealStatus::Lost { reason_id, .. } => *reason_id,
            _ => None,
        }
    }
}

/// What the rules need to know about a stage a deal is in or moves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRef {
    pub id: StageId,
    pub pipeline_id: PipelineId,
    pub probability: Probability,
    /// What a deal must have to enter it.
    pub required: RequiredFields,
}

/// A deal as the rules see it: every field is typed so that an invalid deal cannot be built, and
/// private, so that the transitions below are the only way its stage and status change.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    id: DealId,
    workspace_id: WorkspaceId,
    pipeline_id: PipelineId,
    stage_id: StageId,
    title: DealTitle,
    value: Money,
    /// `None` follows the stage's probability, wherever the deal moves.
    probability: Option<Probability>,
    expected_close_date: Option<NaiveDate>,
    owner_id: UserId,
    status: DealStatus,
    position: Position,
    stage_entered_at: DateTime<Utc>,
    opportunity_id: Option<OpportunityId>,
    /// The person and the company the deal is with.
    contact_id: Option<ContactId>,
    organization_id: Option<OrganizationId>,
    tags: Tags,
    /// Checked against the workspace's deal field definitions before they reach the deal.
    custom_fields: Map<String, Value>,
    /// The amount is the total of the deal's line items, set whenever they are saved.
    amount_from_lines: bool,
}

/// The count and total of a deal's line items, as `deal.updated` reports their change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LinesSummary {
    pub count: usize,
    pub total_minor: i64,
}

/// A contact a deal is linked to, with the organization it belongs to: a deal opened with a
/// person and no company is with that person's company.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactLink {
    pub id: ContactId,
    pub organization_id: Option<OrganizationId>,
}

/// Every field of a stored deal, for a store to build it back with [`Deal::restore`].
#[derive(Clone, Debug)]
pub struct StoredDeal {
    pub id: DealId,
    pub workspace_id: WorkspaceId,
    pub pipeline_id: PipelineId,
    pub stage_id: StageId,
    pub title: DealTitle,
    pub value: Money,
    pub probability: Option<Probability>,
    pub expected_close_date: Option<NaiveDate>,
    pub owner_id: UserId,
    pub status: DealStatus,
    pub position: Position,
    pub stage_entered_at: DateTime<Utc>,
    pub opportunity_id: Option<OpportunityId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub tags: Tags,
    pub custom_fields: Map<String, Value>,
    pub amount_from_lines: bool,
}

/// The facts needed to open a deal.
#[derive(Clone, Debug)]
pub struct NewDeal {
    pub workspace_id: WorkspaceId,
    pub title: DealTitle,
    pub value: Money,
    pub probability: Option<Probability>,
    pub expected_close_date: Option<NaiveDate>,
    pub owner_id: UserId,
    /// The opportunity the deal is opened for.
    pub opportunity_id: Option<OpportunityId>,
    pub contact: Option<ContactLink>,
    /// The company; without one, the contact's.
    pub organization_id: Option<OrganizationId>,
    pub tags: Tags,
    /// Already checked against the workspace's deal field definitions.
    pub custom_fields: Map<String, Value>,
    /// The amount follows the line items; a new deal has none, so its amount must be 0.
    pub amount_from_lines: bool,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one. The
/// amount and the currency change together or alone: the other keeps its value.
#[derive(Clone, Debug, Default)]
pub struct DealPatch {
    pub title: Option<DealTitle>,
    pub amount_minor: Option<i64>,
    pub currency: Option<Currency>,
    pub probability: Option<Option<Probability>>,
    pub expected_close_date: Option<Option<NaiveDate>>,
    pub owner_id: Option<UserId>,
    pub contact_id: Option<Option<ContactId>>,
    pub organization_id: Option<Option<OrganizationId>>,
    /// Replaces the tags.
    pub tags: Option<Tags>,
    /// Replaces the custom fields (the store merges a request's changes into the stored ones and
    /// checks them against the definitions first).
    pub custom_fields: Option<Map<String, Value>>,
    /// Makes the amount follow the line items, or frees it. Turned on, the store sets
    /// `amount_minor` to the lines' total in the same patch.
    pub amount_from_lines: Option<bool>,
}

impl Deal {
    /// Opens a deal in `stage` at `position`; refused when it lacks a field the stage requires.
    pub fn open(new: NewDeal, stage: &StageRef, position: Position, now: DateTime<Utc>) -> Result<(Deal, DealEvent), DealError> {
        let deal = Deal {
            id: DealId::new(),
            workspace_id: new.workspace_id,
            pipeline_id: stage.pipeline_id,
            stage_id: stage.id,
            title: new.title,
            value: new.value,
            probability: new.probability,
            expected_close_date: new.expected_close_date,
            owner_id: new.owner_id,
            status: DealStatus::Open,
            position,
            stage_entered_at: now,
            opportunity_id: new.opportunity_id,
            contact_id: new.contact.map(|c| c.id),
            organization_id: new.organization_id.or(new.contact.and_then(|c| c.organization_id)),
            tags: new.tags,
            custom_fields: new.custom_fields,
            amount_from_lines: new.amount_from_lines,
        };
        if deal.amount_from_lines && deal.value.amount_minor() != 0 {
            return Err(DealError::AmountFollowsLines);
        }
        deal.ensure_has(&stage.required)?;
        let event = DealEvent::Created { deal_id: deal.id };
        Ok((deal, event))
    }

    /// A deal as it was stored.
    pub fn restore(stored: StoredDeal) -> Deal {
        let StoredDeal {
            id,
            workspace_id,
            pipeline_id,
            stage_id,
            title,
            value,
            probability,
            expected_close_date,
            owner_id,
            status,
            position,
            stage_entered_at,
            opportunity_id,
            contact_id,
            organization_id,
            tags,
            custom_fields,
            amount_from_lines,
        } = stored;
        Deal {
            id,
            workspace_id,
            pipeline_id,
            stage_id,
            title,
            value,
            probability,
            expected_close_date,
            owner_id,
            status,
            position,
            stage_entered_at,
            opportunity_id,
            contact_id,
            organization_id,
            tags,
            custom_fields,
            amount_from_lines,
        }
    }

    pub fn id(&self) -> DealId {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn pipeline_id(&self) -> PipelineId {
        self.pipeline_id
    }

    pub fn stage_id(&self) -> StageId {
        self.stage_id
    }

    pub fn title(&self) -> &DealTitle {
        &self.title
    }

    pub fn value(&self) -> Money {
        self.value
    }

    /// The deal's own probability; `None` when it follows its stage's.
    pub fn own_probability(&self) -> Option<Probability> {
        self.probability
    }

    pub fn expected_close_date(&self) -> Option<NaiveDate> {
        self.expected_close_date
    }

    pub fn owner_id(&self) -> UserId {
        self.owner_id
    }

    pub fn status(&self) -> &DealStatus {
        &self.status
    }

    pub fn position(&self) -> &Position {
        &self.position
    }

    pub fn stage_entered_at(&self) -> DateTime<Utc> {
        self.stage_entered_at
    }

    pub fn opportunity_id(&self) -> Option<OpportunityId> {
        self.opportunity_id
    }

    pub fn contact_id(&self) -> Option<ContactId> {
        self.contact_id
    }

    pub fn organization_id(&self) -> Option<OrganizationId> {
        self.organization_id
    }

    pub fn tags(&self) -> &Tags {
        &self.tags
    }

    pub fn custom_fields(&self) -> &Map<String, Value> {
        &self.custom_fields
    }

    /// Whether the amount is the total of the line items.
    pub fn amount_from_lines(&self) -> bool {
        self.amount_from_lines
    }

    /// Records that the line items were saved: `previous` and `current` are their count and
    /// total, and a deal whose amount follows its lines takes `current`'s total as its amount.
    /// Returns the `deal.updated` event (its changes name `line_items`, and `amount_minor` when
    /// the amount followed), or `None` when the lines did not change.
    pub fn price_lines(&mut self, previous: LinesSummary, current: LinesSummary, changed: bool) -> Result<Option<DealEvent>, DealError> {
        let mut changes = Vec::new();
        if changed {
            changes.push(DealChange { field: "line_items", previous: json!(previous), current: json!(current) });
        }
        if self.amount_from_lines && self.value.amount_minor() != current.total_minor {
            let value = Money::new(current.total_minor, self.value.currency())?;
            changes.push(DealChange {
                field: "amount_minor",
                previous: json!(self.value.amount_minor()),
                current: json!(value.amount_minor()),
            });
            self.value = value;
        }
        Ok((!changes.is_empty()).then_some(DealEvent::Updated { deal_id: self.id, changes }))
    }

    /// The fields of `required` this deal lacks, in their order.
    pub fn missing(&self, required: &RequiredFields) -> Vec<RequiredField> {
        required
            .iter()
            .filter(|field| match field {
                RequiredField::Amount => self.value.amount_minor() == 0,
                RequiredField::ExpectedCloseDate => self.expected_close_date.is_none(),
                RequiredField::Contact => self.contact_id.is_none(),
                RequiredField::Organization => self.organization_id.is_none(),
                RequiredField::Custom(key) => !has_value(self.custom_fields.get(key)),
            })
            .cloned()
            .collect()
    }

    /// Refuses the deal in a stage requiring fields it lacks, naming every one.
    fn ensure_has(&self, required: &RequiredFields) -> Result<(), DealError> {
        let fields = self.missing(required);
        if fields.is_empty() { Ok(()) } else { Err(DealError::RequiredFieldsMissing { fields }) }
    }

    /// The deal's own probability, or its stage's when it has none.
    pub fn effective_probability(&self, stage_probability: Probability) -> Probability {
        self.probability.unwrap_or(stage_probability)
    }

    /// Weighted value = amount × probability, in minor units.
    pub fn weighted_amount(&self, stage_probability: Probability) -> i64 {
        self.effective_probability(stage_probability).weigh(self.value.amount_minor())
    }

    /// Moves the card to `target` at `position`. Returns the stage change, or `None` when the
    /// card only changed place within its column.
    pub fn move_to(
        &mut self,
        target: &StageRef,
        position: Position,
        actor_id: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<Option<DealEvent>, DealError> {
        if !self.status.is_open() {
            return Err(DealError::ClosedDealCannotMove { status: self.status.as_str() });
        }
        if target.id == self.stage_id {
            self.position = position;
            return Ok(None);
        }
        if target.pipeline_id == self.pipeline_id {
            self.ensure_has(&target.required)?;
        }
        self.enter(target, position, actor_id, now).map(Some)
    }

    /// Takes the deal, open or closed, out of a stage that is being deleted, to the end of
    /// `target`'s column: the one move a closed deal makes, since its stage stops existing. The
    /// target's required fields are not asked for: the deals must go somewhere, and are asked
    /// for them when they next move.
    pub fn leave_deleted_stage(
        &mut self,
        target: &StageRef,
        position: Position,
        actor_id: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<DealEvent, DealError> {
        self.enter(target, position, actor_id, now)
    }

    /// Puts the deal in another stage of its pipeline: every stage entry goes through here.
    fn enter(
        &mut self,
        target: &StageRef,
        position: Position,
        actor_id: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<DealEvent, DealError> {
        if target.pipeline_id != self.pipeline_id {
            return Err(DealError::StageInOtherPipeline);
        }
        let from_stage_id = self.stage_id;
        self.stage_id = target.id;
        self.position = position;
        self.stage_entered_at = now;
        Ok(DealEvent::StageChanged {
            deal_id: self.id,
            pipeline_id: self.pipeline_id,
            from_stage_id,
            to_stage_id: target.id,
            actor_id,
            at: now,
        })
    }

    pub fn win(&mut self, now: DateTime<Utc>) -> Result<DealEvent, DealError> {
        self.ensure_open()?;
        self.status = DealStatus::Won { at: now };
        Ok(DealEvent::Won { deal_id: self.id, at: now })
    }

    /// Loses the deal for a managed reason (an active one), the salesperson's note, or both;
    /// with `managed_required` (the workspace's setting) a managed reason must be given.
    pub fn lose(&mut self, details: LossDetails, managed_required: bool, now: DateTime<Utc>) -> Result<DealEvent, DealError> {
        self.ensure_open()?;
        if let Some(managed) = details.reason_id
            && !managed.active
        {
            return Err(DealError::LostReasonInactive);
        }
        if details.reason_id.is_none() && (managed_required || details.note.is_none()) {
            return Err(DealError::LostReasonMissing { managed_required });
        }
        let reason_id = details.reason_id.map(|r| r.id);
        let event = DealEvent::Lost { deal_id: self.id, reason: details.note.as_ref().map(|r| r.as_str().to_owned()), reason_id, at: now };
        self.status = DealStatus::Lost { reason: details.note, reason_id, at: now };
        Ok(event)
    }

    /// Reopens a won or lost deal in the stage where it closed, whose requirements (`required`)
    /// it must then meet like a deal entering it.
    pub fn reopen(&mut self, required: &RequiredFields) -> Result<DealEvent, DealError> {
        if self.status.is_open() {
            return Err(DealError::NotClosed);
        }
        self.ensure_has(required)?;
        self.status = DealStatus::Open;
        Ok(DealEvent::Reopened { deal_id: self.id })
    }

    /// The event of the deal's deletion.
    pub fn delete(&self) -> DealEvent {
        DealEvent::Deleted { deal_id: self.id }
    }

    /// Applies `patch`; returns the `deal.updated` event listing each field that really changed.
    pub fn update(&mut self, patch: DealPatch) -> Result<Option<DealEvent>, DealError> {
        let follows = patch.amount_from_lines.unwrap_or(self.amount_from_lines);
        if follows && patch.amount_from_lines != Some(true) && patch.amount_minor.is_some_and(|a| a != self.value.amount_minor()) {
            return Err(DealError::AmountFollowsLines);
        }
        let value = match (patch.amount_minor, patch.currency) {
            (None, None) => None,
            (amount, currency) => Some(Money::new(amount.unwrap_or(self.value.amount_minor()), currency.unwrap_or(self.value.currency()))?),
        };
        let mut changes = Vec::new();
        let mut record = |field: &'static str, previous: serde_json::Value, current: serde_json::Value| {
            if previous != current {
                changes.push(DealChange { field, previous, current });
            }
        };
        if let Some(title) = patch.title {
            record("title", json!(self.title), json!(title));
            self.title = title;
        }
        if let Some(value) = value {
            record("amount_minor", json!(self.value.amount_minor()), json!(value.amount_minor()));
            record("currency", json!(self.value.currency()), json!(value.currency()));
            self.value = value;
        }
        if let Some(probability) = patch.probability {
            record("probability", json!(self.probability), json!(probability));
            self.probability = probability;
        }
        if let Some(date) = patch.expected_close_date {
            record("expected_close_date", date_value(self.expected_close_date), date_value(date));
            self.expected_close_date = date;
        }
        if let Some(owner_id) = patch.owner_id {
            record("owner_id", json!(self.owner_id), json!(owner_id));
            self.owner_id = owner_id;
        }
        if let Some(contact_id) = patch.contact_id {
            record("contact_id", json!(self.contact_id), json!(contact_id));
            self.contact_id = contact_id;
        }
        if let Some(organization_id) = patch.organization_id {
            record("organization_id", json!(self.organization_id), json!(organization_id));
            self.organization_id = organization_id;
        }
        if let Some(tags) = patch.tags {
            record("tags", json!(self.tags), json!(tags));
            self.tags = tags;
        }
        if let Some(custom_fields) = patch.custom_fields {
            record("custom_fields", Value::Object(self.custom_fields.clone()), Value::Object(custom_fields.clone()));
            self.custom_fields = custom_fields;
        }
        if let Some(follows) = patch.amount_from_lines {
            record("amount_from_lines", json!(self.amount_from_lines), json!(follows));
            self.amount_from_lines = follows;
        }
        Ok((!changes.is_empty()).then_some(DealEvent::Updated { deal_id: self.id, changes }))
    }

    fn ensure_open(&self) -> Result<(), DealError> {
        if self.status.is_open() { Ok(()) } else { Err(DealError::AlreadyClosed { status: self.status.as_str() }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn note(text: &str) -> LossDetails {
        LossDetails { reason_id: None, note: Some(LostReason::parse(text).unwrap()) }
    }

    fn stage(pipeline_id: PipelineId, probability: i64) -> StageRef {
        StageRef {
            id: StageId::new(),
            pipeline_id,
            probability: Probability::new(probability).unwrap(),
            required: RequiredFields::default(),
        }
    }

    fn open_deal(stage: &StageRef, probability: Option<i64>) -> Deal {
        let new = NewDeal {
            workspace_id: WorkspaceId::new(),
            title: DealTitle::parse("Fleet renewal").unwrap(),
            value: Money::new(1_000_000, Currency::parse("IRR").unwrap()).unwrap(),
            probability: probability.map(|p| Probability::new(p).unwrap()),
            expected_close_date: None,
            owner_id: UserId::new(),
            opportunity_id: None,
            contact: None,
            organization_id: None,
            tags: Tags::default(),
            custom_fields: Map::new(),
            amount_from_lines: false,
        };
        Deal::open(new, stage, Position::first(), Utc::now()).unwrap().0
    }

    #[test]
    fn probability_defaults_from_the_stage_and_follows_moves() {
        let pipeline = PipelineId::new();
        let (qualified, proposal) = (stage(pipeline, 20), stage(pipeline, 60));
        let mut deal = open_deal(&qualified, None);
        assert_eq!(deal.effective_probability(qualified.probability).percent(), 20);
        assert_eq!(deal.weighted_amount(qualified.probability), 200_000);
        deal.move_to(&proposal, Position::first(), None, Utc::now()).unwrap();
        assert_eq!(deal.effective_probability(proposal.probability).percent(), 60);

        let pinned = open_deal(&qualified, Some(90));
        assert_eq!(pinned.effective_probability(proposal.probability).percent(), 90);
    }

    #[test]
    fn moving_to_another_stage_emits_a_stage_change_and_resets_the_stage_clock() {
        let pipeline = PipelineId::new();
        let (a, b) = (stage(pipeline, 10), stage(pipeline, 50));
        let mut deal = open_deal(&a, None);
        let later = Utc::now() + Duration::days(3);
        let event = deal.move_to(&b, Position::first(), None, later).unwrap().unwrap();
        assert_eq!(event.type_name(), "deal.stage_changed");
        assert!(
            matches!(event, DealEvent::StageChanged { from_stage_id, to_stage_id, .. } if from_stage_id == a.id && to_stage_id == b.id)
        );
        assert_eq!((deal.stage_id(), deal.stage_entered_at()), (b.id, later));
    }

    #[test]
    fn reordering_within_a_column_is_not_a_stage_change() {
        let a = stage(PipelineId::new(), 10);
        let mut deal = open_deal(&a, None);
        let entered = deal.stage_entered_at();
        let next = Position::between(Some(&Position::first()), None).unwrap();
        assert_eq!(deal.move_to(&a, next.clone(), None, Utc::now()).unwrap(), None);
        assert_eq!((deal.position().clone(), deal.stage_entered_at()), (next, entered));
    }

    #[test]
    fn a_deal_cannot_move_to_another_pipelines_stage() {
        let a = stage(PipelineId::new(), 10);
        let elsewhere = stage(PipelineId::new(), 10);
        let mut deal = open_deal(&a, None);
        assert_eq!(deal.move_to(&elsewhere, Position::first(), None, Utc::now()), Err(DealError::StageInOtherPipeline));
        assert_eq!(deal.stage_id(), a.id);
    }

    #[test]
    fn closed_deals_stay_in_their_stage_and_cannot_move_until_reopened() {
        let pipeline = PipelineId::new();
        let (a, b) = (stage(pipeline, 10), stage(pipeline, 50));
        for close in ["win", "lose"] {
            let mut deal = open_deal(&a, None);
            let event = match close {
                "win" => deal.win(Utc::now()).unwrap(),
                _ => deal.lose(note("went with a competitor"), false, Utc::now()).unwrap(),
            };
            assert_eq!(event.type_name(), if close == "win" { "deal.won" } else { "deal.lost" });
            assert_eq!(deal.stage_id(), a.id, "won and lost are statuses, not stages");
            assert!(matches!(deal.move_to(&b, Position::first(), None, Utc::now()), Err(DealError::ClosedDealCannotMove { .. })));
            assert!(matches!(deal.win(Utc::now()), Err(DealError::AlreadyClosed { .. })));
            assert_eq!(deal.reopen(&RequiredFields::default()).unwrap().type_name(), "deal.reopened");
            assert!(deal.move_to(&b, Position::first(), None, Utc::now()).unwrap().is_some());
        }
    }

    #[test]
    fn only_closed_deals_reopen() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        assert_eq!(deal.reopen(&RequiredFields::default()), Err(DealError::NotClosed));
    }

    #[test]
    fn lost_keeps_its_reason() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        deal.lose(note(" no budget "), false, Utc::now()).unwrap();
        assert_eq!(deal.status().lost_reason().map(LostReason::as_str), Some("no budget"));
        assert!(LostReason::parse("   ").is_err());
    }

    #[test]
    fn updates_list_only_real_changes() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        let same_title = DealPatch { title: Some(deal.title().clone()), ..Default::default() };
        assert_eq!(deal.update(same_title), Ok(None));
        let patch = DealPatch {
            amount_minor: Some(2_000_000),
            expected_close_date: Some(NaiveDate::from_ymd_opt(2027, 3, 21)),
            ..Default::default()
        };
        let Ok(Some(DealEvent::Updated { changes, .. })) = deal.update(patch) else { panic!("expected an update") };
        let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["amount_minor", "expected_close_date"]);
        assert_eq!(changes[0].previous, json!(1_000_000));
        assert_eq!(changes[1].current, json!("2027-03-21"));
    }

    #[test]
    fn a_tag_change_is_an_update_and_the_same_tags_are_none() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        let tags = Tags::parse(&["vip", "renewal"]).unwrap();
        let Ok(Some(DealEvent::Updated { changes, .. })) = deal.update(DealPatch { tags: Some(tags.clone()), ..Default::default() }) else {
            panic!("expected an update")
        };
        assert_eq!(changes.iter().map(|c| c.field).collect::<Vec<_>>(), ["tags"]);
        assert_eq!((changes[0].previous.clone(), changes[0].current.clone()), (json!([]), json!(["vip", "renewal"])));
        assert_eq!(deal.tags(), &tags);
        assert_eq!(deal.update(DealPatch { tags: Some(tags), ..Default::default() }), Ok(None));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn facts() -> NewDeal {
        NewDeal {
            workspace_id: WorkspaceId::new(),
            title: DealTitle::parse("Fleet renewal").unwrap(),
            value: Money::new(1_000_000, Currency::parse("IRR").unwrap()).unwrap(),
            probability: None,
            expected_close_date: None,
            owner_id: UserId::new(),
            opportunity_id: None,
            contact: None,
            organization_id: None,
            tags: Tags::default(),
            custom_fields: Map::new(),
            amount_from_lines: false,
        }
    }

    fn deal_in(stage: &StageRef) -> Deal {
        Deal::open(facts(), stage, Position::first(), Utc::now()).unwrap().0
    }

    #[test]
    fn a_deal_with_a_person_and_no_company_is_with_the_persons_company() {
        let stage = StageRef {
            id: StageId::new(),
            pipeline_id: PipelineId::new(),
            probability: Probability::new(10).unwrap(),
            required: RequiredFields::default(),
        };
        let (company, other) = (OrganizationId::new(), OrganizationId::new());
        let person = ContactLink { id: ContactId::new(), organization_id: Some(company) };
        let open = |contact, organization_id| {
            let new = NewDeal { contact, organization_id, ..facts() };
            Deal::open(new, &stage, Position::first(), Utc::now()).unwrap().0
        };
        let deal = open(Some(person), None);
        assert_eq!((deal.contact_id(), deal.organization_id()), (Some(person.id), Some(company)));
        assert_eq!(open(Some(person), Some(other)).organization_id(), Some(other), "a company named wins");
        assert_eq!(open(None, None).organization_id(), None);

        let mut deal = deal;
        let event = deal.update(DealPatch { contact_id: Some(None), ..Default::default() }).unwrap();
        assert_eq!((deal.contact_id(), deal.organization_id()), (None, Some(company)), "unlinking the person keeps the company");
        let Some(DealEvent::Updated { changes, .. }) = event else { panic!("an update event") };
        assert_eq!(changes.iter().map(|c| c.field).collect::<Vec<_>>(), ["contact_id"]);
    }

    #[test]
    fn a_deal_that_follows_its_lines_takes_their_total_as_its_amount() {
        let stage = StageRef {
            id: StageId::new(),
            pipeline_id: PipelineId::new(),
            probability: Probability::new(10).unwrap(),
            required: RequiredFields::default(),
        };
        let follows = NewDeal { amount_from_lines: true, ..facts() };
        assert_eq!(Deal::open(follows.clone(), &stage, Position::first(), Utc::now()).unwrap_err(), DealError::AmountFollowsLines);
        let zero = NewDeal { value: Money::new(0, Currency::parse("IRR").unwrap()).unwrap(), ..follows };
        let mut deal = Deal::open(zero, &stage, Position::first(), Utc::now()).unwrap().0;
        let lines = LinesSummary { count: 2, total_minor: 41_387_500 };
        let Some(DealEvent::Updated { changes, .. }) = deal.price_lines(LinesSummary::default(), lines, true).unwrap() else { panic!() };
        assert_eq!(changes.iter().map(|c| c.field).collect::<Vec<_>>(), ["line_items", "amount_minor"]);
        assert_eq!(deal.value().amount_minor(), 41_387_500);
        assert_eq!(deal.price_lines(lines, lines, false).unwrap(), None, "nothing changed");
        let refused = deal.update(DealPatch { amount_minor: Some(5), ..Default::default() });
        assert_eq!(refused.unwrap_err(), DealError::AmountFollowsLines);
        deal.update(DealPatch { amount_minor: Some(5), amount_from_lines: Some(false), ..Default::default() }).unwrap();
        assert_eq!(deal.value().amount_minor(), 5);
        let free = deal.price_lines(lines, LinesSummary { count: 1, total_minor: 7 }, true).unwrap();
        let Some(DealEvent::Updated { changes, .. }) = free else { panic!() };
        assert_eq!(changes.iter().map(|c| c.field).collect::<Vec<_>>(), ["line_items"], "a free amount stays");
        assert_eq!(deal.value().amount_minor(), 5);
    }

    #[test]
    fn amount_and_currency_change_alone_or_together() {
        let stage = StageRef {
            id: StageId::new(),
            pipeline_id: PipelineId::new(),
            probability: Probability::new(10).unwrap(),
            required: RequiredFields::default(),
        };
        let mut deal = deal_in(&stage);
        let usd = Currency::parse("USD").unwrap();
        deal.update(DealPatch { currency: Some(usd), ..Default::default() }).unwrap();
        assert_eq!((deal.value().amount_minor(), deal.value().currency()), (1_000_000, usd));
        deal.update(DealPatch { amount_minor: Some(5), ..Default::default() }).unwrap();
        assert_eq!((deal.value().amount_minor(), deal.value().currency()), (5, usd));
        assert!(matches!(deal.update(DealPatch { amount_minor: Some(-1), ..Default::default() }), Err(DealError::Amount(_))));
    }

    #[test]
    fn a_closed_deal_leaves_a_deleted_stage_but_never_for_another_pipeline() {
        let pipeline = PipelineId::new();
        let (a, b) = (
            StageRef {
                id: StageId::new(),
                pipeline_id: pipeline,
                probability: Probability::new(10).unwrap(),
                required: RequiredFields::default(),
            },
            StageRef {
                id: StageId::new(),
                pipeline_id: pipeline,
                probability: Probability::new(50).unwrap(),
                required: RequiredFields::default(),
            },
        );
        let mut deal = deal_in(&a);
        deal.win(Utc::now()).unwrap();
        let event = deal.leave_deleted_stage(&b, Position::first(), None, Utc::now()).unwrap();
        assert_eq!(event.type_name(), "deal.stage_changed");
        assert_eq!((deal.stage_id(), deal.status().as_str()), (b.id, "won"));
        let elsewhere = StageRef {
            id: StageId::new(),
            pipeline_id: PipelineId::new(),
            probability: Probability::new(10).unwrap(),
            required: RequiredFields::default(),
        };
        assert_eq!(deal.leave_deleted_stage(&elsewhere, Position::first(), None, Utc::now()), Err(DealError::StageInOtherPipeline));
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::deal_rules::ManagedLostReason;

    fn facts() -> NewDeal {
        NewDeal {
            workspace_id: WorkspaceId::new(),
            title: DealTitle::parse("Fleet renewal").unwrap(),
            value: Money::new(0, Currency::parse("IRR").unwrap()).unwrap(),
            probability: None,
            expected_close_date: None,
            owner_id: UserId::new(),
            opportunity_id: None,
            contact: None,
            organization_id: None,
            tags: Tags::default(),
            custom_fields: Map::new(),
            amount_from_lines: false,
        }
    }

    fn stage(pipeline_id: PipelineId, required: &[&str]) -> StageRef {
        StageRef {
            id: StageId::new(),
            pipeline_id,
            probability: Probability::new(10).unwrap(),
            required: RequiredFields::parse(required).unwrap(),
        }
    }

    #[test]
    fn a_stage_refuses_a_deal_without_its_required_fields_on_open_move_and_reopen() {
        let pipeline = PipelineId::new();
        let (free, strict) = (stage(pipeline, &[]), stage(pipeline, &["amount", "expected_close_date", "fleet_size"]));
        let refused = Deal::open(facts(), &strict, Position::first(), Utc::now()).unwrap_err();
        let DealError::RequiredFieldsMissing { fields } = refused else { panic!("expected missing fields") };
        assert_eq!(fields.iter().map(RequiredField::name).collect::<Vec<_>>(), ["amount", "expected_close_date", "fleet_size"]);

        let (mut deal, _) = Deal::open(facts(), &free, Position::first(), Utc::now()).unwrap();
        assert!(matches!(deal.move_to(&strict, Position::first(), None, Utc::now()), Err(DealError::RequiredFieldsMissing { .. })));
        assert_eq!(deal.stage_id(), free.id);
        let mut fields = Map::new();
        fields.insert("fleet_size".into(), json!("  "));
        deal.update(DealPatch {
            amount_minor: Some(5),
            expected_close_date: Some(NaiveDate::from_ymd_opt(2027, 1, 1)),
            custom_fields: Some(fields.clone()),
            ..Default::default()
        })
        .unwrap();
        let Err(DealError::RequiredFieldsMissing { fields: missing }) = deal.move_to(&strict, Position::first(), None, Utc::now()) else {
            panic!("blank text is no value")
        };
        assert_eq!(missing, [RequiredField::Custom("fleet_size".into())]);
        fields.insert("fleet_size".into(), json!(12));
        deal.update(DealPatch { custom_fields: Some(fields), ..Default::default() }).unwrap();
        assert!(deal.move_to(&strict, Position::first(), None, Utc::now()).unwrap().is_some());

        deal.win(Utc::now()).unwrap();
        let stricter = RequiredFields::parse(&["contact_id"]).unwrap();
        assert!(matches!(deal.reopen(&stricter), Err(DealError::RequiredFieldsMissing { .. })));
        assert!(deal.reopen(&strict.required).is_ok());
    }

    #[test]
    fn a_deal_is_lost_for_an_active_managed_reason_a_note_or_both() {
        let free = stage(PipelineId::new(), &[]);
        let open = || Deal::open(facts(), &free, Position::first(), Utc::now()).unwrap().0;
        let active = ManagedLostReason { id: LostReasonId::new(), active: true };
        let inactive = ManagedLostReason { id: LostReasonId::new(), active: false };
        let note = Some(LostReason::parse("too expensive").unwrap());

        assert_eq!(open().lose(LossDetails::default(), false, Utc::now()), Err(DealError::LostReasonMissing { managed_required: false }));
        let only_note = LossDetails { reason_id: None, note: note.clone() };
        assert_eq!(open().lose(only_note.clone(), true, Utc::now()), Err(DealError::LostReasonMissing { managed_required: true }));
        assert_eq!(
            open().lose(LossDetails { reason_id: Some(inactive), note: None }, false, Utc::now()),
            Err(DealError::LostReasonInactive)
        );

        let mut deal = open();
        let event = deal.lose(LossDetails { reason_id: Some(active), note: note.clone() }, true, Utc::now()).unwrap();
        assert!(matches!(event, DealEvent::Lost { reason_id: Some(id), reason: Some(_), .. } if id == active.id));
        assert_eq!((deal.status().lost_reason_id(), deal.status().lost_reason()), (Some(active.id), note.as_ref()));
        let mut deal = open();
        deal.lose(only_note, false, Utc::now()).unwrap();
        assert_eq!(deal.status().lost_reason_id(), None);
    }
}
