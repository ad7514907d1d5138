//! One call of an action, end to end: every generated `send` runs through [`send`], which
//! keeps what the call's attempts record ([`record`], [`keep_headers`]) in a task-local for the
//! duration of the call, and turns progenitor's error into [`Error`], with that record and the
//! client's token scrubbed from it.

use std::cell::Cell;
use std::future::Future;

use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::Client;
use crate::error::{Error, ErrorKind};
use crate::response_limit::is_over_cap;
use crate::types::ApiError;

/// The most of an unexpected answer's body read to describe it in an error.
const UNEXPECTED_BODY_BYTES: usize = 4096;

tokio::task_local! {
    /// The call under way in this task: progenitor's `exec` hook, which runs the attempts,
    /// takes no state of its own, so the attempts record what the call's error will need here.
    static CALL: Call;
}

/// What one call of an action records as it goes.
struct Call {
    action: &'static str,
    attempts: Cell<u32>,
    /// The status of the last answer, `0` for none yet, which progenitor's error drops when
    /// an error answer's body is not JSON.
    last_status: Cell<u16>,
    /// The headers of the last answer, which [`send`] hands back with the decoded answer.
    headers: Cell<HeaderMap>,
}

impl Call {
    fn new(action: &'static str) -> Self {
        Self {
            action,
            attempts: Cell::new(0),
            last_status: Cell::new(0),
            headers: Cell::default(),
        }
    }

    fn last_status(&self) -> Option<StatusCode> {
        StatusCode::from_u16(self.last_status.get()).ok()
    }
}

/// Losant's name of the action under way, such as `instanceOrgInvite.get`, for tracing.
pub(crate) fn action() -> &'static str {
    CALL.try_with(|call| call.action).unwrap_or("unknown")
}

/// Records that attempt number `attempt` of the call under way ended, with `status` if an
/// answer came.
pub(crate) fn record(attempt: u32, status: Option<StatusCode>) {
    // Outside a call (which generated code never is) there is nothing to record.
    let _ = CALL.try_with(|call| {
        call.attempts.set(attempt);
        call.last_status
            .set(status.map_or(0, |status| status.as_u16()));
    });
}

/// Takes the headers of `answer`, the last of the call under way, to hand them back with the
/// decoded answer: progenitor would copy them while decoding, a measurable share of a call's
/// cost over raw reqwest (see the README's Performance section), and it reads only the status
/// and the body. Outside a call (which generated code never is) the headers stay.
pub(crate) fn keep_headers(answer: &mut reqwest::Response) {
    let _ = CALL.try_with(|call| call.headers.set(std::mem::take(answer.headers_mut())));
}

/// Runs the generated `send` of one call of `action` on `client` and presents its failure as
/// an [`Error`].
///
/// The call is boxed where it is made: a request's state machine is a couple of kilobytes,
/// and boxed it is never copied again, however often the caller's future moves (into
/// `join_all`, a spawned task, a `select!`).
pub(crate) fn send<'a, T, F>(
    client: &'a Client,
    action: &'static str,
    send: F,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a
where
    T: 'a,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiError>>> + 'a,
{
    let call = Box::pin(CALL.scope(Call::new(action), async move {
        let result = send.await;
        let record = CALL.with(|call| (call.attempts.get(), call.last_status()));
        let headers = CALL.with(|call| call.headers.take());
        (result, record, headers)
    }));
    async move {
        match call.await {
            (Ok(value), _, headers) => {
                let status = value.status();
                Ok(ResponseValue::new(value.into_inner(), status, headers))
            }
            (Err(error), (attempts, status), _) => {
                // Boxed: the error path's state is large, and kept inline it would enlarge
                // every call's future, including the ones that succeed.
                let error = Box::pin(present(action, error, status))
                    .await
                    .with_attempts(attempts);
                Err(error.finish(&client.inner().token))
            }
        }
    }
}

/// progenitor's error as ours. `status` is the last status the attempts recorded, which
/// progenitor drops when an error answer's body is not JSON.
async fn present(
    action: &'static str,
    error: progenitor_client::Error<ApiError>,
    status: Option<StatusCode>,
) -> Error {
    use progenitor_client::Error as Generated;
    match error {
        Generated::InvalidRequest(why) => {
            Error::new(action, ErrorKind::InvalidInput).with_detail(why)
        }
        Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => transport(action, &e),
        Generated::ResponseBodyError(e) if is_over_cap(&e) => Error::new(action, ErrorKind::Decode)
            .with_status(status)
            .with_detail(
                "the answer is larger than the client's max_response_bytes; the rest was not read",
            ),
        Generated::ResponseBodyError(e) => {
            let error = transport(action, &e).with_status(status);
            match error.kind() {
                ErrorKind::Timeout => error,
                _ => error.with_detail(format!("the answer broke off: {}", chain(&e))),
            }
        }
        Generated::ErrorResponse(answer) => {
            let status = answer.status();
            Error::from_api_body(action, status, answer.into_inner())
        }
        Generated::InvalidResponsePayload(body, e) => {
            let kind = match status {
                Some(status) if status.is_success() => ErrorKind::Decode,
                _ => ErrorKind::Api,
            };
            let error = Error::new(action, kind)
                .with_status(status)
                .with_body(&body);
            match kind {
                ErrorKind::Decode => error.with_detail(e.to_string()),
                _ => error,
            }
        }
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let kind = if status.is_success() {
                ErrorKind::Decode
            } else {
                ErrorKind::Api
            };
            let body = read_some(response).await;
            Error::new(action, kind)
                .with_status(Some(status))
                .with_body(&body)
                .with_detail("a status the spec does not list")
        }
        Generated::Custom(why) => Error::new(action, ErrorKind::Transport).with_detail(why),
    }
}

fn transport(action: &'static str, error: &reqwest::Error) -> Error {
    let kind = if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    Error::new(action, kind).with_detail(chain(error))
}

/// An error and its sources, outermost first.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Up to [`UNEXPECTED_BODY_BYTES`] of an answer's body, for an error message.
async fn read_some(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < UNEXPECTED_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(UNEXPECTED_BODY_BYTES);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    // A call's future must stay `Send`, so callers can spawn it on a multi-threaded runtime;
    // this fails to compile when it is not.
    #[test]
    fn every_send_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = Client::builder()
            .token("t")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_send(&client.instance_org_invite_get().send());
        assert_send(&client.instance_org_invite_delete().send());
        assert_send(&client.instance_org_invite_resend_invite().send());
    }

    #[tokio::test]
    async fn a_call_reports_what_its_attempts_recorded() {
        let recorded = CALL
            .scope(Call::new("instanceOrgInvite.get"), async {
                assert_eq!(action(), "instanceOrgInvite.get");
                record(1, Some(StatusCode::SERVICE_UNAVAILABLE));
                record(2, None);
                let after_two = CALL.with(|call| (call.attempts.get(), call.last_status()));
                record(3, Some(StatusCode::TOO_MANY_REQUESTS));
                let after_three = CALL.with(|call| (call.attempts.get(), call.last_status()));
                (after_two, after_three)
            })
            .await;
        assert_eq!(
            recorded,
            ((2, None), (3, Some(StatusCode::TOO_MANY_REQUESTS)))
        );
        // Outside a call nothing is recorded, and nothing fails.
        record_outside_a_call();
    }

    fn record_outside_a_call() {
        record(1, None);
        assert_eq!(action(), "unknown");
    }
}
