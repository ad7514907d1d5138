//! What a proxy on the way sees, recorded by a proxy on loopback: never the token in clear.
//! Loopback base URLs bypass every proxy, the environment's included; `https` goes through a
//! tunnel, so the proxy sees the host and not the request; plain `http` elsewhere cannot use a
//! proxy at all.
//!
//! The cases run in one test, in order, because one of them sets the process's proxy
//! environment variables, which this test binary holds for itself.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use losant_invites_client::{BuildError, Client, ErrorKind};
use losant_invites_mock::demo;

/// A proxy that records the head of every request it receives, then refuses it.
struct RecordingProxy {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    async fn start() -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&heads);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(&buffer[..n]),
                        }
                    }
                    recorded
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&head).into_owned());
                    let _ = stream
                        .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                        .await;
                });
            }
        });
        Self { url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

const TOKEN: &str = "proxy-test-token-0123456789";

/// An address that is not loopback and never answers: the requests that bypass the proxy
/// end in a connect timeout, quickly.
const UNREACHABLE: &str = "https://192.0.2.1";

fn client(base_url: &str) -> losant_invites_client::ClientBuilder {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .connect_timeout(Duration::from_millis(300))
        .no_retry()
}

async fn get(client: &Client) -> Result<(), losant_invites_client::Error> {
    support::get(client, demo::INVITE_ID).await.map(drop)
}

#[tokio::test(flavor = "current_thread")]
async fn proxies_never_see_the_token_in_clear() {
    let proxy = RecordingProxy::start().await;
    let fake = support::fake().await;
    fake.add_token(TOKEN, ["all.Instance"]);

    // 1. A loopback base URL bypasses a proxy set on the builder...
    get(&client(&fake.url()).proxy(&proxy.url).build().unwrap())
        .await
        .unwrap();
    assert_eq!(fake.requests().len(), 1);
    assert!(proxy.heads().is_empty(), "{:?}", proxy.heads());

    // 2. ...and the environment's, the case where the token used to leak.
    // SAFETY: this binary's only test sets these, before any other thread reads them.
    unsafe {
        std::env::set_var("http_proxy", &proxy.url);
        std::env::set_var("HTTP_PROXY", &proxy.url);
        std::env::set_var("ALL_PROXY", &proxy.url);
        std::env::set_var("HTTPS_PROXY", &proxy.url);
    }
    get(&client(&fake.url()).build().unwrap()).await.unwrap();
    assert_eq!(fake.requests().len(), 2);
    assert!(proxy.heads().is_empty(), "{:?}", proxy.heads());

    // 3. https through the environment's proxy: a tunnel is asked for, naming only the host.
    let error = get(&client(UNREACHABLE).build().unwrap())
        .await
        .unwrap_err();
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(heads[0].starts_with("CONNECT 192.0.2.1:443 "), "{heads:?}");
    assert!(!heads[0].contains(TOKEN), "{heads:?}");
    assert!(
        !heads[0].to_ascii_lowercase().contains("authorization"),
        "{heads:?}"
    );
    assert!(!error.to_string().contains(TOKEN));

    // 4. `no_proxy` goes direct, whatever the environment says.
    let error = get(&client(UNREACHABLE).no_proxy().build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(proxy.heads().len(), 1, "the proxy saw nothing more");
    assert!(
        matches!(error.kind(), ErrorKind::Timeout | ErrorKind::Transport),
        "{error}"
    );

    // 5. A proxy set on the builder is used for https, the same way.
    let _ = get(&client(UNREACHABLE).proxy(&proxy.url).build().unwrap()).await;
    assert_eq!(proxy.heads().len(), 2);
    assert!(proxy.heads()[1].starts_with("CONNECT "));

    // 6. Plain http elsewhere cannot go through a proxy: the proxy would read the token.
    let refused = client("http://192.0.2.1")
        .allow_insecure_http(true)
        .proxy(&proxy.url)
        .build()
        .unwrap_err();
    assert!(matches!(refused, BuildError::InvalidProxy(_)), "{refused}");
    assert!(refused.to_string().contains("clear text"), "{refused}");
    // And the environment's proxy is not used for it either.
    let _ = get(&client("http://192.0.2.1")
        .allow_insecure_http(true)
        .build()
        .unwrap())
    .await;
    assert_eq!(proxy.heads().len(), 2, "{:?}", proxy.heads());
}
