//! The Kariz domain: the sales funnel's types, their rules and the events they emit.
//!
//! This crate does no I/O and knows nothing of storage, HTTP or OpenAPI. Values are parsed
//! into newtypes at the edge (`Email::parse`, `Money::new`, …) so that everything past the
//! parse can rely on them being valid.

pub mod access;
pub mod activity;
pub mod api_key;
pub mod contact;
pub mod custom_fields;
pub mod dates;
pub mod deal;
pub mod events;
pub mod exchange;
pub mod ids;
pub mod lead;
pub mod money;
pub mod opportunity;
pub mod phone;
pub mod pipeline;
pub mod position;
pub mod probability;
pub mod reporting;
pub mod scoring;
pub mod tags;
pub mod text;
pub mod user;
mod vocabulary;

pub use access::{Viewer, Visibility, VisibilitySettings};
pub use activity::{
    Activity, ActivityBody, ActivityCounts, ActivityError, ActivityKind, ActivityLinks, ActivitySubject, Priority, TaskTemplate,
};
pub use api_key::{ApiKeyScope, ApiKeyScopes, KeyExpiryError, KeyRefusal, ScopesError, check_key_usable, parse_key_expiry};
pub use contact::{
    Address, City, Country, DateLabel, ImportantDate, ImportantDateError, ImportantDates, Industry, JobTitle, Notes, OrganizationName,
    WebDomain,
};
pub use deal::{Deal, DealError, DealPatch, DealStatus, DealTitle, LostReason, NewDeal, StageRef};
pub use events::{DealChange, DomainEvent};
pub use exchange::{Conversion, CurrencyAmounts, DatedRate, ExchangeRate, RateError, RateTable};
pub use ids::{
    ActivityId, ApiKeyId, ContactId, DealId, ExchangeRateId, LeadId, OpportunityId, OrganizationId, PipelineId, StageId, TaskTemplateId,
    UserId, WorkspaceId,
};
pub use lead::{DisqualifyNote, DisqualifyReason, LeadError, LeadName, LeadSource, LeadStatus};
pub use money::{Currency, Money, MoneyError};
pub use opportunity::{OpportunityStatus, OpportunityTitle};
pub use phone::Phone;
pub use pipeline::{PipelineName, RottingDays, StageName};
pub use position::{Position, PositionError};
pub use probability::Probability;
pub use reporting::{Period, PeriodError, YearMonth};
pub use tags::Tags;
pub use text::TextError;
pub use user::{Email, Password, PasswordError, PasswordStrength, PersonName, Role, WorkspaceName};
pub use vocabulary::UnknownName;
