//! Planning to act on invites: those a selection chooses from a snapshot, or those a list
//! names by ID. Pure functions: no I/O, no clock but the snapshot's.

use std::collections::HashMap;

use losant_invites_client::types;

use crate::id_list::IdList;
use crate::identity::email_key;
use crate::org::Org;
use crate::plan::{Action, Plan, Reason, Step, Subject};
use crate::selection::Selection;
use crate::snapshot::{Snapshot, newest};

/// What is done to each invite.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Read it.
    Get,
    /// Revoke it.
    Revoke,
    /// Resend it with this role info.
    Resend(types::OrgRoleInfo),
    /// Resend it with the roles it has.
    Renew,
}

impl Intent {
    fn action(
        &self,
        invite_id: losant_invites_client::LosantId,
        before: Option<&types::OrgInvite>,
    ) -> Action {
        let before = before.cloned().map(Box::new);
        match self {
            Intent::Get => Action::Get { invite_id },
            Intent::Revoke => Action::Revoke { invite_id, before },
            Intent::Resend(info) => Action::Resend {
                invite_id,
                info: info.clone(),
                before,
            },
            Intent::Renew => Action::Renew { invite_id, before },
        }
    }

    /// Whether the intent makes a new pending invite out of the one it acts on.
    fn resends(&self) -> bool {
        matches!(self, Intent::Resend(_) | Intent::Renew)
    }
}

/// The plan of `intent` on each invite `selection` chooses from `snapshot` (read with the
/// selection's query).
///
/// A resend or renewal never leaves an email with two pending invites where it had one: an
/// expired invite whose email has a pending invite is skipped ([`Reason::PendingBeside`]),
/// and of several expired invites of one email only the newest is resent
/// ([`Reason::AnotherRenewed`]).
///
/// ```
/// use losant_invites_housekeeping::{Intent, Org, Selection, Snapshot, plan_invites};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let invites = serde_json::from_str(r#"[
///   {"id": "575ec8687ae143cd83dc4a94", "email": "ana@example.com", "role": "view", "hasExpired": true},
///   {"id": "575ec8687ae143cd83dc4a98", "email": "ana@example.com", "role": "view", "hasExpired": false}
/// ]"#)?;
/// let snapshot = Snapshot::new(org, chrono::Utc::now(), invites);
/// let expired = Selection { expired: true, ..Default::default() };
/// let plan = plan_invites::for_selection(&snapshot, &expired, &Intent::Renew);
/// assert!(plan.is_empty(), "ana has a pending invite: the expired one is left");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn for_selection(snapshot: &Snapshot, selection: &Selection, intent: &Intent) -> Plan {
    let chosen = selection.choose(snapshot);
    let by_email = snapshot.invites_by_email();
    // For each email, the invite a resend acts on when all it has has expired: the newest of
    // those chosen.
    let mut renewed: HashMap<String, &types::OrgInvite> = HashMap::new();
    if intent.resends() {
        let mut expired: HashMap<String, Vec<&types::OrgInvite>> = HashMap::new();
        for invite in &chosen {
            if let Some(email) = invite.email.as_deref()
                && !snapshot.is_pending(invite)
            {
                expired.entry(email_key(email)).or_default().push(invite);
            }
        }
        for (email, invites) in expired {
            if let Some(newest) = newest(invites) {
                renewed.insert(email, newest);
            }
        }
    }
    let steps = chosen
        .into_iter()
        .filter_map(|invite| {
            // Only an invite with an ID can be acted on; Losant lists each with its ID.
            let invite_id = invite.id?;
            let subject = Subject {
                invite_id: Some(invite_id),
                user_id: None,
                email: invite.email.as_deref().cloned(),
                line: None,
            };
            let act = || Step {
                subject: subject.clone(),
                action: intent.action(invite_id, Some(invite)),
                reason: Reason::Selected,
            };
            let skip = |reason| Step {
                subject: subject.clone(),
                action: Action::Skip,
                reason,
            };
            let Some(email) = invite.email.as_deref().map(|e| email_key(e)) else {
                return Some(act());
            };
            if !intent.resends() || snapshot.is_pending(invite) {
                return Some(act());
            }
            let pending = newest(
                by_email
                    .get(&email)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|other| snapshot.is_pending(other)),
            );
            if let Some(pending) = pending {
                return Some(skip(Reason::PendingBeside {
                    invite_id: pending.id,
                }));
            }
            match renewed.get(&email) {
                Some(chosen) if chosen.id.as_ref() != Some(&invite_id) => {
                    Some(skip(Reason::AnotherRenewed {
                        invite_id: chosen.id,
                    }))
                }
                _ => Some(act()),
            }
        })
        .collect();
    Plan::of_snapshot(snapshot, steps)
}

/// The plan of `intent` on the one invite `invite_id`, without looking at the organization.
pub fn for_one(org: &Org, invite_id: &losant_invites_client::LosantId, intent: &Intent) -> Plan {
    Plan::unread(
        org,
        vec![Step {
            subject: Subject {
                invite_id: Some(*invite_id),
                user_id: None,
                email: None,
                line: None,
            },
            action: intent.action(*invite_id, None),
            reason: Reason::Listed,
        }],
    )
}

/// The plan of `intent` on each invite of `list`, in its order, without looking at the
/// organization; a repeated ID is acted on once ([`Reason::RepeatOf`]).
pub fn for_ids(org: &Org, list: &IdList, intent: &Intent) -> Plan {
    let mut steps: Vec<(usize, Step)> = list
        .ids
        .iter()
        .map(|listed| {
            (
                listed.line,
                Step {
                    subject: Subject {
                        invite_id: Some(listed.id),
                        user_id: None,
                        email: None,
                        line: Some(listed.line),
                    },
                    action: intent.action(listed.id, None),
                    reason: Reason::Listed,
                },
            )
        })
        .collect();
    steps.extend(list.repeats.iter().map(|repeat| {
        (
            repeat.line,
            Step {
                subject: Subject {
                    invite_id: Some(repeat.id),
                    user_id: None,
                    email: None,
                    line: Some(repeat.line),
                },
                action: Action::Skip,
                reason: Reason::RepeatOf {
                    line: repeat.first_line,
                },
            },
        )
    }));
    steps.sort_by_key(|(line, _)| *line);
    Plan::unread(org, steps.into_iter().map(|(_, step)| step).collect())
}
