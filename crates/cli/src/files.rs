//! Reading what a command is given in a file, or on stdin for `-`.

use std::io::Read;
use std::path::Path;

use losant_invites_housekeeping::Roster;

use crate::exit::Failure;
use crate::output::say;

/// The bytes of FILE (or stdin for `-`), holding `what`.
pub fn read_input(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(drop)
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| Failure::usage(format!("cannot read {what} from {}: {e}", path.display())))?;
    Ok(bytes)
}

/// The roster in FILE (or stdin for `-`), every row checked: its problems, each by line, are
/// a usage failure with nothing sent; its notes (columns not read) are said on stderr.
pub fn read_roster(path: &Path) -> Result<Roster, Failure> {
    let source = path.display();
    let bytes = read_input(path, "the roster")?;
    let roster = Roster::parse(&bytes).map_err(|e| {
        Failure::usage(format!(
            "invalid roster {source}, nothing was sent:\n  {}",
            e.to_string().replace('\n', "\n  ")
        ))
    })?;
    for note in &roster.notes {
        say(format!("losant-invites: {source}: {note}"));
    }
    Ok(roster)
}
