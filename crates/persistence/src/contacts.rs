//! Contacts: create, read, list (search and segments), update and delete.
//!
//! Every change is a unit of work: a compare-and-swap on the contact's version with its important
//! dates and, on creation, its `contact.created` event.

use chrono::{Datelike, NaiveDate};
use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::dates::{Calendar, ParsiDate, jalali};
use kariz_domain::search::search_key;
use kariz_domain::{
    Address, City, Contact, ContactEvent, ContactFields, ContactId, ContactPatch, Country, Email, ImportantDates, JobTitle, LeadId,
    LeadName, Notes, OrganizationId, Phone, Tags, UserId, Viewer, WorkspaceId,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::custom_fields::{checked_values, stored_values};
use crate::entities::{contacts, deals, important_dates as date_rows, organizations};
use crate::error::{StoreError, StoreResult};
use crate::important_dates::{self, Owner};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::records::ContactRecord;
use crate::rows::{BULK_BATCH, ensure_member, unlink_deals};
use crate::search::{self, ListOrder, SegmentFilter, TagKey};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::contacts_seen;
use kariz_contract::Event;
use kariz_contract::events::ContactEventData;

/// Ages in whole years, from the birthday, on `today`; contacts without a birthday year are out.
#[derive(Clone, Copy, Debug)]
pub struct AgeBand {
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub today: NaiveDate,
}

impl AgeBand {
    /// Bounds on `year * 10000 + month * 100 + day` of a birthday kept in `calendar`: at most the
    /// first (old enough), more than the second (young enough). On the last day of a common year
    /// (28 February, 29 Esfand), people born on the leap day have had their birthday too.
    fn birthday_keys(&self, calendar: Calendar) -> (Option<i32>, Option<i32>) {
        let ((year, month, day), leap_day_passed) = match calendar {
            Calendar::Gregorian => {
                let t = self.today;
                let common = NaiveDate::from_ymd_opt(t.year(), 2, 29).is_none();
                ((t.year(), t.month(), t.day()), common && (t.month(), t.day()) == (2, 28))
            }
            Calendar::Jalali => {
                let t = jalali(self.today);
                let common = !ParsiDate::is_persian_leap_year(t.year());
                ((t.year(), t.month(), t.day()), common && (t.month(), t.day()) == (12, 29))
            }
        };
        let today_key = match (leap_day_passed, calendar) {
            (true, Calendar::Gregorian) => 229,
            (true, Calendar::Jalali) => 1230,
            (false, _) => (month * 100 + day) as i32,
        };
        let key = |years: u32| (year - years as i32) * 10_000 + today_key;
        (self.min.map(key), self.max.map(|max| key(max + 1)))
    }
}

#[derive(Clone, Debug, Default)]
pub struct ContactFilter {
    /// Case-insensitive text in the name, email, phone (digits in any script, national or
    /// international) or organization name.
    pub text: Option<String>,
    pub organization_id: Option<OrganizationId>,
    pub owner_id: Option<UserId>,
    pub age: Option<AgeBand>,
    pub segment: SegmentFilter,
}

fn col(column: contacts::Column) -> Expr {
    Expr::col((contacts::Entity, column))
}

fn contact_record(row: contacts::Model, dates: Vec<kariz_domain::ImportantDate>) -> StoreResult<ContactRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("contacts", e);
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let fields = ContactFields {
        name: LeadName::parse(&row.name).map_err(|e| corrupt(&e))?,
        email: row.email.as_deref().map(Email::parse).transpose().map_err(|e| corrupt(&e))?,
        phone: row.phone.as_deref().map(Phone::parse).transpose().map_err(|e| corrupt(&e))?,
        job_title: row.job_title.as_deref().map(JobTitle::parse).transpose().map_err(|e| corrupt(&e))?,
        organization_id: row.organization_id.map(OrganizationId::from),
        address: row.address.as_deref().map(Address::parse).transpose().map_err(|e| corrupt(&e))?,
        city: row.city.as_deref().map(City::parse).transpose().map_err(|e| corrupt(&e))?,
        country: row.country.as_deref().map(Country::parse).transpose().map_err(|e| corrupt(&e))?,
        tags: Tags::parse(&tags).map_err(|e| corrupt(&e))?,
        custom_fields: stored_values("contacts", &row.custom_fields)?,
        notes: row.notes.as_deref().map(Notes::parse).transpose().map_err(|e| corrupt(&e))?,
        owner_id: row.owner_id.map(UserId::from),
        important_dates: ImportantDates::from_stored(dates),
    };
    let contact = Contact::restore(row.id.into(), row.workspace_id.into(), fields, row.source_lead_id.map(Into::into));
    Ok(ContactRecord { contact, version: row.version, created_at: row.created_at, updated_at: row.updated_at })
}

/// The row of a contact, every column.
pub(crate) fn contact_row(record: &ContactRecord) -> contacts::Model {
    let (contact, c) = (&record.contact, record.contact.fields());
    let text = |value: Option<&str>| value.map(str::to_owned);
    contacts::Model {
        id: contact.id().as_uuid(),
        workspace_id: contact.workspace_id().as_uuid(),
        organization_id: c.organization_id.map(|o| o.as_uuid()),
        name: c.name.as_str().to_owned(),
        email: text(c.email.as_ref().map(Email::as_str)),
        phone: text(c.phone.as_ref().map(Phone::as_str)),
        job_title: text(c.job_title.as_ref().map(JobTitle::as_str)),
        address: text(c.address.as_ref().map(Address::as_str)),
        city: text(c.city.as_ref().map(City::as_str)),
        country: text(c.country.as_ref().map(Country::as_str)),
        tags: c.tags.to_json(),
        custom_fields: Value::Object(c.custom_fields.clone()).to_string(),
        notes: text(c.notes.as_ref().map(Notes::as_str)),
        owner_id: c.owner_id.map(|o| o.as_uuid()),
        source_lead_id: contact.source_lead_id().map(|l| l.as_uuid()),
        search_text: search_key([c.name.as_str(), c.email.as_ref().map_or("", Email::as_str)], c.phone.as_ref()),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// Refuses an organization that is not the workspace's.
pub(crate) async fn ensure_organization<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    id: Option<OrganizationId>,
) -> StoreResult<()> {
    let Some(id) = id else { return Ok(()) };
    let found = organizations::Entity::find_by_id(id.as_uuid())
        .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| StoreError::invalid("organization_id", "no such organization"))
}

pub(crate) async fn contact_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: ContactId) -> StoreResult<ContactRecord> {
    contact_where(conn, workspace_id, id, Condition::all()).await
}

/// A contact the viewer sees; one hidden from them is not found, exactly like a missing one.
pub(crate) async fn visible_contact<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: ContactId) -> StoreResult<ContactRecord> {
    contact_where(conn, viewer.workspace_id, id, contacts_seen(viewer)).await
}

async fn contact_where<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    id: ContactId,
    seen: Condition,
) -> StoreResult<ContactRecord> {
    let row = contacts::Entity::find_by_id(id.as_uuid())
        .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(seen)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("contact"))?;
    let mut dates = important_dates::dates_of(conn, Owner::Contact, &[row.id]).await?;
    let dates = dates.remove(&row.id).unwrap_or_default();
    contact_record(row, dates)
}

/// The text-search condition: name, email, phone (the contact's search key), or the
/// organization's name or domain (its key).
fn text_condition(backend: DatabaseBackend, workspace_id: WorkspaceId, text: &str) -> Condition {
    let organizations_named = Query::select()
        .column((organizations::Entity, organizations::Column::Id))
        .from(organizations::Entity)
        .and_where(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .cond_where(search::key_holds(Expr::col((organizations::Entity, organizations::Column::SearchText)), text))
        .to_owned();
    let organization = col(contacts::Column::OrganizationId);
    // On PostgreSQL the organizations' ids are an array computed once (an InitPlan), which the
    // index on the contacts' organization can look up: with the trigram index on the contacts'
    // own key, the two are OR-ed as bitmaps and the list reads the matching contacts only. With
    // `IN (subquery)` the OR is a filter checked on every contact of the workspace.
    let in_organization = if backend == DatabaseBackend::Postgres {
        Expr::cust_with_exprs("$1 = ANY(ARRAY $2)", [organization, Expr::from(organizations_named)])
    } else {
        organization.in_subquery(organizations_named)
    };
    Condition::any().add(search::key_holds(col(contacts::Column::SearchText), text)).add(in_organization)
}

/// Contacts whose birthday (with its year) puts them in the age band, counted in the calendar
/// the birthday is kept in.
fn age_condition(band: &AgeBand) -> Expr {
    let date_col = |c: date_rows::Column| Expr::col((date_rows::Entity, c));
    let key = date_col(date_rows::Column::Year)
        .mul(10_000)
        .add(date_col(date_rows::Column::Month).mul(100))
        .add(date_col(date_rows::Column::Day));
    let mut in_band = Condition::any();
    for calendar in [Calendar::Gregorian, Calendar::Jalali] {
        let mut this = Condition::all().add(date_col(date_rows::Column::Calendar).eq(calendar.as_str()));
        let (old_enough, young_enough) = band.birthday_keys(calendar);
        if let Some(bound) = old_enough {
            this = this.add(key.clone().lte(bound));
        }
        if let Some(bound) = young_enough {
            this = this.add(key.clone().gt(bound));
        }
        in_band = in_band.add(this);
    }
    let mut birthdays = Query::select();
    birthdays
        .expr(Expr::val(1))
        .from(date_rows::Entity)
        .and_where(date_col(date_rows::Column::ContactId).equals((contacts::Entity, contacts::Column::Id)))
        .and_where(date_col(date_rows::Column::Kind).eq("birthday"))
        .and_where(date_col(date_rows::Column::Year).is_not_null())
        .cond_where(in_band);
    Expr::exists(birthdays.to_owned())
}

/// Inserts a checked contact with its dates and its `contact.created` event (creating one,
/// qualifying a lead, or importing); the caller records its creation when it is one of its own.
pub(crate) async fn insert_contact(
    work: &mut UnitOfWork,
    workspace_id: WorkspaceId,
    fields: ContactFields,
    source_lead: Option<LeadId>,
) -> StoreResult<ContactRecord> {
    let (contact, ContactEvent::Created { .. }) = Contact::create(workspace_id, fields, source_lead);
    let now = work.now();
    let record = ContactRecord { contact, version: 1, created_at: now, updated_at: now };
    contacts::Entity::insert(contacts::ActiveModel::from(contact_row(&record)).reset_all()).exec_without_returning(work.conn()).await?;
    let id = record.contact.id();
    important_dates::replace(work.conn(), workspace_id, Owner::Contact, id.as_uuid(), record.contact.fields().important_dates.as_slice())
        .await?;
    let about = Aggregate { workspace_id, kind: "contact", id: id.as_uuid() };
    work.emit(about, &Event::ContactCreated(ContactEventData { contact: (&record).into() })).await?;
    Ok(record)
}

/// Writes a changed contact over `before`, with its dates when they changed.
pub(crate) async fn save_contact(
    work: &mut UnitOfWork,
    action: &'static str,
    before: &ContactRecord,
    contact: Contact,
) -> StoreResult<ContactRecord> {
    let after = ContactRecord { contact, ..before.clone() };
    let row = work.update(action, &contact_row(before), contact_row(&after)).await?;
    let dates = after.contact.fields().important_dates.as_slice();
    if dates != before.contact.fields().important_dates.as_slice() {
        important_dates::replace(work.conn(), after.contact.workspace_id(), Owner::Contact, row.id, dates).await?;
    }
    Ok(ContactRecord { version: row.version, updated_at: row.updated_at, ..after })
}

/// The contact the viewer may change, at the version they read.
async fn contact_to_change(work: &UnitOfWork, viewer: &Viewer, id: ContactId, expected_version: Option<i64>) -> StoreResult<ContactRecord> {
    let record = visible_contact(work.conn(), viewer, id).await?;
    check_version("contact", expected_version, record.version)?;
    Ok(record)
}

impl Store {
    pub async fn create_contact(&self, workspace_id: WorkspaceId, actor_id: UserId, mut new: ContactFields) -> StoreResult<ContactRecord> {
        let mut work = self.begin().await?;
        let owner_id = new.owner_id.unwrap_or(actor_id);
        if owner_id != actor_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        new.owner_id = Some(owner_id);
        new.custom_fields = checked_values(work.conn(), workspace_id, FieldEntity::Contact, &new.custom_fields).await?;
        ensure_organization(work.conn(), workspace_id, new.organization_id).await?;
        let record = insert_contact(&mut work, workspace_id, new, None).await?;
        work.audit_object("contact.created", &contact_row(&record)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// A contact the viewer sees; one hidden from them is not found, exactly like a missing one.
    pub async fn contact(&self, viewer: &Viewer, id: ContactId) -> StoreResult<ContactRecord> {
        visible_contact(&self.db, viewer, id).await
    }

    pub async fn contacts(
        &self,
        viewer: &Viewer,
        filter: ContactFilter,
        order: ListOrder,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<ContactRecord>> {
        let workspace_id = viewer.workspace_id;
        let limit = pagination::clamp_limit(limit);
        let mut query =
            contacts::Entity::find().filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid())).filter(contacts_seen(viewer));
        if let Some(id) = filter.organization_id {
            query = query.filter(contacts::Column::OrganizationId.eq(id.as_uuid()));
        }
        if let Some(id) = filter.owner_id {
            query = query.filter(contacts::Column::OwnerId.eq(id.as_uuid()));
        }
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            query = query.filter(text_condition(self.db.get_database_backend(), workspace_id, text));
        }
        if let Some(band) = &filter.age {
            query = query.filter(age_condition(band));
        }
        let columns = [contacts::Column::City, contacts::Column::Country, contacts::Column::Id, contacts::Column::CustomFields].map(col);
        let (segment, tag) = filter.segment.split_tag();
        query = query.filter(search::segment_conditions(&self.db, workspace_id, FieldEntity::Contact, columns, &segment).await?);
        let mut sort_key: Expr = Func::lower(col(contacts::Column::Name)).into();
        let mut id = col(contacts::Column::Id);
        if let Some(tag) = tag {
            (query, sort_key, id) = search::through_tag_rows(query, workspace_id, FieldEntity::Contact, id, tag, TagKey::Text);
        }
        if let Some(cursor) = cursor {
            query = query.filter(order.after(cursor, sort_key.clone(), |name| Func::lower(name).into(), id.clone())?);
        }
        for (term, direction) in order.terms(sort_key, id) {
            query = query.order_by(term, direction);
        }
        let rows = query.limit(limit + 1).all(&self.db).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut dates = important_dates::dates_of(&self.db, Owner::Contact, &ids).await?;
        let items: Vec<ContactRecord> = rows
            .into_iter()
            .map(|row| {
                let own = dates.remove(&row.id).unwrap_or_default();
                contact_record(row, own)
            })
            .collect::<StoreResult<_>>()?;
        Ok(Page::of(items, limit, |last| order.cursor(last.contact.fields().name.as_str(), last.contact.id().as_uuid())))
    }

    pub async fn update_contact(
        &self,
        viewer: &Viewer,
        id: ContactId,
        expected_version: Option<i64>,
        mut patch: ContactPatch,
    ) -> StoreResult<ContactRecord> {
        let workspace_id = viewer.workspace_id;
        let mut work = self.begin().await?;
        let current = contact_to_change(&work, viewer, id, expected_version).await?;
        if let Some(Some(owner_id)) = patch.owner_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        let stored = &current.contact.fields().custom_fields;
        patch.custom_fields =
            Some(search::merged_fields(work.conn(), workspace_id, FieldEntity::Contact, stored, patch.custom_fields.as_ref()).await?);
        let mut contact = current.contact.clone();
        if !contact.update(patch) {
            return Ok(current);
        }
        ensure_organization(work.conn(), workspace_id, contact.fields().organization_id).await?;
        let record = save_contact(&mut work, "contact.updated", &current, contact).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Deletes a contact and its important dates. Its deals are unlinked a batch per transaction
    /// ([`BULK_BATCH`]), each checking the contact's version first: the transaction that finds
    /// fewer than a batch left unlinks those and deletes the contact. Stopped half-way (a crash,
    /// a stale version meanwhile), the contact is still there with fewer deals, and a retry
    /// finishes.
    pub async fn delete_contact(&self, viewer: &Viewer, id: ContactId, expected_version: Option<i64>) -> StoreResult<()> {
        let workspace_id = viewer.workspace_id;
        loop {
            let mut work = self.begin().await?;
            let current = contact_to_change(&work, viewer, id, expected_version).await?;
            if unlink_deals(&work, workspace_id, deals::Column::ContactId, id.as_uuid()).await? < BULK_BATCH {
                work.delete("contact.deleted", &contact_row(&current)).await?;
                return work.commit().await;
            }
            work.commit().await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(min: Option<u32>, max: Option<u32>, today: (i32, u32, u32)) -> (Option<i32>, Option<i32>) {
        jalali_band(min, max, today, Calendar::Gregorian)
    }

    fn jalali_band(min: Option<u32>, max: Option<u32>, today: (i32, u32, u32), calendar: Calendar) -> (Option<i32>, Option<i32>) {
        AgeBand { min, max, today: NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap() }.birthday_keys(calendar)
    }

    #[test]
    fn age_bands_become_birthday_bounds() {
        // 30 to 39 on 2026-11-26: born after 1986-11-26 and on or before 1996-11-26.
        assert_eq!(band(Some(30), Some(39), (2026, 11, 26)), (Some(19_961_126), Some(19_861_126)));
        // On 28 February of a common year a leap-day baby has turned a year older.
        assert_eq!(band(Some(27), None, (2027, 2, 28)), (Some(20_000_229), None));
        assert_eq!(band(None, Some(27), (2028, 2, 28)), (None, Some(20_000_228)));
    }

    #[test]
    fn jalali_birthdays_count_jalali_years() {
        // 2026-11-26 is 5 Azar 1405: 30 to 39 means born after 5 Azar 1365, on or before 5 Azar 1375.
        assert_eq!(jalali_band(Some(30), Some(39), (2026, 11, 26), Calendar::Jalali), (Some(13_750_905), Some(13_650_905)));
        // 2026-03-20 is 29 Esfand 1404, a common year: someone born on 30 Esfand 1374 has turned 30.
        assert_eq!(jalali_band(Some(30), None, (2026, 3, 20), Calendar::Jalali), (Some(13_741_230), None));
    }
}
