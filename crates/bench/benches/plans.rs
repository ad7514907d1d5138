//! Planning, alone: no I/O, so what it costs is the plan function's own work. A 10 000-row
//! roster against a snapshot of 10 000 invites (a third of them the roster's people, pending
//! or expired): target well under 50 ms.

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use losant_invites_client::types;
use losant_invites_housekeeping::{Org, Roster, Snapshot, plan_roster};

const ROLES: [&str; 5] = ["admin", "edit", "collaborate", "view", "none"];

fn org() -> Org {
    Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97").unwrap()
}

/// `size` invites: every third one of a roster person (`person{n}`), the rest of others;
/// pending and expired in turn.
fn snapshot(size: usize, now: DateTime<Utc>) -> Snapshot {
    let invites: Vec<types::OrgInvite> = (0..size)
        .map(|n| {
            let email = match n % 3 {
                0 => format!("Person{n}@Example.com"),
                _ => format!("other{n}@example.org"),
            };
            let sent = now - Duration::days((n % 14) as i64);
            serde_json::from_value(serde_json::json!({
                "id": format!("{n:024x}"),
                "email": email,
                "role": ROLES[n % 5],
                "applicationRoles": [],
                "inviteDate": sent.to_rfc3339(),
                "ttl": 604_800_000,
            }))
            .unwrap()
        })
        .collect();
    Snapshot::new(org(), now, invites)
}

fn roster(size: usize) -> Roster {
    let mut text = "email,role\n".to_owned();
    for n in 0..size {
        text.push_str(&format!("person{n}@example.com,{}\n", ROLES[(n + 1) % 5]));
    }
    Roster::parse(text.as_bytes()).unwrap()
}

fn plans(c: &mut Criterion) {
    let now: DateTime<Utc> = "2026-06-01T00:00:00Z".parse().unwrap();
    let snapshot = snapshot(10_000, now);
    let roster = roster(10_000);
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    group.bench_function("roster_10000_vs_10000", |b| {
        b.iter(|| plan_roster::invite_roster(&snapshot, &roster))
    });
    group.finish();
}

criterion_group!(benches, plans);
criterion_main!(benches);
