//! The fake server: its builder, its handle, the HTTP loop, and the three actions.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawPathParams, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::action::Action;
use crate::connections::{Admission, Connections, Limits, TrackedStream};
use crate::faults::{Fault, Faults, html_page};
use crate::request_log::{
    DEFAULT_LOG_BUDGET, LOGGED_BODY_BYTES, RecordedRequest, RequestLog, redact_authorization,
};
use crate::store::{Seed, SeedError, SeedToken, Store};
use crate::validate;

/// The path of the three actions, in axum's syntax.
const INVITE_PATH: &str = "/instances/{instanceId}/orgs/{orgId}/invites/{inviteId}";

/// The largest request body the fake reads. A maximal `OrgRoleInfo` (2000 grants) is ~150 KiB.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;

/// State shared by the handle and every connection.
struct Shared {
    store: Mutex<Store>,
    tokens: Mutex<BTreeMap<String, Vec<String>>>,
    faults: Mutex<BTreeMap<Action, Faults>>,
    log: Mutex<RequestLog>,
    limits: Limits,
}

/// Locks `mutex`, shrugging off poisoning: every critical section here leaves the data whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Why the fake could not start.
#[derive(Debug)]
pub enum StartError {
    /// The seed was refused.
    Seed(SeedError),
    /// The address could not be bound.
    Bind(SocketAddr, std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Seed(e) => e.fmt(f),
            StartError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Seed(e) => Some(e),
            StartError::Bind(_, e) => Some(e),
        }
    }
}

/// Configures a [`MockServer`] before it starts. Made by [`MockServer::builder`].
#[derive(Debug)]
pub struct MockServerBuilder {
    seed: Seed,
    faults: BTreeMap<Action, Faults>,
    addr: SocketAddr,
    limits: Limits,
    log_budget: usize,
}

impl MockServerBuilder {
    /// Adds a whole seed: tokens, instances, orgs and invites.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed.tokens.extend(seed.tokens);
        self.seed.instances.extend(seed.instances);
        self
    }

    /// Accepts `token` as a bearer token holding `scopes`.
    pub fn token<S: Into<String>>(
        mut self,
        token: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        let scopes = scopes.into_iter().map(Into::into).collect();
        self.seed.tokens.push(SeedToken {
            token: token.into(),
            scopes,
        });
        self
    }

    /// Creates an empty organization (and its instance), so lookups in it answer "Invite was
    /// not found" rather than "Organization was not found".
    pub fn org(mut self, instance_id: &str, org_id: &str) -> Self {
        self.seed.instances.push(crate::store::SeedInstance {
            id: instance_id.to_owned(),
            orgs: vec![crate::store::SeedOrg {
                id: org_id.to_owned(),
                invites: Vec::new(),
            }],
        });
        self
    }

    /// Adds an invite, given as the `OrgInvite` JSON object Losant would answer (see [`Seed`]
    /// for the rules), creating its instance and organization as needed.
    pub fn invite(mut self, instance_id: &str, org_id: &str, invite: Value) -> Self {
        let invites = match invite {
            Value::Object(map) => vec![map],
            // Kept so that `start` reports it rather than silently dropping it.
            other => vec![serde_json::Map::from_iter([("id".to_owned(), other)])],
        };
        self.seed.instances.push(crate::store::SeedInstance {
            id: instance_id.to_owned(),
            orgs: vec![crate::store::SeedOrg {
                id: org_id.to_owned(),
                invites,
            }],
        });
        self
    }

    /// Plans faults for `action` from the start.
    pub fn faults(mut self, action: Action, faults: Faults) -> Self {
        self.faults.insert(action, faults);
        self
    }

    /// Listens on `addr` instead of an ephemeral port on 127.0.0.1.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// How long the fake waits for clients and how many connections it keeps open (see
    /// [`Limits`] for the defaults).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How many bytes the request log may hold ([`DEFAULT_LOG_BUDGET`] unless set); past it
    /// the oldest requests are forgotten first.
    pub fn log_budget(mut self, bytes: usize) -> Self {
        self.log_budget = bytes;
        self
    }

    /// Binds, seeds and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// [`StartError::Seed`] for an invalid seed, [`StartError::Bind`] when the address is taken.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let mut store = Store::default();
        store.apply(&self.seed).map_err(StartError::Seed)?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            tokens: Mutex::new(
                self.seed
                    .tokens
                    .into_iter()
                    .map(|t| (t.token, t.scopes))
                    .collect(),
            ),
            faults: Mutex::new(self.faults),
            log: Mutex::new(RequestLog::new(self.log_budget)),
            limits: self.limits,
        });

        let bind = |e| StartError::Bind(self.addr, e);
        let listener = TcpListener::bind(self.addr).await.map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let (shutdown, stop) = watch::channel(false);
        let connections = Connections::new(self.limits);
        let task = tokio::spawn(serve(
            listener,
            router(Arc::clone(&shared)),
            stop,
            connections,
        ));
        Ok(MockServer {
            addr,
            shared,
            shutdown,
            task: Some(task),
        })
    }
}

/// A running fake Losant. It stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use losant_invites_mock::{MockServer, Seed, demo};
///
/// let server = MockServer::builder().seed(Seed::demo()).start().await?;
/// let url = format!(
///     "{}/instances/{}/orgs/{}/invites/{}",
///     server.url(), demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID
/// );
/// // ... point the code under test at `server.url()`, then check what it sent:
/// assert!(server.requests().is_empty());
/// # let _ = url;
/// # Ok(()) }
/// ```
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts configuring a fake with no tokens, no data and no faults.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder {
            seed: Seed::default(),
            faults: BTreeMap::new(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            limits: Limits::default(),
            log_budget: DEFAULT_LOG_BUDGET,
        }
    }

    /// The base URL to give a client, such as `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order, as far as the log's budget reaches
    /// back (see [`MockServerBuilder::log_budget`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).entries().cloned().collect()
    }

    /// The bytes the request log holds now, as it counts them against its budget (see
    /// [`RecordedRequest::size`]).
    pub fn log_bytes(&self) -> usize {
        lock(&self.shared.log).bytes()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// The invite as `get` would answer it now, or `None` if it does not exist.
    pub fn invite(&self, instance_id: &str, org_id: &str, invite_id: &str) -> Option<Value> {
        lock(&self.shared.store).peek(instance_id, org_id, invite_id)
    }

    /// Adds or replaces an invite while running (see [`Seed`] for the rules).
    ///
    /// # Errors
    /// A [`SeedError`] when an ID or the invite is invalid.
    pub fn insert_invite(
        &self,
        instance_id: &str,
        org_id: &str,
        invite: Value,
    ) -> Result<(), SeedError> {
        let builder = MockServer::builder().invite(instance_id, org_id, invite);
        lock(&self.shared.store).apply(&builder.seed)
    }

    /// Accepts `token` as a bearer token holding `scopes`, from now on.
    pub fn add_token<S: Into<String>>(
        &self,
        token: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) {
        lock(&self.shared.tokens)
            .insert(token.into(), scopes.into_iter().map(Into::into).collect());
    }

    /// Replaces the faults planned for `action`.
    pub fn set_faults(&self, action: Action, faults: Faults) {
        lock(&self.shared.faults).insert(action, faults);
    }

    /// Appends answers to `action`'s script, such as `503, 503` before normal answers resume.
    pub fn script(&self, action: Action, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.shared.faults)
            .entry(action)
            .or_default()
            .script
            .extend(faults);
    }

    /// Waits `latency` before every answer to `action`.
    pub fn set_latency(&self, action: Action, latency: Duration) {
        lock(&self.shared.faults).entry(action).or_default().latency = latency;
    }

    /// Stops listening and closes every open connection.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Clone, Copy)]
struct DropConnection;

#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for ConnectionDropped {}

/// Accepts connections until `stop` fires, within the connection limit, and closes those that
/// overstay their timeouts. Each connection is served by hyper directly rather than by
/// `axum::serve`, because only there can a handler close a connection without answering (a
/// service error makes hyper drop it).
async fn serve(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
    connections: Arc<Connections>,
) {
    let mut check = tokio::time::interval(connections.check_interval());
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: say so, free one, and back off
                // instead of spinning.
                Err(e) => {
                    connections.warn(format_args!(
                        "cannot accept a connection ({e}); closing the longest idle one"
                    ));
                    connections.close_longest_idle();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = check.tick() => {
                connections.close_overdue();
                continue;
            }
            _ = stop.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let (connection, registered) = match connections.admit() {
            Admission::Serve(connection, registered) => (connection, registered),
            Admission::Refuse => {
                tokio::spawn(refuse(stream));
                continue;
            }
        };
        let router = router.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let _registered = registered;
            let tracked = Arc::clone(&connection);
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let router = router.clone();
                    let connection = Arc::clone(&tracked);
                    async move {
                        connection.request_started();
                        let ends = RequestEnds(connection);
                        let Ok(response) = router.oneshot(request.map(Body::new)).await;
                        if response.extensions().get::<DropConnection>().is_some() {
                            return Err(ConnectionDropped);
                        }
                        // The request ends when its answer's body is sent (or given up).
                        Ok(response.map(|body| {
                            Body::new(http_body_util::BodyExt::map_frame(body, move |frame| {
                                let _ = &ends;
                                frame
                            }))
                        }))
                    }
                },
            );
            let io =
                hyper_util::rt::TokioIo::new(TrackedStream::new(stream, Arc::clone(&connection)));
            let serving = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
            tokio::select! {
                _ = serving => {}
                _ = stop.changed() => {}
                _ = connection.closed() => {}
            }
        });
    }
}

/// Marks a request of a connection as ended when dropped.
struct RequestEnds(Arc<crate::connections::Connection>);

impl Drop for RequestEnds {
    fn drop(&mut self) {
        self.0.request_ended();
    }
}

/// Answers a connection over the limit with a 503 and closes it.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;

    let body = json!({
        "type": "ServiceUnavailable",
        "message": "the fake has reached its connection limit (--max-connections); retry shortly",
    })
    .to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(INVITE_PATH, any(invite_route))
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), record))
        .with_state(shared)
}

/// Losant's error body.
fn error(status: StatusCode, kind: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "type": kind, "message": message.into() })),
    )
        .into_response()
}

/// Logs the request before anything can answer it, reads its body within the body-read
/// timeout, and refuses a body encoding it cannot read.
async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = tokio::time::timeout(
        shared.limits.body_read,
        axum::body::to_bytes(body, MAX_REQUEST_BODY),
    )
    .await;
    let read = match &body {
        Ok(Ok(bytes)) => Some(bytes),
        _ => None,
    };
    // Only the body of an authenticated request to a path the fake serves is kept: anything
    // else is counted, so that junk cannot fill the log.
    let keeps_body = is_invite_path(parts.uri.path()) && has_valid_token(&shared, &parts.headers);
    let entry = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                let value = match *name {
                    header::AUTHORIZATION => redact_authorization(&value),
                    _ => value.into_owned(),
                };
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: match read {
            Some(bytes) if keeps_body && !bytes.is_empty() => {
                let kept = &bytes[..bytes.len().min(LOGGED_BODY_BYTES)];
                Some(String::from_utf8_lossy(kept).into_owned())
            }
            _ => None,
        },
        body_len: read.map_or(0, Bytes::len),
    };
    lock(&shared.log).push(entry);
    let bytes = match body {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PayloadTooLarge",
                format!("request body is over {MAX_REQUEST_BODY} bytes"),
            );
        }
        Err(_) => {
            let mut answer = error(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                format!(
                    "the request body did not arrive within {} ms",
                    shared.limits.body_read.as_millis()
                ),
            );
            answer
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return answer;
        }
    };
    if let Some(encoding) = parts.headers.get(header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes())
            .trim()
            .to_owned();
        if !encoding.eq_ignore_ascii_case("identity") {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                format!(
                    "Content-Encoding {encoding:?} is not supported: send the body uncompressed"
                ),
            );
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether `path` matches [`INVITE_PATH`]: its literal segments, and a non-empty segment for
/// each `{parameter}`.
fn is_invite_path(path: &str) -> bool {
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (INVITE_PATH.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(want, got)| match want.starts_with('{') {
                true => !got.is_empty(),
                false => want == got,
            })
}

/// The bearer token of a request, or why it has none, as Losant says it.
fn bearer_token(headers: &HeaderMap) -> Result<&str, &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or("Authorization header required")?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err("Authorization header must be of the form `Bearer <token>`"),
    }
}

/// Whether the request carries a bearer token the fake knows.
fn has_valid_token(shared: &Shared, headers: &HeaderMap) -> bool {
    bearer_token(headers).is_ok_and(|token| lock(&shared.tokens).contains_key(token))
}

async fn unknown_route(method: Method, uri: axum::http::Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!("no route for {method} {}", uri.path()),
    )
}

async fn invite_route(
    State(shared): State<Arc<Shared>>,
    method: Method,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    RawQuery(query): RawQuery,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(action) = Action::from_method(method.as_str()) else {
        let mut response = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("{method} is not allowed here: use GET, POST or DELETE"),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST, DELETE"));
        return response;
    };
    let (latency, fault) = lock(&shared.faults).entry(action).or_default().next();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Fault::Status {
            status,
            retry_after,
        } => return status_fault(status, retry_after),
        Fault::Html { status } => return html_error(status),
        Fault::Drop => return dropped(),
        Fault::Huge { bytes } => return huge(bytes),
        Fault::BadUtf8 => {
            let body = Bytes::from_static(
                b"{\"id\":\"575ec8687ae143cd83dc4a94\",\"email\":\"\xff\xfe@example.com\"}",
            );
            return ([(header::CONTENT_TYPE, "application/json")], body).into_response();
        }
        Fault::Nested { depth } => {
            let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            return ([(header::CONTENT_TYPE, "application/json")], body).into_response();
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
            return response;
        }
        Fault::Pass
        | Fault::Truncate
        | Fault::Trickle { .. }
        | Fault::WrongType
        | Fault::Http10
        | Fault::Restatus { .. }
        | Fault::ActedHtml { .. }
        | Fault::ActedDrop => {}
    }
    let answer = act(&shared, action, params, query.as_deref(), &headers, &body);
    match fault {
        Fault::Truncate => truncated(answer).await,
        Fault::Trickle { interval } => trickled(answer, interval).await,
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
            if let Ok(status) = StatusCode::from_u16(status) {
                *answer.status_mut() = status;
            }
            answer
        }
        Fault::ActedHtml { status } => html_error(status),
        Fault::ActedDrop => dropped(),
        _ => answer,
    }
}

/// A proxy's HTML error page under `status`.
fn html_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = html_page(status.as_u16());
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// No answer: the connection is closed.
fn dropped() -> Response {
    let mut response = Response::default();
    response.extensions_mut().insert(DropConnection);
    response
}

/// Runs `action` as Losant would: authenticate, authorize, validate, then look up and act.
fn act(
    shared: &Shared,
    action: Action,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let token = match bearer_token(headers) {
        Ok(token) => token,
        Err(why) => return error(StatusCode::UNAUTHORIZED, "Unauthorized", why),
    };
    let granted = match lock(&shared.tokens).get(token) {
        None => {
            return error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Invalid access token",
            );
        }
        Some(scopes) => action.is_granted_by(scopes),
    };
    if !granted {
        return error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "{action} needs a token with one of the scopes {}",
                action.accepted_scopes().join(", ")
            ),
        );
    }

    let params = match params {
        Ok(params) => params,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "Validation",
                format!("invalid path: {e}"),
            );
        }
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default()
    };
    let (instance, org, invite) = (param("instanceId"), param("orgId"), param("inviteId"));
    let query: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let checked = validate::check_id("instanceId", &instance)
        .and_then(|()| validate::check_id("orgId", &org))
        .and_then(|()| validate::check_id("inviteId", &invite))
        .and_then(|()| validate::check_query(&query));
    if let Err(message) = checked {
        return error(StatusCode::BAD_REQUEST, "Validation", message);
    }

    let mut store = lock(&shared.store);
    let result = match action {
        Action::Get => store
            .get(&instance, &org, &invite)
            .map(|invite| (StatusCode::OK, invite)),
        Action::Delete => store
            .delete(&instance, &org, &invite)
            .map(|()| (StatusCode::OK, json!({ "success": true }))),
        Action::ResendInvite => {
            let role_info = match validate::role_info(body) {
                Ok(info) => info,
                Err(message) => return error(StatusCode::BAD_REQUEST, "Validation", message),
            };
            store
                .resend(&instance, &org, &invite, &role_info)
                .map(|invite| (StatusCode::CREATED, invite))
        }
    };
    match result {
        Ok((status, body)) => (status, Json(body)).into_response(),
        Err(missing) => error(StatusCode::NOT_FOUND, "NotFound", missing.message()),
    }
}

fn status_fault(status: u16, retry_after: Option<u32>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let kind: String = status
        .canonical_reason()
        .unwrap_or("Error")
        .split_whitespace()
        .collect();
    let mut response = error(status, &kind, format!("injected fault: {status}"));
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
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
