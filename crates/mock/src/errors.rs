//! Losant's error answers, in one place: the `{ "type", "message" }` body of every error the
//! fake gives, and the HTML page a proxy in front of Losant answers with instead.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::store::Refusal;

/// Losant's error body under `status`.
pub(crate) fn error(status: StatusCode, kind: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "type": kind, "message": message.into() })),
    )
        .into_response()
}

/// `400 Validation`, as Losant refuses malformed input.
pub(crate) fn validation(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, "Validation", message)
}

/// `404 NotFound`, naming what was not found.
pub(crate) fn not_found(message: impl Into<String>) -> Response {
    error(StatusCode::NOT_FOUND, "NotFound", message)
}

/// Why the fake refuses to act: `404` for what is missing, `400` for what its rules forbid,
/// as Losant answers them; `409` for a clash Losant documents no answer to.
pub(crate) fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Missing(missing) => not_found(missing.message()),
        Refusal::Invalid(message) => validation(message),
        Refusal::Conflict(message) => error(StatusCode::CONFLICT, "Conflict", message),
    }
}

/// `405` for a method a path does not take, with the methods it does take.
pub(crate) fn method_not_allowed(method: &str, allowed: &[&str]) -> Response {
    let allowed = allowed.join(", ");
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("{method} is not allowed here: use {allowed}"),
    );
    if let Ok(allow) = HeaderValue::try_from(allowed) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// An error status with Losant's body, its `type` from the status's reason (`429` →
/// `TooManyRequests`), and a `Retry-After` of `retry_after` seconds when given.
pub(crate) fn status(status: u16, retry_after: Option<u32>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let kind: String = status
        .canonical_reason()
        .unwrap_or("Error")
        .split_whitespace()
        .collect();
    let mut response = error(status, &kind, format!("injected fault: {status}"));
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// A proxy's HTML error page under `status`.
pub(crate) fn proxy_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let code = status.as_u16();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} Error</title></head>\n<body><h1>{code} Error</h1>\
         <p>The upstream server did not answer.</p></body></html>\n"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}
