//! `losant-invites` in real shells: what bash, zsh and fish complete for a few partial command
//! lines, and the README's walkthrough and install line run as they stand. `.ci/run` installs
//! the shells from Debian's packages when they are missing; elsewhere a test whose shell is
//! missing says so and passes without running.

mod support;

use support::have;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The directory of the built `losant-invites`, to put first on `PATH`.
fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("losant-invites")
        .parent()
        .expect("a directory")
        .to_owned()
}

fn path_with_bin() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A fresh directory for one test, as a new user's home or working directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("losant-invites-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `shell -c script` in `dir` with the built binary on `PATH` and `HOME` at `dir`,
/// killing it after a minute.
fn run_in(shell: &str, script: &str, dir: &Path) -> Output {
    let mut child = Command::new(shell)
        .args(["-c", script])
        .current_dir(dir)
        .env("PATH", path_with_bin())
        .env("HOME", dir)
        .env_remove("LOSANT_API_URL")
        .env_remove("LOSANT_API_TOKEN")
        .env_remove("LOSANT_INSTANCE_ID")
        .env_remove("LOSANT_ORG_ID")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{shell} did not start: {e}"));
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The README's code block after the HTML comment that starts with `marker`.
fn readme_block(marker: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let after = &readme[readme.find(marker).expect("the marker is in README.md")..];
    let start = after.find("```sh\n").expect("a sh block") + "```sh\n".len();
    let end = after[start..].find("```").expect("the block ends");
    after[start..start + end].to_owned()
}

/// What bash's completion of the real script offers for `words`, the cursor on the last.
fn bash_offers(words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <(losant-invites completions bash)\n\
         COMP_WORDS=({words}); COMP_CWORD={cword}\n\
         complete -p losant-invites >/dev/null || exit 7\n\
         _losant_invites losant-invites \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        cword = words.len() - 1
    );
    let dir = scratch("bash");
    let output = run_in("bash", &script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn bash_completes_commands_options_and_values() {
    if !have("bash") {
        return;
    }
    assert!(bash_offers(&["losant-invites", "de"]).contains(&"delete".to_owned()));
    let options = bash_offers(&["losant-invites", "get", "--o"]);
    assert!(
        options.contains(&"--output".to_owned()) && options.contains(&"--org-id".to_owned()),
        "{options:?}"
    );
    let roles = bash_offers(&["losant-invites", "resend", "--role", ""]);
    assert_eq!(roles, ["admin", "edit", "collaborate", "view", "none"]);
    let commands = bash_offers(&["losant-invites", ""]);
    assert!(
        commands.contains(&"list".to_owned()) && commands.contains(&"invite".to_owned()),
        "{commands:?}"
    );
    // `ids` is offered only where it works.
    let outputs = bash_offers(&["losant-invites", "get", "--output", ""]);
    assert_eq!(outputs, ["text", "json", "ndjson"]);
    let outputs = bash_offers(&["losant-invites", "list", "--output", ""]);
    assert_eq!(outputs, ["text", "json", "ndjson", "ids"]);
}

/// What fish offers for `line` in a directory holding `ids.txt`.
fn fish_offers(line: &str) -> Vec<String> {
    let dir = scratch("fish");
    std::fs::write(dir.join("ids.txt"), "").unwrap();
    let script =
        format!("losant-invites completions fish | source; complete --do-complete '{line}'");
    let output = run_in("fish", &script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn fish_completes_options_values_and_files_only_where_a_file_is_wanted() {
    if !have("fish") {
        return;
    }
    let options = fish_offers("losant-invites get --o");
    assert!(
        options.contains(&"--output".to_owned()) && options.contains(&"--org-id".to_owned()),
        "{options:?}"
    );
    let mut roles = fish_offers("losant-invites resend --role ");
    roles.sort();
    assert_eq!(roles, ["admin", "collaborate", "edit", "none", "view"]);
    assert_eq!(
        fish_offers("losant-invites get --invite-ids-from ids"),
        ["ids.txt"]
    );
    assert!(
        fish_offers("losant-invites get --instance-id ").is_empty(),
        "an ID is not a file"
    );
}

/// Drives an interactive zsh in a pseudo-terminal (`zpty`), types `$1` and Tab, and prints
/// every match completion adds, one per line, as `HIT:match`. The markers are typed as
/// `RE""ADY` and `DO""NE` so that only the shell's output matches them, not the terminal's
/// echo of the typing: otherwise the Tab could be typed ahead while the shell is still busy,
/// and a busy shell may drop it.
const ZSH_OFFERS: &str = r#"
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PROMPT= RPROMPT= PS2='
zpty -w z 'autoload -U compinit && compinit -u'
zpty -w z 'source <(losant-invites completions zsh)'
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do print -r -- "HIT:$h" >/dev/tty; done; builtin compadd "$@"; }'
zpty -w z 'print -- RE""ADY'
zpty -r z line '*READY*'
zpty -n -w z "$1"$'\t'
zpty -w z $'\C-u'
zpty -w z 'print -- DO""NE'
zpty -r z out '*DONE*'
print -r -- "$out"
zpty -d z
"#;

fn zsh_offers(line: &str) -> Vec<String> {
    let dir = scratch("zsh");
    std::fs::write(dir.join("ids.txt"), "").unwrap();
    std::fs::write(dir.join("offers.zsh"), ZSH_OFFERS).unwrap();
    let output = Command::new("zsh")
        .args(["-f", "offers.zsh", line])
        .current_dir(&dir)
        .env("PATH", path_with_bin())
        .env("HOME", &dir)
        .output()
        .expect("zsh starts");
    // A hit may follow the echoed command line on the same line: split on the marker.
    let mut hits: Vec<String> = text(&output.stdout)
        .split("HIT:")
        .skip(1)
        .filter_map(|rest| rest.lines().next())
        .map(|hit| hit.trim_end_matches('\r').to_owned())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    hits.sort();
    hits.dedup();
    hits
}

#[test]
fn zsh_completes_options_values_and_files_only_where_a_file_is_wanted() {
    if !have("zsh") {
        return;
    }
    let options = zsh_offers("losant-invites get --o");
    assert!(
        options.contains(&"--output".to_owned()) && options.contains(&"--org-id".to_owned()),
        "{options:?}"
    );
    assert_eq!(
        zsh_offers("losant-invites resend --role "),
        ["admin", "collaborate", "edit", "none", "view"]
    );
    assert!(
        zsh_offers("losant-invites get --invite-ids-from ").contains(&"ids.txt".to_owned()),
        "a file is wanted here"
    );
    assert!(
        !zsh_offers("losant-invites get --instance-id ").contains(&"ids.txt".to_owned()),
        "an ID is not a file"
    );
}

/// The JSON documents printed one after another, between lines that are not JSON.
fn json_documents(text: &str) -> Vec<serde_json::Value> {
    let mut documents = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{', '[']) {
        let mut stream =
            serde_json::Deserializer::from_str(&rest[start..]).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(document)) => {
                documents.push(document);
                rest = &rest[start + stream.byte_offset()..];
            }
            _ => rest = &rest[start + 1..],
        }
    }
    documents
}

#[test]
fn the_readme_walkthrough_runs_as_it_stands_in_bash_and_zsh() {
    let walkthrough = readme_block("<!-- walkthrough:");
    for shell in ["bash", "zsh"].into_iter().filter(|shell| have(shell)) {
        let dir = scratch(&format!("walkthrough-{shell}"));
        let output = run_in(shell, &walkthrough, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(output.status.success(), "{shell}: {stdout}\n{stderr}");
        assert!(
            stdout.contains("exit code 0"),
            "{shell}: {stdout}\n{stderr}"
        );
        assert!(
            stdout.contains(r#""email": "invitee@example.com""#),
            "{shell}: the get printed the invite: {stdout}"
        );
        assert!(
            stdout.contains(r#""email": "new.member@example.com""#),
            "{shell}: the invite printed the new invite: {stdout}"
        );
        let documents = json_documents(&stdout);
        let summaries: Vec<&serde_json::Value> = documents
            .iter()
            .filter_map(|document| document.get("summary"))
            .collect();
        assert_eq!(
            summaries.len(),
            4,
            "{shell}: four housekeeping runs: {stdout}"
        );
        assert!(
            summaries.iter().all(|summary| summary["failed"] == 0),
            "{shell}: nothing failed: {stdout}"
        );
        assert!(
            summaries[0]["succeeded"].as_u64() > Some(0),
            "{shell}: stale invites were deleted: {stdout}"
        );
        let renewed = &documents
            .iter()
            .find(|document| document["results"][0].get("before").is_some())
            .unwrap_or_else(|| panic!("{shell}: a renew run: {stdout}"))["results"];
        assert!(
            renewed
                .as_array()
                .unwrap()
                .iter()
                .all(|item| item["answer"]["hasExpired"] == false),
            "{shell}: the expired invites were renewed: {stdout}"
        );
        assert_eq!(
            (
                summaries[2]["succeeded"].as_u64(),
                summaries[2]["skipped"].as_u64()
            ),
            (Some(1), Some(2)),
            "{shell}: the roster invited ana and skipped ada and mia: {stdout}"
        );
        assert_eq!(
            (
                summaries[3]["succeeded"].as_u64(),
                summaries[3]["skipped"].as_u64()
            ),
            (Some(0), Some(3)),
            "{shell}: the roster again invited nobody: {stdout}"
        );
        assert!(
            documents
                .iter()
                .any(|document| document["members"] == 5 && document["items"].is_array()),
            "{shell}: access showed everyone: {stdout}"
        );
        assert!(
            !stderr.contains("error"),
            "{shell}: nothing failed: {stderr}"
        );
    }
}

#[test]
fn the_readme_sync_walkthrough_runs_as_it_stands_in_bash_and_zsh() {
    let walkthrough = readme_block("<!-- sync walkthrough:");
    for shell in ["bash", "zsh"].into_iter().filter(|shell| have(shell)) {
        let dir = scratch(&format!("sync-walkthrough-{shell}"));
        let output = run_in(shell, &walkthrough, &dir);
        let plan = std::fs::read_to_string(dir.join("plan.json")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(output.status.success(), "{shell}: {stdout}\n{stderr}");
        // Refused first, with nothing changed; then the saved plan applied; then nothing to do.
        let refused = stdout.find("exit code 2");
        let converged = stdout.find("exit code 0");
        assert!(
            refused.is_some() && converged > refused,
            "{shell}: {stdout}\n{stderr}"
        );
        assert!(
            stderr.contains("more than the 5 --max-removals 5 allows"),
            "{shell}: {stderr}"
        );
        let saved: serde_json::Value =
            serde_json::from_str(&plan).unwrap_or_else(|e| panic!("{shell}: plan.json: {e}"));
        assert!(saved["fingerprint"].is_string(), "{shell}: {plan}");
        let documents = json_documents(&stdout);
        let summaries: Vec<&serde_json::Value> = documents
            .iter()
            .filter_map(|document| document.get("summary"))
            .collect();
        assert_eq!(summaries.len(), 2, "{shell}: two runs: {stdout}");
        assert_eq!(summaries[0]["failed"], 0, "{shell}: {stdout}");
        assert_eq!(
            summaries[0]["done"],
            serde_json::json!({"invite": 1, "setRole": 1, "remove": 1, "revoke": 14}),
            "{shell}: {stdout}"
        );
        assert!(
            summaries[1].get("done").is_none() && summaries[1]["skipped"] == summaries[1]["total"],
            "{shell}: the second run had nothing to do: {stdout}"
        );
        assert!(
            stdout.contains("email,role,applicationRoles,dashboardRoles\n"),
            "{shell}: the undo record: {stdout}"
        );
        assert!(
            stdout.contains("john@example.net,view,,"),
            "{shell}: {stdout}"
        );
    }
}

#[test]
fn the_readme_completion_install_line_works_on_a_fresh_home() {
    if !have("bash") {
        return;
    }
    let install = readme_block("<!-- completions:");
    let home = scratch("fresh-home");
    let output = run_in("bash", &install, &home);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let script = std::fs::read_to_string(
        home.join(".local/share/bash-completion/completions/losant-invites"),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    assert!(script.contains("complete -F _losant_invites"), "{script}");
}
