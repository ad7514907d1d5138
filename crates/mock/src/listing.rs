//! A list answer, as Losant's collections answer: the items filtered and sorted as the query
//! asks, with `count` and the filter and sort echoed. Every list of the fake answers through
//! here (invites, members).
//!
//! Where Losant documents nothing, these are the fake's own choices, which neither the client
//! nor the command line depends on: the filter is a whole-field, case-insensitive glob in
//! which `*` stands for any run of characters and `?` for one; an empty `filter` or
//! `filterField` filters nothing; ties sort by the item's ID; `count` is the number of items
//! answered.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use wildmatch::WildMatch;

use crate::call::Call;
use crate::errors;
use crate::validate;

/// How one kind of list sorts: the fields it takes, its default order, and the field that
/// tells items apart when they tie.
pub(crate) struct Sorting {
    pub(crate) fields: &'static [&'static str],
    pub(crate) default_field: &'static str,
    pub(crate) default_direction: &'static str,
    pub(crate) id_field: &'static str,
}

/// The value of the query parameter `name`, if sent and not empty.
fn query<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.query
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}

/// The answer to a list of `items` of `call`'s organization, filtered and sorted as its query
/// asks; a query Losant would refuse is `400`.
pub(crate) fn answer(items: Vec<Value>, call: &Call<'_>, sorting: &Sorting) -> Response {
    if let Err(message) = validate::check_list_query(call.query, sorting.fields) {
        return errors::validation(message);
    }
    let sort_field = query(call, "sortField").unwrap_or(sorting.default_field);
    let sort_direction = query(call, "sortDirection").unwrap_or(sorting.default_direction);
    let (filter_field, filter) = (query(call, "filterField"), query(call, "filter"));
    let items = sorted(
        filtered(items, filter_field, filter),
        sort_field,
        sort_direction,
        sorting.id_field,
    );
    let mut answer = collection(items, call, sort_field, sort_direction);
    if let (Some(field), Some(filter)) = (filter_field, filter) {
        answer["filterField"] = json!(field);
        answer["filter"] = json!(filter);
    }
    Json(answer).into_response()
}

/// `items` as a collection of `call`'s organization in the order given.
pub(crate) fn collection(
    items: Vec<Value>,
    call: &Call<'_>,
    field: &str,
    direction: &str,
) -> Value {
    json!({
        "items": items,
        "count": items.len(),
        "instanceId": call.param("instanceId"),
        "orgId": call.param("orgId"),
        "sortField": field,
        "sortDirection": direction,
    })
}

fn filtered(items: Vec<Value>, field: Option<&str>, filter: Option<&str>) -> Vec<Value> {
    let (Some(field), Some(filter)) = (field, filter) else {
        return items;
    };
    let pattern = WildMatch::new_case_insensitive(filter);
    items
        .into_iter()
        .filter(|item| {
            item[field]
                .as_str()
                .is_some_and(|value| pattern.matches(value))
        })
        .collect()
}

/// `items` sorted by `field` (dates are kept as RFC 3339 text in one format, so their text
/// sorts as they do), ties by `id_field`.
pub(crate) fn sorted(
    mut items: Vec<Value>,
    field: &str,
    direction: &str,
    id_field: &str,
) -> Vec<Value> {
    let text = |item: &Value, field: &str| item[field].as_str().unwrap_or_default().to_owned();
    items.sort_by(|a, b| {
        let order = text(a, field)
            .cmp(&text(b, field))
            .then_with(|| text(a, id_field).cmp(&text(b, id_field)));
        match direction {
            "asc" => order,
            _ => order.reverse(),
        }
    });
    items
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
            sorted(invites.clone(), field, direction, "id")
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("email", "asc"), ["2", "1"]);
        assert_eq!(ids("inviteDate", "desc"), ["2", "1"]);
        assert_eq!(ids("inviteDate", "asc"), ["1", "2"]);
    }
}
