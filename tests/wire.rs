//! The exact request each action puts on the wire, as the fake Losant recorded it, guarded by
//! snapshots: method, path, sorted query, the headers Losant's own clients send (the token
//! redacted), and the body.

mod support;

use losant_invites_client::types;
use losant_invites_mock::{RecordedRequest, demo};
use serde_json::{Value, json};

/// The headers the wire format is about; transport headers (host, content-length) are not.
const WIRE_HEADERS: [&str; 6] = [
    "accept",
    "accept-version",
    "authorization",
    "content-type",
    "losantdomain",
    "user-agent",
];

fn wire(request: &RecordedRequest) -> Value {
    let headers: serde_json::Map<String, Value> = WIRE_HEADERS
        .iter()
        .filter_map(|name| {
            request
                .header(name)
                .map(|value| ((*name).to_owned(), Value::from(value)))
        })
        .collect();
    json!({
        "method": request.method,
        "path": request.path,
        "query": request.sorted_query(),
        "headers": headers,
        "body": request.json_body(),
    })
}

/// The one request the fake received.
fn only_request(server: &losant_invites_mock::MockServer) -> RecordedRequest {
    let log = server.requests();
    assert_eq!(log.len(), 1, "{log:#?}");
    let request = log.into_iter().next().expect("one request");
    assert_eq!(
        request.header("api-version"),
        None,
        "progenitor's api-version header is not sent"
    );
    request
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    // The version changes with every release; the wire format does not.
    settings.add_filter(
        r"losant-invites-client/[0-9][^\s\x22]*",
        "losant-invites-client/[version]",
    );
    settings
}

#[tokio::test]
async fn get_sends_the_official_clients_defaults() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_invite_get", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn delete_sends_the_official_clients_defaults() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invite_delete()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_invite_delete", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn list_sends_only_the_filters_and_sort_the_caller_set() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invites_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .filter_field(types::InstanceOrgInvitesGetFilterField::Email)
        .filter("*@example.com")
        .sort_direction(types::InstanceOrgInvitesGetSortDirection::Asc)
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_invites_get", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn create_sends_the_invite_as_json() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invites_post()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .body(types::OrgInvitePost {
            email: "new.member@example.com".parse().unwrap(),
            role: types::OrgRole::Collaborate,
            application_roles: Some(Vec::new().into()),
            dashboard_roles: None,
            disallow_transfer: Some(false),
        })
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_invites_post", wire(&only_request(&server)))
    });
}

/// The request a resendInvite of `body` puts on the wire.
async fn resend_wire(body: types::OrgRoleInfo) -> Value {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invite_resend_invite()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .body(body)
        .send()
        .await
        .unwrap();
    wire(&only_request(&server))
}

#[tokio::test]
async fn resend_invite_sends_json_role_info_without_the_lists_not_set() {
    let grant = types::ResourceRoleGrant {
        resource_id: "575ec8687ae143cd83dc4a90".parse().unwrap(),
        role: types::ResourceRole::Collaborate,
    };
    let sent = resend_wire(types::OrgRoleInfo {
        role: Some(types::OrgRole::Edit),
        application_roles: Some(vec![grant].into()),
        dashboard_roles: None,
    })
    .await;
    settings().bind(|| insta::assert_json_snapshot!("instance_org_invite_resend_invite", sent));
}

#[tokio::test]
async fn resend_invite_sends_an_empty_list_as_an_empty_list() {
    let sent = resend_wire(types::OrgRoleInfo {
        role: None,
        application_roles: None,
        dashboard_roles: Some(vec![].into()),
    })
    .await;
    settings().bind(|| insta::assert_json_snapshot!("resend_invite_empty_list", sent));
}

#[tokio::test]
async fn caller_set_flags_and_losantdomain_win_over_defaults() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .links(false)
        .actions(true)
        .losantdomain("example.com")
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("get_with_caller_flags", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn members_list_sends_only_the_filters_and_sort_the_caller_set() {
    let server = support::fake().await;
    support::client(&server)
        .instance_org_members_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .filter_field(types::InstanceOrgMembersGetFilterField::Role)
        .filter("admin")
        .sort_field(types::InstanceOrgMembersGetSortField::Email)
        .send()
        .await
        .unwrap();
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_members_get", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn member_add_sends_one_of_user_and_email() {
    let server = support::fake().await;
    let body: types::OrgMemberPost = types::OrgMemberPostByUser {
        user_id: demo::ADMIN_USER_ID.parse().unwrap(),
        role: types::OrgRole::View,
        application_roles: Some(
            vec![types::ResourceRoleGrant {
                resource_id: "575ec8687ae143cd83dc4a90".parse().unwrap(),
                role: types::ResourceRole::None,
            }]
            .into(),
        ),
        dashboard_roles: None,
    }
    .into();
    // The user is a member already: the fake refuses, after recording what was sent.
    let _ = support::client(&server)
        .instance_org_members_post()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .body(body)
        .send()
        .await;
    settings().bind(|| {
        insta::assert_json_snapshot!("instance_org_members_post", wire(&only_request(&server)))
    });
}

#[tokio::test]
async fn member_get_patch_and_delete_address_the_user() {
    for (name, method) in [
        ("instance_org_member_get", "GET"),
        ("instance_org_member_patch", "PATCH"),
        ("instance_org_member_delete", "DELETE"),
    ] {
        let server = support::fake().await;
        let client = support::client(&server);
        let frances = "5f3c1a2b9d8e7f6100000001";
        match method {
            "GET" => drop(
                client
                    .instance_org_member_get()
                    .instance_id(demo::INSTANCE_ID)
                    .org_id(demo::ORG_ID)
                    .user_id(frances)
                    .send()
                    .await
                    .unwrap(),
            ),
            "PATCH" => drop(
                client
                    .instance_org_member_patch()
                    .instance_id(demo::INSTANCE_ID)
                    .org_id(demo::ORG_ID)
                    .user_id(frances)
                    .body(types::OrgMemberPatch {
                        role: Some(types::OrgRole::Edit),
                        application_roles: None,
                        dashboard_roles: Some(Vec::new().into()),
                    })
                    .send()
                    .await
                    .unwrap(),
            ),
            _ => drop(
                client
                    .instance_org_member_delete()
                    .instance_id(demo::INSTANCE_ID)
                    .org_id(demo::ORG_ID)
                    .user_id(frances)
                    .send()
                    .await
                    .unwrap(),
            ),
        }
        settings().bind(|| insta::assert_json_snapshot!(name, wire(&only_request(&server))));
    }
}

/// Every operation of the spec has its wire snapshot, named for its operationId: adding an
/// action means showing what it puts on the wire.
#[test]
fn every_operation_has_a_wire_snapshot() {
    use heck::ToSnakeCase;
    let spec: Value = serde_yaml_ng::from_str(&support::spec_text()).expect("the spec is YAML");
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let file = snapshots.join(format!("wire__{}.snap", id.to_snake_case()));
            assert!(
                file.is_file(),
                "{id} has no wire snapshot: {}",
                file.display()
            );
        }
    }
}
