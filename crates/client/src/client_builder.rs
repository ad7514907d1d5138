//! Configuring and building a [`Client`]: the only way to make one, so every client is checked
//! before it sends anything.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::settings::Settings;
use crate::{Client, ClientInfo, RetryPolicy};

/// Losant's public API.
pub const DEFAULT_BASE_URL: &str = "https://api.losant.com";
/// How long one attempt may take, from sending the request to the end of the answer's body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long opening a connection may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The most bytes of an answer's body the client reads. A list answers every invite of an
/// organization at once (Losant pages nothing there), about 230 bytes an invite: 16 MiB holds
/// some 70 000, and bounds what a broken or hostile server can make the client hold.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub fn default_user_agent() -> &'static str {
    concat!("losant-invites-client/", env!("CARGO_PKG_VERSION"))
}

/// The `Accept-Version` sent unless [`ClientBuilder::accept_version`] says otherwise: a semver
/// range pinning the API version the spec describes, such as `^1.29.1`.
pub fn default_accept_version() -> String {
    format!("^{}", <Client as ClientInfo<Settings>>::api_version())
}

impl Client {
    /// Starts configuring a client. Only a token is required.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = losant_invites_client::Client::builder()
    ///     .token("my-api-token")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://api.losant.com");
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// The retry policy requests follow.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

/// Configures a [`Client`]. Made by [`Client::builder`].
///
/// `Debug` never shows the token.
#[derive(Clone)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: String,
    allow_insecure_http: bool,
    accept_version: Option<String>,
    user_agent: Option<String>,
    losantdomain: Option<String>,
    read_only: bool,
    request_timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    http_client: Option<reqwest::Client>,
    root_certificates: Vec<rustls_pki_types::CertificateDer<'static>>,
    proxy: Proxy,
    /// The first bad text given to `add_root_certificate_pem`, reported by `build`.
    bad_certificate: Option<BuildError>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            allow_insecure_http: false,
            accept_version: None,
            user_agent: None,
            losantdomain: None,
            read_only: false,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::standard(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
            root_certificates: Vec::new(),
            proxy: Proxy::Environment,
            bad_certificate: None,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("accept_version", &self.accept_version)
            .field("user_agent", &self.user_agent)
            .field("losantdomain", &self.losantdomain)
            .field("read_only", &self.read_only)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "caller's own"),
            )
            // A proxy URL may hold credentials: only which kind is shown.
            .field(
                "proxy",
                &match self.proxy {
                    Proxy::Environment => "from the environment",
                    Proxy::None => "none",
                    Proxy::Url(_) => "set",
                },
            )
            .finish()
    }
}

impl ClientBuilder {
    /// The Losant API token (or user token), sent as `Authorization: Bearer <token>`. Required.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Where the API is; default [`DEFAULT_BASE_URL`]. A path prefix is kept.
    ///
    /// A plain `http://` URL is refused unless its host is loopback (`localhost`, `127.0.0.0/8`,
    /// `::1`) or [`allow_insecure_http`](Self::allow_insecure_http) is set, so the token never
    /// crosses a network in clear text by accident.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Allows a plain `http://` base URL on a non-loopback host. Only for networks you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The `Accept-Version` header; default [`default_accept_version`].
    pub fn accept_version(mut self, range: impl Into<String>) -> Self {
        self.accept_version = Some(range.into());
        self
    }

    /// The `User-Agent` header; default [`default_user_agent`].
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// The `losantdomain` header ("domain scope of request", rarely needed) of every request:
    /// set once here rather than on each call. A value given to a request's own
    /// `losantdomain` setter still wins for that request.
    ///
    /// ```
    /// let client = losant_invites_client::Client::builder()
    ///     .token("my-api-token")
    ///     .losantdomain("example.com")
    ///     .build()?;
    /// # Ok::<(), losant_invites_client::BuildError>(())
    /// ```
    ///
    /// A value an HTTP header cannot carry (a line break) makes [`build`](Self::build) fail
    /// with [`BuildError::InvalidHeader`].
    pub fn losantdomain(mut self, domain: impl Into<String>) -> Self {
        self.losantdomain = Some(domain.into());
        self
    }

    /// Makes the client read-only: every request that could change something (any method
    /// but GET, HEAD and OPTIONS) fails with [`ErrorKind::InvalidInput`] and is not sent,
    /// whatever code builds it. A dry run made safe where requests leave, not only by the
    /// caller's care. `prepare`, which sends nothing, still builds any request.
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// How long one attempt may take, body included; default [`DEFAULT_REQUEST_TIMEOUT`].
    /// Retries each get the full time again; [`RetryPolicy::with_deadline`] bounds the total.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long opening a connection may take; default [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed attempts are retried; default [`RetryPolicy::standard`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns retries off: the same as `retry_policy(RetryPolicy::disabled())`.
    pub fn no_retry(self) -> Self {
        self.retry_policy(RetryPolicy::disabled())
    }

    /// The most bytes of an answer's body the client reads; default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]. A longer answer fails with [`ErrorKind::Decode`] after
    /// reading no more than this, so memory stays bounded whatever a server sends.
    ///
    /// [`ErrorKind::Decode`]: crate::ErrorKind::Decode
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Sends through the caller's own `reqwest::Client` (proxies, custom TLS roots, shared
    /// connection pool). Its own timeouts, redirect policy and default headers then apply
    /// instead of this builder's timeouts; the token, `Accept-Version` and `User-Agent` are
    /// still set on each request. Start it from [`http_client_builder`](crate::http_client_builder)
    /// to keep the TLS setup this crate's features chose.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sends every request through the proxy at `url`, such as `http://proxy.example:3128`
    /// (credentials may go in the URL), instead of the one the environment names.
    ///
    /// An `https` request goes through the proxy inside a tunnel (`CONNECT`), so the proxy sees
    /// the host, never the token. A loopback base URL bypasses every proxy, and a plain `http`
    /// base URL elsewhere (allowed with [`allow_insecure_http`](Self::allow_insecure_http))
    /// cannot use one: [`build`](Self::build) refuses it, because the proxy would read the
    /// token in clear text.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Proxy::Url(url.into());
        self
    }

    /// Sends every request directly, whatever proxy the environment names.
    ///
    /// Unless `proxy` or `no_proxy` is called, the proxy is the environment's: `HTTPS_PROXY`
    /// (or `https_proxy`), else `ALL_PROXY` (or `all_proxy`), skipping the hosts `NO_PROXY`
    /// (or `no_proxy`) lists, for `https` base URLs only.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Proxy::None;
        self
    }

    /// Trusts the certificates of `pem` (one or more `-----BEGIN CERTIFICATE-----` blocks)
    /// beside the platform's trust store, for a Losant instance behind a private certificate
    /// authority. Applies to the builder's own HTTP client, whichever TLS feature the crate is
    /// built with; not to one given with [`http_client`](Self::http_client).
    ///
    /// A text that holds no certificate makes [`build`](Self::build) fail with
    /// [`BuildError::InvalidCertificate`].
    ///
    /// ```no_run
    /// let pem = std::fs::read("company-ca.pem")?;
    /// let client = losant_invites_client::Client::builder()
    ///     .token("my-token")
    ///     .base_url("https://losant.example.com")
    ///     .add_root_certificate_pem(&pem)
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        match crate::tls::parse_pem(pem) {
            Ok(certificates) => self.root_certificates.extend(certificates),
            Err(error) => {
                self.bad_certificate.get_or_insert(error);
            }
        }
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    /// A [`BuildError`] when the token is missing or not a valid header value, the base URL is
    /// not an absolute `https://` URL (or a loopback or allowed `http://` one), or the HTTP
    /// client cannot be set up.
    pub fn build(self) -> Result<Client, BuildError> {
        let token = self.token.ok_or(BuildError::MissingToken)?;
        if token.trim().is_empty() {
            return Err(BuildError::MissingToken);
        }
        let mut authorization = HeaderValue::try_from(format!("Bearer {token}"))
            .map_err(|_| BuildError::InvalidToken)?;
        authorization.set_sensitive(true);
        let base_url = checked_base_url(&self.base_url, self.allow_insecure_http)?;
        if let Some(error) = self.bad_certificate {
            return Err(error);
        }
        if base_url.starts_with("https:") && self.http_client.is_none() && !crate::tls::AVAILABLE {
            return Err(BuildError::NoTls);
        }
        let header = |name: &'static str, value: String| {
            HeaderValue::try_from(value).map_err(|_| BuildError::InvalidHeader(name))
        };
        let settings = Settings {
            authorization,
            token: Arc::from(token),
            accept_version: header(
                "Accept-Version",
                self.accept_version.unwrap_or_else(default_accept_version),
            )?,
            user_agent: header(
                "User-Agent",
                self.user_agent
                    .unwrap_or_else(|| default_user_agent().to_owned()),
            )?,
            retry: self.retry,
            losantdomain: self
                .losantdomain
                .map(|domain| header("losantdomain", domain))
                .transpose()?,
            read_only: self.read_only,
            max_response_bytes: self.max_response_bytes,
        };
        let http = match self.http_client {
            Some(client) => client,
            None => self
                .proxy
                .configure(
                    crate::tls::configure(reqwest::Client::builder(), self.root_certificates)?,
                    &base_url,
                )?
                .timeout(self.request_timeout)
                .connect_timeout(self.connect_timeout)
                // Losant's API does not redirect; a redirect is reported, never followed.
                .redirect(reqwest::redirect::Policy::none())
                // The client retries by its own policy. reqwest's built-in retries only cover
                // HTTP/2 and HTTP/3 refusals, which an HTTP/1.1 client never sees, yet its
                // retry layer copies every request in case: with no retries allowed, it does
                // not.
                .retry(reqwest::retry::never().max_retries_per_request(0))
                .build()
                .map_err(|e| BuildError::Http(e.to_string()))?,
        };
        Ok(Client::new_with_client(&base_url, http, settings))
    }
}

/// Which proxy the builder's own HTTP client goes through.
#[derive(Clone)]
enum Proxy {
    /// The environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`), for `https` only.
    Environment,
    None,
    Url(String),
}

impl Proxy {
    /// Sets up `builder` to use this proxy for requests to `base_url`, which `build` checked.
    fn configure(
        &self,
        builder: reqwest::ClientBuilder,
        base_url: &str,
    ) -> Result<reqwest::ClientBuilder, BuildError> {
        let url = reqwest::Url::parse(base_url)
            .map_err(|e| BuildError::InvalidBaseUrl(format!("{base_url:?}: {e}")))?;
        // Plain http is allowed only because it stays on the host (loopback) or because the
        // caller accepted clear text on the network; a proxy would read the token either way.
        if url.scheme() == "http" {
            return match self {
                Proxy::Url(_) if !is_loopback(&url) => Err(BuildError::InvalidProxy(
                    "a proxy would read the token in clear text over plain http; use an https base URL".into(),
                )),
                _ => Ok(builder.no_proxy()),
            };
        }
        match self {
            Proxy::Environment => Ok(builder),
            Proxy::None => Ok(builder.no_proxy()),
            Proxy::Url(proxy) => {
                let proxy = reqwest::Proxy::all(proxy.as_str())
                    .map_err(|e| BuildError::InvalidProxy(e.to_string()))?;
                Ok(builder.proxy(proxy))
            }
        }
    }
}

/// The base URL as requests will use it, or why it is refused.
fn checked_base_url(raw: &str, allow_insecure_http: bool) -> Result<String, BuildError> {
    let invalid = |why: &str| BuildError::InvalidBaseUrl(format!("{raw:?}: {why}"));
    let url = reqwest::Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL takes no query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials belong in the token, not in the URL"));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http would send the token in clear text; use https, a loopback host, or allow_insecure_http(true)",
            ));
        }
        other => return Err(invalid(&format!("unsupported scheme {other:?}"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Why a [`ClientBuilder`] could not build a client. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// No token, or an empty one, was given.
    MissingToken,
    /// The token holds characters an HTTP header cannot carry, such as a line break.
    InvalidToken,
    /// The base URL is not usable; the text says why.
    InvalidBaseUrl(String),
    /// A header value given to the builder cannot be sent.
    InvalidHeader(&'static str),
    /// The HTTP client could not be set up.
    Http(String),
    /// A root certificate given to the builder could not be read; the text says why.
    InvalidCertificate(String),
    /// The proxy given to the builder cannot be used; the text says why.
    InvalidProxy(String),
    /// The base URL is `https`, and the crate was built without a TLS feature
    /// (`rustls-ring`, `rustls-aws-lc-rs` or `native-tls`).
    NoTls,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingToken => {
                f.write_str("no API token: call `.token(...)` with a Losant API token")
            }
            Self::InvalidToken => {
                f.write_str("the API token holds characters an HTTP header cannot carry")
            }
            Self::InvalidBaseUrl(why) => write!(f, "invalid base URL {why}"),
            Self::InvalidHeader(name) => {
                write!(f, "the {name} value cannot be sent as an HTTP header")
            }
            Self::Http(why) => write!(f, "the HTTP client could not be set up: {why}"),
            Self::InvalidCertificate(why) => write!(f, "invalid root certificate: {why}"),
            Self::InvalidProxy(why) => write!(f, "invalid proxy: {why}"),
            Self::NoTls => f.write_str(
                "the base URL is https, and losant-invites-client was built without TLS: \
                 enable its feature rustls-ring, rustls-aws-lc-rs or native-tls",
            ),
        }
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            checked_base_url("https://api.losant.com/", false).unwrap(),
            "https://api.losant.com"
        );
        assert_eq!(
            checked_base_url("https://proxy.example/losant/", false).unwrap(),
            "https://proxy.example/losant"
        );
        for loopback in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
            "http://127.9.9.9",
        ] {
            assert!(checked_base_url(loopback, false).is_ok(), "{loopback}");
        }
        for refused in [
            "http://api.losant.com",
            "http://10.0.0.1",
            "ftp://x",
            "api.losant.com",
            "https://u:p@x",
            "https://x/?a=1",
        ] {
            assert!(checked_base_url(refused, false).is_err(), "{refused}");
        }
        assert!(checked_base_url("http://api.example", true).is_ok());
    }
}
