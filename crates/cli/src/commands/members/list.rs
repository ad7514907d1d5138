//! `losant-invites members list`: the organization's members as Losant lists them (filtered and
//! sorted by Losant), as a table, Losant's collection, or one member a line.

use losant_invites_housekeeping::{InviteFilter, MemberQuery, Snapshot};

use crate::args::{MembersList, Output};
use crate::context::Context;
use crate::exit::{Failure, Outcome};
use crate::output::{Rows, member_table, print_bytes, print_line, to_json, to_json_line};

pub async fn run(ctx: &Context, list: MembersList) -> Result<Outcome, Failure> {
    let client = ctx.reading_client()?;
    // Losant filters on one field: the email when given, else the role; the role is then
    // judged on its answer.
    let query = MemberQuery {
        filter: match (&list.email, list.role) {
            (Some(glob), _) => Some(InviteFilter::Email(glob.clone())),
            (None, Some(role)) => Some(InviteFilter::Role(role)),
            (None, None) => None,
        },
        sort: list.sort.as_ref().map(|sort| (sort.field, sort.direction)),
    };
    let snapshot = Snapshot::read_members(&client, &Context::org(&list.org), &query)
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let selection = losant_invites_housekeeping::MemberSelection {
        email: list.email.clone(),
        role: list.role,
    };
    let chosen = selection.choose(&snapshot);
    match ctx.output() {
        Output::Text if chosen.is_empty() => print_line("no members match"),
        Output::Text => print_bytes(member_table(chosen.iter().copied(), Rows::All).as_bytes()),
        Output::Json => {
            // Losant's collection as it sent it (read_members always reads one).
            let Some(mut collection) = snapshot.member_listing.clone() else {
                print_line(to_json(&chosen));
                return Ok(Outcome::SUCCESS);
            };
            if collection.items.is_some() {
                if chosen.len() != snapshot.members.len() {
                    collection.count = Some(chosen.len() as i64);
                }
                collection.items = Some(chosen.into_iter().cloned().collect::<Vec<_>>().into());
            }
            print_line(to_json(&collection));
        }
        Output::Ndjson | Output::Ids => {
            for member in chosen {
                print_line(to_json_line(member));
            }
        }
    }
    Ok(Outcome::SUCCESS)
}
