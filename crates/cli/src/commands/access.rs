//! `losant-invites access`: everyone with access to the organization in one view, its members
//! and its invites pending or expired, with their roles: as a table, one JSON document, or one
//! JSON object a line.

use chrono::{DateTime, Utc};
use losant_invites_housekeeping::Snapshot;
use losant_invites_housekeeping::access::{self, Access, Status};
use serde_json::json;

use crate::args::{self, Output};
use crate::context::Context;
use crate::exit::{Failure, Outcome};
use crate::output::{date, id_text, print_bytes, print_line, table, to_json, to_json_line};

pub async fn run(ctx: &Context, access: args::Access) -> Result<Outcome, Failure> {
    let client = ctx.reading_client()?;
    let snapshot = Snapshot::read(&client, &Context::org(&access.org))
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let everyone = access::of(&snapshot);
    let count = |status: Status| everyone.iter().filter(|a| a.status == status).count();
    let (members, pending, expired) = (
        count(Status::Member),
        count(Status::Pending),
        count(Status::Expired),
    );
    match ctx.output() {
        Output::Text => {
            let mut text = format!(
                "{members} members, {pending} pending invites, {expired} expired invites\n"
            );
            text.push_str(&access_table(&everyone));
            print_bytes(text.as_bytes());
        }
        Output::Json => print_line(to_json(&json!({
            "members": members,
            "pending": pending,
            "expired": expired,
            "items": everyone,
        }))),
        Output::Ndjson | Output::Ids => {
            for entry in &everyone {
                print_line(to_json_line(entry));
            }
        }
    }
    Ok(Outcome::SUCCESS)
}

/// Everyone as a table for people: email, access, role, name, the member's or invite's ID,
/// when invited and when the invite expires (or did).
fn access_table(everyone: &[Access]) -> String {
    let when = |at: Option<DateTime<Utc>>| at.map_or_else(|| "-".to_owned(), date);
    let or_dash = |text: Option<&String>| text.cloned().unwrap_or_else(|| "-".to_owned());
    let rows = everyone.iter().map(|entry| {
        [
            or_dash(entry.email.as_ref()),
            match entry.status {
                Status::Member => "member",
                Status::Pending => "pending",
                Status::Expired => "expired",
            }
            .to_owned(),
            or_dash(entry.role.as_ref()),
            or_dash(entry.name.as_ref()),
            id_text(entry.user_id.as_ref().or(entry.invite_id.as_ref())),
            when(entry.invited_at),
            when(entry.expires_at),
        ]
    });
    table(
        [
            "EMAIL", "ACCESS", "ROLE", "NAME", "ID", "INVITED", "EXPIRES",
        ],
        rows,
    )
}
