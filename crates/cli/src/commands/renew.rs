//! `losant-invites renew`: resend invites with the roles they already have, such as every
//! expired one. Each is renewed once a run (resendInvite is never repeated), and an expired
//! invite whose email has a pending one is left (renewing it would leave two).

use losant_invites_housekeeping::{Answer, Intent, Outcome, plan_invites};
use serde_json::json;

use crate::args::Renew;
use crate::choose::{self, Chosen};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::job;
use crate::output::{counted, invite_text, to_value};
use crate::run_view::renewed;

pub async fn run(ctx: &Context, renew: Renew) -> Result<Exit, Failure> {
    let client = ctx.client(renew.invites.dry_run)?;
    let selection = choose::selection(&renew.invites.select, renew.by_role.role);
    let chosen = choose::chosen(
        ctx,
        &client,
        &renew.org,
        &renew.invites,
        selection,
        &Intent::Renew,
    )
    .await?;
    match chosen {
        Chosen::One(id) => {
            let plan = plan_invites::for_one(&Context::org(&renew.org), &id, &Intent::Renew);
            if renew.invites.dry_run {
                return job::dry_run(ctx, &client, &plan).await;
            }
            if let Outcome::Done(done) = job::run_one(&client, &plan, false).await?
                && let Answer::Invite(answer) = &done.answer
            {
                let both = json!({ "before": done.read.as_deref().map(to_value), "answer": to_value(answer) });
                job::print_one(
                    ctx,
                    || format!("renewed {}\n{}", renewed(&id, answer), invite_text(answer)),
                    &both,
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
                            format!("renew {} of organization {org}?", counted(count, "invite")),
                            "cancelled: nothing was renewed".to_owned(),
                        )
                    },
                    renew.invites.dry_run,
                    renew.invites.concurrency,
                    false,
                )
                .run()
                .await
        }
    }
}
