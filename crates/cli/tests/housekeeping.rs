//! The housekeeping jobs as a person or a script runs them, against the fake over loopback:
//! choosing invites by selectors, renewing them, revoking stale ones, and inviting a roster,
//! through faults and Ctrl-C, and again.

mod support;

use std::collections::{HashMap, HashSet};
use std::process::Stdio;

use losant_invites_mock::{Action, Fault, demo};
use serde_json::{Value, json};
use support::{Fake, args, code, ndjson, stderr, stdout_json};

/// The organization's invites as the fake holds them now, listed through the CLI.
fn all_invites(fake: &Fake) -> Vec<Value> {
    let output = fake.run(&args("list", &["--output", "json"]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout_json(&output)["items"]
        .as_array()
        .expect("a list of invites")
        .clone()
}

/// The pending invites of each email, in lower case.
fn pending_by_email(fake: &Fake) -> HashMap<String, usize> {
    let mut pending = HashMap::new();
    for invite in all_invites(fake) {
        if invite["hasExpired"] == false {
            let email = invite["email"].as_str().unwrap().to_lowercase();
            *pending.entry(email).or_default() += 1;
        }
    }
    pending
}

fn requests(fake: &Fake, method: &str) -> Vec<losant_invites_mock::RecordedRequest> {
    fake.server
        .requests()
        .into_iter()
        .filter(|request| request.method == method)
        .collect()
}

fn summary(output: &std::process::Output) -> Value {
    let lines = ndjson(output);
    lines.last().expect("a summary")["summary"].clone()
}

/// The demo invites the fake says are expired and were sent more than `days` ago.
fn expired_older_than(fake: &Fake, days: i64) -> HashSet<String> {
    let now = chrono::Utc::now();
    all_invites(fake)
        .iter()
        .filter(|invite| invite["hasExpired"] == true)
        .filter(|invite| {
            let sent: chrono::DateTime<chrono::Utc> =
                invite["inviteDate"].as_str().unwrap().parse().unwrap();
            now - sent > chrono::Duration::days(days)
        })
        .map(|invite| invite["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn selectors_choose_from_one_list_call_and_show_the_plan_first() {
    let fake = Fake::demo();
    let stale = expired_older_than(&fake, 30);
    let everyone: HashSet<String> = all_invites(&fake)
        .iter()
        .map(|invite| invite["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(stale.len() >= 2, "the demo has stale invites: {stale:?}");
    fake.server.clear_requests();

    // A dry run shows the plan and the requests, and sends only the list call.
    let dry = fake.run(&args(
        "delete",
        &[
            "--expired",
            "--older-than",
            "30d",
            "--dry-run",
            "--output",
            "text",
        ],
    ));
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains(&format!(
            "{} invites match (expired, older than 30 days):",
            stale.len()
        )),
        "{text}"
    );
    assert_eq!(
        text.matches("would send DELETE").count(),
        stale.len(),
        "{text}"
    );
    assert_eq!(fake.server.requests().len(), 1, "one list call");
    assert_eq!(requests(&fake, "GET").len(), 1);
    fake.server.clear_requests();

    // The run: one list call, then a delete of each selected invite and of no other.
    let run = fake.run(&args(
        "delete",
        &["--expired", "--older-than", "30d", "--output", "ndjson"],
    ));
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!("{} invites match", stale.len())),
        "the plan comes first: {}",
        stderr(&run)
    );
    assert_eq!(requests(&fake, "GET").len(), 1);
    let deleted: HashSet<String> = requests(&fake, "DELETE")
        .iter()
        .map(|request| request.path.rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(deleted, stale);
    for id in &everyone {
        assert_eq!(fake.exists(id), !stale.contains(id), "{id}");
    }
    let lines = ndjson(&run);
    for item in &lines[..lines.len() - 1] {
        assert_eq!(item["ok"], true, "{item}");
        assert!(item["email"].is_string(), "{item}");
    }
    assert_eq!(summary(&run)["succeeded"], stale.len());

    // Again: nothing is selected; exit 0 with a line saying so.
    let again = fake.run(&args(
        "delete",
        &["--expired", "--older-than", "30d", "--output", "text"],
    ));
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "nothing to do: no invites match (expired, older than 30 days)"
    );

    // An invite gone between the list and the delete counts as --ignore-missing says.
    fake.server.script(
        Action::Delete,
        [Fault::Status {
            status: 404,
            retry_after: None,
        }],
    );
    let gone = fake.run(&args(
        "delete",
        &[
            "--email",
            "*@kernel.example",
            "--ignore-missing",
            "--output",
            "ndjson",
        ],
    ));
    assert_eq!(code(&gone), 0, "{}", stderr(&gone));
    assert_eq!(
        summary(&gone)["alreadyGone"],
        1,
        "{}",
        String::from_utf8_lossy(&gone.stdout)
    );
}

#[test]
fn selectors_combine_and_refuse_to_mix_with_ids() {
    let fake = Fake::demo();
    let get = fake.run(&args(
        "get",
        &["--role", "admin", "--pending", "--output", "json"],
    ));
    assert_eq!(code(&get), 0, "{}", stderr(&get));
    let emails: Vec<String> = stdout_json(&get)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["answer"]["email"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = all_invites(&fake)
        .iter()
        .filter(|invite| invite["role"] == "admin" && invite["hasExpired"] == false)
        .map(|invite| invite["email"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        emails.iter().collect::<HashSet<_>>(),
        expected.iter().collect::<HashSet<_>>()
    );

    let none = fake.run(&args("get", &["--email", "nobody@*", "--output", "text"]));
    assert_eq!(code(&none), 0, "{}", stderr(&none));
    assert!(
        String::from_utf8_lossy(&none.stdout).contains("no invites match (email nobody@*)"),
        "{}",
        String::from_utf8_lossy(&none.stdout)
    );

    // resend's --role is the role sent; --current-role selects.
    let none_role: HashSet<String> = all_invites(&fake)
        .iter()
        .filter(|invite| invite["role"] == "none")
        .map(|invite| invite["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!none_role.is_empty());
    fake.server.clear_requests();
    let resent = fake.run(&args(
        "resend",
        &[
            "--current-role",
            "none",
            "--role",
            "view",
            "--output",
            "ndjson",
        ],
    ));
    assert_eq!(code(&resent), 0, "{}", stderr(&resent));
    let posts = requests(&fake, "POST");
    assert_eq!(posts.len(), none_role.len());
    for post in &posts {
        assert!(
            none_role.contains(post.path.split('/').nth(6).unwrap()),
            "{}",
            post.path
        );
        assert_eq!(post.body.as_deref(), Some(r#"{"role":"view"}"#));
    }

    let sent = fake.sent();
    for wrong in [
        args("delete", &["--invite-id", demo::INVITE_ID, "--expired"]),
        args("renew", &["--invite-ids-from", "-", "--role", "edit"]),
        args("resend", &["--expired", "--pending", "--role", "view"]),
        args("delete", &[]),
        args("renew", &["--older-than", "soon"]),
    ] {
        let output = fake.run(&wrong);
        assert_eq!(code(&output), 2, "{wrong:?}: {}", stderr(&output));
    }
    assert_eq!(fake.sent(), sent, "nothing was sent");
}

#[test]
fn renew_resends_each_invite_once_with_the_roles_it_has() {
    let fake = Fake::demo();
    let grants = json!([{ "resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate" }]);
    fake.server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({
                "id": "6a5ec8687ae143cd83dc0001",
                "email": "granted@example.com",
                "role": "view",
                "applicationRoles": grants,
                "dashboardRoles": [],
                "inviteDate": "2026-01-01T00:00:00.000Z",
                "ttl": 604_800_000,
            }),
        )
        .unwrap();
    let expired: HashMap<String, Value> = all_invites(&fake)
        .into_iter()
        .filter(|invite| invite["hasExpired"] == true)
        .map(|invite| (invite["id"].as_str().unwrap().to_owned(), invite))
        .collect();
    fake.server.clear_requests();
    // One answer is lost after the fake acted: the run settles it by listing again.
    fake.server.script(Action::ResendInvite, [Fault::ActedDrop]);

    let run = fake.run(&args("renew", &["--expired", "--output", "ndjson"]));
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let resends = requests(&fake, "POST");
    assert_eq!(
        resends.len(),
        expired.len(),
        "one resend per invite, none twice"
    );
    let mut renewed = HashSet::new();
    for resend in &resends {
        let id = resend.path.split('/').nth(6).unwrap().to_owned();
        assert!(renewed.insert(id.clone()), "{id} renewed twice");
        let before = &expired[&id];
        let body: Value = serde_json::from_str(resend.body.as_deref().unwrap()).unwrap();
        let mut sent_back = json!({ "role": before["role"] });
        for list in ["applicationRoles", "dashboardRoles"] {
            if let Some(grants) = before.get(list) {
                sent_back[list] = grants.clone();
            }
        }
        assert_eq!(body, sent_back, "{id} renewed with the roles it had");
    }
    let lines = ndjson(&run);
    let (last, items) = lines.split_last().unwrap();
    assert_eq!(items.len(), expired.len());
    for item in items {
        let id = item["inviteId"].as_str().unwrap();
        assert_eq!(item["ok"], true, "{item}");
        assert_eq!(item["before"]["id"], id, "{item}");
        assert_eq!(item["answer"]["email"], item["before"]["email"], "{item}");
        assert_eq!(item["answer"]["hasExpired"], false, "{item}");
        assert!(!fake.exists(id), "{id} was replaced by its renewal");
    }
    assert_eq!(
        items
            .iter()
            .filter(|item| item["confirmedByListing"] == true)
            .count(),
        1,
        "the lost answer was settled by listing"
    );
    assert_eq!(last["summary"]["confirmedByListing"], 1);
    let granted = items
        .iter()
        .find(|item| item["before"]["email"] == "granted@example.com")
        .unwrap();
    assert_eq!(granted["answer"]["applicationRoles"], grants);
    assert_eq!(granted["answer"]["dashboardRoles"], json!([]));

    // Again: every renewed invite is pending, so nothing is renewed twice.
    fake.server.clear_requests();
    let again = fake.run(&args("renew", &["--expired", "--output", "ndjson"]));
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(summary(&again)["total"], 0);
    assert!(requests(&fake, "POST").is_empty());
}

#[test]
fn a_renewal_that_never_arrived_is_left_for_the_next_run() {
    let fake = Fake::demo();
    // The connection closes before the fake acts: the answer is lost, the invite unchanged.
    fake.server.script(Action::ResendInvite, [Fault::Drop]);
    let first = fake.run(&args("renew", &["--expired", "--output", "ndjson"]));
    assert_eq!(code(&first), 3, "{}", stderr(&first));
    let lines = ndjson(&first);
    let failed: Vec<&Value> = lines.iter().filter(|item| item["ok"] == false).collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(
        failed[0]["listedAgain"], "the invite is still there, not renewed",
        "{}",
        failed[0]
    );
    assert_eq!(failed[0]["error"]["mayHaveTakenEffect"], false);
    let left = failed[0]["inviteId"].as_str().unwrap().to_owned();
    assert!(fake.exists(&left));

    fake.server.clear_requests();
    let second = fake.run(&args("renew", &["--expired", "--output", "ndjson"]));
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let posts: Vec<String> = requests(&fake, "POST")
        .iter()
        .map(|post| post.path.split('/').nth(6).unwrap().to_owned())
        .collect();
    assert_eq!(posts, [left], "only the invite left is renewed, once");
}

#[test]
fn renew_by_id_reads_the_invite_then_resends_it() {
    let fake = Fake::demo();
    let output = fake.run(&args(
        "renew",
        &["--invite-id", demo::EXPIRED_INVITE_ID, "--output", "json"],
    ));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let both = stdout_json(&output);
    assert_eq!(both["before"]["id"], demo::EXPIRED_INVITE_ID);
    assert_eq!(both["before"]["hasExpired"], true);
    assert_eq!(both["answer"]["hasExpired"], false);
    assert_eq!(both["answer"]["role"], both["before"]["role"]);
    let methods: Vec<String> = fake
        .server
        .requests()
        .iter()
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(methods, ["GET", "POST"]);
}

fn roster(emails: &[String]) -> String {
    let mut text = "email,role,applicationRoles\n".to_owned();
    for (i, email) in emails.iter().enumerate() {
        if i % 3 == 0 {
            text.push_str(&format!(
                "{email},view,575ec8687ae143cd83dc4a90=collaborate\n"
            ));
        } else {
            text.push_str(&format!("{email},edit,\n"));
        }
    }
    text
}

#[test]
fn a_bad_roster_is_refused_whole_with_each_line_named() {
    let fake = Fake::demo();
    let sent = fake.sent();
    let output = fake.run_with_stdin(
        &args("invite", &["--from", "-"]),
        "email,role\nana@example.com,view\nnot an email,edit\nbo@example.com,owner\n",
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("line 3: "), "{message}");
    assert!(
        message.contains("line 4: unknown role \"owner\""),
        "{message}"
    );
    assert!(message.contains("nothing was sent"), "{message}");
    assert_eq!(fake.sent(), sent);
}

#[test]
fn a_roster_dry_run_lists_and_shows_the_creates_it_would_send() {
    let fake = Fake::demo();
    let output = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--dry-run", "--output", "json"]),
        "email,role\nana@example.com,view\nada@example.com,admin\n",
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = stdout_json(&output);
    let requests_shown = document["requests"].as_array().unwrap();
    assert_eq!(
        requests_shown.len(),
        1,
        "ada has a pending invite: {document}"
    );
    assert_eq!(requests_shown[0]["method"], "POST");
    assert_eq!(requests_shown[0]["body"]["email"], "ana@example.com");
    assert!(
        stderr(&output).contains("1 of 2 on the roster to invite, 1 skipped"),
        "{}",
        stderr(&output)
    );
    let methods: Vec<String> = fake
        .server
        .requests()
        .iter()
        .map(|request| request.method.clone())
        .collect();
    assert_eq!(
        methods,
        ["GET", "GET"],
        "only the lists were sent: the invites and the members"
    );
}

#[test]
fn a_roster_through_faults_converges_after_one_rerun() {
    let fake = Fake::demo();
    let mut emails: Vec<String> = (0..10).map(|i| format!("member{i}@example.com")).collect();
    // Already invited and pending, written in another case: skipped.
    emails.push("ADA@Example.com".to_owned());
    let text = roster(&emails);
    let before = pending_by_email(&fake);
    assert_eq!(before.get("ada@example.com"), Some(&1));
    // Answers lost after acting (a cut connection, gateways' 502 and 504, an answer too slow
    // for the timeout), a refusal, and a connection closed before acting.
    fake.server.script(
        Action::Create,
        [
            Fault::ActedDrop,
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::ActedHtml { status: 504 },
            Fault::Drop,
            Fault::ActedHtml { status: 502 },
            Fault::Trickle {
                interval: std::time::Duration::from_millis(300),
            },
        ],
    );
    let first = fake.run_with_stdin(
        &args(
            "invite",
            &[
                "--from",
                "-",
                "--output",
                "ndjson",
                "--concurrency",
                "3",
                "--timeout",
                "1s",
            ],
        ),
        &text,
    );
    assert_ne!(code(&first), 0, "{}", stderr(&first));
    let account = summary(&first);
    assert_eq!(account["skipped"], 1, "{account}");
    assert_eq!(account["confirmedByListing"], 4, "{account}");
    assert_eq!(account["failed"], 2, "{account}");
    assert_eq!(account["succeeded"], 8, "{account}");
    let lines = ndjson(&first);
    let failed: Vec<&Value> = lines.iter().filter(|item| item["ok"] == false).collect();
    assert_eq!(failed.len(), 2);
    // The connection closed before acting: listing again found no invite for the email, so
    // the run says it did not take effect; the refusal never could have.
    for item in &failed {
        assert_eq!(item["error"]["mayHaveTakenEffect"], false, "{item}");
    }
    assert!(
        failed
            .iter()
            .any(|item| item["listedAgain"] == "no pending invite for this email"),
        "{failed:?}"
    );
    let posts = requests(&fake, "POST").len();
    assert_eq!(posts, 10, "each row sent once, none retried");

    let second = fake.run_with_stdin(
        &args("invite", &["--from", "-", "--output", "ndjson"]),
        &text,
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let account = summary(&second);
    assert_eq!(account["succeeded"], 2, "{account}");
    assert_eq!(account["skipped"], 9, "{account}");
    assert_eq!(requests(&fake, "POST").len(), posts + 2);

    let pending = pending_by_email(&fake);
    for email in &emails {
        assert_eq!(
            pending.get(&email.to_lowercase()),
            Some(&1),
            "{email}: exactly one pending invite"
        );
    }
    // The rows' roles were sent as written.
    let member0 = all_invites(&fake)
        .into_iter()
        .find(|invite| invite["email"] == "member0@example.com")
        .unwrap();
    assert_eq!(member0["role"], "view");
    assert_eq!(member0["applicationRoles"][0]["role"], "collaborate");

    // A third run has nothing to do, and says so in those words: ada's pending invite holds
    // admin where the roster says edit, which an invite run leaves as it is.
    let third = fake.run_with_stdin(&args("invite", &["--from", "-", "--output", "text"]), &text);
    assert_eq!(code(&third), 0, "{}", stderr(&third));
    assert!(
        String::from_utf8_lossy(&third.stdout)
            .ends_with("nothing to do: 10 already invited, 1 invited with other roles\n"),
        "{}",
        String::from_utf8_lossy(&third.stdout)
    );
}

#[test]
fn a_roster_run_interrupted_then_run_again_invites_everyone_once() {
    let fake = Fake::demo();
    let emails: Vec<String> = (0..40).map(|i| format!("crowd{i}@example.com")).collect();
    let file = std::env::temp_dir().join(format!("roster-{}.csv", std::process::id()));
    std::fs::write(&file, roster(&emails)).unwrap();
    let path = file.display().to_string();
    fake.server
        .set_latency(Action::Create, std::time::Duration::from_millis(100));
    let child = fake
        .cli()
        .args(args(
            "invite",
            &[
                "--from",
                &path,
                "--concurrency",
                "4",
                "--output",
                "ndjson",
                "--yes",
            ],
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let made = || requests(&fake, "POST").len();
    while made() < 8 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    support::interrupt(&child);
    let first = child.wait_with_output().unwrap();
    assert_eq!(code(&first), 130, "{}", stderr(&first));
    let account = summary(&first);
    assert_eq!(account["interrupted"], true, "{account}");
    let created = account["succeeded"].as_u64().unwrap();
    let not_attempted = account["notAttempted"].as_array().unwrap().len() as u64;
    assert!(not_attempted > 0, "{account}");
    assert_eq!(
        created
            + account["failed"].as_u64().unwrap()
            + not_attempted
            + account["unanswered"].as_array().unwrap().len() as u64,
        40,
        "every row accounted for: {account}"
    );
    assert_eq!(made() as u64, created, "every invite made was reported");

    fake.server
        .set_latency(Action::Create, std::time::Duration::ZERO);
    let mut again = fake.cli();
    again.args(args("invite", &["--from", &path, "--output", "ndjson"]));
    let second = again.output().unwrap();
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let account = summary(&second);
    assert_eq!(account["skipped"].as_u64(), Some(created), "{account}");
    assert_eq!(
        account["succeeded"].as_u64(),
        Some(40 - created),
        "{account}"
    );
    let pending = pending_by_email(&fake);
    for email in &emails {
        assert_eq!(pending.get(email), Some(&1), "{email}");
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn housekeeping_on_a_terminal_asks_first() {
    if !support::have("script") {
        return;
    }
    let fake = Fake::demo();
    let expired = all_invites(&fake)
        .iter()
        .filter(|invite| invite["hasExpired"] == true)
        .count();
    let binary = assert_cmd::cargo::cargo_bin("losant-invites");
    let command = format!(
        "{} renew --instance-id {} --org-id {} --expired",
        binary.display(),
        demo::INSTANCE_ID,
        demo::ORG_ID,
    );
    let on_terminal = |answer: &str| support::on_terminal(&fake, &command, answer);
    let declined = on_terminal("n\n");
    let shown = String::from_utf8_lossy(&declined.stdout).into_owned();
    assert!(
        shown.contains(&format!("{expired} invites match (expired)")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("renew {expired} invites of organization")),
        "{shown}"
    );
    assert!(shown.contains("cancelled: nothing was renewed"), "{shown}");
    assert!(requests(&fake, "POST").is_empty());

    let accepted = on_terminal("y\n");
    let shown = String::from_utf8_lossy(&accepted.stdout).into_owned();
    assert!(
        shown.contains(&format!("{expired} of {expired} succeeded")),
        "{shown}"
    );
    assert_eq!(requests(&fake, "POST").len(), expired);
}

#[test]
fn v_shows_each_attempt_of_a_roster_run() {
    let fake = Fake::demo();
    let output = fake.run_with_stdin(
        &args("invite", &["--from", "-", "-v", "--output", "ndjson"]),
        "{\"email\": \"one@example.com\", \"role\": \"view\"}\n",
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let log = stderr(&output);
    assert!(log.contains("instanceOrgInvites.get"), "{log}");
    assert!(log.contains("instanceOrgInvites.post"), "{log}");
}
