//! `losant-invites get`: look invites up (instanceOrgInvite.get), one, a list, or those the
//! selectors choose.

use losant_invites_housekeeping::{Answer, Intent, Outcome, plan_invites};

use crate::args::Get;
use crate::choose::{self, Chosen, Several};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::job;
use crate::output::{invite_text, to_value};

pub async fn run(ctx: &Context, get: Get) -> Result<Exit, Failure> {
    let client = ctx.reading_client()?;
    let selection = choose::selection(&get.invites.select, get.by_role.role);
    let chosen = choose::chosen(
        ctx,
        &client,
        &get.org,
        &get.invites,
        selection,
        &Intent::Get,
    )
    .await?;
    match chosen {
        Chosen::One(id) => {
            let plan = plan_invites::for_one(&Context::org(&get.org), &id, &Intent::Get);
            if get.invites.dry_run {
                return job::dry_run(ctx, &client, &plan).await;
            }
            if let Outcome::Done(done) = job::run_one(&client, &plan, false).await?
                && let Answer::Invite(invite) = &done.answer
            {
                job::print_one(ctx, || invite_text(invite), &to_value(invite));
            }
            Ok(Exit::SUCCESS)
        }
        // Reads only: nobody is asked.
        Chosen::Several(several) => {
            let several = Several {
                may_ask: false,
                ..several
            };
            several
                .job(
                    ctx,
                    &client,
                    |_, _| (String::new(), String::new()),
                    get.invites.dry_run,
                    get.invites.concurrency,
                    false,
                )
                .run()
                .await
        }
    }
}
