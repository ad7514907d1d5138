//! `losant-invites mock`: a local fake Losant, the same as the `losant-invites-mock` binary.

use crate::exit::{Failure, Outcome};

pub async fn run(args: losant_invites_mock::MockArgs) -> Result<Outcome, Failure> {
    losant_invites_mock::run(args)
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    Ok(Outcome::SUCCESS)
}
