//! `losant-invites list`: the organization's invites as Losant lists them (filtered and sorted
//! by Losant), narrowed by what Losant's list cannot ask (expiry, age), and printed as a table,
//! Losant's collection, one invite a line, or one ID a line.

use losant_invites_client::types;

use crate::args::{Global, List, Output};
use crate::commands::{client, output};
use crate::exit::{Failure, Outcome};
use crate::output::{print_bytes, print_line, to_json, to_json_line};
use crate::select::{fetch, table};

pub async fn run(global: &Global, mut list: List) -> Result<Outcome, Failure> {
    let client = client(global)?;
    list.select.role = list.role;
    let selection = fetch(global, &client, &list.org, &list.select, list.sort.as_ref()).await?;
    let mut collection = selection.collection;
    // The collection as Losant sent it, but for the invites the local selectors dropped.
    if selection.had_items {
        collection.items = Some(selection.chosen.into());
    }
    let items: &[types::OrgInvite] = collection.items.as_deref().map_or(&[], Vec::as_slice);
    match output(global) {
        Output::Text if items.is_empty() => print_line("no invites match"),
        Output::Text => print_bytes(table(items, selection.now).as_bytes()),
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
