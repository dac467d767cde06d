//! Typed identifiers. All ids are UUIDv7 so that they sort by creation time.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl From<$name> for Uuid {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The tenant boundary: every stored row belongs to exactly one workspace.
    WorkspaceId
);
id_type!(UserId);
id_type!(PipelineId);
id_type!(StageId);
id_type!(DealId);
id_type!(LeadId);
id_type!(ContactId);
id_type!(OrganizationId);
id_type!(OpportunityId);
id_type!(ApiKeyId);
id_type!(ActivityId);
id_type!(TaskTemplateId);
id_type!(ExchangeRateId);
id_type!(AttachmentId);
id_type!(
    /// One of a workspace's managed reasons for losing a deal.
    LostReasonId
);
id_type!(
    /// A product of the workspace's catalogue.
    ProductId
);
id_type!(
    /// One line of a deal's line items.
    LineItemId
);
id_type!(
    /// A pre-invoice (quote) or one of its revisions.
    QuoteId
);
id_type!(InvoiceId);
id_type!(PaymentId);
