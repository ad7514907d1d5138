//! What the command line's test files share.
// Each test file uses a part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use losant_invites_mock::{MockServer, demo};
use serde_json::{Value, json};

/// Whether `program` can be run, for a test that needs a program a fresh machine may lack
/// (a shell, `script`). Where it is missing the test says so on stderr and passes without
/// running; under CI (`CI` set), where `.ci/run` installs it, a missing program fails the test.
pub fn have(program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is not installed; .ci/run installs it"
        );
        eprintln!("skipped: {program} is not installed (.ci/run installs it)");
    }
    found
}

/// Sends SIGINT to `child`, as Ctrl-C at a terminal would.
pub fn interrupt(child: &std::process::Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits in pid_t");
    // SAFETY: kill(2) takes any pid and signal number; the child is ours and still running.
    let sent = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(sent, 0, "SIGINT reached the process");
}

pub const TOKEN: &str = "cli-test-token-0123456789";
pub const INVITES: [&str; 3] = [
    "575ec8687ae143cd83dc4a94",
    "575ec8687ae143cd83dc4a98",
    "575ec8687ae143cd83dc4a99",
];
pub const ORG: [&str; 4] = ["--instance-id", demo::INSTANCE_ID, "--org-id", demo::ORG_ID];

/// A fake Losant running on its own thread while the test waits on the CLI process. The
/// server is declared first so it stops before its runtime does.
pub struct Fake {
    pub server: MockServer,
    pub runtime: tokio::runtime::Runtime,
}

impl Fake {
    /// Three invites with fixed dates, so printed answers are the same on every run.
    pub fn start() -> Fake {
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

    /// The demo organization: a dozen and more invites, pending and expired, every role.
    pub fn demo() -> Fake {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let builder = MockServer::builder()
            .seed(losant_invites_mock::Seed::demo())
            .token(TOKEN, ["all.Instance"]);
        let server = runtime.block_on(builder.start()).unwrap();
        Fake { server, runtime }
    }

    pub fn cli(&self) -> Command {
        let mut command = Command::cargo_bin("losant-invites").unwrap();
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LOSANT_API_URL", self.server.url())
            .env("LOSANT_API_TOKEN", TOKEN);
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cli().args(args).output().unwrap()
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cli()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A command that refuses its arguments exits without reading its input: a closed
        // pipe here is no failure of the test.
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    }

    pub fn sent(&self) -> usize {
        self.server.requests().len()
    }

    pub fn exists(&self, invite: &str) -> bool {
        self.server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, invite)
            .is_some()
    }
}

pub fn args<'a>(command: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![command];
    all.extend(ORG);
    all.extend(rest);
    all
}

pub fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited")
}

/// A list of `n` invites the fake holds, as IDs one a line.
pub fn seeded_invites(fake: &Fake, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let id = format!("6a5ec8687ae143cd83dc{i:04x}");
            fake.server
                .insert_invite(
                    demo::INSTANCE_ID,
                    demo::ORG_ID,
                    json!({"id": id, "email": format!("bulk{i}@example.com"), "role": "view"}),
                )
                .unwrap();
            id
        })
        .collect()
}

pub fn ndjson(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Runs `command` (a shell command line) on a pseudo-terminal through `script`, as a person at
/// a terminal would, against `fake`; `answer` is what they type.
pub fn on_terminal(fake: &Fake, command: &str, answer: &str) -> Output {
    let mut script = Command::new("script");
    script
        .args(["-qec", command, "/dev/null"])
        .env("LOSANT_API_URL", fake.server.url())
        .env("LOSANT_API_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut running = script.spawn().unwrap();
    running
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    running.wait_with_output().unwrap()
}

/// A reqwest client of the test's own, as the client crate builds one (reqwest alone has no
/// TLS provider to pick in this build, even for plain http).
pub fn http() -> reqwest::Client {
    losant_invites_client::http_client_builder()
        .expect("a reqwest builder")
        .build()
        .expect("a reqwest client")
}

/// The invitee of `invite_id` accepts it, as Losant's acceptance action: the token of the
/// mail the fake sent, posted to `/invites`. The answer's status.
pub fn accept(fake: &Fake, invite_id: &str) -> reqwest::StatusCode {
    let mail = fake
        .server
        .outbox()
        .into_iter()
        .find(|mail| mail.invite_id == invite_id)
        .expect("the invite's mail");
    fake.runtime.block_on(async {
        http()
            .post(format!("{}/invites", fake.server.url()))
            .json(&json!({ "email": mail.email, "token": mail.token, "accept": true }))
            .send()
            .await
            .unwrap()
            .status()
    })
}
