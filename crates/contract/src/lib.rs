//! The JSON Kariz shows the world: the response bodies of the API and the payloads of the
//! events webhooks deliver. One set of types serves both, so that a deal in a `deal.won`
//! webhook is, field for field, the deal `GET /deals/{id}` answers.
//!
//! These types know the domain and serde, and describe themselves to the OpenAPI document; they
//! know nothing of storage or HTTP. The store serializes them into the outbox with the change
//! that causes an event; the API returns them.

pub mod activities;
pub mod attachments;
pub mod contacts;
pub mod deals;
pub mod documents;
pub mod emails;
pub mod events;
pub mod leads;
pub mod notifications;
pub mod products;
pub mod vocabulary;

pub use activities::ActivityResponse;
pub use attachments::AttachmentResponse;
pub use contacts::{CalendarDto, ContactResponse, DateKindDto, ImportantDateResponse};
pub use deals::{DealResponse, DealStatusDto};
pub use documents::{DocumentLine, InvoiceResponse, Party, PaymentResponse, QuoteResponse};
pub use emails::EmailResponse;
pub use events::Event;
pub use leads::{LeadResponse, OpportunityResponse};
pub use notifications::NotificationResponse;
pub use products::ProductResponse;
