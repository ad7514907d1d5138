//! `losant-invites members set-role`: members' roles changed (instanceOrgMember.patch), one by
//! user ID or those the selectors choose, the last administrator never demoted.

use losant_invites_client::types;
use losant_invites_housekeeping::{Answer, MemberIntent, MemberSelection, Outcome, plan_members};

use crate::args::MemberSetRole;
use crate::choose::{self, Chosen};
use crate::context::Context;
use crate::exit::{Failure, Outcome as Exit};
use crate::job;
use crate::output::{counted, member_text, to_value};

pub async fn run(ctx: &Context, set: MemberSetRole) -> Result<Exit, Failure> {
    // A flag not given sends no list.
    let grants = |grants: &[types::ResourceRoleGrant]| {
        Some(grants.to_vec())
            .filter(|grants| !grants.is_empty())
            .map(Into::into)
    };
    let intent = MemberIntent::SetRole(types::OrgMemberPatch {
        role: set.role,
        application_roles: grants(&set.application_roles),
        dashboard_roles: grants(&set.dashboard_roles),
    });
    let client = ctx.client(set.members.dry_run)?;
    let selection = MemberSelection {
        email: None,
        role: set.current_role,
    };
    let chosen =
        choose::chosen_members(ctx, &client, &set.org, &set.members, selection, &intent).await?;
    match chosen {
        Chosen::One(user_id) => {
            let plan = plan_members::for_one(&Context::org(&set.org), &user_id, &intent);
            if set.members.dry_run {
                return job::dry_run(ctx, &client, &plan).await;
            }
            if let Outcome::Done(done) = job::run_one(&client, &plan, false).await?
                && let Answer::Member(member) = &done.answer
            {
                job::print_one(ctx, || member_text(member), &to_value(member));
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
                            format!(
                                "change the roles of {} of organization {org}?",
                                counted(count, "member")
                            ),
                            "cancelled: no role was changed".to_owned(),
                        )
                    },
                    set.members.dry_run,
                    set.members.concurrency,
                    false,
                )
                .run()
                .await
        }
    }
}
