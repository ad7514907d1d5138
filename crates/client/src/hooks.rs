//! What every request goes through between the generated builder and the network: the
//! credentials and headers Losant's own clients send (`pre`), and the attempts, retries and
//! tracing around sending (`exec`). The query defaults they send are written into each URL by
//! the generated code itself.

use std::time::Instant;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderName, USER_AGENT};
use tracing::Instrument;

use crate::Client;
use crate::call::{CALL, current_action};
use crate::response_limit::capped;
use crate::retry::{is_retried_status, retry_after};
use crate::settings::Settings;

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

    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner().retry;
        // GET and DELETE may run twice without harm; resendInvite (POST) may not.
        let idempotent = request.method() != Method::POST;
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let spare = (attempt < policy.max_attempts())
                .then(|| retry_copy(&request))
                .flatten();
            let span = tracing::info_span!(
                "losant_invites_client::request",
                action = current_action(),
                method = %request.method(),
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            // Timing is only worth a clock read when someone is listening.
            let sent = (!span.is_disabled()).then(Instant::now);
            let result = self
                .client()
                .execute(request)
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
            let _ = CALL.try_with(|call| {
                call.attempts.set(attempt);
                call.last_status.set(status);
            });

            let Some(next) = spare else { return result };
            let server_wait = match &result {
                Ok(response) if idempotent && is_retried_status(response.status()) => {
                    retry_after(response.headers())
                }
                // A failed connect means the request never left: safe to repeat, even a POST.
                Err(error) if error.is_connect() => None,
                _ => return result,
            };
            let Some(wait) = policy.wait(attempt, server_wait) else {
                return result;
            };
            if started.elapsed() + wait > policy.deadline() {
                return result;
            }
            span.in_scope(|| tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying"));
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
        }
    }
}

/// A copy of `request` to send again if this attempt fails.
///
/// `reqwest::Request::try_clone` also copies the per-request extensions and timeout, which the
/// generated code never sets; copying only what it does set takes about half the allocations,
/// and this runs before every attempt that may be retried. A body held in memory copies; a
/// streamed one could not, and then there is simply no retry.
fn retry_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(body.as_bytes()?.to_vec())),
        None => None,
    };
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    *copy.body_mut() = body;
    Some(copy)
}
