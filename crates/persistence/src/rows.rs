//! Stored rows and the records built from them, for the aggregates that several areas read: a
//! deal with its stage's probability, a pipeline with its stages. Loading and converting only;
//! what may change is the domain's to say.

use kariz_domain::search::search_key;
use kariz_domain::{
    Currency, Deal, DealId, DealStatus, DealTitle, LostReason, Money, Pipeline, PipelineId, PipelineName, Position, Probability,
    RequiredFields, RottingDays, Stage, StageId, StageName, StoredDeal, WorkspaceId,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select};

use crate::custom_fields::stored_values;
use crate::entities::{deals, leads, pipelines, stages};
use crate::error::{StoreError, StoreResult};
use crate::records::{DealRecord, LeadRecord, PipelineRecord, StageRecord};

/// A deal built back from its row; `stage_probability` is its stage's.
pub(crate) fn deal_record(row: deals::Model, stage_probability: Probability) -> StoreResult<DealRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("deals", e);
    let currency = Currency::from_stored(&row.currency).map_err(|e| corrupt(&e))?;
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let status = match (row.status.as_str(), row.closed_at) {
        ("open", _) => DealStatus::Open,
        ("won", Some(at)) => DealStatus::Won { at },
        ("lost", Some(at)) => DealStatus::Lost {
            reason: row.lost_reason.as_deref().map(LostReason::parse).transpose().map_err(|e| corrupt(&e))?,
            reason_id: row.lost_reason_id.map(Into::into),
            at,
        },
        (other, _) => return Err(corrupt(&format!("status {other}"))),
    };
    let deal = Deal::restore(StoredDeal {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        pipeline_id: row.pipeline_id.into(),
        stage_id: row.stage_id.into(),
        title: DealTitle::parse(&row.title).map_err(|e| corrupt(&e))?,
        value: Money::new(row.amount_minor, currency).map_err(|e| corrupt(&e))?,
        probability: row.probability.map(|p| Probability::new(p.into())).transpose().map_err(|e| corrupt(&e))?,
        expected_close_date: row.expected_close_date,
        owner_id: row.owner_id.into(),
        status,
        position: Position::parse(&row.position).map_err(|e| corrupt(&e))?,
        stage_entered_at: row.stage_entered_at,
        opportunity_id: row.opportunity_id.map(Into::into),
        contact_id: row.contact_id.map(Into::into),
        organization_id: row.organization_id.map(Into::into),
        tags: kariz_domain::Tags::parse(&tags).map_err(|e| corrupt(&e))?,
        custom_fields: stored_values("deals", &row.custom_fields)?,
        amount_from_lines: row.amount_from_lines,
    });
    Ok(DealRecord { deal, stage_probability, version: row.version, created_at: row.created_at, updated_at: row.updated_at })
}

/// The row of a deal, every column.
pub(crate) fn deal_row(record: &DealRecord) -> deals::Model {
    let deal = &record.deal;
    deals::Model {
        id: deal.id().as_uuid(),
        workspace_id: deal.workspace_id().as_uuid(),
        pipeline_id: deal.pipeline_id().as_uuid(),
        stage_id: deal.stage_id().as_uuid(),
        title: deal.title().as_str().to_owned(),
        amount_minor: deal.value().amount_minor(),
        currency: deal.value().currency().as_str().to_owned(),
        probability: deal.own_probability().map(|p| p.percent().into()),
        expected_close_date: deal.expected_close_date(),
        owner_id: deal.owner_id().as_uuid(),
        status: deal.status().as_str().to_owned(),
        lost_reason: deal.status().lost_reason().map(|r| r.as_str().to_owned()),
        closed_at: deal.status().closed_at(),
        position: deal.position().as_str().to_owned(),
        stage_entered_at: deal.stage_entered_at(),
        search_text: search_key([deal.title().as_str()], None),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
        opportunity_id: deal.opportunity_id().map(|o| o.as_uuid()),
        contact_id: deal.contact_id().map(|c| c.as_uuid()),
        organization_id: deal.organization_id().map(|o| o.as_uuid()),
        tags: deal.tags().to_json(),
        custom_fields: serde_json::Value::Object(deal.custom_fields().clone()).to_string(),
        lost_reason_id: deal.status().lost_reason_id().map(|r| r.as_uuid()),
        amount_from_lines: deal.amount_from_lines(),
    }
}

pub(crate) fn with_stage(query: Select<deals::Entity>) -> sea_orm::SelectTwo<deals::Entity, stages::Entity> {
    query.join(JoinType::InnerJoin, deals::Relation::Stage.def()).select_also(stages::Entity)
}

pub(crate) fn joined_record((deal, stage): (deals::Model, Option<stages::Model>)) -> StoreResult<DealRecord> {
    let stage = stage.ok_or_else(|| StoreError::corrupt("deals", "deal without its stage"))?;
    let probability = Probability::new(stage.probability.into()).map_err(|e| StoreError::corrupt("stages", e))?;
    deal_record(deal, probability)
}

/// A deal of the workspace, with its stage's probability.
pub(crate) async fn deal_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, deal_id: DealId) -> StoreResult<DealRecord> {
    let row = with_stage(
        deals::Entity::find().filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid())).filter(deals::Column::Id.eq(deal_id.as_uuid())),
    )
    .one(conn)
    .await?
    .ok_or(StoreError::NotFound("deal"))?;
    joined_record(row)
}

/// The last position in a column, leaving out `except` (the card being moved).
pub(crate) async fn last_position<C: ConnectionTrait>(
    conn: &C,
    stage_id: StageId,
    except: Option<DealId>,
) -> StoreResult<Option<Position>> {
    let mut query = deals::Entity::find().filter(deals::Column::StageId.eq(stage_id.as_uuid()));
    if let Some(except) = except {
        query = query.filter(deals::Column::Id.ne(except.as_uuid()));
    }
    let row = query.order_by_desc(deals::Column::Position).one(conn).await?;
    row.map(|r| Position::parse(&r.position)).transpose().map_err(|e| StoreError::corrupt("deals", e))
}

/// The nearest position after (or before) `from` in a column, ignoring the card being moved.
pub(crate) async fn adjacent_position<C: ConnectionTrait>(
    conn: &C,
    stage_id: StageId,
    moving: DealId,
    from: &Position,
    after: bool,
) -> StoreResult<Option<Position>> {
    let query = deals::Entity::find().filter(deals::Column::StageId.eq(stage_id.as_uuid())).filter(deals::Column::Id.ne(moving.as_uuid()));
    let query = if after {
        query.filter(deals::Column::Position.gt(from.as_str())).order_by_asc(deals::Column::Position)
    } else {
        query.filter(deals::Column::Position.lt(from.as_str())).order_by_desc(deals::Column::Position)
    };
    let row = query.one(conn).await?;
    row.map(|r| Position::parse(&r.position)).transpose().map_err(|e| StoreError::corrupt("deals", e))
}

/// A stage's required fields as stored (a JSON array of names).
pub(crate) fn required_fields_of(row: &stages::Model) -> StoreResult<RequiredFields> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("stages", e);
    let names: Vec<String> = serde_json::from_str(&row.required_fields).map_err(|e| corrupt(&e))?;
    RequiredFields::parse(&names).map_err(|e| corrupt(&e))
}

/// What the deal rules need to know of a stored stage.
pub(crate) fn stage_ref(record: &StageRecord) -> kariz_domain::StageRef {
    kariz_domain::StageRef {
        id: record.id,
        pipeline_id: record.pipeline_id,
        probability: record.probability,
        required: record.required_fields.clone(),
    }
}

pub(crate) fn stage_record(row: &stages::Model) -> StoreResult<StageRecord> {
    Ok(StageRecord {
        id: row.id.into(),
        pipeline_id: row.pipeline_id.into(),
        name: row.name.clone(),
        position: row.position,
        probability: Probability::new(row.probability.into()).map_err(|e| StoreError::corrupt("stages", e))?,
        rotting_days: row.rotting_days.and_then(|d| u16::try_from(d).ok()),
        required_fields: required_fields_of(row)?,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A pipeline's row with its stages' rows in column order: what it is stored as.
#[derive(Clone, Debug)]
pub(crate) struct PipelineRows {
    pub pipeline: pipelines::Model,
    pub stages: Vec<stages::Model>,
}

impl PipelineRows {
    /// The pipeline as the rules see it.
    pub(crate) fn aggregate(&self) -> StoreResult<Pipeline> {
        let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("pipelines", e);
        let stages = self
            .stages
            .iter()
            .map(|s| {
                Ok(Stage::restore(
                    s.id.into(),
                    StageName::parse(&s.name).map_err(|e| corrupt(&e))?,
                    Probability::new(s.probability.into()).map_err(|e| corrupt(&e))?,
                    s.rotting_days.map(|d| RottingDays::new(d.into())).transpose().map_err(|e| corrupt(&e))?,
                    required_fields_of(s)?,
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let row = &self.pipeline;
        Ok(Pipeline::restore(
            row.id.into(),
            row.workspace_id.into(),
            PipelineName::parse(&row.name).map_err(|e| corrupt(&e))?,
            Currency::from_stored(&row.currency).map_err(|e| corrupt(&e))?,
            row.archived_at,
            stages,
        ))
    }

    /// The pipeline as it is read.
    pub(crate) fn record(&self) -> StoreResult<PipelineRecord> {
        let row = &self.pipeline;
        Ok(PipelineRecord {
            id: row.id.into(),
            name: row.name.clone(),
            currency: Currency::from_stored(&row.currency).map_err(|e| StoreError::corrupt("pipelines", e))?,
            position: row.position,
            archived_at: row.archived_at,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            stages: self.stages.iter().map(stage_record).collect::<StoreResult<_>>()?,
        })
    }
}

/// A pipeline of the workspace with its stages.
pub(crate) async fn pipeline_rows<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    pipeline_id: PipelineId,
) -> StoreResult<PipelineRows> {
    let pipeline = pipelines::Entity::find_by_id(pipeline_id.as_uuid())
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("pipeline"))?;
    let stages = stages::Entity::find()
        .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(stages::Column::PipelineId.eq(pipeline_id.as_uuid()))
        .order_by_asc(stages::Column::Position)
        .all(conn)
        .await?;
    Ok(PipelineRows { pipeline, stages })
}

pub(crate) async fn pipeline_in<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    pipeline_id: PipelineId,
) -> StoreResult<PipelineRecord> {
    pipeline_rows(conn, workspace_id, pipeline_id).await?.record()
}

/// A stage's row in the workspace.
pub(crate) async fn stage_row<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, stage_id: StageId) -> StoreResult<stages::Model> {
    stages::Entity::find_by_id(stage_id.as_uuid())
        .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("stage"))
}

pub(crate) async fn stage_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, stage_id: StageId) -> StoreResult<StageRecord> {
    stage_record(&stage_row(conn, workspace_id, stage_id).await?)
}

/// A stage of the workspace, its column held as [`hold_column`] holds it, in one statement.
pub(crate) async fn held_stage_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, stage_id: StageId) -> StoreResult<StageRecord> {
    let row = stages::Entity::find_by_id(stage_id.as_uuid())
        .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .lock(sea_orm::sea_query::LockType::NoKeyUpdate)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("stage"))?;
    stage_record(&row)
}

/// Holds a column until the transaction ends, so that cards placed in it get their positions
/// one at a time: two that read the same last card would otherwise take the same place.
/// (SQLite's writers already run one at a time.) The lock is `FOR NO KEY UPDATE`, which holders
/// take in turn but which lets rows referring to the stage be written meanwhile: with `FOR
/// UPDATE`, a move holding its new column and appending the board figures' change of its old one
/// (a foreign key check, a key-share lock) deadlocks with a move the other way.
pub(crate) async fn hold_column<C: ConnectionTrait>(conn: &C, stage_id: StageId) -> StoreResult<()> {
    stages::Entity::find_by_id(stage_id.as_uuid()).lock(sea_orm::sea_query::LockType::NoKeyUpdate).one(conn).await?;
    Ok(())
}

/// Rows a long operation writes per transaction (unlinking the deals of a deleted contact,
/// moving the deals of a deleted stage, …): each transaction stays short, and other writers —
/// of this workspace or another — get the write lock between two batches.
pub(crate) const BULK_BATCH: usize = 500;

/// Clears the link of at most [`BULK_BATCH`] deals with a contact or organization being deleted,
/// bumping each deal's version; the history stays. A consequence of the deletion, so no entries
/// of its own. Returns how many it unlinked: fewer than a batch means none is left.
pub(crate) async fn unlink_deals(
    work: &crate::unit_of_work::UnitOfWork,
    workspace_id: WorkspaceId,
    link: deals::Column,
    id: uuid::Uuid,
) -> StoreResult<usize> {
    let batch: Vec<uuid::Uuid> = deals::Entity::find()
        .select_only()
        .column(deals::Column::Id)
        .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(link.eq(id))
        .limit(BULK_BATCH as u64)
        .into_tuple()
        .all(work.conn())
        .await?;
    if batch.is_empty() {
        return Ok(0);
    }
    deals::Entity::update_many()
        .col_expr(link, sea_orm::sea_query::Expr::val(Option::<uuid::Uuid>::None))
        .col_expr(deals::Column::Version, sea_orm::sea_query::ExprTrait::add(sea_orm::sea_query::Expr::col(deals::Column::Version), 1))
        .col_expr(deals::Column::UpdatedAt, sea_orm::sea_query::Expr::val(work.now()))
        .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(deals::Column::Id.is_in(batch.iter().copied()))
        .exec(work.conn())
        .await?;
    Ok(batch.len())
}

/// A contact of the workspace to link a deal to, as a bad `contact_id` when there is none.
pub(crate) async fn contact_link<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    seen: sea_orm::Condition,
    contact_id: kariz_domain::ContactId,
) -> StoreResult<kariz_domain::ContactLink> {
    use crate::entities::contacts;
    let found = contacts::Entity::find_by_id(contact_id.as_uuid())
        .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(seen)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::invalid("contact_id", "no such contact"))?;
    Ok(kariz_domain::ContactLink { id: contact_id, organization_id: found.organization_id.map(Into::into) })
}

/// Refuses an organization that is not the workspace's, as a bad `organization_id`.
pub(crate) async fn ensure_organization<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    organization_id: kariz_domain::OrganizationId,
) -> StoreResult<()> {
    use crate::entities::organizations;
    organizations::Entity::find_by_id(organization_id.as_uuid())
        .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| StoreError::invalid("organization_id", "no such organization"))
}

/// Refuses an owner who is not a member of the workspace, as a bad `owner_id`.
pub(crate) async fn ensure_member<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    user_id: kariz_domain::UserId,
) -> StoreResult<()> {
    use crate::entities::users;
    let found =
        users::Entity::find_by_id(user_id.as_uuid()).filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(conn).await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::invalid("owner_id", "no such user in this workspace")),
    }
}

/// A lead built back from its row.
pub(crate) fn lead_record(row: leads::Model) -> StoreResult<LeadRecord> {
    use kariz_domain::{
        DisqualifyNote, DisqualifyReason, Email, Lead, LeadFields, LeadName, LeadSource, LeadStatus, Phone, StoredLead, Tags,
    };
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("leads", e);
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let status = match (row.status.as_str(), row.closed_at) {
        ("new", _) => LeadStatus::New,
        ("working", _) => LeadStatus::Working,
        ("qualified", Some(at)) => LeadStatus::Qualified { at },
        ("disqualified", Some(at)) => LeadStatus::Disqualified {
            reason: DisqualifyReason::parse(row.disqualify_reason.as_deref().unwrap_or("")).map_err(|e| corrupt(&e))?,
            note: row.disqualify_note.as_deref().map(DisqualifyNote::parse).transpose().map_err(|e| corrupt(&e))?,
            at,
        },
        (other, _) => return Err(corrupt(&format!("status {other}"))),
    };
    let fields = LeadFields {
        name: LeadName::parse(&row.name).map_err(|e| corrupt(&e))?,
        email: row.email.as_deref().map(Email::parse).transpose().map_err(|e| corrupt(&e))?,
        phone: row.phone.as_deref().map(Phone::parse).transpose().map_err(|e| corrupt(&e))?,
        company: row.company,
        job_title: row.job_title,
        source: LeadSource::parse(&row.source).map_err(|e| corrupt(&e))?,
        campaign: row.campaign,
        medium: row.medium,
        owner_id: row.owner_id.map(Into::into),
        tags: Tags::parse(&tags).map_err(|e| corrupt(&e))?,
        notes: row.notes,
        custom_fields: stored_values("leads", &row.custom_fields)?,
    };
    let lead = Lead::restore(StoredLead {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        fields,
        status,
        score: row.score,
        submissions: row.submissions,
        opportunity_id: row.opportunity_id.map(Into::into),
    });
    Ok(LeadRecord { lead, version: row.version, created_at: row.created_at, updated_at: row.updated_at })
}

/// The row of a lead, every column.
pub(crate) fn lead_row(record: &LeadRecord) -> leads::Model {
    use kariz_domain::LeadStatus;
    let lead = &record.lead;
    let f = lead.fields();
    let (reason, note, closed_at) = match lead.status() {
        LeadStatus::Disqualified { reason, note, at } => {
            (Some(reason.as_str().to_owned()), note.as_ref().map(|n| n.as_str().to_owned()), Some(*at))
        }
        LeadStatus::Qualified { at } => (None, None, Some(*at)),
        _ => (None, None, None),
    };
    leads::Model {
        id: lead.id().as_uuid(),
        workspace_id: lead.workspace_id().as_uuid(),
        name: f.name.as_str().to_owned(),
        email: f.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: f.phone.as_ref().map(|p| p.as_str().to_owned()),
        company: f.company.clone(),
        job_title: f.job_title.clone(),
        source: f.source.as_str().to_owned(),
        campaign: f.campaign.clone(),
        medium: f.medium.clone(),
        owner_id: f.owner_id.map(|o| o.as_uuid()),
        status: lead.status().as_str().to_owned(),
        disqualify_reason: reason,
        disqualify_note: note,
        closed_at,
        score: lead.score(),
        tags: f.tags.to_json(),
        notes: f.notes.clone(),
        custom_fields: serde_json::Value::Object(f.custom_fields.clone()).to_string(),
        submissions: lead.submissions(),
        opportunity_id: lead.opportunity_id().map(|o| o.as_uuid()),
        search_text: search_key(
            [f.name.as_str(), f.email.as_ref().map_or("", |e| e.as_str()), f.company.as_deref().unwrap_or("")],
            f.phone.as_ref(),
        ),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

pub(crate) async fn lead_in<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    lead_id: kariz_domain::LeadId,
) -> StoreResult<LeadRecord> {
    let row = leads::Entity::find_by_id(lead_id.as_uuid())
        .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("lead"))?;
    lead_record(row)
}

/// A lead of the viewer's workspace that they see (the one check of lead visibility by id): one
/// hidden from them is not found, exactly like a missing one.
pub(crate) async fn visible_lead<C: ConnectionTrait>(
    conn: &C,
    viewer: &kariz_domain::Viewer,
    lead_id: kariz_domain::LeadId,
) -> StoreResult<LeadRecord> {
    let lead = lead_in(conn, viewer.workspace_id, lead_id).await?;
    if !viewer.sees_lead_of(lead.lead.owner_id()) {
        return Err(StoreError::NotFound("lead"));
    }
    Ok(lead)
}
