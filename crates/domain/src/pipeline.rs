//! Pipelines and their stages: the columns of a board, their order, and the rules of adding,
//! reordering and removing them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::deal::StageRef;
use crate::deal_rules::RequiredFields;
use crate::ids::{PipelineId, StageId, WorkspaceId};
use crate::money::Currency;
use crate::probability::Probability;
use crate::text::bounded_text;

bounded_text!(
    /// A pipeline's display name.
    PipelineName,
    100
);
bounded_text!(
    /// A stage's display name (a kanban column header).
    StageName,
    100
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("rotting days must be between 1 and 3650")]
pub struct RottingDaysError;

/// After this many days idle in a stage, an open deal is shown as rotting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RottingDays(u16);

impl RottingDays {
    pub fn new(days: i64) -> Result<Self, RottingDaysError> {
        u16::try_from(days).ok().filter(|d| (1..=3650).contains(d)).map(RottingDays).ok_or(RottingDaysError)
    }

    pub fn days(self) -> u16 {
        self.0
    }

    /// Whether a deal that entered its stage at `entered_at` is rotting at `now`.
    pub fn is_rotting(self, entered_at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
        now - entered_at > chrono::Duration::days(i64::from(self.0))
    }
}

/// A pipeline holds at most this many stages: a board wider than that is unusable.
pub const MAX_STAGES: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PipelineError {
    #[error("a pipeline needs at least one stage")]
    NoStages,
    #[error("a pipeline has at most {MAX_STAGES} stages")]
    TooManyStages,
    #[error("a pipeline keeps at least one stage")]
    LastStage,
    #[error("no such stage in this pipeline")]
    UnknownStage,
    #[error("the stage holds {deals} deals; say which stage they move to (move_deals_to)")]
    StageHasDeals { deals: usize },
    #[error("the deals must move to another stage of the same pipeline")]
    BadMoveTarget,
    #[error("the pipeline holds {deals} deals; archive it, or move or delete its deals first")]
    HasDeals { deals: u64 },
    #[error("the pipeline is archived")]
    Archived,
}

/// A column of a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    id: StageId,
    name: StageName,
    probability: Probability,
    rotting_days: Option<RottingDays>,
    required_fields: RequiredFields,
}

/// What a new stage is made of.
#[derive(Clone, Debug)]
pub struct NewStage {
    pub name: StageName,
    pub probability: Probability,
    pub rotting_days: Option<RottingDays>,
    /// What a deal must have to enter the stage.
    pub required_fields: RequiredFields,
}

/// A change to a stage; `None` leaves a field as it is. `rotting_days: Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct StagePatch {
    pub name: Option<StageName>,
    pub probability: Option<Probability>,
    pub rotting_days: Option<Option<RottingDays>>,
    /// Zero-based column index to move the stage to; the other columns shift.
    pub position: Option<usize>,
    /// Replaces what a deal must have to enter the stage.
    pub required_fields: Option<RequiredFields>,
}

impl Stage {
    /// A stage as it was stored.
    pub fn restore(
        id: StageId,
        name: StageName,
        probability: Probability,
        rotting_days: Option<RottingDays>,
        required_fields: RequiredFields,
    ) -> Stage {
        Stage { id, name, probability, rotting_days, required_fields }
    }

    pub fn id(&self) -> StageId {
        self.id
    }

    pub fn name(&self) -> &StageName {
        &self.name
    }

    pub fn probability(&self) -> Probability {
        self.probability
    }

    pub fn rotting_days(&self) -> Option<RottingDays> {
        self.rotting_days
    }

    pub fn required_fields(&self) -> &RequiredFields {
        &self.required_fields
    }

    /// What the deal rules need to know of it, in `pipeline_id`.
    pub fn to_ref(&self, pipeline_id: PipelineId) -> StageRef {
        StageRef { id: self.id, pipeline_id, probability: self.probability, required: self.required_fields.clone() }
    }
}

/// A pipeline with its stages in column order. Stages are added, changed, reordered and removed
/// through it, so that its rules (one to thirty stages, deals of a removed stage go to another
/// stage of the same pipeline) hold whatever the caller.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    id: PipelineId,
    workspace_id: WorkspaceId,
    name: PipelineName,
    currency: Currency,
    archived_at: Option<DateTime<Utc>>,
    stages: Vec<Stage>,
}

/// A change to a pipeline; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct PipelinePatch {
    pub name: Option<PipelineName>,
    pub currency: Option<Currency>,
    pub archived: Option<bool>,
    /// Zero-based place among the workspace's pipelines.
    pub position: Option<usize>,
}

impl Pipeline {
    /// A new pipeline with `stages` in that order.
    pub fn create(
        workspace_id: WorkspaceId,
        name: PipelineName,
        currency: Currency,
        stages: Vec<NewStage>,
    ) -> Result<Pipeline, PipelineError> {
        if stages.is_empty() {
            return Err(PipelineError::NoStages);
        }
        if stages.len() > MAX_STAGES {
            return Err(PipelineError::TooManyStages);
        }
        let stages =
            stages.into_iter().map(|s| Stage::restore(StageId::new(), s.name, s.probability, s.rotting_days, s.required_fields)).collect();
        Ok(Pipeline { id: PipelineId::new(), workspace_id, name, currency, archived_at: None, stages })
    }

    /// A pipeline as it was stored, its stages in column order.
    pub fn restore(
        id: PipelineId,
        workspace_id: WorkspaceId,
        name: PipelineName,
        currency: Currency,
        archived_at: Option<DateTime<Utc>>,
        stages: Vec<Stage>,
    ) -> Pipeline {
        Pipeline { id, workspace_id, name, currency, archived_at, stages }
    }

    pub fn id(&self) -> PipelineId {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn name(&self) -> &PipelineName {
        &self.name
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.archived_at
    }

    /// In column order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    pub fn stage(&self, id: StageId) -> Result<&Stage, PipelineError> {
        self.stages.iter().find(|s| s.id == id).ok_or(PipelineError::UnknownStage)
    }

    /// What the deal rules need to know of one of its stages.
    pub fn stage_ref(&self, id: StageId) -> Result<StageRef, PipelineError> {
        Ok(self.stage(id)?.to_ref(self.id))
    }

    /// The stage a new deal opens in: `stage`, or else the first.
    pub fn stage_for_new_deal(&self, stage: Option<StageId>) -> Result<StageRef, PipelineError> {
        if self.archived_at.is_some() {
            return Err(PipelineError::Archived);
        }
        match stage {
            Some(id) => self.stage_ref(id),
            None => self.stage_ref(self.stages[0].id),
        }
    }

    /// Renames, re-currencies or (un)archives the pipeline; its place among the workspace's
    /// pipelines is the store's to keep.
    pub fn update(&mut self, patch: &PipelinePatch, now: DateTime<Utc>) {
        if let Some(name) = &patch.name {
            self.name = name.clone();
        }
        if let Some(currency) = patch.currency {
            self.currency = currency;
        }
        match patch.archived {
            Some(true) => self.archived_at = self.archived_at.or(Some(now)),
            Some(false) => self.archived_at = None,
            None => {}
        }
    }

    /// Refuses to delete a pipeline that holds deals: they are its history.
    pub fn ensure_deletable(&self, deals: u64) -> Result<(), PipelineError> {
        if deals > 0 { Err(PipelineError::HasDeals { deals }) } else { Ok(()) }
    }

    /// Adds a stage at `position` (default: the end) and returns its id.
    pub fn add_stage(&mut self, new: NewStage, position: Option<usize>) -> Result<StageId, PipelineError> {
        if self.stages.len() >= MAX_STAGES {
            return Err(PipelineError::TooManyStages);
        }
        let stage = Stage::restore(StageId::new(), new.name, new.probability, new.rotting_days, new.required_fields);
        let id = stage.id;
        let at = position.unwrap_or(self.stages.len()).min(self.stages.len());
        self.stages.insert(at, stage);
        Ok(id)
    }

    /// Changes a stage and, with `position`, moves its column.
    pub fn update_stage(&mut self, id: StageId, patch: StagePatch) -> Result<(), PipelineError> {
        let index = self.stages.iter().position(|s| s.id == id).ok_or(PipelineError::UnknownStage)?;
        let stage = &mut self.stages[index];
        if let Some(name) = patch.name {
            stage.name = name;
        }
        if let Some(probability) = patch.probability {
            stage.probability = probability;
        }
        if let Some(rotting_days) = patch.rotting_days {
            stage.rotting_days = rotting_days;
        }
        if let Some(required_fields) = patch.required_fields {
            stage.required_fields = required_fields;
        }
        if let Some(position) = patch.position {
            let stage = self.stages.remove(index);
            self.stages.insert(position.min(self.stages.len()), stage);
        }
        Ok(())
    }

    /// Removes a stage that holds `deals` deals. They go to `move_deals_to`, which must be
    /// another stage of this pipeline; the returned stage is where they go, if anywhere.
    pub fn remove_stage(&mut self, id: StageId, deals: usize, move_deals_to: Option<StageId>) -> Result<Option<StageRef>, PipelineError> {
        let index = self.stages.iter().position(|s| s.id == id).ok_or(PipelineError::UnknownStage)?;
        if self.stages.len() == 1 {
            return Err(PipelineError::LastStage);
        }
        let target = match (deals, move_deals_to) {
            (0, _) => None,
            (deals, None) => return Err(PipelineError::StageHasDeals { deals }),
            (_, Some(target)) if target == id => return Err(PipelineError::BadMoveTarget),
            (_, Some(target)) => Some(self.stage_ref(target).map_err(|_| PipelineError::BadMoveTarget)?),
        };
        self.stages.remove(index);
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn rotting_days_are_bounded() {
        assert!(RottingDays::new(0).is_err());
        assert!(RottingDays::new(3651).is_err());
        assert_eq!(RottingDays::new(14).unwrap().days(), 14);
    }

    #[test]
    fn a_deal_rots_after_the_threshold_not_at_it() {
        let now = Utc::now();
        let days = RottingDays::new(7).unwrap();
        assert!(!days.is_rotting(now - Duration::days(7), now));
        assert!(days.is_rotting(now - Duration::days(7) - Duration::seconds(1), now));
    }

    fn stages(n: usize) -> Vec<NewStage> {
        (0..n)
            .map(|i| NewStage {
                name: StageName::parse(&format!("S{i}")).unwrap(),
                probability: Probability::new(10).unwrap(),
                rotting_days: None,
                required_fields: RequiredFields::default(),
            })
            .collect()
    }

    fn pipeline(n: usize) -> Pipeline {
        Pipeline::create(WorkspaceId::new(), PipelineName::parse("Sales").unwrap(), Currency::parse("IRR").unwrap(), stages(n)).unwrap()
    }

    #[test]
    fn a_pipeline_has_one_to_thirty_stages() {
        let create =
            |n| Pipeline::create(WorkspaceId::new(), PipelineName::parse("P").unwrap(), Currency::parse("IRR").unwrap(), stages(n));
        assert_eq!(create(0).unwrap_err(), PipelineError::NoStages);
        assert_eq!(create(31).unwrap_err(), PipelineError::TooManyStages);
        let mut full = create(30).unwrap();
        assert_eq!(full.add_stage(stages(1).remove(0), None), Err(PipelineError::TooManyStages));
        let mut one = pipeline(1);
        let only = one.stages()[0].id();
        assert_eq!(one.remove_stage(only, 0, None), Err(PipelineError::LastStage));
    }

    #[test]
    fn stages_are_added_and_moved_by_column_index() {
        let mut p = pipeline(3);
        let ids: Vec<StageId> = p.stages().iter().map(Stage::id).collect();
        let added = p.add_stage(stages(1).remove(0), Some(1)).unwrap();
        assert_eq!(p.stages().iter().map(Stage::id).collect::<Vec<_>>(), [ids[0], added, ids[1], ids[2]]);
        p.update_stage(ids[2], StagePatch { position: Some(0), ..Default::default() }).unwrap();
        assert_eq!(p.stages()[0].id(), ids[2]);
        p.update_stage(ids[2], StagePatch { position: Some(99), ..Default::default() }).unwrap();
        assert_eq!(p.stages()[3].id(), ids[2]);
    }

    #[test]
    fn a_removed_stage_sends_its_deals_to_another_stage_of_the_pipeline() {
        let mut p = pipeline(3);
        let ids: Vec<StageId> = p.stages().iter().map(Stage::id).collect();
        assert_eq!(p.remove_stage(ids[0], 4, None), Err(PipelineError::StageHasDeals { deals: 4 }));
        assert_eq!(p.remove_stage(ids[0], 4, Some(ids[0])), Err(PipelineError::BadMoveTarget));
        assert_eq!(p.remove_stage(ids[0], 4, Some(StageId::new())), Err(PipelineError::BadMoveTarget));
        let target = p.remove_stage(ids[0], 4, Some(ids[2])).unwrap().unwrap();
        assert_eq!((target.id, target.pipeline_id), (ids[2], p.id()));
        assert_eq!(p.remove_stage(ids[1], 0, None), Ok(None));
        assert_eq!(p.stages().len(), 1);
    }

    #[test]
    fn an_archived_pipeline_opens_no_deals() {
        let mut p = pipeline(2);
        assert_eq!(p.stage_for_new_deal(None).unwrap().id, p.stages()[0].id());
        p.update(&PipelinePatch { archived: Some(true), ..Default::default() }, Utc::now());
        assert_eq!(p.stage_for_new_deal(None), Err(PipelineError::Archived));
        assert_eq!(p.ensure_deletable(2), Err(PipelineError::HasDeals { deals: 2 }));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(StageName::parse("  Proposal ").unwrap().as_str(), "Proposal");
        assert!(PipelineName::parse("").is_err());
        assert!(PipelineName::parse(&"x".repeat(101)).is_err());
    }
}
