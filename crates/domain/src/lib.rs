//! The Kariz domain: the sales funnel's types, their rules and the events they emit.
//!
//! This crate does no I/O and knows nothing of storage, HTTP or OpenAPI. Values are parsed
//! into newtypes at the edge (`Email::parse`, `Money::new`, …) so that everything past the
//! parse can rely on them being valid.

pub mod access;
pub mod activity;
pub mod api_key;
pub mod attachment;
pub mod automation;
pub mod contact;
pub mod custom_fields;
pub mod customer_value;
pub mod dates;
pub mod deal;
pub mod deal_rules;
pub mod document;
pub mod email;
pub mod events;
pub mod exchange;
pub mod ids;
pub mod lead;
pub mod money;
pub mod notification;
pub mod notification_text;
pub mod number_words;
pub mod opportunity;
pub mod phone;
pub mod pipeline;
pub mod position;
pub mod probability;
pub mod product;
pub mod reporting;
pub mod saved_view;
pub mod scoring;
pub mod search;
pub mod tags;
pub mod text;
pub mod user;
mod vocabulary;
pub mod webhook;

pub use access::{Viewer, Visibility, VisibilitySettings};
pub use activity::{
    Activity, ActivityBody, ActivityCounts, ActivityError, ActivityFields, ActivityKind, ActivityLinks, ActivityPatch, ActivitySubject,
    Priority, TaskTemplate,
};
pub use api_key::{ApiKeyScope, ApiKeyScopes, KeyExpiryError, KeyRefusal, ScopesError, check_key_usable, parse_key_expiry};
pub use attachment::{AttachmentError, AttachmentTarget, FileName, MediaType, UploadLimits, check_may_delete};
pub use contact::{
    Address, City, Contact, ContactEvent, ContactFields, ContactPatch, Country, DateLabel, ImportantDate, ImportantDateError,
    ImportantDates, Industry, JobTitle, Notes, Organization, OrganizationFields, OrganizationName, OrganizationPatch, WebDomain,
};
pub use deal::{
    ContactLink, Deal, DealError, DealPatch, DealStatus, DealTitle, LinesSummary, LossDetails, LostReason, NewDeal, StageRef, StoredDeal,
};
pub use deal_rules::{LostReasonName, ManagedLostReason, RequiredField, RequiredFields, RequiredFieldsError};
pub use document::{
    AmountOutOfRange, DocumentError, DocumentKind, DocumentPrefix, DocumentText, InvalidPrefix, InvoiceStatus, Numbering, PartyDetail,
    PaymentAmount, PaymentMethod, PaymentReference, QuoteStatus, RialDisplay,
};
pub use email::{
    EmailStatus, EmailSubject, Placeholder, RenderedEmail, SMTP_NOT_CONFIGURED, Template, TemplateError, TemplateLocale, TemplateName,
    TemplateValues, render_email, render_plain,
};
pub use events::{DealChange, DealEvent, LeadEvent};
pub use exchange::{Conversion, CurrencyAmounts, DatedRate, ExchangeRate, RateError, RateTable};
pub use ids::{
    ActivityId, ApiKeyId, AttachmentId, ContactId, DealId, ExchangeRateId, InvoiceId, LeadId, LineItemId, LostReasonId, OpportunityId,
    OrganizationId, PaymentId, PipelineId, ProductId, QuoteId, StageId, TaskTemplateId, UserId, WorkspaceId,
};
pub use lead::{DisqualifyNote, DisqualifyReason, Lead, LeadError, LeadFields, LeadName, LeadPatch, LeadSource, LeadStatus, StoredLead};
pub use money::{Currency, Money, MoneyError};
pub use notification::{NotificationKind, NotificationPreferences, TimeZone, UnknownTimeZone};
pub use number_words::{english_words, persian_words};
pub use opportunity::{OpportunityStatus, OpportunityTitle};
pub use phone::Phone;
pub use pipeline::{NewStage, Pipeline, PipelineError, PipelineName, PipelinePatch, RottingDays, Stage, StageName, StagePatch};
pub use position::{Position, PositionError};
pub use probability::Probability;
pub use product::{
    BasisPoints, LineAmounts, LineDraft, LineError, LineItem, LineName, ProductError, ProductFacts, ProductName, ProductUnit, Quantity,
    Sku, TaxRate, UnitPrice, price_lines,
};
pub use reporting::{Interval, Period, PeriodError, YearMonth};
pub use saved_view::{ViewEntity, ViewError, ViewName, check_may_change_view, sees_view};
pub use tags::Tags;
pub use text::TextError;
pub use user::{
    Email, Membership, MembershipChange, MembershipError, Password, PasswordError, PasswordStrength, PersonName, Role, WorkspaceName,
    change_membership,
};
pub use vocabulary::UnknownName;
pub use webhook::{EventTypes, StoredSubscription, SubscriptionFields, SubscriptionPatch, UnknownEventType, WebhookSubscription};
