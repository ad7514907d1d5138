//! Sending one request: each attempt, and the retries after a failed one as the client's
//! [`RetryPolicy`](crate::RetryPolicy) allows, with a tracing span per attempt. What the
//! attempts learn (how many ran, the last status) is recorded in the call under way
//! ([`crate::call`]) for its error.

use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use reqwest::{Request, Response};
use tracing::{Instrument, Level};

use crate::call;
use crate::response_limit::{capped, is_over_cap};
use crate::retry::{is_retried_status, retry_after};
use crate::settings::Settings;

/// What sends a client's requests: its HTTP client and its settings (the retry policy, the body
/// cap).
#[derive(Clone, Copy)]
pub(crate) struct Sender<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) settings: &'a Settings,
}

/// Sends `request` through `client`, retrying as the client's policy allows.
pub(crate) async fn send(client: Sender<'_>, request: Request) -> reqwest::Result<Response> {
    let started = Instant::now();
    let idempotent = is_retry_safe();
    // A copy to send again, made only when a retry is possible at all; `None` for a streamed
    // body, which cannot be sent twice.
    let spare = (client.settings.retry.max_attempts() > 1)
        .then(|| request.try_clone())
        .flatten();
    let result = attempt(client, request, 1).await;
    let Some(spare) = spare else { return result };
    let Some(wait) = retry_wait(client, &result, 1, idempotent, started) else {
        return result;
    };
    // Boxed: the retry loop's state (a timer, the next request) is needed only when an
    // attempt failed, and inline it would enlarge every call's future.
    Box::pin(retry(client, spare, result, wait, idempotent, started)).await
}

/// Whether the action under way may run twice without harm (get and delete may, resendInvite
/// may not), as the spec's model says through its generated `send`.
fn is_retry_safe() -> bool {
    call::action().is_some_and(|action| action.retry_safe)
}

/// Losant's name of the action under way, for tracing.
fn action_name() -> &'static str {
    call::action().map_or("unknown", |action| action.name)
}

/// Sends `request` as attempt number `attempt`.
async fn attempt(client: Sender<'_>, request: Request, attempt: u32) -> reqwest::Result<Response> {
    let idempotent = is_retry_safe();
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
    // An idempotent action's answer is read whole within its attempt, so a connection cut
    // while the body streams fails the attempt, which is then retried like any other cut.
    let result = match result {
        Ok(response) if idempotent => read_whole(response).instrument(span.clone()).await,
        other => other,
    };
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
    // The status of an answer whose body then broke off is kept: the call's error shows it.
    call::record(call::Attempt {
        number: attempt,
        status,
        outcome_unknown,
    });
    result
}

/// `response` with its body read into memory (within the body cap), or the error that cut it.
async fn read_whole(response: Response) -> reqwest::Result<Response> {
    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(http::Response::from_parts(parts, reqwest::Body::from(body)).into())
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

/// How long to wait before retrying after attempt number `attempt` ended in `result`, or
/// `None` when it must not be retried: it succeeded, failed in a way a retry would not fix,
/// or the policy has no attempt left or its deadline would pass. A retry is announced as a
/// `debug` event.
fn retry_wait(
    client: Sender<'_>,
    result: &reqwest::Result<Response>,
    attempt: u32,
    idempotent: bool,
    started: Instant,
) -> Option<Duration> {
    let policy = &client.settings.retry;
    let server_wait = match result {
        Ok(response) if idempotent && is_retried_status(response.status()) => {
            retry_after(response.headers())
        }
        // A failed connect means the request never left: safe to repeat, even a POST.
        Err(error) if error.is_connect() => None,
        // A connection cut after the request left, or while the answer streamed: get and
        // delete are safe to repeat, a resendInvite is not (it may have made a new invite). A
        // timeout is not retried: the attempt already had its full time; nor an answer over
        // the body cap, which would be as large again.
        Err(error) if idempotent && !error.is_timeout() && !is_over_cap(error) => None,
        _ => return None,
    };
    let wait = policy.wait(attempt, server_wait)?;
    if started.elapsed() + wait > policy.deadline() {
        return None;
    }
    tracing::debug!(
        action = action_name(),
        attempt = attempt + 1,
        status = result
            .as_ref()
            .ok()
            .map(|response| response.status().as_u16()),
        wait_ms = wait.as_millis() as u64,
        "retrying"
    );
    Some(wait)
}

/// The attempts after the first, while the policy allows: each waits `wait`, then sends a
/// copy of `spare`. `result` is the failed attempt's, answered if no retry can be made after
/// all.
async fn retry(
    client: Sender<'_>,
    spare: Request,
    mut result: reqwest::Result<Response>,
    mut wait: Duration,
    idempotent: bool,
    started: Instant,
) -> reqwest::Result<Response> {
    let mut number = 1;
    loop {
        let Some(request) = spare.try_clone() else {
            return result;
        };
        // The failed answer goes before the wait: it may hold a connection.
        drop(result);
        tokio::time::sleep(wait).await;
        number += 1;
        result = attempt(client, request, number).await;
        wait = match retry_wait(client, &result, number, idempotent, started) {
            Some(wait) => wait,
            None => return result,
        };
    }
}
