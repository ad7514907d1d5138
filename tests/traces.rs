//! What the client traces, and that the token shows nowhere: in `Debug`, errors or traces.
//! A test binary of its own, so that its subscriber is the process's and sees every callsite.

mod support;

use std::sync::{Arc, Mutex};

use losant_invites_client::Client;
use losant_invites_mock::{Action, Fault, demo};
use support::{delete, get};

#[tokio::test]
async fn the_token_never_shows_in_debug_errors_or_traces() {
    let secret = "s3cret-token-value";
    let server = support::fake().await;
    server.add_token(secret, ["all.Instance.read"]);
    server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );

    let traces = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = Arc::clone(&traces);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || SharedWriter(Arc::clone(&writer)))
        .finish();
    // For the whole process, which runs this test alone: a subscriber set for one thread
    // misses callsites that other tests' threads met first.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let builder = Client::builder()
        .token(secret)
        .base_url(server.url())
        .retry_policy(support::quick_retries());
    let client = builder.clone().build().unwrap();
    let mut shown = vec![format!("{builder:?}"), format!("{client:?}")];
    get(&client, demo::INVITE_ID).await.unwrap();
    for error in [
        get(&client, "bad").await.unwrap_err(),
        get(&client, "0123456789abcdef01234567").await.unwrap_err(),
        delete(&client, demo::INVITE_ID).await.unwrap_err(),
    ] {
        shown.push(error.to_string());
        shown.push(format!("{error:?}"));
    }
    let traces = String::from_utf8(traces.lock().unwrap().clone()).unwrap();
    assert!(
        traces.contains("losant_invites_client::request"),
        "spans are emitted: {traces}"
    );
    assert!(
        traces.contains("attempt=2") && traces.contains("status=503"),
        "{traces}"
    );
    assert!(
        traces.contains("retrying"),
        "a retry is announced: {traces}"
    );
    shown.push(traces);
    for text in shown {
        assert!(!text.contains(secret), "the token leaked into: {text}");
    }
    let log = server.requests();
    assert_eq!(
        log[0].header("authorization"),
        Some("Bearer [redacted]"),
        "sent as a bearer token"
    );
}

#[derive(Clone)]
struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
