//! Webhooks: Standard Webhooks signing, the SSRF guard, and the dispatcher that turns outbox
//! events into signed, retried, ordered, logged HTTP deliveries.
//!
//! This crate knows HTTP only as a client; it reads and writes through the persistence `Store`.

pub mod dispatcher;
pub mod guard;
pub mod signing;

pub use dispatcher::{DeliveryOutcomes, Dispatcher, DispatcherConfig, OutcomeLabels, STANDARD_SCHEDULE};
pub use guard::{TargetError, check_target, parse_target};
pub use signing::{SigningSecret, signature_header};
