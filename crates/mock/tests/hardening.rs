//! The fake under hostile clients: half-sent and idle connections are closed, the connection
//! limit still lets a normal request through, the request log stays within its budget, and a
//! body it cannot decode is refused.

mod support;

use std::time::Duration;

use losant_invites_mock::{LOGGED_BODY_BYTES, Limits, MockServer, RecordedRequest, Seed, demo};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short timeouts, so the tests wait little; the defaults are in seconds.
fn quick(max_connections: usize) -> Limits {
    Limits {
        header_read: Duration::from_millis(200),
        body_read: Duration::from_millis(200),
        idle: Duration::from_millis(400),
        max_connections,
    }
}

async fn fake(limits: Limits) -> MockServer {
    MockServer::builder()
        .seed(Seed::demo())
        .limits(limits)
        .start()
        .await
        .unwrap()
}

fn invite_path() -> String {
    format!(
        "/instances/{}/orgs/{}/invites/{}",
        demo::INSTANCE_ID,
        demo::ORG_ID,
        demo::INVITE_ID
    )
}

/// Reads until the server closes the connection (or 5 s pass, which fails the test).
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut all)).await;
    assert!(read.is_ok(), "the fake kept the connection open: {all:?}");
    all
}

#[tokio::test]
async fn a_half_sent_head_is_closed_after_the_header_timeout() {
    let server = fake(quick(64)).await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /instances/x HTTP/1.1\r\nHost: fake\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.is_empty(), "no answer to half a head: {answer:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = fake(quick(64)).await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer {}\r\n\r\n",
        invite_path(),
        demo::ADMIN_TOKEN
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // The answer comes, the connection stays open for the next request, then times out.
    let answer = read_until_closed(&mut stream).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[tokio::test]
async fn a_half_sent_body_is_answered_408_and_closed() {
    let server = fake(quick(64)).await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"role\":",
        invite_path(),
        demo::ADMIN_TOKEN
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = String::from_utf8_lossy(&read_until_closed(&mut stream).await).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""type":"RequestTimeout""#), "{answer}");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "not acted on"
    );
}

#[tokio::test]
async fn at_the_connection_limit_a_normal_request_is_still_served() {
    let server = fake(Limits {
        idle: Duration::from_secs(60),
        ..quick(8)
    })
    .await;
    // More idle connections than the limit, as a test suite that leaks them would leave.
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(server.addr()).await.unwrap());
    }
    let answer = support::http()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .get(format!("{}{}", server.url(), invite_path()))
        .bearer_auth(demo::ADMIN_TOKEN)
        .send()
        .await
        .expect("served at the limit");
    assert_eq!(answer.status(), 200);
    // The oldest idle connections were closed to make room.
    let mut closed = 0;
    for stream in &mut idle {
        let mut byte = [0; 1];
        if let Ok(Ok(0)) =
            tokio::time::timeout(Duration::from_millis(200), stream.read(&mut byte)).await
        {
            closed += 1;
        }
    }
    assert!(closed >= 12, "{closed} of 20 idle connections closed");
}

#[tokio::test]
async fn the_log_keeps_bodies_of_authenticated_requests_only_as_a_prefix() {
    let server = fake(quick(64)).await;
    let http = support::http().build().unwrap();
    let big = "x".repeat(900_000);
    // Unauthenticated, to a path the fake does not serve: counted, not kept.
    for token in [None, Some("not-a-token")] {
        let mut request = http
            .post(format!("{}/nowhere", server.url()))
            .body(big.clone());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), 404);
    }
    // Authenticated, to the invite path: kept up to the prefix.
    let answer = http
        .post(format!("{}{}", server.url(), invite_path()))
        .bearer_auth(demo::ADMIN_TOKEN)
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let log = server.requests();
    let (junk, kept) = (&log[..2], &log[2]);
    for entry in junk {
        assert_eq!((entry.body.as_deref(), entry.body_len), (None, big.len()));
    }
    assert_eq!(kept.body.as_ref().map(String::len), Some(LOGGED_BODY_BYTES));
    assert_eq!(kept.body_len, big.len());
    let sizes: usize = log.iter().map(RecordedRequest::size).sum();
    assert_eq!(server.log_bytes(), sizes);
    assert!(
        server.log_bytes() < 2 * LOGGED_BODY_BYTES,
        "{}",
        server.log_bytes()
    );
}

#[tokio::test]
async fn the_log_forgets_the_oldest_requests_past_its_budget() {
    let server = MockServer::builder()
        .seed(Seed::demo())
        .log_budget(8 * 1024)
        .start()
        .await
        .unwrap();
    let http = support::http().build().unwrap();
    for n in 0..100 {
        http.get(format!("{}/nowhere/{n}", server.url()))
            .send()
            .await
            .unwrap();
    }
    let log = server.requests();
    assert!(server.log_bytes() <= 8 * 1024);
    assert!(log.len() < 100, "{} kept", log.len());
    assert_eq!(
        log.last().unwrap().path,
        "/nowhere/99",
        "the newest is kept"
    );
    assert_ne!(log[0].path, "/nowhere/0", "the oldest went first");
}

#[tokio::test]
async fn a_body_in_an_encoding_the_fake_cannot_read_is_refused_with_415() {
    let server = fake(quick(64)).await;
    let answer = support::http()
        .build()
        .unwrap()
        .post(format!("{}{}", server.url(), invite_path()))
        .bearer_auth(demo::ADMIN_TOKEN)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(r#"{"role":"view"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 415);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["type"], "UnsupportedMediaType");
    assert!(body["message"].as_str().unwrap().contains("gzip"), "{body}");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "not acted on"
    );
}
