//! Who may do what: the bearer token of a request, as Losant reads it, and whether the token
//! holds a scope that grants the action.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::action::Action;
use crate::errors::error;
use crate::state::{Shared, lock};

/// The bearer token of a request, or why it has none, as Losant says it.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Result<&str, &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or("Authorization header required")?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err("Authorization header must be of the form `Bearer <token>`"),
    }
}

/// Whether the request carries a bearer token the fake knows.
pub(crate) fn has_valid_token(shared: &Shared, headers: &HeaderMap) -> bool {
    bearer_token(headers).is_ok_and(|token| lock(&shared.tokens).contains_key(token))
}

/// Why the request may not run `action`, as Losant answers it: 401 (no or unknown token) or 403
/// (no scope that grants it); `None` when it may.
pub(crate) fn refusal(shared: &Shared, action: Action, headers: &HeaderMap) -> Option<Response> {
    let token = match bearer_token(headers) {
        Ok(token) => token,
        Err(why) => return Some(error(StatusCode::UNAUTHORIZED, "Unauthorized", why)),
    };
    let granted = match lock(&shared.tokens).get(token) {
        None => {
            return Some(error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Invalid access token",
            ));
        }
        Some(scopes) => action.is_granted_by(scopes),
    };
    (!granted).then(|| {
        error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "{action} needs a token with one of the scopes {}",
                action.accepted_scopes().join(", ")
            ),
        )
    })
}
