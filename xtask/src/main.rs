//! Maintainer tasks, run as `cargo xtask <task>`.
//!
//! `bench` runs a short version of the benchmarks and prints the table the README quotes.
//!
//! `codegen` rewrites the reviewed copy of the generated client, the insta snapshot under
//! `tests/snapshots/`, from `openapi/`. With `--check` it changes nothing and fails with a diff
//! when the committed copy is stale, which is how CI keeps the spec and the review in step.
//!
//! Keep this crate small: every dependency added here slows every maintainer's first build.

mod bench;

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

/// Where the spec lives, relative to the workspace root.
const SPEC: &str = "openapi/losant-invites.yaml";
/// The snapshot that `tests/generated_surface.rs` compares the generated source with.
const SNAPSHOT: &str = "tests/snapshots/generated_surface__generated_client.snap";
/// The header insta writes for that snapshot, so `cargo test` reads our file as its own.
const SNAPSHOT_HEADER: &str = "---\nsource: tests/generated_surface.rs\nexpression: source\n---\n";

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench

tasks:
  codegen          regenerate the reviewed copy of the generated client from openapi/
  codegen --check  fail with a diff if the committed copy is stale
  bench            a short run of the benchmarks: the SDK against raw reqwest and hyper, and
                   the CLI's cold start against curl, in one table";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
        ["bench"] => bench::run(&workspace_root()),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(PartialEq)]
enum Mode {
    Write,
    Check,
}

fn codegen(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let spec_path = root.join(SPEC);
    let spec = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let source = losant_invites_codegen::generate(&spec).map_err(|e| e.to_string())?;
    let wanted = format!("{SNAPSHOT_HEADER}{}\n", source.trim_end());

    let snapshot_path = root.join(SNAPSHOT);
    // A missing snapshot is simply stale: the first run creates it.
    let committed = fs::read_to_string(&snapshot_path).unwrap_or_default();
    if committed == wanted {
        println!("{SNAPSHOT} is up to date");
        return Ok(());
    }
    match mode {
        Mode::Check => {
            let diff = similar::TextDiff::from_lines(&committed, &wanted)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{SNAPSHOT} (committed)"),
                    &format!("{SNAPSHOT} (generated)"),
                )
                .to_string();
            Err(format!(
                "{diff}\n{SNAPSHOT} is stale: the generated client differs from the reviewed copy.\n\
                 Run `cargo xtask codegen`, review the diff and commit it."
            ))
        }
        Mode::Write => {
            write(&snapshot_path, &wanted)?;
            println!("wrote {SNAPSHOT}: review the diff and commit it");
            Ok(())
        }
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn workspace_root() -> PathBuf {
    // This crate sits one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
