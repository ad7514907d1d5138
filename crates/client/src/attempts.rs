//! Sending one request: each attempt, and the retries after a failed one as the client's
//! [`RetryPolicy`](crate::RetryPolicy) allows, with a tracing span per attempt. What the
//! attempts learn (how many ran, the last status) is recorded in the call under way
//! ([`crate::call`]) for its error.

use std::time::{Duration, Instant};

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
        keep_for_a_cut(client, &result, spare, idempotent, started);
        return result;
    };
    // Boxed: the retry loop's state (a timer, the next request) is needed only when an
    // attempt failed, and inline it would enlarge every call's future.
    Box::pin(retry(client, spare, result, wait, idempotent, started)).await
}

/// What sending a request again takes, kept by the call under way when an idempotent action
/// was answered: if the answer's body is then cut while it streams, the call sends it again
/// ([`after_cut`]) as it would after any cut connection.
pub(crate) struct Resend {
    http: reqwest::Client,
    request: Request,
    started: Instant,
}

/// Keeps `spare` for the call (see [`Resend`]) when `result` is an answer to an idempotent
/// action.
fn keep_for_a_cut(
    client: Sender<'_>,
    result: &reqwest::Result<Response>,
    spare: Request,
    idempotent: bool,
    started: Instant,
) {
    if idempotent && result.is_ok() {
        call::keep_resend(Resend {
            http: client.http.clone(),
            request: spare,
            started,
        });
    }
}

/// Whether `error`, met while an answer's body streamed, is a cut worth sending the request
/// again for: not a timeout (the attempt had its full time) nor the body cap (the answer
/// would be as large again).
pub(crate) fn is_cut(error: &reqwest::Error) -> bool {
    !error.is_timeout() && !is_over_cap(error)
}

/// After an answer's body was cut (`cut`, by attempt number `attempts`): the attempts go on
/// as the policy allows, each answer read whole, its headers kept for the call. Answers the
/// last answer's status and body, or the error that ended the attempts.
pub(crate) async fn after_cut(
    settings: &Settings,
    resend: Resend,
    mut attempts: u32,
    cut: reqwest::Error,
) -> reqwest::Result<(reqwest::StatusCode, bytes::Bytes)> {
    let client = Sender {
        http: &resend.http,
        settings,
    };
    let mut last = cut;
    loop {
        let Some(wait) = policy_wait(client, attempts, None, resend.started) else {
            return Err(last);
        };
        let Some(request) = resend.request.try_clone() else {
            return Err(last);
        };
        announce_retry(attempts, None, wait);
        tokio::time::sleep(wait).await;
        attempts += 1;
        let mut response = match attempt(client, request, attempts).await {
            Ok(response) => response,
            Err(error) if !error.is_timeout() => {
                last = error;
                continue;
            }
            Err(error) => return Err(error),
        };
        let status = response.status();
        call::keep_headers(&mut response);
        match response.bytes().await {
            Ok(body) => return Ok((status, body)),
            Err(error) if is_cut(&error) => {
                call::mark_cut();
                last = error;
            }
            Err(error) => return Err(error),
        }
    }
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
    let wait = policy_wait(client, attempt, server_wait, started)?;
    announce_retry(
        attempt,
        result
            .as_ref()
            .ok()
            .map(|response| response.status().as_u16()),
        wait,
    );
    Some(wait)
}

/// The wait the policy gives before attempt `attempt + 1`, or `None` when it allows no more
/// or its deadline would pass.
fn policy_wait(
    client: Sender<'_>,
    attempt: u32,
    server_wait: Option<Duration>,
    started: Instant,
) -> Option<Duration> {
    let policy = &client.settings.retry;
    let wait = policy.wait(attempt, server_wait)?;
    (started.elapsed() + wait <= policy.deadline()).then_some(wait)
}

/// The `debug` event announcing a retry: the attempt about to be made, the status that failed
/// (none for a failed connection), the wait.
fn announce_retry(attempt: u32, status: Option<u16>, wait: Duration) {
    tracing::debug!(
        action = action_name(),
        attempt = attempt + 1,
        status,
        wait_ms = wait.as_millis() as u64,
        "retrying"
    );
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
            None => {
                keep_for_a_cut(client, &result, spare, idempotent, started);
                return result;
            }
        };
    }
}
