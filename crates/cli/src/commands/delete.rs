//! `losant-invites delete`: revoke invites (instanceOrgInvite.delete), one, a list, or those
//! the selectors choose, such as the stale ones: `delete --expired --older-than 30d`.

use losant_invites_housekeeping::{Intent, plan_invites};

use crate::args::Delete;
use crate::choose::{self, Chosen};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::job;
use crate::output::counted;

pub async fn run(ctx: &Context, delete: Delete) -> Result<Exit, Failure> {
    let client = ctx.client(delete.invites.dry_run)?;
    let selection = choose::selection(&delete.invites.select, delete.by_role.role);
    let chosen = choose::chosen(
        ctx,
        &client,
        &delete.org,
        &delete.invites,
        selection,
        &Intent::Revoke,
    )
    .await?;
    match chosen {
        Chosen::One(id) => {
            let plan = plan_invites::for_one(&Context::org(&delete.org), &id, &Intent::Revoke);
            let removal = job::Removal {
                noun: "invite",
                key: "inviteId",
                done: "deleted",
                id: &id,
            };
            let (dry, ignore_missing) = (delete.invites.dry_run, delete.ignore_missing);
            job::remove_one(ctx, &client, &plan, dry, ignore_missing, removal).await
        }
        Chosen::Several(several) => {
            several
                .job(
                    ctx,
                    &client,
                    |count, org| {
                        (
                            format!("delete {} of organization {org}?", counted(count, "invite")),
                            "cancelled: nothing was deleted".to_owned(),
                        )
                    },
                    delete.invites.dry_run,
                    delete.invites.concurrency,
                    delete.ignore_missing,
                )
                .run()
                .await
        }
    }
}
