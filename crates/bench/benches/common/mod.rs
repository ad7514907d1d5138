//! What both benchmark harnesses share: the fixed-answer server, and the SDK, raw reqwest and
//! raw hyper sending the identical request to it.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use losant_invites_client::{Client, types};

pub const TOKEN: &str = "bench-token";
pub const INSTANCE: &str = "575ec8687ae143cd83dc4a95";
pub const ORG: &str = "575ec8687ae143cd83dc4a97";
pub const INVITE: &str = "575ec8687ae143cd83dc4a94";
pub const IN_FLIGHT: usize = 32;

/// The documented `OrgInvite` answer.
pub const INVITE_JSON: &str = r#"{"id":"575ec8687ae143cd83dc4a94","email":"invitee@example.com","role":"edit","applicationRoles":[],"dashboardRoles":[],"inviteDate":"2016-05-13T04:00:00.000Z","ttl":604800000,"hasExpired":false,"disallowTransfer":false}"#;

/// The organizations whose list answers `LIST_SIZES` invites, in that order.
pub const LIST_ORGS: [&str; 2] = ["575ec8687ae143cd83dc1000", "575ec8687ae143cd83d10000"];
pub const LIST_SIZES: [usize; 2] = [1_000, 10_000];

/// The organization whose members' list answers [`MEMBERS`] members.
pub const MEMBERS_ORG: &str = "575ec8687ae143cd83dcaaaa";
pub const MEMBERS: usize = 10_000;

/// The documented member, as Losant answers one.
pub const MEMBER_JSON: &str = r#"{"userId":"575ef90f7ae143cd83dc4aad","instanceId":"575ec8687ae143cd83dc4a95","orgId":"575ec8687ae143cd83dc4a97","email":"member@example.com","firstName":"Ada","lastName":"Lovelace","role":"view","twoFactorAuthEnabled":false,"ssoLinked":false}"#;

/// A members' list of `size` members as Losant answers it, each with its own ID and email.
pub fn members_json(size: usize) -> String {
    let items: Vec<String> = (0..size)
        .map(|n| {
            MEMBER_JSON
                .replace("575ef90f7ae143cd83dc4aad", &format!("{n:024x}"))
                .replace("member@", &format!("member{n}@"))
        })
        .collect();
    format!(
        r#"{{"items":[{}],"count":{size},"instanceId":"{INSTANCE}","orgId":"{MEMBERS_ORG}","sortField":"email","sortDirection":"asc"}}"#,
        items.join(",")
    )
}

/// A list of `size` invites as Losant answers it, each as the fixed invite with its own ID.
pub fn list_json(size: usize) -> String {
    let items: Vec<String> = (0..size)
        .map(|n| INVITE_JSON.replace("575ec8687ae143cd83dc4a94", &format!("{n:024x}")))
        .collect();
    format!(
        r#"{{"items":[{}],"count":{size},"instanceId":"{INSTANCE}","orgId":"{ORG}","sortField":"inviteDate","sortDirection":"desc"}}"#,
        items.join(",")
    )
}

/// Starts the fixed-answer server on its own thread: 201 for POST, 200 otherwise; a list of
/// `LIST_SIZES` invites for a GET on the invites of `LIST_ORGS`, the invite otherwise.
pub fn start_server() -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    let lists: std::sync::Arc<Vec<(String, Bytes)>> = std::sync::Arc::new(
        LIST_ORGS
            .iter()
            .zip(LIST_SIZES)
            .map(|(org, size)| (format!("/orgs/{org}/invites"), Bytes::from(list_json(size))))
            .chain([(
                format!("/orgs/{MEMBERS_ORG}/members"),
                Bytes::from(members_json(MEMBERS)),
            )])
            .collect(),
    );
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let lists = std::sync::Arc::clone(&lists);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: hyper::Request<hyper::body::Incoming>| {
                            let lists = std::sync::Arc::clone(&lists);
                            async move {
                                let status = if request.method() == hyper::Method::POST {
                                    201
                                } else {
                                    200
                                };
                                let path = request.uri().path().to_owned();
                                let body = lists
                                    .iter()
                                    .find(|(suffix, _)| path.ends_with(suffix.as_str()))
                                    .map_or(
                                        Bytes::from_static(INVITE_JSON.as_bytes()),
                                        |(_, body)| body.clone(),
                                    );
                                let _ = request.into_body().collect().await;
                                let response = hyper::Response::builder()
                                    .status(status)
                                    .header("content-type", "application/json")
                                    .body(Full::new(body))
                                    .unwrap();
                                Ok::<_, Infallible>(response)
                            }
                        },
                    );
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
    });
    receiver.recv().unwrap()
}

/// The request every contender sends, as the SDK sends it.
pub struct Wire {
    addr: SocketAddr,
    accept_version: String,
    user_agent: &'static str,
}

impl Wire {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            accept_version: losant_invites_client::default_accept_version(),
            user_agent: losant_invites_client::default_user_agent(),
        }
    }

    /// The URL of the invites of `org`, as the SDK sends it.
    pub fn list_url(&self, org: &str) -> String {
        let addr = self.addr;
        format!(
            "http://{addr}/instances/{INSTANCE}/orgs/{org}/invites?_actions=false&_links=true&_embedded=true"
        )
    }

    /// The URL of the members of [`MEMBERS_ORG`], as the SDK sends it.
    pub fn members_url(&self) -> String {
        let addr = self.addr;
        format!(
            "http://{addr}/instances/{INSTANCE}/orgs/{MEMBERS_ORG}/members?_actions=false&_links=true&_embedded=true"
        )
    }

    /// The URL of one invite, built per request as a caller acting on many invites would.
    pub fn url(&self, invite: &str) -> String {
        let addr = self.addr;
        format!(
            "http://{addr}/instances/{INSTANCE}/orgs/{ORG}/invites/{invite}?_actions=false&_links=true&_embedded=true"
        )
    }
}

pub fn sdk(addr: SocketAddr) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap()
}

pub async fn sdk_get(client: &Client) -> types::OrgInvite {
    let answer = client
        .instance_org_invite_get()
        .instance_id(INSTANCE)
        .org_id(ORG)
        .invite_id(INVITE)
        .send()
        .await;
    answer.unwrap().into_inner()
}

/// The list of the organization `org` through the SDK.
pub async fn sdk_list(client: &Client, org: &str) -> types::OrgInviteCollection {
    let answer = client
        .instance_org_invites_get()
        .instance_id(INSTANCE)
        .org_id(org)
        .send()
        .await;
    answer.unwrap().into_inner()
}

/// The members of [`MEMBERS_ORG`] through the SDK.
pub async fn sdk_members(client: &Client) -> types::OrgMemberCollection {
    let answer = client
        .instance_org_members_get()
        .instance_id(INSTANCE)
        .org_id(MEMBERS_ORG)
        .send()
        .await;
    answer.unwrap().into_inner()
}

/// The same members through raw reqwest, decoded into the same type.
pub async fn reqwest_members(client: &reqwest::Client, wire: &Wire) -> types::OrgMemberCollection {
    reqwest_json(client.get(wire.members_url()), wire).await
}

/// The same members through raw hyper.
pub async fn hyper_members(client: &HyperClient, wire: &Wire) -> types::OrgMemberCollection {
    let request = hyper_head(wire.members_url(), wire);
    hyper_json(client, request.body(Full::default()).unwrap()).await
}

/// The same list through raw reqwest, decoded into the same type.
pub async fn reqwest_list(
    client: &reqwest::Client,
    wire: &Wire,
    org: &str,
) -> types::OrgInviteCollection {
    reqwest_json(client.get(wire.list_url(org)), wire).await
}

/// The same list through raw hyper.
pub async fn hyper_list(
    client: &HyperClient,
    wire: &Wire,
    org: &str,
) -> types::OrgInviteCollection {
    let request = hyper_head(wire.list_url(org), wire);
    hyper_json(client, request.body(Full::default()).unwrap()).await
}

/// The body every contender's resendInvite sends, serialized by each on every request.
pub fn role_info() -> types::OrgRoleInfo {
    types::OrgRoleInfo {
        role: Some(types::OrgRole::Edit),
        ..Default::default()
    }
}

pub async fn sdk_resend(client: &Client) -> types::OrgInvite {
    let body = role_info();
    let answer = client
        .instance_org_invite_resend_invite()
        .instance_id(INSTANCE)
        .org_id(ORG)
        .invite_id(INVITE)
        .body(body)
        .send()
        .await;
    answer.unwrap().into_inner()
}

/// A reqwest client configured as the SDK's own: pooled, no redirects, the same timeouts, and
/// reqwest's own retry layer off.
pub fn raw_reqwest() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(losant_invites_client::DEFAULT_REQUEST_TIMEOUT)
        .connect_timeout(losant_invites_client::DEFAULT_CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
        .unwrap()
}

pub async fn reqwest_send(
    client: &reqwest::Client,
    wire: &Wire,
    body: Option<types::OrgRoleInfo>,
) -> types::OrgInvite {
    let request = match body {
        None => client.get(wire.url(INVITE)),
        Some(body) => client.post(wire.url(INVITE)).json(&body),
    };
    reqwest_json(request, wire).await
}

/// Sends `request` with the headers the SDK sends and decodes its answer: raw reqwest's half of
/// every comparison.
async fn reqwest_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    wire: &Wire,
) -> T {
    let response = request
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("accept", "application/json")
        .header("accept-version", &wire.accept_version)
        .header("user-agent", wire.user_agent)
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

pub type HyperClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<Bytes>,
>;

pub fn raw_hyper() -> HyperClient {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

pub async fn hyper_send(
    client: &HyperClient,
    wire: &Wire,
    body: Option<types::OrgRoleInfo>,
) -> types::OrgInvite {
    let mut request = hyper_head(wire.url(INVITE), wire);
    let body = match body {
        None => Full::default(),
        Some(body) => {
            request = request
                .method("POST")
                .header("content-type", "application/json");
            Full::new(Bytes::from(serde_json::to_vec(&body).unwrap()))
        }
    };
    hyper_json(client, request.body(body).unwrap()).await
}

/// A GET of `uri` with the headers the SDK sends, for raw hyper.
fn hyper_head(uri: String, wire: &Wire) -> hyper::http::request::Builder {
    hyper::Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("accept", "application/json")
        .header("accept-version", &wire.accept_version)
        .header("user-agent", wire.user_agent)
}

/// Sends `request` through raw hyper and decodes its answer.
async fn hyper_json<T: serde::de::DeserializeOwned>(
    client: &HyperClient,
    request: hyper::Request<Full<Bytes>>,
) -> T {
    let response = client.request(request).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

/// The server, a single-threaded runtime to drive the clients on, and the three contenders.
pub struct Bench {
    pub wire: Wire,
    pub runtime: tokio::runtime::Runtime,
    pub sdk: Client,
    pub reqwest: reqwest::Client,
    pub hyper: HyperClient,
}

impl Bench {
    pub fn start() -> Self {
        let addr = start_server();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // hyper's pool spawns onto the runtime it is built in.
        let hyper = runtime.block_on(async { raw_hyper() });
        Self {
            wire: Wire::new(addr),
            runtime,
            sdk: sdk(addr),
            reqwest: raw_reqwest(),
            hyper,
        }
    }
}
