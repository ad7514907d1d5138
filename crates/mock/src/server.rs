//! The fake server's builder and its handle: seeding, faults and limits before it starts, and
//! what a test asks of it while it runs. The rest lives by job: `routes.rs` (what it serves),
//! `state.rs` (what every connection shares), `accept.rs` (connections), `recording.rs` and
//! `request_log.rs`, `auth.rs`, `faults.rs`, `errors.rs`.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::action::Action;
use crate::call::{CreateAnswer, MemberAddAnswer};
use crate::connections::{Connections, Limits};
use crate::faults::{Fault, Faults};
use crate::outbox::Mail;
use crate::request_log::{DEFAULT_LOG_BUDGET, RecordedRequest, RequestLog};
use crate::state::{Shared, lock};
use crate::store::{Seed, SeedError, SeedToken, Store};

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
    create_answer: CreateAnswer,
    member_add_answer: MemberAddAnswer,
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
                ..Default::default()
            }],
        });
        self
    }

    /// Adds a member, given as the `OrgMember` JSON object Losant would answer (it needs a
    /// valid `userId` and a `role`), creating its instance and organization as needed. Its
    /// email becomes a user the fake knows.
    pub fn member(mut self, instance_id: &str, org_id: &str, member: Value) -> Self {
        let members = match member {
            Value::Object(map) => vec![map],
            // Kept so that `start` reports it rather than silently dropping it.
            other => vec![serde_json::Map::from_iter([("userId".to_owned(), other)])],
        };
        self.seed.instances.push(crate::store::SeedInstance {
            id: instance_id.to_owned(),
            orgs: vec![crate::store::SeedOrg {
                id: org_id.to_owned(),
                members,
                ..Default::default()
            }],
        });
        self
    }

    /// Limits the organization to `limit` members and pending invites together (Losant's
    /// `limits.member`), creating it as needed; past it, invites and adds are refused.
    pub fn member_limit(mut self, instance_id: &str, org_id: &str, limit: usize) -> Self {
        self.seed.instances.push(crate::store::SeedInstance {
            id: instance_id.to_owned(),
            orgs: vec![crate::store::SeedOrg {
                id: org_id.to_owned(),
                member_limit: Some(limit),
                ..Default::default()
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
                ..Default::default()
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

    /// What the create action answers with: the collection (API 1.29.1, the default) or the
    /// new invite alone (the 1.31 Python client's reading). A client should take both.
    pub fn create_answers(mut self, answer: CreateAnswer) -> Self {
        self.create_answer = answer;
        self
    }

    /// What adding a member answers with: 201 or 202 (API 1.30.1 and later, the default) or
    /// 200 (1.30.0 and before). A client should take every form.
    pub fn member_add_answers(mut self, answer: MemberAddAnswer) -> Self {
        self.member_add_answer = answer;
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
            create_answer: self.create_answer,
            member_add_answer: self.member_add_answer,
        });

        let bind = |e| StartError::Bind(self.addr, e);
        let listener = TcpListener::bind(self.addr).await.map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let (shutdown, stop) = watch::channel(false);
        let connections = Connections::new(self.limits);
        let task = tokio::spawn(crate::accept::serve(
            listener,
            crate::routes::router(Arc::clone(&shared)),
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
            create_answer: CreateAnswer::default(),
            member_add_answer: MemberAddAnswer::default(),
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

    /// The member as `instanceOrgMember.get` would answer them now, or `None`.
    pub fn member(&self, instance_id: &str, org_id: &str, user_id: &str) -> Option<Value> {
        lock(&self.shared.store)
            .member(instance_id, org_id, user_id)
            .ok()
    }

    /// Every invitation mail the fake would have sent, oldest first: each invite made,
    /// seeded or resent, with the token its invitee accepts it by (`POST /invites`, Losant's
    /// `orgInvites.post`). The same as `GET /_fake/outbox`.
    pub fn outbox(&self) -> Vec<Mail> {
        lock(&self.shared.store).outbox()
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
