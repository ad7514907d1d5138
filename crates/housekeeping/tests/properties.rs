//! The plans as rules, over organizations and rosters made up at random: carrying a plan out
//! and planning again plans nothing; no email ever gets two new invites from one plan; the
//! order Losant lists invites in changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use losant_invites_client::types;
use losant_invites_housekeeping::plan_sync::{self, RemovalCap, SyncOptions, SyncRefusal};
use losant_invites_housekeeping::stale;
use losant_invites_housekeeping::{
    Action, Intent, Org, Plan, Roles, Roster, Selection, Snapshot, email_key, plan_invites,
    plan_roster,
};
use proptest::prelude::*;

const DOMAINS: [&str; 2] = ["example.com", "Example.org"];
const ROLES: [&str; 5] = ["admin", "edit", "collaborate", "view", "none"];

fn org() -> Org {
    Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97").unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

/// One of a few people, written in one of a few cases, so that the same person turns up
/// several times.
fn email() -> impl Strategy<Value = String> {
    (0..6usize, 0..2usize, any::<bool>()).prop_map(|(person, domain, upper)| {
        let email = format!("person{person}@{}", DOMAINS[domain]);
        if upper { email.to_uppercase() } else { email }
    })
}

fn grants() -> impl Strategy<Value = Vec<(u8, usize)>> {
    prop::collection::vec((0..3u8, 0..3usize), 0..3)
}

fn grants_json(grants: &[(u8, usize)]) -> serde_json::Value {
    const RESOURCE_ROLES: [&str; 3] = ["collaborate", "view", "none"];
    serde_json::Value::Array(
        grants
            .iter()
            .map(|(resource, role)| {
                serde_json::json!({
                    "resourceId": format!("575ec8687ae143cd83dc4a{resource:02x}"),
                    "role": RESOURCE_ROLES[*role],
                })
            })
            .collect(),
    )
}

/// An organization's invites: pending or expired, of those people, dated over weeks.
fn invites() -> impl Strategy<Value = Vec<types::OrgInvite>> {
    prop::collection::vec(
        (email(), 0..5usize, grants(), 0..40i64, any::<bool>()),
        0..12,
    )
    .prop_map(|drawn| {
        drawn
            .into_iter()
            .enumerate()
            .map(|(n, (email, role, grants, days_ago, dated))| {
                let date = now() - Duration::days(days_ago) - Duration::minutes(n as i64);
                let mut invite = serde_json::json!({
                    "id": format!("6a5ec8687ae143cd83dc{n:04x}"),
                    "email": email,
                    "role": ROLES[role],
                    "applicationRoles": grants_json(&grants),
                    "ttl": 604_800_000,
                });
                // Some invites come without a date: their expiry is unknown, so they count
                // as pending.
                if dated {
                    invite["inviteDate"] = serde_json::json!(date.to_rfc3339());
                }
                serde_json::from_value(invite).unwrap()
            })
            .collect()
    })
}

/// Members of some of those people, each email once, every role.
fn members() -> impl Strategy<Value = Vec<types::OrgMember>> {
    prop::collection::vec((email(), 0..5usize), 0..6).prop_map(|drawn| {
        let mut seen = HashSet::new();
        drawn
            .into_iter()
            .filter(|(email, _)| seen.insert(email_key(email)))
            .enumerate()
            .map(|(n, (email, role))| {
                serde_json::from_value(serde_json::json!({
                    "userId": format!("5a5ec8687ae143cd83dc{n:04x}"),
                    "email": email,
                    "role": ROLES[role],
                }))
                .unwrap()
            })
            .collect()
    })
}

/// A roster of some of those people, each once.
fn roster() -> impl Strategy<Value = Roster> {
    prop::collection::vec((email(), 0..5usize, grants()), 0..8).prop_map(|rows| {
        let mut seen = HashSet::new();
        let bodies: Vec<types::OrgInvitePost> = rows
            .into_iter()
            .filter(|(email, _, _)| seen.insert(email_key(email)))
            .map(|(email, role, grants)| {
                serde_json::from_value(serde_json::json!({
                    "email": email,
                    "role": ROLES[role],
                    "applicationRoles": grants_json(&grants),
                }))
                .unwrap()
            })
            .collect();
        Roster::new(bodies).unwrap()
    })
}

/// What the organization holds once `plan` is carried out as planned: each invite made,
/// resent or revoked as its step says, every new invite pending.
fn carried_out(snapshot: &Snapshot, plan: &Plan) -> Snapshot {
    let mut invites = snapshot.invites.clone();
    let mut members = snapshot.members.clone();
    for (n, step) in plan.acting().enumerate() {
        let fresh = |email: String, roles: serde_json::Value| -> types::OrgInvite {
            let mut invite = roles;
            invite["id"] = serde_json::json!(format!("7b5ec8687ae143cd83dc{n:04x}"));
            invite["email"] = serde_json::json!(email);
            invite["inviteDate"] = serde_json::json!(snapshot.taken_at.to_rfc3339());
            invite["ttl"] = serde_json::json!(604_800_000);
            serde_json::from_value(invite).unwrap()
        };
        match &step.action {
            Action::Invite { body } => {
                let roles = serde_json::to_value(body).unwrap();
                invites.push(fresh(body.email.to_string(), roles));
            }
            Action::Resend {
                invite_id, info, ..
            } => {
                let old = take(&mut invites, invite_id);
                let roles = serde_json::to_value(info).unwrap();
                invites.push(fresh(old.email.as_deref().unwrap().clone(), roles));
            }
            Action::Renew { invite_id, .. } => {
                let old = take(&mut invites, invite_id);
                let roles = serde_json::to_value(old.role_info().unwrap()).unwrap();
                invites.push(fresh(old.email.as_deref().unwrap().clone(), roles));
            }
            Action::Revoke { invite_id, .. } => {
                take(&mut invites, invite_id);
            }
            Action::SetRole { user_id, patch, .. } => {
                let member = members
                    .iter_mut()
                    .find(|member| member.user_id.as_ref() == Some(user_id))
                    .expect("a step acts on a member the snapshot holds");
                if let Some(role) = patch.role {
                    member.role = Some(serde_json::from_value(serde_json::json!(role)).unwrap());
                }
            }
            Action::RemoveMember { user_id, .. } => {
                members.retain(|member| member.user_id.as_ref() != Some(user_id));
            }
            Action::Get { .. } | Action::Skip => {}
        }
    }
    Snapshot::new(snapshot.org.clone(), snapshot.taken_at, invites).with_members(members)
}

fn take(
    invites: &mut Vec<types::OrgInvite>,
    id: &losant_invites_client::LosantId,
) -> types::OrgInvite {
    let at = invites
        .iter()
        .position(|invite| invite.id.as_ref() == Some(id))
        .expect("a step acts on an invite the snapshot holds");
    invites.remove(at)
}

/// The emails each step of `plan` leaves with a new pending invite (an invite made, or one
/// resent or renewed).
fn invitations_by_email(plan: &Plan) -> HashMap<String, usize> {
    let mut made = HashMap::new();
    for step in plan.acting() {
        let email = match &step.action {
            Action::Invite { body } => Some(body.email.to_string()),
            Action::Resend { before, .. } | Action::Renew { before, .. } => {
                before.as_deref().and_then(|i| i.email.as_deref().cloned())
            }
            _ => None,
        };
        if let Some(email) = email {
            *made.entry(email_key(&email)).or_default() += 1;
        }
    }
    made
}

/// The emails each step of `plan` leaves with a new pending invite.
fn new_invites_by_email(snapshot: &Snapshot, plan: &Plan) -> HashMap<String, usize> {
    let mut made = HashMap::new();
    for step in plan.acting() {
        let email = match &step.action {
            Action::Invite { body } => Some(body.email.to_string()),
            Action::Resend { before, .. } | Action::Renew { before, .. } => before
                .as_deref()
                .filter(|invite| !snapshot.is_pending(invite))
                .and_then(|invite| invite.email.as_deref().cloned()),
            _ => None,
        };
        if let Some(email) = email {
            *made.entry(email_key(&email)).or_default() += 1;
        }
    }
    made
}

fn pending_by_email(snapshot: &Snapshot) -> HashMap<String, usize> {
    let mut pending = HashMap::new();
    for invite in snapshot.invites.iter().filter(|i| snapshot.is_pending(i)) {
        *pending
            .entry(email_key(invite.email.as_deref().unwrap()))
            .or_default() += 1;
    }
    pending
}

proptest! {
    // Failing cases are kept beside this file, to be run first next time.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_roster_carried_out_plans_nothing_when_planned_again(invites in invites(), roster in roster()) {
        let snapshot = Snapshot::new(org(), now(), invites);
        let plan = plan_roster::invite_roster(&snapshot, &roster);
        let after = carried_out(&snapshot, &plan);
        let again = plan_roster::invite_roster(&after, &roster);
        prop_assert!(again.is_empty(), "{:#?}", again.acting().collect::<Vec<_>>());
        // Everyone on the roster has a pending invite, and nobody who had none has two.
        let pending = pending_by_email(&after);
        let before = pending_by_email(&snapshot);
        for entry in &roster.entries {
            let key = email_key(entry.email());
            prop_assert!(pending.get(&key).copied().unwrap_or(0) >= 1, "{key}");
            prop_assert!(pending[&key] <= before.get(&key).copied().unwrap_or(0).max(1), "{key}");
        }
    }

    #[test]
    fn a_roster_plan_never_makes_two_invites_for_one_email(invites in invites(), roster in roster()) {
        let snapshot = Snapshot::new(org(), now(), invites);
        let plan = plan_roster::invite_roster(&snapshot, &roster);
        let pending = pending_by_email(&snapshot);
        for (email, count) in new_invites_by_email(&snapshot, &plan) {
            prop_assert_eq!(count, 1, "{}", email);
            prop_assert_eq!(pending.get(&email), None, "{} had a pending invite", email);
        }
        // A step is planned for each person, in the roster's order.
        prop_assert_eq!(plan.steps.len(), roster.entries.len());
    }

    #[test]
    fn a_roster_plan_does_not_depend_on_the_listing_s_order(invites in invites(), roster in roster(), seed in any::<u64>()) {
        let snapshot = Snapshot::new(org(), now(), invites.clone());
        let mut shuffled = invites;
        shuffle(&mut shuffled, seed);
        let reordered = Snapshot::new(org(), now(), shuffled);
        prop_assert_eq!(
            plan_roster::invite_roster(&snapshot, &roster),
            plan_roster::invite_roster(&reordered, &roster)
        );
    }

    #[test]
    fn renewing_the_expired_leaves_one_pending_invite_per_email_and_converges(invites in invites()) {
        let snapshot = Snapshot::new(org(), now(), invites);
        let expired = Selection { expired: true, ..Default::default() };
        let plan = plan_invites::for_selection(&snapshot, &expired, &Intent::Renew);
        for (email, count) in new_invites_by_email(&snapshot, &plan) {
            prop_assert_eq!(count, 1, "{}", email);
        }
        let after = carried_out(&snapshot, &plan);
        let before = pending_by_email(&snapshot);
        for (email, count) in pending_by_email(&after) {
            prop_assert!(count <= before.get(&email).copied().unwrap_or(0).max(1), "{email}: {count}");
        }
        let again = plan_invites::for_selection(&after, &expired, &Intent::Renew);
        prop_assert!(again.is_empty(), "{:#?}", again.acting().collect::<Vec<_>>());
    }

    #[test]
    fn a_selection_plan_does_not_depend_on_the_listing_s_order(invites in invites(), seed in any::<u64>(), role in 0..5usize) {
        let selection = Selection {
            expired: true,
            role: Some(ROLES[role].parse().unwrap()),
            ..Default::default()
        };
        for intent in [Intent::Renew, Intent::Revoke] {
            let one = plan_invites::for_selection(&Snapshot::new(org(), now(), invites.clone()), &selection, &intent);
            let mut shuffled = invites.clone();
            shuffle(&mut shuffled, seed);
            let other = plan_invites::for_selection(&Snapshot::new(org(), now(), shuffled), &selection, &intent);
            prop_assert_eq!(sorted_steps(&one), sorted_steps(&other));
        }
    }
}

fn sync_options() -> impl Strategy<Value = SyncOptions> {
    (any::<bool>(), 0..3usize).prop_map(|(prune, min_admins)| SyncOptions {
        prune,
        // Any cap: the plan is refused or within it.
        max_removals: RemovalCap::Count(usize::MAX),
        min_admins,
        keep: Vec::new(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_sync_carried_out_plans_nothing_when_planned_again(
        invites in invites(),
        members in members(),
        roster in roster(),
        options in sync_options(),
    ) {
        let snapshot = Snapshot::new(org(), now(), invites).with_members(members);
        let Ok(plan) = plan_sync::plan(&snapshot, &roster, &options) else {
            // Refused as a whole (too few administrators): nothing to carry out.
            return Ok(());
        };
        let after = carried_out(&snapshot, &plan);
        let again = plan_sync::plan(&after, &roster, &options).expect("the same rules hold after");
        prop_assert!(again.is_empty(), "{:#?}", again.acting().collect::<Vec<_>>());
        // Everyone on the roster has access with the roster's role, and, pruned, nobody else.
        for entry in &roster.entries {
            let key = email_key(entry.email());
            let member = after.members_by_email().get(&key).map(|m| m.role.as_ref().map(ToString::to_string));
            let pending = after.invites.iter().any(|i| {
                i.email.as_deref().is_some_and(|e| email_key(e) == key)
                    && after.is_pending(i)
                    && Roles::of_invite(i) == Roles::of_post(&entry.invite)
            });
            prop_assert!(
                member == Some(Some(entry.invite.role.to_string())) || (member.is_none() && pending),
                "{key}"
            );
        }
        if options.prune {
            let wanted: HashSet<String> = roster.entries.iter().map(|e| email_key(e.email())).collect();
            for member in &after.members {
                prop_assert!(wanted.contains(&email_key(member.email.as_deref().unwrap())));
            }
            for invite in &after.invites {
                let key = email_key(invite.email.as_deref().unwrap());
                prop_assert!(wanted.contains(&key) && !after.members_by_email().contains_key(&key));
            }
        }
    }

    #[test]
    fn a_sync_never_invites_one_email_twice_nor_a_member(
        invites in invites(),
        members in members(),
        roster in roster(),
        options in sync_options(),
    ) {
        let snapshot = Snapshot::new(org(), now(), invites).with_members(members);
        let Ok(plan) = plan_sync::plan(&snapshot, &roster, &options) else {
            return Ok(());
        };
        let members = snapshot.members_by_email();
        for (email, count) in invitations_by_email(&plan) {
            prop_assert_eq!(count, 1, "{}", email);
            prop_assert!(!members.contains_key(&email), "{} is a member", email);
        }
        // No invite or member is acted on twice.
        let mut touched = HashSet::new();
        for step in plan.acting() {
            let id = step.action.invite_id().or(step.action.user_id()).map(|id| id.to_string());
            if let Some(id) = id {
                prop_assert!(touched.insert(id.clone()), "{} twice", id);
            }
        }
    }

    #[test]
    fn a_sync_plan_does_not_depend_on_the_listing_s_order(
        invites in invites(),
        members in members(),
        roster in roster(),
        options in sync_options(),
        seed in any::<u64>(),
    ) {
        let one = Snapshot::new(org(), now(), invites.clone()).with_members(members.clone());
        let (mut invites, mut members) = (invites, members);
        shuffle(&mut invites, seed);
        shuffle(&mut members, seed.rotate_left(7));
        let other = Snapshot::new(org(), now(), invites).with_members(members);
        prop_assert_eq!(plan_sync::plan(&one, &roster, &options), plan_sync::plan(&other, &roster, &options));
    }

    #[test]
    fn a_saved_sync_plan_is_fresh_until_carried_out_and_never_applies_twice(
        invites in invites(),
        members in members(),
        roster in roster(),
        options in sync_options(),
    ) {
        let snapshot = Snapshot::new(org(), now(), invites).with_members(members);
        let Ok(plan) = plan_sync::plan(&snapshot, &roster, &options) else {
            return Ok(());
        };
        let saved: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
        prop_assert_eq!(&saved, &plan);
        prop_assert_eq!(saved.fingerprint.clone(), Some(snapshot.fingerprint()));
        prop_assert_eq!(stale::check(&saved, &snapshot), Ok(()));
        let after = carried_out(&snapshot, &saved);
        if saved.is_empty() {
            prop_assert_eq!(after.fingerprint(), snapshot.fingerprint());
        } else {
            prop_assert_ne!(after.fingerprint(), snapshot.fingerprint());
            let refused = stale::check(&saved, &after);
            prop_assert!(refused.is_err(), "a plan carried out is stale");
        }
    }

    #[test]
    fn a_sync_plan_keeps_its_administrators_and_its_cap(
        invites in invites(),
        members in members(),
        roster in roster(),
        min_admins in 0..3usize,
        cap in 0..6usize,
        percent in any::<bool>(),
    ) {
        let snapshot = Snapshot::new(org(), now(), invites).with_members(members);
        let options = SyncOptions {
            prune: true,
            max_removals: if percent { RemovalCap::Percent(cap as f64 * 10.0) } else { RemovalCap::Count(cap) },
            min_admins,
            keep: Vec::new(),
        };
        let access = plan_sync::access(&snapshot);
        match plan_sync::plan(&snapshot, &roster, &options) {
            Ok(plan) => {
                prop_assert!(plan_sync::removals(&plan) <= options.max_removals.limit(access));
                let left = plan_sync::admins_left(&snapshot, &plan);
                prop_assert!(left >= min_admins || left >= snapshot.admins(), "{left}");
            }
            Err(SyncRefusal::EmptyRoster) => prop_assert!(roster.entries.is_empty()),
            Err(refusal) => {
                let unbounded = SyncOptions {
                    max_removals: RemovalCap::Count(usize::MAX),
                    min_admins: 0,
                    ..options.clone()
                };
                let plan = plan_sync::plan(&snapshot, &roster, &unbounded).expect("no rule to break");
                let over_cap = plan_sync::removals(&plan) > options.max_removals.limit(access);
                let left = plan_sync::admins_left(&snapshot, &plan);
                let too_few = left < min_admins && left < snapshot.admins();
                prop_assert!(over_cap || too_few, "refused for nothing: {refusal}");
            }
        }
    }
}

/// The steps of a plan as text, sorted: a plan of invites follows the listing's order.
fn sorted_steps(plan: &Plan) -> Vec<String> {
    let mut steps: Vec<String> = plan
        .steps
        .iter()
        .map(|step| serde_json::to_string(step).unwrap())
        .collect();
    steps.sort();
    steps
}

/// A shuffle driven by `seed`, so that a failing case can be replayed.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

#[test]
fn the_same_roles_in_another_order_are_already_pending() {
    let invite: types::OrgInvite = serde_json::from_value(serde_json::json!({
        "id": "6a5ec8687ae143cd83dc0001",
        "email": "Ana@Example.com",
        "role": "view",
        "applicationRoles": [
            {"resourceId": "575ec8687ae143cd83dc4a91", "role": "view"},
            {"resourceId": "575ec8687ae143cd83dc4a90", "role": "none"},
        ],
        "hasExpired": false,
    }))
    .unwrap();
    let snapshot = Snapshot::new(org(), now(), vec![invite.clone()]);
    let roster = Roster::parse(
        b"email,role,applicationRoles\nana@example.com,View,575ec8687ae143cd83dc4a90=none;575ec8687ae143cd83dc4a91=view\n",
    )
    .unwrap();
    let plan = plan_roster::invite_roster(&snapshot, &roster);
    assert!(plan.is_empty(), "{plan:#?}");
    assert_eq!(
        Roles::of_invite(&invite),
        Roles::of_post(&roster.entries[0].invite)
    );
}
