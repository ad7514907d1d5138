//! Sending one attempt of a call, with a tracing span and one event per attempt. What the
//! attempts learn (how many ran, the last status) is recorded in the call under way
//! ([`crate::call`]) for its error and its retries.

use std::time::Instant;

use reqwest::{Request, Response};
use tracing::{Instrument, Level};

use crate::call;
use crate::response_limit::capped;
use crate::settings::Settings;

/// What sends a client's requests: its HTTP client and its settings (the retry policy, the body
/// cap).
#[derive(Clone, Copy)]
pub(crate) struct Sender<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) settings: &'a Settings,
}

/// Sends `request` through `client` as the call's next attempt. Retrying is the call's
/// (`call.rs`): it sends the whole call again, built anew by the generated code, so no
/// attempt keeps a copy of its request in case.
pub(crate) async fn send(client: Sender<'_>, request: Request) -> reqwest::Result<Response> {
    attempt(client, request, call::next_attempt()).await
}

/// Losant's name of the action under way, for tracing.
pub(crate) fn action_name() -> &'static str {
    call::action().map_or("unknown", |action| action.name)
}

/// Sends `request` as attempt number `attempt`.
async fn attempt(client: Sender<'_>, request: Request, attempt: u32) -> reqwest::Result<Response> {
    let span = tracing::info_span!(
        "losant_invites_client::request",
        action = action_name(),
        method = %request.method(),
        path = request.url().path(),
        attempt,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    // Timing (and the copies the event below needs) only when someone is listening.
    let sent = (!span.is_disabled()).then(|| {
        (
            Instant::now(),
            request.method().clone(),
            request.url().path().to_owned(),
        )
    });
    if tracing::enabled!(target: WIRE, Level::TRACE) {
        trace_request(&request);
    }
    let result = client
        .http
        .execute(request)
        .instrument(span.clone())
        .await
        .map(|response| capped(response, client.settings.max_response_bytes));
    let status = result.as_ref().ok().map(Response::status);
    if let Some((sent, method, path)) = sent {
        let duration_ms = sent.elapsed().as_millis() as u64;
        span.record("duration_ms", duration_ms);
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        // One event per attempt, whole in itself: what a command line's `-v` prints.
        let action = action_name();
        let _entered = span.enter();
        match &result {
            Ok(response) => {
                tracing::info!(
                    action,
                    %method,
                    path,
                    attempt,
                    status = response.status().as_u16(),
                    duration_ms,
                    "attempt answered"
                );
                tracing::trace!(
                    target: WIRE,
                    headers = %shown_headers(response.headers()),
                    "answer headers"
                );
            }
            Err(error) => tracing::info!(
                action,
                %method,
                path,
                attempt,
                duration_ms,
                error = %error,
                "attempt failed"
            ),
        }
    }
    let outcome_unknown = match &result {
        // A failed connect sent nothing; any other failure came after the request left.
        Err(error) => !error.is_connect(),
        Ok(response) => is_gateway_failure(response.status()),
    };
    call::record(call::Attempt {
        number: attempt,
        status,
        outcome_unknown,
    });
    result
}

/// The target of the traces that show what goes over the wire: headers (the token
/// redacted) and the start of each request body, at `trace` level.
const WIRE: &str = "losant_invites_client::wire";

/// How much of a request body a trace shows.
const TRACED_BODY_BYTES: usize = 300;

fn trace_request(request: &Request) {
    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .map(|bytes| {
            String::from_utf8_lossy(&bytes[..bytes.len().min(TRACED_BODY_BYTES)]).into_owned()
        });
    tracing::trace!(
        target: WIRE,
        url = %request.url(),
        headers = %shown_headers(request.headers()),
        body = body.as_deref().unwrap_or(""),
        "request"
    );
}

/// Headers on one line, `name: value; …`, with credentials redacted.
fn shown_headers(headers: &reqwest::header::HeaderMap) -> String {
    let mut shown = String::new();
    for (name, value) in headers {
        if !shown.is_empty() {
            shown.push_str("; ");
        }
        shown.push_str(name.as_str());
        shown.push_str(": ");
        if value.is_sensitive() || name == reqwest::header::AUTHORIZATION {
            shown.push_str("[redacted]");
        } else {
            shown.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
    }
    shown
}

/// A gateway's answer in Losant's place: it may have passed the request on and lost the
/// answer, or not passed it on at all.
fn is_gateway_failure(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 502 | 504)
}
