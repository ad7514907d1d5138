//! The handlers of one invite (`/instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`):
//! `instanceOrgInvite.get`, `.delete` and `.resendInvite`. Each runs on a request the router
//! has authorized and whose IDs and query it checked.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::call::Call;
use crate::errors;
use crate::store::{Missing, Store};
use crate::validate;

/// The invite's instance, organization and invite IDs.
fn ids<'a>(call: &'a Call<'_>) -> (&'a str, &'a str, &'a str) {
    (
        call.param("instanceId"),
        call.param("orgId"),
        call.param("inviteId"),
    )
}

fn missing(missing: Missing) -> Response {
    errors::not_found(missing.message())
}

/// `instanceOrgInvite.get`: the invite.
pub(crate) fn get(store: &mut Store, call: &Call<'_>) -> Response {
    let (instance, org, invite) = ids(call);
    match store.get(instance, org, invite) {
        Ok(invite) => Json(invite).into_response(),
        Err(e) => missing(e),
    }
}

/// `instanceOrgInvite.delete`: the invite is gone.
pub(crate) fn delete(store: &mut Store, call: &Call<'_>) -> Response {
    let (instance, org, invite) = ids(call);
    match store.delete(instance, org, invite) {
        Ok(()) => Json(json!({ "success": true })).into_response(),
        Err(e) => missing(e),
    }
}

/// `instanceOrgInvite.resendInvite`: the role info checked as `OrgRoleInfo`, then the new
/// invite (the store's choice: a new invite with a new ID, see `Store::resend`).
pub(crate) fn resend_invite(store: &mut Store, call: &Call<'_>) -> Response {
    let role_info = match validate::role_info(call.body) {
        Ok(info) => info,
        Err(message) => return errors::validation(message),
    };
    let (instance, org, invite) = ids(call);
    match store.resend(instance, org, invite, &role_info) {
        Ok(invite) => (StatusCode::CREATED, Json(invite)).into_response(),
        Err(e) => missing(e),
    }
}
