//! Files kept with a deal, a person, a company or a lead: what an upload must be to be kept.

use thiserror::Error;

use crate::access::Viewer;
use crate::ids::{ContactId, DealId, LeadId, OrganizationId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AttachmentError {
    #[error("attach the file to exactly one of deal_id, contact_id, organization_id or lead_id")]
    OneTarget,
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the workspace's files would take {needed} bytes of its {quota}-byte quota")]
    QuotaExceeded { quota: u64, needed: u64 },
    #[error("a file name must be 1 to 255 characters without control characters")]
    FileName,
    #[error("the file is empty")]
    Empty,
    #[error("only its uploader, a manager or an admin may delete a file")]
    NotUploader,
}

/// What a file is kept with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentTarget {
    Deal(DealId),
    Contact(ContactId),
    Organization(OrganizationId),
    Lead(LeadId),
}

impl AttachmentTarget {
    /// The one target named among the four links.
    pub fn from_links(
        deal: Option<DealId>,
        contact: Option<ContactId>,
        organization: Option<OrganizationId>,
        lead: Option<LeadId>,
    ) -> Result<AttachmentTarget, AttachmentError> {
        match (deal, contact, organization, lead) {
            (Some(id), None, None, None) => Ok(AttachmentTarget::Deal(id)),
            (None, Some(id), None, None) => Ok(AttachmentTarget::Contact(id)),
            (None, None, Some(id), None) => Ok(AttachmentTarget::Organization(id)),
            (None, None, None, Some(id)) => Ok(AttachmentTarget::Lead(id)),
            _ => Err(AttachmentError::OneTarget),
        }
    }
}

/// A file's name as shown and offered for download: the last part of whatever path a client
/// sent, trimmed, without control characters, at most 255 characters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FileName(String);

impl FileName {
    pub const MAX_CHARS: usize = 255;

    pub fn parse(raw: &str) -> Result<FileName, AttachmentError> {
        let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
        let fits = !base.is_empty() && base.chars().count() <= Self::MAX_CHARS;
        if !fits || base == "." || base == ".." || base.chars().any(char::is_control) {
            return Err(AttachmentError::FileName);
        }
        Ok(FileName(base.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The media type a client declared, kept only as a well-formed `type/subtype` (parameters
/// dropped) and otherwise `application/octet-stream`. It is a label: the server never renders a
/// file inline by it, whatever it says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct MediaType(String);

impl MediaType {
    pub const UNKNOWN: &'static str = "application/octet-stream";

    pub fn declared(raw: Option<&str>) -> MediaType {
        let essence = raw.and_then(|r| r.split(';').next()).map(|e| e.trim().to_ascii_lowercase()).unwrap_or_default();
        let token = |part: &str| {
            !part.is_empty() && part.len() <= 127 && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
        };
        match essence.split_once('/') {
            Some((kind, sub)) if token(kind) && token(sub) => MediaType(essence),
            _ => MediaType(Self::UNKNOWN.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How large a file may be, and how much a workspace may keep in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    pub max_file_bytes: u64,
    pub workspace_quota_bytes: u64,
}

impl UploadLimits {
    /// Refuses a file once it has grown past the limit (checked as it arrives).
    pub fn check_size(&self, size: u64) -> Result<(), AttachmentError> {
        if size > self.max_file_bytes { Err(AttachmentError::TooLarge { limit: self.max_file_bytes }) } else { Ok(()) }
    }

    /// Refuses a file the workspace has no room for, `used` being what it keeps already.
    pub fn check_quota(&self, used: u64, size: u64) -> Result<(), AttachmentError> {
        let needed = used.saturating_add(size);
        if needed > self.workspace_quota_bytes {
            return Err(AttachmentError::QuotaExceeded { quota: self.workspace_quota_bytes, needed });
        }
        Ok(())
    }
}

/// Whether `viewer` may delete a file `uploaded_by` someone: their own, or any as a manager or
/// admin (files are the team's records, not a member's to tidy away).
pub fn check_may_delete(viewer: &Viewer, uploaded_by: Option<UserId>) -> Result<(), AttachmentError> {
    if uploaded_by == Some(viewer.user_id) || viewer.role.sees_every_record() { Ok(()) } else { Err(AttachmentError::NotUploader) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_last_part_and_refuse_control_characters() {
        assert_eq!(FileName::parse("C:\\Users\\sara\\قرارداد.pdf").unwrap().as_str(), "قرارداد.pdf");
        assert_eq!(FileName::parse("../../etc/passwd").unwrap().as_str(), "passwd");
        assert_eq!(FileName::parse("  quote v2.xlsx ").unwrap().as_str(), "quote v2.xlsx");
        for bad in ["", "  ", "dir/", "..", "a\u{0}b", "line\nbreak", &"x".repeat(256)] {
            assert_eq!(FileName::parse(bad), Err(AttachmentError::FileName), "{bad:?}");
        }
    }

    #[test]
    fn declared_media_types_are_labels_or_octet_stream() {
        assert_eq!(MediaType::declared(Some("Application/PDF; charset=binary")).as_str(), "application/pdf");
        for odd in [None, Some(""), Some("pdf"), Some("text/html\r\nx: y"), Some("a/b/c"), Some("/x")] {
            assert_eq!(MediaType::declared(odd).as_str(), MediaType::UNKNOWN, "{odd:?}");
        }
    }

    #[test]
    fn exactly_one_target_and_limits_that_hold() {
        let deal = Some(DealId::new());
        assert!(matches!(AttachmentTarget::from_links(deal, None, None, None), Ok(AttachmentTarget::Deal(_))));
        assert_eq!(AttachmentTarget::from_links(None, None, None, None), Err(AttachmentError::OneTarget));
        assert_eq!(AttachmentTarget::from_links(deal, Some(ContactId::new()), None, None), Err(AttachmentError::OneTarget));
        let limits = UploadLimits { max_file_bytes: 10, workspace_quota_bytes: 25 };
        assert!(limits.check_size(10).is_ok());
        assert_eq!(limits.check_size(11), Err(AttachmentError::TooLarge { limit: 10 }));
        assert!(limits.check_quota(15, 10).is_ok());
        assert_eq!(limits.check_quota(16, 10), Err(AttachmentError::QuotaExceeded { quota: 25, needed: 26 }));
    }

    #[test]
    fn members_delete_their_own_files_and_managers_any() {
        use crate::ids::WorkspaceId;
        use crate::user::Role;
        let (workspace, me, other) = (WorkspaceId::new(), UserId::new(), UserId::new());
        let member = Viewer::everything(workspace, me, Role::Member);
        assert!(check_may_delete(&member, Some(me)).is_ok());
        assert_eq!(check_may_delete(&member, Some(other)), Err(AttachmentError::NotUploader));
        assert_eq!(check_may_delete(&member, None), Err(AttachmentError::NotUploader));
        assert!(check_may_delete(&Viewer::everything(workspace, me, Role::Manager), Some(other)).is_ok());
        assert!(check_may_delete(&Viewer::everything(workspace, me, Role::Admin), None).is_ok());
    }
}
