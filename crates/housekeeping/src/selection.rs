//! Choosing invites by what they are (expired, pending, older than, email, role) rather than
//! by ID: what one list call asks Losant for (its filter on one field), and what is then
//! kept of its answer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use losant_invites_client::types;

use crate::snapshot::{InviteFilter, InviteQuery, Snapshot};

/// Invites chosen by what they are; every criterion given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Only invites whose email matches this glob (`*` for any run of characters), as
    /// Losant's filter matches it.
    pub email: Option<String>,
    /// Only invites of this organization role.
    pub role: Option<types::OrgRole>,
    /// Only invites that have expired.
    pub expired: bool,
    /// Only invites still pending.
    pub pending: bool,
    /// Only invites sent (or last resent) longer ago than this.
    pub older_than: Option<Duration>,
}

impl Selection {
    /// Whether any criterion is given.
    pub fn is_given(&self) -> bool {
        self.email.is_some()
            || self.role.is_some()
            || self.expired
            || self.pending
            || self.older_than.is_some()
    }

    /// The list call that reads what the selection chooses from: Losant filters on one
    /// field, the email when given, else the role; the rest is judged on its answer.
    pub fn query(&self) -> InviteQuery {
        InviteQuery {
            filter: match (&self.email, self.role) {
                (Some(glob), _) => Some(InviteFilter::Email(glob.clone())),
                (None, Some(role)) => Some(InviteFilter::Role(role)),
                (None, None) => None,
            },
            sort: None,
        }
    }

    /// The list call for a job that must see every invite of each email it chooses (a
    /// renewal must know whether the email has a pending invite beside): Losant's filter on
    /// the email only, never the role.
    pub fn query_whole_emails(&self) -> InviteQuery {
        InviteQuery {
            filter: self.email.clone().map(InviteFilter::Email),
            sort: None,
        }
    }

    /// Whether `invite` is one the selection keeps at `at`, beyond Losant's email filter
    /// (the role is judged here too: an equal role passes Losant's filter and this alike).
    pub fn keeps(&self, invite: &types::OrgInvite, at: DateTime<Utc>) -> bool {
        let role_matches = self.role.is_none_or(|role| {
            invite
                .role
                .as_ref()
                .is_some_and(|held| held.to_string() == role.to_string())
        });
        let expiry_matches = match (self.expired, self.pending) {
            (true, _) => invite.has_expired_at(at) == Some(true),
            (_, true) => invite.has_expired_at(at) == Some(false),
            _ => true,
        };
        let age_matches = self.older_than.is_none_or(|older| {
            invite
                .age_at(at)
                .and_then(|age| age.to_std().ok())
                .is_some_and(|age| age > older)
        });
        role_matches && expiry_matches && age_matches
    }

    /// The invites of `snapshot` (read with [`query`](Self::query) or
    /// [`query_whole_emails`](Self::query_whole_emails)) the selection keeps, judged at the
    /// moment it was taken.
    pub fn choose<'a>(&self, snapshot: &'a Snapshot) -> Vec<&'a types::OrgInvite> {
        snapshot
            .invites
            .iter()
            .filter(|invite| self.keeps(invite, snapshot.taken_at))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(json: serde_json::Value) -> types::OrgInvite {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn criteria_combine_at_the_snapshot_s_moment() {
        let at: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().unwrap();
        let old_expired = invite(serde_json::json!({
            "role": "view", "inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 604800000
        }));
        let fresh = invite(serde_json::json!({
            "role": "edit", "inviteDate": "2026-02-28T00:00:00.000Z", "ttl": 604800000
        }));
        let stale = Selection {
            expired: true,
            older_than: Some(Duration::from_secs(30 * 86_400)),
            ..Default::default()
        };
        assert!(stale.keeps(&old_expired, at));
        assert!(!stale.keeps(&fresh, at));
        let editors = Selection {
            role: Some(types::OrgRole::Edit),
            pending: true,
            ..Default::default()
        };
        assert!(editors.keeps(&fresh, at) && !editors.keeps(&old_expired, at));
        assert_eq!(
            editors.query().filter,
            Some(InviteFilter::Role(types::OrgRole::Edit))
        );
        assert_eq!(editors.query_whole_emails().filter, None);
    }
}
