//! Webhook subscriptions: where a workspace's events go, which ones, and whether they still go.

use chrono::{DateTime, Utc};
use thiserror::Error;
use uuid::Uuid;

use crate::events::EVENT_TYPES;
use crate::ids::{PipelineId, WorkspaceId};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown event type `{0}`")]
pub struct UnknownEventType(pub String);

/// The event types a subscription wants; empty means every type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventTypes(Vec<String>);

impl EventTypes {
    /// The types named, each one a type events have; kept sorted, without duplicates.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<EventTypes, UnknownEventType> {
        let mut types: Vec<String> = Vec::with_capacity(names.len());
        for name in names {
            let name = name.as_ref();
            if !EVENT_TYPES.contains(&name) {
                return Err(UnknownEventType(name.to_owned()));
            }
            types.push(name.to_owned());
        }
        types.sort();
        types.dedup();
        Ok(EventTypes(types))
    }

    /// Types as they were stored (not checked again: a type once sent stays readable).
    pub fn restore(types: Vec<String>) -> EventTypes {
        EventTypes(types)
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn includes(&self, event_type: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|t| t == event_type)
    }
}

/// What a subscription is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionFields {
    /// Checked against the SSRF rules by whoever accepts it; the domain only keeps it.
    pub url: String,
    pub description: Option<String>,
    pub event_types: EventTypes,
    /// Only events of deals in this pipeline.
    pub pipeline_id: Option<PipelineId>,
}

/// A change to a subscription; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionPatch {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub event_types: Option<EventTypes>,
    pub pipeline_id: Option<Option<PipelineId>>,
    /// `true` re-enables a disabled subscription and forgets its failures; `false` pauses it.
    pub active: Option<bool>,
}

/// Every field of a stored subscription, for a store to build it back.
#[derive(Clone, Debug)]
pub struct StoredSubscription {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub fields: SubscriptionFields,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub failing_since: Option<DateTime<Utc>>,
}

/// An endpoint that receives the workspace's events, signed with its secret.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookSubscription {
    id: Uuid,
    workspace_id: WorkspaceId,
    fields: SubscriptionFields,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<DateTime<Utc>>,
    active: bool,
    disabled_reason: Option<String>,
    disabled_at: Option<DateTime<Utc>>,
    failing_since: Option<DateTime<Utc>>,
}

impl WebhookSubscription {
    /// A new, active subscription signing with `secret`.
    pub fn create(workspace_id: WorkspaceId, fields: SubscriptionFields, secret: String) -> WebhookSubscription {
        WebhookSubscription {
            id: Uuid::now_v7(),
            workspace_id,
            fields,
            secret,
            previous_secret: None,
            previous_secret_expires_at: None,
            active: true,
            disabled_reason: None,
            disabled_at: None,
            failing_since: None,
        }
    }

    pub fn restore(stored: StoredSubscription) -> WebhookSubscription {
        let StoredSubscription {
            id,
            workspace_id,
            fields,
            secret,
            previous_secret,
            previous_secret_expires_at,
            active,
            disabled_reason,
            disabled_at,
            failing_since,
        } = stored;
        WebhookSubscription {
            id,
            workspace_id,
            fields,
            secret,
            previous_secret,
            previous_secret_expires_at,
            active,
            disabled_reason,
            disabled_at,
            failing_since,
        }
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn fields(&self) -> &SubscriptionFields {
        &self.fields
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    pub fn previous_secret(&self) -> Option<&str> {
        self.previous_secret.as_deref()
    }

    /// Until when the previous secret still signs, while it does at `now`.
    pub fn previous_secret_expires_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.previous_secret_expires_at.filter(|until| *until > now)
    }

    /// The stored expiry of the previous secret, whether or not it has passed.
    pub fn previous_secret_until(&self) -> Option<DateTime<Utc>> {
        self.previous_secret_expires_at
    }

    pub fn is_active(&self) -> bool {
        self.active
    }

    pub fn disabled_reason(&self) -> Option<&str> {
        self.disabled_reason.as_deref()
    }

    pub fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.disabled_at
    }

    pub fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.failing_since
    }

    /// Applies `patch` at `now`; says whether anything changed.
    pub fn update(&mut self, patch: SubscriptionPatch, now: DateTime<Utc>) -> bool {
        let before = self.clone();
        let f = &mut self.fields;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { f.$field = value; })* };
        }
        apply!(url, description, event_types, pipeline_id);
        match patch.active {
            Some(true) => {
                self.active = true;
                self.disabled_reason = None;
                self.disabled_at = None;
                self.failing_since = None;
            }
            Some(false) if self.active => self.disable("disabled by a user", now),
            _ => {}
        }
        *self != before
    }

    /// Signs with `secret` from now on; the current one keeps signing beside it until `overlap_until`.
    pub fn rotate_secret(&mut self, secret: String, overlap_until: DateTime<Utc>) {
        self.previous_secret = Some(std::mem::replace(&mut self.secret, secret));
        self.previous_secret_expires_at = Some(overlap_until);
    }

    /// Stops deliveries, saying why.
    pub fn disable(&mut self, reason: &str, now: DateTime<Utc>) {
        self.active = false;
        self.disabled_reason = Some(reason.to_owned());
        self.disabled_at = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn subscription() -> WebhookSubscription {
        let fields = SubscriptionFields {
            url: "https://hooks.example.com".to_owned(),
            description: None,
            event_types: EventTypes::parse(&["deal.won"]).unwrap(),
            pipeline_id: None,
        };
        WebhookSubscription::create(WorkspaceId::new(), fields, "whsec_a".to_owned())
    }

    #[test]
    fn event_types_are_closed_and_empty_means_all() {
        assert_eq!(EventTypes::parse(&["deal.won", "deal.teleported"]), Err(UnknownEventType("deal.teleported".to_owned())));
        assert_eq!(EventTypes::parse(&["deal.won", "deal.won"]).unwrap().as_slice(), ["deal.won"]);
        assert!(EventTypes::default().includes("lead.created"));
        assert!(!EventTypes::parse(&["deal.won"]).unwrap().includes("deal.lost"));
    }

    #[test]
    fn pausing_and_re_enabling_forgets_failures() {
        let now = Utc::now();
        let mut s = subscription();
        assert!(s.update(SubscriptionPatch { active: Some(false), ..Default::default() }, now));
        assert_eq!((s.is_active(), s.disabled_reason()), (false, Some("disabled by a user")));
        assert!(!s.update(SubscriptionPatch { active: Some(false), ..Default::default() }, now + Duration::hours(1)));
        assert_eq!(s.disabled_at(), Some(now), "pausing a paused subscription changes nothing");
        assert!(s.update(SubscriptionPatch { active: Some(true), ..Default::default() }, now));
        assert_eq!((s.is_active(), s.disabled_reason(), s.failing_since()), (true, None, None));
    }

    #[test]
    fn a_rotated_secret_signs_beside_the_new_one_until_the_overlap_ends() {
        let now = Utc::now();
        let mut s = subscription();
        s.rotate_secret("whsec_b".to_owned(), now + Duration::hours(24));
        assert_eq!((s.secret(), s.previous_secret()), ("whsec_b", Some("whsec_a")));
        assert!(s.previous_secret_expires_at(now).is_some());
        assert!(s.previous_secret_expires_at(now + Duration::hours(25)).is_none());
    }
}
