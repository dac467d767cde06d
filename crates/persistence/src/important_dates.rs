//! Important dates of contacts and organizations: stored one row each (month and day apart, so
//! that "the next N days" is a range scan whatever the year), and the upcoming ones.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use kariz_domain::dates::ParsiDate;
use kariz_domain::dates::{AnnualDate, Calendar, DateKind, jalali, upcoming_within};
use kariz_domain::{ContactId, DateLabel, ImportantDate, OrganizationId, Viewer, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entities::{contacts, important_dates as rows, organizations};
use crate::error::{StoreError, StoreResult};
use crate::records::UpcomingDateRecord;
use crate::store::Store;
use crate::visibility::contacts_seen;

/// Whose dates: a contact's or an organization's.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Owner {
    Contact,
    Organization,
}

impl Owner {
    fn column(self) -> rows::Column {
        match self {
            Owner::Contact => rows::Column::ContactId,
            Owner::Organization => rows::Column::OrganizationId,
        }
    }
}

pub(crate) fn date_of(row: &rows::Model) -> StoreResult<ImportantDate> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("important_dates", e);
    let kind = DateKind::parse(&row.kind).map_err(|e| corrupt(&e))?;
    let label = row.label.as_deref().map(DateLabel::parse).transpose().map_err(|e| corrupt(&e))?;
    let (month, day) = (u32::try_from(row.month).unwrap_or(0), u32::try_from(row.day).unwrap_or(0));
    let calendar = Calendar::parse(&row.calendar).map_err(|e| corrupt(&e))?;
    let date = AnnualDate::new(calendar, month, day, row.year).map_err(|e| corrupt(&e))?;
    Ok(ImportantDate { kind, label, date })
}

/// The dates of each of `owners`.
pub(crate) async fn dates_of<C: ConnectionTrait>(
    conn: &C,
    owner: Owner,
    owners: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<ImportantDate>>> {
    let mut by_owner: HashMap<Uuid, Vec<ImportantDate>> = HashMap::new();
    if owners.is_empty() {
        return Ok(by_owner);
    }
    let found = rows::Entity::find().filter(owner.column().is_in(owners.iter().copied())).all(conn).await?;
    for row in &found {
        let id = match owner {
            Owner::Contact => row.contact_id,
            Owner::Organization => row.organization_id,
        };
        if let Some(id) = id {
            by_owner.entry(id).or_default().push(date_of(row)?);
        }
    }
    Ok(by_owner)
}

/// Replaces the dates of one contact or organization (in the caller's transaction).
pub(crate) async fn replace<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    owner: Owner,
    owner_id: Uuid,
    dates: &[ImportantDate],
) -> StoreResult<()> {
    rows::Entity::delete_many().filter(owner.column().eq(owner_id)).exec(conn).await?;
    if dates.is_empty() {
        return Ok(());
    }
    let new_rows = dates.iter().map(|d| rows::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        contact_id: Set(matches!(owner, Owner::Contact).then_some(owner_id)),
        organization_id: Set(matches!(owner, Owner::Organization).then_some(owner_id)),
        kind: Set(d.kind.as_str().to_owned()),
        label: Set(d.label.as_ref().map(|l| l.as_str().to_owned())),
        month: Set(d.date.month() as i16),
        day: Set(d.date.day() as i16),
        year: Set(d.date.year()),
        calendar: Set(d.date.calendar().as_str().to_owned()),
    });
    rows::Entity::insert_many(new_rows).exec_without_returning(conn).await?;
    Ok(())
}

/// A day's month and day in one calendar, and its year there.
fn month_day(calendar: Calendar, date: NaiveDate) -> (i32, i32) {
    match calendar {
        Calendar::Gregorian => ((date.month() * 100 + date.day()) as i32, date.year()),
        Calendar::Jalali => {
            let day = jalali(date);
            ((day.month() * 100 + day.day()) as i32, day.year())
        }
    }
}

/// Whether `year` of `calendar` is a common year, whose last day stands in for the leap day.
fn leap_day_of_common_year(calendar: Calendar, year: i32) -> Option<(i16, i16)> {
    match calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, 2, 29).is_none().then_some((2, 29)),
        Calendar::Jalali => (!ParsiDate::is_persian_leap_year(year)).then_some((12, 30)),
    }
}

/// Rows of `calendar` whose month and day fall between `from` and `to` (inclusive, `to` at most a
/// year later) in that calendar: one range, or two when the window wraps past the year's end. A
/// leap day (29 February, 30 Esfand) is added whenever the window holds the end of a common year,
/// when such dates are celebrated; the domain then decides each row exactly.
fn window(calendar: Calendar, from: NaiveDate, to: NaiveDate) -> Condition {
    let key = Expr::col(rows::Column::Month).mul(100).add(Expr::col(rows::Column::Day));
    let ((start, first_year), (end, last_year)) = (month_day(calendar, from), month_day(calendar, to));
    let mut any = if last_year == first_year {
        Condition::any().add(key.between(start, end))
    } else if end >= start {
        // A full year or more: every day of the year.
        Condition::any().add(Expr::val(1).eq(1))
    } else {
        Condition::any().add(key.clone().gte(start)).add(key.lte(end))
    };
    for year in first_year..=last_year {
        let Some((month, day)) = leap_day_of_common_year(calendar, year) else { continue };
        let stand_in = AnnualDate::new(calendar, month as u32, day as u32, None).expect("a leap day").in_year(year);
        if from <= stand_in && stand_in <= to {
            any = any.add(rows::Column::Month.eq(month).and(rows::Column::Day.eq(day)));
        }
    }
    Condition::all().add(rows::Column::Calendar.eq(calendar.as_str())).add(any)
}

/// Rows of any calendar in the window from `from` to `to`.
pub(crate) fn windows(from: NaiveDate, to: NaiveDate) -> Condition {
    Condition::any().add(window(Calendar::Gregorian, from, to)).add(window(Calendar::Jalali, from, to))
}

/// The names of the workspace's contacts or organizations `ids`, given their workspace, id and
/// name columns.
async fn names_of<E: EntityTrait, C: ConnectionTrait>(
    conn: &C,
    [workspace, id, name]: [E::Column; 3],
    workspace_id: WorkspaceId,
    ids: Vec<Uuid>,
) -> StoreResult<HashMap<Uuid, String>> {
    let rows: Vec<(Uuid, String)> = E::find()
        .select_only()
        .column(id)
        .column(name)
        .filter(workspace.eq(workspace_id.as_uuid()))
        .filter(id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

impl Store {
    /// Every important date of the workspace's contacts and organizations whose next occurrence
    /// is within `days` days of `today` (both ends included), soonest first.
    pub async fn upcoming_dates(&self, viewer: &Viewer, today: NaiveDate, days: u32) -> StoreResult<Vec<UpcomingDateRecord>> {
        let workspace_id = viewer.workspace_id;
        let last = today.checked_add_days(Days::new(days.into())).ok_or_else(|| StoreError::invalid("days", "too far ahead"))?;
        let candidates = rows::Entity::find()
            .filter(rows::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(windows(today, last))
            .all(&self.db)
            .await?;
        let contact_ids: Vec<Uuid> = candidates.iter().filter_map(|r| r.contact_id).collect();
        let organization_ids: Vec<Uuid> = candidates.iter().filter_map(|r| r.organization_id).collect();
        // Contacts hidden from the viewer have no name here, and their dates are left out.
        let contact_names: HashMap<Uuid, String> = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .column(contacts::Column::Name)
            .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(contacts_seen(viewer))
            .filter(contacts::Column::Id.is_in(contact_ids))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let organization_names = names_of::<organizations::Entity, _>(
            &self.db,
            [organizations::Column::WorkspaceId, organizations::Column::Id, organizations::Column::Name],
            workspace_id,
            organization_ids,
        )
        .await?;
        let mut upcoming = Vec::new();
        for row in &candidates {
            let name = match (row.contact_id, row.organization_id) {
                (Some(id), _) => contact_names.get(&id),
                (None, Some(id)) => organization_names.get(&id),
                (None, None) => None,
            };
            let Some(name) = name else { continue };
            let date = date_of(row)?;
            let Some(on) = upcoming_within(&date.date, today, days) else { continue };
            upcoming.push(UpcomingDateRecord {
                on,
                years: date.date.years_at(on),
                date,
                contact_id: row.contact_id.map(ContactId::from),
                organization_id: row.organization_id.map(OrganizationId::from),
                name: name.clone(),
            });
        }
        upcoming.sort_by(|a, b| (a.on, &a.name, a.contact_id, a.organization_id).cmp(&(b.on, &b.name, b.contact_id, b.organization_id)));
        Ok(upcoming)
    }
}
