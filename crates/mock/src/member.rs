//! The handlers of one member (`/instances/{instanceId}/orgs/{orgId}/members/{userId}`):
//! `instanceOrgMember.get`, `.patch` (a new role) and `.delete`. An organization keeps at
//! least one administrator (see `store_members.rs`).

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::call::Call;
use crate::errors;
use crate::store::Store;
use crate::validate;

/// The member's instance, organization and user IDs.
fn ids<'a>(call: &'a Call<'_>) -> (&'a str, &'a str, &'a str) {
    (
        call.param("instanceId"),
        call.param("orgId"),
        call.param("userId"),
    )
}

/// `instanceOrgMember.get`: the member.
pub(crate) fn get(store: &mut Store, call: &Call<'_>) -> Response {
    let (instance, org, user) = ids(call);
    match store.member(instance, org, user) {
        Ok(member) => Json(member).into_response(),
        Err(e) => errors::not_found(e.message()),
    }
}

/// `instanceOrgMember.patch`: the body checked as `instanceOrgMemberPatch`, then the member
/// with their new role.
pub(crate) fn patch(store: &mut Store, call: &Call<'_>) -> Response {
    let patch = match validate::member_patch(call.body) {
        Ok(patch) => patch,
        Err(message) => return errors::validation(message),
    };
    let (instance, org, user) = ids(call);
    match store.patch_member(instance, org, user, &patch) {
        Ok(member) => Json(member).into_response(),
        Err(refusal) => errors::refused(refusal),
    }
}

/// `instanceOrgMember.delete`: the member is gone.
pub(crate) fn delete(store: &mut Store, call: &Call<'_>) -> Response {
    let (instance, org, user) = ids(call);
    match store.remove_member(instance, org, user) {
        Ok(()) => Json(json!({ "success": true })).into_response(),
        Err(refusal) => errors::refused(refusal),
    }
}
