//! Helpers shared by the workspace-level tests. Each test binary uses a part of them.
#![allow(dead_code)]

use std::path::PathBuf;

use losant_invites_client::{Client, types};
use losant_invites_mock::{MockServer, Seed, demo};

/// The spec every test reads: the workspace's `openapi/losant-invites.yaml`.
pub fn spec_text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/losant-invites.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A fake Losant holding the demo data.
pub async fn fake() -> MockServer {
    MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .expect("the fake starts")
}

/// A client of `server` with the demo admin token and quick retries.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .retry_policy(quick_retries())
        .build()
        .expect("a client")
}

/// A reqwest client of the test's own, as a caller makes one: from the client crate's
/// builder, which carries its TLS setup (reqwest alone has no crypto provider to pick).
pub fn own_reqwest() -> reqwest::ClientBuilder {
    losant_invites_client::http_client_builder().expect("a reqwest builder")
}

/// The standard policy with millisecond backoff, so retry tests stay fast.
pub fn quick_retries() -> losant_invites_client::RetryPolicy {
    losant_invites_client::RetryPolicy::standard().with_backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(20),
    )
}

/// The demo invite's path.
pub fn invite_path(invite: &str) -> String {
    format!(
        "/instances/{}/orgs/{}/invites/{invite}",
        demo::INSTANCE_ID,
        demo::ORG_ID
    )
}

/// The demo org's invite `invite`, through the client: the whole answer.
pub async fn get_answer(
    client: &Client,
    invite: &str,
) -> Result<losant_invites_client::ResponseValue<types::OrgInvite>, losant_invites_client::Error> {
    client
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(invite)
        .send()
        .await
}

/// The demo org's invite `invite`, through the client.
pub async fn get(
    client: &Client,
    invite: &str,
) -> Result<types::OrgInvite, losant_invites_client::Error> {
    get_answer(client, invite)
        .await
        .map(|answer| answer.into_inner())
}

/// Deletes the demo org's invite `invite` through the client.
pub async fn delete(
    client: &Client,
    invite: &str,
) -> Result<types::Success, losant_invites_client::Error> {
    client
        .instance_org_invite_delete()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(invite)
        .send()
        .await
        .map(|answer| answer.into_inner())
}

/// Resends the demo invite with `body` through the client.
pub async fn resend(
    client: &Client,
    body: types::OrgRoleInfo,
) -> Result<types::OrgInvite, losant_invites_client::Error> {
    client
        .instance_org_invite_resend_invite()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .body(body)
        .send()
        .await
        .map(|answer| answer.into_inner())
}

/// Starts a server on loopback that answers every request with `status`, `content_type` and
/// `body`, as a server Losant's fake cannot imitate would; returns its base URL.
pub async fn answer_always(status: u16, content_type: &str, body: &str) -> String {
    let headers = format!("content-type: {content_type}\r\n");
    answer_always_with(status, &headers, body, std::time::Duration::ZERO).await
}

/// As [`answer_always`], with `headers` (whole lines, each ending in CRLF) written as given,
/// each answer `delay` after its request.
pub async fn answer_always_with(
    status: u16,
    headers: &str,
    body: &str,
    delay: std::time::Duration,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answer = format!(
        "HTTP/1.1 {status} Whatever\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                // The requests here have no body: the head ends the request.
                let mut head = Vec::new();
                let mut buffer = [0; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                tokio::time::sleep(delay).await;
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    url
}
