//! `losant-invites` run as a real process against the fake Losant over loopback.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use losant_invites_mock::{Action, Fault, MockServer, demo};
use serde_json::{Value, json};

const TOKEN: &str = "cli-test-token-0123456789";
const INVITES: [&str; 3] = [
    "575ec8687ae143cd83dc4a94",
    "575ec8687ae143cd83dc4a98",
    "575ec8687ae143cd83dc4a99",
];
const ORG: [&str; 4] = ["--instance-id", demo::INSTANCE_ID, "--org-id", demo::ORG_ID];

/// A fake Losant running on its own thread while the test waits on the CLI process. The
/// server is declared first so it stops before its runtime does.
struct Fake {
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Fake {
    /// Three invites with fixed dates, so printed answers are the same on every run.
    fn start() -> Fake {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut builder = MockServer::builder()
            .token(TOKEN, ["all.Instance"])
            .token("reader", ["all.Instance.read"]);
        for (i, id) in INVITES.iter().enumerate() {
            builder = builder.invite(
                demo::INSTANCE_ID,
                demo::ORG_ID,
                json!({
                    "id": id,
                    "email": format!("user{i}@example.com"),
                    "role": "edit",
                    "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "view"}],
                    "inviteDate": "2020-01-01T00:00:00.000Z",
                    "ttl": 10_000_000_000_000_u64,
                }),
            );
        }
        let server = runtime.block_on(builder.start()).unwrap();
        Fake { server, runtime }
    }

    fn cli(&self) -> Command {
        let mut command = Command::cargo_bin("losant-invites").unwrap();
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LOSANT_API_URL", self.server.url())
            .env("LOSANT_API_TOKEN", TOKEN);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cli().args(args).output().unwrap()
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cli()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn sent(&self) -> usize {
        self.server.requests().len()
    }

    fn exists(&self, invite: &str) -> bool {
        self.server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, invite)
            .is_some()
    }
}

fn args<'a>(command: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![command];
    all.extend(ORG);
    all.extend(rest);
    all
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

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
        &["--invite-id", INVITES[0], "--timeout", "0.3"],
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
    assert_eq!(summary, &json!({"total": 10, "succeeded": 3, "failed": 7}));
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
