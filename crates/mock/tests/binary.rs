//! The `losant-invites-mock` binary, started as a real process.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use losant_invites_mock::demo;
use serde_json::Value;

/// A running binary, killed when dropped.
struct Running {
    child: Child,
    stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// The next line the binary printed on stdout.
    fn next_line(&mut self) -> String {
        self.stdout.next().expect("another line").expect("text")
    }
}

/// Starts the binary and reads the base URL from its first line.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_losant-invites-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut running = Running {
        child,
        stdout,
        url: String::new(),
    };
    running.url = running.next_line();
    running
}

fn get(url: &str, token: &str) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = support::http()
            .build()
            .unwrap()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("an answer");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    })
}

fn invite_url(base: &str, invite: &str) -> String {
    format!(
        "{base}/instances/{}/orgs/{}/invites/{invite}",
        demo::INSTANCE_ID,
        demo::ORG_ID
    )
}

#[test]
fn prints_its_url_first_and_serves_the_demo() {
    let mut running = start(&["--port", "0", "--seed", "demo"]);
    assert!(
        running.url.starts_with("http://127.0.0.1:"),
        "{}",
        running.url
    );
    let banner: Vec<String> = (0..4).map(|_| running.next_line()).collect();
    assert!(banner[0].contains(demo::ADMIN_TOKEN), "{banner:?}");
    assert!(banner[1].contains(demo::READ_TOKEN), "{banner:?}");
    assert!(banner[2].contains(demo::INVITE_ID), "{banner:?}");
    let (status, invite) = get(&invite_url(&running.url, demo::INVITE_ID), demo::READ_TOKEN);
    assert_eq!(status, 200);
    assert_eq!(invite["id"], demo::INVITE_ID);
}

#[test]
fn reads_a_seed_file_and_token_flags() {
    let dir = std::env::temp_dir().join(format!("losant-invites-mock-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    let text = serde_json::json!({
        "tokens": [{"token": "file-token", "scopes": ["instanceOrgInvite.get"]}],
        "instances": [{"id": demo::INSTANCE_ID, "orgs": [{"id": demo::ORG_ID, "invites": [{"id": demo::INVITE_ID, "role": "admin"}]}]}]
    });
    std::fs::write(&seed, text.to_string()).unwrap();
    let running = start(&[
        "--seed",
        seed.to_str().unwrap(),
        "--token",
        "flag-token=all.User.read",
    ]);
    for token in ["file-token", "flag-token"] {
        let (status, invite) = get(&invite_url(&running.url, demo::INVITE_ID), token);
        assert_eq!(
            (status, invite["role"].as_str()),
            (200, Some("admin")),
            "{token}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fault_flags_script_the_answers() {
    let running = start(&[
        "--seed",
        "demo",
        "--fault",
        "get=503:1,html",
        "--latency",
        "all=1ms",
    ]);
    let url = invite_url(&running.url, demo::INVITE_ID);
    assert_eq!(get(&url, demo::ADMIN_TOKEN).0, 503);
    assert_eq!(get(&url, demo::ADMIN_TOKEN).0, 502);
    assert_eq!(get(&url, demo::ADMIN_TOKEN).0, 200);
}

#[test]
fn bad_flags_and_seed_files_fail_with_a_message() {
    let bad_fault = Command::new(env!("CARGO_BIN_EXE_losant-invites-mock"))
        .args(["--fault", "get=teapot"])
        .output()
        .unwrap();
    assert!(!bad_fault.status.success());
    assert!(String::from_utf8_lossy(&bad_fault.stderr).contains("teapot"));
    let missing = Command::new(env!("CARGO_BIN_EXE_losant-invites-mock"))
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read seed file"));
}

/// Out of file descriptors, with every one held by an idle connection: the fake says so on
/// stderr, closes the longest idle connection, and still answers.
#[test]
fn at_the_open_file_limit_the_fake_warns_and_still_answers() {
    let stderr = std::env::temp_dir().join(format!("mock-fd-limit-{}.err", std::process::id()));
    // `ulimit -n 48` in the system shell (every Unix has one), then the binary in its place,
    // with a connection limit above what the open-file limit allows, so `accept` itself fails.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 48 && exec "$0" --seed demo --max-connections 500 2>"$1""#)
        .arg(env!("CARGO_BIN_EXE_losant-invites-mock"))
        .arg(&stderr)
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = stdout.next().expect("a first line").expect("text");
    let mut running = Running { child, stdout, url };
    let addr = running.url.trim_start_matches("http://").to_owned();
    let idle: Vec<std::net::TcpStream> = (0..80)
        .filter_map(|_| std::net::TcpStream::connect(&addr).ok())
        .collect();
    assert!(idle.len() >= 48, "{} connections made", idle.len());
    let (status, body) = get(
        &invite_url(&running.url, demo::INVITE_ID),
        demo::ADMIN_TOKEN,
    );
    assert_eq!((status, body["id"].as_str()), (200, Some(demo::INVITE_ID)));
    // Stopped before its stderr is read, so all it said is there.
    let _ = running.child.kill();
    let _ = running.child.wait();
    let said = std::fs::read_to_string(&stderr).unwrap_or_default();
    let _ = std::fs::remove_file(&stderr);
    assert!(said.contains("cannot accept a connection"), "{said}");
}
