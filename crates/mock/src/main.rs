//! `losant-invites-mock`: a fake Losant Instance Org Invite API on a local port.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = losant_invites_mock::MockArgs::parse();
    match losant_invites_mock::run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("losant-invites-mock: {error}");
            std::process::ExitCode::from(2)
        }
    }
}
