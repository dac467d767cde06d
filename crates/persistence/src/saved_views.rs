//! Saved views: a named filter and sort of a list, personal or shared. Who sees and who may
//! change one is the domain's rule (`sees_view`, `check_may_change_view`); a view the caller does
//! not see is not found, like one of another workspace. The filters arrive checked by the API
//! against the list they filter and are kept as given.

use chrono::{DateTime, Utc};
use kariz_domain::{UserId, ViewEntity, ViewName, Viewer, check_may_change_view, sees_view};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entities::saved_views as views;
use crate::error::{StoreError, StoreResult};
use crate::store::Store;
use crate::unit_of_work::check_version;

/// The most views a list answers with: the caller's own and the shared ones of their workspace.
pub const MAX_LISTED_VIEWS: u64 = 500;

/// A saved view as stored.
#[derive(Clone, Debug)]
pub struct SavedViewRecord {
    pub id: Uuid,
    pub entity: ViewEntity,
    pub name: String,
    /// The list's query parameters, each a string.
    pub filters: Map<String, Value>,
    pub sort: Option<String>,
    pub shared: bool,
    pub owner_id: UserId,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new view; its filters and sort already checked against its list.
pub struct NewView {
    pub entity: ViewEntity,
    pub name: ViewName,
    pub filters: Map<String, Value>,
    pub sort: Option<String>,
    pub shared: bool,
}

/// What a change of a view sets; `None` keeps a field. The entity never changes: the filters
/// belong to its list.
#[derive(Default)]
pub struct ViewPatch {
    pub name: Option<ViewName>,
    pub filters: Option<Map<String, Value>>,
    pub sort: Option<Option<String>>,
    pub shared: Option<bool>,
}

fn record(row: views::Model) -> StoreResult<SavedViewRecord> {
    let entity = ViewEntity::parse(&row.entity).map_err(|e| StoreError::corrupt("saved_views", e))?;
    let filters = serde_json::from_str(&row.filters).map_err(|e| StoreError::corrupt("saved_views", e))?;
    Ok(SavedViewRecord {
        id: row.id,
        entity,
        name: row.name,
        filters,
        sort: row.sort,
        shared: row.shared,
        owner_id: UserId::from(row.owner_id),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn filters_text(filters: &Map<String, Value>) -> String {
    Value::Object(filters.clone()).to_string()
}

/// The view `id` of the viewer's workspace, if the viewer sees it.
async fn view_seen<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: Uuid) -> StoreResult<views::Model> {
    views::Entity::find_by_id(id)
        .filter(views::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .one(conn)
        .await?
        .filter(|row| sees_view(viewer, UserId::from(row.owner_id), row.shared))
        .ok_or(StoreError::NotFound("view"))
}

impl Store {
    /// The views the viewer sees (their own and the shared ones), of one list or all, by name;
    /// at most [`MAX_LISTED_VIEWS`].
    pub async fn saved_views(&self, viewer: &Viewer, entity: Option<ViewEntity>) -> StoreResult<Vec<SavedViewRecord>> {
        let mut query = views::Entity::find()
            .filter(views::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(Condition::any().add(views::Column::Shared.eq(true)).add(views::Column::OwnerId.eq(viewer.user_id.as_uuid())));
        if let Some(entity) = entity {
            query = query.filter(views::Column::Entity.eq(entity.as_str()));
        }
        let rows = query.order_by_asc(views::Column::Name).order_by_asc(views::Column::Id).limit(MAX_LISTED_VIEWS).all(&self.db).await?;
        rows.into_iter().map(record).collect()
    }

    pub async fn saved_view(&self, viewer: &Viewer, id: Uuid) -> StoreResult<SavedViewRecord> {
        record(view_seen(&self.db, viewer, id).await?)
    }

    /// Saves a view made by the viewer.
    pub async fn create_saved_view(&self, viewer: &Viewer, new: NewView) -> StoreResult<SavedViewRecord> {
        let mut work = self.begin().await?;
        let row = views::Model {
            id: Uuid::now_v7(),
            workspace_id: viewer.workspace_id.as_uuid(),
            owner_id: viewer.user_id.as_uuid(),
            entity: new.entity.as_str().to_owned(),
            name: new.name.into_inner(),
            filters: filters_text(&new.filters),
            sort: new.sort,
            shared: new.shared,
            version: 1,
            created_at: work.now(),
            updated_at: work.now(),
        };
        let row = work.insert("view.created", row).await?;
        work.commit().await?;
        record(row)
    }

    /// Changes a view the viewer sees and may change, if it is still at `expected_version`.
    pub async fn update_saved_view(
        &self,
        viewer: &Viewer,
        id: Uuid,
        expected_version: Option<i64>,
        patch: ViewPatch,
    ) -> StoreResult<SavedViewRecord> {
        let mut work = self.begin().await?;
        let current = view_seen(work.conn(), viewer, id).await?;
        check_may_change_view(viewer, UserId::from(current.owner_id))?;
        check_version("view", expected_version, current.version)?;
        let mut after = current.clone();
        if let Some(name) = patch.name {
            after.name = name.into_inner();
        }
        if let Some(filters) = patch.filters {
            after.filters = filters_text(&filters);
        }
        if let Some(sort) = patch.sort {
            after.sort = sort;
        }
        if let Some(shared) = patch.shared {
            after.shared = shared;
        }
        if after == current {
            return record(current);
        }
        let row = work.update("view.updated", &current, after).await?;
        work.commit().await?;
        record(row)
    }

    /// Deletes a view the viewer sees and may change; `expected_version` is checked when given.
    pub async fn delete_saved_view(&self, viewer: &Viewer, id: Uuid, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = view_seen(work.conn(), viewer, id).await?;
        check_may_change_view(viewer, UserId::from(current.owner_id))?;
        check_version("view", expected_version, current.version)?;
        work.delete("view.deleted", &current).await?;
        work.commit().await
    }
}
