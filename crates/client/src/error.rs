//! The one error every action answers with: what failed, in a line a person can act on, and
//! the parts a program needs to decide what to do.

use std::fmt;

use reqwest::StatusCode;

/// The shortest token scrubbed from errors, in characters.
const MIN_SCRUBBED_CHARS: usize = 6;

/// The longest excerpt of an undecodable body kept in an error, in characters.
const EXCERPT_CHARS: usize = 160;

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was invalid, such as an ID that is not 24 hexadecimal characters, or more than
    /// 1000 role grants. Nothing was sent.
    InvalidInput,
    /// The server could not be reached, or the connection broke before the answer was whole.
    Transport,
    /// An attempt took longer than the request or connect timeout.
    Timeout,
    /// Losant (or a proxy in front of it) answered with an error status.
    Api,
    /// A success status came with a body that is not what the spec describes.
    Decode,
}

/// Why an action failed.
///
/// `Display` is one line: the action, then what happened, such as
/// `instanceOrgInvite.get: 404 NotFound: Invite was not found`. Neither `Display` nor `Debug`
/// ever contains the API token.
///
/// ```
/// # async fn example(client: losant_invites_client::Client) {
/// use losant_invites_client::ErrorKind;
///
/// let result = client
///     .instance_org_invite_get()
///     .instance_id("575ec8687ae143cd83dc4a95")
///     .org_id("575ec8687ae143cd83dc4a97")
///     .invite_id("575ec8687ae143cd83dc4a94")
///     .send()
///     .await;
/// match result {
///     Ok(invite) => println!("{:?}", invite.email),
///     Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => println!("no such invite"),
///     Err(e) if e.kind() == ErrorKind::InvalidInput => eprintln!("fix the input: {e}"),
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
pub struct Error {
    action: &'static str,
    kind: ErrorKind,
    status: Option<StatusCode>,
    error_type: Option<String>,
    message: Option<String>,
    detail: Option<String>,
    excerpt: Option<String>,
    body: Option<Body>,
    attempts: u32,
    /// Whether the action may have taken effect although it failed, and if so what to
    /// check (the spec's `x-if-outcome-unknown`, when it says).
    possible_effect: Option<Option<&'static str>>,
    /// Whether the answer was larger than the client reads.
    too_large: bool,
}

/// An answer's body, kept whole.
#[derive(Clone, Debug)]
enum Body {
    Json(serde_json::Value),
    Raw(Vec<u8>),
}

impl Error {
    pub(crate) fn new(action: &'static str, kind: ErrorKind) -> Self {
        Self {
            action,
            kind,
            status: None,
            error_type: None,
            message: None,
            detail: None,
            excerpt: None,
            body: None,
            attempts: 0,
            possible_effect: None,
            too_large: false,
        }
    }

    pub(crate) fn with_status(mut self, status: Option<StatusCode>) -> Self {
        self.status = status;
        self
    }

    /// An error answer of `action` with `status` whose body is Losant's error object, as the
    /// spec's error schema decoded it: kept whole, its `type` and `message` read out.
    pub(crate) fn from_api_body(
        action: &'static str,
        status: StatusCode,
        body: impl serde::Serialize,
    ) -> Self {
        let whole = serde_json::to_value(&body).ok();
        let text = |field: &str| {
            whole
                .as_ref()
                .and_then(|body| body.get(field))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let mut error = Self::new(action, ErrorKind::Api)
            .with_status(Some(status))
            .with_api_error(text("type"), text("message"));
        error.body = whole.map(Body::Json);
        error
    }

    pub(crate) fn with_api_error(
        mut self,
        error_type: Option<String>,
        message: Option<String>,
    ) -> Self {
        self.error_type = error_type;
        self.message = message;
        self
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// An answer's body that was not what the spec describes: kept whole, as JSON when it is
    /// JSON, and shown in `Display` as an excerpt.
    pub(crate) fn with_body(mut self, body: &[u8]) -> Self {
        self.excerpt = Some(String::from_utf8_lossy(body).into_owned());
        self.body = Some(match serde_json::from_slice(body) {
            Ok(json) => Body::Json(json),
            Err(_) => Body::Raw(body.to_vec()),
        });
        self
    }

    /// Marks the error as one whose action may have taken effect all the same; `advice` says
    /// what to check.
    pub(crate) fn with_possible_effect(mut self, advice: Option<&'static str>) -> Self {
        self.possible_effect = Some(advice);
        self
    }

    /// Marks the error as an answer larger than the client's `max_response_bytes`.
    pub(crate) fn too_large(mut self) -> Self {
        self.too_large = true;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Makes what a server or the transport said presentable: every occurrence of `secret`
    /// replaced first, so an echo of the token cannot leak, then each part folded onto one
    /// line and cut short. Every error passes through here before it reaches a user.
    pub(crate) fn finish(mut self, secret: &str) -> Self {
        // A secret of a few characters cannot be told from ordinary words: scrubbing the
        // token `t` would rewrite every `t` of the message. Losant's tokens are long.
        let secret = if secret.chars().count() < MIN_SCRUBBED_CHARS {
            ""
        } else {
            secret
        };
        let limits = [
            (&mut self.error_type, EXCERPT_CHARS),
            (&mut self.message, 4 * EXCERPT_CHARS),
            (&mut self.detail, 4 * EXCERPT_CHARS),
            (&mut self.excerpt, EXCERPT_CHARS),
        ];
        for (part, limit) in limits {
            if let Some(text) = part.take() {
                let text = if secret.is_empty() {
                    text
                } else {
                    text.replace(secret, "[redacted]")
                };
                let text = one_line(&text, limit);
                *part = (!text.is_empty()).then_some(text);
            }
        }
        if !secret.is_empty() {
            match &mut self.body {
                Some(Body::Json(json)) => scrub_json(json, secret),
                Some(Body::Raw(bytes)) => scrub_bytes(bytes, secret.as_bytes()),
                None => {}
            }
        }
        self
    }

    /// Losant's name of the action that failed, such as `instanceOrgInvite.get`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// Losant's error `type`, such as `NotFound` or `Validation`, when the answer carried one.
    pub fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    /// Losant's error `message`, when the answer carried one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The start of an answer's body that was not the JSON the spec describes, such as a
    /// proxy's HTML error page, on one line.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    /// The whole body of the answer when it was JSON: Losant's error object with every field
    /// it carried, beyond `type` and `message`, or any other JSON a server answered with. The
    /// token, if a server echoed it, is replaced by `[redacted]`.
    pub fn body_json(&self) -> Option<&serde_json::Value> {
        match &self.body {
            Some(Body::Json(json)) => Some(json),
            _ => None,
        }
    }

    /// The raw body of the answer when it was not JSON, such as a proxy's HTML page, as far as
    /// it was read (at most the client's `max_response_bytes`). The token, if a server echoed
    /// it, is replaced by `[redacted]`.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Some(Body::Raw(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// Whether an action that changes something (resendInvite, delete) may have been carried
    /// out although it is reported as failed: the request reached the server and its outcome
    /// is unknown (the connection was cut after sending, a gateway answered 502 or 504, or the
    /// answer timed out), or its answer was a success whose body broke off, or a retried
    /// delete answered 404 after an earlier attempt reached the server. `Display` then says
    /// what to check before acting again. Always `false` for `get`, which changes nothing.
    pub fn may_have_taken_effect(&self) -> bool {
        self.possible_effect.is_some()
    }

    /// How many attempts were made: 0 when nothing was sent, more than 1 after retries.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the answer was larger than the client reads (its `max_response_bytes`,
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES) unless set), so the
    /// rest was not read: a list of a very large organization needs a narrower filter or a
    /// larger limit. The error's kind is [`ErrorKind::Decode`].
    pub fn is_too_large(&self) -> bool {
        self.too_large
    }

    /// Whether nothing was sent because the input was invalid.
    pub fn is_invalid_input(&self) -> bool {
        self.kind == ErrorKind::InvalidInput
    }

    /// Whether Losant answered 404: the instance, organization or invite does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(StatusCode::NOT_FOUND)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.action)?;
        match self.kind {
            ErrorKind::InvalidInput => f.write_str("invalid input, nothing was sent")?,
            ErrorKind::Transport => f.write_str("transport failure")?,
            ErrorKind::Timeout => f.write_str("timed out")?,
            ErrorKind::Api => {}
            ErrorKind::Decode => f.write_str("undecodable answer")?,
        }
        if let Some(status) = self.status {
            let lead = if self.kind == ErrorKind::Api {
                ""
            } else {
                ", status "
            };
            write!(f, "{lead}{}", status.as_u16())?;
            if self.error_type.is_none()
                && let Some(reason) = status.canonical_reason()
            {
                write!(f, " {reason}")?;
            }
        }
        if let Some(error_type) = &self.error_type {
            write!(f, " {error_type}")?;
        }
        for part in [&self.message, &self.detail].into_iter().flatten() {
            write!(f, ": {part}")?;
        }
        if let Some(excerpt) = &self.excerpt {
            write!(f, ": body starts {excerpt:?}")?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if let Some(advice) = self.possible_effect {
            f.write_str("; it may have taken effect all the same: ")?;
            f.write_str(advice.unwrap_or("check before acting again"))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("action", &self.action)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("error_type", &self.error_type)
            .field("message", &self.message)
            .field("detail", &self.detail)
            .field("body_excerpt", &self.excerpt)
            .field("body", &self.body)
            .field("attempts", &self.attempts)
            .field("may_have_taken_effect", &self.may_have_taken_effect())
            .finish()
    }
}

impl std::error::Error for Error {}

/// Replaces `secret` in every string and key of `json`.
fn scrub_json(json: &mut serde_json::Value, secret: &str) {
    use serde_json::Value;
    match json {
        Value::String(text) if text.contains(secret) => *text = text.replace(secret, "[redacted]"),
        Value::Array(items) => items.iter_mut().for_each(|item| scrub_json(item, secret)),
        Value::Object(fields) => {
            let old = std::mem::take(fields);
            for (key, mut value) in old {
                scrub_json(&mut value, secret);
                let key = if key.contains(secret) {
                    key.replace(secret, "[redacted]")
                } else {
                    key
                };
                fields.insert(key, value);
            }
        }
        _ => {}
    }
}

/// Replaces `secret` in `bytes`.
fn scrub_bytes(bytes: &mut Vec<u8>, secret: &[u8]) {
    if secret.is_empty() || !bytes.windows(secret.len()).any(|w| w == secret) {
        return;
    }
    let mut scrubbed = Vec::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        if rest.starts_with(secret) {
            scrubbed.extend_from_slice(b"[redacted]");
            rest = &rest[secret.len()..];
        } else {
            scrubbed.push(rest[0]);
            rest = &rest[1..];
        }
    }
    *bytes = scrubbed;
}

/// `text` on one line, control characters and runs of white space folded into single spaces,
/// cut to `max` characters with an ellipsis.
fn one_line(text: &str, max: usize) -> String {
    let mut line = String::with_capacity(text.len().min(max + 3));
    let mut count = 0;
    let words = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty());
    for (index, word) in words.enumerate() {
        let separator = (index > 0).then_some(' ');
        for c in separator.into_iter().chain(word.chars()) {
            if count >= max {
                line.push('…');
                return line;
            }
            line.push(c);
            count += 1;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_read_like_losant_s() {
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Api)
            .with_status(Some(StatusCode::NOT_FOUND))
            .with_api_error(Some("NotFound".into()), Some("Invite was not found".into()))
            .with_attempts(1)
            .finish("");
        assert_eq!(
            error.to_string(),
            "instanceOrgInvite.get: 404 NotFound: Invite was not found"
        );
    }

    #[test]
    fn bodies_that_are_not_json_show_as_a_short_excerpt() {
        let page = format!("<html>\n<body>\t{}</body></html>", "x".repeat(1000));
        let error = Error::new("instanceOrgInvite.delete", ErrorKind::Api)
            .with_status(Some(StatusCode::BAD_GATEWAY))
            .with_body(page.as_bytes())
            .with_attempts(3)
            .finish("");
        let text = error.to_string();
        assert!(
            text.starts_with(
                "instanceOrgInvite.delete: 502 Bad Gateway: body starts \"<html> <body> xxx"
            ),
            "{text}"
        );
        assert!(text.ends_with("…\" (after 3 attempts)"), "{text}");
        assert!(!text.contains('\n'));
        assert!(text.len() < 300);
    }

    #[test]
    fn scrubbing_removes_an_echoed_secret() {
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Api)
            .with_api_error(
                Some("Unauthorized".into()),
                Some("token s3cret is invalid".into()),
            )
            .with_body(b"s3cret")
            .finish("s3cret");
        assert!(!error.to_string().contains("s3cret"));
        assert!(!format!("{error:?}").contains("s3cret"));
    }

    /// `error_text`: a short secret echoed many times grew the text past every bound, when
    /// scrubbing came after cutting.
    #[test]
    fn scrubbing_comes_before_cutting() {
        let echo = "q".repeat(5000);
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Timeout)
            .with_detail(echo)
            .finish("q");
        assert!(error.to_string().chars().count() < 1000, "{error}");
        let straddling = format!("{}{}", "x".repeat(EXCERPT_CHARS - 3), "s3cret-token");
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Api)
            .with_body(straddling.as_bytes())
            .finish("s3cret-token");
        assert!(
            !error.to_string().contains("s3c"),
            "no part of a cut secret shows: {error}"
        );
    }

    #[test]
    fn the_whole_body_is_kept_and_scrubbed() {
        let body = br#"{"type":"Validation","message":"bad","details":{"field":"role","echo":"s3cret"},"s3cret":[1.5]}"#;
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Api)
            .with_body(body)
            .finish("s3cret");
        let json = error.body_json().expect("JSON");
        assert_eq!(json["details"]["field"], "role");
        assert_eq!(json["details"]["echo"], "[redacted]");
        assert_eq!(json["[redacted]"][0], 1.5);
        assert_eq!(error.body_bytes(), None);
        assert!(!format!("{error:?}").contains("s3cret"));

        let page = b"<html>token s3cret s3cret</html>";
        let error = Error::new("instanceOrgInvite.get", ErrorKind::Api)
            .with_body(page)
            .finish("s3cret");
        assert_eq!(
            error.body_bytes(),
            Some(&b"<html>token [redacted] [redacted]</html>"[..])
        );
        assert!(error.body_json().is_none());
    }

    #[test]
    fn a_possible_effect_is_said_on_the_same_line() {
        let error = Error::new("instanceOrgInvite.resendInvite", ErrorKind::Transport)
            .with_detail("connection closed before message completed")
            .with_possible_effect(Some("look the invite up before resending"))
            .finish("");
        let text = error.to_string();
        assert!(error.may_have_taken_effect());
        assert!(
            text.ends_with(
                "; it may have taken effect all the same: look the invite up before resending"
            ),
            "{text}"
        );
        assert!(!text.contains('\n'));
    }

    #[test]
    fn a_token_too_short_to_tell_from_words_leaves_the_message_alone() {
        let error = Error::new("instanceOrgInvite.get", ErrorKind::InvalidInput)
            .with_detail("invite_id: \"bad\" is not a Losant ID")
            .finish("t");
        assert!(error.to_string().contains("is not a Losant ID"), "{error}");
    }

    #[test]
    fn one_line_folds_and_cuts() {
        assert_eq!(one_line("  a\r\n\tb  ", 10), "a b");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("", 3), "");
        assert_eq!(one_line("ab cd", 3), "ab …");
    }

    /// `error_text`: a cut that fell on the space between two words was stepped over, and the
    /// text ran on past every bound.
    #[test]
    fn a_cut_on_a_word_boundary_still_cuts() {
        let words = "ab ".repeat(2000);
        assert_eq!(one_line(&words, 5).chars().count(), 6);
        assert_eq!(one_line(&words, 2), "ab…");
    }
}

/// Entry points for the fuzz targets under `crates/fuzz` and the benchmarks; not part of the
/// API.
#[doc(hidden)]
pub mod internals {
    use super::{Error, ErrorKind, StatusCode};

    /// An error answer's body as the client presents it: Losant's error object when it is
    /// one, an excerpt otherwise.
    pub fn api_error(status: u16, body: &[u8]) -> Error {
        let action = "instanceOrgInvite.get";
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let error = match serde_json::from_slice::<crate::types::ApiError>(body) {
            Ok(body) => Error::from_api_body(action, status, body),
            Err(_) => Error::new(action, ErrorKind::Api)
                .with_status(Some(status))
                .with_body(body),
        };
        error.finish("")
    }

    /// Builds an error from arbitrary parts the way answers do, scrubs `secret` from it, and
    /// returns its `Display` and `Debug`.
    pub fn error_text(
        kind: u8,
        status: u16,
        error_type: Option<String>,
        message: Option<String>,
        detail: Option<String>,
        body: &[u8],
        secret: &str,
    ) -> (String, String) {
        let kinds = [
            ErrorKind::InvalidInput,
            ErrorKind::Transport,
            ErrorKind::Timeout,
            ErrorKind::Api,
            ErrorKind::Decode,
        ];
        let mut error = Error::new(
            "instanceOrgInvite.get",
            kinds[usize::from(kind) % kinds.len()],
        )
        .with_status(StatusCode::from_u16(status).ok())
        .with_api_error(error_type, message)
        .with_body(body)
        .with_attempts(u32::from(kind));
        if let Some(detail) = detail {
            error = error.with_detail(detail);
        }
        let error = error.finish(secret);
        (error.to_string(), format!("{error:?}"))
    }
}
