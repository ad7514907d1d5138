//! Reading what a command is given in a file, or on stdin for `-`.

use std::io::Read;
use std::path::Path;

use crate::exit::Failure;

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
