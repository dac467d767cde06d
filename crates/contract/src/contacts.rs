//! A contact as the API answers it and `contact.*` events carry it, and the important dates of
//! contacts and organizations.

use chrono::{DateTime, Utc};
use kariz_domain::ImportantDate;
use kariz_domain::dates::{Calendar, DateKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = DateKind)]
pub enum DateKindDto {
    Birthday,
    Anniversary,
    /// An organization's, from its `founded_on`.
    Founding,
    /// Any other date; it needs a label.
    Custom,
}

/// The calendar a yearly date recurs in: a Jalali birthday comes round on its Jalali day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Calendar)]
pub enum CalendarDto {
    #[default]
    Gregorian,
    /// The Solar Hijri calendar of Iran; months 1–6 have 31 days, 7–11 have 30, and Esfand 29 or
    /// 30 (a 30 Esfand date comes on 29 Esfand in common years).
    Jalali,
}

impl From<Calendar> for CalendarDto {
    fn from(calendar: Calendar) -> Self {
        match calendar {
            Calendar::Gregorian => CalendarDto::Gregorian,
            Calendar::Jalali => CalendarDto::Jalali,
        }
    }
}

impl From<CalendarDto> for Calendar {
    fn from(calendar: CalendarDto) -> Self {
        match calendar {
            CalendarDto::Gregorian => Calendar::Gregorian,
            CalendarDto::Jalali => Calendar::Jalali,
        }
    }
}

impl From<DateKind> for DateKindDto {
    fn from(kind: DateKind) -> Self {
        match kind {
            DateKind::Birthday => DateKindDto::Birthday,
            DateKind::Anniversary => DateKindDto::Anniversary,
            DateKind::Founding => DateKindDto::Founding,
            DateKind::Custom => DateKindDto::Custom,
        }
    }
}

impl From<DateKindDto> for DateKind {
    fn from(kind: DateKindDto) -> Self {
        match kind {
            DateKindDto::Birthday => DateKind::Birthday,
            DateKindDto::Anniversary => DateKind::Anniversary,
            DateKindDto::Founding => DateKind::Founding,
            DateKindDto::Custom => DateKind::Custom,
        }
    }
}

/// A yearly date: month and day in its calendar, and the year when known.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportantDateResponse {
    pub kind: DateKindDto,
    #[schema(example = "First order")]
    pub label: Option<String>,
    pub calendar: CalendarDto,
    #[schema(example = 3, minimum = 1, maximum = 12)]
    pub month: u32,
    #[schema(example = 21, minimum = 1, maximum = 31)]
    pub day: u32,
    pub year: Option<i32>,
}

impl ImportantDateResponse {
    /// `dates` as responses, in their order.
    pub fn list(dates: &[ImportantDate]) -> Vec<ImportantDateResponse> {
        dates.iter().map(ImportantDateResponse::from).collect()
    }
}

impl From<&ImportantDate> for ImportantDateResponse {
    fn from(d: &ImportantDate) -> Self {
        ImportantDateResponse {
            kind: d.kind.into(),
            label: d.label.as_ref().map(|l| l.as_str().to_owned()),
            calendar: d.date.calendar().into(),
            month: d.date.month(),
            day: d.date.day(),
            year: d.date.year(),
        }
    }
}

/// A contact; `contact.created` events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactResponse {
    pub id: Uuid,
    pub organization_id: Option<Uuid>,
    #[schema(example = "Sara Ahmadi")]
    pub name: String,
    /// Lower-case.
    #[schema(example = "sara@pars-logistics.ir")]
    pub email: Option<String>,
    /// E.164, whatever spelling was sent.
    #[schema(example = "+989121234567")]
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    /// ISO 3166 alpha-2, upper-case.
    #[schema(example = "IR")]
    pub country: Option<String>,
    pub tags: Vec<String>,
    /// Values of the workspace's contact fields, by key.
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    pub notes: Option<String>,
    pub owner_id: Option<Uuid>,
    /// In calendar order.
    pub important_dates: Vec<ImportantDateResponse>,
    /// Incremented by every change; send it back as `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
