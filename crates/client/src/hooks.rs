//! What every request goes through between the generated builder and the network: the
//! credentials and headers Losant's own clients send (progenitor's `pre` hook), and the
//! attempts, retries and tracing around sending (`Client::send_attempts`, which the generated
//! code calls where progenitor would call its `exec` hook, lending it the call's state). The
//! query defaults Losant's clients send are written into each URL by the generated code.

use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderName, USER_AGENT};
use tracing::Instrument;

use crate::Client;
use crate::call::Call;
use crate::response_limit::capped;
use crate::retry::{is_retried_status, retry_after};
use crate::settings::Settings;
use crate::spare::Spare;

const ACCEPT_VERSION: HeaderName = HeaderName::from_static("accept-version");

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let settings = self.inner();
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, settings.authorization.clone());
        headers.insert(ACCEPT_VERSION, settings.accept_version.clone());
        headers.insert(USER_AGENT, settings.user_agent.clone());
        Ok(())
    }
}

impl Client {
    /// Sends `request` for `call`, retrying as the client's policy allows, and records the
    /// attempts and the last status in `call`. `url` is the request's URL as the generated
    /// code formatted it, which a retry parses again.
    //
    // A plain `fn` that does its synchronous work, keeping a spare of the request and handing
    // it to reqwest, before returning an `async move` block: the block then holds only what
    // lives across an await. This future is part of every call's, and a request is 264
    // bytes; an `async fn` would hold it twice (as its argument and as the local it moves
    // into) for the whole call.
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn send_attempts<'a>(
        &'a self,
        request: reqwest::Request,
        url: &'a str,
        call: &'a Call,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        let started = Instant::now();
        // GET and DELETE may run twice without harm; resendInvite (POST) may not.
        let idempotent = request.method() != Method::POST;
        let spare = (self.inner().retry.max_attempts() > 1)
            .then(|| Spare::of(&request))
            .flatten();
        let first = self.attempt(request, call, 1);
        async move {
            let result = first.await;
            let Some(spare) = spare else { return result };
            let Some(wait) = self.retry_wait(&result, call, 1, idempotent, started) else {
                return result;
            };
            let retry = Retry {
                spare,
                url,
                call,
                idempotent,
                started,
            };
            // Boxed: the retry loop's state (a timer, the next request) is needed only when
            // an attempt failed, and inline it would enlarge every call's future.
            Box::pin(self.retry(retry, result, wait)).await
        }
    }

    /// Sends `request` as attempt number `attempt` of `call`: reqwest takes it now, and the
    /// returned future waits for the answer. (A plain `fn` for the reason given at
    /// `send_attempts`.)
    #[allow(clippy::manual_async_fn)]
    fn attempt<'a>(
        &'a self,
        request: reqwest::Request,
        call: &'a Call,
        attempt: u32,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        let span = tracing::info_span!(
            "losant_invites_client::request",
            action = call.action,
            method = %request.method(),
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // Timing is only worth a clock read when someone is listening.
        let sent = (!span.is_disabled()).then(Instant::now);
        let pending = span.in_scope(|| self.client().execute(request));
        async move {
            let result = pending
                .instrument(span.clone())
                .await
                .map(|response| capped(response, self.inner().max_response_bytes));
            let status = result.as_ref().ok().map(reqwest::Response::status);
            if let Some(sent) = sent {
                span.record("duration_ms", sent.elapsed().as_millis() as u64);
                if let Some(status) = status {
                    span.record("status", status.as_u16());
                }
            }
            call.record(attempt, status);
            result
        }
    }

    /// How long to wait before retrying after attempt number `attempt` ended in `result`, or
    /// `None` when it must not be retried: it succeeded, failed in a way a retry would not
    /// fix, or the policy has no attempt left or its deadline would pass. A retry is announced
    /// as a `debug` event.
    fn retry_wait(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        call: &Call,
        attempt: u32,
        idempotent: bool,
        started: Instant,
    ) -> Option<Duration> {
        let policy = &self.inner().retry;
        let server_wait = match result {
            Ok(response) if idempotent && is_retried_status(response.status()) => {
                retry_after(response.headers())
            }
            // A failed connect means the request never left: safe to repeat, even a POST.
            Err(error) if error.is_connect() => None,
            _ => return None,
        };
        let wait = policy.wait(attempt, server_wait)?;
        if started.elapsed() + wait > policy.deadline() {
            return None;
        }
        tracing::debug!(
            action = call.action,
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

    /// The attempts after the first, while the policy allows: each waits `wait`, then sends
    /// the spare request again. `result` is the failed attempt's, answered if no retry can
    /// be made after all.
    async fn retry(
        &self,
        retry: Retry<'_>,
        mut result: reqwest::Result<reqwest::Response>,
        mut wait: Duration,
    ) -> reqwest::Result<reqwest::Response> {
        let mut attempt = 1;
        loop {
            let Some(request) = retry.spare.request(retry.url) else {
                return result;
            };
            // The failed answer goes before the wait: it may hold a connection.
            drop(result);
            tokio::time::sleep(wait).await;
            attempt += 1;
            result = self.attempt(request, retry.call, attempt).await;
            wait = match self.retry_wait(
                &result,
                retry.call,
                attempt,
                retry.idempotent,
                retry.started,
            ) {
                Some(wait) => wait,
                None => return result,
            };
        }
    }
}

/// What the attempts after the first need of the call.
struct Retry<'a> {
    spare: Spare,
    url: &'a str,
    call: &'a Call,
    idempotent: bool,
    started: Instant,
}
