//! How a plan looks before anything is done: how many of what, and the first rows of it (a
//! screenful; the whole plan is in `--output json` and `ndjson`).

use chrono::{DateTime, Utc};
use losant_invites_client::types;
use losant_invites_housekeeping::{
    Action, MemberSelection, Plan, Reason, Roles, Selection, Snapshot, Step, SyncOptions, plan_sync,
};
use losant_invites_mock::duration::format_duration;

use crate::output::{self, Rows, SHOWN_ROWS, invite_table, member_table, more_rows};
use crate::run_view::{kind as kind_of, label, skip_text, skipped_counts};

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

/// The plan of a sync: how many changes of each kind and how many people are left as they
/// are, the removals against their cap and the administrators left, then each change (a
/// screenful) with what is held now, what the roster wants and why, and who `--keep` spared.
pub fn sync(plan: &Plan, snapshot: &Snapshot, options: &SyncOptions) -> String {
    let mut counts: Vec<String> = Vec::new();
    for (kind, phrase) in [
        ("invite", "to invite"),
        ("resend", "to resend with the roster's roles"),
        ("renew", "to renew"),
        ("setRole", "to change role"),
        ("remove", "to remove"),
        ("revoke", "to revoke"),
    ] {
        let count = plan
            .acting()
            .filter(|step| kind_of(step) == Some(kind))
            .count();
        if count > 0 {
            counts.push(format!("{count} {phrase}"));
        }
    }
    let acting = plan.acting().count();
    let mut text = format!(
        "sync of organization {}: {}",
        plan.org.org_id,
        if counts.is_empty() {
            "no change".to_owned()
        } else {
            counts.join(", ")
        }
    );
    if acting < plan.steps.len() {
        text.push_str(&format!("; left as they are: {}", skipped_counts(plan)));
    }
    text.push_str(&format!(
        "
removals {} of at most {} (--max-removals {}); administrators {} now, {} after (--min-admins {})",
        plan_sync::removals(plan),
        options.max_removals.limit(plan_sync::access(snapshot)),
        options.max_removals,
        snapshot.admins(),
        plan_sync::admins_left(snapshot, plan),
        options.min_admins,
    ));
    if acting > 0 {
        let rows = plan.acting().take(SHOWN_ROWS).map(|step| {
            let (now, wanted) = change(step, snapshot.taken_at);
            [
                kind_of(step).unwrap_or("-").to_owned(),
                label(step),
                now,
                wanted,
                why(&step.reason),
            ]
        });
        text.push('\n');
        text.push_str(&output::table(
            ["ACTION", "WHO", "NOW", "ROSTER", "WHY"],
            rows,
        ));
        if let Some(more) = more_rows(acting, "changes") {
            text.push_str(&more);
        }
    }
    let kept: Vec<_> = plan
        .steps
        .iter()
        .filter(|step| matches!(step.reason, Reason::Kept { .. }))
        .collect();
    if !kept.is_empty() {
        text.truncate(text.trim_end().len());
        text.push_str("\nkept by --keep, left as they are:");
        for step in kept.iter().take(SHOWN_ROWS) {
            text.push_str(&format!("\n  {} {}", label(step), skip_text(step)));
        }
        if let Some(more) = more_rows(kept.len(), "kept") {
            text.push_str(&format!("\n{more}"));
        }
    }
    text.trim_end().to_owned()
}

/// What a change holds now (an invite expired by `at` said so) and what it sets, as roles.
fn change(step: &Step, at: DateTime<Utc>) -> (String, String) {
    let member_role = |member: Option<&types::OrgMember>| {
        member
            .and_then(|member| member.role.as_ref())
            .map_or_else(|| "-".to_owned(), |role| format!("member {role}"))
    };
    let invite_roles = |invite: Option<&types::OrgInvite>| {
        invite.map_or_else(
            || "-".to_owned(),
            |invite| {
                let expired = if invite.has_expired_at(at) == Some(true) {
                    "expired "
                } else {
                    ""
                };
                format!("{expired}invite {}", Roles::of_invite(invite))
            },
        )
    };
    match &step.action {
        Action::Invite { body } => ("-".to_owned(), Roles::of_post(body).to_string()),
        Action::Resend { info, before, .. } => (
            invite_roles(before.as_deref()),
            Roles::of_info(info).to_string(),
        ),
        Action::Renew { before, .. } => {
            let now = invite_roles(before.as_deref());
            (now.clone(), now)
        }
        Action::SetRole { patch, before, .. } => {
            let wanted = Roles {
                role: patch.role.map(|role| role.to_string()),
                ..Roles::default()
            };
            let mut wanted = wanted.to_string();
            for (label, list) in [
                ("applications", &patch.application_roles),
                ("dashboards", &patch.dashboard_roles),
            ] {
                if list.as_ref().is_some_and(|list| !list.is_empty()) {
                    wanted.push_str(&format!(", {label} {}", grants(list)));
                }
            }
            (member_role(before.as_deref()), wanted)
        }
        Action::RemoveMember { before, .. } => (member_role(before.as_deref()), "-".to_owned()),
        Action::Revoke { before, .. } => (invite_roles(before.as_deref()), "-".to_owned()),
        Action::Get { .. } | Action::Skip => ("-".to_owned(), "-".to_owned()),
    }
}

/// Why a sync changes what it changes, in a few words.
fn why(reason: &Reason) -> String {
    match reason {
        Reason::NotInvited => "no access yet".to_owned(),
        Reason::OnlyExpired => "only expired invites".to_owned(),
        Reason::PendingWithOtherRoles { .. } => "a pending invite with other roles".to_owned(),
        Reason::RoleDiffers { held, wanted } => {
            let held = held.as_deref().unwrap_or("-");
            if plan_sync::demotes(Some(held), wanted) {
                format!("{held} → {wanted}, a demotion")
            } else {
                format!("{held} → {wanted}")
            }
        }
        Reason::NotOnRoster => "not on the roster".to_owned(),
        Reason::RedundantInvite { .. } => "a member already".to_owned(),
        Reason::DuplicateInvite { kept } => {
            format!(
                "another invite of the email is kept ({})",
                output::id_text(kept.as_ref())
            )
        }
        other => format!("{other:?}"),
    }
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

/// A list of grants as a plan shows it: `ID=ROLE;ID=ROLE`, or `-` for none.
fn grants(grants: &Option<types::ResourceRoleGrants>) -> String {
    output::grants_text(
        grants
            .as_ref()
            .map(|grants| grants.iter().map(|g| (&g.resource_id, g.role))),
        ";",
    )
}
