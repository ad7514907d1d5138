//! The handlers of an organization's invites (`/instances/{instanceId}/orgs/{orgId}/invites`):
//! `instanceOrgInvites.get`, the list (filtered and sorted as `listing.rs` says), and
//! `instanceOrgInvites.post`, a new invite.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::call::{Call, CreateAnswer};
use crate::errors;
use crate::listing::{self, Sorting};
use crate::store::Store;
use crate::validate;

/// How invites sort: by `inviteDate`, newest first, unless asked otherwise.
const SORTING: Sorting = Sorting {
    fields: &["email", "role", "inviteDate"],
    default_field: "inviteDate",
    default_direction: "desc",
    id_field: "id",
};

/// `instanceOrgInvites.get`: the organization's invites, filtered and sorted.
pub(crate) fn list(store: &mut Store, call: &Call<'_>) -> Response {
    match store.list(call.param("instanceId"), call.param("orgId")) {
        Ok(invites) => listing::answer(invites, call, &SORTING),
        Err(e) => errors::not_found(e.message()),
    }
}

/// `instanceOrgInvites.post`: the body checked as `orgInvitePost`, then a new invite, answered
/// as the fake was started to (see [`CreateAnswer`]).
pub(crate) fn create(store: &mut Store, call: &Call<'_>) -> Response {
    let fields: Map<String, Value> = match validate::invite_post(call.body) {
        Ok(fields) => fields,
        Err(message) => return errors::validation(message),
    };
    let (instance, org) = (call.param("instanceId"), call.param("orgId"));
    let created = match store.create(instance, org, &fields) {
        Ok(created) => created,
        Err(refusal) => return errors::refused(refusal),
    };
    (StatusCode::CREATED, Json(answer(store, call, created))).into_response()
}

/// What a create answers with, as the fake was started to: the new invite, or the
/// organization's invites as a list answers them.
pub(crate) fn answer(store: &mut Store, call: &Call<'_>, created: Value) -> Value {
    match call.create_answer {
        CreateAnswer::Invite => created,
        CreateAnswer::Collection => {
            let invites = store
                .list(call.param("instanceId"), call.param("orgId"))
                .unwrap_or_default();
            let items = listing::sorted(invites, "inviteDate", "desc", "id");
            listing::collection(items, call, "inviteDate", "desc")
        }
    }
}
