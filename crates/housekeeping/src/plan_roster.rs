//! Planning to invite a roster (or one person): everyone on it who has no pending invite yet,
//! so that running it again invites nobody twice. A pure function of the snapshot and the
//! roster: no I/O, no clock but the snapshot's.

use losant_invites_client::types;

use crate::identity::email_key;
use crate::plan::{Action, Plan, Reason, Step, Subject};
use crate::roles::{Roles, info_of_post};
use crate::roster::{Entry, Roster};
use crate::snapshot::{Snapshot, newest};

/// The plan of inviting everyone on `roster`, by what `snapshot` (every member and invite of
/// the organization) shows of their email, compared trimmed and without regard to case:
///
/// - a member: nothing, whatever their role ([`Reason::AlreadyMember`]): who has joined is
///   never invited again;
/// - a pending invite with the roster's roles: nothing ([`Reason::AlreadyPending`]);
/// - a pending invite with other roles: nothing, and said so with both
///   ([`Reason::PendingWithOtherRoles`]);
/// - only expired invites: the newest is renewed with the roster's roles
///   ([`Reason::OnlyExpired`]), so that one invite per email is left;
/// - no invite: invited ([`Reason::NotInvited`]).
///
/// ```
/// use losant_invites_housekeeping::{Org, Roster, Snapshot, plan_roster, Action};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let invites = serde_json::from_str(r#"[
///   {"id": "575ec8687ae143cd83dc4a94", "email": "ADA@example.com", "role": "admin", "hasExpired": false}
/// ]"#)?;
/// let snapshot = Snapshot::new(org, chrono::Utc::now(), invites);
/// let roster = Roster::parse(b"email,role\nada@example.com,admin\nana@example.com,view\n")?;
/// let plan = plan_roster::invite_roster(&snapshot, &roster);
/// assert_eq!(plan.steps[0].action, Action::Skip);
/// assert!(matches!(plan.steps[1].action, Action::Invite { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn invite_roster(snapshot: &Snapshot, roster: &Roster) -> Plan {
    plan(snapshot, &roster.entries, false)
}

/// The plan of inviting one person, as [`invite_roster`] plans a roster row; with `force`, a
/// new invite whatever the email already has ([`Reason::Forced`]).
pub fn invite_one(snapshot: &Snapshot, body: types::OrgInvitePost, force: bool) -> Plan {
    let entry = Entry {
        line: 1,
        invite: body,
    };
    let mut plan = plan(snapshot, std::slice::from_ref(&entry), force);
    // A single invite has no line.
    for step in &mut plan.steps {
        step.subject.line = None;
    }
    plan
}

fn plan(snapshot: &Snapshot, entries: &[Entry], force: bool) -> Plan {
    let by_email = snapshot.invites_by_email();
    let members = snapshot.members_by_email();
    let steps = entries
        .iter()
        .map(|entry| {
            let key = email_key(entry.email());
            let invites = by_email.get(&key).map_or(&[][..], Vec::as_slice);
            match members.get(&key) {
                Some(member) if !force => Step {
                    subject: Subject {
                        invite_id: None,
                        user_id: member.user_id,
                        email: Some(entry.email().to_owned()),
                        line: Some(entry.line),
                    },
                    action: Action::Skip,
                    reason: Reason::AlreadyMember {
                        user_id: member.user_id,
                        role: member.role.as_ref().map(ToString::to_string),
                    },
                },
                _ => step(snapshot, entry, invites, force),
            }
        })
        .collect();
    Plan::of_snapshot(snapshot, steps)
}

fn step(snapshot: &Snapshot, entry: &Entry, invites: &[&types::OrgInvite], force: bool) -> Step {
    let subject = |invite: Option<&types::OrgInvite>| Subject {
        invite_id: invite.and_then(|invite| invite.id),
        user_id: None,
        email: Some(entry.email().to_owned()),
        line: Some(entry.line),
    };
    let invite = |reason| Step {
        subject: subject(None),
        action: Action::Invite {
            body: entry.invite.clone(),
        },
        reason,
    };
    if force {
        return invite(match invites {
            [] => Reason::NotInvited,
            _ => Reason::Forced,
        });
    }
    let wanted = Roles::of_post(&entry.invite);
    let pending: Vec<&types::OrgInvite> = invites
        .iter()
        .copied()
        .filter(|invite| snapshot.is_pending(invite))
        .collect();
    if !pending.is_empty() {
        let same = pending
            .iter()
            .copied()
            .filter(|invite| Roles::of_invite(invite) == wanted);
        if let Some(same) = newest(same) {
            return Step {
                subject: subject(Some(same)),
                action: Action::Skip,
                reason: Reason::AlreadyPending { invite_id: same.id },
            };
        }
        let held = newest(pending.iter().copied()).unwrap_or(pending[0]);
        return Step {
            subject: subject(Some(held)),
            action: Action::Skip,
            reason: Reason::PendingWithOtherRoles {
                invite_id: held.id,
                held: Roles::of_invite(held),
                wanted,
            },
        };
    }
    let expired = newest(invites.iter().copied()).and_then(|expired| Some((expired, expired.id?)));
    match expired {
        Some((expired, invite_id)) => Step {
            subject: subject(Some(expired)),
            action: Action::Resend {
                invite_id,
                info: info_of_post(&entry.invite),
                before: Some(Box::new(expired.clone())),
            },
            reason: Reason::OnlyExpired,
        },
        None => invite(Reason::NotInvited),
    }
}
