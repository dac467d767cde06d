//! Deals: the kanban cards, and the rules of how they move and close.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use thiserror::Error;

use crate::events::{DealChange, DomainEvent, date_value};
use crate::ids::{DealId, PipelineId, StageId, UserId, WorkspaceId};
use crate::money::Money;
use crate::position::Position;
use crate::probability::Probability;
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
}

/// Won and lost are statuses, not stages: a closed deal keeps the stage it closed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DealStatus {
    Open,
    Won { at: DateTime<Utc> },
    Lost { reason: LostReason, at: DateTime<Utc> },
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
            DealStatus::Lost { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

/// What the rules need to know about a stage a deal is in or moves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageRef {
    pub id: StageId,
    pub pipeline_id: PipelineId,
    pub probability: Probability,
}

/// A deal as the rules see it. Fields are typed so that an invalid deal cannot be built; the
/// transitions below are the only way its stage and status change.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    pub id: DealId,
    pub workspace_id: WorkspaceId,
    pub pipeline_id: PipelineId,
    pub stage_id: StageId,
    pub title: DealTitle,
    pub value: Money,
    /// `None` follows the stage's probability, wherever the deal moves.
    pub probability: Option<Probability>,
    pub expected_close_date: Option<NaiveDate>,
    pub owner_id: UserId,
    pub status: DealStatus,
    pub position: Position,
    pub stage_entered_at: DateTime<Utc>,
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
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct DealPatch {
    pub title: Option<DealTitle>,
    pub value: Option<Money>,
    pub probability: Option<Option<Probability>>,
    pub expected_close_date: Option<Option<NaiveDate>>,
    pub owner_id: Option<UserId>,
}

impl Deal {
    /// Opens a deal in `stage` at `position`.
    pub fn open(new: NewDeal, stage: &StageRef, position: Position, now: DateTime<Utc>) -> (Deal, DomainEvent) {
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
        };
        let event = DomainEvent::DealCreated { deal_id: deal.id };
        (deal, event)
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
    ) -> Result<Option<DomainEvent>, DealError> {
        if !self.status.is_open() {
            return Err(DealError::ClosedDealCannotMove { status: self.status.as_str() });
        }
        if target.pipeline_id != self.pipeline_id {
            return Err(DealError::StageInOtherPipeline);
        }
        self.position = position;
        if target.id == self.stage_id {
            return Ok(None);
        }
        let from_stage_id = self.stage_id;
        self.stage_id = target.id;
        self.stage_entered_at = now;
        Ok(Some(DomainEvent::DealStageChanged {
            deal_id: self.id,
            pipeline_id: self.pipeline_id,
            from_stage_id,
            to_stage_id: target.id,
            actor_id,
            at: now,
        }))
    }

    pub fn win(&mut self, now: DateTime<Utc>) -> Result<DomainEvent, DealError> {
        self.ensure_open()?;
        self.status = DealStatus::Won { at: now };
        Ok(DomainEvent::DealWon { deal_id: self.id, at: now })
    }

    pub fn lose(&mut self, reason: LostReason, now: DateTime<Utc>) -> Result<DomainEvent, DealError> {
        self.ensure_open()?;
        let event = DomainEvent::DealLost { deal_id: self.id, reason: reason.as_str().to_owned(), at: now };
        self.status = DealStatus::Lost { reason, at: now };
        Ok(event)
    }

    /// Reopens a won or lost deal in the stage where it closed.
    pub fn reopen(&mut self) -> Result<DomainEvent, DealError> {
        if self.status.is_open() {
            return Err(DealError::NotClosed);
        }
        self.status = DealStatus::Open;
        Ok(DomainEvent::DealReopened { deal_id: self.id })
    }

    /// Applies `patch`; returns the `deal.updated` event listing each field that really changed.
    pub fn update(&mut self, patch: DealPatch) -> Option<DomainEvent> {
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
        if let Some(value) = patch.value {
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
        (!changes.is_empty()).then_some(DomainEvent::DealUpdated { deal_id: self.id, changes })
    }

    fn ensure_open(&self) -> Result<(), DealError> {
        if self.status.is_open() { Ok(()) } else { Err(DealError::AlreadyClosed { status: self.status.as_str() }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use chrono::Duration;

    fn stage(pipeline_id: PipelineId, probability: i64) -> StageRef {
        StageRef { id: StageId::new(), pipeline_id, probability: Probability::new(probability).unwrap() }
    }

    fn open_deal(stage: &StageRef, probability: Option<i64>) -> Deal {
        let new = NewDeal {
            workspace_id: WorkspaceId::new(),
            title: DealTitle::parse("Fleet renewal").unwrap(),
            value: Money::new(1_000_000, Currency::parse("IRR").unwrap()).unwrap(),
            probability: probability.map(|p| Probability::new(p).unwrap()),
            expected_close_date: None,
            owner_id: UserId::new(),
        };
        Deal::open(new, stage, Position::first(), Utc::now()).0
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
            matches!(event, DomainEvent::DealStageChanged { from_stage_id, to_stage_id, .. } if from_stage_id == a.id && to_stage_id == b.id)
        );
        assert_eq!((deal.stage_id, deal.stage_entered_at), (b.id, later));
    }

    #[test]
    fn reordering_within_a_column_is_not_a_stage_change() {
        let a = stage(PipelineId::new(), 10);
        let mut deal = open_deal(&a, None);
        let entered = deal.stage_entered_at;
        let next = Position::between(Some(&Position::first()), None).unwrap();
        assert_eq!(deal.move_to(&a, next.clone(), None, Utc::now()).unwrap(), None);
        assert_eq!((deal.position, deal.stage_entered_at), (next, entered));
    }

    #[test]
    fn a_deal_cannot_move_to_another_pipelines_stage() {
        let a = stage(PipelineId::new(), 10);
        let elsewhere = stage(PipelineId::new(), 10);
        let mut deal = open_deal(&a, None);
        assert_eq!(deal.move_to(&elsewhere, Position::first(), None, Utc::now()), Err(DealError::StageInOtherPipeline));
        assert_eq!(deal.stage_id, a.id);
    }

    #[test]
    fn closed_deals_stay_in_their_stage_and_cannot_move_until_reopened() {
        let pipeline = PipelineId::new();
        let (a, b) = (stage(pipeline, 10), stage(pipeline, 50));
        for close in ["win", "lose"] {
            let mut deal = open_deal(&a, None);
            let event = match close {
                "win" => deal.win(Utc::now()).unwrap(),
                _ => deal.lose(LostReason::parse("went with a competitor").unwrap(), Utc::now()).unwrap(),
            };
            assert_eq!(event.type_name(), if close == "win" { "deal.won" } else { "deal.lost" });
            assert_eq!(deal.stage_id, a.id, "won and lost are statuses, not stages");
            assert!(matches!(deal.move_to(&b, Position::first(), None, Utc::now()), Err(DealError::ClosedDealCannotMove { .. })));
            assert!(matches!(deal.win(Utc::now()), Err(DealError::AlreadyClosed { .. })));
            assert_eq!(deal.reopen().unwrap().type_name(), "deal.reopened");
            assert!(deal.move_to(&b, Position::first(), None, Utc::now()).unwrap().is_some());
        }
    }

    #[test]
    fn only_closed_deals_reopen() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        assert_eq!(deal.reopen(), Err(DealError::NotClosed));
    }

    #[test]
    fn lost_keeps_its_reason() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        deal.lose(LostReason::parse(" no budget ").unwrap(), Utc::now()).unwrap();
        assert_eq!(deal.status.lost_reason().map(LostReason::as_str), Some("no budget"));
        assert!(LostReason::parse("   ").is_err());
    }

    #[test]
    fn updates_list_only_real_changes() {
        let mut deal = open_deal(&stage(PipelineId::new(), 10), None);
        let same_title = DealPatch { title: Some(deal.title.clone()), ..Default::default() };
        assert_eq!(deal.update(same_title), None);
        let patch = DealPatch {
            value: Some(Money::new(2_000_000, Currency::parse("IRR").unwrap()).unwrap()),
            expected_close_date: Some(NaiveDate::from_ymd_opt(2027, 3, 21)),
            ..Default::default()
        };
        let Some(DomainEvent::DealUpdated { changes, .. }) = deal.update(patch) else { panic!("expected an update") };
        let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["amount_minor", "expected_close_date"]);
        assert_eq!(changes[0].previous, json!(1_000_000));
        assert_eq!(changes[1].current, json!("2027-03-21"));
    }
}
