//! API keys: what a key may do (its scopes) and when it stops working.

use chrono::{DateTime, Utc};

use crate::vocabulary::vocabulary;

vocabulary!(
    /// One permission of an API key. `read`, `write` and `admin` each include the ones before;
    /// `intake` stands alone and allows only `POST /intake/leads`.
    ApiKeyScope {
        Read => "read",
        Write => "write",
        Intake => "intake",
        Admin => "admin",
    }
);

impl ApiKeyScope {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The scopes that, held by a key, allow what `self` guards.
    fn granted_by(self) -> &'static [ApiKeyScope] {
        match self {
            ApiKeyScope::Read => &[ApiKeyScope::Read, ApiKeyScope::Write, ApiKeyScope::Admin],
            ApiKeyScope::Write => &[ApiKeyScope::Write, ApiKeyScope::Admin],
            ApiKeyScope::Admin => &[ApiKeyScope::Admin],
            ApiKeyScope::Intake => &[ApiKeyScope::Intake],
        }
    }
}

/// A key's scopes: at least one, each once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiKeyScopes(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopesError {
    #[error("a key needs at least one scope")]
    Empty,
    #[error("unknown scope `{0}`; must be one of: {names}", names = ApiKeyScope::NAMES.join(", "))]
    Unknown(String),
}

impl ApiKeyScopes {
    /// Parses scope names; repeats count once.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<ApiKeyScopes, ScopesError> {
        let mut bits = 0;
        for name in names {
            let name = name.as_ref();
            bits |= ApiKeyScope::parse(name).map_err(|_| ScopesError::Unknown(name.to_owned()))?.bit();
        }
        if bits == 0 { Err(ScopesError::Empty) } else { Ok(ApiKeyScopes(bits)) }
    }

    pub fn only(scope: ApiKeyScope) -> ApiKeyScopes {
        ApiKeyScopes(scope.bit())
    }

    pub fn contains(self, scope: ApiKeyScope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether a key with these scopes may do what `required` guards.
    pub fn allow(self, required: ApiKeyScope) -> bool {
        required.granted_by().iter().any(|&held| self.contains(held))
    }

    /// The scopes, in vocabulary order.
    pub fn iter(self) -> impl Iterator<Item = ApiKeyScope> {
        ApiKeyScope::ALL.iter().copied().filter(move |&s| self.contains(s))
    }
}

/// Why a presented key does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyRefusal {
    #[error("the API key is unknown")]
    Unknown,
    #[error("the API key was revoked")]
    Revoked,
    #[error("the API key expired at {}; ask an admin for a new one", .0.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))]
    Expired(DateTime<Utc>),
    #[error("the user who created the API key can no longer sign in")]
    CreatorInactive,
}

/// A known key works until it is revoked or its expiry time passes.
pub fn check_key_usable(
    revoked_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), KeyRefusal> {
    if revoked_at.is_some() {
        return Err(KeyRefusal::Revoked);
    }
    match expires_at {
        Some(at) if at <= now => Err(KeyRefusal::Expired(at)),
        _ => Ok(()),
    }
}

/// A new key's expiry must lie ahead.
pub fn parse_key_expiry(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, KeyExpiryError> {
    if expires_at > now { Ok(expires_at) } else { Err(KeyExpiryError) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be in the future")]
pub struct KeyExpiryError;

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn scopes_parse_from_names_and_refuse_unknown_or_none() {
        let scopes = ApiKeyScopes::parse(&["write", "intake", "write"]).unwrap();
        assert_eq!(scopes.iter().collect::<Vec<_>>(), [ApiKeyScope::Write, ApiKeyScope::Intake]);
        assert_eq!(ApiKeyScopes::parse::<&str>(&[]), Err(ScopesError::Empty));
        let unknown = ApiKeyScopes::parse(&["read", "owner"]).unwrap_err();
        assert_eq!(unknown.to_string(), "unknown scope `owner`; must be one of: read, write, intake, admin");
    }

    #[test]
    fn read_write_and_admin_nest_and_intake_stands_alone() {
        let read = ApiKeyScopes::only(ApiKeyScope::Read);
        assert!(read.allow(ApiKeyScope::Read));
        assert!(!read.allow(ApiKeyScope::Write) && !read.allow(ApiKeyScope::Admin) && !read.allow(ApiKeyScope::Intake));
        let write = ApiKeyScopes::only(ApiKeyScope::Write);
        assert!(write.allow(ApiKeyScope::Read) && write.allow(ApiKeyScope::Write));
        assert!(!write.allow(ApiKeyScope::Admin) && !write.allow(ApiKeyScope::Intake));
        let admin = ApiKeyScopes::only(ApiKeyScope::Admin);
        assert!(admin.allow(ApiKeyScope::Read) && admin.allow(ApiKeyScope::Write) && admin.allow(ApiKeyScope::Admin));
        assert!(!admin.allow(ApiKeyScope::Intake));
        let intake = ApiKeyScopes::only(ApiKeyScope::Intake);
        assert!(intake.allow(ApiKeyScope::Intake));
        assert!(!intake.allow(ApiKeyScope::Read) && !intake.allow(ApiKeyScope::Write));
    }

    #[test]
    fn keys_stop_working_when_revoked_or_expired() {
        let now = Utc::now();
        assert_eq!(check_key_usable(None, None, now), Ok(()));
        assert_eq!(check_key_usable(None, Some(now + Duration::seconds(1)), now), Ok(()));
        assert_eq!(check_key_usable(None, Some(now), now), Err(KeyRefusal::Expired(now)));
        assert_eq!(check_key_usable(Some(now), Some(now + Duration::days(1)), now), Err(KeyRefusal::Revoked));
        assert!(parse_key_expiry(now - Duration::seconds(1), now).is_err());
        assert_eq!(parse_key_expiry(now + Duration::days(30), now), Ok(now + Duration::days(30)));
    }
}
