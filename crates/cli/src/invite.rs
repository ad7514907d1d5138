//! `losant-invites invite`: one new invite (instanceOrgInvites.post), printed as Losant made
//! it, whichever form Losant answers in; or a roster (`--from FILE`): everyone on it who has
//! no pending invite yet, so that running it again invites nobody twice.

use std::collections::HashMap;
use std::path::Path;

use losant_invites_client::{Client, types};
use serde_json::{Map, Value, json};

use crate::args::{Global, Invite, Org, Output, Select};
use crate::bulk::{self, Done, Item, Note, NoteKind, Plan, Seen};
use crate::commands::{client, confirmed, dry_run, in_domain, output, trace_answer};
use crate::exit::{Failure, Outcome};
use crate::output::{self, invite_text, print_line, say, to_json, to_json_line};
use crate::roster::{self, Row};
use crate::select;

pub async fn run(global: &Global, invite: Invite) -> Result<Outcome, Failure> {
    if let Some(path) = &invite.from {
        return run_roster(global, &invite, path).await;
    }
    // clap requires both without --from.
    let (Some(email_text), Some(role)) = (&invite.email, invite.role) else {
        return Err(Failure::usage("give --email and --role, or --from FILE"));
    };
    let email: types::OrgInvitePostEmail = email_text
        .parse()
        .map_err(|e| Failure::usage(format!("--email {email_text:?}: {e}")))?;
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
    let client = client(global)?;
    let request = create_request(global, &client, &invite.org, body);
    if invite.dry_run {
        return dry_run(global, [request.prepare()]).await;
    }
    let answer = request.send().await?.into_inner();
    trace_answer(global, &serde_json::to_value(&answer).unwrap_or_default());
    let Some(created) = answer.created_invite(email_text) else {
        // Losant said it made the invite, in an answer that does not show it: print the
        // whole answer rather than nothing.
        say(format!(
            "losant-invites: the answer does not show an invite for {email_text}; it follows whole"
        ));
        print_line(to_json(&answer));
        return Ok(Outcome::SUCCESS);
    };
    match output(global) {
        Output::Text => print_line(format!("invited {email_text}\n{}", invite_text(&created))),
        Output::Json => print_line(to_json(&created)),
        Output::Ndjson | Output::Ids => print_line(to_json_line(&created)),
    }
    Ok(Outcome::SUCCESS)
}

fn create_request<'a>(
    global: &Global,
    client: &'a Client,
    org: &Org,
    body: types::OrgInvitePost,
) -> losant_invites_client::builder::InstanceOrgInvitesPost<'a> {
    let request = client
        .instance_org_invites_post()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id)
        .body(body);
    in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    })
}

/// The organization's pending invites by email in lower case: an invite whose expiry is not
/// known counts as pending, so that nobody is invited twice on a guess.
async fn pending_by_email(
    global: &Global,
    client: &Client,
    org: &Org,
) -> Result<HashMap<String, types::OrgInvite>, Failure> {
    let listed = select::fetch(global, client, org, &Select::default(), None).await?;
    Ok(listed
        .chosen
        .into_iter()
        .filter(|invite| invite.has_expired_at(listed.now) != Some(true))
        .filter_map(|invite| Some((invite.email.as_deref()?.to_lowercase(), invite)))
        .collect())
}

/// Everyone on the roster who has no pending invite yet, invited with bounded concurrency.
/// A create whose answer was lost is never sent again: the organization is listed again,
/// and the row counts as done when its email now has a pending invite.
async fn run_roster(global: &Global, invite: &Invite, path: &Path) -> Result<Outcome, Failure> {
    let source = path.display().to_string();
    let rows = roster::parse(&bulk::read_source(path, "the roster")?, &source)?;
    let client = client(global)?;
    let org = &invite.org;
    let pending = pending_by_email(global, &client, org).await?;
    let (to_invite, have): (Vec<Row>, Vec<Row>) = rows
        .into_iter()
        .partition(|row| !pending.contains_key(&row.email().to_lowercase()));
    let item = |row: &Row| {
        let mut fields = Map::new();
        fields.insert("email".into(), json!(row.email()));
        fields.insert("line".into(), json!(row.line));
        Item {
            label: row.email().to_owned(),
            fields,
        }
    };
    let notes: Vec<Note> = have
        .iter()
        .map(|row| {
            let existing = &pending[&row.email().to_lowercase()];
            let id = output::id_text(existing.id.as_ref());
            let mut fields = Map::new();
            fields.insert("skipped".into(), json!(true));
            fields.insert("pendingInvite".into(), json!(existing.id));
            Note {
                item: item(row),
                kind: NoteKind::Skipped,
                fields,
                text: format!("(line {}: pending invite {id})", row.line),
            }
        })
        .collect();
    let summary = roster_plan(&to_invite, have.len());
    if invite.dry_run {
        match output(global) {
            Output::Text => print_line(&summary),
            _ => say(&summary),
        }
        let requests = to_invite
            .iter()
            .map(|row| create_request(global, &client, org, row.invite.clone()).prepare());
        return dry_run(global, requests).await;
    }
    say(&summary);
    let from_stdin = path == Path::new("-");
    if !invite.yes
        && !from_stdin
        && !to_invite.is_empty()
        && !confirmed(&format!(
            "invite {} to organization {}?",
            match to_invite.len() {
                1 => "1 person".to_owned(),
                n => format!("{n} people"),
            },
            org.org_id
        ))
    {
        say("cancelled: nobody was invited");
        return Ok(Outcome::SUCCESS);
    }
    let items: Vec<Item> = to_invite.iter().map(item).collect();
    let plan = Plan {
        output: output(global),
        concurrency: invite.concurrency.into(),
        grace: global.timeout,
        nothing: "the roster names nobody".to_owned(),
    };
    let act = |index: usize| {
        let row = &to_invite[index];
        let request = create_request(global, &client, org, row.invite.clone());
        async move {
            match request.send().await {
                Ok(answer) => {
                    let answer = answer.into_inner();
                    trace_answer(global, &serde_json::to_value(&answer).unwrap_or_default());
                    let mut fields = Map::new();
                    let text = match answer.created_invite(row.email()) {
                        Some(created) => {
                            let id = output::id_text(created.id.as_ref());
                            fields.insert("answer".into(), to_value(&created));
                            format!("{} invited: {id}", row.email())
                        }
                        None => {
                            fields.insert("answer".into(), to_value(&answer));
                            format!(
                                "{} invited (the answer does not show the invite)",
                                row.email()
                            )
                        }
                    };
                    Done::Ok(fields, text)
                }
                Err(error) if error.may_have_taken_effect() => Done::Unsure(error),
                Err(error) => Done::Failed(error),
            }
        }
    };
    let mut ran = bulk::run(items, notes, plan, act).await;
    ran.settle(
        || pending_by_email(global, &client, org),
        |now, index| {
            let row = &to_invite[index];
            let Some(found) = now.get(&row.email().to_lowercase()) else {
                return Seen::NotDone("no pending invite for this email".to_owned());
            };
            let id = output::id_text(found.id.as_ref());
            let mut fields = Map::new();
            fields.insert("answer".into(), to_value(found));
            fields.insert("confirmedByListing".into(), json!(true));
            Seen::Done(
                fields,
                format!(
                    "{} invited: {id} (its answer was lost; listed again)",
                    row.email()
                ),
            )
        },
    )
    .await;
    Ok(ran.outcome())
}

/// The plan of a roster run: how many are invited and skipped, and who is invited, with what.
fn roster_plan(to_invite: &[Row], skipped: usize) -> String {
    let mut plan = format!(
        "{} of {} on the roster to invite, {skipped} skipped (a pending invite already)",
        to_invite.len(),
        to_invite.len() + skipped,
    );
    if to_invite.is_empty() {
        return plan;
    }
    // As the roster writes them.
    let grants = |grants: &Option<types::ResourceRoleGrants>| {
        output::grants_text(
            grants
                .as_ref()
                .map(|grants| grants.iter().map(|g| (&g.resource_id, g.role))),
            ";",
        )
    };
    let rows = to_invite.iter().map(|row| {
        [
            row.line.to_string(),
            row.email().to_owned(),
            row.invite.role.to_string(),
            grants(&row.invite.application_roles),
            grants(&row.invite.dashboard_roles),
        ]
    });
    let table = output::table(
        ["LINE", "EMAIL", "ROLE", "APPLICATIONS", "DASHBOARDS"],
        rows,
    );
    plan.push_str(":\n");
    plan.push_str(table.trim_end());
    plan
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}
