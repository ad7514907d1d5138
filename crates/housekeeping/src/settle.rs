//! What a fresh look at the organization shows of a step whose answer was lost after its
//! request may have acted: one named rule per kind of step, each a pure function of the step
//! and a fresh snapshot, so that nothing is done twice and the account stays exact.

use std::collections::HashSet;

use losant_invites_client::{LosantId, types};

use crate::identity::email_key;
use crate::snapshot::Snapshot;

/// What a fresh snapshot shows of a step whose outcome was unknown.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    /// It took effect: the invite the snapshot shows for it, if any.
    Done(Option<Box<types::OrgInvite>>),
    /// It took effect: the member as the snapshot shows them.
    DoneMember(Box<types::OrgMember>),
    /// It did not take effect, as what was seen shows.
    NotDone(String),
    /// What was seen does not tell.
    Unclear(String),
}

/// An invite of `email` was made when the snapshot shows a pending invite for that email
/// (compared trimmed and without regard to case).
///
/// ```
/// use losant_invites_housekeeping::{Org, Snapshot, settle::{self, Seen}};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let invites = serde_json::from_str(r#"[{"id": "575ec8687ae143cd83dc4a94", "email": "Ana@example.com", "hasExpired": false}]"#)?;
/// let now = Snapshot::new(org, chrono::Utc::now(), invites);
/// assert!(matches!(settle::invited("ana@example.com", &now), Seen::Done(_)));
/// assert!(matches!(settle::invited("bo@example.com", &now), Seen::NotDone(_)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn invited(email: &str, now: &Snapshot) -> Seen {
    let key = email_key(email);
    let found = now.invites.iter().find(|invite| {
        invite.email.as_deref().is_some_and(|e| email_key(e) == key) && now.is_pending(invite)
    });
    match found {
        Some(invite) => Seen::Done(Some(Box::new(invite.clone()))),
        None => Seen::NotDone("no pending invite for this email".to_owned()),
    }
}

/// A resend (or renewal) of invite `old` was made when the snapshot no longer holds `old`
/// and holds a pending invite for its `email` that is not one of `acted_on` (the invites the
/// run set out to resend, which may still be there); `old` still there means it was not.
/// Without the email (an invite never read), the old invite gone does not tell which is new.
pub fn resent(
    old: &LosantId,
    email: Option<&str>,
    now: &Snapshot,
    acted_on: &HashSet<LosantId>,
) -> Seen {
    if now
        .invites
        .iter()
        .any(|invite| invite.id.as_ref() == Some(old))
    {
        return Seen::NotDone("the invite is still there, not renewed".to_owned());
    }
    let Some(email) = email else {
        return Seen::Unclear(
            "the invite is gone; it was never read, so its email is not known".to_owned(),
        );
    };
    let key = email_key(email);
    let new = now.invites.iter().find(|invite| {
        invite.email.as_deref().is_some_and(|e| email_key(e) == key)
            && now.is_pending(invite)
            && invite.id.as_ref().is_some_and(|id| !acted_on.contains(id))
    });
    match new {
        Some(new) => Seen::Done(Some(Box::new(new.clone()))),
        None => Seen::Unclear(
            "the invite is gone, and no new pending invite for its email is there".to_owned(),
        ),
    }
}

/// A member's role was changed to `role` when the snapshot shows the member with it.
pub fn role_set(user: &LosantId, role: Option<types::OrgRole>, now: &Snapshot) -> Seen {
    let Some(member) = now
        .members
        .iter()
        .find(|member| member.user_id.as_ref() == Some(user))
    else {
        return Seen::Unclear("the member is no longer there".to_owned());
    };
    let held = member.role.as_ref().map(ToString::to_string);
    match role {
        Some(role) if held.as_deref() != Some(role.to_string().as_str()) => Seen::NotDone(format!(
            "the member's role is still {}",
            held.as_deref().unwrap_or("-")
        )),
        // A change of grants alone cannot be seen: the member shows none.
        None => Seen::Unclear("a member's grants cannot be read back".to_owned()),
        Some(_) => Seen::DoneMember(Box::new(member.clone())),
    }
}

/// A member was removed when the snapshot no longer holds them.
pub fn member_removed(user: &LosantId, now: &Snapshot) -> Seen {
    if now
        .members
        .iter()
        .any(|member| member.user_id.as_ref() == Some(user))
    {
        Seen::NotDone("the member is still there".to_owned())
    } else {
        Seen::Done(None)
    }
}

/// A revocation of `invite` was made when the snapshot no longer holds it.
pub fn revoked(invite: &LosantId, now: &Snapshot) -> Seen {
    if now
        .invites
        .iter()
        .any(|held| held.id.as_ref() == Some(invite))
    {
        Seen::NotDone("the invite is still there".to_owned())
    } else {
        Seen::Done(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Org;

    fn snapshot(invites: serde_json::Value) -> Snapshot {
        let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97").unwrap();
        Snapshot::new(
            org,
            "2026-03-01T00:00:00Z".parse().unwrap(),
            serde_json::from_value(invites).unwrap(),
        )
    }

    fn id(text: &str) -> LosantId {
        text.parse().unwrap()
    }

    #[test]
    fn an_invite_is_made_when_its_email_has_a_pending_invite() {
        let now = snapshot(serde_json::json!([
            {"id": "575ec8687ae143cd83dc4a94", "email": "ANA@example.com", "hasExpired": false},
            {"id": "575ec8687ae143cd83dc4a98", "email": "bo@example.com", "hasExpired": true},
        ]));
        assert!(matches!(
            invited(" ana@example.com", &now),
            Seen::Done(Some(_))
        ));
        assert_eq!(
            invited("bo@example.com", &now),
            Seen::NotDone("no pending invite for this email".to_owned()),
            "an expired invite does not count"
        );
    }

    #[test]
    fn a_renewal_is_made_when_the_old_invite_is_gone_and_a_new_one_is_pending() {
        let old = id("575ec8687ae143cd83dc4a94");
        let other = id("575ec8687ae143cd83dc4a98");
        let acted_on: HashSet<LosantId> = [old, other].into();
        let still = snapshot(serde_json::json!([
            {"id": old.as_str(), "email": "ana@example.com", "hasExpired": true},
        ]));
        assert!(matches!(
            resent(&old, Some("ana@example.com"), &still, &acted_on),
            Seen::NotDone(_)
        ));
        let renewed = snapshot(serde_json::json!([
            {"id": "575ec8687ae143cd83dc4a99", "email": "Ana@example.com", "hasExpired": false},
        ]));
        match resent(&old, Some("ana@example.com"), &renewed, &acted_on) {
            Seen::Done(Some(new)) => {
                assert_eq!(new.id.unwrap().as_str(), "575ec8687ae143cd83dc4a99")
            }
            other => panic!("{other:?}"),
        }
        // Another invite of the run, still pending, is not taken for the new one.
        let only_other = snapshot(serde_json::json!([
            {"id": other.as_str(), "email": "ana@example.com", "hasExpired": false},
        ]));
        assert!(matches!(
            resent(&old, Some("ana@example.com"), &only_other, &acted_on),
            Seen::Unclear(_)
        ));
        assert!(matches!(
            resent(&old, None, &renewed, &acted_on),
            Seen::Unclear(_)
        ));
    }

    #[test]
    fn a_revocation_is_made_when_the_invite_is_gone() {
        let gone = id("575ec8687ae143cd83dc4a94");
        assert_eq!(
            revoked(&gone, &snapshot(serde_json::json!([]))),
            Seen::Done(None)
        );
        let still = snapshot(serde_json::json!([{"id": gone.as_str()}]));
        assert!(matches!(revoked(&gone, &still), Seen::NotDone(_)));
    }
}
