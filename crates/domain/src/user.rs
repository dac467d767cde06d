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
    #[error("must not be blank")]
    Blank,
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control or invisible characters (such as a zero-width space or a direction mark)")]
    Invisible,
    #[error("is too easy to guess: {reason}")]
    Guessable { reason: String },
}

/// Judges how quickly a password would fall to guessing. The rule that a new password must not be
/// guessable is the domain's; counting the guesses takes dictionaries and pattern matchers that
/// have no place in this crate, so the caller supplies them (the API uses zxcvbn).
pub trait PasswordStrength {
    /// `Some(reason)` when `password` would be guessed quickly; `context` holds words it must not
    /// lean on (the person's email and name, the workspace's name).
    fn weakness(&self, password: &str, context: &[&str]) -> Option<String>;
}

/// A plain-text password that meets the policy for a new password; it is hashed before storage.
/// Signing in takes whatever was typed: passwords set before the policy still work.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    /// A new password: not blank, 10 to 256 characters, no control or invisible characters
    /// (which cannot be told apart on screen, nor typed alike on every keyboard), and not easy
    /// to guess given `context`.
    pub fn parse(raw: &str, context: &[&str], strength: &dyn PasswordStrength) -> Result<Password, PasswordError> {
        if raw.trim().is_empty() {
            return Err(PasswordError::Blank);
        }
        if raw.chars().any(is_invisible) {
            return Err(PasswordError::Invisible);
        }
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort { min: Self::MIN_CHARS });
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong { max: Self::MAX_CHARS });
        }
        if let Some(reason) = strength.weakness(raw, context) {
            return Err(PasswordError::Guessable { reason });
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Control characters, and the format and other default-ignorable characters that render as
/// nothing: zero-width spaces and joiners, direction marks and embeddings, word joiners,
/// variation selectors, the byte-order mark, tags, Hangul fillers.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
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

/// A member's standing in their workspace: their role, and whether they may sign in at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    pub role: Role,
    pub active: bool,
}

impl Membership {
    pub fn is_active_admin(self) -> bool {
        self.active && self.role == Role::Admin
    }
}

/// A change of a member's role or active flag; `None` leaves it as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MembershipChange {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MembershipError {
    /// The one making the change is not (or no longer) an active admin of the workspace.
    #[error("only admins can do this")]
    NotAdmin,
    #[error("nobody changes their own role or active status; ask another admin of the workspace")]
    OwnMembership,
    #[error("a workspace needs at least one active admin; make someone else admin first")]
    LastAdmin,
}

/// Decides a change of `target`'s membership made by `actor`, both as they stand now, with
/// `other_active_admins` the workspace's active admins besides the target. Only an active admin
/// changes memberships; nobody changes their own role or active flag (an admin who could would
/// undo their own demotion, and a workspace never loses its admins by a slip); and the workspace
/// keeps at least one active admin. Returns the target's new membership.
pub fn change_membership(
    actor: Membership,
    actor_is_target: bool,
    target: Membership,
    change: MembershipChange,
    other_active_admins: u64,
) -> Result<Membership, MembershipError> {
    if !actor.is_active_admin() {
        return Err(MembershipError::NotAdmin);
    }
    let changed = Membership { role: change.role.unwrap_or(target.role), active: change.active.unwrap_or(target.active) };
    if actor_is_target && changed != target {
        return Err(MembershipError::OwnMembership);
    }
    if target.is_active_admin() && !changed.is_active_admin() && other_active_admins == 0 {
        return Err(MembershipError::LastAdmin);
    }
    Ok(changed)
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

    /// Calls a password guessable when it contains a context word or "password".
    struct Naive;

    impl PasswordStrength for Naive {
        fn weakness(&self, password: &str, context: &[&str]) -> Option<String> {
            let lower = password.to_lowercase();
            let leans_on = |word: &str| !word.is_empty() && lower.contains(&word.to_lowercase());
            (leans_on("password") || context.iter().any(|w| leans_on(w))).then(|| "it is a common word".to_owned())
        }
    }

    #[test]
    fn new_passwords_meet_the_policy_and_hide_in_debug() {
        let parse = |raw: &str| Password::parse(raw, &["sara"], &Naive);
        let p = parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(..)");
        assert_eq!(parse("short"), Err(PasswordError::TooShort { min: 10 }));
        assert_eq!(parse(&"x".repeat(257)), Err(PasswordError::TooLong { max: 256 }));
        assert_eq!(parse("            "), Err(PasswordError::Blank));
        assert_eq!(parse(""), Err(PasswordError::Blank));
        for invisible in [
            "\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}",
            "correct\u{200C}horse battery",
            "correct horse\u{0007}battery",
            "tab\tseparated words",
            "\u{202E}yrettab esroh tcerroc",
            "\u{FEFF}correct horse battery",
        ] {
            assert_eq!(parse(invisible), Err(PasswordError::Invisible), "{invisible:?}");
        }
        assert!(matches!(parse("my password is long"), Err(PasswordError::Guessable { .. })));
        assert!(matches!(parse("sara1234567890"), Err(PasswordError::Guessable { .. })), "leans on the context");
        assert!(parse("گذرواژه‌ای بلند").is_err(), "a zero-width non-joiner is invisible too");
        assert!(parse("گذرواژه ای بلند و خوب").is_ok(), "Persian text with spaces is fine");
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Manager, Role::Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
        assert!(!Role::Member.can_manage_pipelines());
    }

    #[test]
    fn memberships_change_by_another_active_admin_and_never_leave_a_workspace_without_one() {
        let admin = Membership { role: Role::Admin, active: true };
        let member = Membership { role: Role::Member, active: true };
        let demote = MembershipChange { role: Some(Role::Member), active: None };
        let deactivate = MembershipChange { role: None, active: Some(false) };
        assert_eq!(change_membership(admin, false, admin, demote, 1), Ok(member));
        assert_eq!(change_membership(admin, false, admin, demote, 0), Err(MembershipError::LastAdmin));
        assert_eq!(change_membership(admin, false, admin, deactivate, 0), Err(MembershipError::LastAdmin));
        assert_eq!(change_membership(admin, false, member, deactivate, 0), Ok(Membership { role: Role::Member, active: false }));
        // Only an active admin changes anyone.
        for actor in [member, Membership { role: Role::Manager, active: true }, Membership { role: Role::Admin, active: false }] {
            assert_eq!(change_membership(actor, false, member, demote, 1), Err(MembershipError::NotAdmin), "{actor:?}");
        }
        // Nobody changes their own role or active flag; their own values unchanged are no change.
        assert_eq!(change_membership(admin, true, admin, demote, 5), Err(MembershipError::OwnMembership));
        assert_eq!(change_membership(admin, true, admin, deactivate, 5), Err(MembershipError::OwnMembership));
        let same = MembershipChange { role: Some(Role::Admin), active: Some(true) };
        assert_eq!(change_membership(admin, true, admin, same, 0), Ok(admin));
        assert_eq!(change_membership(admin, true, admin, MembershipChange::default(), 0), Ok(admin));
    }
}
