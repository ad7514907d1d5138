//! The collection beside the invite, end to end against the fake: the list typed, sorted and
//! filtered as asked, and a create whose answer gives the new invite in either form Losant
//! may send, never sent twice.

mod support;

use losant_invites_client::{ErrorKind, types};
use losant_invites_mock::{Action, CreateAnswer, Fault, MockServer, Seed, demo};

fn post(email: &str) -> types::OrgInvitePost {
    types::OrgInvitePost {
        email: email.parse().unwrap(),
        role: types::OrgRole::View,
        application_roles: None,
        dashboard_roles: None,
        disallow_transfer: None,
    }
}

async fn create(
    client: &losant_invites_client::Client,
    email: &str,
) -> Result<types::OrgInviteCollection, losant_invites_client::Error> {
    client
        .instance_org_invites_post()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .body(post(email))
        .send()
        .await
        .map(|answer| answer.into_inner())
}

#[tokio::test]
async fn the_list_is_typed_and_keeps_what_losant_sent() {
    let server = support::fake().await;
    let client = support::client(&server);
    let list = client
        .instance_org_invites_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .sort_field(types::InstanceOrgInvitesGetSortField::Email)
        .sort_direction(types::InstanceOrgInvitesGetSortDirection::Asc)
        .send()
        .await
        .unwrap()
        .into_inner();
    let items = list.items.as_deref().expect("items");
    assert!(items.len() >= 12);
    assert_eq!(list.count, Some(items.len() as i64));
    assert_eq!(list.sort_field.as_deref(), Some("email"));
    assert_eq!(list.sort_direction.as_deref(), Some("asc"));
    let emails: Vec<&str> = items
        .iter()
        .filter_map(|i| i.email.as_deref().map(String::as_str))
        .collect();
    let mut sorted = emails.clone();
    sorted.sort_unstable();
    assert_eq!(emails, sorted);
    // What housekeeping reads: expiry from the dates agrees with Losant's own flag.
    let now = chrono::Utc::now();
    for invite in items {
        let from_dates = invite.expires_at().map(|expires| now >= expires);
        assert_eq!(from_dates, invite.has_expired, "{:?}", invite.email);
        assert!(
            invite
                .age_at(now)
                .is_some_and(|age| age >= chrono::Duration::zero())
        );
    }
    // An empty list stays an empty list, and unknown fields are kept.
    let empty = serde_json::to_value(
        serde_json::from_str::<types::OrgInviteCollection>(r#"{"items": [], "next": 1}"#).unwrap(),
    )
    .unwrap();
    assert_eq!(empty, serde_json::json!({"items": [], "next": 1}));
}

#[tokio::test]
async fn a_create_gives_the_new_invite_whichever_form_losant_answers() {
    for form in [CreateAnswer::Collection, CreateAnswer::Invite] {
        let server = MockServer::builder()
            .seed(Seed::demo())
            .create_answers(form)
            .start()
            .await
            .unwrap();
        let client = support::client(&server);
        let answer = create(&client, "New.Member@example.com").await.unwrap();
        let invite = answer
            .created_invite("new.member@example.com")
            .unwrap_or_else(|| panic!("{form:?}: {answer:?}"));
        let id = invite.id.expect("an ID").to_string();
        assert!(
            server
                .invite(demo::INSTANCE_ID, demo::ORG_ID, &id)
                .is_some(),
            "{form:?}"
        );
        assert_eq!(invite.has_expired, Some(false));
    }
}

#[tokio::test]
async fn a_create_is_checked_before_anything_is_sent() {
    let server = support::fake().await;
    let client = support::client(&server);
    let error = create(&client, "not-an-email").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    assert!(
        error.to_string().contains("is not an email address"),
        "{error}"
    );
    let too_long = format!("{}@example.com", "a".repeat(1100));
    assert!(too_long.parse::<types::OrgInvitePostEmail>().is_err());
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_create_is_never_sent_twice_and_says_when_it_may_have_happened() {
    let server = support::fake().await;
    let client = support::client(&server);
    let posts = |server: &MockServer| {
        server
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count()
    };
    // A 503 is not retried for a create: Losant may have acted.
    server.script(
        Action::Create,
        [Fault::Status {
            status: 503,
            retry_after: None,
        }],
    );
    let error = create(&client, "a@example.com").await.unwrap_err();
    assert_eq!(
        (error.status().map(|s| s.as_u16()), error.attempts()),
        (Some(503), 1)
    );
    assert_eq!(posts(&server), 1);

    // The connection cut after the fake made the invite: not retried, and the error says it
    // may have taken effect, and what to check.
    server.script(Action::Create, [Fault::ActedDrop]);
    let error = create(&client, "b@example.com").await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert!(error.may_have_taken_effect(), "{error}");
    assert!(
        error
            .to_string()
            .contains("list the organization's invites"),
        "{error}"
    );
    assert_eq!(posts(&server), 2);
    // A gateway's 502 after acting says the same.
    server.script(Action::Create, [Fault::ActedHtml { status: 502 }]);
    let error = create(&client, "c@example.com").await.unwrap_err();
    assert!(error.may_have_taken_effect(), "{error}");
    assert_eq!(posts(&server), 3);
}
