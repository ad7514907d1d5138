//! What the client costs over raw HTTP: the SDK, raw reqwest and raw hyper sending the
//! identical request to one local server, in the same run.
//!
//! The server is a minimal hyper server answering every request with a fixed body, not the
//! fake Losant: the fake validates and logs every request (its log grows without bound over
//! millions of requests), which would make the server, not the client, the thing measured.
//!
//! `cargo xtask bench` runs a short version and prints the ratios; `cargo bench -p
//! losant-invites-client` runs the full one.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::{BodyExt, Full};
use losant_invites_client::{Client, types};

const TOKEN: &str = "bench-token";
const INSTANCE: &str = "575ec8687ae143cd83dc4a95";
const ORG: &str = "575ec8687ae143cd83dc4a97";
const INVITE: &str = "575ec8687ae143cd83dc4a94";
const IN_FLIGHT: usize = 32;

/// The documented `OrgInvite` answer.
const INVITE_JSON: &str = r#"{"id":"575ec8687ae143cd83dc4a94","email":"invitee@example.com","role":"edit","applicationRoles":[],"dashboardRoles":[],"inviteDate":"2016-05-13T04:00:00.000Z","ttl":604800000,"hasExpired":false,"disallowTransfer":false}"#;
const ERROR_JSON: &str = r#"{"type":"NotFound","message":"Invite was not found"}"#;

/// Starts the fixed-answer server on its own thread: 201 for POST, 200 otherwise.
fn start_server() -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
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
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        |request: hyper::Request<hyper::body::Incoming>| async move {
                            let status = if request.method() == hyper::Method::POST {
                                201
                            } else {
                                200
                            };
                            let _ = request.into_body().collect().await;
                            let response = hyper::Response::builder()
                                .status(status)
                                .header("content-type", "application/json")
                                .body(Full::new(Bytes::from_static(INVITE_JSON.as_bytes())))
                                .unwrap();
                            Ok::<_, Infallible>(response)
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
struct Wire {
    url: String,
    accept_version: String,
    user_agent: &'static str,
}

impl Wire {
    fn new(addr: SocketAddr) -> Self {
        Self {
            url: format!(
                "http://{addr}/instances/{INSTANCE}/orgs/{ORG}/invites/{INVITE}?_actions=false&_links=true&_embedded=true"
            ),
            accept_version: losant_invites_client::default_accept_version(),
            user_agent: losant_invites_client::default_user_agent(),
        }
    }
}

fn sdk(addr: SocketAddr) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap()
}

async fn sdk_get(client: &Client) -> types::OrgInvite {
    let answer = client
        .instance_org_invite_get()
        .instance_id(INSTANCE)
        .org_id(ORG)
        .invite_id(INVITE)
        .send()
        .await;
    answer.unwrap().into_inner()
}

/// The body every contender's resendInvite sends, serialized by each on every request.
fn role_info() -> types::OrgRoleInfo {
    types::OrgRoleInfo {
        role: Some(types::OrgRole::Edit),
        ..Default::default()
    }
}

async fn sdk_resend(client: &Client) -> types::OrgInvite {
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

/// A reqwest client configured as the SDK's own: pooled, no redirects, the same timeouts.
fn raw_reqwest() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(losant_invites_client::DEFAULT_REQUEST_TIMEOUT)
        .connect_timeout(losant_invites_client::DEFAULT_CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn reqwest_send(
    client: &reqwest::Client,
    wire: &Wire,
    body: Option<types::OrgRoleInfo>,
) -> types::OrgInvite {
    let request = match body {
        None => client.get(&wire.url),
        Some(body) => client.post(&wire.url).json(&body),
    };
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

type HyperClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Full<Bytes>,
>;

fn raw_hyper() -> HyperClient {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

async fn hyper_send(
    client: &HyperClient,
    wire: &Wire,
    body: Option<types::OrgRoleInfo>,
) -> types::OrgInvite {
    let mut request = hyper::Request::builder()
        .uri(&wire.url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("accept", "application/json")
        .header("accept-version", &wire.accept_version)
        .header("user-agent", wire.user_agent);
    let body = match body {
        None => Full::default(),
        Some(body) => {
            request = request
                .method("POST")
                .header("content-type", "application/json");
            Full::new(Bytes::from(serde_json::to_vec(&body).unwrap()))
        }
    };
    let response = client.request(request.body(body).unwrap()).await.unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

fn sequential(c: &mut Criterion) {
    let addr = start_server();
    let wire = Wire::new(addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (client, reqwest, hyper) = (
        sdk(addr),
        raw_reqwest(),
        runtime.block_on(async { raw_hyper() }),
    );
    for (name, resend) in [("get", false), ("resend_invite", true)] {
        let body = || resend.then(role_info);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        group.bench_function("sdk", |b| {
            b.to_async(&runtime).iter(|| async {
                if resend {
                    sdk_resend(&client).await
                } else {
                    sdk_get(&client).await
                }
            })
        });
        group.bench_function("reqwest", |b| {
            b.to_async(&runtime)
                .iter(|| reqwest_send(&reqwest, &wire, body()))
        });
        group.bench_function("hyper", |b| {
            b.to_async(&runtime)
                .iter(|| hyper_send(&hyper, &wire, body()))
        });
        group.finish();
    }
}

fn in_flight(c: &mut Criterion) {
    let addr = start_server();
    let wire = Wire::new(addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (client, reqwest, hyper) = (
        sdk(addr),
        raw_reqwest(),
        runtime.block_on(async { raw_hyper() }),
    );
    let mut group = c.benchmark_group("get_32_in_flight");
    group.throughput(Throughput::Elements(IN_FLIGHT as u64));
    group.bench_function("sdk", |b| {
        b.to_async(&runtime)
            .iter(|| futures_util::future::join_all((0..IN_FLIGHT).map(|_| sdk_get(&client))))
    });
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter(|| {
            futures_util::future::join_all(
                (0..IN_FLIGHT).map(|_| reqwest_send(&reqwest, &wire, None)),
            )
        })
    });
    group.bench_function("hyper", |b| {
        b.to_async(&runtime).iter(|| {
            futures_util::future::join_all((0..IN_FLIGHT).map(|_| hyper_send(&hyper, &wire, None)))
        })
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(1));
    group.bench_function("org_invite", |b| {
        b.iter(|| {
            serde_json::from_str::<types::OrgInvite>(std::hint::black_box(INVITE_JSON)).unwrap()
        })
    });
    group.bench_function("error_body", |b| {
        b.iter(|| {
            losant_invites_client::__internals::api_error(
                404,
                std::hint::black_box(ERROR_JSON.as_bytes()),
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = sequential, in_flight, decode
}
criterion_main!(benches);
