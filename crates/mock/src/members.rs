//! The handlers of an organization's members (`/instances/{instanceId}/orgs/{orgId}/members`):
//! `instanceOrgMembers.get`, the list (filtered and sorted as `listing.rs` says), and
//! `instanceOrgMembers.post`, someone added (see `store_members.rs` for the fake's choices).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::call::{Call, MemberAddAnswer};
use crate::errors;
use crate::listing::{self, Sorting};
use crate::store::Store;
use crate::store_members::Added;
use crate::validate;

/// How members sort: by `email`, ascending, unless asked otherwise.
const SORTING: Sorting = Sorting {
    fields: &["email", "role"],
    default_field: "email",
    default_direction: "asc",
    id_field: "userId",
};

/// `instanceOrgMembers.get`: the organization's members, filtered and sorted.
pub(crate) fn list(store: &mut Store, call: &Call<'_>) -> Response {
    match store.members(call.param("instanceId"), call.param("orgId")) {
        Ok(members) => listing::answer(members, call, &SORTING),
        Err(e) => errors::not_found(e.message()),
    }
}

/// `instanceOrgMembers.post`: the body checked as `instanceOrgMemberPost`, then the member
/// added (201), or an invite sent to an email the fake knows no user of (202); 200 for
/// either when the fake was started to answer as API 1.30.0 did.
pub(crate) fn add(store: &mut Store, call: &Call<'_>) -> Response {
    let body = match validate::member_post(call.body) {
        Ok(body) => body,
        Err(message) => return errors::validation(message),
    };
    let added = match store.add_member(call.param("instanceId"), call.param("orgId"), &body) {
        Ok(added) => added,
        Err(refusal) => return errors::refused(refusal),
    };
    let (status, answer) = match added {
        Added::Member(member) => (StatusCode::CREATED, member),
        Added::InviteSent(invite) => (StatusCode::ACCEPTED, invite),
    };
    let status = match call.member_add_answer {
        MemberAddAnswer::Current => status,
        MemberAddAnswer::Classic => StatusCode::OK,
    };
    (status, Json(answer)).into_response()
}
