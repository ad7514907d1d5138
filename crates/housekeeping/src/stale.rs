//! Whether a plan saved earlier still fits the organization: everything it touches (each
//! member it changes or removes, each invite it resends or revokes, each email it invites) is
//! as it was when the plan was made. A stale plan is refused, never applied in part; a fresh
//! one is then held to the sync's rules again (`plan_sync::check`).

use std::collections::HashMap;
use std::fmt;

use losant_invites_client::{LosantId, types};

use crate::identity::email_key;
use crate::plan::{Action, Plan};
use crate::roles::Roles;
use crate::snapshot::Snapshot;

/// What changed since a plan was made, each a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// What changed, one entry a step (or the administrators).
    pub changes: Vec<String>,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A screenful at most: a plan carried out already changed everything it touches.
        const SHOWN: usize = 5;
        write!(
            f,
            "the plan is stale: {}",
            self.changes
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        )?;
        if self.changes.len() > SHOWN {
            write!(f, "; and {} more", self.changes.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for Stale {}

/// Checks `plan` against `now`, a fresh snapshot of its organization (members and invites).
///
/// # Errors
/// [`Stale`], naming what changed, when anything the plan touches is not as it was.
pub fn check(plan: &Plan, now: &Snapshot) -> Result<(), Stale> {
    let mut changes = Vec::new();
    // Looked up by key, each built once: a plan may touch every member and invite there is.
    let members: HashMap<&LosantId, &types::OrgMember> = now
        .members
        .iter()
        .filter_map(|m| Some((m.user_id.as_ref()?, m)))
        .collect();
    let invites: HashMap<&LosantId, &types::OrgInvite> = now
        .invites
        .iter()
        .filter_map(|i| Some((i.id.as_ref()?, i)))
        .collect();
    let members_by_email = now.members_by_email();
    let pending_by_email = now.invites_by_email();
    let member = |user: &LosantId| members.get(user).copied();
    let invite = |id: &LosantId| invites.get(id).copied();
    for step in plan.acting() {
        match &step.action {
            Action::Invite { body } => {
                let key = email_key(body.email.as_str());
                let member_now = members_by_email.contains_key(&key);
                let pending_now = pending_by_email
                    .get(&key)
                    .is_some_and(|held| held.iter().any(|i| now.is_pending(i)));
                if member_now || pending_now {
                    changes.push(format!(
                        "{} now has {}",
                        body.email.as_str(),
                        if member_now {
                            "a membership"
                        } else {
                            "a pending invite"
                        }
                    ));
                }
            }
            Action::SetRole {
                user_id, before, ..
            }
            | Action::RemoveMember { user_id, before } => match member(user_id) {
                None => changes.push(format!("member {user_id} is gone")),
                Some(found) => {
                    let role = |m: &types::OrgMember| m.role.as_ref().map(ToString::to_string);
                    if before.as_deref().is_some_and(|b| role(b) != role(found)) {
                        changes.push(format!(
                            "member {user_id}'s role is now {}",
                            role(found).unwrap_or_default()
                        ));
                    }
                }
            },
            Action::Resend {
                invite_id, before, ..
            }
            | Action::Revoke { invite_id, before }
            | Action::Renew { invite_id, before } => match invite(invite_id) {
                None => changes.push(format!("invite {invite_id} is gone")),
                Some(found) => {
                    if let Some(before) = before.as_deref() {
                        let date =
                            |i: &types::OrgInvite| i.invite_date.as_ref().map(|d| d.to_utc());
                        if Roles::of_invite(before) != Roles::of_invite(found)
                            || date(before) != date(found)
                        {
                            changes.push(format!("invite {invite_id} changed"));
                        }
                    }
                }
            },
            Action::Get { .. } | Action::Skip => {}
        }
    }
    if changes.is_empty() {
        Ok(())
    } else {
        Err(Stale { changes })
    }
}
