//! Contacts and organizations: the people and companies a workspace sells to, with their
//! countries, web domains and important dates.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use thiserror::Error;

use crate::dates::{AnnualDate, DateError, DateKind};
use crate::ids::{ContactId, LeadId, OrganizationId, UserId, WorkspaceId};
use crate::lead::LeadName;
use crate::phone::Phone;
use crate::tags::Tags;
use crate::text::bounded_text;
use crate::user::Email;

bounded_text!(
    /// An organization's display name.
    OrganizationName,
    200
);
bounded_text!(
    /// A contact's role at their organization.
    JobTitle,
    200
);
bounded_text!(
    /// A postal address, free-form.
    Address,
    500
);
bounded_text!(City, 100);
bounded_text!(
    /// The line of business of an organization.
    Industry,
    100
);
bounded_text!(
    /// Free-text notes kept with a contact.
    Notes,
    10_000
);
bounded_text!(
    /// What an important date is called ("wedding", "first order").
    DateLabel,
    100
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("must be an ISO 3166 alpha-2 country code, such as IR or DE")]
pub struct CountryError;

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted.
const COUNTRY_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI \
KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC \
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA \
ZM ZW";

/// A country as its ISO 3166-1 alpha-2 code, upper-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(raw: &str) -> Result<Country, CountryError> {
        let code = raw.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = code.as_bytes().try_into().map_err(|_| CountryError)?;
        // Codes are two letters a space apart, so a code's offset is a multiple of three.
        let known = COUNTRY_CODES.match_indices(code.as_str()).any(|(at, _)| at % 3 == 0);
        if known && bytes.iter().all(u8::is_ascii_uppercase) { Ok(Country(bytes)) } else { Err(CountryError) }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl From<Country> for String {
    fn from(country: Country) -> String {
        country.as_str().to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("must be a domain name such as example.com, without a scheme or path")]
pub struct DomainError;

/// An organization's web domain, lower-case, without scheme, `www.` or trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct WebDomain(String);

impl WebDomain {
    pub fn parse(raw: &str) -> Result<WebDomain, DomainError> {
        let lower = raw.trim().to_lowercase();
        let host = lower.strip_suffix('.').unwrap_or(&lower);
        let host = host.strip_prefix("www.").unwrap_or(host);
        let labels: Vec<&str> = host.split('.').collect();
        let label_ok = |label: &&str| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if host.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(DomainError);
        }
        Ok(WebDomain(host.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportantDateError {
    #[error(transparent)]
    Date(#[from] DateError),
    #[error("at most {max} important dates")]
    TooMany { max: usize },
    #[error("a contact has at most one birthday")]
    SecondBirthday,
    #[error("an organization's founding date is its `founded_on`; its other dates are anniversaries or custom dates")]
    NotForOrganizations,
}

/// A yearly date worth remembering: a birthday, an anniversary, a founding date, or any
/// labelled date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportantDate {
    pub kind: DateKind,
    pub label: Option<DateLabel>,
    pub date: AnnualDate,
}

impl ImportantDate {
    pub fn new(kind: DateKind, label: Option<DateLabel>, date: AnnualDate) -> Result<ImportantDate, DateError> {
        if kind == DateKind::Custom && label.is_none() {
            return Err(DateError::MissingLabel);
        }
        Ok(ImportantDate { kind, label, date })
    }

    fn calendar_order(&self) -> (u32, u32, &'static str, Option<&str>, Option<i32>) {
        (self.date.month(), self.date.day(), self.kind.as_str(), self.label.as_ref().map(DateLabel::as_str), self.date.year())
    }

    /// An organization's founding date, from `founded_on`.
    pub fn founding(on: NaiveDate) -> ImportantDate {
        ImportantDate { kind: DateKind::Founding, label: None, date: AnnualDate::from_date(on) }
    }
}

/// The important dates of one contact or organization, in calendar order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportantDates(Vec<ImportantDate>);

impl ImportantDates {
    pub const MAX_DATES: usize = 20;

    /// A contact's dates: any kind, with at most one birthday.
    pub fn for_contact(dates: Vec<ImportantDate>) -> Result<ImportantDates, ImportantDateError> {
        if dates.iter().filter(|d| d.kind == DateKind::Birthday).count() > 1 {
            return Err(ImportantDateError::SecondBirthday);
        }
        Self::bounded(dates)
    }

    /// An organization's dates besides its founding: anniversaries and custom dates.
    pub fn for_organization(dates: Vec<ImportantDate>) -> Result<ImportantDates, ImportantDateError> {
        if dates.iter().any(|d| matches!(d.kind, DateKind::Birthday | DateKind::Founding)) {
            return Err(ImportantDateError::NotForOrganizations);
        }
        Self::bounded(dates)
    }

    fn bounded(dates: Vec<ImportantDate>) -> Result<ImportantDates, ImportantDateError> {
        if dates.len() > Self::MAX_DATES {
            return Err(ImportantDateError::TooMany { max: Self::MAX_DATES });
        }
        Ok(Self::from_stored(dates))
    }

    /// Dates as stored; the store's own rows are trusted.
    pub fn from_stored(mut dates: Vec<ImportantDate>) -> ImportantDates {
        // One order whatever order they were given or stored in, so that equal sets compare equal.
        dates.sort_by(|a, b| a.calendar_order().cmp(&b.calendar_order()));
        ImportantDates(dates)
    }

    pub fn as_slice(&self) -> &[ImportantDate] {
        &self.0
    }

    pub fn birthday(&self) -> Option<&AnnualDate> {
        self.0.iter().find(|d| d.kind == DateKind::Birthday).map(|d| &d.date)
    }
}

/// What a contact holds besides its identity and bookkeeping; also what creating one takes.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactFields {
    pub name: LeadName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub job_title: Option<JobTitle>,
    pub organization_id: Option<OrganizationId>,
    pub address: Option<Address>,
    pub city: Option<City>,
    pub country: Option<Country>,
    pub tags: Tags,
    /// Checked against the workspace's contact field definitions.
    pub custom_fields: Map<String, Value>,
    pub notes: Option<Notes>,
    pub owner_id: Option<UserId>,
    pub important_dates: ImportantDates,
}

impl ContactFields {
    /// Fills these fields' blanks from `other`; existing values win, tags are united.
    pub fn absorb(&mut self, other: ContactFields) {
        macro_rules! fill {
            ($($field:ident),*) => { $(if self.$field.is_none() { self.$field = other.$field; })* };
        }
        fill!(email, phone, job_title, organization_id, address, city, country, notes, owner_id);
        self.tags = self.tags.union(&other.tags);
        for (key, value) in other.custom_fields {
            self.custom_fields.entry(key).or_insert(value);
        }
        if self.important_dates.as_slice().is_empty() {
            self.important_dates = other.important_dates;
        }
    }
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears an optional one. Custom
/// fields come already merged with the stored ones (the store knows the workspace's definitions).
#[derive(Clone, Debug, Default)]
pub struct ContactPatch {
    pub name: Option<LeadName>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<Phone>>,
    pub job_title: Option<Option<JobTitle>>,
    pub organization_id: Option<Option<OrganizationId>>,
    pub address: Option<Option<Address>>,
    pub city: Option<Option<City>>,
    pub country: Option<Option<Country>>,
    pub tags: Option<Tags>,
    pub custom_fields: Option<Map<String, Value>>,
    pub notes: Option<Option<Notes>>,
    pub owner_id: Option<Option<UserId>>,
    /// Replaces every date when given.
    pub important_dates: Option<ImportantDates>,
}

/// A person the team sells to.
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    id: ContactId,
    workspace_id: WorkspaceId,
    fields: ContactFields,
    /// The lead it was qualified from, if it was.
    source_lead_id: Option<LeadId>,
}

/// What happened to a contact.
#[derive(Clone, Debug, PartialEq)]
pub enum ContactEvent {
    Created { contact_id: ContactId },
}

impl Contact {
    /// A new contact; `source_lead` when it is made by qualifying a lead.
    pub fn create(workspace_id: WorkspaceId, fields: ContactFields, source_lead: Option<LeadId>) -> (Contact, ContactEvent) {
        let contact = Contact { id: ContactId::new(), workspace_id, fields, source_lead_id: source_lead };
        let event = ContactEvent::Created { contact_id: contact.id };
        (contact, event)
    }

    /// A contact as it was stored.
    pub fn restore(id: ContactId, workspace_id: WorkspaceId, fields: ContactFields, source_lead_id: Option<LeadId>) -> Contact {
        Contact { id, workspace_id, fields, source_lead_id }
    }

    pub fn id(&self) -> ContactId {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn fields(&self) -> &ContactFields {
        &self.fields
    }

    pub fn source_lead_id(&self) -> Option<LeadId> {
        self.source_lead_id
    }

    /// Applies `patch`; says whether anything changed.
    pub fn update(&mut self, patch: ContactPatch) -> bool {
        let before = self.fields.clone();
        let c = &mut self.fields;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { c.$field = value; })* };
        }
        apply!(
            name,
            email,
            phone,
            job_title,
            organization_id,
            address,
            city,
            country,
            tags,
            custom_fields,
            notes,
            owner_id,
            important_dates
        );
        self.fields != before
    }

    /// The same person came again (an import row): their details fill this contact's blanks.
    /// Says whether anything changed.
    pub fn attach(&mut self, fields: ContactFields) -> bool {
        let before = self.fields.clone();
        self.fields.absorb(fields);
        self.fields != before
    }

    /// The contact's organization was deleted: the contact stays, without one.
    pub fn leave_organization(&mut self) {
        self.fields.organization_id = None;
    }
}

/// What an organization holds besides its identity and bookkeeping; also what creating one takes.
#[derive(Clone, Debug, PartialEq)]
pub struct OrganizationFields {
    pub name: OrganizationName,
    pub domain: Option<WebDomain>,
    pub industry: Option<Industry>,
    pub phone: Option<Phone>,
    pub address: Option<Address>,
    pub city: Option<City>,
    pub country: Option<Country>,
    pub tags: Tags,
    pub custom_fields: Map<String, Value>,
    pub owner_id: Option<UserId>,
    /// Stored as its `founding` important date.
    pub founded_on: Option<NaiveDate>,
    /// Anniversaries and custom dates; the founding date is `founded_on`.
    pub important_dates: ImportantDates,
}

impl OrganizationFields {
    /// Fills this organization's blanks from `other` (the same company named again, as an import
    /// row): stored values win, tags and custom fields are merged, dates kept when there are any.
    pub fn absorb(&mut self, other: OrganizationFields) {
        macro_rules! fill {
            ($($field:ident),*) => { $(if self.$field.is_none() { self.$field = other.$field; })* };
        }
        fill!(domain, industry, phone, address, city, country, owner_id, founded_on);
        self.tags = self.tags.union(&other.tags);
        for (key, value) in other.custom_fields {
            self.custom_fields.entry(key).or_insert(value);
        }
        if self.important_dates.as_slice().is_empty() {
            self.important_dates = other.important_dates;
        }
    }

    /// Every date of the organization: its founding date, then the others.
    pub fn all_dates(&self) -> Vec<ImportantDate> {
        self.founded_on.map(ImportantDate::founding).into_iter().chain(self.important_dates.as_slice().iter().cloned()).collect()
    }
}

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
    /// Already merged with the stored values (see [`ContactPatch`]).
    pub custom_fields: Option<Map<String, Value>>,
    pub owner_id: Option<Option<UserId>>,
    pub founded_on: Option<Option<NaiveDate>>,
    /// Replaces every anniversary and custom date when given.
    pub important_dates: Option<ImportantDates>,
}

/// A company the team's contacts belong to.
#[derive(Clone, Debug, PartialEq)]
pub struct Organization {
    id: OrganizationId,
    workspace_id: WorkspaceId,
    fields: OrganizationFields,
}

impl Organization {
    pub fn create(workspace_id: WorkspaceId, fields: OrganizationFields) -> Organization {
        Organization { id: OrganizationId::new(), workspace_id, fields }
    }

    /// An organization as it was stored.
    pub fn restore(id: OrganizationId, workspace_id: WorkspaceId, fields: OrganizationFields) -> Organization {
        Organization { id, workspace_id, fields }
    }

    pub fn id(&self) -> OrganizationId {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn fields(&self) -> &OrganizationFields {
        &self.fields
    }

    /// The same company came again (an import row): its details fill this organization's
    /// blanks. Says whether anything changed.
    pub fn attach(&mut self, fields: OrganizationFields) -> bool {
        let before = self.fields.clone();
        self.fields.absorb(fields);
        self.fields != before
    }

    /// Applies `patch`; says whether anything changed.
    pub fn update(&mut self, patch: OrganizationPatch) -> bool {
        let before = self.fields.clone();
        let o = &mut self.fields;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { o.$field = value; })* };
        }
        apply!(name, domain, industry, phone, address, city, country, tags, custom_fields, owner_id, founded_on, important_dates);
        self.fields != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_known_alpha_2_codes() {
        assert_eq!(Country::parse(" ir ").unwrap().as_str(), "IR");
        assert_eq!(serde_json::to_value(Country::parse("DE").unwrap()).unwrap(), "DE");
        for bad in ["", "I", "IRN", "XX", "RI", "R ", "۱۲", "ÄB"] {
            assert_eq!(Country::parse(bad), Err(CountryError), "{bad:?}");
        }
        let codes: Vec<&str> = COUNTRY_CODES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]) && codes.iter().all(|c| c.len() == 2));
    }

    #[test]
    fn an_organization_named_again_fills_its_blanks_only() {
        let fields = |name: &str, city: Option<&str>, tags: &[&str]| OrganizationFields {
            name: OrganizationName::parse(name).unwrap(),
            domain: None,
            industry: None,
            phone: None,
            address: None,
            city: city.map(|c| City::parse(c).unwrap()),
            country: None,
            tags: Tags::parse(tags).unwrap(),
            custom_fields: Map::new(),
            owner_id: None,
            founded_on: None,
            important_dates: ImportantDates::default(),
        };
        let mut organization = Organization::create(WorkspaceId::new(), fields("Pars", Some("Tehran"), &["a"]));
        assert!(organization.attach(fields("pars", Some("Shiraz"), &["b"])));
        let o = organization.fields();
        assert_eq!((o.name.as_str(), o.city.as_ref().map(City::as_str)), ("Pars", Some("Tehran")));
        assert_eq!(o.tags.as_slice(), ["a", "b"]);
        assert!(!organization.attach(fields("Pars", None, &["A"])), "nothing new");
    }

    #[test]
    fn domains_are_bare_lower_case_hosts() {
        assert_eq!(WebDomain::parse(" WWW.Pars-Logistics.IR. ").unwrap().as_str(), "pars-logistics.ir");
        assert_eq!(WebDomain::parse("کاریز.ایران").unwrap().as_str(), "کاریز.ایران");
        for bad in ["localhost", "https://acme.com", "acme.com/about", "-acme.com", "acme..com", "a b.com", ""] {
            assert_eq!(WebDomain::parse(bad), Err(DomainError), "{bad:?}");
        }
    }

    fn date(kind: DateKind, label: Option<&str>) -> Result<ImportantDate, DateError> {
        ImportantDate::new(
            kind,
            label.map(|l| DateLabel::parse(l).unwrap()),
            AnnualDate::new(crate::dates::Calendar::Gregorian, 3, 21, None).unwrap(),
        )
    }

    #[test]
    fn custom_dates_need_a_label_and_contacts_have_one_birthday() {
        assert_eq!(date(DateKind::Custom, None), Err(DateError::MissingLabel));
        assert!(date(DateKind::Custom, Some("first order")).is_ok());
        let birthday = date(DateKind::Birthday, None).unwrap();
        let dates = ImportantDates::for_contact(vec![birthday.clone(), date(DateKind::Anniversary, None).unwrap()]).unwrap();
        assert_eq!(dates.birthday(), Some(&birthday.date));
        assert_eq!(ImportantDates::for_contact(vec![birthday.clone(), birthday.clone()]), Err(ImportantDateError::SecondBirthday));
        assert_eq!(ImportantDates::for_organization(vec![birthday]), Err(ImportantDateError::NotForOrganizations));
        let many = vec![date(DateKind::Anniversary, None).unwrap(); 21];
        assert_eq!(ImportantDates::for_organization(many), Err(ImportantDateError::TooMany { max: 20 }));
    }
}
