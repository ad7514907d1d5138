//! What the published manifests promise consumers: the client generates with exactly the
//! generator it was reviewed with, and publishes only the runtime features it uses.

use std::path::PathBuf;

fn manifest(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The requirement of `dependency` in a manifest's text, as written.
fn requirement<'a>(text: &'a str, dependency: &str) -> Option<&'a str> {
    let line = text
        .lines()
        .find(|line| line.starts_with(&format!("{dependency} =")))?;
    let version = line.split("version = \"").nth(1)?;
    version.split('"').next()
}

#[test]
fn the_client_pins_its_generator_exactly() {
    let client = manifest("crates/client/Cargo.toml");
    let build = client
        .split("[build-dependencies]")
        .nth(1)
        .expect("the client has build-dependencies");
    assert!(
        build.contains("losant-invites-codegen.workspace = true"),
        "the client's generator comes from the workspace's pin"
    );
    let workspace = manifest("Cargo.toml");
    let pin = requirement(&workspace, "losant-invites-codegen")
        .expect("the workspace names the generator's version");
    assert!(
        pin.starts_with('=') && pin.matches('.').count() == 2,
        "losant-invites-codegen = {pin:?}: a published client must pin its generator exactly"
    );
    let codegen = manifest("crates/codegen/Cargo.toml");
    assert!(codegen.contains("version.workspace = true"));
    let workspace_version = workspace
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .expect("the workspace's version");
    assert_eq!(
        &pin[1..],
        workspace_version,
        "the pin names this very generator"
    );
}

#[test]
fn the_client_publishes_only_the_runtime_it_uses() {
    let client = manifest("crates/client/Cargo.toml");
    let normal = client
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("the client has dependencies");
    let tokio = normal
        .lines()
        .find(|line| line.starts_with("tokio ="))
        .expect("the client depends on tokio");
    assert!(
        !tokio.contains("workspace"),
        "{tokio}: not the workspace's features"
    );
    assert!(tokio.contains("default-features = false"), "{tokio}");
    for feature in ["rt-multi-thread", "macros", "net"] {
        assert!(
            !tokio.contains(feature),
            "{tokio}: {feature} is for tests and examples"
        );
    }
}
