//! The fake driven over real HTTP with plain reqwest, rule by rule.

mod support;

use std::time::{Duration, Instant};

use losant_invites_mock::{Action, Fault, MockServer, REDACTED, Seed, demo};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ADMIN: &str = demo::ADMIN_TOKEN;
const READER: &str = demo::READ_TOKEN;

async fn demo_server() -> MockServer {
    MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .expect("the fake starts")
}

fn path(invite: &str) -> String {
    format!(
        "/instances/{}/orgs/{}/invites/{invite}",
        demo::INSTANCE_ID,
        demo::ORG_ID
    )
}

/// Sends one request and returns the status and the JSON body (Null when not JSON).
async fn call(
    server: &MockServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = support::http()
        .build()
        .unwrap()
        .request(method, format!("{}{path}", server.url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status();
    let text = response.text().await.expect("the body arrives");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn assert_error(answer: &(StatusCode, Value), status: u16, kind: &str, says: &str) {
    assert_eq!(answer.0.as_u16(), status, "{answer:?}");
    assert_eq!(answer.1["type"], kind, "{answer:?}");
    let message = answer.1["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(says),
        "message {message:?} should contain {says:?}"
    );
}

#[tokio::test]
async fn get_answers_the_invite_with_has_expired_computed() {
    let server = demo_server().await;
    let (status, pending) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some(READER),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pending["id"], demo::INVITE_ID);
    assert_eq!(pending["email"], "invitee@example.com");
    assert_eq!(pending["hasExpired"], false);
    let (status, expired) = call(
        &server,
        Method::GET,
        &path(demo::EXPIRED_INVITE_ID),
        Some(READER),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(expired["hasExpired"], true);
}

#[tokio::test]
async fn has_expired_follows_invite_date_and_ttl() {
    let server = MockServer::builder()
        .token("t", ["all.Instance"])
        .invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "ttl": 150}),
        )
        .start()
        .await
        .unwrap();
    let (_, fresh) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("t"),
        None,
    )
    .await;
    assert_eq!(fresh["hasExpired"], false);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, stale) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("t"),
        None,
    )
    .await;
    assert_eq!(stale["hasExpired"], true);
}

#[tokio::test]
async fn delete_answers_success_and_a_second_delete_is_not_found() {
    let server = demo_server().await;
    let first = call(
        &server,
        Method::DELETE,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(first, (StatusCode::OK, json!({"success": true})));
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_none()
    );
    let again = call(
        &server,
        Method::DELETE,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_error(&again, 404, "NotFound", "Invite was not found");
}

#[tokio::test]
async fn resend_replaces_the_invite_by_a_new_one_with_the_new_roles() {
    let server = demo_server().await;
    let (_, before) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    let body = r#"{"role":"view","applicationRoles":[{"resourceId":"575ec8687ae143cd83dc4a90","role":"collaborate"}]}"#;
    let (status, new) = call(
        &server,
        Method::POST,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let new_id = new["id"].as_str().expect("the new invite has an id");
    assert!(losant_invites_mock::is_losant_id(new_id));
    assert_ne!(new_id, demo::INVITE_ID);
    assert_ne!(new["inviteDate"], before["inviteDate"]);
    assert_eq!(new["role"], "view");
    assert_eq!(
        new["applicationRoles"],
        json!([{"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"}])
    );
    assert_eq!(new["email"], before["email"]);
    assert_eq!(new["hasExpired"], false);

    let old = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_error(&old, 404, "NotFound", "Invite was not found");
    let (status, fetched) = call(&server, Method::GET, &path(new_id), Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["id"], new_id);
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_401() {
    let server = demo_server().await;
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let missing = call(&server, Method::GET, &path(demo::INVITE_ID), None, None).await;
    assert_error(
        &missing,
        401,
        "Unauthorized",
        "Authorization header required",
    );
    for header in ["Basic abc", "Bearer", "Bearer   ", "demo-admin-token"] {
        let response = support::http()
            .build()
            .unwrap()
            .get(&url)
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["type"], "Unauthorized", "{header:?}");
    }
    let unknown = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("who-knows"),
        None,
    )
    .await;
    assert_error(&unknown, 401, "Unauthorized", "Invalid access token");
}

#[tokio::test]
async fn a_token_without_an_accepted_scope_is_403() {
    let server = demo_server().await;
    let delete = call(
        &server,
        Method::DELETE,
        &path(demo::INVITE_ID),
        Some(READER),
        None,
    )
    .await;
    assert_error(&delete, 403, "Forbidden", "instanceOrgInvite.delete");
    let resend = call(
        &server,
        Method::POST,
        &path(demo::INVITE_ID),
        Some(READER),
        Some("{}"),
    )
    .await;
    assert_error(&resend, 403, "Forbidden", "instanceOrgInvite.resendInvite");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "nothing was changed"
    );
}

#[tokio::test]
async fn each_documented_scope_grants_exactly_its_actions() {
    let server = demo_server().await;
    let scopes = [
        "all.Instance",
        "all.Instance.read",
        "all.User",
        "all.User.read",
        "instanceOrgInvite.*",
        "instanceOrgInvite.get",
        "instanceOrgInvite.delete",
        "instanceOrgInvite.resendInvite",
        "instanceOrgInvites.*",
        "instanceOrgInvites.get",
        "instanceOrgInvites.post",
        "instanceOrgMembers.*",
        "instanceOrgMembers.get",
        "instanceOrgMembers.post",
        "instanceOrgMember.*",
        "instanceOrgMember.get",
        "instanceOrgMember.patch",
        "instanceOrgMember.delete",
        "device.get",
    ];
    for scope in scopes {
        server.add_token(scope, [scope]);
    }
    // An unknown org keeps every request harmless: a granted action answers 404, a refused 403.
    let elsewhere = |action: Action| {
        action
            .path()
            .replace("{instanceId}", demo::INSTANCE_ID)
            .replace("{orgId}", "0123456789abcdef01234567")
            .replace("{inviteId}", demo::INVITE_ID)
            .replace("{userId}", demo::ADMIN_USER_ID)
    };
    for scope in scopes {
        // The invitee's answer takes no token at all.
        for action in Action::ALL
            .into_iter()
            .filter(|action| action.needs_token())
        {
            let method = Method::from_bytes(action.method().as_bytes()).unwrap();
            let body = match action {
                Action::ResendInvite | Action::PatchMember => Some("{}"),
                Action::Create => Some(r#"{"email":"a@b.example","role":"view"}"#),
                Action::AddMember => Some(r#"{"email":"a@b.example","role":"view"}"#),
                _ => None,
            };
            let (status, _) = call(&server, method, &elsewhere(action), Some(scope), body).await;
            let want = if action.is_granted_by(&[scope]) {
                404
            } else {
                403
            };
            assert_eq!(status.as_u16(), want, "{scope} on {action}");
        }
    }
    assert!(Action::Get.is_granted_by(&["all.User.read"]));
    assert!(!Action::Delete.is_granted_by(&["all.User.read"]));
}

#[tokio::test]
async fn ids_that_are_not_24_hex_characters_are_400_naming_the_parameter() {
    let server = demo_server().await;
    let good = demo::INVITE_ID;
    let cases = [
        (
            format!("/instances/xyz/orgs/{}/invites/{good}", demo::ORG_ID),
            "instanceId",
        ),
        (
            format!(
                "/instances/{}/orgs/575ec8687ae143cd83dc4a9/invites/{good}",
                demo::INSTANCE_ID
            ),
            "orgId",
        ),
        (path("575ec8687ae143cd83dc4a9z"), "inviteId"),
        (path("575ec8687ae143cd83dc4a944"), "inviteId"),
        (path("575ec8687ae143cd83dc4a9%2F"), "inviteId"),
    ];
    for (path, name) in cases {
        let answer = call(&server, Method::GET, &path, Some(ADMIN), None).await;
        assert_error(&answer, 400, "Validation", name);
    }
}

#[tokio::test]
async fn unknown_instance_org_or_invite_is_404_naming_the_missing_level() {
    let server = demo_server().await;
    let other = "0123456789abcdef01234567";
    let cases = [
        (
            format!(
                "/instances/{other}/orgs/{}/invites/{}",
                demo::ORG_ID,
                demo::INVITE_ID
            ),
            "Instance was not found",
        ),
        (
            format!(
                "/instances/{}/orgs/{other}/invites/{}",
                demo::INSTANCE_ID,
                demo::INVITE_ID
            ),
            "Organization was not found",
        ),
        (path(other), "Invite was not found"),
    ];
    for (path, says) in cases {
        let answer = call(&server, Method::GET, &path, Some(ADMIN), None).await;
        assert_error(&answer, 404, "NotFound", says);
    }
}

#[tokio::test]
async fn resend_bodies_that_break_the_schema_are_400_naming_the_problem() {
    let server = demo_server().await;
    let grant = |id: &str, role: &str| json!({"resourceId": id, "role": role});
    let too_many: Vec<Value> = (0..1001)
        .map(|_| grant("575ec8687ae143cd83dc4a90", "view"))
        .collect();
    let cases = [
        ("{not json".to_owned(), "not valid JSON"),
        ("[]".to_owned(), "must be an object"),
        (r#"{"role":"edit","colour":"red"}"#.to_owned(), "unknown property \"colour\""),
        (r#"{"role":"owner"}"#.to_owned(), "roleInfo.role must be one of"),
        (json!({"dashboardRoles": [grant("575ec8687ae143cd83dc4a90", "admin")]}).to_string(), "dashboardRoles[0].role"),
        (json!({"applicationRoles": too_many}).to_string(), "at most 1000"),
        (json!({"applicationRoles": [grant("not-an-id", "view")]}).to_string(), "applicationRoles[0].resourceId"),
        (json!({"applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "view", "x": 1}]}).to_string(), "unknown property \"x\""),
    ];
    for (body, says) in cases {
        let answer = call(
            &server,
            Method::POST,
            &path(demo::INVITE_ID),
            Some(ADMIN),
            Some(&body),
        )
        .await;
        assert_error(&answer, 400, "Validation", says);
    }
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "the invite is untouched"
    );
    let thousand: Vec<Value> = (0..1000)
        .map(|_| grant("575ec8687ae143cd83dc4a90", "view"))
        .collect();
    let (status, _) = call(
        &server,
        Method::POST,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        Some(&json!({"dashboardRoles": thousand}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "1000 grants are allowed");
}

#[tokio::test]
async fn query_flags_must_be_booleans() {
    let server = demo_server().await;
    let ok = call(
        &server,
        Method::GET,
        &format!(
            "{}?_actions=false&_links=true&_embedded=true",
            path(demo::INVITE_ID)
        ),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(ok.0, StatusCode::OK);
    for flag in ["_actions", "_links", "_embedded"] {
        let answer = call(
            &server,
            Method::GET,
            &format!("{}?{flag}=yes", path(demo::INVITE_ID)),
            Some(ADMIN),
            None,
        )
        .await;
        assert_error(&answer, 400, "Validation", flag);
    }
}

#[tokio::test]
async fn the_log_records_each_request_in_order_with_the_token_redacted() {
    let server = demo_server().await;
    let url = format!(
        "{}{}?_links=true&_actions=false",
        server.url(),
        path(demo::INVITE_ID)
    );
    let client = support::http().build().unwrap();
    client
        .get(&url)
        .bearer_auth(ADMIN)
        .header("losantdomain", "example.com")
        .send()
        .await
        .unwrap();
    client
        .post(&url)
        .bearer_auth(ADMIN)
        .body(r#"{"role":"view"}"#)
        .send()
        .await
        .unwrap();
    let log = server.requests();
    assert_eq!(log.len(), 2);
    let (get, post) = (&log[0], &log[1]);
    assert_eq!((get.method.as_str(), post.method.as_str()), ("GET", "POST"));
    assert_eq!(get.path, path(demo::INVITE_ID));
    assert_eq!(
        get.query,
        [
            ("_links".into(), "true".into()),
            ("_actions".into(), "false".into())
        ]
    );
    assert_eq!(get.sorted_query()[0].0, "_actions");
    assert_eq!(
        get.header("Authorization"),
        Some(format!("Bearer {REDACTED}").as_str())
    );
    assert_eq!(get.header("losantdomain"), Some("example.com"));
    assert_eq!(get.body, None);
    assert_eq!(post.json_body(), Some(json!({"role": "view"})));
    let everything = format!("{log:?}");
    assert!(
        !everything.contains(ADMIN),
        "the token never reaches the log"
    );
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_fixed_latency_delays_every_answer_of_its_action() {
    let server = demo_server().await;
    server.set_latency(Action::Get, Duration::from_millis(200));
    for _ in 0..2 {
        let started = Instant::now();
        let (status, _) = call(
            &server,
            Method::GET,
            &path(demo::INVITE_ID),
            Some(ADMIN),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(started.elapsed() >= Duration::from_millis(200));
    }
}

#[tokio::test]
async fn a_scripted_sequence_plays_once_then_answers_normally() {
    let server = demo_server().await;
    server.script(
        Action::Get,
        [
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::Status {
                status: 429,
                retry_after: Some(3),
            },
        ],
    );
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let client = support::http().build().unwrap();
    let first = client.get(&url).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(first.headers().get("retry-after").is_none());
    assert_eq!(
        first.json::<Value>().await.unwrap()["type"],
        "ServiceUnavailable"
    );
    let second = client.get(&url).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.headers()["retry-after"], "3");
    assert_eq!(
        second.json::<Value>().await.unwrap()["type"],
        "TooManyRequests"
    );
    let third = client.get(&url).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(third.status(), StatusCode::OK);
    // Other actions are not affected by get's script.
    server.script(
        Action::Get,
        [Fault::Status {
            status: 500,
            retry_after: None,
        }],
    );
    let (status, _) = call(
        &server,
        Method::DELETE,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_html_fault_answers_a_proxy_error_page() {
    let server = demo_server().await;
    server.script(Action::Delete, [Fault::Html { status: 502 }]);
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let response = support::http()
        .build()
        .unwrap()
        .delete(&url)
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("<html>"));
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "not acted on"
    );
}

#[tokio::test]
async fn a_truncated_body_stops_mid_json() {
    let server = demo_server().await;
    server.script(Action::Get, [Fault::Truncate]);
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let response = support::http()
        .build()
        .unwrap()
        .get(&url)
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err(), "the body is cut short");
}

#[tokio::test]
async fn a_dropped_connection_answers_nothing_but_is_logged() {
    let server = demo_server().await;
    server.script(Action::ResendInvite, [Fault::Drop]);
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let result = support::http()
        .build()
        .unwrap()
        .post(&url)
        .bearer_auth(ADMIN)
        .body("{}")
        .send()
        .await;
    let error = result.expect_err("no response comes back");
    assert!(
        !error.is_connect(),
        "the connection was made, then closed: {error:?}"
    );
    assert_eq!(server.requests().len(), 1, "the fake saw the request");
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_some(),
        "not acted on"
    );
}

#[tokio::test]
async fn acted_faults_act_and_then_lose_or_restate_the_answer() {
    let server = demo_server().await;
    let invite = path(demo::INVITE_ID);
    // A resend answered 200 rather than 201: acted on, the new invite in the body.
    server.script(Action::ResendInvite, [Fault::Restatus { status: 200 }]);
    let (status, body) = call(&server, Method::POST, &invite, Some(ADMIN), Some("{}")).await;
    assert_eq!(status, StatusCode::OK);
    let new_id = body["id"].as_str().expect("the new invite").to_owned();
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .is_none()
    );

    // A delete whose answer a proxy replaced: acted on, a 502 page instead.
    server.script(Action::Delete, [Fault::ActedHtml { status: 502 }]);
    let (status, body) = call(&server, Method::DELETE, &path(&new_id), Some(ADMIN), None).await;
    assert_eq!((status, body), (StatusCode::BAD_GATEWAY, Value::Null));
    assert!(
        server
            .invite(demo::INSTANCE_ID, demo::ORG_ID, &new_id)
            .is_none()
    );

    // A get whose connection was cut after the fake answered it in full.
    server.script(Action::Get, [Fault::ActedDrop]);
    let result = support::http()
        .build()
        .unwrap()
        .get(format!("{}{invite}", server.url()))
        .bearer_auth(ADMIN)
        .send()
        .await;
    assert!(result.is_err(), "no answer comes back");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_trickled_body_arrives_whole_but_slowly() {
    let server = demo_server().await;
    server.script(
        Action::Get,
        [
            Fault::Trickle {
                interval: Duration::from_millis(1),
            },
            Fault::Trickle {
                interval: Duration::from_millis(200),
            },
        ],
    );
    let url = format!("{}{}", server.url(), path(demo::INVITE_ID));
    let client = support::http().build().unwrap();
    let whole: Value = client
        .get(&url)
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(whole["id"], demo::INVITE_ID);
    let slow = client
        .get(&url)
        .bearer_auth(ADMIN)
        .timeout(Duration::from_millis(500))
        .send()
        .await;
    let outcome = match slow {
        Ok(response) => response.bytes().await.map(drop),
        Err(error) => Err(error),
    };
    assert!(
        outcome
            .expect_err("200 ms a byte cannot finish in 500 ms")
            .is_timeout()
    );
}

#[tokio::test]
async fn bad_requests_never_take_the_server_down() {
    let server = demo_server().await;
    let base = server.url();
    let client = support::http().build().unwrap();
    let huge = "x".repeat(losant_invites_mock::MAX_REQUEST_BODY + 1);
    let too_big = client
        .post(format!("{base}{}", path(demo::INVITE_ID)))
        .bearer_auth(ADMIN)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let odd_paths = [
        format!(
            "/instances/%FF%FE/orgs/{}/invites/{}",
            demo::ORG_ID,
            demo::INVITE_ID
        ),
        "/instances".to_owned(),
        "/".to_owned(),
        format!("{}?_links=%ZZ", path(demo::INVITE_ID)),
    ];
    for odd in odd_paths {
        let response = client
            .get(format!("{base}{odd}"))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_client_error(),
            "{odd}: {}",
            response.status()
        );
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(body["type"].is_string(), "{odd}: errors are Losant-shaped");
    }
    let put = client
        .put(format!("{base}{}", path(demo::INVITE_ID)))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    let binary = client
        .post(format!("{base}{}", path(demo::INVITE_ID)))
        .bearer_auth(ADMIN)
        .body(vec![0xff, 0x00, 0xfe])
        .send()
        .await
        .unwrap();
    assert_eq!(binary.status(), StatusCode::BAD_REQUEST);
    let (status, _) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "still serving");
}

#[tokio::test]
async fn seeds_are_validated_at_start() {
    let bad = MockServer::builder()
        .invite(demo::INSTANCE_ID, demo::ORG_ID, json!({"id": "short"}))
        .start()
        .await;
    assert!(bad.unwrap_err().to_string().contains("\"short\""));
    let not_object = MockServer::builder()
        .invite(demo::INSTANCE_ID, demo::ORG_ID, json!("x"))
        .start()
        .await;
    assert!(not_object.is_err());
    assert!(Seed::from_json(r#"{"tokens": [], "extra": 1}"#).is_err());
}

#[tokio::test]
async fn an_empty_org_answers_invite_not_found() {
    let server = MockServer::builder()
        .token("t", ["all.Instance"])
        .org(demo::INSTANCE_ID, demo::ORG_ID)
        .start()
        .await
        .unwrap();
    let answer = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("t"),
        None,
    )
    .await;
    assert_error(&answer, 404, "NotFound", "Invite was not found");
    server
        .insert_invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "role": "view"}),
        )
        .unwrap();
    let (status, invite) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("t"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(invite["role"], "view");
}

#[tokio::test]
async fn unknown_fields_and_values_in_a_seed_are_served_back() {
    let server = MockServer::builder()
        .token("t", ["all.Instance"])
        .invite(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({"id": demo::INVITE_ID, "role": "owner", "futureField": {"a": 1}, "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "superuser", "note": "x"}]}),
        )
        .start()
        .await
        .unwrap();
    let (_, invite) = call(
        &server,
        Method::GET,
        &path(demo::INVITE_ID),
        Some("t"),
        None,
    )
    .await;
    assert_eq!(invite["role"], "owner");
    assert_eq!(invite["futureField"], json!({"a": 1}));
    assert_eq!(invite["applicationRoles"][0]["role"], "superuser");
}

#[tokio::test]
async fn hostile_faults_answer_as_described() {
    let server = demo_server().await;
    let url = format!("{}{}?_links=true", server.url(), path(demo::INVITE_ID));
    let client = support::http()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = || client.get(&url).bearer_auth(ADMIN).send();

    server.script(Action::Get, [Fault::Huge { bytes: 300_000 }]);
    let huge = get().await.unwrap();
    assert!(huge.content_length().is_none(), "streamed without a length");
    let body = huge.bytes().await.unwrap();
    assert_eq!(body.len(), 300_000);
    assert!(serde_json::from_slice::<Value>(&body).is_ok(), "still JSON");

    server.script(Action::Get, [Fault::BadUtf8]);
    let bad = get().await.unwrap().bytes().await.unwrap();
    assert!(std::str::from_utf8(&bad).is_err());

    server.script(Action::Get, [Fault::Nested { depth: 1000 }]);
    let nested = get().await.unwrap().text().await.unwrap();
    assert!(nested.starts_with("[[[[") && nested.len() == 2000);

    server.script(Action::Get, [Fault::WrongType]);
    let relabelled = get().await.unwrap();
    assert_eq!(relabelled.headers()["content-type"], "text/plain");
    assert_eq!(
        relabelled.json::<Value>().await.unwrap()["id"],
        demo::INVITE_ID
    );

    server.script(
        Action::Get,
        [Fault::Redirect {
            location: "http://127.0.0.1:9".into(),
        }],
    );
    let moved = get().await.unwrap();
    assert_eq!(moved.status(), StatusCode::FOUND);
    assert_eq!(
        moved.headers()["location"],
        format!("http://127.0.0.1:9{}?_links=true", path(demo::INVITE_ID))
    );

    server.script(Action::Get, [Fault::Http10]);
    let old = get().await.unwrap();
    assert_eq!(old.version(), reqwest::Version::HTTP_10);
    assert!(old.content_length().is_none());
    assert_eq!(old.json::<Value>().await.unwrap()["id"], demo::INVITE_ID);
}

fn invites_path() -> String {
    format!(
        "/instances/{}/orgs/{}/invites",
        demo::INSTANCE_ID,
        demo::ORG_ID
    )
}

fn emails(collection: &Value) -> Vec<String> {
    collection["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|invite| invite["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_list_sorts_filters_and_echoes_as_losant_s_collection() {
    let server = demo_server().await;
    let (status, all) = call(&server, Method::GET, &invites_path(), Some(READER), None).await;
    assert_eq!(status, StatusCode::OK);
    let items = all["items"].as_array().unwrap();
    assert!(items.len() >= 12, "the demo holds a dozen or more: {all}");
    assert_eq!(all["count"], items.len());
    assert_eq!(
        (
            &all["instanceId"],
            &all["orgId"],
            &all["sortField"],
            &all["sortDirection"]
        ),
        (
            &json!(demo::INSTANCE_ID),
            &json!(demo::ORG_ID),
            &json!("inviteDate"),
            &json!("desc")
        )
    );
    // Newest first by default; pending and expired both there, hasExpired computed.
    let dates: Vec<&str> = items
        .iter()
        .map(|i| i["inviteDate"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(items.iter().any(|i| i["hasExpired"] == true));
    assert!(items.iter().any(|i| i["hasExpired"] == false));

    let query = "?sortField=email&sortDirection=asc&filterField=email&filter=*@EXAMPLE.org";
    let (status, some) = call(
        &server,
        Method::GET,
        &format!("{}{query}", invites_path()),
        Some(READER),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let found = emails(&some);
    assert!(
        !found.is_empty() && found.iter().all(|e| e.ends_with("@example.org")),
        "{found:?}"
    );
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted);
    assert_eq!(
        (&some["filterField"], &some["filter"]),
        (&json!("email"), &json!("*@EXAMPLE.org"))
    );

    let bad = call(
        &server,
        Method::GET,
        &format!("{}?sortField=id", invites_path()),
        Some(READER),
        None,
    )
    .await;
    assert_error(&bad, 400, "Validation", "sortField must be one of");
    let nowhere = call(
        &server,
        Method::GET,
        &format!(
            "/instances/{}/orgs/{}/invites",
            demo::INSTANCE_ID,
            "0123456789abcdef01234567"
        ),
        Some(READER),
        None,
    )
    .await;
    assert_error(&nowhere, 404, "NotFound", "Organization was not found");
}

#[tokio::test]
async fn create_checks_the_invite_and_answers_either_form() {
    let server = demo_server().await;
    let refused = call(
        &server,
        Method::POST,
        &invites_path(),
        Some(ADMIN),
        Some(r#"{"email":"not-an-email","role":"view"}"#),
    )
    .await;
    assert_error(
        &refused,
        400,
        "Validation",
        "invite.email must be an email address",
    );
    let reader = call(
        &server,
        Method::POST,
        &invites_path(),
        Some(READER),
        Some(r#"{"email":"new@example.com","role":"view"}"#),
    )
    .await;
    assert_error(&reader, 403, "Forbidden", "instanceOrgInvites.post");

    let (status, collection) = call(
        &server,
        Method::POST,
        &invites_path(),
        Some(ADMIN),
        Some(r#"{"email":"new@example.com","role":"view"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{collection}");
    let made = collection["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "new@example.com")
        .expect("the collection holds the new invite");
    assert_eq!(
        (&made["role"], &made["hasExpired"]),
        (&json!("view"), &json!(false))
    );
    let id = made["id"].as_str().unwrap();
    assert!(server.invite(demo::INSTANCE_ID, demo::ORG_ID, id).is_some());

    let single = MockServer::builder()
        .seed(Seed::demo())
        .create_answers(losant_invites_mock::CreateAnswer::Invite)
        .start()
        .await
        .unwrap();
    let (status, invite) = call(
        &single,
        Method::POST,
        &invites_path(),
        Some(ADMIN),
        Some(r#"{"email":"one@example.com","role":"edit","disallowTransfer":true}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (
            &invite["email"],
            &invite["role"],
            &invite["disallowTransfer"]
        ),
        (&json!("one@example.com"), &json!("edit"), &json!(true))
    );
}
