//! The SDK/raw ratios, measured paired: the contenders take turns, batch by batch, against one
//! server, and each one's median time is compared. On a shared machine whose load drifts from
//! second to second, turns keep every contender under the same conditions, where criterion's
//! one-after-the-other runs would compare different moments.
//!
//! Prints one line per contender, `paired <group> <contender> <µs per request>`, which
//! `cargo xtask bench` reads.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures_util::future::join_all;

const CONTENDERS: [&str; 3] = ["sdk", "reqwest", "hyper"];
/// Timed turns per contender, after as many untimed ones.
const ROUNDS: usize = 150;

/// Runs `batch(contender)` for each contender in turns and prints each one's median time per
/// request; a batch makes `requests` requests.
fn paired(group: &str, requests: u32, mut batch: impl FnMut(usize)) {
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); CONTENDERS.len()];
    for round in 0..2 * ROUNDS {
        // Rotate who goes first, so no contender always follows the same one.
        for offset in 0..CONTENDERS.len() {
            let contender = (round + offset) % CONTENDERS.len();
            let started = Instant::now();
            batch(contender);
            if round >= ROUNDS {
                times[contender].push(started.elapsed() / requests);
            }
        }
    }
    for (name, mut samples) in CONTENDERS.iter().zip(times) {
        samples.sort();
        println!(
            "paired {group} {name} {:.3}",
            samples[samples.len() / 2].as_secs_f64() * 1e6
        );
    }
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
}
