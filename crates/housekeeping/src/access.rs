//! Who has access to an organization, in one list: its members and the people its invites are
//! waiting for (pending or expired), each with their role and what their access hangs on. A
//! pure view of a snapshot.

use chrono::{DateTime, Utc};
use losant_invites_client::{LosantId, types};
use serde::Serialize;

use crate::identity::email_key;
use crate::snapshot::Snapshot;

/// One person's access, through a membership or an invite.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Access {
    /// The email, as Losant wrote it.
    pub email: Option<String>,
    /// What the access is.
    pub status: Status,
    /// The organization role, as Losant wrote it.
    pub role: Option<String>,
    /// The member's user ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<LosantId>,
    /// The invite's ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<LosantId>,
    /// The member's name, first and last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the invite was sent (or last resent). Losant does not say when a member joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_at: Option<DateTime<Utc>>,
    /// When the invite expires, or did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// What someone's access is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// A member.
    Member,
    /// Invited, the invite still open.
    Pending,
    /// Invited, the invite expired: no access until it is renewed.
    Expired,
}

/// Everyone with access to the organization `snapshot` holds (members, and invites pending or
/// expired), by email (compared without regard to case), a member before their invites.
///
/// ```
/// use losant_invites_housekeeping::{Org, Snapshot, access::{self, Status}};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let invites = serde_json::from_str(r#"[{"id": "575ec8687ae143cd83dc4a94", "email": "bo@example.com", "role": "view", "hasExpired": false}]"#)?;
/// let members = serde_json::from_str(r#"[{"userId": "575ef90f7ae143cd83dc4aad", "email": "ana@example.com", "role": "admin"}]"#)?;
/// let snapshot = Snapshot::new(org, chrono::Utc::now(), invites).with_members(members);
/// let everyone = access::of(&snapshot);
/// assert_eq!(everyone[0].status, Status::Member);
/// assert_eq!(everyone[1].status, Status::Pending);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn of(snapshot: &Snapshot) -> Vec<Access> {
    let members = snapshot.members.iter().map(|member| Access {
        email: member.email.as_deref().cloned(),
        status: Status::Member,
        role: member.role.as_ref().map(ToString::to_string),
        user_id: member.user_id,
        invite_id: None,
        name: member_name(member),
        invited_at: None,
        expires_at: None,
    });
    let invites = snapshot.invites.iter().map(|invite| Access {
        email: invite.email.as_deref().cloned(),
        status: match snapshot.is_pending(invite) {
            true => Status::Pending,
            false => Status::Expired,
        },
        role: invite.role.as_ref().map(ToString::to_string),
        user_id: None,
        invite_id: invite.id,
        name: None,
        invited_at: invite.invite_date.as_ref().map(|date| date.to_utc()),
        expires_at: invite.expires_at(),
    });
    let mut everyone: Vec<Access> = members.chain(invites).collect();
    everyone.sort_by_cached_key(|access| {
        (
            access.email.as_deref().map(email_key),
            access.status,
            std::cmp::Reverse(access.invited_at),
        )
    });
    everyone
}

/// A member's name, first and last, as far as Losant gave it.
pub fn member_name(member: &types::OrgMember) -> Option<String> {
    let name: Vec<&str> = [
        member.first_name.as_deref().map(String::as_str),
        member.last_name.as_deref().map(String::as_str),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect();
    (!name.is_empty()).then(|| name.join(" "))
}
