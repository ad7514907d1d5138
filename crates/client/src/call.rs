//! One call of an action, end to end: every generated `send` runs through [`send`], which
//! runs the generated code, and again on a copy of the builder when a try failed in a way
//! another may fix; keeps what the call's attempts record ([`record`], [`keep_headers`]) in a
//! task-local for the duration of the call; and turns progenitor's error into [`Error`], with
//! that record and the client's token scrubbed from it.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
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
    ///
    /// Boxed: a task-local is moved into place and out again each time the call is polled,
    /// a dozen times or more for one request, and a pointer moves for less than the record.
    static CALL: Box<Call>;
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

/// Whether the call under way is a dry run ([`prepare`]), which sends nothing.
pub(crate) fn is_dry_run() -> bool {
    CALL.try_with(|call| call.dry_run).unwrap_or(false)
}

/// In a dry run, keeps what `request` holds for [`prepare`] and answers `true`: nothing is to
/// be sent.
pub(crate) fn keep_if_dry_run(request: &reqwest::Request) -> bool {
    if !is_dry_run() {
        return false;
    }
    let _ = CALL.try_with(|call| call.prepared.set(Some(PreparedRequest::of(request))));
    true
}

/// The answer that stands in for one a dry run never asked for; [`prepare`] ignores it.
pub(crate) fn nothing_sent() -> reqwest::Response {
    let mut answer = http::Response::new(reqwest::Body::from(Vec::new()));
    *answer.status_mut() = StatusCode::NO_CONTENT;
    answer.into()
}

/// Runs one call of `action` as a dry run: `check(&builder)`, then `run(builder)`, the
/// generated `send`, whose request is built and checked as [`send`] builds and checks it, then
/// kept and not sent.
pub(crate) async fn prepare<B, T, E, F>(
    settings: &Settings,
    action: &'static Action,
    builder: B,
    check: fn(&B) -> Result<(), String>,
    run: fn(B) -> F,
) -> Result<PreparedRequest, Error>
where
    E: Serialize,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    if let Err(why) = check(&builder) {
        return Err(Error::new(action.name, ErrorKind::InvalidInput)
            .with_detail(why)
            .finish(&settings.token));
    }
    let (error, prepared) = CALL
        .scope(Box::new(Call::dry_run(action)), async move {
            let error = run(builder).await.err();
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

/// The checks of a request without any beyond those the generated code makes.
pub(crate) fn unchecked<B>(_: &B) -> Result<(), String> {
    Ok(())
}

/// Runs one call of `action`: `check(&builder)`, the checks of its input the generated code
/// does not make, then `run(builder)`, the generated `send`, and again on a copy of `builder`
/// as the client's [`RetryPolicy`](crate::RetryPolicy) allows when a try failed in a way
/// another may fix; then presents its failure as an [`Error`].
///
/// A retry builds the request anew from the builder rather than from a copy of the request
/// kept in case: a builder of IDs and flags copies for little, a request for more (its URL and
/// headers), and most calls never retry.
///
/// A future is copied whole each time it moves (into the future awaiting it, into `join_all`,
/// a spawned task, a `select!`), and hands its output up through every layer each time it is
/// polled: such copies were the larger part of what a call cost over raw reqwest (see the
/// README's Performance section). So the call's future is a pointer to its state; the
/// generated `send`'s state machine, a couple of kilobytes, is boxed as it is made, and what
/// is around it is small (the builder only as a retry's spare, the record behind a pointer);
/// and the answer is boxed until it is handed to the caller.
pub(crate) fn send<'a, B, T, E, F>(
    settings: &'a Settings,
    action: &'static Action,
    builder: B,
    check: fn(&B) -> Result<(), String>,
    run: fn(B) -> F,
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a
where
    B: Clone + 'a,
    T: DeserializeOwned + 'a,
    E: Serialize + 'a,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + 'a,
{
    // Checked, copied and built here rather than inside the call's future, which then holds
    // the builder only as the spare a retry needs.
    let first = check(&builder);
    let spare = (first.is_ok() && settings.retry.max_attempts() > 1).then(|| builder.clone());
    let first = first.map(|()| Box::pin(run(builder)));
    let call = Box::pin(CALL.scope(Box::new(Call::new(action)), async move {
        let started = Instant::now();
        let result = match first {
            Err(why) => Err(progenitor_client::Error::InvalidRequest(why)),
            Ok(first) => {
                let result = attempt_call(first).await;
                match spare {
                    // Boxed: the retry loop's state is needed only when a try failed, and
                    // inline it would enlarge every call's future.
                    Some(spare) if result.is_err() => {
                        Box::pin(retry(settings, action, spare, run, result, started)).await
                    }
                    _ => result,
                }
            }
        };
        let (record, headers) = CALL.with(|call| (call.record(), call.headers.take()));
        // Boxed: a task-local's future hands its output through a few layers each time it is
        // polled, and a pointer is quicker to hand than an answer.
        Box::new(match result {
            Ok(value) => {
                let status = value.status();
                Ok(ResponseValue::new(value.into_inner(), status, headers))
            }
            // Boxed: the error path's state is large, and kept inline it would enlarge every
            // call's future, including the ones that succeed.
            Err(error) => Err(Box::pin(failed(settings, action, error, record)).await),
        })
    }));
    Unboxed(call)
}

/// A call's future as its caller awaits it: a pointer to the call's state, whose answer comes
/// out of its box as it is handed over.
struct Unboxed<F>(Pin<Box<F>>);

impl<T, F: Future<Output = Box<T>>> Future for Unboxed<F> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.0.as_mut().poll(cx).map(|answer| *answer)
    }
}

/// The error of a call that failed with `error`, presented with what its attempts recorded.
async fn failed<E: Serialize>(
    settings: &Settings,
    action: &'static Action,
    error: progenitor_client::Error<E>,
    record: Record,
) -> Error {
    let error = present(action.name, error, record.status)
        .await
        .with_attempts(record.attempts);
    let error = match record.may_have_taken_effect {
        true => error.with_possible_effect(action.if_outcome_unknown),
        false => error,
    };
    error.finish(&settings.token)
}

/// One try of the call: the generated `send`, any success status with the documented body
/// taken as a success (progenitor accepts only the one the spec lists: 201 for resendInvite,
/// say).
async fn attempt_call<T, E, F>(
    send: Pin<Box<F>>,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    T: DeserializeOwned,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    // In a block of its own, so the answer is all this future holds while it decodes.
    let answer = match send.await {
        Err(progenitor_client::Error::UnexpectedResponse(answer))
            if answer.status().is_success() =>
        {
            answer
        }
        result => return result,
    };
    Box::pin(decode(answer)).await
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
        result = attempt_call(Box::pin(run(spare.clone()))).await;
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

    // A call's future is a pointer to its state, whatever the action: the caller's own future
    // (a task, a `join_all`, a stream of them) stays small, and moving it copies a pointer.
    #[test]
    fn a_call_s_future_is_a_pointer() {
        let client = crate::Client::builder()
            .token("t")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let sizes = [
            size_of_val(&client.instance_org_invite_get().send()),
            size_of_val(&client.instance_org_invites_post().send()),
            size_of_val(&client.instance_org_invites_get().send()),
            size_of_val(&client.instance_org_member_patch().send()),
        ];
        assert_eq!(sizes, [size_of::<usize>(); 4]);
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
            .scope(Box::new(Call::new(&DELETE)), async {
                assert_eq!(action().map(|a| a.name), Some("instanceOrgInvite.delete"));
                record(attempt(1, Some(StatusCode::SERVICE_UNAVAILABLE), false));
                let after_one = CALL.with(|call| call.record());
                record(attempt(2, None, true));
                let after_two = CALL.with(|call| call.record());
                record(attempt(3, Some(StatusCode::NOT_FOUND), false));
                let after_three = CALL.with(|call| call.record());
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
