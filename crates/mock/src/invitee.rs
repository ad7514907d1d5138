//! What the invitee does (Losant's `orgInvites.post`, `POST /invites`, no API token): accept
//! or decline an invite by the email it was sent to and the token its mail carried. Accepted,
//! the invite leaves the organization's list and its person becomes a member with its role.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::call::Call;
use crate::errors;
use crate::store::Store;
use crate::store_members::NotAnswered;
use crate::validate;

/// `orgInvites.post`: the body checked as `orgInviteAction`, then 200 `orgInviteResult`
/// (`{accepted, orgId}`); 404 for an unknown invite or token, 410 once it has expired (the
/// statuses Losant documents; the messages are the fake's).
pub(crate) fn respond(store: &mut Store, call: &Call<'_>) -> Response {
    let (email, token, accept) = match validate::invite_action(call.body) {
        Ok(answer) => answer,
        Err(message) => return errors::validation(message),
    };
    match store.respond(&email, &token, accept) {
        Ok(responded) => Json(json!({
            "accepted": responded.accepted,
            "orgId": responded.org_id,
        }))
        .into_response(),
        Err(NotAnswered::NotFound) => errors::not_found("Invite was not found"),
        Err(NotAnswered::Expired) => errors::error(StatusCode::GONE, "Gone", "Invite has expired"),
    }
}
