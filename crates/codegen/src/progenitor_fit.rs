//! Adjustments that let progenitor read the spec as it is written, without changing what the
//! spec says.

use openapiv3::{OpenAPI, Operation, ReferenceOr, StatusCode};

/// Turns each operation's `default` response into the `4XX` and `5XX` ranges.
///
/// The spec says, truthfully, that any undocumented status comes with an error body. progenitor
/// counts a `default` response among the possible successes as well, and cannot give one action
/// two success types, so it would reject the spec. As error ranges the same response makes every
/// 401, 403, 429 or 5xx decode into the typed error body. The documented 4xx codes are folded
/// into the range too: progenitor allows one error type per action anyway, and a range arm ahead
/// of an exact code would leave the exact one unreachable.
pub(crate) fn default_response_as_error_ranges(spec: &mut OpenAPI) {
    for operation in operations_mut(spec) {
        let responses = &mut operation.responses;
        let Some(default) = responses.default.take() else {
            continue;
        };
        (responses.responses).retain(|status, _| match status {
            StatusCode::Code(code) => !(400..600).contains(code),
            StatusCode::Range(class) => !(4..6).contains(class),
        });
        for class in [4, 5] {
            (responses.responses).insert(StatusCode::Range(class), default.clone());
        }
    }
}

/// Every operation of the spec, mutably.
fn operations_mut(spec: &mut OpenAPI) -> impl Iterator<Item = &mut Operation> {
    spec.paths
        .paths
        .values_mut()
        .filter_map(|item| match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ]
            .into_iter()
            .flatten()
        })
}
