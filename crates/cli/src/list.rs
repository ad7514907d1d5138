//! `losant-invites list`: the organization's invites as Losant lists them (filtered and sorted
//! by Losant), narrowed by what Losant's list cannot ask (expiry, age), and printed as a table,
//! Losant's collection, one invite a line, or one ID a line.

use chrono::{DateTime, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use losant_invites_client::types;

use crate::args::{Global, List, Output};
use crate::commands::{client, in_domain, output, trace_answer};
use crate::exit::{Failure, Outcome};
use crate::output::{print_bytes, print_line, to_json, to_json_line};

pub async fn run(global: &Global, list: List) -> Result<Outcome, Failure> {
    let client = client(global)?;
    let mut request = client
        .instance_org_invites_get()
        .instance_id(&list.org.instance_id)
        .org_id(&list.org.org_id);
    // Losant filters on one field: the email when given, else the role.
    let local_role = match (&list.email, list.role) {
        (Some(glob), role) => {
            request = request
                .filter_field(types::InstanceOrgInvitesGetFilterField::Email)
                .filter(glob.clone());
            role
        }
        (None, Some(role)) => {
            request = request
                .filter_field(types::InstanceOrgInvitesGetFilterField::Role)
                .filter(role.to_string());
            None
        }
        (None, None) => None,
    };
    if let Some(sort) = &list.sort {
        request = request
            .sort_field(sort.field)
            .sort_direction(sort.direction);
    }
    let request = in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    });
    let mut collection = request.send().await?.into_inner();
    if global.verbose >= 2 {
        trace_answer(
            global,
            &serde_json::to_value(&collection).unwrap_or_default(),
        );
    }
    let now = Utc::now();
    if let Some(items) = collection.items.take() {
        let kept: Vec<types::OrgInvite> = Vec::from(items)
            .into_iter()
            .filter(|invite| selected(&list, local_role, invite, now))
            .collect();
        collection.items = Some(kept.into());
    }
    let items: &[types::OrgInvite] = collection.items.as_deref().map_or(&[], Vec::as_slice);
    match output(global) {
        Output::Text if items.is_empty() => print_line("no invites match"),
        Output::Text => print_bytes(table(items, now).as_bytes()),
        Output::Json => print_line(to_json(&collection)),
        Output::Ndjson => {
            for invite in items {
                print_line(to_json_line(invite));
            }
        }
        Output::Ids => {
            for id in items.iter().filter_map(|invite| invite.id.as_ref()) {
                print_line(id);
            }
        }
    }
    Ok(Outcome::SUCCESS)
}

/// Whether `invite` is one the options keep, at `now`, beyond what Losant filtered.
fn selected(
    list: &List,
    role: Option<types::OrgRole>,
    invite: &types::OrgInvite,
    now: DateTime<Utc>,
) -> bool {
    let role_matches = role.is_none_or(|role| {
        invite
            .role
            .as_ref()
            .is_some_and(|sent| sent.to_string() == role.to_string())
    });
    let expiry_matches = match (list.expired, list.pending) {
        (true, _) => invite.has_expired_at(now) == Some(true),
        (_, true) => invite.has_expired_at(now) == Some(false),
        _ => true,
    };
    let age_matches = list.older_than.is_none_or(|older| {
        invite
            .age_at(now)
            .and_then(|age| age.to_std().ok())
            .is_some_and(|age| age > older)
    });
    role_matches && expiry_matches && age_matches
}

/// The invites as a table for people: ID, email, role, when invited, when it expires (or did).
fn table(items: &[types::OrgInvite], now: DateTime<Utc>) -> String {
    let when = |date: Option<DateTime<Utc>>| {
        date.map_or_else(
            || "-".to_owned(),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["ID", "EMAIL", "ROLE", "INVITED", "EXPIRES"]);
    for invite in items {
        let expires = match invite.has_expired_at(now) {
            Some(true) => format!("expired {}", when(invite.expires_at())),
            _ => when(invite.expires_at()),
        };
        table.add_row([
            invite
                .id
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            invite
                .email
                .as_deref()
                .map_or("-", String::as_str)
                .to_owned(),
            invite
                .role
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            when(invite.invite_date.as_ref().map(|d| d.to_utc())),
            expires,
        ]);
    }
    // The preset pads every cell: the lines lose the outer padding, not the columns.
    let mut text = String::new();
    for line in table.lines() {
        text.push_str(line.strip_prefix(' ').unwrap_or(&line).trim_end());
        text.push('\n');
    }
    text
}
