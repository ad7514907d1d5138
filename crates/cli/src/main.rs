//! `losant-invites`: look up, resend and revoke Losant instance organization invites.

mod args;
mod bulk;
mod commands;
mod exit;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    init_tracing(cli.verbosity());
    // One thread is plenty for a few concurrent requests and keeps start-up quick.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("losant-invites: cannot start: {e}");
            return ExitCode::from(exit::TRANSPORT);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(outcome) => outcome.into(),
        Err(failure) => {
            eprintln!("losant-invites: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Traces to stderr: `-v` shows each request, `-vv` everything. The client never puts the
/// token in a trace.
fn init_tracing(verbosity: u8) {
    let level = match verbosity {
        0 => return,
        1 => tracing_subscriber::filter::LevelFilter::INFO,
        _ => tracing_subscriber::filter::LevelFilter::TRACE,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
