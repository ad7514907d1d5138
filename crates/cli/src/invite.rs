//! `losant-invites invite`: one new invite (instanceOrgInvites.post), printed as Losant made
//! it, whichever form Losant answers in.

use losant_invites_client::types;

use crate::args::{Global, Invite, Output};
use crate::commands::{client, dry_run, in_domain, output, trace_answer};
use crate::exit::{Failure, Outcome};
use crate::output::{invite_text, print_line, say, to_json, to_json_line};

pub async fn run(global: &Global, invite: Invite) -> Result<Outcome, Failure> {
    let email: types::OrgInvitePostEmail = invite
        .email
        .parse()
        .map_err(|e| Failure::usage(format!("--email {:?}: {e}", invite.email)))?;
    // A flag not given sends no list.
    let grants = |grants: &[types::ResourceRoleGrant]| {
        Some(grants.to_vec())
            .filter(|grants| !grants.is_empty())
            .map(Into::into)
    };
    let body = types::OrgInvitePost {
        email,
        role: invite.role,
        application_roles: grants(&invite.application_roles),
        dashboard_roles: grants(&invite.dashboard_roles),
        disallow_transfer: invite.disallow_transfer.then_some(true),
    };
    let client = client(global)?;
    let request = client
        .instance_org_invites_post()
        .instance_id(&invite.org.instance_id)
        .org_id(&invite.org.org_id)
        .body(body);
    let request = in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    });
    if invite.dry_run {
        return dry_run(global, [request.prepare()]).await;
    }
    let answer = request.send().await?.into_inner();
    trace_answer(global, &serde_json::to_value(&answer).unwrap_or_default());
    let Some(created) = answer.created_invite(&invite.email) else {
        // Losant said it made the invite, in an answer that does not show it: print the
        // whole answer rather than nothing.
        say(format!(
            "losant-invites: the answer does not show an invite for {}; it follows whole",
            invite.email
        ));
        print_line(to_json(&answer));
        return Ok(Outcome::SUCCESS);
    };
    match output(global) {
        Output::Text => print_line(format!(
            "invited {}\n{}",
            invite.email,
            invite_text(&created)
        )),
        Output::Json => print_line(to_json(&created)),
        Output::Ndjson | Output::Ids => print_line(to_json_line(&created)),
    }
    Ok(Outcome::SUCCESS)
}
