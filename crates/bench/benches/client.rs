//! What the client costs over raw HTTP: the SDK, raw reqwest and raw hyper sending the
//! identical request to one local server, in the same run.
//!
//! The server is a minimal hyper server answering every request with a fixed body, not the
//! fake Losant: the fake validates and logs every request (its log grows without bound over
//! millions of requests), which would make the server, not the client, the thing measured.
//!
//! `cargo xtask bench` runs a short version and prints the ratios; `cargo bench -p
//! losant-invites-client` runs the full one.

mod common;

use std::time::Duration;

use common::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use losant_invites_client::types;

const ERROR_JSON: &str = r#"{"type":"NotFound","message":"Invite was not found"}"#;

fn sequential(c: &mut Criterion) {
    let Bench {
        wire,
        runtime,
        sdk: client,
        reqwest,
        hyper,
    } = Bench::start();
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
    let Bench {
        wire,
        runtime,
        sdk: client,
        reqwest,
        hyper,
    } = Bench::start();
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

/// Lists of 1 000 and 10 000 invites, decoded into the same `OrgInviteCollection` by each, and
/// of 10 000 members into the same `OrgMemberCollection`.
fn lists(c: &mut Criterion) {
    let Bench {
        wire,
        runtime,
        sdk: client,
        reqwest,
        hyper,
    } = Bench::start();
    for (org, size) in LIST_ORGS.iter().zip(LIST_SIZES) {
        let mut group = c.benchmark_group(format!("list_{size}"));
        group.throughput(Throughput::Elements(size as u64));
        group.sample_size(10);
        group.bench_function("sdk", |b| {
            b.to_async(&runtime).iter(|| sdk_list(&client, org))
        });
        group.bench_function("reqwest", |b| {
            b.to_async(&runtime)
                .iter(|| reqwest_list(&reqwest, &wire, org))
        });
        group.bench_function("hyper", |b| {
            b.to_async(&runtime).iter(|| hyper_list(&hyper, &wire, org))
        });
        group.finish();
    }
    let mut group = c.benchmark_group(format!("members_{MEMBERS}"));
    group.throughput(Throughput::Elements(MEMBERS as u64));
    group.sample_size(10);
    group.bench_function("sdk", |b| {
        b.to_async(&runtime).iter(|| sdk_members(&client))
    });
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| reqwest_members(&reqwest, &wire))
    });
    group.bench_function("hyper", |b| {
        b.to_async(&runtime).iter(|| hyper_members(&hyper, &wire))
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
    targets = sequential, in_flight, lists, decode
}
criterion_main!(benches);
