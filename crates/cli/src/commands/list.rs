//! `losant-invites list`: the organization's invites as Losant lists them (filtered and sorted
//! by Losant), narrowed by what Losant's list cannot ask (expiry, age), and printed as a table,
//! Losant's collection, one invite a line, or one ID a line.

use losant_invites_housekeeping::{InviteQuery, Snapshot};

use crate::args::{List, Output};
use crate::choose;
use crate::context::Context;
use crate::exit::{Failure, Outcome};
use crate::output::{Rows, invite_table, print_bytes, print_line, to_json, to_json_line};

pub async fn run(ctx: &Context, list: List) -> Result<Outcome, Failure> {
    let client = ctx.reading_client()?;
    let selection = choose::selection(&list.select, list.role);
    let query = InviteQuery {
        sort: list.sort.as_ref().map(|sort| (sort.field, sort.direction)),
        ..selection.query()
    };
    let snapshot = Snapshot::read_invites(&client, &Context::org(&list.org), &query)
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let chosen = selection.choose(&snapshot);
    match ctx.output() {
        Output::Text if chosen.is_empty() => print_line("no invites match"),
        Output::Text => print_bytes(
            invite_table(chosen.iter().copied(), snapshot.taken_at, Rows::All).as_bytes(),
        ),
        Output::Json => {
            // Losant's collection as it sent it, but for the invites narrowed out here; its
            // count then counts the invites shown.
            let mut collection = snapshot.invite_listing.clone();
            if collection.items.is_some() {
                if chosen.len() != snapshot.invites.len() {
                    collection.count = Some(chosen.len() as i64);
                }
                collection.items = Some(chosen.into_iter().cloned().collect::<Vec<_>>().into());
            }
            print_line(to_json(&collection));
        }
        Output::Ndjson => {
            for invite in chosen {
                print_line(to_json_line(invite));
            }
        }
        Output::Ids => {
            for id in chosen.iter().filter_map(|invite| invite.id.as_ref()) {
                print_line(id);
            }
        }
    }
    Ok(Outcome::SUCCESS)
}
