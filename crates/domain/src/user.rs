//! Workspaces, users, roles and credentials.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::text::bounded_text;

bounded_text!(
    /// A workspace's display name (usually the company's).
    WorkspaceName,
    100
);
bounded_text!(
    /// A person's display name.
    PersonName,
    100
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not a valid email address")]
pub struct EmailError;

/// An email address, trimmed and lower-cased so that lookups and duplicate checks agree.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let normalized = raw.trim().to_lowercase();
        let (local, domain) = normalized.rsplit_once('@').ok_or(EmailError)?;
        let plausible = !local.is_empty()
            && local.len() <= 64
            && normalized.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !normalized.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if !plausible {
            return Err(EmailError);
        }
        Ok(Email(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password must be at least {min} characters")]
    TooShort { min: usize },
    #[error("password must be at most {max} characters")]
    TooLong { max: usize },
}

/// A plain-text password that meets the length policy; it is hashed before storage.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Password, PasswordError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort { min: Self::MIN_CHARS });
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong { max: Self::MAX_CHARS });
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// What a member of a workspace may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including members, settings and integrations.
    Admin,
    /// Pipelines and stages, plus everything a member can do.
    Manager,
    /// Leads, deals and activities.
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Member => "member",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "member" => Some(Role::Member),
            _ => None,
        }
    }

    /// Pipelines and stages shape everyone's board, so only admins and managers change them.
    pub fn can_manage_pipelines(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    /// Admins and managers oversee the team, so the workspace's visibility settings never hide
    /// a record from them.
    pub fn sees_every_record(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized() {
        assert_eq!(Email::parse("  Sara@Example.COM ").unwrap().as_str(), "sara@example.com");
        for bad in ["", "sara", "sara@", "@example.com", "sara@example", "sa ra@example.com", "a@b..c", "a@.b.c"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_a_length_policy_and_hide_in_debug() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(..)");
        assert!(Password::parse(&"x".repeat(257)).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Manager, Role::Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
        assert!(!Role::Member.can_manage_pipelines());
    }
}
