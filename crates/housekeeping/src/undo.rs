//! The undo record of a run: everyone whose access it took away (members removed, invites
//! revoked), with their roles, as a roster that `invite --from` or a sync reads, so that a
//! mistaken prune can be put back.

use std::collections::BTreeMap;

use crate::identity::email_key;
use crate::plan::{Action, Plan, Reason};
use crate::report::{Outcome, Report};
use crate::roles::Roles;

/// The people `report`'s run of `plan` removed or whose invites it revoked, as a CSV roster
/// (`email,role,applicationRoles,dashboardRoles`), one row a person: a member's organization
/// role (Losant does not show a member's grants), else the newest revoked invite's roles.
/// Only steps done (or found already gone) are written, and no invite revoked as redundant or
/// duplicate: its person kept their access.
pub fn removed_roster(plan: &Plan, report: &Report) -> String {
    // By email key: (is a member, date, the row).
    let mut rows: BTreeMap<String, (bool, Option<String>, String)> = BTreeMap::new();
    for (step, outcome) in plan.steps.iter().zip(&report.outcomes) {
        if !matches!(outcome, Outcome::Done(_) | Outcome::AlreadyGone(_)) {
            continue;
        }
        let (email, roles, member, date) = match &step.action {
            Action::RemoveMember {
                before: Some(member),
                ..
            } => (
                member.email.as_deref().cloned(),
                Roles {
                    role: member.role.as_ref().map(ToString::to_string),
                    ..Roles::default()
                },
                true,
                None,
            ),
            // An invite revoked beside a membership or another invite took nobody's access.
            Action::Revoke { .. }
                if matches!(
                    step.reason,
                    Reason::RedundantInvite { .. } | Reason::DuplicateInvite { .. }
                ) =>
            {
                continue;
            }
            Action::Revoke {
                before: Some(invite),
                ..
            } => (
                invite.email.as_deref().cloned(),
                Roles::of_invite(invite),
                false,
                invite.invite_date.as_ref().map(|d| d.to_utc().to_rfc3339()),
            ),
            _ => continue,
        };
        let (Some(email), Some(role)) = (email, roles.role.clone()) else {
            continue;
        };
        let grants = |grants: &[crate::roles::Grant]| {
            grants
                .iter()
                .map(|g| format!("{}={}", g.resource_id, g.role))
                .collect::<Vec<_>>()
                .join(";")
        };
        let row = format!(
            "{},{role},{},{}",
            field(&email),
            grants(&roles.application_roles),
            grants(&roles.dashboard_roles)
        );
        let key = email_key(&email);
        let better = match rows.get(&key) {
            None => true,
            Some((held_member, held_date, _)) => {
                (member && !held_member) || (member == *held_member && date > *held_date)
            }
        };
        if better {
            rows.insert(key, (member, date, row));
        }
    }
    let mut csv = String::from("email,role,applicationRoles,dashboardRoles\n");
    for (_, _, row) in rows.values() {
        csv.push_str(row);
        csv.push('\n');
    }
    csv
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
