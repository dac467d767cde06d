//! Files kept with a deal, a contact, an organization or a lead, in the database so that every
//! replica serves them. An upload is written as it arrives, a chunk per short transaction, into
//! a row that stays `uploading` (invisible, unaudited, unannounced) until its last chunk is in;
//! then one unit of work checks the workspace's quota, makes it `ready`, audits it and announces
//! it. An upload cut off midway is removed by the uploader's handler, or, if the server died,
//! by the next upload of the workspace once it is an hour old.

use chrono::{DateTime, Duration, Utc};
use kariz_contract::AttachmentResponse;
use kariz_contract::Event;
use kariz_contract::events::AttachmentEventData;
use kariz_domain::{
    ActivityLinks, AttachmentError, AttachmentId, AttachmentTarget, FileName, MediaType, UploadLimits, UserId, Viewer, WorkspaceId,
    check_may_delete,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::activities::ensure_links;
use crate::entities::{attachment_chunks, attachments};
use crate::error::{StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::store::Store;
use crate::unit_of_work::UnitOfWork;

pub(crate) const READY: &str = "ready";
const UPLOADING: &str = "uploading";
/// How long an upload may stay unfinished before another may remove it as abandoned.
const ABANDONED_AFTER: Duration = Duration::hours(1);
const SORT: &str = "-created_at";

/// A kept file.
#[derive(Clone, Debug)]
pub struct AttachmentRecord {
    pub id: AttachmentId,
    pub workspace_id: WorkspaceId,
    pub target: AttachmentTarget,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub uploaded_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// The target as its four link columns: deal, contact, organization, lead.
fn link_columns(target: AttachmentTarget) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>, Option<Uuid>) {
    match target {
        AttachmentTarget::Deal(id) => (Some(id.as_uuid()), None, None, None),
        AttachmentTarget::Contact(id) => (None, Some(id.as_uuid()), None, None),
        AttachmentTarget::Organization(id) => (None, None, Some(id.as_uuid()), None),
        AttachmentTarget::Lead(id) => (None, None, None, Some(id.as_uuid())),
    }
}

impl From<&AttachmentRecord> for AttachmentResponse {
    fn from(record: &AttachmentRecord) -> Self {
        let (deal_id, contact_id, organization_id, lead_id) = link_columns(record.target);
        AttachmentResponse {
            id: record.id.as_uuid(),
            deal_id,
            contact_id,
            organization_id,
            lead_id,
            file_name: record.file_name.clone(),
            media_type: record.media_type.clone(),
            size_bytes: i64::try_from(record.size_bytes).unwrap_or(i64::MAX),
            sha256: record.sha256.clone(),
            uploaded_by: record.uploaded_by.map(|u| u.as_uuid()),
            created_at: record.created_at,
        }
    }
}

pub(crate) fn attachment_record(row: attachments::Model) -> StoreResult<AttachmentRecord> {
    let target = AttachmentTarget::from_links(
        row.deal_id.map(Into::into),
        row.contact_id.map(Into::into),
        row.organization_id.map(Into::into),
        row.lead_id.map(Into::into),
    )
    .map_err(|e| StoreError::corrupt("attachments", e))?;
    Ok(AttachmentRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        target,
        file_name: row.file_name,
        media_type: row.media_type,
        size_bytes: u64::try_from(row.size_bytes).map_err(|e| StoreError::corrupt("attachments", e))?,
        sha256: row.sha256.unwrap_or_default(),
        uploaded_by: row.uploaded_by.map(Into::into),
        created_at: row.created_at,
    })
}

fn links(target: AttachmentTarget) -> ActivityLinks {
    let mut links = ActivityLinks::default();
    match target {
        AttachmentTarget::Deal(id) => links.deal_id = Some(id),
        AttachmentTarget::Contact(id) => links.contact_id = Some(id),
        AttachmentTarget::Organization(id) => links.organization_id = Some(id),
        AttachmentTarget::Lead(id) => links.lead_id = Some(id),
    }
    links
}

fn target_noun(target: AttachmentTarget) -> &'static str {
    match target {
        AttachmentTarget::Deal(_) => "deal",
        AttachmentTarget::Contact(_) => "contact",
        AttachmentTarget::Organization(_) => "organization",
        AttachmentTarget::Lead(_) => "lead",
    }
}

/// Rows of files kept with `target`.
fn of_target(target: AttachmentTarget) -> Condition {
    match target {
        AttachmentTarget::Deal(id) => Condition::all().add(attachments::Column::DealId.eq(id.as_uuid())),
        AttachmentTarget::Contact(id) => Condition::all().add(attachments::Column::ContactId.eq(id.as_uuid())),
        AttachmentTarget::Organization(id) => Condition::all().add(attachments::Column::OrganizationId.eq(id.as_uuid())),
        AttachmentTarget::Lead(id) => Condition::all().add(attachments::Column::LeadId.eq(id.as_uuid())),
    }
}

/// A file made by Kariz itself (a quote's PDF), kept with a deal in `work`: written whole and
/// ready at once, audited and announced as an upload is. Generated documents are small and not
/// counted against the upload quota's refusal (they are counted in its use).
pub(crate) async fn keep_generated(work: &mut UnitOfWork, file: GeneratedFile, deal_id: Uuid, by: Uuid) -> StoreResult<attachments::Model> {
    let workspace_id = WorkspaceId::from(file.workspace_id);
    let row = attachments::Model {
        id: Uuid::now_v7(),
        workspace_id: file.workspace_id,
        deal_id: Some(deal_id),
        contact_id: None,
        organization_id: None,
        lead_id: None,
        file_name: file.file_name,
        media_type: file.media_type,
        size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
        sha256: Some(file.sha256),
        status: READY.to_owned(),
        uploaded_by: Some(by),
        created_at: work.now(),
    };
    attachments::Entity::insert(attachments::ActiveModel::from(row.clone()).reset_all()).exec_without_returning(work.conn()).await?;
    let chunk = attachment_chunks::Model { attachment_id: row.id, seq: 0, data: file.bytes };
    attachment_chunks::Entity::insert(attachment_chunks::ActiveModel::from(chunk).reset_all()).exec_without_returning(work.conn()).await?;
    work.audit_object("attachment.created", &row).await?;
    let kept = attachment_record(row.clone())?;
    let about = Aggregate { workspace_id, kind: "attachment", id: row.id };
    work.emit(about, &Event::AttachmentCreated(AttachmentEventData { attachment: (&kept).into() })).await?;
    Ok(row)
}

/// A file Kariz made, to keep.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    pub workspace_id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    /// Lower-case hex.
    pub sha256: String,
}

impl Store {
    /// Opens an upload of a file to `target`, which the viewer must see; refused at once when
    /// the workspace's quota is already spent.
    pub async fn start_upload(
        &self,
        viewer: &Viewer,
        target: AttachmentTarget,
        file_name: FileName,
        media_type: MediaType,
        limits: UploadLimits,
    ) -> StoreResult<AttachmentId> {
        let work = self.begin().await?;
        ensure_links(work.conn(), viewer, &links(target)).await?;
        attachments::Entity::delete_many()
            .filter(attachments::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(attachments::Column::Status.eq(UPLOADING))
            .filter(attachments::Column::CreatedAt.lt(work.now() - ABANDONED_AFTER))
            .exec(work.conn())
            .await?;
        limits.check_quota(used_bytes(&work, viewer.workspace_id).await?, 0)?;
        let (deal_id, contact_id, organization_id, lead_id) = link_columns(target);
        let id = AttachmentId::new();
        let row = attachments::Model {
            id: id.as_uuid(),
            workspace_id: viewer.workspace_id.as_uuid(),
            deal_id,
            contact_id,
            organization_id,
            lead_id,
            file_name: file_name.as_str().to_owned(),
            media_type: media_type.as_str().to_owned(),
            size_bytes: 0,
            sha256: None,
            status: UPLOADING.to_owned(),
            uploaded_by: Some(viewer.user_id.as_uuid()),
            created_at: work.now(),
        };
        attachments::Entity::insert(attachments::ActiveModel::from(row).reset_all()).exec_without_returning(work.conn()).await?;
        work.commit().await?;
        Ok(id)
    }

    /// Writes the `seq`-th chunk of an upload still open.
    pub async fn append_chunk(&self, workspace_id: WorkspaceId, id: AttachmentId, seq: i32, data: Vec<u8>) -> StoreResult<()> {
        let work = self.begin().await?;
        uploading(&work, workspace_id, id).await?;
        let chunk = attachment_chunks::Model { attachment_id: id.as_uuid(), seq, data };
        attachment_chunks::Entity::insert(attachment_chunks::ActiveModel::from(chunk).reset_all())
            .exec_without_returning(work.conn())
            .await?;
        work.commit().await
    }

    /// Completes an upload of `size` bytes: within the quota, it becomes a kept file, audited
    /// and announced; beyond it, it is removed and refused.
    pub async fn finish_upload(
        &self,
        viewer: &Viewer,
        id: AttachmentId,
        size: u64,
        sha256: String,
        limits: UploadLimits,
    ) -> StoreResult<AttachmentRecord> {
        let mut work = self.begin().await?;
        let open = uploading(&work, viewer.workspace_id, id).await?;
        let over = limits.check_size(size).and(limits.check_quota(used_bytes(&work, viewer.workspace_id).await?, size));
        if let Err(refusal) = over {
            drop(work);
            self.abandon_upload(viewer.workspace_id, id).await?;
            return Err(refusal.into());
        }
        let ready = attachments::Model {
            size_bytes: i64::try_from(size).map_err(|_| AttachmentError::TooLarge { limit: limits.max_file_bytes })?,
            sha256: Some(sha256),
            status: READY.to_owned(),
            ..open
        };
        attachments::Entity::update(attachments::ActiveModel::from(ready.clone()).reset_all()).exec(work.conn()).await?;
        work.audit_object("attachment.created", &ready).await?;
        let kept = attachment_record(ready)?;
        let about = Aggregate { workspace_id: viewer.workspace_id, kind: "attachment", id: id.as_uuid() };
        work.emit(about, &Event::AttachmentCreated(AttachmentEventData { attachment: (&kept).into() })).await?;
        work.commit().await?;
        Ok(kept)
    }

    /// Removes an unfinished upload and whatever of it was written.
    pub async fn abandon_upload(&self, workspace_id: WorkspaceId, id: AttachmentId) -> StoreResult<()> {
        let work = self.begin().await?;
        attachments::Entity::delete_many()
            .filter(attachments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(attachments::Column::Id.eq(id.as_uuid()))
            .filter(attachments::Column::Status.eq(UPLOADING))
            .exec(work.conn())
            .await?;
        work.commit().await
    }

    /// The files kept with `target`, newest first, a page at a time.
    pub async fn attachments(
        &self,
        viewer: &Viewer,
        target: AttachmentTarget,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<AttachmentRecord>> {
        // Listing a hidden or missing object's files is reading that object: not found.
        ensure_links(&self.db, viewer, &links(target)).await.map_err(|err| match err {
            StoreError::Invalid { .. } => StoreError::NotFound(target_noun(target)),
            other => other,
        })?;
        let limit = pagination::clamp_limit(limit);
        let mut query = attachments::Entity::find()
            .filter(attachments::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(attachments::Column::Status.eq(READY))
            .filter(of_target(target));
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, SORT)?;
            query = query.filter(attachments::Column::Id.lt(last_id));
        }
        let rows = query.order_by_desc(attachments::Column::Id).limit(limit + 1).all(&self.db).await?;
        let items = rows.into_iter().map(attachment_record).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(items, limit, |last| pagination::encode(SORT, serde_json::Value::Null, last.id.as_uuid())))
    }

    /// A kept file whose deal, contact, organization or lead the viewer sees.
    pub async fn attachment(&self, viewer: &Viewer, id: AttachmentId) -> StoreResult<AttachmentRecord> {
        let row = attachments::Entity::find_by_id(id.as_uuid())
            .filter(attachments::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(attachments::Column::Status.eq(READY))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("attachment"))?;
        let kept = attachment_record(row)?;
        ensure_links(&self.db, viewer, &links(kept.target)).await.map_err(|_| StoreError::NotFound("attachment"))?;
        Ok(kept)
    }

    /// The `seq`-th chunk of a kept file's content; `None` past its end.
    pub async fn attachment_chunk(&self, workspace_id: WorkspaceId, id: AttachmentId, seq: i32) -> StoreResult<Option<Vec<u8>>> {
        let chunk = attachment_chunks::Entity::find()
            .filter(attachment_chunks::Column::AttachmentId.eq(id.as_uuid()))
            .filter(attachment_chunks::Column::Seq.eq(seq))
            .filter(
                attachment_chunks::Column::AttachmentId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(attachments::Column::Id)
                        .from(attachments::Entity)
                        .and_where(attachments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                        .to_owned(),
                ),
            )
            .one(&self.db)
            .await?;
        Ok(chunk.map(|c| c.data))
    }

    /// Deletes a kept file: the uploader's own, or any for a manager or an admin.
    pub async fn delete_attachment(&self, viewer: &Viewer, id: AttachmentId) -> StoreResult<()> {
        let kept = self.attachment(viewer, id).await?;
        check_may_delete(viewer, kept.uploaded_by)?;
        let mut work = self.begin().await?;
        let row = attachments::Entity::find_by_id(id.as_uuid())
            .filter(attachments::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(attachments::Column::Status.eq(READY))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("attachment"))?;
        work.remove("attachment.deleted", &row).await?;
        let about = Aggregate { workspace_id: viewer.workspace_id, kind: "attachment", id: id.as_uuid() };
        work.emit(about, &Event::AttachmentDeleted(AttachmentEventData { attachment: (&kept).into() })).await?;
        work.commit().await
    }
}

/// The open upload `id` of the workspace.
async fn uploading(work: &crate::unit_of_work::UnitOfWork, workspace_id: WorkspaceId, id: AttachmentId) -> StoreResult<attachments::Model> {
    attachments::Entity::find_by_id(id.as_uuid())
        .filter(attachments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(attachments::Column::Status.eq(UPLOADING))
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("upload"))
}

/// What the workspace's kept files take, in bytes.
async fn used_bytes(work: &crate::unit_of_work::UnitOfWork, workspace_id: WorkspaceId) -> StoreResult<u64> {
    let used: Option<i64> = attachments::Entity::find()
        .select_only()
        // PostgreSQL sums a bigint as a numeric; a quota fits in 64 bits.
        .column_as(Expr::cust("CAST(SUM(size_bytes) AS BIGINT)"), "used")
        .filter(attachments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(attachments::Column::Status.eq(READY))
        .into_tuple::<Option<i64>>()
        .one(work.conn())
        .await?
        .flatten();
    Ok(used.map_or(0, |u| u64::try_from(u).unwrap_or(0)))
}
