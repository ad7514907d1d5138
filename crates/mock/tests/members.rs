//! The fake's members and an invite's whole life, over real HTTP with plain reqwest: listing,
//! adding (by user, by email: a member or an invite sent), changing a role, removing; the last
//! administrator kept; the member limit; the outbox; and the invitee's answer.

mod support;

use losant_invites_mock::{MemberAddAnswer, MockServer, OUTBOX_PATH, Seed, demo};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ADMIN: &str = demo::ADMIN_TOKEN;

async fn demo_server() -> MockServer {
    MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .expect("the fake starts")
}

fn members() -> String {
    format!(
        "/instances/{}/orgs/{}/members",
        demo::INSTANCE_ID,
        demo::ORG_ID
    )
}

fn member(user: &str) -> String {
    format!("{}/{user}", members())
}

async fn call(
    server: &MockServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = support::http()
        .build()
        .unwrap()
        .request(method, format!("{}{path}", server.url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status();
    let text = response.text().await.expect("the body arrives");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn emails(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["email"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn members_are_listed_sorted_and_filtered_as_invites_are() {
    let server = demo_server().await;
    let (status, list) = call(
        &server,
        Method::GET,
        &members(),
        Some(demo::READ_TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let all = emails(&list);
    assert_eq!(all.len(), 5);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "by email, ascending, unless asked");
    assert_eq!(list["count"], 5);
    assert!(list["items"][0]["userId"].is_string());

    let query = format!(
        "{}?filterField=role&filter=admin&sortDirection=desc",
        members()
    );
    let (_, admins) = call(&server, Method::GET, &query, Some(ADMIN), None).await;
    assert_eq!(
        emails(&admins),
        ["owner@example.com", "frances@example.net"]
    );
    let query = format!("{}?filterField=email&filter=*@EXAMPLE.net", members());
    let (_, net) = call(&server, Method::GET, &query, Some(ADMIN), None).await;
    assert_eq!(emails(&net), ["frances@example.net", "john@example.net"]);
    let bad = format!("{}?sortField=inviteDate", members());
    let (status, _) = call(&server, Method::GET, &bad, Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn adding_by_user_or_by_email_answers_every_documented_form() {
    let server = demo_server().await;
    // A user the fake knows (a member elsewhere would do too): here, one removed first.
    let sam = "5f3c1a2b9d8e7f6100000003";
    let (status, _) = call(&server, Method::DELETE, &member(sam), Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&server, Method::GET, &member(sam), Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, added) = call(
        &server,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "email": "Sam@Partner.example", "role": "view" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "a known user's email: {added}");
    assert_eq!(
        (added["userId"].as_str(), added["role"].as_str()),
        (Some(sam), Some("view"))
    );

    // An email the fake knows no user of: an invite is sent instead (202), and mailed.
    let (status, sent) = call(
        &server,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "email": "newcomer@example.com", "role": "edit" })),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    assert_eq!(sent["email"], "newcomer@example.com");
    let mail = server.outbox().pop().expect("a mail");
    assert_eq!(
        (mail.email.as_str(), mail.invite_id.as_str()),
        ("newcomer@example.com", sent["id"].as_str().unwrap())
    );

    // By user ID: an unknown user is 404; a member already is 400.
    let (status, _) = call(
        &server,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "userId": "0123456789abcdef01234567", "role": "view" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, again) = call(
        &server,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "userId": sam, "role": "view" })),
    )
    .await;
    // A member added twice: the fake's own answer, where Losant documents none.
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["type"], "Conflict");
    // Exactly one of userId and email.
    let (status, both) = call(
        &server,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "userId": sam, "email": "x@y.example", "role": "view" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{both}");

    // The answers of API 1.30.0 and before: 200 whichever it was.
    let classic = MockServer::builder()
        .seed(Seed::demo())
        .member_add_answers(MemberAddAnswer::Classic)
        .start()
        .await
        .unwrap();
    let (status, _) = call(
        &classic,
        Method::POST,
        &members(),
        Some(ADMIN),
        Some(json!({ "email": "someone@example.com", "role": "view" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_organization_keeps_at_least_one_administrator() {
    let server = demo_server().await;
    let frances = "5f3c1a2b9d8e7f6100000001";
    // Two administrators: one may go.
    let (status, demoted) = call(
        &server,
        Method::PATCH,
        &member(frances),
        Some(ADMIN),
        Some(json!({ "role": "view" })),
    )
    .await;
    assert_eq!(
        (status, demoted["role"].as_str()),
        (StatusCode::OK, Some("view"))
    );
    // The last one may not be demoted or removed.
    for (method, body) in [
        (Method::PATCH, Some(json!({ "role": "edit" }))),
        (Method::DELETE, None),
    ] {
        let (status, refused) = call(
            &server,
            method.clone(),
            &member(demo::ADMIN_USER_ID),
            Some(ADMIN),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method}: {refused}");
        assert_eq!(refused["type"], "Validation");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("at least one administrator"),
            "{refused}"
        );
    }
    let (_, still) = call(
        &server,
        Method::GET,
        &member(demo::ADMIN_USER_ID),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(still["role"], "admin");
    // Keeping the role an administrator has is no demotion.
    let (status, _) = call(
        &server,
        Method::PATCH,
        &member(demo::ADMIN_USER_ID),
        Some(ADMIN),
        Some(json!({ "role": "admin" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn members_and_pending_invites_stay_within_the_member_limit() {
    let server = MockServer::builder()
        .token(ADMIN, ["all.Instance"])
        .member(
            demo::INSTANCE_ID,
            demo::ORG_ID,
            json!({ "userId": demo::ADMIN_USER_ID, "email": "owner@example.com", "role": "admin" }),
        )
        .member_limit(demo::INSTANCE_ID, demo::ORG_ID, 2)
        .start()
        .await
        .unwrap();
    let invites = format!(
        "/instances/{}/orgs/{}/invites",
        demo::INSTANCE_ID,
        demo::ORG_ID
    );
    let (status, _) = call(
        &server,
        Method::POST,
        &invites,
        Some(ADMIN),
        Some(json!({ "email": "one@example.com", "role": "view" })),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "one member and one pending invite fit"
    );
    let (status, full) = call(
        &server,
        Method::POST,
        &invites,
        Some(ADMIN),
        Some(json!({ "email": "two@example.com", "role": "view" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{full}");
    assert!(
        full["message"]
            .as_str()
            .unwrap()
            .contains("member limit of 2")
    );
}

#[tokio::test]
async fn an_invite_s_whole_life_ends_in_a_member() {
    let server = demo_server().await;
    let invites = format!(
        "/instances/{}/orgs/{}/invites",
        demo::INSTANCE_ID,
        demo::ORG_ID
    );
    let (status, made) = call(
        &server,
        Method::POST,
        &invites,
        Some(ADMIN),
        Some(json!({ "email": "Joiner@Example.com", "role": "collaborate" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let invite_id = made["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|invite| invite["email"] == "Joiner@Example.com")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The mail, over HTTP without a token, as from the handle.
    let (status, outbox) = call(&server, Method::GET, OUTBOX_PATH, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let mail = outbox
        .as_array()
        .unwrap()
        .iter()
        .find(|mail| mail["inviteId"] == invite_id.as_str())
        .expect("the invite's mail")
        .clone();
    assert_eq!(mail["email"], "Joiner@Example.com");
    assert_eq!(mail["role"], "collaborate");
    assert!(mail["sentAt"].is_string() && mail["resent"] == false);
    let token = mail["token"].as_str().unwrap().to_owned();
    assert_eq!(serde_json::to_value(server.outbox()).unwrap(), outbox);

    // A wrong token or email is 404; the invitee's answer needs no API token.
    for (email, token) in [
        ("joiner@example.com", "nope"),
        ("other@example.com", token.as_str()),
    ] {
        let (status, _) = call(
            &server,
            Method::POST,
            "/invites",
            None,
            Some(json!({ "email": email, "token": token, "accept": true })),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, accepted) = call(
        &server,
        Method::POST,
        "/invites",
        None,
        Some(json!({ "email": "joiner@example.com", "token": token, "accept": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted, json!({ "accepted": true, "orgId": demo::ORG_ID }));

    // The invite left the list; its person is a member with its role.
    let (_, list) = call(&server, Method::GET, &invites, Some(ADMIN), None).await;
    assert!(
        !emails(&list)
            .iter()
            .any(|e| e.eq_ignore_ascii_case("joiner@example.com"))
    );
    let (_, members_now) = call(&server, Method::GET, &members(), Some(ADMIN), None).await;
    let joined = members_now["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["email"] == "joiner@example.com")
        .expect("a member now")
        .clone();
    assert_eq!(joined["role"], "collaborate");
    // The token is used up.
    let (status, _) = call(
        &server,
        Method::POST,
        "/invites",
        None,
        Some(json!({ "email": "joiner@example.com", "token": token, "accept": true })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_expired_invite_is_gone_for_its_invitee_and_a_resend_sends_a_new_token() {
    let server = demo_server().await;
    let late = server
        .outbox()
        .into_iter()
        .find(|mail| mail.invite_id == demo::EXPIRED_INVITE_ID)
        .expect("the seeded invite's mail");
    let (status, gone) = call(
        &server,
        Method::POST,
        "/invites",
        None,
        Some(json!({ "email": late.email, "token": late.token, "accept": true })),
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "{gone}");

    let resend = format!(
        "/instances/{}/orgs/{}/invites/{}",
        demo::INSTANCE_ID,
        demo::ORG_ID,
        demo::EXPIRED_INVITE_ID
    );
    let (status, renewed) =
        call(&server, Method::POST, &resend, Some(ADMIN), Some(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let mail = server.outbox().pop().unwrap();
    assert!(mail.resent && mail.invite_id == renewed["id"].as_str().unwrap());
    assert_ne!(mail.token, late.token);
    let (status, declined) = call(
        &server,
        Method::POST,
        "/invites",
        None,
        Some(json!({ "email": "late@example.com", "token": mail.token, "accept": false })),
    )
    .await;
    assert_eq!(
        (status, declined["accepted"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    assert!(
        server
            .invite(
                demo::INSTANCE_ID,
                demo::ORG_ID,
                renewed["id"].as_str().unwrap()
            )
            .is_none()
    );
}
