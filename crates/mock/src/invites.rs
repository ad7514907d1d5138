//! The handlers of an organization's invites (`/instances/{instanceId}/orgs/{orgId}/invites`):
//! `instanceOrgInvites.get`, the list, and `instanceOrgInvites.post`, a new invite.
//!
//! Where Losant documents nothing, these are the fake's own choices, which neither the client
//! nor the command line depends on: the filter is a whole-field, case-insensitive glob in
//! which `*` stands for any run of characters and `?` for one; an empty `filter` or
//! `filterField` filters nothing; `count` is the number of items answered.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use wildmatch::WildMatch;

use crate::call::{Call, CreateAnswer};
use crate::errors;
use crate::store::{Missing, Store};
use crate::validate;

fn missing(missing: Missing) -> Response {
    errors::not_found(missing.message())
}

/// The value of the query parameter `name`, if sent and not empty.
fn query<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.query
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}

/// `instanceOrgInvites.get`: the organization's invites, filtered and sorted.
pub(crate) fn list(store: &mut Store, call: &Call<'_>) -> Response {
    if let Err(message) = validate::check_list_query(call.query) {
        return errors::validation(message);
    }
    let (instance, org) = (call.param("instanceId"), call.param("orgId"));
    let invites = match store.list(instance, org) {
        Ok(invites) => invites,
        Err(e) => return missing(e),
    };
    let sort_field = query(call, "sortField").unwrap_or("inviteDate");
    let sort_direction = query(call, "sortDirection").unwrap_or("desc");
    let (filter_field, filter) = (query(call, "filterField"), query(call, "filter"));
    let items = sorted(
        filtered(invites, filter_field, filter),
        sort_field,
        sort_direction,
    );
    let mut answer = json!({
        "items": items,
        "count": items.len(),
        "instanceId": instance,
        "orgId": org,
        "sortField": sort_field,
        "sortDirection": sort_direction,
    });
    if let (Some(field), Some(filter)) = (filter_field, filter) {
        answer["filterField"] = json!(field);
        answer["filter"] = json!(filter);
    }
    Json(answer).into_response()
}

fn filtered(invites: Vec<Value>, field: Option<&str>, filter: Option<&str>) -> Vec<Value> {
    let (Some(field), Some(filter)) = (field, filter) else {
        return invites;
    };
    let pattern = WildMatch::new_case_insensitive(filter);
    invites
        .into_iter()
        .filter(|invite| {
            invite[field]
                .as_str()
                .is_some_and(|value| pattern.matches(value))
        })
        .collect()
}

fn sorted(mut invites: Vec<Value>, field: &str, direction: &str) -> Vec<Value> {
    // Dates are kept as RFC 3339 text in one format, so their text sorts as they do.
    let text = |invite: &Value| invite[field].as_str().unwrap_or_default().to_owned();
    invites.sort_by(|a, b| {
        let order = text(a).cmp(&text(b));
        let order = order.then_with(|| text_id(a).cmp(text_id(b)));
        match direction {
            "asc" => order,
            _ => order.reverse(),
        }
    });
    invites
}

fn text_id(invite: &Value) -> &str {
    invite["id"].as_str().unwrap_or_default()
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
        Err(e) => return missing(e),
    };
    let answer = match call.create_answer {
        CreateAnswer::Invite => created,
        CreateAnswer::Collection => {
            let invites = store.list(instance, org).unwrap_or_default();
            let items = sorted(invites, "inviteDate", "desc");
            json!({
                "items": items,
                "count": items.len(),
                "instanceId": instance,
                "orgId": org,
                "sortField": "inviteDate",
                "sortDirection": "desc",
            })
        }
    };
    (StatusCode::CREATED, Json(answer)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_case_insensitive_globs_over_the_whole_field() {
        let invites = vec![
            json!({"id": "1", "email": "Ada@Example.com", "role": "admin"}),
            json!({"id": "2", "email": "grace@example.org", "role": "edit"}),
        ];
        let emails = |filter| {
            filtered(invites.clone(), Some("email"), Some(filter))
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(emails("*@example.com"), ["1"]);
        assert_eq!(emails("*EXAMPLE*"), ["1", "2"]);
        assert_eq!(emails("example"), Vec::<String>::new());
    }

    #[test]
    fn sorting_takes_a_field_and_a_direction() {
        let invites = vec![
            json!({"id": "1", "email": "b@x", "inviteDate": "2026-01-02T00:00:00.000Z"}),
            json!({"id": "2", "email": "a@x", "inviteDate": "2026-01-03T00:00:00.000Z"}),
        ];
        let ids = |field, direction| {
            sorted(invites.clone(), field, direction)
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("email", "asc"), ["2", "1"]);
        assert_eq!(ids("inviteDate", "desc"), ["2", "1"]);
        assert_eq!(ids("inviteDate", "asc"), ["1", "2"]);
    }
}
