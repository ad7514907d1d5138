//! One request per generated method against the fake over loopback: the generated code sends
//! the right method and path and decodes the documented body.

mod support;

use losant_invites_client::types;
use losant_invites_mock::demo;
use support::{client, fake, invite_path};

#[tokio::test]
async fn get_sends_get_on_the_invite_path_and_decodes_org_invite() {
    let server = fake().await;
    let response = client(&server)
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .send()
        .await
        .expect("get succeeds");
    assert_eq!(response.status().as_u16(), 200);
    let invite: types::OrgInvite = response.into_inner();
    assert_eq!(invite.id.as_deref(), Some(demo::INVITE_ID));
    assert_eq!(
        invite.role,
        Some(types::AnyOrgRole::OrgRole(types::OrgRole::Edit))
    );
    assert_eq!(invite.has_expired, Some(false));
    let log = server.requests();
    assert_eq!(
        (log[0].method.as_str(), log[0].path.clone()),
        ("GET", invite_path(demo::INVITE_ID))
    );
}

#[tokio::test]
async fn delete_sends_delete_on_the_invite_path_and_decodes_success() {
    let server = fake().await;
    let response = client(&server)
        .instance_org_invite_delete()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .send()
        .await
        .expect("delete succeeds");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.into_inner().success, Some(true));
    let log = server.requests();
    assert_eq!(
        (log[0].method.as_str(), log[0].path.clone()),
        ("DELETE", invite_path(demo::INVITE_ID))
    );
}

#[tokio::test]
async fn resend_invite_posts_the_role_info_and_decodes_the_new_invite() {
    let server = fake().await;
    let role_info = types::OrgRoleInfo {
        role: Some(types::OrgRole::View),
        application_roles: None,
        dashboard_roles: None,
    };
    let response = client(&server)
        .instance_org_invite_resend_invite()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id(demo::INVITE_ID)
        .body(role_info)
        .send()
        .await
        .expect("resendInvite succeeds");
    assert_eq!(response.status().as_u16(), 201);
    let invite = response.into_inner();
    assert_eq!(
        invite.role,
        Some(types::AnyOrgRole::OrgRole(types::OrgRole::View))
    );
    assert_ne!(invite.id.as_deref(), Some(demo::INVITE_ID));
    let log = server.requests();
    assert_eq!(
        (log[0].method.as_str(), log[0].path.clone()),
        ("POST", invite_path(demo::INVITE_ID))
    );
    assert_eq!(
        log[0].json_body(),
        Some(serde_json::json!({"role": "view"}))
    );
}

#[tokio::test]
async fn an_error_status_decodes_into_the_typed_error_body() {
    let server = fake().await;
    let error = client(&server)
        .instance_org_invite_get()
        .instance_id(demo::INSTANCE_ID)
        .org_id(demo::ORG_ID)
        .invite_id("0123456789abcdef01234567")
        .send()
        .await
        .expect_err("an unknown invite is an error");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.error_type(), Some("NotFound"));
}
