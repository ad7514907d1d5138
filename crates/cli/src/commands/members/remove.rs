//! `losant-invites members remove`: members removed (instanceOrgMember.delete), one by user ID
//! or those the selectors choose, the last administrator never removed. Their Losant
//! accounts stay; they can be invited again.

use losant_invites_housekeeping::{MemberIntent, MemberSelection, plan_members};

use crate::args::MemberRemove;
use crate::choose::{self, Chosen};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::job;
use crate::output::counted;

pub async fn run(ctx: &Context, remove: MemberRemove) -> Result<Exit, Failure> {
    let client = ctx.client(remove.members.dry_run)?;
    let intent = MemberIntent::Remove;
    let selection = MemberSelection {
        email: None,
        role: remove.role,
    };
    let chosen = choose::chosen_members(
        ctx,
        &client,
        &remove.org,
        &remove.members,
        selection,
        &intent,
    )
    .await?;
    match chosen {
        Chosen::One(user_id) => {
            let plan = plan_members::for_one(&Context::org(&remove.org), &user_id, &intent);
            let removal = job::Removal {
                noun: "member",
                key: "userId",
                done: "removed",
                id: &user_id,
            };
            let (dry, ignore_missing) = (remove.members.dry_run, remove.ignore_missing);
            job::remove_one(ctx, &client, &plan, dry, ignore_missing, removal).await
        }
        Chosen::Several(several) => {
            several
                .job(
                    ctx,
                    &client,
                    |count, org| {
                        (
                            format!(
                                "remove {} from organization {org}?",
                                counted(count, "member")
                            ),
                            "cancelled: nobody was removed".to_owned(),
                        )
                    },
                    remove.members.dry_run,
                    remove.members.concurrency,
                    remove.ignore_missing,
                )
                .run()
                .await
        }
    }
}
