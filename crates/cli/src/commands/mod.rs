//! The commands, one file each; this only sends a parsed command line to its command.

mod access;
mod completions;
mod delete;
mod get;
mod invite;
mod list;
mod members;
mod mock;
mod renew;
mod resend;
mod sync;

use std::mem::take;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::exit::{Failure, Outcome};

/// Runs `cli` to its end, or to the failure that stopped it.
pub async fn run(cli: Cli) -> Result<Outcome, Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Mock(args) => mock::run(args).await,
        Command::Completions { shell } => Ok(completions::run(shell)),
        Command::List(mut list) => {
            let ctx = Context::for_list(global.merged(take(&mut list.global)));
            list::run(&ctx, list).await
        }
        Command::Get(mut get) => {
            let ctx = Context::new(global.merged(take(&mut get.global)))?;
            get::run(&ctx, get).await
        }
        Command::Delete(mut delete) => {
            let ctx = Context::new(global.merged(take(&mut delete.global)))?;
            delete::run(&ctx, delete).await
        }
        Command::Resend(mut resend) => {
            let ctx = Context::new(global.merged(take(&mut resend.global)))?;
            resend::run(&ctx, resend).await
        }
        Command::Renew(mut renew) => {
            let ctx = Context::new(global.merged(take(&mut renew.global)))?;
            renew::run(&ctx, renew).await
        }
        Command::Access(mut access) => {
            let ctx = Context::new(global.merged(take(&mut access.global)))?;
            access::run(&ctx, access).await
        }
        Command::Members(members) => members::run(global, members.command).await,
        Command::Sync(mut sync) => {
            let ctx = Context::new(global.merged(take(&mut sync.global)))?;
            sync::run(&ctx, sync).await
        }
        Command::Invite(mut invite) => {
            let ctx = Context::new(global.merged(take(&mut invite.global)))?;
            invite::run(&ctx, invite).await
        }
    }
}
