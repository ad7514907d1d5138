//! How results look: lines for people on a terminal, stable JSON for programs; and how
//! they reach stdout and stderr.

use std::fmt::Display;
use std::io::Write;

use chrono::{DateTime, Utc};
use comfy_table::{ContentArrangement, Table, presets};
use losant_invites_client::{Error, ErrorKind, LosantId, types};
use serde_json::{Value, json};

use losant_invites_housekeeping::access::member_name;

use crate::exit::BROKEN_PIPE;

/// A date and time for people, in the one format of every table, line and plan:
/// `2026-12-06 07:15 UTC`.
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// How many rows of a plan or list a person is shown before the rest is counted instead: a
/// screenful. The whole of it is in `--output json` and `ndjson`.
pub const SHOWN_ROWS: usize = 20;

/// The line that stands for the rows not shown, if any.
pub fn more_rows(total: usize, what: &str) -> Option<String> {
    (total > SHOWN_ROWS).then(|| {
        format!(
            "… and {} more {what} (all of them: --output json or ndjson)",
            total - SHOWN_ROWS
        )
    })
}

/// `1 invite`, `6 invites`: `count` of `thing`, which takes an `s` for more than one.
pub fn counted(count: usize, thing: &str) -> String {
    match count {
        1 => format!("1 {thing}"),
        n => format!("{n} {thing}s"),
    }
}

/// `1 person`, `6 people`.
pub fn people(count: usize) -> String {
    match count {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    }
}

/// Prints `text` and a newline on stdout. When stdout is closed (`… | head -1`), the program
/// ends at once, quietly, with the status a shell gives a program a pipe stopped.
pub fn print_line(text: impl Display) {
    print_bytes(format!("{text}\n").as_bytes());
}

/// Prints bytes on stdout, as [`print_line`] does lines.
pub fn print_bytes(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    ended_if_closed(written);
}

/// Ends the program quietly with 141 when `written` failed because stdout was closed.
fn ended_if_closed(written: std::io::Result<()>) {
    if let Err(e) = written
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(BROKEN_PIPE.into());
    }
}

/// Writes a large JSON document on stdout as it is made, without holding it whole: `write`
/// gets a buffered stdout. A closed stdout ends the program as [`print_line`] does.
pub fn stream_json(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout);
    let written = write(&mut out).and_then(|()| out.flush());
    ended_if_closed(written);
}

/// Prints `text` and a newline on stderr; nobody reading it is no reason to stop.
pub fn say(text: impl Display) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A table for people: columns of `header` and `rows`, aligned, without borders; each line
/// ends with a newline.
pub fn table<const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for row in rows {
        table.add_row(row);
    }
    // The preset pads every cell: the lines lose the outer padding, not the columns.
    let mut text = String::new();
    for line in table.lines() {
        text.push_str(line.strip_prefix(' ').unwrap_or(&line).trim_end());
        text.push('\n');
    }
    text
}

/// An invite's ID for a person, or `?` when Losant's answer did not give one.
pub fn id_text(id: Option<&LosantId>) -> String {
    id.map_or_else(|| "?".to_owned(), ToString::to_string)
}

/// Role grants for a person: `ID=ROLE` each, joined by `separator`; `none` for an empty
/// list, and `-` for no list at all.
pub fn grants_text<I: Display, R: Display>(
    grants: Option<impl Iterator<Item = (I, R)>>,
    separator: &str,
) -> String {
    let Some(grants) = grants else {
        return "-".to_owned();
    };
    let grants: Vec<String> = grants.map(|(id, role)| format!("{id}={role}")).collect();
    if grants.is_empty() {
        "none".to_owned()
    } else {
        grants.join(separator)
    }
}

/// The invite for a person: one field a line.
pub fn invite_text(invite: &types::OrgInvite) -> String {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    let grants = |grants: &Option<types::ReportedResourceRoleGrants>| {
        grants_text(
            grants
                .as_ref()
                .map(|grants| grants.iter().map(|g| (&g.resource_id, &g.role))),
            ", ",
        )
    };
    let status = match invite.has_expired {
        Some(true) => match invite.expires_at() {
            Some(when) => format!("expired {}", date(when)),
            None => "expired".to_owned(),
        },
        Some(false) => match invite.expires_at() {
            Some(when) => format!("pending, expires {}", date(when)),
            None => "pending".to_owned(),
        },
        None => "-".to_owned(),
    };
    let mut fields = vec![
        (
            "invite",
            or_dash(invite.id.as_ref().map(|id| id.to_string())),
        ),
        (
            "email",
            or_dash(invite.email.as_ref().map(|e| e.to_string())),
        ),
        (
            "role",
            or_dash(invite.role.as_ref().map(ToString::to_string)),
        ),
        ("applications", grants(&invite.application_roles)),
        ("dashboards", grants(&invite.dashboard_roles)),
        (
            "invited",
            or_dash(invite.invite_date.as_ref().map(|d| date(d.to_utc()))),
        ),
        ("status", status),
    ];
    if invite.disallow_transfer == Some(true) {
        fields.push(("transfer", "disallowed".to_owned()));
    }
    let lines: Vec<String> = fields
        .iter()
        .map(|(label, value)| format!("{label:<13}{value}"))
        .collect();
    lines.join("\n")
}

/// How many rows a table shows: all of a list, a screenful of a plan.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    All,
    Screenful,
}

impl Rows {
    fn limit(self) -> usize {
        match self {
            Rows::All => usize::MAX,
            Rows::Screenful => SHOWN_ROWS,
        }
    }

    /// The line that counts the rows not shown, if any.
    fn more(self, total: usize, what: &str) -> Option<String> {
        match self {
            Rows::All => None,
            Rows::Screenful => more_rows(total, what),
        }
    }
}

/// Invites as a table for people: ID, email, role, when invited, when it expires (or did);
/// with [`Rows::Screenful`], the first of them and a line counting the rest.
pub fn invite_table<'a>(
    invites: impl ExactSizeIterator<Item = &'a types::OrgInvite>,
    now: DateTime<Utc>,
    shown: Rows,
) -> String {
    let total = invites.len();
    let when = |at: Option<DateTime<Utc>>| at.map_or_else(|| "-".to_owned(), date);
    let rows = invites.take(shown.limit()).map(|invite| {
        let expires = match invite.has_expired_at(now) {
            Some(true) => format!("expired {}", when(invite.expires_at())),
            _ => when(invite.expires_at()),
        };
        [
            id_text(invite.id.as_ref()),
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
    let mut text = table(["ID", "EMAIL", "ROLE", "INVITED", "EXPIRES"], rows);
    if let Some(more) = shown.more(total, "invites") {
        text.push_str(&more);
        text.push('\n');
    }
    text
}

/// Members as a table for people: user ID, email, name, role; with [`Rows::Screenful`], the
/// first of them and a line counting the rest.
pub fn member_table<'a>(
    members: impl ExactSizeIterator<Item = &'a types::OrgMember>,
    shown: Rows,
) -> String {
    let total = members.len();
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    let rows = members.take(shown.limit()).map(|member| {
        [
            id_text(member.user_id.as_ref()),
            or_dash(member.email.as_deref().cloned()),
            or_dash(member_name(member)),
            or_dash(member.role.as_ref().map(ToString::to_string)),
        ]
    });
    let mut text = table(["USER ID", "EMAIL", "NAME", "ROLE"], rows);
    if let Some(more) = shown.more(total, "members") {
        text.push_str(&more);
        text.push('\n');
    }
    text
}

/// The member for a person: one field a line.
pub fn member_text(member: &types::OrgMember) -> String {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    let yes_no = |flag: Option<bool>| flag.map(|on| if on { "yes" } else { "no" }.to_owned());
    let fields = [
        ("member", id_text(member.user_id.as_ref())),
        ("email", or_dash(member.email.as_deref().cloned())),
        ("name", or_dash(member_name(member))),
        (
            "role",
            or_dash(member.role.as_ref().map(ToString::to_string)),
        ),
        (
            "two-factor",
            or_dash(yes_no(member.two_factor_auth_enabled)),
        ),
        ("single sign-on", or_dash(yes_no(member.sso_linked))),
    ];
    let lines: Vec<String> = fields
        .iter()
        .map(|(label, value)| format!("{label:<15}{value}"))
        .collect();
    lines.join("\n")
}

/// A failure as JSON: its kind, the HTTP status, Losant's `type` and `message` and its whole
/// error body when known, whether the action may have taken effect, and the one-line text.
pub fn error_json(error: &Error) -> Value {
    let kind = match error.kind() {
        ErrorKind::InvalidInput => "invalidInput",
        ErrorKind::Transport => "transport",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Api => "api",
        ErrorKind::Decode => "decode",
        _ => "other",
    };
    json!({
        "kind": kind,
        "status": error.status().map(|s| s.as_u16()),
        "type": error.error_type(),
        "message": error.message(),
        "body": error.body_json(),
        "mayHaveTakenEffect": error.may_have_taken_effect(),
        "text": error.to_string(),
    })
}

/// Pretty JSON of anything the client decoded; it was decoded from JSON, so it encodes back.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// JSON of `value` on one line, for `--output ndjson`.
pub fn to_json_line<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Anything the client decoded, as JSON; it was decoded from JSON, so it encodes back.
pub fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}
