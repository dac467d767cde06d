//! Who sees which deals and leads: the workspace's visibility settings applied to a caller.

use serde::{Deserialize, Serialize};

use crate::ids::{UserId, WorkspaceId};
use crate::user::Role;

/// Whose deals (or leads) the members of a workspace see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every member sees every record.
    #[default]
    Everyone,
    /// Members see only the records they own; managers and admins see all.
    OwnerAndManagers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Everyone => "everyone",
            Visibility::OwnerAndManagers => "owner_and_managers",
        }
    }

    pub fn parse(raw: &str) -> Option<Visibility> {
        match raw {
            "everyone" => Some(Visibility::Everyone),
            "owner_and_managers" => Some(Visibility::OwnerAndManagers),
            _ => None,
        }
    }
}

/// A workspace's visibility settings, one per kind of owned record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisibilitySettings {
    pub deals: Visibility,
    pub leads: Visibility,
}

/// The caller of a request as the store sees them: their workspace, and whose deals and leads
/// they may see. Anything they may not see is answered exactly as if it did not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub role: Role,
    deals_owned_by: Option<UserId>,
    leads_owned_by: Option<UserId>,
}

impl Viewer {
    pub fn new(workspace_id: WorkspaceId, user_id: UserId, role: Role, settings: VisibilitySettings) -> Viewer {
        let only_own = |visibility: Visibility| match visibility {
            Visibility::OwnerAndManagers if !role.sees_every_record() => Some(user_id),
            _ => None,
        };
        Viewer { workspace_id, user_id, role, deals_owned_by: only_own(settings.deals), leads_owned_by: only_own(settings.leads) }
    }

    /// A viewer who sees every record of the workspace (admins, managers, internal jobs).
    pub fn everything(workspace_id: WorkspaceId, user_id: UserId, role: Role) -> Viewer {
        Viewer { workspace_id, user_id, role, deals_owned_by: None, leads_owned_by: None }
    }

    /// `Some(user)` when the viewer sees only the deals `user` owns.
    pub fn deals_owned_by(&self) -> Option<UserId> {
        self.deals_owned_by
    }

    /// `Some(user)` when the viewer sees only the leads `user` owns.
    pub fn leads_owned_by(&self) -> Option<UserId> {
        self.leads_owned_by
    }

    /// `Some(user)` when the viewer sees only the contacts `user` owns. Contacts are the people
    /// leads become, so they follow the workspace's lead visibility: a contact made by
    /// qualifying a lead is owned by the lead's owner and hidden wherever the lead is.
    pub fn contacts_owned_by(&self) -> Option<UserId> {
        self.leads_owned_by
    }

    /// Like leads, a contact without an owner is seen only by viewers who see every contact.
    pub fn sees_contact_of(&self, owner_id: Option<UserId>) -> bool {
        self.contacts_owned_by().is_none_or(|me| owner_id == Some(me))
    }

    pub fn sees_deal_of(&self, owner_id: UserId) -> bool {
        self.deals_owned_by.is_none_or(|me| me == owner_id)
    }

    /// Leads may have no owner (an unassigned inbox entry): only viewers who see every lead see those.
    pub fn sees_lead_of(&self, owner_id: Option<UserId>) -> bool {
        self.leads_owned_by.is_none_or(|me| owner_id == Some(me))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, deals: Visibility) -> Viewer {
        Viewer::new(WorkspaceId::new(), UserId::new(), role, VisibilitySettings { deals, leads: Visibility::Everyone })
    }

    #[test]
    fn only_members_are_limited_to_their_own_records() {
        let other = UserId::new();
        for role in [Role::Admin, Role::Manager, Role::Member] {
            assert!(viewer(role, Visibility::Everyone).sees_deal_of(other));
        }
        assert!(viewer(Role::Admin, Visibility::OwnerAndManagers).sees_deal_of(other));
        assert!(viewer(Role::Manager, Visibility::OwnerAndManagers).sees_deal_of(other));
        let member = viewer(Role::Member, Visibility::OwnerAndManagers);
        assert!(!member.sees_deal_of(other));
        assert!(member.sees_deal_of(member.user_id));
        assert_eq!(member.deals_owned_by(), Some(member.user_id));
        assert_eq!(member.leads_owned_by(), None);
    }

    #[test]
    fn unassigned_leads_are_hidden_from_members_who_see_only_their_own() {
        let settings = VisibilitySettings { deals: Visibility::Everyone, leads: Visibility::OwnerAndManagers };
        let member = Viewer::new(WorkspaceId::new(), UserId::new(), Role::Member, settings);
        assert!(!member.sees_lead_of(None));
        assert!(member.sees_lead_of(Some(member.user_id)));
        assert!(Viewer::new(WorkspaceId::new(), UserId::new(), Role::Manager, settings).sees_lead_of(None));
    }

    #[test]
    fn contacts_follow_the_lead_visibility() {
        let settings = VisibilitySettings { deals: Visibility::Everyone, leads: Visibility::OwnerAndManagers };
        let member = Viewer::new(WorkspaceId::new(), UserId::new(), Role::Member, settings);
        assert!(member.sees_contact_of(Some(member.user_id)));
        assert!(!member.sees_contact_of(Some(UserId::new())));
        assert!(!member.sees_contact_of(None));
        let manager = Viewer::new(WorkspaceId::new(), UserId::new(), Role::Manager, settings);
        assert!(manager.sees_contact_of(Some(UserId::new())) && manager.sees_contact_of(None));
        let open = Viewer::new(WorkspaceId::new(), UserId::new(), Role::Member, VisibilitySettings::default());
        assert!(open.sees_contact_of(Some(UserId::new())));
    }

    #[test]
    fn visibility_round_trips() {
        for v in [Visibility::Everyone, Visibility::OwnerAndManagers] {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        assert_eq!(Visibility::parse("owner"), None);
    }
}
