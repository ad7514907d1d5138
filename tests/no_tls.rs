//! A build without any TLS feature speaks plain http to loopback, and refuses `https` when
//! the client is built rather than on its first request.
#![cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc-rs",
    feature = "native-tls"
)))]

mod support;

use losant_invites_client::{BuildError, Client};
use losant_invites_mock::demo;

#[test]
fn https_is_refused_when_the_client_is_built() {
    let error = Client::builder()
        .token("t")
        .build()
        .expect_err("no TLS in this build");
    assert_eq!(error, BuildError::NoTls);
    assert!(error.to_string().contains("rustls-ring"), "{error}");
}

#[tokio::test]
async fn plain_http_to_loopback_works() {
    let fake = support::fake().await;
    let answer = support::get_answer(&support::client(&fake), demo::INVITE_ID)
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
}
