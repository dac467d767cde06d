//! Saved views: a named filter and sort of one list (deals, leads, contacts or organizations),
//! personal to its creator or shared with the workspace. A contacts view is a segment.

use thiserror::Error;

use crate::access::Viewer;
use crate::ids::UserId;
use crate::text::bounded_text;
use crate::user::Role;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// The list a view filters.
    ViewEntity {
        Deals => "deals",
        Leads => "leads",
        Contacts => "contacts",
        Organizations => "organizations",
    }
);

bounded_text!(
    /// A view's name, as its list's tabs show it.
    ViewName,
    100
);

/// Why a caller may not change a view they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ViewError {
    #[error("only the view's creator or an admin can change a shared view")]
    NotCreator,
}

/// Whether `viewer` sees a view made by `owner_id`: every member sees a shared one, only its
/// creator a personal one (not even an admin: a personal view is a member's own workspace tool).
pub fn sees_view(viewer: &Viewer, owner_id: UserId, shared: bool) -> bool {
    shared || owner_id == viewer.user_id
}

/// Whether `viewer`, who sees the view, may change or delete it: its creator, or an admin (who
/// keeps the workspace's shared views tidy).
pub fn check_may_change_view(viewer: &Viewer, owner_id: UserId) -> Result<(), ViewError> {
    if owner_id == viewer.user_id || viewer.role == Role::Admin { Ok(()) } else { Err(ViewError::NotCreator) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::WorkspaceId;

    #[test]
    fn personal_views_are_their_creators_and_shared_ones_change_by_creator_or_admin() {
        let (workspace, me, other) = (WorkspaceId::new(), UserId::new(), UserId::new());
        let member = Viewer::everything(workspace, me, Role::Member);
        let admin = Viewer::everything(workspace, me, Role::Admin);
        assert!(sees_view(&member, me, false));
        assert!(!sees_view(&member, other, false));
        assert!(!sees_view(&admin, other, false));
        assert!(sees_view(&member, other, true));
        assert!(check_may_change_view(&member, me).is_ok());
        assert_eq!(check_may_change_view(&member, other), Err(ViewError::NotCreator));
        assert_eq!(check_may_change_view(&Viewer::everything(workspace, me, Role::Manager), other), Err(ViewError::NotCreator));
        assert!(check_may_change_view(&admin, other).is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(ViewName::parse("  Hot leads ").unwrap().as_str(), "Hot leads");
        assert!(ViewName::parse(" ").is_err());
        assert!(ViewName::parse(&"x".repeat(101)).is_err());
        assert_eq!(ViewEntity::parse("contacts"), Ok(ViewEntity::Contacts));
        assert!(ViewEntity::parse("users").is_err());
    }
}
