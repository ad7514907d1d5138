//! Planning, alone: no I/O, so what it costs is the plan function's own work. A 10 000-row
//! roster invited against a snapshot of 10 000 invites (a third of them the roster's people,
//! pending or expired), and a 20 000-row roster synced, with pruning, against 10 000 members
//! and 10 000 invites: each target well under 50 ms.

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use losant_invites_client::types;
use losant_invites_housekeeping::{
    Org, RemovalCap, Roster, Snapshot, SyncOptions, plan_roster, plan_sync,
};

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
            invite(n, &email, now - Duration::days((n % 14) as i64))
        })
        .collect();
    Snapshot::new(org(), now, invites)
}

/// Invite number `n`, of `email`, sent at `sent`, a week to live, every role in turn.
fn invite(n: usize, email: &str, sent: DateTime<Utc>) -> types::OrgInvite {
    serde_json::from_value(serde_json::json!({
        "id": format!("{n:024x}"),
        "email": email,
        "role": ROLES[n % 5],
        "applicationRoles": [],
        "inviteDate": sent.to_rfc3339(),
        "ttl": 604_800_000,
    }))
    .unwrap()
}

fn roster(size: usize) -> Roster {
    let mut text = "email,role\n".to_owned();
    for n in 0..size {
        text.push_str(&format!("person{n}@example.com,{}\n", ROLES[(n + 1) % 5]));
    }
    Roster::parse(text.as_bytes()).unwrap()
}

/// An organization of 10 000 members (`member{n}`, every role in turn) and 10 000 invites
/// (`invitee{n}`, pending and expired in turn), and a roster of 20 000: 8 000 of the members
/// (the editors with another role), 8 000 of the invitees (other roles in turn), 4 000 new.
/// Synced with pruning, 2 000 members are removed and 2 000 invites revoked.
fn organization(now: DateTime<Utc>) -> (Snapshot, Roster) {
    let members: Vec<types::OrgMember> = (0..10_000)
        .map(|n| {
            serde_json::from_value(serde_json::json!({
                "userId": format!("{:024x}", 1_000_000 + n),
                "email": format!("Member{n}@Example.com"),
                "role": ROLES[n % 5],
            }))
            .unwrap()
        })
        .collect();
    let invites: Vec<types::OrgInvite> = (0..10_000)
        .map(|n| {
            let sent = now - Duration::days(if n % 2 == 0 { 1 } else { 30 });
            invite(n, &format!("invitee{n}@example.org"), sent)
        })
        .collect();
    let mut text = "email,role\n".to_owned();
    for n in 0..8_000 {
        let role = if n % 5 == 1 {
            ROLES[(n + 1) % 5]
        } else {
            ROLES[n % 5]
        };
        text.push_str(&format!("member{n}@example.com,{role}\n"));
    }
    for n in 0..8_000 {
        text.push_str(&format!("invitee{n}@example.org,{}\n", ROLES[(n / 2) % 5]));
    }
    for n in 0..4_000 {
        text.push_str(&format!("new{n}@example.net,view\n"));
    }
    let snapshot = Snapshot::new(org(), now, invites).with_members(members);
    (snapshot, Roster::parse(text.as_bytes()).unwrap())
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
    let (organization, roster) = organization(now);
    let options = SyncOptions {
        prune: true,
        max_removals: RemovalCap::Percent(100.0),
        ..SyncOptions::default()
    };
    let plan = plan_sync::plan(&organization, &roster, &options).expect("within the rules");
    assert_eq!(
        plan.steps.len(),
        24_000,
        "every roster row, and 4 000 pruned"
    );
    group.bench_function("sync_20000_vs_20000", |b| {
        b.iter(|| plan_sync::plan(&organization, &roster, &options))
    });
    group.finish();
}

criterion_group!(benches, plans);
criterion_main!(benches);
