//! Organizations: create, read, list (search and segments), update and delete. Names are unique
//! per workspace by their folded form (`name_key`), so "Pars  logistics" finds "Pars Logistics".

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::dates::DateKind;
use kariz_domain::text::fold_key;
use kariz_domain::{
    Address, City, Country, ImportantDate, ImportantDates, Industry, OrganizationId, OrganizationName, Phone, Tags, UserId, WebDomain,
    WorkspaceId,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::audit;
use crate::custom_fields::{checked_values, stored_values};
use crate::entities::{contacts, organizations};
use crate::error::{StoreError, StoreResult, check_version};
use crate::important_dates::{self, Owner};
use crate::pagination::{self, Page};
use crate::records::{OrganizationFields, OrganizationRecord};
use crate::search::{self, ListOrder, SegmentFilter};
use crate::store::Store;

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct OrganizationPatch {
    pub name: Option<OrganizationName>,
    pub domain: Option<Option<WebDomain>>,
    pub industry: Option<Option<Industry>>,
    pub phone: Option<Option<Phone>>,
    pub address: Option<Option<Address>>,
    pub city: Option<Option<City>>,
    pub country: Option<Option<Country>>,
    pub tags: Option<Tags>,
    /// Merged into the stored values; a key set to `null` is removed.
    pub custom_fields: Option<Map<String, Value>>,
    pub owner_id: Option<Option<UserId>>,
    pub founded_on: Option<Option<NaiveDate>>,
    /// Replaces every anniversary and custom date when given.
    pub important_dates: Option<ImportantDates>,
}

#[derive(Clone, Debug, Default)]
pub struct OrganizationFilter {
    /// Case-insensitive text in the name, domain or phone.
    pub text: Option<String>,
    /// Case-insensitive equality.
    pub industry: Option<String>,
    pub owner_id: Option<UserId>,
    pub segment: SegmentFilter,
}

/// The organization, if it is still at `version`: what a compare-and-swap writes to.
fn at_version(workspace_id: WorkspaceId, id: OrganizationId, version: i64) -> Condition {
    Condition::all()
        .add(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .add(organizations::Column::Id.eq(id.as_uuid()))
        .add(organizations::Column::Version.eq(version))
}

fn col(column: organizations::Column) -> Expr {
    Expr::col((organizations::Entity, column))
}

fn organization_record(row: organizations::Model, dates: Vec<ImportantDate>, contacts_count: i64) -> StoreResult<OrganizationRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("organizations", e);
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let (founding, others): (Vec<ImportantDate>, Vec<ImportantDate>) = dates.into_iter().partition(|d| d.kind == DateKind::Founding);
    let organization = OrganizationFields {
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
    Ok(OrganizationRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        organization,
        contacts_count,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The columns a change may write; id, workspace and creation time never change.
fn mutable_columns(o: &OrganizationFields) -> organizations::ActiveModel {
    let text = |value: Option<&str>| Set(value.map(str::to_owned));
    organizations::ActiveModel {
        id: NotSet,
        workspace_id: NotSet,
        name: Set(o.name.as_str().to_owned()),
        name_key: Set(fold_key(o.name.as_str())),
        domain: text(o.domain.as_ref().map(WebDomain::as_str)),
        industry: text(o.industry.as_ref().map(Industry::as_str)),
        phone: text(o.phone.as_ref().map(Phone::as_str)),
        address: text(o.address.as_ref().map(Address::as_str)),
        city: text(o.city.as_ref().map(City::as_str)),
        country: text(o.country.as_ref().map(Country::as_str)),
        tags: Set(o.tags.to_json()),
        custom_fields: Set(Value::Object(o.custom_fields.clone()).to_string()),
        owner_id: Set(o.owner_id.map(|u| u.as_uuid())),
        version: NotSet,
        created_at: NotSet,
        updated_at: NotSet,
    }
}

/// Every stored date of an organization: its founding date, then the others.
fn all_dates(o: &OrganizationFields) -> Vec<ImportantDate> {
    o.founded_on.map(ImportantDate::founding).into_iter().chain(o.important_dates.as_slice().iter().cloned()).collect()
}

/// The organization as the API returns it.

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

async fn organization_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: OrganizationId) -> StoreResult<OrganizationRecord> {
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
    let mut any = Condition::any()
        .add(search::like_contains(col(organizations::Column::NameKey), &fold_key(text)))
        .add(search::contains(col(organizations::Column::Domain), &text.to_lowercase()));
    for digits in search::phone_needles(text) {
        any = any.add(search::like_contains(col(organizations::Column::Phone), &digits));
    }
    any
}

impl Store {
    pub async fn create_organization(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        mut new: OrganizationFields,
    ) -> StoreResult<OrganizationRecord> {
        let owner_id = new.owner_id.unwrap_or(actor_id);
        if owner_id != actor_id {
            self.ensure_member(workspace_id, owner_id).await?;
        }
        new.owner_id = Some(owner_id);
        new.custom_fields = checked_values(&self.db, workspace_id, FieldEntity::Organization, &new.custom_fields).await?;
        let now = Utc::now();
        let txn = self.write().await?;
        ensure_unique_name(&txn, workspace_id, &new.name, None).await?;
        let id = OrganizationId::new();
        let mut row = mutable_columns(&new);
        row.id = Set(id.as_uuid());
        row.workspace_id = Set(workspace_id.as_uuid());
        row.version = Set(1);
        row.created_at = Set(now);
        row.updated_at = Set(now);
        organizations::Entity::insert(row).exec_without_returning(&txn).await?;
        important_dates::replace(&txn, workspace_id, Owner::Organization, id.as_uuid(), &all_dates(&new)).await?;
        audit::object::<organizations::Entity>(&txn, workspace_id, "organization.created", id.as_uuid()).await?;
        txn.commit().await?;
        Ok(OrganizationRecord { id, workspace_id, organization: new, contacts_count: 0, version: 1, created_at: now, updated_at: now })
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
            [organizations::Column::City, organizations::Column::Country, organizations::Column::Tags, organizations::Column::CustomFields]
                .map(col);
        query =
            query.filter(search::segment_conditions(&self.db, workspace_id, FieldEntity::Organization, columns, &filter.segment).await?);
        // The folded name is stored, so the cursor carries it as is.
        let sort_key = col(organizations::Column::NameKey);
        let id = col(organizations::Column::Id);
        if let Some(cursor) = cursor {
            query = query.filter(order.after(cursor, sort_key.clone(), |key| key, id.clone())?);
        }
        for (term, direction) in order.terms(sort_key, id) {
            query = query.order_by(term, direction);
        }
        let rows = query.limit(limit + 1).all(&self.db).await?;
        let items = records(&self.db, workspace_id, rows).await?;
        Ok(Page::of(items, limit, |last| order.cursor(&fold_key(last.organization.name.as_str()), last.id.as_uuid())))
    }

    pub async fn update_organization(
        &self,
        workspace_id: WorkspaceId,
        id: OrganizationId,
        expected_version: Option<i64>,
        patch: OrganizationPatch,
    ) -> StoreResult<OrganizationRecord> {
        let current = self.organization(workspace_id, id).await?;
        check_version("organization", expected_version, current.version)?;
        if let Some(Some(owner_id)) = patch.owner_id {
            self.ensure_member(workspace_id, owner_id).await?;
        }
        let mut next = current.organization.clone();
        next.custom_fields = search::merged_fields(
            &self.db,
            workspace_id,
            FieldEntity::Organization,
            &current.organization.custom_fields,
            patch.custom_fields.as_ref(),
        )
        .await?;
        apply(&mut next, patch);
        if next == current.organization {
            return Ok(current);
        }
        let now = Utc::now();
        let txn = self.write().await?;
        if next.name != current.organization.name {
            ensure_unique_name(&txn, workspace_id, &next.name, Some(id)).await?;
        }
        let before = audit::snapshot::<organizations::Entity>(&txn, id.as_uuid()).await?;
        let mut row = mutable_columns(&next);
        row.version = Set(current.version + 1);
        row.updated_at = Set(now);
        let swapped =
            organizations::Entity::update_many().set(row).filter(at_version(workspace_id, id, current.version)).exec(&txn).await?;
        if swapped.rows_affected != 1 {
            txn.rollback().await?;
            return Err(self.stale_or_missing_organization(workspace_id, id).await);
        }
        let dates = all_dates(&next);
        if dates != all_dates(&current.organization) {
            important_dates::replace(&txn, workspace_id, Owner::Organization, id.as_uuid(), &dates).await?;
        }
        audit::updated::<organizations::Entity>(&txn, workspace_id, "organization.updated", id.as_uuid(), before).await?;
        let contacts_count = contact_counts(&txn, workspace_id, &[id.as_uuid()]).await?.get(&id.as_uuid()).copied().unwrap_or(0);
        txn.commit().await?;
        Ok(OrganizationRecord { organization: next, contacts_count, version: current.version + 1, updated_at: now, ..current })
    }

    /// Deletes an organization and its dates; its contacts stay, without an organization (and
    /// with a new version, since they changed).
    pub async fn delete_organization(
        &self,
        workspace_id: WorkspaceId,
        id: OrganizationId,
        expected_version: Option<i64>,
    ) -> StoreResult<()> {
        let current = self.organization(workspace_id, id).await?;
        check_version("organization", expected_version, current.version)?;
        let txn = self.write().await?;
        audit::object::<organizations::Entity>(&txn, workspace_id, "organization.deleted", id.as_uuid()).await?;
        // Before the delete: the foreign key would unlink them too, but silently.
        contacts::Entity::update_many()
            .col_expr(contacts::Column::OrganizationId, Expr::val(Option::<Uuid>::None))
            .col_expr(contacts::Column::Version, Expr::col(contacts::Column::Version).add(1))
            .col_expr(contacts::Column::UpdatedAt, Expr::val(Utc::now()))
            .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(contacts::Column::OrganizationId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        let deleted = organizations::Entity::delete_many().filter(at_version(workspace_id, id, current.version)).exec(&txn).await?;
        if deleted.rows_affected != 1 {
            txn.rollback().await?;
            return Err(self.stale_or_missing_organization(workspace_id, id).await);
        }
        txn.commit().await?;
        Ok(())
    }

    async fn stale_or_missing_organization(&self, workspace_id: WorkspaceId, id: OrganizationId) -> StoreError {
        match self.organization(workspace_id, id).await {
            Ok(current) => StoreError::StaleVersion { entity: "organization", current: current.version },
            Err(err) => err,
        }
    }
}

fn apply(o: &mut OrganizationFields, patch: OrganizationPatch) {
    fn set<T>(slot: &mut T, value: Option<T>) {
        if let Some(value) = value {
            *slot = value;
        }
    }
    set(&mut o.name, patch.name);
    set(&mut o.domain, patch.domain);
    set(&mut o.industry, patch.industry);
    set(&mut o.phone, patch.phone);
    set(&mut o.address, patch.address);
    set(&mut o.city, patch.city);
    set(&mut o.country, patch.country);
    set(&mut o.tags, patch.tags);
    set(&mut o.owner_id, patch.owner_id);
    set(&mut o.founded_on, patch.founded_on);
    set(&mut o.important_dates, patch.important_dates);
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
