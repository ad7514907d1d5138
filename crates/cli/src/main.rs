//! `losant-invites`: look up, resend and revoke Losant instance organization invites, and
//! keep them in order, from a shell. The jobs are `losant-invites-housekeeping`'s; this reads
//! the command line, asks, draws and exits.

mod args;
mod choose;
mod commands;
mod context;
mod exit;
mod files;
mod job;
mod output;
mod plan_view;
mod run_view;
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
