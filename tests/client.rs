//! The client end to end against the fake Losant over loopback: every status, every fault,
//! validation before I/O, retries, forward compatibility, secrets and sharing.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use losant_invites_client::{BuildError, Client, ErrorKind, RetryPolicy, types};
use losant_invites_mock::{Action, Fault, MockServer, demo};
use serde_json::json;
use support::{delete, get, resend};

const TOKEN: &str = demo::ADMIN_TOKEN;

fn view() -> types::OrgRoleInfo {
    types::OrgRoleInfo {
        role: Some(types::OrgRole::View),
        ..Default::default()
    }
}

fn status(error: &losant_invites_client::Error) -> Option<u16> {
    error.status().map(|s| s.as_u16())
}

#[tokio::test]
async fn each_action_succeeds() {
    let server = support::fake().await;
    let client = support::client(&server);
    let invite = get(&client, demo::INVITE_ID).await.unwrap();
    assert_eq!(
        invite.email.as_deref().map(String::as_str),
        Some("invitee@example.com")
    );
    let resent = resend(&client, view()).await.unwrap();
    assert_eq!(resent.role.map(|r| r.to_string()), Some("view".to_owned()));
    let new_id = resent.id.unwrap();
    assert_eq!(delete(&client, &new_id).await.unwrap().success, Some(true));
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, &new_id)
            .is_none()
    );
}

#[tokio::test]
async fn an_answer_keeps_its_status_and_headers() {
    let server = support::fake().await;
    let client = support::client(&server);
    let answer = support::get_answer(&client, demo::INVITE_ID).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(
        answer.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert!(answer.content_length().is_some_and(|length| length > 0));
}

#[tokio::test]
async fn error_answers_are_typed_and_read_in_one_line() {
    let server = support::fake().await;
    let client = support::client(&server);

    let missing = get(&client, "0123456789abcdef01234567").await.unwrap_err();
    assert_eq!(
        (missing.kind(), status(&missing)),
        (ErrorKind::Api, Some(404))
    );
    assert_eq!(missing.error_type(), Some("NotFound"));
    assert_eq!(missing.message(), Some("Invite was not found"));
    assert_eq!(
        missing.to_string(),
        "instanceOrgInvite.get: 404 NotFound: Invite was not found"
    );
    assert!(missing.is_not_found());

    let stranger = Client::builder()
        .token("nobody")
        .base_url(server.url())
        .build()
        .unwrap();
    let unauthorized = get(&stranger, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (status(&unauthorized), unauthorized.error_type()),
        (Some(401), Some("Unauthorized"))
    );

    let reader = Client::builder()
        .token(demo::READ_TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();
    let forbidden = delete(&reader, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (status(&forbidden), forbidden.error_type()),
        (Some(403), Some("Forbidden"))
    );
    assert!(
        forbidden
            .to_string()
            .starts_with("instanceOrgInvite.delete: 403 Forbidden: ")
    );

    server.script(
        Action::Get,
        [Fault::Status {
            status: 400,
            retry_after: None,
        }],
    );
    let bad = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (status(&bad), bad.error_type()),
        (Some(400), Some("BadRequest"))
    );

    server.script(
        Action::Get,
        [Fault::Status {
            status: 500,
            retry_after: None,
        }],
    );
    let internal = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (status(&internal), internal.error_type()),
        (Some(500), Some("InternalServerError"))
    );
    assert_eq!(internal.attempts(), 1, "500 is not retried");
}

#[tokio::test]
async fn invalid_ids_are_refused_before_anything_is_sent() {
    let server = support::fake().await;
    let client = support::client(&server);
    for bad in [
        "",
        "575ec8687ae143cd83dc4a9",
        "575ec8687ae143cd83dc4a9g",
        "../../../etc/passwd",
        "575ec8687ae143cd83dc4a94?x=1",
    ] {
        let error = get(&client, bad).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert_eq!(error.attempts(), 0);
        assert_eq!(
            error.to_string(),
            format!(
                "instanceOrgInvite.get: invalid input, nothing was sent: invite_id: {bad:?} is not a Losant ID (24 hexadecimal characters)"
            )
        );
    }
    let no_org = client
        .instance_org_invite_delete()
        .instance_id(demo::INSTANCE_ID)
        .invite_id(demo::INVITE_ID)
        .send()
        .await;
    assert!(no_org.unwrap_err().is_invalid_input());
    assert!(server.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn more_than_1000_grants_are_refused_before_anything_is_sent() {
    let server = support::fake().await;
    let client = support::client(&server);
    let grant = types::ResourceRoleGrant {
        resource_id: "575ec8687ae143cd83dc4a90".parse().unwrap(),
        role: types::ResourceRole::View,
    };
    let too_many = types::OrgRoleInfo {
        dashboard_roles: Some(vec![grant.clone(); 1001].into()),
        ..Default::default()
    };
    let error = resend(&client, too_many).await.unwrap_err();
    assert!(error.is_invalid_input());
    assert!(
        error
            .to_string()
            .contains("dashboardRoles holds 1001 items; at most 1000 are allowed"),
        "{error}"
    );
    assert!(server.requests().is_empty(), "nothing reached the server");

    let enough = types::OrgRoleInfo {
        application_roles: Some(vec![grant; 1000].into()),
        ..Default::default()
    };
    assert!(resend(&client, enough).await.is_ok());
}

#[tokio::test]
async fn a_losantdomain_that_cannot_be_a_header_is_refused_before_anything_is_sent() {
    let server = support::fake().await;
    let client = support::client(&server);
    let error = client
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .losantdomain("example.com\r\nX-Evil: 1")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_invalid_input(), "{error:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_client_s_losantdomain_goes_with_every_request_and_a_call_s_own_wins() {
    let server = support::fake().await;
    let client = losant_invites_client::Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .losantdomain("default.example")
        .build()
        .unwrap();
    get(&client, demo::INVITE_ID).await.unwrap();
    client
        .instance_org_invites_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .losantdomain("own.example")
        .send()
        .await
        .unwrap();
    let domains: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|request| request.header("losantdomain").map(str::to_owned))
        .collect();
    assert_eq!(
        domains,
        [
            Some("default.example".to_owned()),
            Some("own.example".to_owned())
        ]
    );
    let refused = losant_invites_client::Client::builder()
        .token(demo::ADMIN_TOKEN)
        .losantdomain("example.com\r\nX-Evil: 1")
        .build()
        .unwrap_err();
    assert_eq!(
        refused,
        losant_invites_client::BuildError::InvalidHeader("losantdomain")
    );
}

#[tokio::test]
async fn a_read_only_client_sends_reads_and_refuses_every_change_unsent() {
    let server = support::fake().await;
    let client = losant_invites_client::Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(server.url())
        .read_only(true)
        .build()
        .unwrap();
    get(&client, demo::INVITE_ID).await.expect("a read is sent");
    let delete = client
        .instance_org_invite_delete()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID);
    let prepared = delete.clone().prepare().await.expect("a dry run builds it");
    assert_eq!(prepared.method(), "DELETE");
    let error = delete.send().await.unwrap_err();
    assert!(error.is_invalid_input(), "{error}");
    assert!(error.to_string().contains("read-only"), "{error}");
    let patch = client
        .instance_org_member_patch()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .user_id(demo::ADMIN_USER_ID)
        .body(types::OrgMemberPatch::default())
        .send()
        .await
        .unwrap_err();
    assert!(patch.is_invalid_input(), "{patch}");
    let methods: Vec<String> = server.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["GET"], "only the read reached the server");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some()
    );
}

#[tokio::test]
async fn idempotent_actions_are_retried_until_they_succeed() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::Get,
        [
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::Status {
                status: 502,
                retry_after: None,
            },
        ],
    );
    assert!(get(&client, demo::INVITE_ID).await.is_ok());
    assert_eq!(server.requests().len(), 3);

    server.clear_requests();
    server.script(
        Action::Delete,
        [
            Fault::Status {
                status: 429,
                retry_after: None,
            },
            Fault::Status {
                status: 504,
                retry_after: None,
            },
        ],
    );
    assert_eq!(
        delete(&client, demo::INVITE_ID).await.unwrap().success,
        Some(true)
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_retry_sends_the_very_same_request() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    client
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .actions(true)
        .losantdomain("example.com")
        .send()
        .await
        .expect("the retry succeeds");
    let log = server.requests();
    assert_eq!(log.len(), 2);
    let (first, retry) = (&log[0], &log[1]);
    assert_eq!(
        (
            &retry.method,
            &retry.path,
            &retry.query,
            &retry.headers,
            &retry.body
        ),
        (
            &first.method,
            &first.path,
            &first.query,
            &first.headers,
            &first.body
        )
    );
    assert_eq!(first.header("losantdomain"), Some("example.com"));
}

#[tokio::test]
async fn retries_stop_after_three_attempts_with_the_last_answer() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::Get,
        std::iter::repeat_n(
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            4,
        ),
    );
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!((status(&error), error.attempts()), (Some(503), 3));
    assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::Get,
        [Fault::Status {
            status: 429,
            retry_after: Some(1),
        }],
    );
    let started = Instant::now();
    assert!(get(&client, demo::INVITE_ID).await.is_ok());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = support::fake().await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .no_retry()
        .build()
        .unwrap();
    server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!((status(&error), error.attempts()), (Some(503), 1));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_deadline_stops_retries_whose_wait_would_overrun_it() {
    let server = support::fake().await;
    let policy = support::quick_retries().with_deadline(Duration::from_millis(500));
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .retry_policy(policy)
        .build()
        .unwrap();
    server.script(
        Action::Get,
        [Fault::Status {
            status: 503,
            retry_after: Some(5),
        }],
    );
    let started = Instant::now();
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!((status(&error), error.attempts()), (Some(503), 1));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "did not wait out the Retry-After"
    );
}

#[tokio::test]
async fn resend_invite_is_not_retried_once_the_server_saw_it() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::ResendInvite,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let error = resend(&client, view()).await.unwrap_err();
    assert_eq!((status(&error), error.attempts()), (Some(503), 1));
    server.script(Action::ResendInvite, [Fault::Drop]);
    let dropped = resend(&client, view()).await.unwrap_err();
    assert_eq!(
        (dropped.kind(), dropped.attempts()),
        (ErrorKind::Transport, 1)
    );
    assert_eq!(server.requests().len(), 2, "one request each");
}

#[tokio::test]
async fn resend_invite_is_retried_when_the_connection_is_refused() {
    // Bind a port, then free it: connecting to it is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://{closed}"))
        .retry_policy(support::quick_retries())
        .build()
        .unwrap();
    let error = resend(&client, view()).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.attempts()),
        (ErrorKind::Transport, 3),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("instanceOrgInvite.resendInvite: transport failure"),
        "{error}"
    );
}

#[tokio::test]
async fn a_slow_body_times_out() {
    let server = support::fake().await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.script(
        Action::Get,
        [Fault::Trickle {
            interval: Duration::from_millis(100),
        }],
    );
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(
        error
            .to_string()
            .starts_with("instanceOrgInvite.get: timed out"),
        "{error}"
    );
}

#[tokio::test]
async fn a_late_answer_times_out() {
    let server = support::fake().await;
    server.set_latency(Action::Get, Duration::from_secs(2));
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .request_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(!error.may_have_taken_effect(), "a get changes nothing");

    // A resend whose answer timed out reached the server: it may have happened.
    server.set_latency(Action::ResendInvite, Duration::from_secs(2));
    let error = resend(&client, view()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.may_have_taken_effect(), "{error}");
}

/// How many requests of `method` the fake received.
fn received(server: &MockServer, method: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|request| request.method == method)
        .count()
}

#[tokio::test]
async fn an_answer_cut_mid_body_is_retried_by_get_and_delete_and_never_by_resend() {
    let server = support::fake().await;
    let client = support::client(&server);

    // get: one cut body, then the whole answer on the retry.
    server.script(Action::Get, [Fault::Truncate]);
    let invite = get(&client, demo::INVITE_ID).await.unwrap();
    assert_eq!(
        invite.id.map(|id| id.to_string()).as_deref(),
        Some(demo::INVITE_ID)
    );
    assert_eq!(received(&server, "GET"), 2);

    // get: cut on every attempt; the error keeps the status and says what happened.
    server.script(
        Action::Get,
        [Fault::Truncate, Fault::Truncate, Fault::Truncate],
    );
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (error.kind(), status(&error), error.attempts()),
        (ErrorKind::Transport, Some(200), 3),
        "{error}"
    );
    assert!(
        error.to_string().contains("the answer broke off"),
        "{error}"
    );
    assert!(!error.may_have_taken_effect(), "a get changes nothing");

    // resend: the fake acted, then cut the body; never sent again.
    server.clear_requests();
    server.script(Action::ResendInvite, [Fault::Truncate]);
    let error = resend(&client, view()).await.unwrap_err();
    assert_eq!(
        (error.kind(), status(&error), error.attempts()),
        (ErrorKind::Transport, Some(201), 1),
        "{error}"
    );
    assert!(error.may_have_taken_effect(), "{error}");
    assert_eq!(received(&server, "POST"), 1);

    // delete: the fake deleted, then cut the body; the retry finds the invite gone and says
    // the delete may have taken effect.
    server.script(Action::Delete, [Fault::Truncate]);
    let error = delete(&client, demo::EXPIRED_INVITE_ID).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.attempts(), 2, "{error}");
    assert!(error.may_have_taken_effect(), "{error}");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::EXPIRED_INVITE_ID)
            .is_none()
    );
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_an_excerpt() {
    let server = support::fake().await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .no_retry()
        .build()
        .unwrap();
    server.script(Action::Delete, [Fault::Html { status: 502 }]);
    let error = delete(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!((error.kind(), status(&error)), (ErrorKind::Api, Some(502)));
    assert_eq!(error.error_type(), None);
    assert!(error.body_excerpt().unwrap().starts_with("<!DOCTYPE html>"));
    assert!(
        error.to_string().starts_with(
            "instanceOrgInvite.delete: 502 Bad Gateway: body starts \"<!DOCTYPE html>"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_get_and_then_a_transport_failure() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(Action::Get, [Fault::Drop]);
    let invite = get(&client, demo::INVITE_ID).await.unwrap();
    assert_eq!(invite.id.as_deref(), Some(demo::INVITE_ID));
    assert_eq!(server.requests().len(), 2, "cut once, then answered");

    server.script(Action::Get, [Fault::Drop, Fault::Drop, Fault::Drop]);
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.attempts()),
        (ErrorKind::Transport, None, 3),
        "{error}"
    );
    assert!(!error.may_have_taken_effect(), "a get changes nothing");
}

#[tokio::test]
async fn a_resend_cut_after_sending_may_have_taken_effect_and_says_so() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(Action::ResendInvite, [Fault::ActedDrop]);
    let error = resend(&client, view()).await.unwrap_err();
    assert_eq!((error.kind(), error.attempts()), (ErrorKind::Transport, 1));
    assert!(error.may_have_taken_effect(), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("; it may have taken effect all the same: look the invite up"),
        "{text}"
    );
    // It did: the fake replaces a resent invite (its own choice), so the old ID is gone.
    assert!(
        get(&client, demo::INVITE_ID)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(server.requests().len(), 2, "the resend was sent once");
}

#[tokio::test]
async fn a_resend_refused_before_acting_did_not_take_effect() {
    let server = support::fake().await;
    let client = support::client(&server);
    server.script(
        Action::ResendInvite,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let error = resend(&client, view()).await.unwrap_err();
    assert!(!error.may_have_taken_effect(), "{error}");
    assert!(!error.to_string().contains("may have taken effect"));
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_reports_the_404_that_follows_as_possibly_done() {
    for lost in [Fault::ActedHtml { status: 502 }, Fault::ActedDrop] {
        let server = support::fake().await;
        let client = support::client(&server);
        server.script(Action::Delete, [lost.clone()]);
        let error = delete(&client, demo::INVITE_ID).await.unwrap_err();
        assert!(error.is_not_found(), "{lost}: {error}");
        assert_eq!(error.attempts(), 2, "{lost}: retried once");
        assert!(error.may_have_taken_effect(), "{lost}: {error}");
        assert!(
            error.to_string().contains("if it answers 404 it is gone"),
            "{error}"
        );
        assert!(
            server
                .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
                .is_none()
        );
    }
    // A plain 404, with nothing lost before it, is just that.
    let server = support::fake().await;
    let client = support::client(&server);
    let error = delete(&client, "575ec8687ae143cd83dc4a00")
        .await
        .unwrap_err();
    assert!(
        error.is_not_found() && !error.may_have_taken_effect(),
        "{error}"
    );
}

#[tokio::test]
async fn any_success_status_with_the_documented_body_is_a_success() {
    let server = support::fake().await;
    let client = support::client(&server);
    // The spec gives 201 for resendInvite; a 200 with the new invite is just as good.
    server.script(Action::ResendInvite, [Fault::Restatus { status: 200 }]);
    let answer = client
        .instance_org_invite_resend_invite()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .body(view())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(
        answer.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let new_id = answer.into_inner().id.unwrap();
    assert_ne!(new_id.as_str(), demo::INVITE_ID);

    // A success status whose body is not the documented type is still a decode error.
    server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "email": 42}),
        )
        .unwrap();
    server.script(Action::Get, [Fault::Restatus { status: 203 }]);
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (error.kind(), status(&error)),
        (ErrorKind::Decode, Some(203)),
        "{error}"
    );
}

#[tokio::test]
async fn an_error_answer_keeps_its_whole_body() {
    // Losant's error object with more than `type` and `message`, and a proxy's page.
    let json_body = r#"{"type":"Validation","message":"bad role","details":{"field":"role","allowed":["view"]},"code":400.0}"#;
    let page = "<html><body>upstream timed out</body></html>";
    for (status, content_type, body) in [
        (400, "application/json", json_body),
        (504, "text/html", page),
    ] {
        let url = support::answer_always(status, content_type, body).await;
        let client = Client::builder()
            .token(TOKEN)
            .base_url(url)
            .no_retry()
            .build()
            .unwrap();
        let error = get(&client, demo::INVITE_ID).await.unwrap_err();
        assert!(!error.to_string().contains('\n'), "{error}");
        match content_type {
            "application/json" => {
                let sent: serde_json::Value = serde_json::from_str(body).unwrap();
                assert_eq!(error.body_json(), Some(&sent));
                assert_eq!(error.error_type(), Some("Validation"));
                assert_eq!(error.body_bytes(), None);
            }
            _ => {
                assert_eq!(error.body_bytes(), Some(body.as_bytes()));
                assert_eq!(error.body_json(), None);
            }
        }
    }
}

#[tokio::test]
async fn an_answer_of_a_newer_api_version_decodes_with_its_new_fields_kept() {
    // Losant's API 1.30 and later add the invite's own, its instance's and its org's IDs.
    let server = support::fake().await;
    let client = support::client(&server);
    let newer = json!({
        "id": demo::INVITE_ID,
        "inviteId": demo::INVITE_ID,
        "instanceId": demo::INSTANCE_ID,
        "orgId": demo::ORG_ID,
        "email": "x@example.com",
        "role": "view",
    });
    server
        .insert_invite(demo::INSTANCE_ID, demo::ORG_ID, newer)
        .unwrap();
    let invite = get(&client, demo::INVITE_ID).await.unwrap();
    assert_eq!(invite.extra["inviteId"], demo::INVITE_ID);
    assert_eq!(invite.extra["instanceId"], demo::INSTANCE_ID);
    assert_eq!(invite.extra["orgId"], demo::ORG_ID);
}

#[tokio::test]
async fn a_success_body_that_is_not_an_invite_is_a_decode_error() {
    let server = support::fake().await;
    let client = support::client(&server);
    server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "hasExpired": false, "email": 42}),
        )
        .unwrap();
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(
        (error.kind(), status(&error)),
        (ErrorKind::Decode, Some(200)),
        "{error}"
    );
    assert!(error.body_excerpt().unwrap().contains("\"email\":42"));
}

#[tokio::test]
async fn newer_roles_and_fields_in_answers_decode_and_are_kept() {
    let server = support::fake().await;
    let client = support::client(&server);
    let newer = json!({
        "id": demo::INVITE_ID,
        "email": "x@example.com",
        "role": "owner",
        "futureField": {"nested": [1, 2]},
        "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "superuser", "grantedBy": "y"}],
        "dashboardRoles": [{"resourceId": "575ec8687ae143cd83dc4a91", "role": "view"}],
    });
    server
        .insert_invite(demo::INSTANCE_ID, demo::ORG_ID, newer.clone())
        .unwrap();
    let invite = get(&client, demo::INVITE_ID).await.unwrap();

    let role = invite.role.as_ref().unwrap();
    assert!(!role.is_known());
    assert_eq!(role.to_string(), "owner");
    assert_eq!(invite.extra["futureField"], json!({"nested": [1, 2]}));
    let grant = &invite.application_roles.as_ref().unwrap()[0];
    assert_eq!(
        (grant.role.to_string(), grant.role.is_known()),
        ("superuser".to_owned(), false)
    );
    assert_eq!(grant.extra["grantedBy"], "y");
    assert!(invite.dashboard_roles.as_ref().unwrap()[0].role.is_known());

    // Nothing is lost: the decoded invite serializes back to what Losant sent.
    let mut round_trip = serde_json::to_value(&invite).unwrap();
    round_trip
        .as_object_mut()
        .unwrap()
        .retain(|k, _| newer.get(k).is_some());
    assert_eq!(round_trip, newer);
}

#[test]
fn requests_stay_strictly_typed() {
    let unknown_role = serde_json::from_value::<types::OrgRoleInfo>(json!({"role": "owner"}));
    assert!(unknown_role.is_err());
    let unknown_field =
        serde_json::from_value::<types::OrgRoleInfo>(json!({"role": "view", "extra": 1}));
    assert!(unknown_field.is_err());
    let unknown_grant_role = serde_json::from_value::<types::ResourceRoleGrant>(
        json!({"resourceId": "575ec8687ae143cd83dc4a90", "role": "superuser"}),
    );
    assert!(unknown_grant_role.is_err());
    let bad_id = serde_json::from_value::<types::ResourceRoleGrant>(
        json!({"resourceId": "nope", "role": "view"}),
    );
    assert!(bad_id.is_err());
}

#[tokio::test]
async fn one_client_serves_many_tasks() {
    let invites: Vec<String> = (0..64)
        .map(|i| format!("575ec8687ae143cd83dc{i:04x}"))
        .collect();
    let mut builder = MockServer::builder().token(TOKEN, ["all.Instance"]);
    for (i, id) in invites.iter().enumerate() {
        builder = builder.invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": id, "email": format!("user{i}@example.com")}),
        );
    }
    let server = builder.start().await.unwrap();
    let client = Arc::new(support::client(&server));
    let tasks: Vec<_> = invites
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (client, id) = (Arc::clone(&client), id.clone());
            tokio::spawn(async move {
                let mut correct = 0;
                for _ in 0..1000 / 64 + usize::from(i < 1000 % 64) {
                    let invite = get(&client, &id).await.expect("every request succeeds");
                    let email = invite
                        .email
                        .as_deref()
                        .map(String::as_str)
                        .unwrap_or_default();
                    if invite.id.as_deref() == Some(id.as_str())
                        && email == format!("user{i}@example.com")
                    {
                        correct += 1;
                    }
                }
                correct
            })
        })
        .collect();
    let mut correct = 0;
    for task in tasks {
        correct += task.await.unwrap();
    }
    assert_eq!(correct, 1000);
    assert_eq!(server.requests().len(), 1000);
}

#[tokio::test]
async fn a_token_echoed_by_the_server_is_scrubbed_from_the_error() {
    let secret = "echoed-secret";
    let echo = MockServer::builder()
        .token("other", ["all.Instance"])
        .invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "email": format!("{secret}@x"), "role": 7}),
        )
        .start()
        .await
        .unwrap();
    // The answer is undecodable (role 7), so its body, holding the secret, ends in the error.
    let client = Client::builder()
        .token(secret)
        .base_url(echo.url())
        .build()
        .unwrap();
    echo.add_token(secret, ["all.Instance"]);
    let error = get(&client, demo::INVITE_ID).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        error.body_excerpt().unwrap().contains("[redacted]@x"),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(secret));
    // The whole body is kept, and scrubbed too.
    let body = error.body_json().expect("the body was JSON");
    assert_eq!(body["email"], "[redacted]@x");
    assert!(!body.to_string().contains(secret));
}

#[test]
fn the_builder_refuses_what_would_go_wrong_later() {
    assert_eq!(
        Client::builder().build().unwrap_err(),
        BuildError::MissingToken
    );
    assert_eq!(
        Client::builder().token("  ").build().unwrap_err(),
        BuildError::MissingToken
    );
    assert_eq!(
        Client::builder().token("a\nb").build().unwrap_err(),
        BuildError::InvalidToken
    );
    let clear = Client::builder()
        .token("t")
        .base_url("http://api.losant.com")
        .build()
        .unwrap_err();
    assert!(clear.to_string().contains("clear text"), "{clear}");
    assert!(
        Client::builder()
            .token("t")
            .base_url("http://api.losant.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .token("t")
            .base_url("not a url")
            .build()
            .is_err()
    );
    let default = Client::builder().token("t").build().unwrap();
    assert_eq!(default.base_url(), "https://api.losant.com");
    assert_eq!(default.retry_policy(), &RetryPolicy::standard());
    assert_eq!(losant_invites_client::default_accept_version(), "^1.29.1");
    assert!(losant_invites_client::default_user_agent().starts_with("losant-invites-client/"));
}

#[tokio::test]
async fn a_caller_s_own_http_client_still_gets_the_wire_headers() {
    let server = support::fake().await;
    let own = support::own_reqwest().user_agent("theirs").build().unwrap();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.url())
        .http_client(own)
        .user_agent("custom-agent/1")
        .accept_version("^1.30.0")
        .build()
        .unwrap();
    get(&client, demo::INVITE_ID).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("user-agent"), Some("custom-agent/1"));
    assert_eq!(request.header("accept-version"), Some("^1.30.0"));
    assert_eq!(request.header("authorization"), Some("Bearer [redacted]"));
}
