//! One call of an action, end to end: every generated `send` makes a [`Call`], sends its
//! request through `Client::send_attempts` with it, and runs through [`run`], which turns
//! progenitor's error into [`Error`], with what the call recorded and the client's token
//! scrubbed from it.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicU16, AtomicU32};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;

use crate::error::{Error, ErrorKind};
use crate::response_limit::is_over_cap;
use crate::types::ApiError;
use crate::{Client, ClientInfo};

/// The most of an unexpected answer's body read to describe it in an error.
const UNEXPECTED_BODY_BYTES: usize = 4096;

/// What one call of an action records as it goes, for its error: the generated `send` makes
/// it and lends it to the attempts.
///
/// Atomics rather than `Cell`s only so that a call's future stays `Send`: one task at a time
/// touches them, so relaxed loads and stores, plain moves on common targets, suffice.
pub(crate) struct Call {
    pub(crate) action: &'static str,
    attempts: AtomicU32,
    /// The status of the last answer, `0` for none yet, which progenitor's error drops when
    /// an error answer's body is not JSON.
    last_status: AtomicU16,
}

impl Call {
    /// A call of `action`, by Losant's name for it, such as `instanceOrgInvite.get`.
    pub(crate) fn new(action: &'static str) -> Self {
        Self {
            action,
            attempts: AtomicU32::new(0),
            last_status: AtomicU16::new(0),
        }
    }

    /// Records that attempt number `attempt` ended, with `status` if an answer came.
    pub(crate) fn record(&self, attempt: u32, status: Option<StatusCode>) {
        self.attempts.store(attempt, Relaxed);
        self.last_status
            .store(status.map_or(0, |status| status.as_u16()), Relaxed);
    }

    fn attempts(&self) -> u32 {
        self.attempts.load(Relaxed)
    }

    fn last_status(&self) -> Option<StatusCode> {
        StatusCode::from_u16(self.last_status.load(Relaxed)).ok()
    }
}

/// Runs one generated `send` of `client` for `call` and presents its failure as an
/// [`Error`].
///
/// `send` comes boxed: the generated request's state machine is a couple of kilobytes, and
/// boxed where it is made it is never copied again, however often the caller's future moves
/// (into `join_all`, a spawned task, a `select!`). Unboxed, every such move copied all of it.
pub(crate) async fn run<T, F>(
    client: &Client,
    call: &Call,
    send: Pin<Box<F>>,
) -> Result<ResponseValue<T>, Error>
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiError>>>,
{
    match send.await {
        Ok(value) => Ok(value),
        Err(error) => {
            // Boxed: the error path's state is large, and kept inline it would enlarge every
            // call's future, including the ones that succeed.
            let error = Box::pin(present(call.action, error, call.last_status()))
                .await
                .with_attempts(call.attempts());
            Err(error.finish(&client.inner().token))
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
            Error::new(action, ErrorKind::InvalidInput).with_detail(readable_input_error(&why))
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
            api_error(action, status, answer.into_inner())
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

/// An error answer whose body is Losant's error object.
pub(crate) fn api_error(action: &'static str, status: StatusCode, body: ApiError) -> Error {
    Error::new(action, ErrorKind::Api)
        .with_status(Some(status))
        .with_api_error(body.type_, body.message)
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

/// progenitor reports a rejected builder input as "conversion to `LosantId` for instance_id
/// failed"; say instead what a valid value looks like.
fn readable_input_error(why: &str) -> String {
    let parsed = why
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.split_once("` for "))
        .map(|(ty, rest)| {
            (
                ty,
                rest.split_once(" failed").map_or(rest, |(name, _)| name),
            )
        });
    match parsed {
        Some(("LosantId", name)) => {
            format!("{name} must be a Losant ID: 24 hexadecimal characters")
        }
        Some((ty, name)) => format!("{name} is not a valid `{ty}`"),
        None => why.to_owned(),
    }
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
        let client = Client::builder().token("t").build().unwrap();
        assert_send(&client.instance_org_invite_get().send());
        assert_send(&client.instance_org_invite_delete().send());
        assert_send(&client.instance_org_invite_resend_invite().send());
    }

    #[test]
    fn a_call_reports_what_its_attempts_recorded() {
        let call = Call::new("instanceOrgInvite.get");
        assert_eq!((call.attempts(), call.last_status()), (0, None));
        call.record(1, Some(StatusCode::SERVICE_UNAVAILABLE));
        call.record(2, None);
        assert_eq!((call.attempts(), call.last_status()), (2, None));
        call.record(3, Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(
            (call.attempts(), call.last_status()),
            (3, Some(StatusCode::TOO_MANY_REQUESTS))
        );
    }

    #[test]
    fn builder_input_errors_say_what_is_expected() {
        assert_eq!(
            readable_input_error("conversion to `LosantId` for instance_id failed"),
            "instance_id must be a Losant ID: 24 hexadecimal characters"
        );
        assert_eq!(
            readable_input_error("conversion to `bool` for links failed"),
            "links is not a valid `bool`"
        );
        assert_eq!(
            readable_input_error("applicationRoles holds 1001 items"),
            "applicationRoles holds 1001 items"
        );
    }
}
