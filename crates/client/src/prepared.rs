//! What a dry run shows: the request an action's `send` would send, built by the very same
//! code (the generated builder and the client's `pre` hook), and not sent.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, Url};

/// The request an action would send, from the builder's `prepare`: method, full URL with its
/// query, headers and body, exactly as `send` would send them. The token is not kept: the
/// `Authorization` header reads `Bearer [redacted]`.
///
/// ```no_run
/// # async fn example(client: losant_invites_client::Client) -> Result<(), losant_invites_client::Error> {
/// let request = client
///     .instance_org_invite_delete()
///     .instance_id("575ec8687ae143cd83dc4a95")
///     .org_id("575ec8687ae143cd83dc4a97")
///     .invite_id("575ec8687ae143cd83dc4a94")
///     .prepare()
///     .await?;
/// assert_eq!(request.method(), "DELETE");
/// println!("would send {request}");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct PreparedRequest {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl PreparedRequest {
    /// What `request` holds, the token replaced.
    pub(crate) fn of(request: &reqwest::Request) -> Self {
        let mut headers = request.headers().clone();
        if headers.contains_key(AUTHORIZATION) {
            let mut redacted = HeaderValue::from_static("Bearer [redacted]");
            redacted.set_sensitive(true);
            headers.insert(AUTHORIZATION, redacted);
        }
        Self {
            method: request.method().clone(),
            url: request.url().clone(),
            headers,
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(<[u8]>::to_vec),
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The headers the client sets, the token redacted. (The connection adds `host` and
    /// `content-length` when it sends.)
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, if the action sends one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

/// `METHOD URL`, such as `GET https://api.losant.com/instances/…?_actions=false&…`.
impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)
    }
}
