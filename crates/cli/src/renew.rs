//! `losant-invites renew`: resend invites with the roles they already have, such as every
//! expired one. Each invite is renewed once per run (resendInvite is never repeated); one
//! whose answer was lost is settled by listing the organization again, so the account is
//! exact and a second run finds the renewed invite pending rather than renewing it again.

use std::cell::RefCell;
use std::collections::HashSet;

use losant_invites_client::{Client, Error, LosantId, NewerRole, types};
use serde_json::{Map, json};

use crate::args::{Global, Org, Output, Renew, Select};
use crate::bulk::{self, Done, Seen};
use crate::commands::{
    Run, Selected, Several, client, dry_run, get_request, output, plan, resend_request, selected,
    trace_answer,
};
use crate::exit::{Failure, Outcome};
use crate::output::{self, invite_text, print_line, to_json, to_json_line};
use crate::select;

pub async fn run(global: &Global, mut renew: Renew) -> Result<Outcome, Failure> {
    renew.invites.select.role = renew.by_role.role;
    let client = client(global)?;
    let selected = selected(global, &client, &renew.org, &renew.invites).await?;
    let org = &renew.org;
    // The invites as they were before, where the selectors listed them.
    let listed: Vec<Option<types::OrgInvite>> = match &selected {
        Selected::Several(Several::Matched(invites, _)) => {
            invites.iter().cloned().map(Some).collect()
        }
        _ => vec![None; selected.ids().len()],
    };
    if renew.invites.dry_run {
        let mut requests = Vec::new();
        for (id, known) in selected.ids().into_iter().zip(listed) {
            let (_, info) = as_it_is(global, &client, org, &id, known)
                .await
                .map_err(|not| not.failure(&id))?;
            requests.push(resend_request(global, &client, org, id, info).prepare());
        }
        return dry_run(global, requests).await;
    }
    if !selected.agreed("renew", "renewed", org, renew.yes) {
        return Ok(Outcome::SUCCESS);
    }
    let several = match selected {
        Selected::One(id) => return one(global, &client, org, &id).await,
        Selected::Several(several) => several,
    };
    let Run {
        ids,
        items,
        notes,
        nothing,
    } = several.into_run();
    let was: HashSet<LosantId> = ids.iter().cloned().collect();
    // Each invite as it was, once known: for settling the renewals whose answers were lost.
    let before = RefCell::new(listed);
    let act = |index: usize| {
        let id = ids[index].clone();
        let known = before.borrow()[index].clone();
        let (client, before) = (&client, &before);
        async move {
            let (invite, info) = match as_it_is(global, client, org, &id, known).await {
                Ok(found) => found,
                Err(NotRenewable::Unread(error)) => return Done::Failed(error),
                Err(NotRenewable::Newer(newer)) => return Done::Refused(newer.to_string()),
            };
            before.borrow_mut()[index] = Some(invite.clone());
            match resend_request(global, client, org, id.clone(), info)
                .send()
                .await
            {
                Ok(answer) => {
                    let answer = answer.into_inner();
                    trace_answer(global, &serde_json::to_value(&answer).unwrap_or_default());
                    let text = renewed(&id, &answer);
                    Done::Ok(before_and_answer(&invite, &answer), text)
                }
                Err(error) if error.may_have_taken_effect() => Done::Unsure(error),
                Err(error) => Done::Failed(error),
            }
        }
    };
    let mut ran = bulk::run(items, notes, plan(global, &renew.invites, nothing), act).await;
    // Renewed means: the old invite is gone and a pending one for its email is there that was
    // not among those this run set out to renew.
    let before = before.into_inner();
    let everything = Select::default();
    ran.settle(
        || select::fetch(global, &client, org, &everything, None),
        |now, index| {
            let Some(old) = before[index].as_ref() else {
                return Seen::Unclear("the invite was never read".to_owned());
            };
            let (Some(old_id), Some(email)) = (old.id.as_ref(), old.email.as_deref()) else {
                return Seen::Unclear("the invite has no ID or email".to_owned());
            };
            if now
                .chosen
                .iter()
                .any(|invite| invite.id.as_ref() == Some(old_id))
            {
                return Seen::NotDone("the invite is still there, not renewed".to_owned());
            }
            let email = email.to_lowercase();
            let new = now.chosen.iter().find(|invite| {
                invite
                    .email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase() == email)
                    && invite.has_expired_at(now.now) != Some(true)
                    && invite.id.as_ref().is_some_and(|id| !was.contains(id))
            });
            let Some(new) = new else {
                return Seen::Unclear(
                    "the invite is gone, and no new pending invite for its email is there"
                        .to_owned(),
                );
            };
            let mut fields = before_and_answer(old, new);
            fields.insert("confirmedByListing".into(), json!(true));
            let text = format!(
                "{} (its answer was lost; listed again)",
                renewed(old_id, new)
            );
            Seen::Done(fields, text)
        },
    )
    .await;
    Ok(ran.outcome())
}

/// Why an invite cannot be renewed.
enum NotRenewable {
    /// It could not be read.
    Unread(Error),
    /// It holds a role newer than this client.
    Newer(NewerRole),
}

impl NotRenewable {
    fn failure(self, id: &LosantId) -> Failure {
        match self {
            NotRenewable::Unread(error) => error.into(),
            NotRenewable::Newer(newer) => Failure::usage(format!("invite {id}: {newer}")),
        }
    }
}

/// The invite as it is (`known`, as listed, or else read) and the role info that renews it.
async fn as_it_is(
    global: &Global,
    client: &Client,
    org: &Org,
    id: &LosantId,
    known: Option<types::OrgInvite>,
) -> Result<(types::OrgInvite, types::OrgRoleInfo), NotRenewable> {
    let invite = match known {
        Some(invite) => invite,
        None => get_request(global, client, org, id.clone())
            .send()
            .await
            .map_err(NotRenewable::Unread)?
            .into_inner(),
    };
    let info = invite.role_info().map_err(NotRenewable::Newer)?;
    Ok((invite, info))
}

/// One invite renewed: read, resent with its roles, and both shown.
async fn one(
    global: &Global,
    client: &Client,
    org: &Org,
    id: &LosantId,
) -> Result<Outcome, Failure> {
    let (before, info) = as_it_is(global, client, org, id, None)
        .await
        .map_err(|not| not.failure(id))?;
    let answer = resend_request(global, client, org, id.clone(), info)
        .send()
        .await?
        .into_inner();
    trace_answer(global, &serde_json::to_value(&answer).unwrap_or_default());
    let both = serde_json::Value::Object(before_and_answer(&before, &answer));
    match output(global) {
        Output::Text => print_line(format!(
            "renewed {}\n{}",
            renewed(id, &answer),
            invite_text(&answer)
        )),
        Output::Json => print_line(to_json(&both)),
        Output::Ndjson | Output::Ids => print_line(to_json_line(&both)),
    }
    Ok(Outcome::SUCCESS)
}

fn before_and_answer(
    before: &types::OrgInvite,
    answer: &types::OrgInvite,
) -> Map<String, serde_json::Value> {
    let mut fields = Map::new();
    fields.insert(
        "before".into(),
        serde_json::to_value(before).unwrap_or_default(),
    );
    fields.insert(
        "answer".into(),
        serde_json::to_value(answer).unwrap_or_default(),
    );
    fields
}

/// `OLD → NEW (email, role, expires …)`.
fn renewed(old: &LosantId, answer: &types::OrgInvite) -> String {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    format!(
        "{old} → {} ({}, {}, expires {})",
        output::id_text(answer.id.as_ref()),
        or_dash(answer.email.as_deref().cloned()),
        or_dash(answer.role.as_ref().map(ToString::to_string)),
        or_dash(answer.expires_at().map(|at| at.to_rfc3339())),
    )
}
