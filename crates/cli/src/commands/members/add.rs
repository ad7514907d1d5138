//! `losant-invites members add`: someone added (instanceOrgMembers.post), a Losant user by ID
//! or someone by email; Losant may send an invite to the email instead, and the output says
//! which happened.

use losant_invites_client::{MemberAdded, types};
use serde_json::json;

use crate::args::MemberAdd;
use crate::context::Context;
use crate::exit::{Failure, Outcome};
use crate::job::{self, print_one};
use crate::output::{member_text, say, to_value};

pub async fn run(ctx: &Context, add: MemberAdd) -> Result<Outcome, Failure> {
    // A flag not given sends no list.
    let grants = |grants: &[types::ResourceRoleGrant]| {
        Some(grants.to_vec())
            .filter(|grants| !grants.is_empty())
            .map(Into::into)
    };
    let body: types::OrgMemberPost = match (&add.user_id, &add.email) {
        (Some(user_id), _) => types::OrgMemberPostByUser {
            user_id: *user_id,
            role: add.role,
            application_roles: grants(&add.application_roles),
            dashboard_roles: grants(&add.dashboard_roles),
        }
        .into(),
        (None, Some(email)) => types::OrgMemberPostByEmail {
            email: email.parse().map_err(|e| {
                Failure::usage(format!(
                    "--email {}: {e}",
                    losant_invites_housekeeping::excerpt(email)
                ))
            })?,
            role: add.role,
            application_roles: grants(&add.application_roles),
            dashboard_roles: grants(&add.dashboard_roles),
            disallow_transfer: add.disallow_transfer.then_some(true),
        }
        .into(),
        // clap requires one of the two.
        (None, None) => return Err(Failure::usage("give --user-id or --email")),
    };
    body.check_limits().map_err(|problem| {
        Failure::usage(format!("invalid member, nothing was sent: {problem}"))
    })?;
    let client = ctx.client(add.dry_run)?;
    let request = client
        .instance_org_members_post()
        .instance_id(add.org.instance_id)
        .org_id(add.org.org_id)
        .body(body);
    if add.dry_run {
        return job::print_prepared(ctx, request.prepare().await?);
    }
    let answer = request.send().await?;
    let added = MemberAdded::of(&answer);
    let member = answer.into_inner();
    match added {
        MemberAdded::Member => print_one(
            ctx,
            || format!("added\n{}", member_text(&member)),
            &json!({ "added": "member", "answer": to_value(&member) }),
        ),
        MemberAdded::InviteSent => {
            say(format!(
                "Losant sent an invite to {} instead: they become a member once they accept it",
                add.email.as_deref().unwrap_or("the email")
            ));
            print_one(
                ctx,
                || "invite sent".to_owned(),
                &json!({ "added": "inviteSent", "answer": to_value(&member) }),
            );
        }
    }
    Ok(Outcome::SUCCESS)
}
