//! The SDK/raw ratios, measured paired: in each round the contenders take turns, a batch each,
//! against one server, and the ratio of a raw contender's time to the SDK's within the round
//! is one sample; the median over the rounds is the ratio. On a shared machine whose load
//! drifts from second to second, a round keeps its contenders under the same conditions, where
//! criterion's one-after-the-other runs would compare different moments.
//!
//! Prints, per group, `ratio <group> <raw contender> <raw time / SDK time>` for each raw
//! contender, which `cargo xtask bench` reads, and `paired <group> <contender> <median µs per
//! request>` for each contender.

mod common;
mod jobs;

use std::time::{Duration, Instant};

use common::*;
use futures_util::future::join_all;
use jobs::{JOB_CREATES, Job};

const CONTENDERS: [&str; 3] = ["sdk", "reqwest", "hyper"];
/// The contenders of a job run: the housekeeping library against raw reqwest doing the same.
const JOB_CONTENDERS: [&str; 2] = ["sdk", "reqwest"];
/// Timed rounds; enough that the median ratio repeats within about ±0.005 from run to run.
const ROUNDS: usize = 1000;
/// Untimed rounds first, for connections, caches and allocator to settle.
const WARM_UP: usize = 200;

/// Runs `batch(contender)` for each contender in turns and prints the ratios and each one's
/// median time per request; a batch makes `requests` requests.
fn paired(group: &str, requests: u32, batch: impl FnMut(usize)) {
    paired_rounds(group, requests, ROUNDS, batch);
}

/// [`paired`] over `rounds` timed rounds (and a fifth as many to warm up), for batches too
/// long for the usual count.
fn paired_rounds(group: &str, requests: u32, rounds: usize, batch: impl FnMut(usize)) {
    paired_among(group, &CONTENDERS, requests, rounds, batch);
}

/// [`paired_rounds`] among `contenders`, the first of them the SDK.
fn paired_among(
    group: &str,
    contenders: &[&str],
    requests: u32,
    rounds: usize,
    mut batch: impl FnMut(usize),
) {
    if !chosen(group) {
        return;
    }
    let warm_up = batches(rounds) - rounds;
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); contenders.len()];
    for round in 0..warm_up + rounds {
        // Rotate who goes first, so no contender always follows the same one.
        for offset in 0..contenders.len() {
            let contender = (round + offset) % contenders.len();
            let started = Instant::now();
            batch(contender);
            if round >= warm_up {
                times[contender].push(started.elapsed() / requests);
            }
        }
    }
    // Each round's contenders ran back to back, under the same load: the ratio of their times
    // within a round is what drift cannot skew, and its median over the rounds is the ratio.
    for (contender, name) in contenders.iter().enumerate().skip(1) {
        let mut ratios: Vec<f64> = times[contender]
            .iter()
            .zip(&times[0])
            .map(|(raw, sdk)| raw.as_secs_f64() / sdk.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        println!("ratio {group} {name} {:.4}", ratios[ratios.len() / 2]);
    }
    for (name, mut samples) in contenders.iter().zip(times) {
        samples.sort();
        println!(
            "paired {group} {name} {:.3}",
            samples[samples.len() / 2].as_secs_f64() * 1e6
        );
    }
}

/// How many batches each contender runs for `rounds` timed rounds: a fifth as many untimed
/// first (at most as many as the timed), to warm up.
fn batches(rounds: usize) -> usize {
    rounds + rounds.min(WARM_UP * rounds / ROUNDS + 1)
}

/// Whether `group` is to be run: all of them, or those whose name holds the first argument
/// that is not an option (`cargo bench --bench paired -- apply`).
fn chosen(group: &str) -> bool {
    static FILTER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    FILTER
        .get_or_init(|| std::env::args().skip(1).find(|arg| !arg.starts_with('-')))
        .as_deref()
        .is_none_or(|filter| group.contains(filter))
}

fn main() {
    let Bench {
        wire,
        runtime,
        sdk: client,
        reqwest,
        hyper,
    } = Bench::start();

    const SEQUENTIAL: u32 = 10;
    paired("get", SEQUENTIAL, |contender| {
        runtime.block_on(async {
            for _ in 0..SEQUENTIAL {
                match contender {
                    0 => drop(sdk_get(&client).await),
                    1 => drop(reqwest_send(&reqwest, &wire, None).await),
                    _ => drop(hyper_send(&hyper, &wire, None).await),
                }
            }
        })
    });
    paired("resend_invite", SEQUENTIAL, |contender| {
        runtime.block_on(async {
            for _ in 0..SEQUENTIAL {
                match contender {
                    0 => drop(sdk_resend(&client).await),
                    1 => drop(reqwest_send(&reqwest, &wire, Some(role_info())).await),
                    _ => drop(hyper_send(&hyper, &wire, Some(role_info())).await),
                }
            }
        })
    });
    paired("get_32_in_flight", IN_FLIGHT as u32, |contender| {
        runtime.block_on(async {
            match contender {
                0 => drop(join_all((0..IN_FLIGHT).map(|_| sdk_get(&client))).await),
                1 => drop(
                    join_all((0..IN_FLIGHT).map(|_| reqwest_send(&reqwest, &wire, None))).await,
                ),
                _ => drop(join_all((0..IN_FLIGHT).map(|_| hyper_send(&hyper, &wire, None))).await),
            }
        })
    });
    // A job: 2 000 creates through the fake, the housekeeping library's run of a roster's
    // plan against raw reqwest sending the same bodies, at the same concurrency; each round's
    // plan and bodies made before the clock starts. A hundred rounds (about ten seconds): with
    // a dozen, the median moved by ±0.08 from run to run on a shared machine; with a hundred,
    // by about ±0.02.
    const JOB_ROUNDS: usize = 100;
    if chosen("apply_2000_creates") {
        let job = Job::start();
        let inputs = job.rounds(batches(JOB_ROUNDS));
        let mut taken = [0; 2];
        paired_among(
            "apply_2000_creates",
            &JOB_CONTENDERS,
            JOB_CREATES as u32,
            JOB_ROUNDS,
            |contender| {
                let round = &inputs[taken[contender]];
                taken[contender] += 1;
                runtime.block_on(async {
                    match contender {
                        0 => job.apply(round.plan()).await,
                        _ => job.raw(round.bodies()).await,
                    }
                })
            },
        );
    }

    // A members' list answers every member at once, as an invites' list does.
    paired_rounds("members_10000", 1, 40, |contender| {
        runtime.block_on(async {
            match contender {
                0 => drop(sdk_members(&client).await),
                1 => drop(reqwest_members(&reqwest, &wire).await),
                _ => drop(hyper_members(&hyper, &wire).await),
            }
        })
    });

    // A list answers every invite at once: decoding is most of its cost.
    for ((org, size), rounds) in LIST_ORGS.iter().zip(LIST_SIZES).zip([200, 40]) {
        paired_rounds(&format!("list_{size}"), 1, rounds, |contender| {
            runtime.block_on(async {
                match contender {
                    0 => drop(sdk_list(&client, org).await),
                    1 => drop(reqwest_list(&reqwest, &wire, org).await),
                    _ => drop(hyper_list(&hyper, &wire, org).await),
                }
            })
        });
    }
}
