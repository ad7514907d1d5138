//! Choosing invites by what they are (expired, pending, older than, email, role) rather than
//! by ID: one list call, filtered by Losant where its filter can say it and here where it
//! cannot, shown as a plan before anything is done with the invites.

use chrono::{DateTime, Utc};
use losant_invites_client::{Client, types};

use crate::args::{Global, Org, Select, Sort};
use crate::commands::{in_domain, trace_answer};
use crate::exit::Failure;
use crate::output;

/// The organization's invites as Losant listed them, and those the selectors keep.
pub struct Selection {
    /// Losant's answer, its items taken out into `chosen`.
    pub collection: types::OrgInviteCollection,
    /// Whether Losant's answer held a list of items (an empty one included).
    pub had_items: bool,
    pub chosen: Vec<types::OrgInvite>,
    /// When the list was read: expiry and age are judged at this moment.
    pub now: DateTime<Utc>,
}

impl Select {
    /// Whether any selector is given.
    pub fn is_given(&self) -> bool {
        self.email.is_some()
            || self.expired
            || self.pending
            || self.older_than.is_some()
            || self.role.is_some()
    }

    /// The selectors as a person reads them: `expired, older than 30days, email *@x`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.expired {
            parts.push("expired".to_owned());
        }
        if self.pending {
            parts.push("pending".to_owned());
        }
        if let Some(age) = self.older_than {
            parts.push(format!("older than {}", humantime::format_duration(age)));
        }
        if let Some(glob) = &self.email {
            parts.push(format!("email {glob}"));
        }
        if let Some(role) = self.role {
            parts.push(format!("role {role}"));
        }
        if parts.is_empty() {
            "all invites".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// Whether `invite` is one these selectors keep, at `now`, beyond what Losant filtered
    /// (`role_filtered`: whether Losant's filter already held the role).
    fn keeps(&self, role_filtered: bool, invite: &types::OrgInvite, now: DateTime<Utc>) -> bool {
        let role_matches = role_filtered
            || self.role.is_none_or(|role| {
                invite
                    .role
                    .as_ref()
                    .is_some_and(|held| held.to_string() == role.to_string())
            });
        let expiry_matches = match (self.expired, self.pending) {
            (true, _) => invite.has_expired_at(now) == Some(true),
            (_, true) => invite.has_expired_at(now) == Some(false),
            _ => true,
        };
        let age_matches = self.older_than.is_none_or(|older| {
            invite
                .age_at(now)
                .and_then(|age| age.to_std().ok())
                .is_some_and(|age| age > older)
        });
        role_matches && expiry_matches && age_matches
    }
}

/// Lists the organization's invites once, in `sort`'s order, and keeps those `select` chooses.
pub async fn fetch(
    global: &Global,
    client: &Client,
    org: &Org,
    select: &Select,
    sort: Option<&Sort>,
) -> Result<Selection, Failure> {
    let mut request = client
        .instance_org_invites_get()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id);
    // Losant filters on one field: the email when given, else the role.
    let role_filtered = match (&select.email, select.role) {
        (Some(glob), _) => {
            request = request
                .filter_field(types::InstanceOrgInvitesGetFilterField::Email)
                .filter(glob.clone());
            false
        }
        (None, Some(role)) => {
            request = request
                .filter_field(types::InstanceOrgInvitesGetFilterField::Role)
                .filter(role.to_string());
            true
        }
        (None, None) => true,
    };
    if let Some(sort) = sort {
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
    let items = collection.items.take();
    let had_items = items.is_some();
    let chosen = items
        .map(Vec::from)
        .unwrap_or_default()
        .into_iter()
        .filter(|invite| select.keeps(role_filtered, invite, now))
        .collect();
    Ok(Selection {
        collection,
        had_items,
        chosen,
        now,
    })
}

/// The plan of acting on the chosen invites: how many match, and each as a row of a table.
pub fn plan(select: &Select, selection: &Selection) -> String {
    match selection.chosen.len() {
        0 => format!("no invites match ({})", select.describe()),
        n => {
            let count = if n == 1 {
                "1 invite matches".to_owned()
            } else {
                format!("{n} invites match")
            };
            format!(
                "{count} ({}):\n{}",
                select.describe(),
                table(&selection.chosen, selection.now)
            )
            .trim_end()
            .to_owned()
        }
    }
}

/// The invites as a table for people: ID, email, role, when invited, when it expires (or did).
pub fn table(items: &[types::OrgInvite], now: DateTime<Utc>) -> String {
    let when = |date: Option<DateTime<Utc>>| {
        date.map_or_else(
            || "-".to_owned(),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let rows = items.iter().map(|invite| {
        let expires = match invite.has_expired_at(now) {
            Some(true) => format!("expired {}", when(invite.expires_at())),
            _ => when(invite.expires_at()),
        };
        [
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
        ]
    });
    output::table(["ID", "EMAIL", "ROLE", "INVITED", "EXPIRES"], rows)
}
