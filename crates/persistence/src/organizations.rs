//! Organizations: create, read, list (search and segments), update and delete. Names are unique
//! per workspace by their folded form (`name_key`), so "Pars  logistics" finds "Pars Logistics".

use std::collections::HashMap;

use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::dates::DateKind;
use kariz_domain::search::search_key;
use kariz_domain::text::fold_key;
use kariz_domain::{
    Address, City, Country, ImportantDate, ImportantDates, Industry, Organization, OrganizationFields, OrganizationId, OrganizationName,
    OrganizationPatch, Phone, Tags, UserId, WebDomain, WorkspaceId,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::custom_fields::{checked_values, stored_values};
use crate::entities::{contacts, deals, organizations};
use crate::error::{StoreError, StoreResult};
use crate::important_dates::{self, Owner};
use crate::pagination::{self, Page};
use crate::records::OrganizationRecord;
use crate::rows::{BULK_BATCH, ensure_member, unlink_deals};
use crate::search::{self, ListOrder, SegmentFilter, TagKey};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

#[derive(Clone, Debug, Default)]
pub struct OrganizationFilter {
    /// Case-insensitive text in the name, domain or phone.
    pub text: Option<String>,
    /// Case-insensitive equality.
    pub industry: Option<String>,
    pub owner_id: Option<UserId>,
    pub segment: SegmentFilter,
}

fn col(column: organizations::Column) -> Expr {
    Expr::col((organizations::Entity, column))
}

fn organization_record(row: organizations::Model, dates: Vec<ImportantDate>, contacts_count: i64) -> StoreResult<OrganizationRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("organizations", e);
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let (founding, others): (Vec<ImportantDate>, Vec<ImportantDate>) = dates.into_iter().partition(|d| d.kind == DateKind::Founding);
    let fields = OrganizationFields {
        name: OrganizationName::parse(&row.name).map_err(|e| corrupt(&e))?,
        domain: row.domain.as_deref().map(WebDomain::parse).transpose().map_err(|e| corrupt(&e))?,
        industry: row.industry.as_deref().map(Industry::parse).transpose().map_err(|e| corrupt(&e))?,
        phone: row.phone.as_deref().map(Phone::parse).transpose().map_err(|e| corrupt(&e))?,
        address: row.address.as_deref().map(Address::parse).transpose().map_err(|e| corrupt(&e))?,
        city: row.city.as_deref().map(City::parse).transpose().map_err(|e| corrupt(&e))?,
        country: row.country.as_deref().map(Country::parse).transpose().map_err(|e| corrupt(&e))?,
        tags: Tags::parse(&tags).map_err(|e| corrupt(&e))?,
        custom_fields: stored_values("organizations", &row.custom_fields)?,
        owner_id: row.owner_id.map(UserId::from),
        founded_on: founding.first().and_then(|d| d.date.full_date()),
        important_dates: ImportantDates::from_stored(others),
    };
    let organization = Organization::restore(row.id.into(), row.workspace_id.into(), fields);
    Ok(OrganizationRecord { organization, contacts_count, version: row.version, created_at: row.created_at, updated_at: row.updated_at })
}

/// The search key of an organization: its name and web domain.
pub(crate) fn organization_search_key(name: &str, domain: Option<&str>) -> String {
    search_key([name, domain.unwrap_or("")], None)
}

/// The row of an organization, every column; its folded name is kept beside it for lookups.
pub(crate) fn organization_row(record: &OrganizationRecord) -> organizations::Model {
    let (organization, o) = (&record.organization, record.organization.fields());
    let text = |value: Option<&str>| value.map(str::to_owned);
    organizations::Model {
        id: organization.id().as_uuid(),
        workspace_id: organization.workspace_id().as_uuid(),
        name: o.name.as_str().to_owned(),
        name_key: fold_key(o.name.as_str()),
        domain: text(o.domain.as_ref().map(WebDomain::as_str)),
        industry: text(o.industry.as_ref().map(Industry::as_str)),
        phone: text(o.phone.as_ref().map(Phone::as_str)),
        address: text(o.address.as_ref().map(Address::as_str)),
        city: text(o.city.as_ref().map(City::as_str)),
        country: text(o.country.as_ref().map(Country::as_str)),
        tags: o.tags.to_json(),
        custom_fields: Value::Object(o.custom_fields.clone()).to_string(),
        owner_id: o.owner_id.map(|u| u.as_uuid()),
        search_text: organization_search_key(o.name.as_str(), o.domain.as_ref().map(WebDomain::as_str)),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// How many contacts each of `ids` has.
async fn contact_counts<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let counts: Vec<(Option<Uuid>, i64)> = contacts::Entity::find()
        .select_only()
        .column(contacts::Column::OrganizationId)
        .column_as(contacts::Column::Id.count(), "contacts")
        .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(contacts::Column::OrganizationId.is_in(ids.iter().copied()))
        .group_by(contacts::Column::OrganizationId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(counts.into_iter().filter_map(|(id, n)| id.map(|id| (id, n))).collect())
}

/// Builds the records of `rows` with their dates and contact counts, in the rows' order.
async fn records<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    rows: Vec<organizations::Model>,
) -> StoreResult<Vec<OrganizationRecord>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut dates = important_dates::dates_of(conn, Owner::Organization, &ids).await?;
    let counts = contact_counts(conn, workspace_id, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let (own, count) = (dates.remove(&row.id).unwrap_or_default(), counts.get(&row.id).copied().unwrap_or(0));
            organization_record(row, own, count)
        })
        .collect()
}

pub(crate) async fn organization_in<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    id: OrganizationId,
) -> StoreResult<OrganizationRecord> {
    let row = organizations::Entity::find_by_id(id.as_uuid())
        .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("organization"))?;
    records(conn, workspace_id, vec![row]).await?.pop().ok_or(StoreError::NotFound("organization"))
}

/// Refuses a name that folds to another organization's of the workspace.
async fn ensure_unique_name<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    name: &OrganizationName,
    except: Option<OrganizationId>,
) -> StoreResult<()> {
    let mut query = organizations::Entity::find()
        .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(organizations::Column::NameKey.eq(fold_key(name.as_str())));
    if let Some(except) = except {
        query = query.filter(organizations::Column::Id.ne(except.as_uuid()));
    }
    match query.one(conn).await? {
        Some(other) => Err(crate::error::Conflict::OrganizationNameTaken { name: other.name, id: other.id }.into()),
        None => Ok(()),
    }
}

fn text_condition(text: &str) -> Condition {
    // The key holds the name and the domain; the phone is not in it.
    let mut any = Condition::any().add(search::key_holds(col(organizations::Column::SearchText), text));
    for digits in search::phone_needles(text) {
        any = any.add(search::like_contains(col(organizations::Column::Phone), &digits));
    }
    any
}

/// The organization, at the version the caller read.
async fn organization_to_change(
    work: &UnitOfWork,
    workspace_id: WorkspaceId,
    id: OrganizationId,
    expected_version: Option<i64>,
) -> StoreResult<OrganizationRecord> {
    let record = organization_in(work.conn(), workspace_id, id).await?;
    check_version("organization", expected_version, record.version)?;
    Ok(record)
}

/// Clears the organization of at most [`BULK_BATCH`] of its contacts, bumping their versions;
/// returns how many.
async fn unlink_contacts(work: &UnitOfWork, workspace_id: WorkspaceId, id: OrganizationId) -> StoreResult<usize> {
    let batch: Vec<Uuid> = contacts::Entity::find()
        .select_only()
        .column(contacts::Column::Id)
        .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(contacts::Column::OrganizationId.eq(id.as_uuid()))
        .limit(BULK_BATCH as u64)
        .into_tuple()
        .all(work.conn())
        .await?;
    if batch.is_empty() {
        return Ok(0);
    }
    contacts::Entity::update_many()
        .col_expr(contacts::Column::OrganizationId, Expr::val(Option::<Uuid>::None))
        .col_expr(contacts::Column::Version, Expr::col(contacts::Column::Version).add(1))
        .col_expr(contacts::Column::UpdatedAt, Expr::val(work.now()))
        .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(contacts::Column::Id.is_in(batch.iter().copied()))
        .exec(work.conn())
        .await?;
    Ok(batch.len())
}

impl Store {
    pub async fn create_organization(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        mut new: OrganizationFields,
    ) -> StoreResult<OrganizationRecord> {
        let mut work = self.begin().await?;
        let owner_id = new.owner_id.unwrap_or(actor_id);
        if owner_id != actor_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        new.owner_id = Some(owner_id);
        new.custom_fields = checked_values(work.conn(), workspace_id, FieldEntity::Organization, &new.custom_fields).await?;
        ensure_unique_name(work.conn(), workspace_id, &new.name, None).await?;
        let now = work.now();
        let record = OrganizationRecord {
            organization: Organization::create(workspace_id, new),
            contacts_count: 0,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        work.insert("organization.created", organization_row(&record)).await?;
        let id = record.organization.id().as_uuid();
        important_dates::replace(work.conn(), workspace_id, Owner::Organization, id, &record.organization.fields().all_dates()).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn organization(&self, workspace_id: WorkspaceId, id: OrganizationId) -> StoreResult<OrganizationRecord> {
        organization_in(&self.db, workspace_id, id).await
    }

    pub async fn organizations(
        &self,
        workspace_id: WorkspaceId,
        filter: OrganizationFilter,
        order: ListOrder,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<OrganizationRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = organizations::Entity::find().filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            query = query.filter(text_condition(text));
        }
        if let Some(industry) = filter.industry.as_deref().filter(|i| !i.trim().is_empty()) {
            query = query.filter(search::equals_ignoring_case(col(organizations::Column::Industry), industry));
        }
        if let Some(id) = filter.owner_id {
            query = query.filter(organizations::Column::OwnerId.eq(id.as_uuid()));
        }
        let columns =
            [organizations::Column::City, organizations::Column::Country, organizations::Column::Id, organizations::Column::CustomFields]
                .map(col);
        let (segment, tag) = filter.segment.split_tag();
        query = query.filter(search::segment_conditions(&self.db, workspace_id, FieldEntity::Organization, columns, &segment).await?);
        // The folded name is stored, so the cursor carries it as is.
        let mut sort_key = col(organizations::Column::NameKey);
        let mut id = col(organizations::Column::Id);
        if let Some(tag) = tag {
            (query, sort_key, id) = search::through_tag_rows(query, workspace_id, FieldEntity::Organization, id, tag, TagKey::Text);
        }
        if let Some(cursor) = cursor {
            query = query.filter(order.after(cursor, sort_key.clone(), |key| key, id.clone())?);
        }
        for (term, direction) in order.terms(sort_key, id) {
            query = query.order_by(term, direction);
        }
        let rows = query.limit(limit + 1).all(&self.db).await?;
        let items = records(&self.db, workspace_id, rows).await?;
        Ok(Page::of(items, limit, |last| {
            order.cursor(&fold_key(last.organization.fields().name.as_str()), last.organization.id().as_uuid())
        }))
    }

    pub async fn update_organization(
        &self,
        workspace_id: WorkspaceId,
        id: OrganizationId,
        expected_version: Option<i64>,
        mut patch: OrganizationPatch,
    ) -> StoreResult<OrganizationRecord> {
        let mut work = self.begin().await?;
        let current = organization_to_change(&work, workspace_id, id, expected_version).await?;
        if let Some(Some(owner_id)) = patch.owner_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        let stored = &current.organization.fields().custom_fields;
        patch.custom_fields =
            Some(search::merged_fields(work.conn(), workspace_id, FieldEntity::Organization, stored, patch.custom_fields.as_ref()).await?);
        let mut organization = current.organization.clone();
        if !organization.update(patch) {
            return Ok(current);
        }
        if organization.fields().name != current.organization.fields().name {
            ensure_unique_name(work.conn(), workspace_id, &organization.fields().name, Some(id)).await?;
        }
        let after = OrganizationRecord { organization, ..current.clone() };
        let row = work.update("organization.updated", &organization_row(&current), organization_row(&after)).await?;
        let dates = after.organization.fields().all_dates();
        if dates != current.organization.fields().all_dates() {
            important_dates::replace(work.conn(), workspace_id, Owner::Organization, id.as_uuid(), &dates).await?;
        }
        let contacts_count = contact_counts(work.conn(), workspace_id, &[id.as_uuid()]).await?.get(&id.as_uuid()).copied().unwrap_or(0);
        work.commit().await?;
        Ok(OrganizationRecord { contacts_count, version: row.version, updated_at: row.updated_at, ..after })
    }

    /// Deletes an organization and its dates; its contacts and deals stay, without an
    /// organization (and with a new version, since they changed). They are unlinked a batch per
    /// transaction ([`BULK_BATCH`] of each), each checking the organization's version first; the
    /// transaction that finds fewer than a batch of both left unlinks those and deletes it.
    /// Stopped half-way (a crash, a stale version meanwhile), the organization is still there
    /// with fewer contacts and deals, and a retry finishes.
    pub async fn delete_organization(
        &self,
        workspace_id: WorkspaceId,
        id: OrganizationId,
        expected_version: Option<i64>,
    ) -> StoreResult<()> {
        loop {
            let mut work = self.begin().await?;
            let current = organization_to_change(&work, workspace_id, id, expected_version).await?;
            // Before the delete: the foreign key would unlink them too, but silently and all at
            // once. Each is a consequence of the deletion, not a change of its own: no entries.
            let contacts = unlink_contacts(&work, workspace_id, id).await?;
            let deals = unlink_deals(&work, workspace_id, deals::Column::OrganizationId, id.as_uuid()).await?;
            if contacts < BULK_BATCH && deals < BULK_BATCH {
                work.delete("organization.deleted", &organization_row(&current)).await?;
                return work.commit().await;
            }
            work.commit().await?;
        }
    }
}

impl Store {
    /// The names of these organizations of the workspace, by id (for exports).
    pub async fn organization_names(
        &self,
        workspace_id: WorkspaceId,
        ids: &[OrganizationId],
    ) -> StoreResult<HashMap<OrganizationId, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = organizations::Entity::find()
            .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(organizations::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| (row.id.into(), row.name)).collect())
    }
}
