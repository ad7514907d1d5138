//! `losant-invites invite`: one new invite (instanceOrgInvites.post), or a roster
//! (`--from FILE`). Both look at the organization first, so that nobody gets a second invite
//! by accident: an email with a pending invite is left as it is (unless `--force`), and one
//! whose only invites have expired has the newest renewed with the roles given.

use std::path::Path;

use chrono::Utc;
use losant_invites_client::types;
use losant_invites_housekeeping::{
    Action, Answer, InviteFilter, InviteQuery, MemberQuery, Outcome, Reason, Snapshot, plan_roster,
};
use serde_json::json;

use crate::args::{Invite, Output};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::files::read_roster;
use crate::job::{self, Job};
use crate::output::{counted, invite_text, people, print_line, say, to_json, to_value};
use crate::plan_view;
use crate::run_view::{renewed, skip_text};

pub async fn run(ctx: &Context, invite: Invite) -> Result<Exit, Failure> {
    if let Some(path) = &invite.from {
        return roster(ctx, &invite, path).await;
    }
    // clap requires both without --from.
    let (Some(email_text), Some(role)) = (&invite.email, invite.role) else {
        return Err(Failure::usage("give --email and --role, or --from FILE"));
    };
    let email: types::OrgInvitePostEmail = email_text.parse().map_err(|e| {
        Failure::usage(format!(
            "--email {}: {e}",
            losant_invites_housekeeping::excerpt(email_text)
        ))
    })?;
    // A flag not given sends no list.
    let grants = |grants: &[types::ResourceRoleGrant]| {
        Some(grants.to_vec())
            .filter(|grants| !grants.is_empty())
            .map(Into::into)
    };
    let body = types::OrgInvitePost {
        email,
        role,
        application_roles: grants(&invite.application_roles),
        dashboard_roles: grants(&invite.dashboard_roles),
        disallow_transfer: invite.disallow_transfer.then_some(true),
    };
    body.check_limits().map_err(|problem| {
        Failure::usage(format!("invalid invite, nothing was sent: {problem}"))
    })?;
    let client = ctx.client(invite.dry_run)?;
    let org = Context::org(&invite.org);
    // Losant's email filter finds the invites and the membership of that email (a glob; the
    // plan compares the emails exactly, without regard to case).
    let snapshot = if invite.force {
        Snapshot::new(org, Utc::now(), Vec::new())
    } else {
        let filter = Some(InviteFilter::Email(email_text.clone()));
        let invites = InviteQuery {
            filter: filter.clone(),
            sort: None,
        };
        let members = MemberQuery { filter, sort: None };
        let (invites, members) = (
            Snapshot::read_invites(&client, &org, &invites)
                .await
                .map_err(|e| ctx.list_failure(e))?,
            Snapshot::read_members(&client, &org, &members)
                .await
                .map_err(|e| ctx.list_failure(e))?,
        );
        invites.with_members(members.members)
    };
    let plan = plan_roster::invite_one(&snapshot, body, invite.force);
    let step = &plan.steps[0];
    if !step.action.acts() {
        let text = match &step.reason {
            Reason::AlreadyMember { .. } => format!(
                "{email_text} is {}: nothing was sent (--force invites anyway)",
                skip_text(step).trim_matches(['(', ')'])
            ),
            _ => format!(
                "{email_text} already has an invite {}: nothing was sent (--force invites again)",
                skip_text(step)
            ),
        };
        let pending = match &step.reason {
            Reason::AlreadyPending { invite_id }
            | Reason::PendingWithOtherRoles { invite_id, .. } => *invite_id,
            _ => None,
        };
        let value = json!({
            "email": email_text,
            "skipped": true,
            "reason": to_value(&step.reason),
            "pendingInvite": pending,
        });
        say(&text);
        if ctx.output() != Output::Text {
            job::print_one(ctx, || text.clone(), &value);
        }
        return Ok(Exit::SUCCESS);
    }
    if invite.dry_run {
        if step.reason == Reason::OnlyExpired {
            let note = format!(
                "{email_text} has only an expired invite: it would be renewed with these roles"
            );
            match ctx.output() {
                Output::Text => print_line(note),
                _ => say(note),
            }
        }
        return job::dry_run(ctx, &client, &plan).await;
    }
    let Outcome::Done(done) = job::run_one(&client, &plan, false).await? else {
        return Ok(Exit::SUCCESS);
    };
    match (&step.action, &done.answer) {
        (Action::Resend { invite_id, .. }, Answer::Invite(answer)) => {
            say(format!(
                "{email_text} had only an expired invite: renewed it with the roles given"
            ));
            let both =
                json!({ "before": step.action.before().map(to_value), "answer": to_value(answer) });
            job::print_one(
                ctx,
                || {
                    format!(
                        "renewed {}\n{}",
                        renewed(invite_id, answer),
                        invite_text(answer)
                    )
                },
                &both,
            );
        }
        (_, Answer::Invite(created)) => job::print_one(
            ctx,
            || format!("invited {email_text}\n{}", invite_text(created)),
            &to_value(created),
        ),
        (_, other) => {
            // Losant said it made the invite, in an answer that does not show it: print the
            // whole answer rather than nothing.
            say(format!(
                "losant-invites: the answer does not show an invite for {email_text}; it follows whole"
            ));
            print_line(to_json(&crate::run_view::answer_json(other)));
        }
    }
    Ok(Exit::SUCCESS)
}

/// Everyone on the roster who has no pending invite yet, invited (or renewed, where all they
/// have has expired), with bounded concurrency; an answer lost is settled by listing again.
async fn roster(ctx: &Context, invite: &Invite, path: &Path) -> Result<Exit, Failure> {
    let roster = read_roster(path)?;
    let client = ctx.client(invite.dry_run)?;
    let org = Context::org(&invite.org);
    let snapshot = Snapshot::read(&client, &org)
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let plan = plan_roster::invite_roster(&snapshot, &roster);
    let invited = plan
        .acting()
        .filter(|step| matches!(step.action, Action::Invite { .. }))
        .count();
    let renewed = plan.acting().count() - invited;
    let question = match renewed {
        0 => format!(
            "invite {} to organization {}?",
            people(invited),
            plan.org.org_id
        ),
        _ => format!(
            "invite {} and renew {} of organization {}?",
            people(invited),
            counted(renewed, "expired invite"),
            plan.org.org_id
        ),
    };
    let from_stdin = path == Path::new("-");
    Job {
        ctx,
        client: &client,
        plan_text: plan_view::roster(&plan),
        question: (!invite.yes && !from_stdin)
            .then(|| (question, "cancelled: nobody was invited".to_owned())),
        plan,
        nothing: "the roster names nobody".to_owned(),
        dry_run: invite.dry_run,
        concurrency: invite.concurrency.into(),
        ignore_missing: false,
    }
    .run()
    .await
}
