//! Generates the client from the OpenAPI spec into `OUT_DIR/codegen.rs`.

use std::{env, fs, path::PathBuf};

/// The spec, inside this package (a link to the workspace's `openapi/` folder), so a packaged
/// crate still builds from it.
const SPEC: &str = "openapi/losant-invites.yaml";

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    let spec = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    let source = losant_invites_codegen::generate(&spec).unwrap_or_else(|e| panic!("{e}"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("codegen.rs");
    fs::write(&out, source).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
