//! `losant-invites resend`: resend invites with new role info
//! (instanceOrgInvite.resendInvite); Losant answers with the new invite, shown as ID sent →
//! ID answered.

use std::path::Path;

use losant_invites_client::types;
use losant_invites_housekeeping::{Answer, Intent, Outcome, plan_invites};

use crate::args::Resend;
use crate::choose::{self, Chosen};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::files::read_input;
use crate::job;
use crate::output::{counted, id_text, invite_text, to_value};

pub async fn run(ctx: &Context, resend: Resend) -> Result<Exit, Failure> {
    let info = match &resend.role_info {
        Some(path) => read_role_info(path)?,
        // A flag not given sends no list; an empty list can be sent from a --role-info file.
        None => types::OrgRoleInfo {
            role: resend.role,
            application_roles: Some(resend.application_roles.clone())
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
            dashboard_roles: Some(resend.dashboard_roles.clone())
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
        },
    };
    let client = ctx.client(resend.invites.dry_run)?;
    let intent = Intent::Resend(info);
    let selection = choose::selection(&resend.invites.select, resend.current_role);
    let chosen = choose::chosen(
        ctx,
        &client,
        &resend.org,
        &resend.invites,
        selection,
        &intent,
    )
    .await?;
    match chosen {
        Chosen::One(id) => {
            let plan = plan_invites::for_one(&Context::org(&resend.org), &id, &intent);
            if resend.invites.dry_run {
                return job::dry_run(ctx, &client, &plan).await;
            }
            if let Outcome::Done(done) = job::run_one(&client, &plan, false).await?
                && let Answer::Invite(invite) = &done.answer
            {
                job::print_one(
                    ctx,
                    || {
                        format!(
                            "resent invite {id} → {}\n{}",
                            id_text(invite.id.as_ref()),
                            invite_text(invite)
                        )
                    },
                    &to_value(invite),
                );
            }
            Ok(Exit::SUCCESS)
        }
        Chosen::Several(several) => {
            several
                .job(
                    ctx,
                    &client,
                    |count, org| {
                        (
                            format!("resend {} of organization {org}?", counted(count, "invite")),
                            "cancelled: nothing was resent".to_owned(),
                        )
                    },
                    resend.invites.dry_run,
                    resend.invites.concurrency,
                    false,
                )
                .run()
                .await
        }
    }
}

/// The role info of `--role-info`: JSON that must match the spec's `OrgRoleInfo` exactly.
fn read_role_info(path: &Path) -> Result<types::OrgRoleInfo, Failure> {
    let bytes = read_input(path, "role info")?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Failure::usage(format!(
            "--role-info {}: invalid role info: {}",
            path.display(),
            losant_invites_housekeeping::excerpt(&e.to_string()).trim_matches('"')
        ))
    })
}
