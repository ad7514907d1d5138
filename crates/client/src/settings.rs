//! What every request of a `Client` carries: its credentials, its wire defaults and its retry
//! policy. The generated `Client` holds one of these as its inner value, for the hooks.

use reqwest::header::HeaderValue;

use crate::RetryPolicy;

/// Built once by the `ClientBuilder`, so a request only clones ready header values.
#[derive(Clone)]
pub(crate) struct Settings {
    /// `Bearer <token>`, marked sensitive so no `Debug` of it prints the token.
    pub(crate) authorization: HeaderValue,
    /// The token alone, to scrub it from anything a server echoes back into an error.
    pub(crate) token: std::sync::Arc<str>,
    pub(crate) accept_version: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    /// The `losantdomain` header of every request that sets none of its own.
    pub(crate) losantdomain: Option<HeaderValue>,
    /// Whether the client refuses every request that could change something.
    pub(crate) read_only: bool,
    /// The most bytes of an answer's body the client reads.
    pub(crate) max_response_bytes: usize,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("token", &"[redacted]")
            .field("accept_version", &self.accept_version)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("losantdomain", &self.losantdomain)
            .field("read_only", &self.read_only)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}
