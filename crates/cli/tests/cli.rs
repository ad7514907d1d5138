//! `losant-invites` run as a real process against the fake Losant over loopback.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;

use losant_invites_mock::{Action, Fault, demo};
use serde_json::{Value, json};
use support::{Fake, INVITES, ORG, TOKEN, args, code, ndjson, seeded_invites, stderr, stdout_json};

#[test]
fn get_prints_stable_json_when_piped() {
    let fake = Fake::start();
    let output = fake.run(&args("get", &["--invite-id", INVITES[0]]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    insta::assert_json_snapshot!("get", stdout_json(&output));
}

/// Invites as Losant may send them: fields and roles newer than the spec, empty and missing
/// lists, whole and fractional numbers, dates with offsets and without milliseconds.
fn corpus() -> Vec<Value> {
    vec![
        json!({"email": "a@example.com", "role": "edit", "applicationRoles": [], "dashboardRoles": [],
               "inviteDate": "2016-05-13T04:00:00.000Z", "ttl": 604800000, "hasExpired": false,
               "disallowTransfer": false}),
        json!({"email": "b@example.com", "role": "owner", "inviteDate": "2016-05-13T09:00:00+05:00",
               "ttl": 604800000.5, "futureField": {"nested": [1, 2.25, null, "x"]},
               "inviteId": "575ec8687ae143cd83dc4a94", "orgId": demo::ORG_ID,
               "instanceId": demo::INSTANCE_ID}),
        json!({"email": "c@example.com", "dashboardRoles": [
                  {"resourceId": "575ec8687ae143cd83dc4a90", "role": "superuser", "grantedBy": "y"},
                  {"resourceId": "575ec8687ae143cd83dc4a91", "role": "view"}],
               "ttl": 18446744073709551615_u64, "big": 12345678901234567890_u64,
               "negative": -9007199254740993_i64, "empty": {}, "list": []}),
    ]
}

#[test]
fn json_output_is_what_losant_sent_value_for_value() {
    let fake = Fake::start();
    // As a caller makes one: reqwest alone has no TLS crypto provider to pick.
    let http = losant_invites_client::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
    for (n, mut invite) in corpus().into_iter().enumerate() {
        let id = format!("5a5ec8687ae143cd83dc4b{n:02x}");
        invite["id"] = json!(id);
        fake.server
            .insert_invite(demo::INSTANCE_ID, demo::ORG_ID, invite)
            .unwrap();
        // What the fake answers, read raw.
        let url = format!(
            "{}/instances/{}/orgs/{}/invites/{id}",
            fake.server.url(),
            demo::INSTANCE_ID,
            demo::ORG_ID
        );
        let sent: Value = fake.runtime.block_on(async {
            http.get(url)
                .bearer_auth(TOKEN)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
        let output = fake.run(&args("get", &["--invite-id", &id, "--output", "json"]));
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert_eq!(stdout_json(&output), sent, "invite {n}");
    }
}

#[test]
fn get_prints_readable_text_on_request() {
    let fake = Fake::start();
    let output = fake.run(&args(
        "get",
        &["--invite-id", INVITES[0], "--output", "text"],
    ));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("email        user0@example.com"), "{text}");
    assert!(
        text.contains("applications 575ec8687ae143cd83dc4a90=view"),
        "{text}"
    );
    assert!(text.contains("status       pending, expires"), "{text}");
}

#[test]
fn delete_revokes_the_invite() {
    let fake = Fake::start();
    let output = fake.run(&args("delete", &["--invite-id", INVITES[1]]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    insta::assert_json_snapshot!("delete", stdout_json(&output));
    assert!(!fake.exists(INVITES[1]));
}

#[test]
fn resend_sends_the_role_flags_as_role_info() {
    let fake = Fake::start();
    let output = fake.run(&args(
        "resend",
        &[
            "--invite-id",
            INVITES[0],
            "--role",
            "view",
            "--application-role",
            "575ec8687ae143cd83dc4a90=collaborate",
            "--dashboard-role",
            "575ec8687ae143cd83dc4a91=none",
        ],
    ));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let sent = fake.server.requests()[0].json_body().unwrap();
    assert_eq!(
        sent,
        json!({"role": "view", "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"}], "dashboardRoles": [{"resourceId": "575ec8687ae143cd83dc4a91", "role": "none"}]})
    );
    let mut answer = stdout_json(&output);
    assert_ne!(answer["id"], INVITES[0], "a new invite");
    // The new ID and date are fresh on every run.
    answer["id"] = json!("[new id]");
    answer["inviteDate"] = json!("[now]");
    insta::assert_json_snapshot!("resend", answer);
    assert!(!fake.exists(INVITES[0]));
}

#[test]
fn resend_reads_role_info_from_a_file_or_stdin() {
    let fake = Fake::start();
    let path = std::env::temp_dir().join(format!("role-info-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"role": "admin"}"#).unwrap();
    let from_file = fake.run(&args(
        "resend",
        &[
            "--invite-id",
            INVITES[0],
            "--role-info",
            path.to_str().unwrap(),
        ],
    ));
    assert_eq!(code(&from_file), 0, "{}", stderr(&from_file));
    assert_eq!(stdout_json(&from_file)["role"], "admin");
    let _ = std::fs::remove_file(path);

    let from_stdin = fake.run_with_stdin(
        &args("resend", &["--invite-id", INVITES[1], "--role-info", "-"]),
        r#"{"role": "collaborate"}"#,
    );
    assert_eq!(code(&from_stdin), 0, "{}", stderr(&from_stdin));
    assert_eq!(stdout_json(&from_stdin)["role"], "collaborate");
}

#[test]
fn invalid_input_exits_2_and_sends_nothing() {
    let fake = Fake::start();
    let cases: [(&[&str], Option<&str>, &str); 6] = [
        (
            &[
                "get",
                "--instance-id",
                "x",
                "--org-id",
                demo::ORG_ID,
                "--invite-id",
                INVITES[0],
            ],
            None,
            r#"invalid value 'x' for '--instance-id <ID>': "x" is not a Losant ID (24 hexadecimal characters)"#,
        ),
        (
            &[
                "resend",
                "--instance-id",
                demo::INSTANCE_ID,
                "--org-id",
                demo::ORG_ID,
                "--invite-id",
                INVITES[0],
                "--role",
                "owner",
            ],
            None,
            "[possible values: admin, edit, collaborate, view, none]",
        ),
        (
            &[
                "resend",
                "--instance-id",
                demo::INSTANCE_ID,
                "--org-id",
                demo::ORG_ID,
                "--invite-id",
                INVITES[0],
                "--role-info",
                "-",
            ],
            Some(r#"{"role": "view", "colour": "red"}"#),
            "unknown field `colour`",
        ),
        (
            &[
                "resend",
                "--instance-id",
                demo::INSTANCE_ID,
                "--org-id",
                demo::ORG_ID,
                "--invite-id",
                INVITES[0],
            ],
            None,
            "required",
        ),
        (
            &[
                "get",
                "--instance-id",
                demo::INSTANCE_ID,
                "--org-id",
                demo::ORG_ID,
            ],
            None,
            "--invite-id",
        ),
        (
            &[
                "get",
                "--instance-id",
                demo::INSTANCE_ID,
                "--org-id",
                demo::ORG_ID,
                "--invite-id",
                INVITES[0],
                "--url",
                "http://api.losant.com",
            ],
            None,
            "clear text",
        ),
    ];
    for (args, stdin, says) in cases {
        let output = fake.run_with_stdin(args, stdin.unwrap_or(""));
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let mut no_token = fake.cli();
    let output = no_token
        .env_remove("LOSANT_API_TOKEN")
        .args(args("get", &["--invite-id", INVITES[0]]))
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("no API token"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fake.sent(), 0, "nothing reached the server");
}

#[test]
fn api_errors_exit_1_with_one_line_on_stderr() {
    let fake = Fake::start();
    let output = fake.run(&args("get", &["--invite-id", "0123456789abcdef01234567"]));
    assert_eq!(code(&output), 1);
    assert_eq!(
        stderr(&output),
        "losant-invites: instanceOrgInvite.get: 404 NotFound: Invite was not found\n"
    );
    assert!(output.stdout.is_empty());
    let reader = fake
        .cli()
        .env("LOSANT_API_TOKEN", "reader")
        .args(args("delete", &["--invite-id", INVITES[0]]))
        .output()
        .unwrap();
    assert_eq!(code(&reader), 1);
    assert!(
        stderr(&reader).contains("403 Forbidden"),
        "{}",
        stderr(&reader)
    );
}

#[test]
fn transport_failures_and_timeouts_exit_3() {
    let fake = Fake::start();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let refused = fake.run(&args(
        "get",
        &[
            "--invite-id",
            INVITES[0],
            "--url",
            &format!("http://{closed}"),
            "--no-retry",
        ],
    ));
    assert_eq!(code(&refused), 3, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("transport failure"),
        "{}",
        stderr(&refused)
    );

    fake.server.script(
        Action::Get,
        [Fault::Trickle {
            interval: std::time::Duration::from_millis(100),
        }],
    );
    let slow = fake.run(&args(
        "get",
        &["--invite-id", INVITES[0], "--timeout", "300ms"],
    ));
    assert_eq!(code(&slow), 3, "{}", stderr(&slow));
    assert!(stderr(&slow).contains("timed out"), "{}", stderr(&slow));
}

#[test]
fn bulk_get_reports_every_item_and_a_summary() {
    let fake = Fake::start();
    let list = format!(
        "# invites to check\n{}\n\n{}\n0123456789abcdef01234567\n",
        INVITES[0], INVITES[2]
    );
    let output = fake.run_with_stdin(
        &args("get", &["--invite-ids-from", "-", "--concurrency", "2"]),
        &list,
    );
    assert_eq!(code(&output), 1, "one item failed: {}", stderr(&output));
    insta::assert_json_snapshot!("bulk_get", stdout_json(&output));

    let text = fake.run_with_stdin(
        &args("get", &["--invite-ids-from", "-", "--output", "text"]),
        &list,
    );
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(&format!("ok    {} found", INVITES[2])),
        "{text}"
    );
    assert!(
        text.contains("FAIL  0123456789abcdef01234567 instanceOrgInvite.get: 404 NotFound"),
        "{text}"
    );
    assert!(text.ends_with("2 of 3 succeeded, 1 failed\n"), "{text}");
}

#[test]
fn bulk_lists_with_bad_ids_are_refused_with_line_numbers_before_sending() {
    let fake = Fake::start();
    let list = format!(
        "{}\nnot-an-id\n# fine\n{}z\n",
        INVITES[0],
        &INVITES[1][..23]
    );
    let output = fake.run_with_stdin(&args("delete", &["--invite-ids-from", "-"]), &list);
    assert_eq!(code(&output), 2);
    let errors = stderr(&output);
    assert!(errors.contains("line 2: \"not-an-id\""), "{errors}");
    assert!(errors.contains("line 4: "), "{errors}");
    assert_eq!(fake.sent(), 0);
    assert!(fake.exists(INVITES[0]));
}

#[test]
fn bulk_delete_runs_every_item_with_bounded_concurrency() {
    let fake = Fake::start();
    let missing: Vec<String> = (0..7)
        .map(|i| format!("0123456789abcdef0123456{i}"))
        .collect();
    let list = INVITES
        .iter()
        .map(|s| s.to_string())
        .chain(missing)
        .collect::<Vec<_>>()
        .join("\n");
    fake.server
        .set_latency(Action::Delete, std::time::Duration::from_millis(20));
    let output = fake.run_with_stdin(
        &args("delete", &["--invite-ids-from", "-", "--concurrency", "3"]),
        &list,
    );
    assert_eq!(code(&output), 1);
    let summary = &stdout_json(&output)["summary"];
    assert_eq!(
        summary,
        &json!({"total": 10, "succeeded": 3, "failed": 7, "done": {"revoke": 3}})
    );
    assert!(INVITES.iter().all(|id| !fake.exists(id)));
    assert_eq!(fake.sent(), 10);
}

#[test]
fn the_token_never_shows_even_when_tracing_everything() {
    let fake = Fake::start();
    fake.server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let traced = fake.run(&args("get", &["--invite-id", INVITES[0], "-vv"]));
    assert_eq!(code(&traced), 0, "{}", stderr(&traced));
    let failed = fake.run(&args(
        "get",
        &[
            "--invite-id",
            "0123456789abcdef01234567",
            "-vv",
            "--output",
            "text",
        ],
    ));
    let flagged = fake
        .cli()
        .env_remove("LOSANT_API_TOKEN")
        .args(args(
            "get",
            &["--invite-id", "bad", "--token", TOKEN, "-vv"],
        ))
        .output()
        .unwrap();
    let traces = stderr(&traced);
    assert!(traces.contains("→ 503 in "), "{traces}");
    assert!(
        traces.contains("(attempt 2)"),
        "the retry is traced: {traces}"
    );
    assert!(traces.contains("authorization: [redacted]"), "{traces}");
    for output in [traced, failed, flagged] {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        );
        assert!(!all.contains(TOKEN), "the token leaked: {all}");
    }
    let help = fake.run(&["get", "--help"]);
    assert!(
        !String::from_utf8_lossy(&help.stdout).contains(TOKEN),
        "--help hides the env value"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    let fake = Fake::start();
    for shell in ["bash", "zsh", "fish"] {
        let output = fake.run(&["completions", shell]);
        assert_eq!(code(&output), 0);
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains("losant-invites") && script.contains("invite-ids-from"),
            "{shell}"
        );
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let fake = Fake::start();
    let help = String::from_utf8(fake.run(&["--help"]).stdout).unwrap();
    for line in [
        "0  success",
        "1  the API answered with an error",
        "2  usage error or invalid input",
        "3  transport failure or timeout",
    ] {
        assert!(help.contains(line), "{help}");
    }
}

#[test]
fn the_mock_command_serves_the_demo_end_to_end() {
    let mut mock = Command::cargo_bin("losant-invites")
        .unwrap()
        .args(["mock", "--port", "0", "--seed", "demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(mock.stdout.take().unwrap()).lines();
    let url = lines.next().unwrap().unwrap();
    let output = Command::cargo_bin("losant-invites")
        .unwrap()
        .env_clear()
        .args([
            "get",
            "--url",
            &url,
            "--token",
            demo::ADMIN_TOKEN,
            "--invite-id",
            demo::INVITE_ID,
        ])
        .args(ORG)
        .output()
        .unwrap();
    let _ = mock.kill();
    let _ = mock.wait();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["id"], demo::INVITE_ID);
}

#[test]
fn global_options_work_before_the_command_and_v_prints_each_attempt() {
    let fake = Fake::start();
    fake.server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let mut all = vec!["-v", "--output", "text", "get"];
    all.extend(ORG);
    all.extend(["--invite-id", INVITES[0]]);
    let output = fake.run(&all);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    let path = format!(
        "/instances/{}/orgs/{}/invites/{}",
        demo::INSTANCE_ID,
        demo::ORG_ID,
        INVITES[0]
    );
    assert!(
        lines[0].starts_with(&format!("instanceOrgInvite.get GET {path} → 503 in "))
            && lines[0].ends_with(" ms (attempt 1)"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("  retrying in ") && lines[1].ends_with(" ms (attempt 2 next)"),
        "{lines:?}"
    );
    assert!(lines[2].contains("→ 200 in "), "{lines:?}");
    assert_eq!(lines.len(), 3, "no headers at -v: {lines:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("email        user0@example.com"));
}

#[test]
fn the_instance_and_org_come_from_the_environment_too() {
    let fake = Fake::start();
    let output = fake
        .cli()
        .env("LOSANT_INSTANCE_ID", demo::INSTANCE_ID)
        .env("LOSANT_ORG_ID", demo::ORG_ID)
        .args(["get", "--invite-id", INVITES[0]])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout_json(&output)["id"], INVITES[0]);
    let help = String::from_utf8(fake.run(&["get", "--help"]).stdout).unwrap();
    for shown in [
        "[env: LOSANT_INSTANCE_ID]",
        "[env: LOSANT_ORG_ID]",
        "[env: LOSANT_API_URL]",
        "[default: 30s]",
    ] {
        assert!(help.contains(shown), "{shown}: {help}");
    }
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_141() {
    let fake = Fake::start();
    let list: String = seeded_invites(&fake, 200).join("\n");
    let roster: String = std::iter::once("email,role".to_owned())
        .chain((0..200).map(|i| format!("roster{i}@example.com,view")))
        .collect::<Vec<_>>()
        .join("\n");
    let commands: Vec<(Vec<&str>, Option<&str>)> = vec![
        (args("get", &["--invite-id", INVITES[0]]), None),
        (vec!["completions", "zsh"], None),
        (
            args("get", &["--invite-ids-from", "-", "--output", "ndjson"]),
            Some(list.as_str()),
        ),
        (
            args("get", &["--email", "bulk*", "--output", "ndjson"]),
            None,
        ),
        (
            args("invite", &["--from", "-", "--output", "ndjson"]),
            Some(roster.as_str()),
        ),
    ];
    for (arguments, stdin) in commands {
        let mut child = fake
            .cli()
            .args(&arguments)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the command prints anything.
        drop(child.stdout.take());
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.unwrap_or("").as_bytes());
        drop(input);
        let output = child.wait_with_output().unwrap();
        assert_eq!(code(&output), 141, "{arguments:?}: {}", stderr(&output));
        assert!(
            !stderr(&output).contains("panicked"),
            "{arguments:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn an_interrupted_bulk_delete_reports_everything_the_fake_deleted() {
    let fake = Fake::start();
    let ids = seeded_invites(&fake, 60);
    fake.server
        .set_latency(Action::Delete, std::time::Duration::from_millis(100));
    let mut child = fake
        .cli()
        .args(args(
            "delete",
            &[
                "--invite-ids-from",
                "-",
                "--concurrency",
                "4",
                "--output",
                "ndjson",
            ],
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        input.write_all(ids.join("\n").as_bytes()).unwrap();
    }
    // Once some deletes are done, Ctrl-C, as a person at the terminal would.
    while ids.iter().filter(|id| !fake.exists(id)).count() < 8 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    support::interrupt(&child);
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 130, "{}", stderr(&output));
    let lines = ndjson(&output);
    let (summary, items) = lines.split_last().unwrap();
    let summary = &summary["summary"];
    assert_eq!(summary["interrupted"], true, "{summary}");
    let reported: Vec<&str> = items
        .iter()
        .filter(|item| item["ok"] == true)
        .map(|item| item["inviteId"].as_str().unwrap())
        .collect();
    let deleted: Vec<&String> = ids.iter().filter(|id| !fake.exists(id)).collect();
    for id in &deleted {
        assert!(
            reported.contains(&id.as_str()),
            "{id} was deleted but not reported"
        );
    }
    let not_attempted = summary["notAttempted"].as_array().unwrap();
    assert!(!not_attempted.is_empty(), "{summary}");
    assert_eq!(
        items.len() + not_attempted.len() + summary["unanswered"].as_array().unwrap().len(),
        ids.len()
    );
    for id in not_attempted {
        assert!(fake.exists(id.as_str().unwrap()), "{id} was not attempted");
    }
    assert!(
        stderr(&output).contains("interrupted"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bulk_runs_fit_automation() {
    let fake = Fake::start();
    // An empty list is nothing to do.
    let empty = fake.run_with_stdin(
        &args("delete", &["--invite-ids-from", "-", "--output", "text"]),
        "# nothing today\n",
    );
    assert_eq!(code(&empty), 0, "{}", stderr(&empty));
    assert!(String::from_utf8_lossy(&empty.stdout).contains("nothing to do"));

    // A repeated ID is acted on once, and the repeat reported.
    let ids = seeded_invites(&fake, 2);
    let list = format!("{}\n{}\n{}\n", ids[0], ids[1], ids[0].to_uppercase());
    let output = fake.run_with_stdin(&args("delete", &["--invite-ids-from", "-"]), &list);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = stdout_json(&output);
    assert_eq!(document["summary"]["repeats"], 1, "{document}");
    assert!(
        document["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["repeatOf"] == 1)
    );
    let deletes = fake
        .server
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .count();
    assert_eq!(deletes, 2);

    // Re-running the half-done cleanup with --ignore-missing succeeds.
    let again = fake.run_with_stdin(
        &args("delete", &["--invite-ids-from", "-", "--ignore-missing"]),
        &list,
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(stdout_json(&again)["summary"]["alreadyGone"], 2);

    // A bad --instance-id is refused once, before anything is sent.
    let sent = fake.sent();
    let refused = fake.run_with_stdin(
        &[
            "delete",
            "--instance-id",
            "nope",
            "--org-id",
            demo::ORG_ID,
            "--invite-ids-from",
            "-",
        ],
        &list,
    );
    assert_eq!(code(&refused), 2);
    let naming = stderr(&refused)
        .lines()
        .filter(|line| line.contains("nope"))
        .count();
    assert_eq!(naming, 1, "one refusal: {}", stderr(&refused));
    assert_eq!(fake.sent(), sent);

    // --dry-run sends nothing.
    let dry = fake.run_with_stdin(
        &args(
            "resend",
            &[
                "--invite-ids-from",
                "-",
                "--role",
                "view",
                "--dry-run",
                "--output",
                "text",
            ],
        ),
        &format!("{}\n{}\n", INVITES[0], INVITES[1]),
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains(&format!("would send POST {}", fake.server.url())),
        "{text}"
    );
    assert!(text.contains(r#"{"role":"view"}"#), "{text}");
    assert_eq!(fake.sent(), sent);

    // Bulk resend, one set of roles for all, old → new.
    let resent = fake.run_with_stdin(
        &args(
            "resend",
            &[
                "--invite-ids-from",
                "-",
                "--role",
                "edit",
                "--output",
                "text",
            ],
        ),
        &format!("{}\n{}\n", INVITES[0], INVITES[1]),
    );
    assert_eq!(code(&resent), 0, "{}", stderr(&resent));
    let text = String::from_utf8_lossy(&resent.stdout);
    assert_eq!(text.matches(" → ").count(), 2, "{text}");
    assert!(text.contains(&format!("ok    {} → ", INVITES[0])), "{text}");
    assert!(!fake.exists(INVITES[0]) && !fake.exists(INVITES[1]));
}

#[test]
fn a_bulk_delete_on_a_terminal_asks_first() {
    if !support::have("script") {
        return;
    }
    let fake = Fake::start();
    let ids = seeded_invites(&fake, 3);
    let list = std::env::temp_dir().join(format!("bulk-delete-{}.txt", std::process::id()));
    std::fs::write(&list, ids.join("\n")).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("losant-invites");
    let command = format!(
        "{} delete --instance-id {} --org-id {} --invite-ids-from {}",
        binary.display(),
        demo::INSTANCE_ID,
        demo::ORG_ID,
        list.display()
    );
    let on_terminal = |answer: &str| support::on_terminal(&fake, &command, answer);
    let declined = on_terminal("n\n");
    let shown = String::from_utf8_lossy(&declined.stdout).into_owned();
    assert!(
        shown.contains("delete 3 invites of organization"),
        "{shown}"
    );
    assert!(shown.contains("cancelled"), "{shown}");
    assert!(ids.iter().all(|id| fake.exists(id)), "nothing was deleted");

    let accepted = on_terminal("y\n");
    let shown = String::from_utf8_lossy(&accepted.stdout).into_owned();
    assert!(shown.contains("3 of 3 succeeded"), "{shown}");
    assert!(ids.iter().all(|id| !fake.exists(id)));
    let _ = std::fs::remove_file(list);
}

#[test]
fn messages_speak_the_command_line_s_words() {
    let fake = Fake::start();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--invite-id", "123"],
            r#"invalid value '123' for '--invite-id <ID>': "123" is not a Losant ID"#,
        ),
        (
            &["--invite-id", INVITES[0], "--url", "127.0.0.1:8080"],
            "did you mean https://127.0.0.1:8080, or http://127.0.0.1:8080",
        ),
        (
            &["--invite-id", INVITES[0], "--url", "http://api.losant.com"],
            "add --allow-insecure-http",
        ),
        (
            &["--invite-id", INVITES[0], "--timeout", "soon"],
            "is not a duration such as 30s, 500ms or 2m",
        ),
        // A number without its unit is refused, not guessed: the units fit the flag.
        (
            &["--invite-id", INVITES[0], "--timeout", "30"],
            "\"30\" has no unit: write 30s, 30ms or 30m",
        ),
        (
            &["--expired", "--older-than", "30"],
            "\"30\" has no unit: write 30d, 30h or 30m",
        ),
    ];
    for (rest, says) in cases {
        let output = fake.run(&args("get", rest));
        assert_eq!(code(&output), 2, "{rest:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(says),
            "{rest:?}: {}",
            stderr(&output)
        );
    }
    let empty_token = fake
        .cli()
        .env("LOSANT_API_TOKEN", "")
        .args(args("get", &["--invite-id", INVITES[0]]))
        .output()
        .unwrap();
    assert!(
        stderr(&empty_token).contains("no API token: pass --token or set LOSANT_API_TOKEN"),
        "{}",
        stderr(&empty_token)
    );
    let quick = fake.run(&args(
        "get",
        &["--invite-id", INVITES[0], "--timeout", "5s"],
    ));
    assert_eq!(code(&quick), 0, "{}", stderr(&quick));
    assert_eq!(fake.sent(), 1);

    // The fake names the address it cannot take, and without a terminal does not offer Ctrl-C.
    let mut background = Command::cargo_bin("losant-invites")
        .unwrap()
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(background.stderr.take().unwrap()).lines();
    let line = said.next().unwrap().unwrap();
    let _ = background.kill();
    let _ = background.wait();
    let pid = background.id();
    assert_eq!(
        line,
        format!("serving (pid {pid}); stop it with `kill {pid}`")
    );

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let taken = fake.run(&["mock", "--port", &port]);
    assert_eq!(code(&taken), 2);
    assert!(
        stderr(&taken).contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        stderr(&taken)
    );
}

/// `--dry-run` shows the very request a real run sends: the same method, path, query and
/// headers as the fake then receives, the token left out.
#[test]
fn a_dry_run_shows_exactly_the_request_a_real_run_sends() {
    let fake = Fake::start();
    let resend = ["--invite-id", INVITES[0], "--role", "view"];
    let shown = fake.run(&args(
        "resend",
        &[&resend[..], &["--dry-run", "--output", "json"]].concat(),
    ));
    assert_eq!(code(&shown), 0, "{}", stderr(&shown));
    assert!(!String::from_utf8_lossy(&shown.stdout).contains(TOKEN));
    assert_eq!(fake.sent(), 0, "a dry run sends nothing");
    let shown = stdout_json(&shown);
    let requests = shown["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "{shown}");
    let request = &requests[0];

    let sent = fake.run(&args("resend", &resend));
    assert_eq!(code(&sent), 0, "{}", stderr(&sent));
    let received = fake.server.requests().pop().unwrap();
    let url = reqwest::Url::parse(request["url"].as_str().unwrap()).unwrap();
    assert_eq!(request["method"], received.method);
    assert_eq!(url.path(), received.path);
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(query, received.query);
    assert_eq!(
        query
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["_actions", "_links", "_embedded"]
    );
    for (name, value) in request["headers"].as_object().unwrap() {
        match name.as_str() {
            "authorization" => assert_eq!(value, "Bearer [redacted]"),
            _ => assert_eq!(received.header(name), value.as_str(), "{name}"),
        }
    }
    assert_eq!(request["body"], json!({ "role": "view" }));
    assert_eq!(received.body.as_deref(), Some(r#"{"role":"view"}"#));

    let text = fake.run(&args(
        "get",
        &["--invite-id", INVITES[1], "--dry-run", "--output", "text"],
    ));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("?_actions=false&_links=true&_embedded=true"),
        "{text}"
    );
    assert!(
        text.contains("  authorization: Bearer [redacted]"),
        "{text}"
    );
    assert!(text.ends_with("dry run: 1 request, none sent\n"), "{text}");
}

/// Every invite of `output`'s JSON collection, as Losant sent it.
fn items(output: &Output) -> Vec<Value> {
    stdout_json(output)["items"]
        .as_array()
        .expect("items")
        .clone()
}

#[test]
fn list_shows_what_losant_lists_narrowed_by_expiry_and_age() {
    let fake = Fake::demo();
    let all = fake.run(&args("list", &["--output", "json"]));
    assert_eq!(code(&all), 0, "{}", stderr(&all));
    let everything = items(&all);
    assert!(everything.len() >= 12);
    assert_eq!(stdout_json(&all)["count"], everything.len());

    let expired = items(&fake.run(&args("list", &["--expired", "--output", "json"])));
    let pending = items(&fake.run(&args("list", &["--pending", "--output", "json"])));
    assert!(expired.iter().all(|i| i["hasExpired"] == true) && !expired.is_empty());
    assert!(pending.iter().all(|i| i["hasExpired"] == false) && !pending.is_empty());
    assert_eq!(expired.len() + pending.len(), everything.len());

    let old = items(&fake.run(&args("list", &["--older-than", "30d", "--output", "json"])));
    let month_ago = chrono::Utc::now() - chrono::Duration::days(30);
    assert!(!old.is_empty());
    for invite in &old {
        let date: chrono::DateTime<chrono::Utc> =
            invite["inviteDate"].as_str().unwrap().parse().unwrap();
        assert!(date < month_ago, "{invite}");
    }

    // --email goes to Losant as its filter; --sort as its sort.
    fake.server.clear_requests();
    let filtered = fake.run(&args(
        "list",
        &[
            "--email",
            "*@example.org",
            "--sort",
            "email:asc",
            "--output",
            "ndjson",
        ],
    ));
    assert_eq!(code(&filtered), 0, "{}", stderr(&filtered));
    let query = fake.server.requests().pop().unwrap().sorted_query();
    for pair in [
        ("filterField", "email"),
        ("filter", "*@example.org"),
        ("sortField", "email"),
        ("sortDirection", "asc"),
    ] {
        assert!(
            query.contains(&(pair.0.to_owned(), pair.1.to_owned())),
            "{query:?}"
        );
    }
    let lines = ndjson(&filtered);
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|i| i["email"].as_str().unwrap().ends_with("@example.org"))
    );

    // A field alone sorts ascending, whatever Losant's own default.
    fake.server.clear_requests();
    let by_email = items(&fake.run(&args("list", &["--sort", "email", "--output", "json"])));
    let emails: Vec<&str> = by_email
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    assert!(emails.windows(2).all(|w| w[0] <= w[1]), "{emails:?}");
    let query = fake.server.requests().pop().unwrap().sorted_query();
    assert!(
        query.contains(&("sortDirection".to_owned(), "asc".to_owned())),
        "{query:?}"
    );

    // IDs, one a line, feed a bulk run.
    let ids = fake.run(&args("list", &["--expired", "--output", "ids"]));
    let ids = String::from_utf8(ids.stdout).unwrap();
    assert_eq!(ids.lines().count(), expired.len());
    let table = fake.run(&args("list", &["--role", "admin", "--output", "text"]));
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table.lines().skip(1).all(|line| line.contains(" admin ")),
        "{table}"
    );
    assert!(!table.lines().any(|line| line.ends_with(' ')), "{table}");
}

#[test]
fn invite_makes_one_invite_and_prints_it() {
    let fake = Fake::demo();
    let made = fake.run(&args(
        "invite",
        &[
            "--email",
            "new.member@example.com",
            "--role",
            "view",
            "--application-role",
            "575ec8687ae143cd83dc4a90=collaborate",
            "--output",
            "json",
        ],
    ));
    assert_eq!(code(&made), 0, "{}", stderr(&made));
    let invite = stdout_json(&made);
    assert_eq!(invite["email"], "new.member@example.com");
    assert_eq!(invite["applicationRoles"][0]["role"], "collaborate");
    assert!(fake.exists(invite["id"].as_str().unwrap()));

    fake.server.clear_requests();
    // A dry run looks the email up (a read) and sends nothing else.
    let dry = fake.run(&args(
        "invite",
        &[
            "--email",
            "x@example.com",
            "--role",
            "edit",
            "--dry-run",
            "--output",
            "json",
        ],
    ));
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert_eq!(
        stdout_json(&dry)["requests"][0]["body"],
        json!({"email": "x@example.com", "role": "edit"})
    );
    // It looks at the email's invites and membership: two reads, nothing else.
    let looked = fake.server.requests();
    assert_eq!(looked.len(), 2, "{looked:?}");
    for request in &looked {
        assert_eq!(request.method, "GET");
        let path = &request.path;
        assert!(
            path.ends_with("/invites") || path.ends_with("/members"),
            "{path}"
        );
        let filter = ("filter".to_owned(), "x@example.com".to_owned());
        assert!(request.query.contains(&filter), "{looked:?}");
    }
    fake.server.clear_requests();
    let bad = fake.run(&args(
        "invite",
        &["--email", "not an email", "--role", "edit"],
    ));
    assert_eq!(code(&bad), 2, "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("is not an email address"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(fake.sent(), 0, "invalid input sends nothing");
    let ids_elsewhere = fake.run(&args(
        "get",
        &["--invite-id", INVITES[0], "--output", "ids"],
    ));
    assert_eq!(code(&ids_elsewhere), 2);
}
