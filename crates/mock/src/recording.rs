//! The middleware in front of every route: each request logged before anything can answer
//! it, its body read within the body-read timeout, and a body encoding the fake cannot read
//! refused.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::action::is_served;
use crate::auth::has_valid_token;
use crate::errors::error;
use crate::request_log::{LOGGED_BODY_BYTES, RecordedRequest, redact_authorization};
use crate::state::{Shared, lock};

/// The largest request body the fake reads. A maximal `OrgRoleInfo` (2000 grants) is ~150 KiB.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;

/// Logs the request before anything can answer it, reads its body within the body-read
/// timeout, and refuses a body encoding it cannot read.
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = tokio::time::timeout(
        shared.limits.body_read,
        axum::body::to_bytes(body, MAX_REQUEST_BODY),
    )
    .await;
    let read = match &body {
        Ok(Ok(bytes)) => Some(bytes),
        _ => None,
    };
    // Only the body of an authenticated request to a path the fake serves is kept: anything
    // else is counted, so that junk cannot fill the log.
    let keeps_body = is_served(parts.uri.path()) && has_valid_token(&shared, &parts.headers);
    let entry = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                let value = match *name {
                    header::AUTHORIZATION => redact_authorization(&value),
                    _ => value.into_owned(),
                };
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: match read {
            Some(bytes) if keeps_body && !bytes.is_empty() => {
                let kept = &bytes[..bytes.len().min(LOGGED_BODY_BYTES)];
                Some(String::from_utf8_lossy(kept).into_owned())
            }
            _ => None,
        },
        body_len: read.map_or(0, Bytes::len),
    };
    lock(&shared.log).push(entry);
    let bytes = match body {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PayloadTooLarge",
                format!("request body is over {MAX_REQUEST_BODY} bytes"),
            );
        }
        Err(_) => {
            let mut answer = error(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                format!(
                    "the request body did not arrive within {} ms",
                    shared.limits.body_read.as_millis()
                ),
            );
            answer
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return answer;
        }
    };
    if let Some(encoding) = parts.headers.get(header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes())
            .trim()
            .to_owned();
        if !encoding.eq_ignore_ascii_case("identity") {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                format!(
                    "Content-Encoding {encoding:?} is not supported: send the body uncompressed"
                ),
            );
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
