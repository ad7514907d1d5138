//! Helpers shared by the workspace-level tests.

use std::path::PathBuf;

/// The spec every test reads: the workspace's `openapi/losant-invites.yaml`.
pub fn spec_text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/losant-invites.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
