//! The client against a hostile or broken server: it never panics, stays bounded, never
//! follows the token elsewhere, and says what went wrong.

mod support;

use std::time::Duration;

use losant_invites_client::{Client, ErrorKind, types};
use losant_invites_mock::{Action, Fault, MockServer, demo};

async fn get(client: &Client) -> Result<types::OrgInvite, losant_invites_client::Error> {
    support::get(client, demo::INVITE_ID).await
}

#[tokio::test]
async fn a_body_over_the_response_limit_is_cut_off_there() {
    let server = support::fake().await;
    server.script(
        Action::Get,
        [Fault::Huge {
            bytes: 32 * 1024 * 1024,
        }],
    );
    let error = get(&support::client(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert!(error.is_too_large(), "{error}");
    assert!(
        error
            .to_string()
            .contains("larger than the client's max_response_bytes"),
        "{error}"
    );
    assert_eq!(
        losant_invites_client::DEFAULT_MAX_RESPONSE_BYTES,
        16 * 1024 * 1024
    );
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_too() {
    let server = support::fake().await;
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .max_response_bytes(64)
        .build()
        .unwrap();
    let error = get(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert!(error.is_too_large(), "{error}");
    let roomy = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .max_response_bytes(4096)
        .build()
        .unwrap();
    assert!(
        get(&roomy).await.is_ok(),
        "an answer within the limit decodes"
    );
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_a_decode_error() {
    let server = support::fake().await;
    server.script(Action::Get, [Fault::BadUtf8]);
    let error = get(&support::client(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert!(
        error.body_excerpt().unwrap().contains('\u{fffd}'),
        "{error:?}"
    );
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let server = support::fake().await;
    server.script(Action::Get, [Fault::Nested { depth: 100_000 }]);
    let error = get(&support::client(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
}

#[tokio::test]
async fn a_json_answer_labelled_otherwise_still_decodes() {
    let server = support::fake().await;
    server.script(Action::Get, [Fault::WrongType]);
    let invite = get(&support::client(&server)).await.unwrap();
    assert_eq!(invite.id.as_deref(), Some(demo::INVITE_ID));
}

#[tokio::test]
async fn a_close_delimited_http_1_0_answer_decodes() {
    let server = support::fake().await;
    server.script(Action::Get, [Fault::Http10]);
    let invite = get(&support::client(&server)).await.unwrap();
    assert_eq!(invite.id.as_deref(), Some(demo::INVITE_ID));
}

#[tokio::test]
async fn a_redirect_elsewhere_is_reported_and_never_followed() {
    let server = support::fake().await;
    let elsewhere = MockServer::builder().start().await.unwrap();
    server.script(
        Action::Get,
        [Fault::Redirect {
            location: elsewhere.url(),
        }],
    );
    let error = get(&support::client(&server)).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status().map(|s| s.as_u16())),
        (ErrorKind::Api, Some(302)),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("a status the spec does not list"),
        "{error}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "nothing went to the other host"
    );
}

#[tokio::test]
async fn a_caller_s_redirect_following_client_still_keeps_the_token_home() {
    let server = support::fake().await;
    let elsewhere = MockServer::builder().start().await.unwrap();
    server.script(
        Action::Get,
        [Fault::Redirect {
            location: elsewhere.url(),
        }],
    );
    // reqwest's default policy follows redirects, dropping credentials when the host changes.
    let following = support::own_reqwest().build().unwrap();
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .http_client(following)
        .build()
        .unwrap();
    let error = get(&client).await.unwrap_err();
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(401),
        "the other host saw no token: {error}"
    );
    let followed = elsewhere.requests();
    assert_eq!(followed.len(), 1);
    assert_eq!(followed[0].header("authorization"), None);
}

#[tokio::test]
async fn a_retry_after_of_centuries_under_a_limitless_cap_ends_the_call() {
    let url = support::answer_always_with(
        503,
        "content-type: application/json\r\nretry-after: 18446744073709551615\r\n",
        r#"{"type":"ServiceUnavailable","message":"later"}"#,
        // Over a second, so the time already spent has whole seconds to add to the wait.
        Duration::from_millis(1100),
    )
    .await;
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(url)
        .retry_policy(
            losant_invites_client::RetryPolicy::standard().with_max_retry_after(Duration::MAX),
        )
        .build()
        .unwrap();
    let error = get(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.attempts(),
        1,
        "a wait past the deadline is not waited"
    );
}
