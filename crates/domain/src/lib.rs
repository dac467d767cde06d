//! The Kariz domain: the sales funnel's types, their rules and the events they emit.
//!
//! This crate does no I/O and knows nothing of storage, HTTP or OpenAPI. Values are parsed
//! into newtypes at the edge (`Email::parse`, `Money::new`, …) so that everything past the
//! parse can rely on them being valid.

pub mod deal;
pub mod events;
pub mod ids;
pub mod money;
pub mod pipeline;
pub mod position;
pub mod probability;
pub mod text;
pub mod user;

pub use deal::{Deal, DealError, DealPatch, DealStatus, DealTitle, LostReason, NewDeal, StageRef};
pub use events::{DealChange, DomainEvent};
pub use ids::{DealId, PipelineId, StageId, UserId, WorkspaceId};
pub use money::{Currency, Money, MoneyError};
pub use pipeline::{PipelineName, RottingDays, StageName};
pub use position::{Position, PositionError};
pub use probability::Probability;
pub use text::TextError;
pub use user::{Email, Password, PersonName, Role, WorkspaceName};
