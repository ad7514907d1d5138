//! How a plan looks before anything is done: how many of what, and the first rows of it (a
//! screenful; the whole plan is in `--output json` and `ndjson`).

use chrono::{DateTime, Utc};
use losant_invites_client::types;
use losant_invites_housekeeping::{Action, MemberSelection, Plan, Reason, Selection};
use losant_invites_mock::duration::format_duration;

use crate::output::{self, Rows, SHOWN_ROWS, invite_table, member_table, more_rows};
use crate::run_view::{label, skip_text, skipped_counts};

/// The selection as a person reads it: `expired, older than 30 days, email *@x`.
pub fn criteria(selection: &Selection) -> String {
    let mut parts = Vec::new();
    if selection.expired {
        parts.push("expired".to_owned());
    }
    if selection.pending {
        parts.push("pending".to_owned());
    }
    if let Some(age) = selection.older_than {
        parts.push(format!("older than {}", format_duration(age)));
    }
    if let Some(glob) = &selection.email {
        parts.push(format!("email {glob}"));
    }
    if let Some(role) = selection.role {
        parts.push(format!("role {role}"));
    }
    if parts.is_empty() {
        "all invites".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The plan of acting on the invites a selection chose: how many match, each as a row of a
/// table, and those left out with why.
pub fn selected(
    plan: &Plan,
    chosen: &[&types::OrgInvite],
    criteria: &str,
    now: DateTime<Utc>,
) -> String {
    let count = match chosen.len() {
        0 => return format!("no invites match ({criteria})"),
        1 => "1 invite matches".to_owned(),
        n => format!("{n} invites match"),
    };
    let mut text = format!(
        "{count} ({criteria}):\n{}",
        invite_table(chosen.iter().copied(), now, Rows::Screenful)
    );
    skipped_lines(plan, &mut text);
    text.trim_end().to_owned()
}

/// The member selection as a person reads it: `email *@x, role view`.
pub fn member_criteria(selection: &MemberSelection) -> String {
    let mut parts = Vec::new();
    if let Some(glob) = &selection.email {
        parts.push(format!("email {glob}"));
    }
    if let Some(role) = selection.role {
        parts.push(format!("role {role}"));
    }
    parts.join(", ")
}

/// The plan of acting on the members a selection chose: how many match, each as a row of a
/// table, and those left as they are with why (the last administrator).
pub fn members_selected(plan: &Plan, chosen: &[&types::OrgMember], criteria: &str) -> String {
    let count = match chosen.len() {
        0 => return format!("no members match ({criteria})"),
        1 => "1 member matches".to_owned(),
        n => format!("{n} members match"),
    };
    let mut text = format!(
        "{count} ({criteria}):\n{}",
        member_table(chosen.iter().copied(), Rows::Screenful)
    );
    skipped_lines(plan, &mut text);
    text.trim_end().to_owned()
}

/// The plan of a roster run: how many are invited, renewed and skipped, and who is invited or
/// renewed with what roles.
pub fn roster(plan: &Plan) -> String {
    let count = |kind: fn(&Action) -> bool| plan.steps.iter().filter(|s| kind(&s.action)).count();
    let invited = count(|action| matches!(action, Action::Invite { .. }));
    let renewed = count(|action| matches!(action, Action::Resend { .. }));
    let skipped = plan.steps.len() - invited - renewed;
    let mut text = format!("{invited} of {} on the roster to invite", plan.steps.len());
    if renewed > 0 {
        text.push_str(&format!(", {renewed} to renew (only an expired invite)"));
    }
    text.push_str(&format!(", {skipped} skipped"));
    if skipped > 0 {
        text.push_str(&format!(" ({})", skipped_counts(plan)));
    }
    if invited + renewed > 0 {
        let grants = |grants: &Option<types::ResourceRoleGrants>| {
            output::grants_text(
                grants
                    .as_ref()
                    .map(|grants| grants.iter().map(|g| (&g.resource_id, g.role))),
                ";",
            )
        };
        let rows = plan.acting().take(SHOWN_ROWS).map(|step| {
            let (action, role, applications, dashboards) = match &step.action {
                Action::Invite { body } => (
                    "invite",
                    body.role.to_string(),
                    grants(&body.application_roles),
                    grants(&body.dashboard_roles),
                ),
                Action::Resend { info, .. } => (
                    "renew",
                    info.role.map_or_else(|| "-".to_owned(), |r| r.to_string()),
                    grants(&info.application_roles),
                    grants(&info.dashboard_roles),
                ),
                _ => ("-", "-".to_owned(), "-".to_owned(), "-".to_owned()),
            };
            [
                step.subject
                    .line
                    .map_or_else(String::new, |l| l.to_string()),
                label(step),
                action.to_owned(),
                role,
                applications,
                dashboards,
            ]
        });
        let table = output::table(
            [
                "LINE",
                "EMAIL",
                "ACTION",
                "ROLE",
                "APPLICATIONS",
                "DASHBOARDS",
            ],
            rows,
        );
        text.push_str(":\n");
        text.push_str(&table);
        if let Some(more) = more_rows(invited + renewed, "people") {
            text.push_str(&more);
        }
    }
    // People whose pending invite holds other roles are left alone: said here, so that
    // nobody takes the run for having given them the roster's roles.
    let mut other_roles = plan
        .steps
        .iter()
        .filter(|step| matches!(step.reason, Reason::PendingWithOtherRoles { .. }))
        .peekable();
    if other_roles.peek().is_some() {
        text.push_str(
            "\nleft as they are (a pending invite with other roles; `resend` changes it):",
        );
        for step in other_roles.take(SHOWN_ROWS) {
            text.push_str(&format!("\n  {} {}", label(step), skip_text(step)));
        }
    }
    text.trim_end().to_owned()
}

/// The steps a plan skips, each with why, under `text`.
fn skipped_lines(plan: &Plan, text: &mut String) {
    let skipped: Vec<_> = plan
        .steps
        .iter()
        .filter(|step| !step.action.acts())
        .collect();
    if skipped.is_empty() {
        return;
    }
    text.push_str(&format!("{} left as they are:\n", skipped.len()));
    for step in skipped.iter().take(SHOWN_ROWS) {
        text.push_str(&format!("  {} {}\n", label(step), skip_text(step)));
    }
    if let Some(more) = more_rows(skipped.len(), "left as they are") {
        text.push_str(&more);
        text.push('\n');
    }
}
