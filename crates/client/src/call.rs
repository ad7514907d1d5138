//! One call of an action, end to end: every generated `send` runs through [`send`], which
//! runs the generated code, and again on a copy of the builder when a try failed in a way
//! another may fix; keeps what the call's attempts record ([`record`], [`keep_headers`]) in a
//! task-local for the duration of the call; and turns progenitor's error into [`Error`], with
//! that record and the client's token scrubbed from it.

use std::cell::Cell;
use std::future::Future;
use std::time::Instant;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::action::Action;
use crate::error::{Error, ErrorKind};
use crate::prepared::PreparedRequest;
use crate::response_limit::is_over_cap;
use crate::retry::{Failure, retry_after, worth_retrying};
use crate::settings::Settings;

tokio::task_local! {
    /// The call under way in this task: progenitor's `exec` hook, which runs the attempts,
    /// takes no state of its own, so the attempts record what the call's error will need here.
    static CALL: Call;
}

/// What one call of an action records as it goes.
struct Call {
    action: &'static Action,
    attempts: Cell<u32>,
    /// The status of the last answer, `0` for none yet, which progenitor's error drops when
    /// an error answer's body is not JSON.
    last_status: Cell<u16>,
    /// Whether an attempt before the last reached the server with an outcome unknown.
    unknown_before: Cell<bool>,
    /// Whether the last attempt reached the server with an outcome unknown.
    last_unknown: Cell<bool>,
    /// The headers of the last answer, which [`send`] hands back with the decoded answer.
    headers: Cell<HeaderMap>,
    /// Whether this is a dry run ([`prepare`]): the request is kept here, and not sent.
    dry_run: bool,
    prepared: Cell<Option<PreparedRequest>>,
}

impl Call {
    fn new(action: &'static Action) -> Self {
        Self {
            action,
            attempts: Cell::new(0),
            last_status: Cell::new(0),
            unknown_before: Cell::new(false),
            last_unknown: Cell::new(false),
            headers: Cell::default(),
            dry_run: false,
            prepared: Cell::new(None),
        }
    }

    fn dry_run(action: &'static Action) -> Self {
        Self {
            dry_run: true,
            ..Self::new(action)
        }
    }

    fn last_status(&self) -> Option<StatusCode> {
        StatusCode::from_u16(self.last_status.get()).ok()
    }

    /// What the attempts recorded, for the call's error.
    fn record(&self) -> Record {
        let status = self.last_status();
        let changes = self.action.changes;
        // A success answer whose body then failed: the action was carried out. A 404 after an
        // attempt whose outcome is unknown: that attempt may have done it.
        let may_have_taken_effect = changes
            && (self.last_unknown.get()
                || status.is_some_and(|status| status.is_success())
                || (self.unknown_before.get() && status == Some(StatusCode::NOT_FOUND)));
        Record {
            attempts: self.attempts.get(),
            status,
            may_have_taken_effect,
        }
    }
}

/// What a call's attempts recorded.
struct Record {
    attempts: u32,
    status: Option<StatusCode>,
    may_have_taken_effect: bool,
}

/// How an attempt ended, as [`record`] keeps it.
pub(crate) struct Attempt {
    /// Which attempt, from 1.
    pub(crate) number: u32,
    /// The answer's status, if an answer came.
    pub(crate) status: Option<StatusCode>,
    /// Whether the request reached the server and what became of it is unknown: the
    /// connection was cut after it was sent, the answer timed out, or a gateway answered 502
    /// or 504 in Losant's place.
    pub(crate) outcome_unknown: bool,
}

/// The action under way in this task: generated code always runs inside a call.
pub(crate) fn action() -> Option<&'static Action> {
    CALL.try_with(|call| call.action).ok()
}

/// Records how an attempt of the call under way ended.
pub(crate) fn record(attempt: Attempt) {
    // Outside a call (which generated code never is) there is nothing to record.
    let _ = CALL.try_with(|call| {
        call.attempts.set(attempt.number);
        call.last_status
            .set(attempt.status.map_or(0, |status| status.as_u16()));
        call.unknown_before
            .set(call.unknown_before.get() || call.last_unknown.get());
        call.last_unknown.set(attempt.outcome_unknown);
    });
}

/// Takes the headers of `answer`, the last of the call under way, to hand them back with the
/// decoded answer: progenitor would copy them while decoding, a measurable share of a call's
/// cost over raw reqwest (see the README's Performance section), and it reads only the status
/// and the body. Outside a call (which generated code never is) the headers stay.
pub(crate) fn keep_headers(answer: &mut reqwest::Response) {
    let _ = CALL.try_with(|call| call.headers.set(std::mem::take(answer.headers_mut())));
}

/// The number of the call's next attempt, from 1.
pub(crate) fn next_attempt() -> u32 {
    CALL.try_with(|call| call.attempts.get() + 1).unwrap_or(1)
}

/// Records that the last answer's body was cut: what the request did is unknown.
pub(crate) fn mark_cut() {
    let _ = CALL.try_with(|call| call.last_unknown.set(true));
}

/// In a dry run, keeps what `request` holds for [`prepare`] and answers `None`: nothing is to
/// be sent. Otherwise hands `request` back.
/// Whether the call under way is a dry run ([`prepare`]), which sends nothing.
pub(crate) fn is_dry_run() -> bool {
    CALL.try_with(|call| call.dry_run).unwrap_or(false)
}

pub(crate) fn keep_if_dry_run(request: reqwest::Request) -> Option<reqwest::Request> {
    let dry_run = CALL.try_with(|call| call.dry_run).unwrap_or(false);
    if !dry_run {
        return Some(request);
    }
    let _ = CALL.try_with(|call| call.prepared.set(Some(PreparedRequest::of(&request))));
    None
}

/// The answer that stands in for one a dry run never asked for; [`prepare`] ignores it.
pub(crate) fn nothing_sent() -> reqwest::Response {
    let mut answer = http::Response::new(reqwest::Body::from(Vec::new()));
    *answer.status_mut() = StatusCode::NO_CONTENT;
    answer.into()
}

/// Runs the generated `send` of one call of `action` on `client` as a dry run: the request is
/// built and checked as `send` builds and checks it, then kept and not sent.
pub(crate) async fn prepare<T, E, F>(
    settings: &Settings,
    action: &'static Action,
    send: F,
) -> Result<PreparedRequest, Error>
where
    E: Serialize,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    let (error, prepared) = CALL
        .scope(Call::dry_run(action), async move {
            let error = send.await.err();
            (error, CALL.with(|call| call.prepared.take()))
        })
        .await;
    match (prepared, error) {
        (Some(prepared), _) => Ok(prepared),
        // Invalid input: nothing was built.
        (None, Some(error)) => Err(present(action.name, error, None)
            .await
            .finish(&settings.token)),
        (None, None) => {
            Err(Error::new(action.name, ErrorKind::InvalidInput)
                .with_detail("no request was built"))
        }
    }
}

/// Runs one call of `action`: `run(builder)`, the generated `send`, and again on a copy of
/// `builder` as the client's [`RetryPolicy`](crate::RetryPolicy) allows when a try failed in
/// a way another may fix; then presents its failure as an [`Error`].
///
/// A retry builds the request anew from the builder rather than from a copy of the request
/// kept in case: a builder of IDs and flags copies for little, a request for more (its URL and
/// headers), and most calls never retry.
///
/// The call is boxed where it is made: a request's state machine is a couple of kilobytes,
/// and boxed it is never copied again, however often the caller's future moves (into
/// `join_all`, a spawned task, a `select!`).
pub(crate) fn send<'a, B, T, E, F>(
    settings: &'a Settings,
    action: &'static Action,
    builder: B,
    run: fn(B) -> F,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a
where
    B: Clone + 'a,
    T: DeserializeOwned + 'a,
    E: Serialize + 'a,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
{
    let call = Box::pin(CALL.scope(Call::new(action), async move {
        let started = Instant::now();
        let spare = (settings.retry.max_attempts() > 1).then(|| builder.clone());
        let mut result = attempt_call(run(builder)).await;
        if let Some(spare) = spare
            && result.is_err()
        {
            // Boxed: the retry loop's state is needed only when a try failed, and inline it
            // would enlarge every call's future.
            result = Box::pin(retry(settings, action, spare, run, result, started)).await;
        }
        let (record, headers) = CALL.with(|call| (call.record(), call.headers.take()));
        (result, record, headers)
    }));
    async move {
        match call.await {
            (Ok(value), _, headers) => {
                let status = value.status();
                Ok(ResponseValue::new(value.into_inner(), status, headers))
            }
            (Err(error), record, _) => {
                // Boxed: the error path's state is large, and kept inline it would enlarge
                // every call's future, including the ones that succeed.
                let error = Box::pin(present(action.name, error, record.status))
                    .await
                    .with_attempts(record.attempts);
                let error = match record.may_have_taken_effect {
                    true => error.with_possible_effect(action.if_outcome_unknown),
                    false => error,
                };
                Err(error.finish(&settings.token))
            }
        }
    }
}

/// One try of the call: the generated `send`, any success status with the documented body
/// taken as a success (progenitor accepts only the one the spec lists: 201 for resendInvite,
/// say).
async fn attempt_call<T, E, F>(send: F) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    T: DeserializeOwned,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    match send.await {
        Err(progenitor_client::Error::UnexpectedResponse(answer))
            if answer.status().is_success() =>
        {
            Box::pin(decode(answer)).await
        }
        result => result,
    }
}

/// The tries after the first failed one (`result`), while it is worth another and the policy
/// allows: each waits as the policy says, then runs a copy of `spare`.
async fn retry<B, T, E, F>(
    settings: &Settings,
    action: &'static Action,
    spare: B,
    run: fn(B) -> F,
    mut result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
    started: Instant,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    B: Clone,
    T: DeserializeOwned,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    loop {
        let Err(error) = &result else {
            return result;
        };
        let (failure, server_wait, tries) = CALL.with(|call| {
            let status = call.last_status();
            let failure = failure(error, status);
            let server_wait = match failure {
                Failure::Status(_) => {
                    let headers = call.headers.take();
                    let wait = retry_after(&headers);
                    call.headers.set(headers);
                    wait
                }
                _ => None,
            };
            (failure, server_wait, call.attempts.get())
        });
        if !worth_retrying(failure, action.retry_safe) {
            return result;
        }
        let policy = &settings.retry;
        let Some(wait) = policy
            .wait(tries, server_wait)
            // Checked: a server's Retry-After under a limitless cap can be centuries long.
            .filter(|wait| {
                started
                    .elapsed()
                    .checked_add(*wait)
                    .is_some_and(|end| end <= policy.deadline())
            })
        else {
            return result;
        };
        if failure == Failure::Cut {
            // The request left and its outcome is unknown: the record says so.
            mark_cut();
        }
        tracing::debug!(
            action = action.name,
            attempt = tries + 1,
            status = match failure {
                Failure::Status(status) => Some(status.as_u16()),
                _ => None,
            },
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        // The failed answer goes before the wait: it may hold a connection.
        drop(result);
        tokio::time::sleep(wait).await;
        result = attempt_call(run(spare.clone())).await;
    }
}

/// How a try failed, from progenitor's error and the last status the attempts recorded.
fn failure<E>(error: &progenitor_client::Error<E>, status: Option<StatusCode>) -> Failure {
    use progenitor_client::Error as Generated;
    match error {
        Generated::CommunicationError(e) if e.is_connect() => Failure::Connect,
        Generated::CommunicationError(e) | Generated::ResponseBodyError(e)
            if e.is_timeout() || is_over_cap(e) =>
        {
            Failure::Final
        }
        Generated::CommunicationError(_) | Generated::ResponseBodyError(_) => Failure::Cut,
        Generated::ErrorResponse(_)
        | Generated::InvalidResponsePayload(..)
        | Generated::UnexpectedResponse(_) => status.map_or(Failure::Final, Failure::Status),
        Generated::InvalidRequest(_) | Generated::InvalidUpgrade(_) | Generated::Custom(_) => {
            Failure::Final
        }
    }
}

/// A success answer of a status the spec does not list, decoded as the documented type.
async fn decode<T: DeserializeOwned, E>(
    answer: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    use progenitor_client::Error as Generated;
    let status = answer.status();
    let body = answer.bytes().await.map_err(Generated::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        // The headers are handed back by `send`, which has them from `keep_headers`.
        Ok(inner) => Ok(ResponseValue::new(inner, status, Default::default())),
        Err(e) => Err(Generated::InvalidResponsePayload(body, e)),
    }
}

/// progenitor's error as ours. `status` is the last status the attempts recorded, which
/// progenitor drops when an error answer's body is not JSON.
async fn present<E: Serialize>(
    action: &'static str,
    error: progenitor_client::Error<E>,
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
            .too_large()
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
            // Never a success: `send` decodes those. A 1xx or 3xx, such as a redirect, which
            // the client does not follow.
            let status = response.status();
            let error = Error::new(action, ErrorKind::Api)
                .with_status(Some(status))
                .with_detail("a status the spec does not list");
            match response.bytes().await {
                Ok(body) if !body.is_empty() => error.with_body(&body),
                _ => error,
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    // A call's future must stay `Send`, so callers can spawn it on a multi-threaded runtime;
    // this fails to compile when it is not.
    #[test]
    fn every_send_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = crate::Client::builder()
            .token("t")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_send(&client.instance_org_invite_get().send());
        assert_send(&client.instance_org_invite_delete().send());
        assert_send(&client.instance_org_invite_resend_invite().send());
        assert_send(&client.instance_org_invite_get().prepare());
    }

    #[tokio::test]
    async fn a_call_reports_what_its_attempts_recorded() {
        static DELETE: Action = Action {
            name: "instanceOrgInvite.delete",
            retry_safe: true,
            changes: true,
            if_outcome_unknown: None,
        };
        let attempt = |number, status, outcome_unknown| Attempt {
            number,
            status,
            outcome_unknown,
        };
        let recorded = CALL
            .scope(Call::new(&DELETE), async {
                assert_eq!(action().map(|a| a.name), Some("instanceOrgInvite.delete"));
                record(attempt(1, Some(StatusCode::SERVICE_UNAVAILABLE), false));
                let after_one = CALL.with(Call::record);
                record(attempt(2, None, true));
                let after_two = CALL.with(Call::record);
                record(attempt(3, Some(StatusCode::NOT_FOUND), false));
                let after_three = CALL.with(Call::record);
                [after_one, after_two, after_three]
                    .map(|r| (r.attempts, r.status, r.may_have_taken_effect))
            })
            .await;
        assert_eq!(
            recorded,
            [
                (1, Some(StatusCode::SERVICE_UNAVAILABLE), false),
                // The second attempt's outcome is unknown: it may have deleted the invite...
                (2, None, true),
                // ...which is why the third finds none.
                (3, Some(StatusCode::NOT_FOUND), true),
            ]
        );
        // Outside a call nothing is recorded, and nothing fails.
        record_outside_a_call();
    }

    fn record_outside_a_call() {
        record(Attempt {
            number: 1,
            status: None,
            outcome_unknown: false,
        });
        assert!(action().is_none());
    }
}
