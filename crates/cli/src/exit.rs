//! Exit codes, as `--help` documents them, and the one-line failures behind them.

use std::process::ExitCode;

use losant_invites_client::{Error, ErrorKind};

/// The API answered with an error.
pub const API_ERROR: u8 = 1;
/// Usage error or invalid input; nothing was sent.
pub const USAGE: u8 = 2;
/// Transport failure or timeout.
pub const TRANSPORT: u8 = 3;
/// Interrupted by SIGINT or SIGTERM: 128 + SIGINT, as shells report it.
pub const INTERRUPTED: u8 = 130;
/// Stdout was closed: 128 + SIGPIPE, as shells report a program a pipe stopped.
pub const BROKEN_PIPE: u8 = 141;

/// How a command ended when it ran to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome(pub u8);

impl Outcome {
    pub const SUCCESS: Outcome = Outcome(0);

    /// A bulk run's code from the codes of its failures: an API error anywhere makes it 1,
    /// else a transport failure makes it 3, else an item refused as invalid makes it 2.
    pub fn of_failures(codes: &[u8]) -> Outcome {
        if codes.contains(&API_ERROR) {
            Outcome(API_ERROR)
        } else if codes.contains(&TRANSPORT) {
            Outcome(TRANSPORT)
        } else if codes.is_empty() {
            Outcome::SUCCESS
        } else {
            Outcome(USAGE)
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome.0)
    }
}

/// The exit code of a client error.
pub fn code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::InvalidInput => USAGE,
        ErrorKind::Transport | ErrorKind::Timeout => TRANSPORT,
        _ => API_ERROR,
    }
}

/// A command that stopped: its exit code and the line printed on stderr.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            code: code(&error),
            message: error.to_string(),
        }
    }
}
