//! A cap on how much of an answer the client reads, so a broken or hostile server cannot make
//! it hold an unbounded body in memory.

use http_body_util::{LengthLimitError, Limited};

/// Caps the body of `response` at `max` bytes: reading past it fails with [`LengthLimitError`].
///
/// An answer whose `Content-Length` is within the cap is returned untouched (hyper already
/// holds it to that length), so the common case costs nothing.
pub(crate) fn capped(response: reqwest::Response, max: usize) -> reqwest::Response {
    if response
        .content_length()
        .is_some_and(|length| length <= max as u64)
    {
        return response;
    }
    let response: http::Response<reqwest::Body> = response.into();
    response
        .map(|body| reqwest::Body::wrap(Limited::new(body, max)))
        .into()
}

/// Whether `error` comes from reading past the cap.
pub(crate) fn is_over_cap(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}
