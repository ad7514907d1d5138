//! `losant-invites members …`: one file a subcommand; this only dispatches.

mod add;
mod get;
mod list;
mod remove;
mod set_role;

use crate::args::{Global, MembersCommand};
use crate::args::{GlobalArgs, ListFormat};
use crate::context::Context;
use crate::exit::{Failure, Outcome};

/// Runs `command`, with the options given before `members` in `before`.
pub async fn run(
    before: GlobalArgs<ListFormat>,
    command: MembersCommand,
) -> Result<Outcome, Failure> {
    let context = |global: Global| Context::new(global);
    match command {
        MembersCommand::List(mut list) => {
            let ctx = context(before.merged(std::mem::take(&mut list.global)))?;
            list::run(&ctx, list).await
        }
        MembersCommand::Get(mut get) => {
            let ctx = context(before.merged(std::mem::take(&mut get.global)))?;
            get::run(&ctx, get).await
        }
        MembersCommand::Add(mut add) => {
            let ctx = context(before.merged(std::mem::take(&mut add.global)))?;
            add::run(&ctx, add).await
        }
        MembersCommand::SetRole(mut set) => {
            let ctx = context(before.merged(std::mem::take(&mut set.global)))?;
            set_role::run(&ctx, set).await
        }
        MembersCommand::Remove(mut remove) => {
            let ctx = context(before.merged(std::mem::take(&mut remove.global)))?;
            remove::run(&ctx, remove).await
        }
    }
}
