//! Scripted misbehaviour: what a flaky network, an overloaded Losant or a proxy in front of it
//! can do to a client, on demand and per action. Each fault reads itself from the command line
//! and renders itself: what it answers instead of acting, or how it reshapes the answer after
//! acting. Adding one touches this file (and the README's list) only.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::errors;

/// One scripted answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally.
    Pass,
    /// Answer with `status` and a Losant error body, without acting; with `retry_after`
    /// (seconds), send a `Retry-After` header as Losant's rate limiter does.
    Status {
        /// The HTTP status, such as 429 or 503.
        status: u16,
        /// The `Retry-After` header's value in seconds, if any.
        retry_after: Option<u32>,
    },
    /// Answer with `status` and an HTML error page, as a proxy in front of Losant does.
    Html {
        /// The HTTP status, usually 502.
        status: u16,
    },
    /// Act, then send the JSON answer cut short in the middle and close the connection.
    Truncate,
    /// Close the connection without any answer. The request is logged but not acted on.
    Drop,
    /// Act, then send the answer one byte every `interval`.
    Trickle {
        /// The pause before each byte.
        interval: Duration,
    },
    /// Answer 200 with a JSON body of `bytes` bytes, streamed without a length; not acted on.
    Huge {
        /// The size of the body.
        bytes: usize,
    },
    /// Answer 200 with a JSON body holding bytes that are not UTF-8; not acted on.
    BadUtf8,
    /// Answer 200 with arrays nested `depth` deep; not acted on.
    Nested {
        /// How deep the arrays go.
        depth: usize,
    },
    /// Act, then answer normally but labelled `text/plain`.
    WrongType,
    /// Answer `302 Found` pointing at the same path under `location`; not acted on.
    Redirect {
        /// The base URL redirected to, such as another server's.
        location: String,
    },
    /// Act, then answer as HTTP/1.0 with no length: the body ends when the connection closes.
    Http10,
    /// Act, then send the answer under `status` instead of its own, such as `200` where
    /// resendInvite answers `201`.
    Restatus {
        /// The status sent instead.
        status: u16,
    },
    /// Act, then answer `status` with an HTML error page: a proxy whose wait for Losant's
    /// answer ran out after Losant had acted.
    ActedHtml {
        /// The HTTP status, usually 502 or 504.
        status: u16,
    },
    /// Act, then close the connection without any answer: a connection cut after Losant had
    /// acted.
    ActedDrop,
}

/// Every form a fault is written in, as the command line's help and its errors list them.
pub const FORMS: &str = "ok, STATUS[:RETRY_AFTER], html[:STATUS], truncate, drop, trickle[:PAUSE], \
huge[:BYTES], bad-utf8, nested[:DEPTH], wrong-type, redirect:URL, http10, as:STATUS, \
acted-html[:STATUS] or acted-drop";

/// The size of a `huge` body unless given: 10 MiB.
pub const DEFAULT_HUGE_BYTES: usize = 10 * 1024 * 1024;
/// The depth of a `nested` body unless given.
pub const DEFAULT_NESTING: usize = 100_000;

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Pass => f.write_str("ok"),
            Fault::Status {
                status,
                retry_after: None,
            } => write!(f, "{status}"),
            Fault::Status {
                status,
                retry_after: Some(seconds),
            } => write!(f, "{status}:{seconds}"),
            Fault::Html { status } => write!(f, "html:{status}"),
            Fault::Truncate => f.write_str("truncate"),
            Fault::Drop => f.write_str("drop"),
            Fault::Trickle { interval } => write!(f, "trickle:{}ms", interval.as_millis()),
            Fault::Huge { bytes } => write!(f, "huge:{bytes}"),
            Fault::BadUtf8 => f.write_str("bad-utf8"),
            Fault::Nested { depth } => write!(f, "nested:{depth}"),
            Fault::WrongType => f.write_str("wrong-type"),
            Fault::Redirect { location } => write!(f, "redirect:{location}"),
            Fault::Http10 => f.write_str("http10"),
            Fault::Restatus { status } => write!(f, "as:{status}"),
            Fault::ActedHtml { status } => write!(f, "acted-html:{status}"),
            Fault::ActedDrop => f.write_str("acted-drop"),
        }
    }
}

impl FromStr for Fault {
    type Err = String;

    /// Reads the forms `ok`, `STATUS` (`503`), `STATUS:RETRY_AFTER_SECONDS` (`429:2`), `html`
    /// or `html:STATUS`, `truncate`, `drop`, `trickle` or `trickle:PAUSE` (the pause before each byte, with its unit: `50ms`,
    /// `1s`),
    /// `huge` or `huge:BYTES`, `bad-utf8`, `nested` or `nested:DEPTH`, `wrong-type`,
    /// `redirect:URL`, `http10`, `as:STATUS`, `acted-html` or `acted-html:STATUS`, and
    /// `acted-drop`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (word, arg) = match s.split_once(':') {
            Some((word, arg)) => (word, Some(arg)),
            None => (s, None),
        };
        let number = |arg: &str| {
            arg.parse::<u32>()
                .map_err(|_| format!("fault {s:?}: {arg:?} is not a whole number"))
        };
        let size = |arg: &str| {
            arg.parse::<usize>()
                .map_err(|_| format!("fault {s:?}: {arg:?} is not a whole number"))
        };
        let status = |arg: &str| match arg.parse::<u16>() {
            Ok(code @ 100..=599) => Ok(code),
            _ => Err(format!("fault {s:?}: {arg:?} is not an HTTP status")),
        };
        match (word, arg) {
            ("ok", None) => Ok(Fault::Pass),
            ("html", None) => Ok(Fault::Html { status: 502 }),
            ("html", Some(arg)) => Ok(Fault::Html {
                status: status(arg)?,
            }),
            ("truncate", None) => Ok(Fault::Truncate),
            ("drop", None) => Ok(Fault::Drop),
            ("trickle", None) => Ok(Fault::Trickle {
                interval: Duration::from_millis(100),
            }),
            ("trickle", Some(arg)) => Ok(Fault::Trickle {
                interval: pause(arg).map_err(|why| format!("fault {s:?}: {why}"))?,
            }),
            ("huge", None) => Ok(Fault::Huge {
                bytes: DEFAULT_HUGE_BYTES,
            }),
            ("huge", Some(arg)) => Ok(Fault::Huge { bytes: size(arg)? }),
            ("bad-utf8", None) => Ok(Fault::BadUtf8),
            ("nested", None) => Ok(Fault::Nested {
                depth: DEFAULT_NESTING,
            }),
            ("nested", Some(arg)) => Ok(Fault::Nested { depth: size(arg)? }),
            ("wrong-type", None) => Ok(Fault::WrongType),
            ("redirect", Some(location)) if location.starts_with("http") => Ok(Fault::Redirect {
                location: location.trim_end_matches('/').to_owned(),
            }),
            ("http10", None) => Ok(Fault::Http10),
            ("as", Some(arg)) => Ok(Fault::Restatus {
                status: status(arg)?,
            }),
            ("acted-html", None) => Ok(Fault::ActedHtml { status: 502 }),
            ("acted-html", Some(arg)) => Ok(Fault::ActedHtml {
                status: status(arg)?,
            }),
            ("acted-drop", None) => Ok(Fault::ActedDrop),
            (code, retry_after) if code.starts_with(|c: char| c.is_ascii_digit()) => {
                Ok(Fault::Status {
                    status: status(code)?,
                    retry_after: retry_after.map(number).transpose()?,
                })
            }
            _ => Err(format!("unknown fault {s:?}: expected {FORMS}")),
        }
    }
}

/// A pause given with its unit, `ms` or `s` (`50ms`, `1s`): a bare number is refused rather
/// than taken for milliseconds or seconds.
fn pause(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.strip_suffix("ms") {
        Some(number) => (number, "ms"),
        None => (text.strip_suffix('s').unwrap_or(text), "s"),
    };
    let value = number
        .parse::<u32>()
        .map_err(|_| format!("{text:?} is not a pause such as 50ms or 1s"))?;
    match (text.ends_with('s'), unit) {
        (false, _) => Err(format!("{text:?} has no unit: write {text}ms or {text}s")),
        (true, "ms") => Ok(Duration::from_millis(value.into())),
        (true, _) => Ok(Duration::from_secs(value.into())),
    }
}

/// The faults planned for one action: a fixed latency before every answer, and a script of
/// answers consumed one per request; once the script runs out, requests are answered normally.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Waited before every answer to the action.
    pub latency: Duration,
    /// The next answers, in order.
    pub script: VecDeque<Fault>,
}

impl Faults {
    /// Takes the plan for the next request.
    pub(crate) fn next(&mut self) -> (Duration, Fault) {
        (self.latency, self.script.pop_front().unwrap_or(Fault::Pass))
    }
}

/// Marks an answer that must not be sent: the connection is closed instead.
#[derive(Clone, Copy)]
pub(crate) struct DropConnection;

impl Fault {
    /// What this fault answers in place of acting on the request at `uri`, or `None` when the
    /// request is to be acted on (and the answer then [`reshaped`](Fault::reshape)).
    pub(crate) fn instead_of_acting(&self, uri: &Uri) -> Option<Response> {
        match self {
            Fault::Status {
                status,
                retry_after,
            } => Some(errors::status(*status, *retry_after)),
            Fault::Html { status } => Some(errors::proxy_page(*status)),
            Fault::Drop => Some(dropped()),
            Fault::Huge { bytes } => Some(huge(*bytes)),
            Fault::BadUtf8 => {
                let body = Bytes::from_static(
                    b"{\"id\":\"575ec8687ae143cd83dc4a94\",\"email\":\"\xff\xfe@example.com\"}",
                );
                Some(([(header::CONTENT_TYPE, "application/json")], body).into_response())
            }
            Fault::Nested { depth } => {
                let body = format!("{}{}", "[".repeat(*depth), "]".repeat(*depth));
                Some(([(header::CONTENT_TYPE, "application/json")], body).into_response())
            }
            Fault::Redirect { location } => {
                let target = format!(
                    "{location}{}",
                    uri.path_and_query().map_or("/", |p| p.as_str())
                );
                let mut response = StatusCode::FOUND.into_response();
                if let Ok(target) = HeaderValue::try_from(target) {
                    response.headers_mut().insert(header::LOCATION, target);
                }
                Some(response)
            }
            Fault::Pass
            | Fault::Truncate
            | Fault::Trickle { .. }
            | Fault::WrongType
            | Fault::Http10
            | Fault::Restatus { .. }
            | Fault::ActedHtml { .. }
            | Fault::ActedDrop => None,
        }
    }

    /// The answer to a request acted on, as this fault reshapes it.
    pub(crate) async fn reshape(&self, answer: Response) -> Response {
        match self {
            Fault::Truncate => truncated(answer).await,
            Fault::Trickle { interval } => trickled(answer, *interval).await,
            Fault::WrongType => {
                let mut answer = answer;
                answer
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
                answer
            }
            Fault::Http10 => http10(answer).await,
            Fault::Restatus { status } => {
                let mut answer = answer;
                if let Ok(status) = StatusCode::from_u16(*status) {
                    *answer.status_mut() = status;
                }
                answer
            }
            Fault::ActedHtml { status } => errors::proxy_page(*status),
            Fault::ActedDrop => dropped(),
            _ => answer,
        }
    }
}

/// No answer: the connection is closed.
fn dropped() -> Response {
    let mut response = Response::default();
    response.extensions_mut().insert(DropConnection);
    response
}

/// Splits a response into its head and its whole body.
async fn into_head_and_bytes(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    // The body was built in memory just now, so reading it cannot fail.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// The same answer, announcing its full length but stopping half way and closing.
async fn truncated(response: Response) -> Response {
    let (mut parts, bytes) = into_head_and_bytes(response).await;
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let stream = futures_util::stream::unfold(Some(half), |half| async move {
        match half {
            Some(half) => Some((Ok(half), None)),
            None => {
                // Let hyper flush the head and the first half before the connection goes:
                // failing at once would close it with nothing sent at all.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let cut = std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "truncated by fault injection",
                );
                Some((Err(cut), None))
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The same answer, one byte every `interval`.
async fn trickled(response: Response, interval: Duration) -> Response {
    let (mut parts, bytes) = into_head_and_bytes(response).await;
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let stream = futures_util::stream::unfold(bytes, move |rest| async move {
        if rest.is_empty() {
            return None;
        }
        tokio::time::sleep(interval).await;
        let byte = rest.slice(..1);
        Some((Ok::<_, Infallible>(byte), rest.slice(1..)))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// A 200 answer whose JSON body is `bytes` long, streamed in chunks with no length announced.
fn huge(bytes: usize) -> Response {
    const CHUNK: usize = 64 * 1024;
    let (head, tail) = (
        Bytes::from_static(b"{\"email\":\""),
        Bytes::from_static(b"\"}"),
    );
    let filler = bytes.saturating_sub(head.len() + tail.len());
    let chunk = Bytes::from(vec![b'a'; CHUNK]);
    let middle =
        (0..filler.div_ceil(CHUNK)).map(move |i| chunk.slice(..CHUNK.min(filler - i * CHUNK)));
    let parts = std::iter::once(head)
        .chain(middle)
        .chain(std::iter::once(tail))
        .map(Ok::<_, Infallible>);
    let mut response = Response::new(Body::from_stream(futures_util::stream::iter(parts)));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The same answer as HTTP/1.0 without a length: hyper then ends the body by closing the
/// connection, as old servers and some proxies do.
async fn http10(response: Response) -> Response {
    let (mut parts, bytes) = into_head_and_bytes(response).await;
    parts.version = axum::http::Version::HTTP_10;
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Body::from_stream(futures_util::stream::iter([Ok::<_, Infallible>(bytes)]));
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_back_what_they_print() {
        for text in [
            "ok",
            "503",
            "429:2",
            "html:502",
            "truncate",
            "drop",
            "trickle:50ms",
            "as:200",
            "acted-html:504",
            "acted-drop",
        ] {
            let fault: Fault = text.parse().unwrap();
            assert_eq!(fault.to_string(), text);
        }
    }

    #[test]
    fn malformed_faults_are_refused_with_a_reason() {
        for text in [
            "",
            "teapot",
            "700",
            "429:soon",
            "html:x",
            "trickle:-1",
            "trickle:50",
            "trickle:fast",
            "huge:lots",
            "redirect:nowhere",
        ] {
            let error = text.parse::<Fault>().unwrap_err();
            assert!(error.contains(&format!("{text:?}")), "{text}: {error}");
        }
    }

    #[test]
    fn script_runs_out_into_normal_answers() {
        let mut faults = Faults {
            latency: Duration::from_millis(5),
            script: ["503".parse().unwrap()].into(),
        };
        assert_eq!(
            faults.next(),
            (
                Duration::from_millis(5),
                Fault::Status {
                    status: 503,
                    retry_after: None
                }
            )
        );
        assert_eq!(faults.next(), (Duration::from_millis(5), Fault::Pass));
    }
}
