//! `losant-invites`: look up, resend and revoke Losant instance organization invites.

mod args;
mod bulk;
mod commands;
mod completions;
mod exit;
mod invite;
mod list;
mod output;
mod renew;
mod roster;
mod select;
mod verbose;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    verbose::init(cli.verbosity());
    // One thread is plenty for a few concurrent requests and keeps start-up quick.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            output::say(format!("losant-invites: cannot start: {e}"));
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(outcome) => outcome.into(),
        Err(failure) => {
            output::say(format!("losant-invites: {}", failure.message));
            ExitCode::from(failure.code)
        }
    }
}
