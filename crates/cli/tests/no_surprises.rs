//! What the user typed is what runs: flags beat the environment wherever they stand, a
//! duration says its unit, nobody gets a second invite by accident, input is quoted as an
//! excerpt, every problem is named at once, and large lists and plans stay readable. The real
//! binary against the fake, as an administrator runs it.

mod support;

use std::process::Output;

use losant_invites_mock::{Action, Fault, demo};
use serde_json::{Value, json};
use support::{Fake, INVITES, TOKEN, args, code, ndjson, stderr, stdout_json};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The command line with `global` before the command's name, or after it.
fn placed<'a>(
    before: bool,
    global: &[&'a str],
    command: &'a str,
    rest: &[&'a str],
) -> Vec<&'a str> {
    let mut all = Vec::new();
    if before {
        all.extend(global);
    }
    all.extend(args(command, rest));
    if !before {
        all.extend(global);
    }
    all
}

fn requests(fake: &Fake, method: &str) -> Vec<losant_invites_mock::RecordedRequest> {
    fake.server
        .requests()
        .into_iter()
        .filter(|request| request.method == method)
        .collect()
}

/// Every global option, before the command's name and after it, with LOSANT_API_URL and
/// LOSANT_API_TOKEN set: what was typed wins.
#[test]
fn every_global_flag_beats_the_environment_in_either_place() {
    let fake = Fake::start();
    let get = ["--invite-id", INVITES[0]];
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let nowhere = format!("http://{closed}");
    let url = fake.server.url();
    for before in [true, false] {
        let at = if before { "before" } else { "after" };

        // --url: the environment names a closed port; the flag, the fake.
        let output = fake
            .cli()
            .env("LOSANT_API_URL", &nowhere)
            .args(placed(before, &["--url", &url], "get", &get))
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "--url {at}: {}", stderr(&output));

        // --token: the environment's token is wrong; the flag's is right, and the other way
        // round the flag's wrong one is what is sent.
        let output = fake
            .cli()
            .env("LOSANT_API_TOKEN", "not-a-token-the-fake-knows")
            .args(placed(before, &["--token", TOKEN], "get", &get))
            .output()
            .unwrap();
        assert_eq!(code(&output), 0, "--token {at}: {}", stderr(&output));
        let output = fake.run(&placed(
            before,
            &["--token", "wrong-token-typed"],
            "get",
            &get,
        ));
        assert_eq!(code(&output), 1, "--token {at}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("Invalid access token"),
            "{}",
            stderr(&output)
        );

        // --losantdomain goes with the request.
        fake.server.clear_requests();
        let output = fake.run(&placed(
            before,
            &["--losantdomain", "example.com"],
            "get",
            &get,
        ));
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert_eq!(
            fake.server.requests()[0].header("losantdomain"),
            Some("example.com"),
            "--losantdomain {at}"
        );

        // --timeout: an answer slower than it times out.
        fake.server
            .set_latency(Action::Get, std::time::Duration::from_secs(2));
        let output = fake.run(&placed(
            before,
            &["--timeout", "300ms", "--no-retry"],
            "get",
            &get,
        ));
        fake.server
            .set_latency(Action::Get, std::time::Duration::ZERO);
        assert_eq!(code(&output), 3, "--timeout {at}: {}", stderr(&output));
        assert!(stderr(&output).contains("timed out"), "{}", stderr(&output));

        // --no-retry: one 503 is the answer.
        fake.server.clear_requests();
        fake.server.script(
            Action::Get,
            [Fault::Status {
                status: 503,
                retry_after: None,
            }],
        );
        let output = fake.run(&placed(before, &["--no-retry"], "get", &get));
        assert_eq!(code(&output), 1, "--no-retry {at}: {}", stderr(&output));
        assert_eq!(fake.server.requests().len(), 1, "--no-retry {at}");

        // --output and -v.
        let output = fake.run(&placed(before, &["--output", "text", "-v"], "get", &get));
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert!(
            stdout(&output).contains("email        user0@example.com"),
            "--output {at}"
        );
        assert!(
            stderr(&output).contains("→ 200 in "),
            "-v {at}: {}",
            stderr(&output)
        );

        // --max-response-bytes: a list larger than it says how to narrow it or read more.
        let output = fake.run(&placed(
            before,
            &["--max-response-bytes", "200"],
            "list",
            &[],
        ));
        assert_eq!(
            code(&output),
            1,
            "--max-response-bytes {at}: {}",
            stderr(&output)
        );
        for says in ["--email", "--role", "--max-response-bytes"] {
            assert!(
                stderr(&output).contains(says),
                "{says}: {}",
                stderr(&output)
            );
        }

        // --allow-insecure-http: plain http to a host that is not loopback is refused
        // without it, and taken with it.
        let insecure = format!("http://0.0.0.0:{}", fake.server.addr().port());
        let refused = fake.run(&placed(before, &["--url", &insecure], "get", &get));
        assert_eq!(code(&refused), 2, "{}", stderr(&refused));
        let allowed = fake.run(&placed(
            before,
            &["--url", &insecure, "--allow-insecure-http"],
            "get",
            &get,
        ));
        assert_ne!(
            code(&allowed),
            2,
            "--allow-insecure-http {at}: {}",
            stderr(&allowed)
        );
        assert!(
            !stderr(&allowed).contains("clear text"),
            "{}",
            stderr(&allowed)
        );
    }
}

#[test]
fn a_duration_without_its_unit_is_refused_and_nothing_is_sent() {
    let fake = Fake::demo();
    let before = fake.sent();
    let output = fake.run(&args(
        "delete",
        &["--expired", "--older-than", "30", "--yes"],
    ));
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("write 30d, 30h or 30m"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fake.sent(), before, "nothing sent");
    for (flags, says) in [
        (
            &["mock", "--idle-timeout", "30"][..],
            "write 30s, 30ms or 30m",
        ),
        (&["mock", "--latency", "get=250"], "write 250ms or 250s"),
        (
            &["mock", "--fault", "create=trickle:50"],
            "write 50ms or 50s",
        ),
    ] {
        let output = fake.run(flags);
        assert_eq!(code(&output), 2, "{flags:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(says),
            "{flags:?}: {}",
            stderr(&output)
        );
    }
}

/// The invites of `email` the fake holds now: (id, pending).
fn invites_of(fake: &Fake, email: &str) -> Vec<(String, bool)> {
    let output = fake.run(&args("list", &["--output", "json"]));
    stdout_json(&output)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|invite| {
            invite["email"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(email)
        })
        .map(|invite| {
            (
                invite["id"].as_str().unwrap().to_owned(),
                invite["hasExpired"] == false,
            )
        })
        .collect()
}

#[test]
fn a_roster_renews_an_email_s_only_expired_invite_rather_than_inviting_beside_it() {
    let fake = Fake::demo();
    assert_eq!(
        invites_of(&fake, "late@example.com"),
        [(demo::EXPIRED_INVITE_ID.to_owned(), false)]
    );
    let roster = "email,role\nLate@Example.com,view\n";
    let run = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "ndjson"]),
        roster,
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stderr(&run).contains("1 to renew"), "{}", stderr(&run));
    let lines = ndjson(&run);
    assert_eq!(
        lines[0]["before"]["id"],
        demo::EXPIRED_INVITE_ID,
        "{lines:?}"
    );
    assert_eq!(lines[0]["answer"]["role"], "view");
    assert!(
        requests(&fake, "POST")[0]
            .path
            .ends_with(demo::EXPIRED_INVITE_ID)
    );
    let now = invites_of(&fake, "late@example.com");
    assert_eq!(now.len(), 1, "one invite for the email: {now:?}");
    assert!(now[0].1, "and it is pending");

    let again = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "text"]),
        roster,
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(
        stdout(&again).ends_with("nothing to do: 1 already invited\n"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn renew_leaves_an_expired_invite_whose_email_has_a_pending_one() {
    let fake = Fake::demo();
    fake.server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": "6a5ec8687ae143cd83dc0001", "email": "LATE@example.com", "role": "edit"}),
        )
        .unwrap();
    let run = fake.run(&args("renew", &["--expired", "--output", "ndjson"]));
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let lines = ndjson(&run);
    let late = lines
        .iter()
        .find(|item| item["inviteId"] == demo::EXPIRED_INVITE_ID)
        .expect("an item for the expired invite");
    assert_eq!(late["skipped"], true, "{late}");
    assert_eq!(late["reason"]["kind"], "pendingBeside", "{late}");
    assert_eq!(late["pendingInvite"], "6a5ec8687ae143cd83dc0001");
    assert!(
        requests(&fake, "POST")
            .iter()
            .all(|post| !post.path.ends_with(demo::EXPIRED_INVITE_ID)),
        "it was not renewed"
    );
    assert_eq!(
        invites_of(&fake, "late@example.com")
            .iter()
            .filter(|(_, p)| *p)
            .count(),
        1
    );
    let text = fake.run(&args(
        "renew",
        &["--expired", "--email", "late@*", "--output", "text"],
    ));
    assert!(
        stdout(&text).contains("delete --expired"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn a_single_invite_looks_first_and_makes_a_second_only_when_forced() {
    let fake = Fake::demo();
    let invite = [
        "--email",
        "Invitee@Example.com",
        "--role",
        "edit",
        "--output",
        "json",
    ];
    let output = fake.run(&args("invite", &invite));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("already has an invite"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(demo::INVITE_ID),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout_json(&output)["skipped"], true);
    assert!(requests(&fake, "POST").is_empty(), "nothing created");
    let gets = requests(&fake, "GET");
    assert_eq!(gets.len(), 2, "the email's invites and membership");
    assert!(gets.iter().all(|get| {
        get.query
            .contains(&("filterField".to_owned(), "email".to_owned()))
    }));

    let forced = fake.run(&args("invite", &[&invite[..], &["--force"]].concat()));
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    assert_eq!(
        invites_of(&fake, "invitee@example.com").len(),
        2,
        "--force made a second"
    );
}

#[test]
fn a_pending_invite_with_other_roles_is_reported_with_both() {
    let fake = Fake::demo();
    // ada@example.com holds admin; the roster says view.
    let roster = "email,role\nada@example.com,view\n";
    let run = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "ndjson"]),
        roster,
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let item = &ndjson(&run)[0];
    assert_eq!(item["reason"]["kind"], "pendingWithOtherRoles", "{item}");
    assert_eq!(item["reason"]["held"]["role"], "admin");
    assert_eq!(item["reason"]["wanted"]["role"], "view");
    let text = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "text"]),
        roster,
    );
    let shown = stdout(&text);
    assert!(shown.contains("holds admin; wanted view"), "{shown}");
    assert!(requests(&fake, "POST").is_empty());
}

#[test]
fn input_is_quoted_as_an_excerpt_and_bad_text_names_its_line() {
    let fake = Fake::demo();
    let huge = "x".repeat(10 * 1024 * 1024);
    let roster = format!("email,role\nana@example.com,view\n{huge}@example.com,{huge}\n");
    let output = fake.run_with_stdin(&args("invite", &["--from", "-"]), &roster);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("line 3: "),
        "{}",
        &stderr(&output)[..200.min(stderr(&output).len())]
    );
    assert!(
        output.stderr.len() < 2_000,
        "{} bytes of error",
        output.stderr.len()
    );

    let binary = fake.cli();
    let file = std::env::temp_dir().join(format!("binary-{}.csv", std::process::id()));
    std::fs::write(&file, b"email,role\nana@example.com,view\n\xff\xfe,view\n").unwrap();
    let mut command = binary;
    let output = command
        .args(args("invite", &["--from", file.to_str().unwrap()]))
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("line 3: not UTF-8 text"),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_file(file);
    let ids = fake.run_with_stdin(
        &args("delete", &["--invite-ids-from", "-"]),
        &format!("{}\n{huge}\n", INVITES[0]),
    );
    assert_eq!(code(&ids), 2);
    assert!(
        ids.stderr.len() < 2_000,
        "{} bytes of error",
        ids.stderr.len()
    );
}

#[test]
fn every_problem_of_a_roster_is_named_in_one_pass() {
    let fake = Fake::demo();
    let output = fake.run_with_stdin(
        &args("invite", &["--from", "-"]),
        "email,role\nana@example.com,owner\nANA@example.com,view\nbo@example.com,view\n",
    );
    assert_eq!(code(&output), 2);
    let said = stderr(&output);
    assert!(said.contains("line 2: unknown role \"owner\""), "{said}");
    assert!(
        said.contains("line 3: \"ANA@example.com\" is already on line 2"),
        "{said}"
    );
    assert_eq!(fake.sent(), 0);
}

#[test]
fn lists_and_plans_stay_readable_at_scale() {
    let fake = Fake::demo();
    let expired = fake.run(&args("list", &["--expired", "--output", "json"]));
    let collection = stdout_json(&expired);
    assert_eq!(
        collection["count"],
        collection["items"].as_array().unwrap().len(),
        "the count counts the items shown"
    );

    let mut roster = "email,role\n".to_owned();
    for n in 0..20_000 {
        roster.push_str(&format!("p{n}@example.com,view\n"));
    }
    let text = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--dry-run", "--output", "text"]),
        &roster,
    );
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    let shown = stdout(&text);
    assert!(
        shown.lines().count() < 200,
        "{} lines",
        shown.lines().count()
    );
    assert!(
        shown.contains("20000 of 20000 on the roster to invite"),
        "{}",
        &shown[..300]
    );
    assert!(shown.contains("… and 19980 more people"), "{shown}");
    assert!(
        shown.ends_with("dry run: 20000 requests, none sent\n"),
        "{shown}"
    );
    let whole = fake.run_with_stdin(
        &args(
            "invite",
            &["--from", "-", "--dry-run", "--output", "ndjson"],
        ),
        &roster,
    );
    assert_eq!(code(&whole), 0, "{}", stderr(&whole));
    let lines = ndjson(&whole);
    assert_eq!(lines.len(), 20_000, "the whole plan, a step a line");
    assert_eq!(
        lines[19_999]["request"]["body"]["email"],
        "p19999@example.com"
    );
    assert_eq!(requests(&fake, "POST").len(), 0);
}

#[test]
fn small_things_a_user_notices() {
    let fake = Fake::demo();
    let help = fake.run(&["invite", "--help"]);
    assert!(stdout(&help).contains("from 1 to 256"), "{}", stdout(&help));
    let help = fake.run(&["get", "--help"]);
    assert!(
        stdout(&help).contains("[possible values: text, json, ndjson]"),
        "ids is list's alone: {}",
        stdout(&help)
    );
    let help = fake.run(&["list", "--help"]);
    assert!(stdout(&help).contains("- ids:"), "{}", stdout(&help));

    // Roles in any case; an unknown column is left out with a note.
    let run = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "ndjson"]),
        "Email,Role,Name\nnew.one@example.com,View,New One\n",
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the column \"Name\" is not read"),
        "{}",
        stderr(&run)
    );
    let post = &requests(&fake, "POST")[0];
    let body: Value = serde_json::from_str(post.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"email": "new.one@example.com", "role": "view"})
    );

    // A JSON-lines problem names its line once.
    let bad = fake.run_with_stdin(
        &args("invite", &["--from", "-"]),
        "{\"email\": \"a@b.example\", \"role\": \"view\", \"colour\": 1}\n",
    );
    assert_eq!(code(&bad), 2);
    assert_eq!(stderr(&bad).matches("line").count(), 1, "{}", stderr(&bad));

    // Delete and resend lines show the email beside the ID.
    let deleted = fake.run(&args(
        "delete",
        &["--email", "ken@*", "--output", "text", "--yes"],
    ));
    assert_eq!(code(&deleted), 0, "{}", stderr(&deleted));
    assert!(
        stdout(&deleted).contains("(ken@example.net) deleted"),
        "{}",
        stdout(&deleted)
    );
    let resent = fake.run(&args(
        "resend",
        &[
            "--email", "grace@*", "--role", "view", "--output", "text", "--yes",
        ],
    ));
    assert!(
        stdout(&resent).contains("(grace@example.org)"),
        "{}",
        stdout(&resent)
    );

    // One date format in the table, the text and the plan.
    let table = fake.run(&args("list", &["--email", "late@*", "--output", "text"]));
    assert!(
        stdout(&table).contains("2016-06-13 04:00 UTC"),
        "{}",
        stdout(&table)
    );
    let one = fake.run(&args(
        "get",
        &["--invite-id", demo::EXPIRED_INVITE_ID, "--output", "text"],
    ));
    assert!(
        stdout(&one).contains("invited      2016-06-13 04:00 UTC"),
        "{}",
        stdout(&one)
    );
    assert!(
        stdout(&one).contains("expired 2016-06-20 04:00 UTC"),
        "{}",
        stdout(&one)
    );
}

#[test]
fn the_fake_s_banner_says_what_the_read_token_can_do() {
    let mut fake = std::process::Command::new(assert_cmd::cargo::cargo_bin("losant-invites"))
        .args(["mock", "--seed", "demo"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(fake.stdout.take().unwrap()));
    let banner: Vec<String> = (0..3).map(|_| lines.next().unwrap().unwrap()).collect();
    let _ = fake.kill();
    let _ = fake.wait();
    assert!(
        banner[2].contains("demo-read-token")
            && banner[2].contains("the reads only, get, list, listMembers, getMember"),
        "{banner:?}"
    );
}
