//! Sending one attempt of a call, with a tracing span and one event per attempt. What the
//! attempts learn (how many ran, the last status) is recorded in the call under way
//! ([`crate::call`]) for its error and its retries.

use std::future::Future;
use std::time::Instant;

use reqwest::{Method, Request, Response};
use tracing::{Instrument, Level, Span};

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

/// Losant's name of the action under way, for tracing.
fn action_name() -> &'static str {
    call::action().map_or("unknown", |action| action.name)
}

/// Sends `request` through `client` as the call's next attempt, and keeps the answer's
/// headers in the call ([`call::keep_headers`]); in a dry run, keeps the request and sends
/// nothing. Retrying is the call's (`call.rs`): it sends the whole call again, built anew by
/// the generated code, so no attempt keeps a copy of its request in case.
///
/// The request is handed to reqwest before the future is made, so the future holds only what
/// the attempt's end needs, not the request: it is part of every call's state machine.
pub(crate) fn send<'a>(
    client: Sender<'a>,
    request: Request,
) -> impl Future<Output = reqwest::Result<Response>> + 'a {
    // A dry run (the builders' `prepare`) keeps the request and sends nothing.
    let sending = (!call::keep_if_dry_run(&request)).then(|| Sending::start(client, request));
    async move {
        let Some((sending, mut answer)) = sending else {
            return Ok(call::nothing_sent());
        };
        let result = (&mut answer)
            .await
            .map(|response| capped(response, client.settings.max_response_bytes));
        sending.finish(&result);
        result.map(|mut answer| {
            call::keep_headers(&mut answer);
            answer
        })
    }
}

/// An attempt under way: its request sent to reqwest, and what its end reports.
struct Sending {
    attempt: u32,
    span: Span,
    /// When it was sent, its method and path: kept only when someone is listening.
    sent: Option<(Instant, Method, String)>,
}

impl Sending {
    /// Sends `request` as the call's next attempt, with its span: the attempt, and its answer
    /// to come.
    fn start(
        client: Sender<'_>,
        request: Request,
    ) -> (
        Self,
        impl Future<Output = reqwest::Result<Response>> + Unpin + use<>,
    ) {
        let attempt = call::next_attempt();
        let span = tracing::info_span!(
            "losant_invites_client::request",
            action = action_name(),
            method = %request.method(),
            path = request.url().path(),
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // Timing (and the copies the event at the end needs) only when someone is listening.
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
        let answer = client.http.execute(request).instrument(span.clone());
        let sending = Self {
            attempt,
            span,
            sent,
        };
        (sending, answer)
    }

    /// Reports how the attempt ended: its event, and what the call records of it.
    fn finish(self, result: &reqwest::Result<Response>) {
        let Self {
            attempt,
            span,
            sent,
        } = self;
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
            match result {
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
        let outcome_unknown = match result {
            // A failed connect sent nothing; any other failure came after the request left.
            Err(error) => !error.is_connect(),
            Ok(response) => is_gateway_failure(response.status()),
        };
        call::record(call::Attempt {
            number: attempt,
            status,
            outcome_unknown,
        });
    }
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
