//! `losant-invites renew`: resend invites with the roles they already have, such as every
//! expired one. Each invite is renewed once per run (resendInvite is never repeated); one
//! whose answer was lost is settled by listing the organization again, so the account is
//! exact and a second run finds the renewed invite pending rather than renewing it again.

use std::cell::RefCell;
use std::collections::HashSet;

use chrono::Utc;
use losant_invites_client::{Client, Error, LosantId, types};
use serde_json::{Map, json};

use crate::args::{Global, Org, Output, Renew, Select};
use crate::bulk::{self, Done, Seen};
use crate::commands::{Selected, client, dry_run, in_domain, output, plan, selected, trace_answer};
use crate::exit::{Failure, Outcome};
use crate::output::{self, invite_text, print_line, say, to_json, to_json_line};
use crate::select;

pub async fn run(global: &Global, mut renew: Renew) -> Result<Outcome, Failure> {
    renew.invites.select.role = renew.by_role.role;
    let client = client(global)?;
    let selected = selected(global, &client, &renew.org, &renew.invites).await?;
    let org = &renew.org;
    // The invites as they were before: listed by the selectors, or read one by one.
    let before: Vec<Option<types::OrgInvite>> = match &selected {
        Selected::Matched(invites, _) => invites.iter().cloned().map(Some).collect(),
        _ => vec![None; selected.ids().len()],
    };
    if renew.invites.dry_run {
        let ids = selected.ids();
        let mut requests = Vec::new();
        for (id, before) in ids.into_iter().zip(before) {
            let before = match before {
                Some(invite) => invite,
                None => read(global, &client, org, &id).await?,
            };
            let info = before
                .role_info()
                .map_err(|newer| Failure::usage(format!("invite {id}: {newer}")))?;
            requests.push(resend_request(global, &client, org, id, info).prepare());
        }
        return dry_run(global, requests).await;
    }
    if !selected.agreed("renew", "renewed", org, renew.yes) {
        return Ok(Outcome::SUCCESS);
    }
    if let Selected::One(id) = &selected {
        return one(global, &client, org, id).await;
    }
    let ids = selected.ids();
    let was: HashSet<LosantId> = ids.iter().cloned().collect();
    let before = RefCell::new(before);
    let (items, notes, nothing) = selected.into_run();
    let act = |index: usize| {
        let id = ids[index].clone();
        let known = before.borrow()[index].clone();
        let (client, before) = (&client, &before);
        async move {
            let invite = match known {
                Some(invite) => invite,
                None => match read_invite(global, client, org, &id).await {
                    Ok(invite) => {
                        before.borrow_mut()[index] = Some(invite.clone());
                        invite
                    }
                    Err(error) => return Done::Failed(error),
                },
            };
            let info = match invite.role_info() {
                Ok(info) => info,
                Err(newer) => return Done::Refused(newer.to_string()),
            };
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
    let unsure = ran.unsure();
    if !unsure.is_empty() {
        // Renewed means: the old invite is gone and a pending one for its email is there that
        // was not among those this run set out to renew.
        match select::fetch(global, &client, org, &Select::default(), None).await {
            Ok(now) => {
                let before = before.borrow();
                let listed = &now.chosen;
                ran.recheck(|index| {
                    let Some(old) = before[index].as_ref() else {
                        return Seen::Unclear("the invite was never read".to_owned());
                    };
                    let (Some(old_id), Some(email)) = (old.id.as_ref(), old.email.as_deref())
                    else {
                        return Seen::Unclear("the invite has no ID or email".to_owned());
                    };
                    if listed
                        .iter()
                        .any(|invite| invite.id.as_ref() == Some(old_id))
                    {
                        return Seen::NotDone("the invite is still there, not renewed".to_owned());
                    }
                    let email = email.to_lowercase();
                    let new = listed.iter().find(|invite| {
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
                });
            }
            Err(failure) => say(format!(
                "losant-invites: could not list the invites again to settle {} renewals whose answers were lost: {}",
                unsure.len(),
                failure.message
            )),
        }
    }
    Ok(ran.outcome())
}

/// One invite renewed: read, resent with its roles, and both shown.
async fn one(
    global: &Global,
    client: &Client,
    org: &Org,
    id: &LosantId,
) -> Result<Outcome, Failure> {
    let before = read(global, client, org, id).await?;
    let info = before
        .role_info()
        .map_err(|newer| Failure::usage(format!("invite {id}: {newer}")))?;
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
        or_dash(
            answer
                .expires_at()
                .map(|at| at.with_timezone(&Utc).to_rfc3339())
        ),
    )
}

async fn read_invite(
    global: &Global,
    client: &Client,
    org: &Org,
    id: &LosantId,
) -> Result<types::OrgInvite, Error> {
    let request = client
        .instance_org_invite_get()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id)
        .invite_id(id);
    let request = in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    });
    Ok(request.send().await?.into_inner())
}

async fn read(
    global: &Global,
    client: &Client,
    org: &Org,
    id: &LosantId,
) -> Result<types::OrgInvite, Failure> {
    Ok(read_invite(global, client, org, id).await?)
}

fn resend_request<'a>(
    global: &Global,
    client: &'a Client,
    org: &Org,
    id: LosantId,
    info: types::OrgRoleInfo,
) -> losant_invites_client::builder::InstanceOrgInviteResendInvite<'a> {
    let request = client
        .instance_org_invite_resend_invite()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id)
        .invite_id(id)
        .body(info);
    in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    })
}
