//! `losant-invites sync` as an administrator or a script runs it, against the fake over
//! loopback: access made to match a roster and a rerun that does nothing; an invite accepted
//! between two runs; faults, Ctrl-C and a rerun ending with exactly the roster; the refusals
//! (the cap, the administrators, the roster, no terminal) with nothing changed; plans saved,
//! applied later, and refused when stale; the undo record put back.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use losant_invites_mock::{Action, Fault, demo};
use serde_json::{Value, json};
use support::{Fake, args, code, ndjson, stderr, stdout_json};

const FRANCES: &str = "5f3c1a2b9d8e7f6100000001";
const JOHN: &str = "5f3c1a2b9d8e7f6100000002";
const MIA: &str = "5f3c1a2b9d8e7f6100000004";

/// The demo organization's roster used throughout: the owner stays the administrator, sam
/// keeps edit, mia goes from collaborate down to view, ana is new, grace's pending invite
/// holds other roles, late's only invite has expired.
const ROSTER: &str = "email,role
owner@example.com,admin
sam@partner.example,edit
Mia@Example.org,view
ana@example.com,view
grace@example.org,view
late@example.com,edit
";

/// A file of the test's own holding `text`, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        // Tests run side by side in one process: a name of each test's own.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "sync-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.0).unwrap_or_default()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn sync(fake: &Fake, rest: &[&str]) -> Output {
    fake.run(&args("sync", rest))
}

fn summary(output: &Output) -> Value {
    ndjson(output).last().expect("a summary")["summary"].clone()
}

/// The methods of the requests the fake received, from the `from`th on.
fn methods_since(fake: &Fake, from: usize) -> Vec<String> {
    fake.server.requests()[from..]
        .iter()
        .map(|request| request.method.clone())
        .collect()
}

/// Who has access now, through the CLI: each email (lower case) with its members' roles and
/// its pending invites' roles.
fn access(fake: &Fake) -> BTreeMap<String, Vec<String>> {
    let output = fake.run(&args("access", &["--output", "json"]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut access: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in stdout_json(&output)["items"].as_array().unwrap() {
        if item["status"] == "expired" {
            continue;
        }
        let email = item["email"].as_str().unwrap().to_lowercase();
        let apps = item["applicationRoles"]
            .as_array()
            .map_or(0, |grants| grants.len());
        access.entry(email).or_default().push(format!(
            "{} {}{}",
            item["status"].as_str().unwrap(),
            item["role"].as_str().unwrap(),
            if apps > 0 { " +applications" } else { "" }
        ));
    }
    access
}

/// The access a roster of `rows` (email, role) gives when everyone on it is as it wants:
/// each email once, a member or a pending invite, with the roster's role.
fn matches_roster(access: &BTreeMap<String, Vec<String>>, rows: &[(&str, &str)]) {
    let wanted: BTreeSet<String> = rows.iter().map(|(email, _)| email.to_lowercase()).collect();
    let have: BTreeSet<String> = access.keys().cloned().collect();
    assert_eq!(have, wanted, "exactly the roster has access: {access:#?}");
    for (email, role) in rows {
        let held = &access[&email.to_lowercase()];
        assert_eq!(
            held.len(),
            1,
            "{email}: one membership or one invite: {held:?}"
        );
        assert!(
            held[0] == format!("member {role}") || held[0] == format!("pending {role}"),
            "{email}: {held:?}, wanted {role}"
        );
    }
}

#[test]
fn a_sync_makes_access_match_the_roster_and_a_rerun_does_nothing() {
    let fake = Fake::demo();
    let removed = TempFile::new("removed.csv", "");
    let run = fake.run_with_stdin(
        &args(
            "sync",
            &[
                "--from",
                "-",
                "--prune",
                "--max-removals",
                "100%",
                "--keep",
                "frances@*",
                "--removed-out",
                removed.path(),
                "--yes",
                "--output",
                "ndjson",
            ],
        ),
        ROSTER,
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // The plan comes first, on stderr, counted by kind.
    let said = stderr(&run);
    assert!(
        said.contains("1 to invite, 1 to resend with the roster's roles, 1 to renew, 1 to change role, 1 to remove, 12 to revoke"),
        "{said}"
    );
    assert!(said.contains("kept by --keep frances@*"), "{said}");
    let account = summary(&run);
    assert_eq!(
        account["done"],
        json!({"invite": 1, "resend": 1, "renew": 1, "setRole": 1, "remove": 1, "revoke": 12}),
        "{account}"
    );
    assert_eq!(account["failed"], 0, "{account}");
    // Each change is a line of its own, with its kind.
    let kinds: Vec<Value> = ndjson(&run)
        .iter()
        .filter(|line| line.get("summary").is_none() && line["skipped"] != true)
        .map(|line| line["action"].clone())
        .collect();
    assert_eq!(kinds.len(), 17);

    // The roster's people with its roles, frances kept, nobody else.
    let now = access(&fake);
    let mut rows = vec![
        ("owner@example.com", "admin"),
        ("sam@partner.example", "edit"),
        ("mia@example.org", "view"),
        ("ana@example.com", "view"),
        ("grace@example.org", "view"),
        ("late@example.com", "edit"),
    ];
    rows.push(("frances@example.net", "admin"));
    matches_roster(&now, &rows);
    assert!(
        fake.server
            .member(demo::INSTANCE_ID, demo::ORG_ID, JOHN)
            .is_none()
    );

    // The undo record: everyone who lost access, with the roles they had; frances kept hers.
    let record = removed.text();
    let lines: Vec<&str> = record.lines().collect();
    assert_eq!(lines[0], "email,role,applicationRoles,dashboardRoles");
    assert_eq!(lines.len(), 12, "{record}");
    assert!(lines.contains(&"john@example.net,view,,"), "{record}");
    assert!(lines.contains(&"ada@example.com,admin,,"), "{record}");
    assert!(!record.contains("frances"), "{record}");

    // Run again: nothing to do, said so, exit 0, and only the two lists are read.
    let before = fake.sent();
    let again = fake.run_with_stdin(
        &args(
            "sync",
            &[
                "--from",
                "-",
                "--prune",
                "--keep",
                "frances@*",
                "--removed-out",
                removed.path(),
                "--output",
                "text",
            ],
        ),
        ROSTER,
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        removed.text(),
        record,
        "a run removing nobody keeps the record"
    );
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.ends_with("nothing to do: 3 in sync, 3 already invited, 1 kept by --keep\n"),
        "{said}"
    );
    assert_eq!(methods_since(&fake, before), ["GET", "GET"]);

    // The undo record is a roster `invite --from` reads: it would invite the 11 again.
    let undo = fake.run(&args(
        "invite",
        &["--from", removed.path(), "--dry-run", "--output", "json"],
    ));
    assert_eq!(code(&undo), 0, "{}", stderr(&undo));
    assert_eq!(stdout_json(&undo)["requests"].as_array().unwrap().len(), 11);
}

#[test]
fn an_invite_accepted_between_two_runs_is_a_member_the_next_run_never_invites() {
    let fake = Fake::demo();
    let roster = "email,role\nowner@example.com,admin\njoiner@example.com,view\n";
    let first = fake.run_with_stdin(
        &args("sync", &["--from", "-", "--yes", "--output", "ndjson"]),
        roster,
    );
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let invite_id = ndjson(&first)
        .iter()
        .find(|line| line["action"] == "invite")
        .expect("joiner invited")["answer"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The invitee accepts through Losant's acceptance action, with the mail's token.
    assert_eq!(support::accept(&fake, &invite_id), 200);

    // The roster now wants joiner as an editor: a member, so their role is set.
    let roster = "email,role\nowner@example.com,admin\njoiner@example.com,edit\n";
    let before = fake.sent();
    let second = fake.run_with_stdin(
        &args("sync", &["--from", "-", "--yes", "--output", "ndjson"]),
        roster,
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(summary(&second)["done"], json!({"setRole": 1}));
    assert_eq!(methods_since(&fake, before), ["GET", "GET", "PATCH"]);
    assert_eq!(access(&fake)["joiner@example.com"], ["member edit"]);
    let invites_made = fake
        .server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/invites") && r.path.contains("/orgs/"))
        .count();
    assert_eq!(invites_made, 1, "joiner was invited once");
}

#[test]
fn a_sync_through_faults_then_a_rerun_ends_with_exactly_the_roster() {
    let fake = Fake::demo();
    let mut rows: Vec<(String, &str)> = vec![
        ("owner@example.com".to_owned(), "admin"),
        ("sam@partner.example".to_owned(), "edit"),
    ];
    rows.extend((0..8).map(|i| (format!("new{i}@example.com"), "view")));
    let roster: String = std::iter::once("email,role\n".to_owned())
        .chain(rows.iter().map(|(email, role)| format!("{email},{role}\n")))
        .collect();
    // Answers lost after acting, refusals, and a connection closed before acting, on every
    // kind of change.
    fake.server.script(
        Action::Create,
        [
            Fault::Truncate,
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::Html { status: 502 },
            Fault::Drop,
        ],
    );
    fake.server
        .script(Action::RemoveMember, [Fault::Truncate, Fault::Drop]);
    fake.server.script(
        Action::Delete,
        [
            Fault::Truncate,
            Fault::Status {
                status: 500,
                retry_after: None,
            },
        ],
    );
    let options = [
        "--from",
        "-",
        "--prune",
        "--max-removals",
        "100%",
        "--yes",
        "--no-retry",
        "--timeout",
        "2s",
        "--output",
        "ndjson",
    ];
    let first = fake.run_with_stdin(&args("sync", &options), &roster);
    assert_ne!(code(&first), 0, "some changes failed: {}", stderr(&first));
    let account = summary(&first);
    assert!(account["failed"].as_u64().unwrap() > 0, "{account}");
    assert!(
        account["confirmedByListing"].as_u64().unwrap() > 0,
        "answers lost after acting were settled by listing again: {account}"
    );

    let second = fake.run_with_stdin(&args("sync", &options), &roster);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(summary(&second)["failed"], 0);
    let third = fake.run_with_stdin(&args("sync", &options), &roster);
    assert_eq!(code(&third), 0, "{}", stderr(&third));
    assert!(summary(&third).get("done").is_none(), "{}", summary(&third));

    let rows: Vec<(&str, &str)> = rows.iter().map(|(e, r)| (e.as_str(), *r)).collect();
    matches_roster(&access(&fake), &rows);
    // Nobody got two invites: each new person's creation succeeded once.
    let mails: Vec<String> = fake
        .server
        .outbox()
        .into_iter()
        .filter(|mail| mail.email.starts_with("new"))
        .map(|mail| mail.email)
        .collect();
    let distinct: BTreeSet<&String> = mails.iter().collect();
    assert_eq!(mails.len(), distinct.len(), "one invite each: {mails:?}");
}

#[test]
fn a_sync_interrupted_accounts_for_every_change_and_a_rerun_finishes_it() {
    let fake = Fake::demo();
    let removed = TempFile::new("interrupted.csv", "");
    let roster = TempFile::new(
        "roster.csv",
        "email,role\nowner@example.com,admin\nsam@partner.example,edit\n",
    );
    fake.server
        .set_latency(Action::Delete, std::time::Duration::from_millis(150));
    let child = fake
        .cli()
        .args(args(
            "sync",
            &[
                "--from",
                roster.path(),
                "--prune",
                "--max-removals",
                "100%",
                "--concurrency",
                "2",
                "--removed-out",
                removed.path(),
                "--yes",
                "--output",
                "ndjson",
            ],
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deletes = || {
        fake.server
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count()
    };
    while deletes() < 4 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    support::interrupt(&child);
    let first = child.wait_with_output().unwrap();
    assert_eq!(code(&first), 130, "{}", stderr(&first));
    let account = summary(&first);
    assert_eq!(account["interrupted"], true, "{account}");
    assert!(!account["notAttempted"].as_array().unwrap().is_empty());
    // The undo record holds exactly who lost access before the stop.
    let done: BTreeSet<String> = ndjson(&first)
        .iter()
        .filter(|line| {
            line["ok"] == true && (line["action"] == "remove" || line["action"] == "revoke")
        })
        .filter(|line| line["reason"]["kind"] != "redundantInvite")
        .map(|line| line["email"].as_str().unwrap().to_lowercase())
        .collect();
    let recorded: BTreeSet<String> = removed
        .text()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_owned())
        .collect();
    assert!(!recorded.is_empty());
    assert_eq!(recorded, done);

    fake.server
        .set_latency(Action::Delete, std::time::Duration::ZERO);
    let second = fake.run(&args(
        "sync",
        &[
            "--from",
            roster.path(),
            "--prune",
            "--max-removals",
            "100%",
            "--yes",
            "--output",
            "ndjson",
        ],
    ));
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    matches_roster(
        &access(&fake),
        &[
            ("owner@example.com", "admin"),
            ("sam@partner.example", "edit"),
        ],
    );
}

#[test]
fn a_prune_over_the_cap_and_a_roster_without_administrators_are_refused_with_nothing_changed() {
    let fake = Fake::demo();
    let before = access(&fake);
    let sent = fake.sent();
    let demoted = "email,role\nowner@example.com,edit\nfrances@example.net,view\n";
    let no_admins = "email,role\nsam@partner.example,edit\nmia@example.org,collaborate\n";
    let one_down = "email,role\nowner@example.com,admin\nfrances@example.net,edit\n";
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["--prune"],
            ROSTER,
            "refused, nothing was changed: the plan removes, revokes or demotes 15, more than the 5 --max-removals 5 allows",
        ),
        (
            &["--prune", "--max-removals", "10%"],
            ROSTER,
            "more than the 1 --max-removals 10% allows",
        ),
        // Both administrators demoted, or removed: refused by --min-admins.
        (
            &["--max-removals", "100%"],
            demoted,
            "would leave 0 administrators, fewer than --min-admins 1",
        ),
        (
            &["--prune", "--max-removals", "100%"],
            no_admins,
            "would leave 0 administrators, fewer than --min-admins 1",
        ),
        // A higher minimum holds too: two administrators, and the roster demotes one.
        (
            &["--min-admins", "2"],
            one_down,
            "would leave 1 administrator, fewer than --min-admins 2",
        ),
    ];
    for (options, roster, said) in cases {
        let mut command = vec!["--from", "-", "--yes"];
        command.extend(options);
        let refused = fake.run_with_stdin(&args("sync", &command), roster);
        assert_eq!(code(&refused), 2, "{options:?}: {}", stderr(&refused));
        assert!(
            stderr(&refused).contains(said),
            "{options:?}: {}",
            stderr(&refused)
        );
    }

    assert!(
        methods_since(&fake, sent).iter().all(|m| m == "GET"),
        "only reads were sent"
    );
    assert_eq!(access(&fake), before);
    assert!(
        fake.server
            .member(demo::INSTANCE_ID, demo::ORG_ID, FRANCES)
            .is_some()
    );
}

#[test]
fn the_roster_is_checked_before_anything_is_sent() {
    let fake = Fake::demo();
    let cases = [
        ("email,role\n", "it names nobody"),
        (
            "email,role\nana@example.com,view\nANA@example.com,edit\n",
            "line 3",
        ),
        ("email,role\nana@example.com,owner\n", "line 2"),
        (
            "email,role,applicationRoles\nana@example.com,view,nothex=view\n",
            "line 2",
        ),
    ];
    for (roster, named) in cases {
        let output = fake.run_with_stdin(&args("sync", &["--from", "-", "--yes"]), roster);
        assert_eq!(code(&output), 2, "{roster}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(named),
            "{roster}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("nothing was sent"),
            "{}",
            stderr(&output)
        );
    }
    for bad in [["--max-removals", "lots"], ["--max-removals", "120%"]] {
        let output = fake.run_with_stdin(&args("sync", &["--from", "-", bad[0], bad[1]]), ROSTER);
        assert_eq!(code(&output), 2, "{}", stderr(&output));
    }
    assert_eq!(fake.sent(), 0, "nothing was sent");
}

#[test]
fn a_dry_run_sends_only_reads_and_a_plan_needs_yes_without_a_terminal() {
    let fake = Fake::demo();
    let dry = fake.run_with_stdin(
        &args(
            "sync",
            &[
                "--from",
                "-",
                "--prune",
                "--max-removals",
                "100%",
                "--dry-run",
                "--output",
                "json",
            ],
        ),
        ROSTER,
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let shown = stdout_json(&dry);
    assert_eq!(shown["dryRun"], true);
    assert_eq!(shown["requests"].as_array().unwrap().len(), 18);
    assert!(shown["plan"]["fingerprint"].is_string());

    let unconfirmed = fake.run_with_stdin(&args("sync", &["--from", "-"]), ROSTER);
    assert_eq!(code(&unconfirmed), 2, "{}", stderr(&unconfirmed));
    assert!(
        stderr(&unconfirmed).contains("no terminal to confirm on; pass --yes"),
        "{}",
        stderr(&unconfirmed)
    );
    assert!(
        fake.server.requests().iter().all(|r| r.method == "GET"),
        "only reads were sent"
    );
}

#[test]
fn a_saved_plan_is_applied_exactly_and_refused_once_stale() {
    let fake = Fake::demo();
    let plan = TempFile::new("plan.json", "");
    let made = fake.run_with_stdin(
        &args(
            "sync",
            &["--from", "-", "--dry-run", "--plan-out", plan.path()],
        ),
        ROSTER,
    );
    assert_eq!(code(&made), 0, "{}", stderr(&made));
    let saved: Value = serde_json::from_str(&plan.text()).unwrap();
    assert!(
        saved["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("fnv1a64:")
    );
    assert!(
        fake.server.requests().iter().all(|r| r.method == "GET"),
        "a dry run with --plan-out sends no change"
    );

    // Something the plan does not touch changes: the plan still applies, exactly.
    fake.server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": "6c5ec8687ae143cd83dc4a01", "email": "newcomer@example.com", "role": "view"}),
        )
        .unwrap();
    let before = fake.sent();
    let applied = sync(
        &fake,
        &["--plan", plan.path(), "--yes", "--output", "ndjson"],
    );
    assert_eq!(code(&applied), 0, "{}", stderr(&applied));
    assert!(
        stderr(&applied).contains("changed since the plan was made"),
        "{}",
        stderr(&applied)
    );
    assert_eq!(
        summary(&applied)["done"],
        json!({"invite": 1, "resend": 1, "renew": 1, "setRole": 1})
    );
    let mut sent = methods_since(&fake, before);
    sent.sort();
    assert_eq!(sent, ["GET", "GET", "PATCH", "POST", "POST", "POST"]);

    // Applied once, the plan is stale: refused, naming what changed, nothing sent.
    let before = fake.sent();
    let again = sync(&fake, &["--plan", plan.path(), "--yes"]);
    assert_eq!(code(&again), 2, "{}", stderr(&again));
    assert!(
        stderr(&again).contains("the plan is stale"),
        "{}",
        stderr(&again)
    );
    assert!(
        stderr(&again).contains(&format!("member {MIA}'s role is now view")),
        "{}",
        stderr(&again)
    );
    assert_eq!(methods_since(&fake, before), ["GET", "GET"]);

    // A plan for another organization, and a file that is no plan, are refused unread.
    let before = fake.sent();
    let elsewhere = fake.run(&[
        "sync",
        "--instance-id",
        demo::INSTANCE_ID,
        "--org-id",
        "575ec8687ae143cd83dc4a99",
        "--plan",
        plan.path(),
        "--yes",
    ]);
    assert_eq!(code(&elsewhere), 2, "{}", stderr(&elsewhere));
    assert!(
        stderr(&elsewhere).contains("the plan is for organization"),
        "{}",
        stderr(&elsewhere)
    );
    let not_a_plan = TempFile::new("not-a-plan.json", "{\"steps\": 3}");
    let garbled = sync(&fake, &["--plan", not_a_plan.path(), "--yes"]);
    assert_eq!(code(&garbled), 2, "{}", stderr(&garbled));
    assert!(
        stderr(&garbled).contains("invalid plan"),
        "{}",
        stderr(&garbled)
    );
    assert_eq!(fake.sent(), before);
}

#[test]
fn a_saved_plan_is_refused_when_what_it_touches_changed() {
    let fake = Fake::demo();
    let plan = TempFile::new("stale.json", "");
    let made = fake.run_with_stdin(
        &args(
            "sync",
            &["--from", "-", "--dry-run", "--plan-out", plan.path()],
        ),
        ROSTER,
    );
    assert_eq!(code(&made), 0, "{}", stderr(&made));
    // Someone changes mia's role by hand after the plan was reviewed.
    let set = fake.run(&[
        "members",
        "set-role",
        "--instance-id",
        demo::INSTANCE_ID,
        "--org-id",
        demo::ORG_ID,
        "--user-id",
        MIA,
        "--role",
        "edit",
    ]);
    assert_eq!(code(&set), 0, "{}", stderr(&set));
    let before = fake.sent();
    let refused = sync(&fake, &["--plan", plan.path(), "--yes"]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains(&format!(
            "refused, nothing was changed: the plan is stale: member {MIA}'s role is now edit; make a new plan"
        )),
        "{}",
        stderr(&refused)
    );
    assert_eq!(methods_since(&fake, before), ["GET", "GET"]);
}

#[test]
fn a_sync_on_a_terminal_asks_first() {
    if !support::have("script") {
        return;
    }
    let fake = Fake::demo();
    let roster = TempFile::new("asked.csv", ROSTER);
    let binary = assert_cmd::cargo::cargo_bin("losant-invites");
    let command = format!(
        "{} sync --instance-id {} --org-id {} --from {} --output text",
        binary.display(),
        demo::INSTANCE_ID,
        demo::ORG_ID,
        roster.path()
    );
    let declined = support::on_terminal(&fake, &command, "n\n");
    let shown = String::from_utf8_lossy(&declined.stdout).into_owned();
    assert!(shown.contains("make 4 changes to organization"), "{shown}");
    assert!(shown.contains("cancelled: nothing was changed"), "{shown}");
    assert!(fake.server.requests().iter().all(|r| r.method == "GET"));
    let accepted = support::on_terminal(&fake, &command, "y\n");
    let shown = String::from_utf8_lossy(&accepted.stdout).into_owned();
    assert!(shown.contains("4 of 6 succeeded"), "{shown}");
    assert_eq!(access(&fake)["mia@example.org"], ["member view"]);
}
