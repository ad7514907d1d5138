//! Who has access, from the command line against the fake over loopback: the member commands,
//! the last administrator kept, the access view, and an invite's whole life ending in a
//! member that a roster run then leaves alone.

mod support;

use losant_invites_mock::demo;
use serde_json::{Value, json};
use support::{Fake, args, code, ndjson, stderr, stdout_json};

const FRANCES: &str = "5f3c1a2b9d8e7f6100000001";
const SAM: &str = "5f3c1a2b9d8e7f6100000003";

fn members(rest: &[&str]) -> Vec<String> {
    let mut all = vec!["members".to_owned(), rest[0].to_owned()];
    all.extend(support::ORG.iter().map(|s| (*s).to_owned()));
    all.extend(rest[1..].iter().map(|s| (*s).to_owned()));
    all
}

fn run(fake: &Fake, command: &[String]) -> std::process::Output {
    let command: Vec<&str> = command.iter().map(String::as_str).collect();
    fake.run(&command)
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn members_are_listed_looked_up_added_changed_and_removed() {
    let fake = Fake::demo();
    let list = run(&fake, &members(&["list", "--output", "json"]));
    assert_eq!(code(&list), 0, "{}", stderr(&list));
    assert_eq!(stdout_json(&list)["items"].as_array().unwrap().len(), 5);
    let admins = run(
        &fake,
        &members(&["list", "--role", "admin", "--output", "ndjson"]),
    );
    let emails: Vec<Value> = ndjson(&admins).iter().map(|m| m["email"].clone()).collect();
    assert_eq!(
        emails,
        [json!("frances@example.net"), json!("owner@example.com")]
    );
    let table = run(
        &fake,
        &members(&["list", "--sort", "role:desc", "--output", "text"]),
    );
    let shown = stdout(&table);
    assert!(shown.starts_with("USER ID"), "{shown}");
    assert!(shown.contains("Olive Owner"), "{shown}");

    let one = run(
        &fake,
        &members(&["get", "--user-id", SAM, "--output", "text"]),
    );
    assert!(
        stdout(&one).contains("email          sam@partner.example"),
        "{}",
        stdout(&one)
    );

    let changed = run(
        &fake,
        &members(&["set-role", "--user-id", SAM, "--role", "view"]),
    );
    assert_eq!(code(&changed), 0, "{}", stderr(&changed));
    assert_eq!(stdout_json(&changed)["role"], "view");
    let removed = run(&fake, &members(&["remove", "--user-id", SAM]));
    assert_eq!(code(&removed), 0, "{}", stderr(&removed));
    assert_eq!(stdout_json(&removed), json!({"success": true}));
    assert!(
        fake.server
            .member(demo::INSTANCE_ID, demo::ORG_ID, SAM)
            .is_none()
    );
    // A member already gone fails clearly, unless --ignore-missing.
    let again = run(&fake, &members(&["remove", "--user-id", SAM]));
    assert_eq!(code(&again), 1);
    assert!(
        stderr(&again).contains("Member was not found"),
        "{}",
        stderr(&again)
    );
    let ignored = run(
        &fake,
        &members(&["remove", "--user-id", SAM, "--ignore-missing"]),
    );
    assert_eq!(code(&ignored), 0, "{}", stderr(&ignored));
    assert_eq!(stdout_json(&ignored)["alreadyGone"], true);

    // Added back by user ID; someone unknown by email gets an invite instead.
    let added = run(
        &fake,
        &members(&["add", "--user-id", SAM, "--role", "edit"]),
    );
    assert_eq!(code(&added), 0, "{}", stderr(&added));
    assert_eq!(stdout_json(&added)["added"], "member");
    let invited = run(
        &fake,
        &members(&["add", "--email", "stranger@example.com", "--role", "view"]),
    );
    assert_eq!(code(&invited), 0, "{}", stderr(&invited));
    assert_eq!(stdout_json(&invited)["added"], "inviteSent");
    assert!(
        stderr(&invited).contains("sent an invite"),
        "{}",
        stderr(&invited)
    );
    let both = fake.run(&args("members", &[]));
    assert_eq!(code(&both), 2);
    let mixed = run(
        &fake,
        &members(&[
            "add",
            "--user-id",
            SAM,
            "--email",
            "a@b.example",
            "--role",
            "view",
        ]),
    );
    assert_eq!(code(&mixed), 2, "exactly one of --user-id and --email");
}

#[test]
fn a_selection_of_members_is_planned_and_never_takes_the_last_administrator() {
    let fake = Fake::demo();
    let sent = fake.sent();
    let dry = run(
        &fake,
        &members(&["remove", "--role", "admin", "--dry-run", "--output", "text"]),
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let plan = stdout(&dry);
    assert!(plan.contains("2 members match (role admin):"), "{plan}");
    assert!(plan.contains("the last administrator"), "{plan}");
    assert!(plan.contains("dry run: 1 request, none sent"), "{plan}");
    assert!(
        fake.server.requests()[sent..]
            .iter()
            .all(|r| r.method == "GET")
    );

    let run_it = run(
        &fake,
        &members(&["remove", "--role", "admin", "--output", "ndjson"]),
    );
    assert_eq!(code(&run_it), 0, "{}", stderr(&run_it));
    let lines = ndjson(&run_it);
    let kept: Vec<&Value> = lines.iter().filter(|l| l["skipped"] == true).collect();
    assert_eq!(kept.len(), 1, "{lines:?}");
    assert_eq!(kept[0]["reason"]["kind"], "lastAdmin");
    let admins = run(
        &fake,
        &members(&["list", "--role", "admin", "--output", "json"]),
    );
    assert_eq!(stdout_json(&admins)["items"].as_array().unwrap().len(), 1);

    // A role changed for everyone of a domain, by the current role.
    let changed = run(
        &fake,
        &members(&[
            "set-role",
            "--email",
            "*@example.net",
            "--current-role",
            "view",
            "--role",
            "collaborate",
            "--output",
            "ndjson",
        ]),
    );
    assert_eq!(code(&changed), 0, "{}", stderr(&changed));
    let lines = ndjson(&changed);
    assert_eq!(lines[0]["answer"]["email"], "john@example.net", "{lines:?}");
    assert_eq!(lines[0]["answer"]["role"], "collaborate");
    assert_eq!(lines.last().unwrap()["summary"]["succeeded"], 1);
}

#[test]
fn the_access_view_shows_members_and_invites_pending_or_expired() {
    let fake = Fake::demo();
    let text = fake.run(&args("access", &["--output", "text"]));
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    let shown = stdout(&text);
    assert!(shown.starts_with("5 members, "), "{shown}");
    assert!(shown.contains("EMAIL"), "{shown}");
    let frances: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("frances@"))
        .collect();
    assert_eq!(frances.len(), 2, "a member with a stale invite: {shown}");
    assert!(
        frances[0].contains("member") && frances[1].contains("expired"),
        "{frances:?}"
    );

    let json = stdout_json(&fake.run(&args("access", &["--output", "json"])));
    let items = json["items"].as_array().unwrap();
    assert_eq!(json["members"], 5);
    assert_eq!(
        items.len() as u64,
        json["members"].as_u64().unwrap()
            + json["pending"].as_u64().unwrap()
            + json["expired"].as_u64().unwrap()
    );
    let lines = ndjson(&fake.run(&args("access", &["--output", "ndjson"])));
    assert_eq!(lines.len(), items.len());
    assert!(
        lines
            .iter()
            .any(|l| l["status"] == "member" && l["userId"] == FRANCES)
    );
}

#[test]
fn an_invite_accepted_makes_a_member_whom_a_roster_run_then_leaves_alone() {
    let fake = Fake::demo();
    let roster = "email,role\njoiner@example.com,view\n";
    let first = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "ndjson"]),
        roster,
    );
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let invite_id = ndjson(&first)[0]["answer"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The mail the invite sent, and the invitee's answer, as Losant's acceptance action.
    assert_eq!(support::accept(&fake, &invite_id), 200);

    let access = stdout_json(&fake.run(&args("access", &["--output", "json"])));
    let joiner: Vec<&Value> = access["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["email"] == "joiner@example.com")
        .collect();
    assert_eq!(joiner.len(), 1, "a member, no invite left: {joiner:?}");
    assert_eq!(joiner[0]["status"], "member");

    let second = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "text"]),
        roster,
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let said = stdout(&second);
    assert!(said.contains("a member already, role view"), "{said}");
    assert!(
        said.ends_with("nothing to do: 1 already in the organization\n"),
        "{said}"
    );
    let again = fake.run(&args(
        "invite",
        &["--email", "Joiner@example.com", "--role", "view"],
    ));
    assert!(
        stderr(&again).contains("is a member already"),
        "{}",
        stderr(&again)
    );
    let invites_made = fake
        .server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.contains("/orgs/") && r.path.ends_with("/invites"))
        .count();
    assert_eq!(invites_made, 1, "nobody invited twice");
}
