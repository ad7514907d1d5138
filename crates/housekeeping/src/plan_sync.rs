//! Planning to make an organization's access match a roster: "these people, with these roles,
//! have access; nobody else". A pure function of the access snapshot (members and invites),
//! the roster and the options, safe by construction: nobody is removed without `prune`, the
//! removals (revocations and demotions alike) never pass their cap, the administrators never
//! fall below their minimum, `keep` protects whom it names, and a plan that breaks a rule is
//! refused whole, before anything is done.
//!
//! Losant's member shows no application or dashboard roles, so a member is compared by their
//! organization role; when that differs, the roster's grants are sent with it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use losant_invites_client::{LosantId, types};
use wildmatch::WildMatch;

use crate::identity::email_key;
use crate::plan::{Action, Plan, Reason, Step, Subject};
use crate::roles::{Roles, exact_info_of_post};
use crate::roster::{Entry, Roster};
use crate::snapshot::{Snapshot, is_admin, newest};

/// How a sync may act.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncOptions {
    /// Remove the members and revoke the invites of everyone not on the roster, and revoke
    /// the invites of people who are members already; without it nothing is removed.
    pub prune: bool,
    /// The most removals a plan may hold: member removals, invite revocations and role
    /// demotions alike.
    pub max_removals: RemovalCap,
    /// The fewest administrators the organization may end with.
    pub min_admins: usize,
    /// Globs of emails (`*` for any run of characters, `?` for one, any case) whom the sync
    /// never removes or demotes.
    pub keep: Vec<String>,
}

impl Default for SyncOptions {
    /// No pruning, at most 5 removals, at least 1 administrator, nobody kept.
    fn default() -> Self {
        Self {
            prune: false,
            max_removals: RemovalCap::Count(5),
            min_admins: 1,
            keep: Vec::new(),
        }
    }
}

/// The cap on a plan's removals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RemovalCap {
    /// At most this many.
    Count(usize),
    /// At most this share of the current access, in percent, rounded down: of the members
    /// and the invites (pending or expired), everything a removal could take.
    Percent(f64),
}

impl RemovalCap {
    /// The most removals allowed where `access` members and invites are held now (see
    /// [`access`]).
    pub fn limit(self, access: usize) -> usize {
        match self {
            RemovalCap::Count(count) => count,
            RemovalCap::Percent(percent) => {
                ((access as f64) * percent.clamp(0.0, 100.0) / 100.0).floor() as usize
            }
        }
    }
}

impl FromStr for RemovalCap {
    type Err = String;

    /// `N` removals, or `N%` of the current access (a number from 0 to 100, fractions
    /// allowed).
    ///
    /// ```
    /// use losant_invites_housekeeping::RemovalCap;
    ///
    /// assert_eq!("5".parse(), Ok(RemovalCap::Count(5)));
    /// assert_eq!("12.5%".parse(), Ok(RemovalCap::Percent(12.5)));
    /// assert!("150%".parse::<RemovalCap>().is_err());
    /// assert!("five".parse::<RemovalCap>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        match text.strip_suffix('%') {
            Some(number) => match number.trim().parse::<f64>() {
                Ok(percent) if (0.0..=100.0).contains(&percent) => Ok(RemovalCap::Percent(percent)),
                _ => Err(format!(
                    "{text:?} is not a share of the access: give a percentage from 0% to 100%"
                )),
            },
            None => text.parse().map(RemovalCap::Count).map_err(|_| {
                format!("{text:?} is neither a count nor a percentage: give N (such as 5) or N% (such as 10%)")
            }),
        }
    }
}

impl fmt::Display for RemovalCap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemovalCap::Count(count) => write!(f, "{count}"),
            RemovalCap::Percent(percent) => write!(f, "{percent}%"),
        }
    }
}

/// Why a sync's plan is refused, before anything is done.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncRefusal {
    /// The roster names nobody: with `prune` it would remove everyone.
    EmptyRoster,
    /// More removals (revocations and demotions included) than the cap allows.
    TooManyRemovals {
        /// How many the plan holds.
        planned: usize,
        /// How many the cap allows.
        allowed: usize,
        /// The cap as given.
        cap: RemovalCap,
    },
    /// The organization would end with fewer administrators than its minimum.
    TooFewAdmins {
        /// How many would be left.
        left: usize,
        /// The minimum.
        min: usize,
    },
}

impl fmt::Display for SyncRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncRefusal::EmptyRoster => f.write_str("the roster names nobody"),
            SyncRefusal::TooManyRemovals {
                planned,
                allowed,
                cap,
            } => write!(
                f,
                "the plan removes, revokes or demotes {planned}, more than the {allowed} allowed (max removals {cap})"
            ),
            SyncRefusal::TooFewAdmins { left, min } => write!(
                f,
                "the plan would leave {left} administrator{}, fewer than the {min} required (min admins)",
                if *left == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for SyncRefusal {}

/// The rank of an organization role, to tell a demotion: admin, edit, collaborate, view,
/// none; a role newer than this client ranks above them all, so that any change of it counts
/// as a demotion.
fn rank(role: &str) -> u8 {
    match role {
        "none" => 0,
        "view" => 1,
        "collaborate" => 2,
        "edit" => 3,
        "admin" => 4,
        _ => 5,
    }
}

/// Whether setting organization role `wanted` where `held` is (none: not a member) demotes:
/// the roles rank admin, edit, collaborate, view, none, and a role newer than this client
/// above them all.
///
/// ```
/// use losant_invites_housekeeping::plan_sync::demotes;
///
/// assert!(demotes(Some("admin"), "edit"));
/// assert!(!demotes(Some("view"), "edit"));
/// assert!(!demotes(None, "view"));
/// ```
pub fn demotes(held: Option<&str>, wanted: &str) -> bool {
    held.is_some_and(|held| rank(wanted) < rank(held))
}

/// The plan of making `snapshot`'s organization match `roster`, each email compared trimmed
/// and without regard to case:
///
/// | on the roster, the email has | the step |
/// | --- | --- |
/// | a membership with the roster's role | nothing ([`Reason::InSync`]) |
/// | a membership with another role | the roster's roles set ([`Reason::RoleDiffers`]) |
/// | a pending invite with the roster's roles | nothing ([`Reason::AlreadyPending`]) |
/// | a pending invite with other roles | resent with the roster's ([`Reason::PendingWithOtherRoles`]) |
/// | only expired invites | the newest renewed with the roster's ([`Reason::OnlyExpired`]) |
/// | nothing | invited ([`Reason::NotInvited`]) |
///
/// With `prune`: a member not on the roster is removed and an invite not on the roster
/// revoked ([`Reason::NotOnRoster`]); an invite of a member is revoked as redundant, and any
/// other invite of a roster email beside the one kept as a duplicate. `keep` protects from
/// removal and demotion.
///
/// # Errors
/// A [`SyncRefusal`] when the roster is empty, the removals pass their cap, or the
/// administrators would fall below their minimum.
///
/// ```
/// use losant_invites_housekeeping::{Action, Org, Roster, Snapshot, plan_sync::{self, SyncOptions}};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let members = serde_json::from_str(r#"[
///   {"userId": "575ef90f7ae143cd83dc4aad", "email": "ada@example.com", "role": "admin"},
///   {"userId": "575ef90f7ae143cd83dc4aae", "email": "bo@example.com", "role": "view"}
/// ]"#)?;
/// let snapshot = Snapshot::new(org, chrono::Utc::now(), Vec::new()).with_members(members);
/// let roster = Roster::parse(b"email,role\nada@example.com,admin\nana@example.com,edit\n")?;
/// let options = SyncOptions { prune: true, ..Default::default() };
/// let plan = plan_sync::plan(&snapshot, &roster, &options)?;
/// let kinds: Vec<_> = plan.acting().map(|step| step.action.losant_name().unwrap()).collect();
/// assert_eq!(kinds, ["instanceOrgInvites.post", "instanceOrgMember.delete"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan(
    snapshot: &Snapshot,
    roster: &Roster,
    options: &SyncOptions,
) -> Result<Plan, SyncRefusal> {
    if roster.entries.is_empty() {
        return Err(SyncRefusal::EmptyRoster);
    }
    let keep: Vec<(String, WildMatch)> = options
        .keep
        .iter()
        .map(|glob| (glob.clone(), WildMatch::new_case_insensitive(glob)))
        .collect();
    let kept_by = |email: Option<&str>| -> Option<String> {
        let email = email?.trim();
        keep.iter()
            .find(|(_, pattern)| pattern.matches(email))
            .map(|(glob, _)| glob.clone())
    };
    let members = snapshot.members_by_email();
    let invites = snapshot.invites_by_email();
    // Each roster email's key, worked out once.
    let keys: Vec<String> = roster
        .entries
        .iter()
        .map(|e| email_key(e.email()))
        .collect();
    let wanted: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let mut steps = Vec::with_capacity(roster.entries.len());
    // The invite each roster email keeps or renews.
    let mut taken: HashMap<&str, LosantId> = HashMap::new();

    for (entry, key) in roster.entries.iter().zip(&keys) {
        let held = invites.get(key).map_or(&[][..], Vec::as_slice);
        let step = match members.get(key) {
            Some(member) => member_step(entry, member, &kept_by),
            None => {
                let (step, kept) = invite_step(snapshot, entry, held);
                if let Some(kept) = kept {
                    taken.insert(key.as_str(), kept);
                }
                step
            }
        };
        steps.push(step);
    }

    if options.prune {
        // A member whose email Losant does not show cannot be told from the roster's people:
        // left alone.
        let mut gone: Vec<&types::OrgMember> = snapshot
            .members
            .iter()
            .filter(|member| {
                member
                    .email
                    .as_deref()
                    .is_some_and(|email| !wanted.contains(email_key(email).as_str()))
            })
            .collect();
        gone.sort_by_cached_key(|member| member.email.as_deref().map(|e| email_key(e)));
        for member in gone {
            let Some(user_id) = member.user_id else {
                continue;
            };
            let email = member.email.as_deref().map(String::as_str);
            let subject = Subject {
                invite_id: None,
                user_id: Some(user_id),
                email: email.map(str::to_owned),
                line: None,
            };
            steps.push(match kept_by(email) {
                Some(glob) => Step {
                    subject,
                    action: Action::Skip,
                    reason: Reason::Kept { glob },
                },
                None => Step {
                    subject,
                    action: Action::RemoveMember {
                        user_id,
                        before: Some(Box::new(member.clone())),
                    },
                    reason: Reason::NotOnRoster,
                },
            });
        }
        let mut revoked: Vec<&types::OrgInvite> = snapshot.invites.iter().collect();
        revoked.sort_by_cached_key(|invite| {
            (
                invite.email.as_deref().map(|e| email_key(e)),
                invite
                    .id
                    .as_ref()
                    .map(|id| id.as_str().to_ascii_lowercase()),
            )
        });
        for invite in revoked {
            let Some(invite_id) = invite.id else {
                continue;
            };
            let email = invite.email.as_deref().map(String::as_str);
            let key = email.map(email_key).unwrap_or_default();
            let reason = if let Some(member) = members.get(&key) {
                Reason::RedundantInvite {
                    user_id: member.user_id,
                }
            } else if wanted.contains(key.as_str()) {
                match taken.get(key.as_str()) {
                    Some(kept) if *kept == invite_id => continue,
                    kept => Reason::DuplicateInvite {
                        kept: kept.cloned(),
                    },
                }
            } else if let Some(glob) = kept_by(email) {
                Reason::Kept { glob }
            } else {
                Reason::NotOnRoster
            };
            let action = match reason {
                Reason::Kept { .. } => Action::Skip,
                _ => Action::Revoke {
                    invite_id,
                    before: Some(Box::new(invite.clone())),
                },
            };
            steps.push(Step {
                subject: Subject {
                    invite_id: Some(invite_id),
                    user_id: None,
                    email: email.map(str::to_owned),
                    line: None,
                },
                action,
                reason,
            });
        }
    }

    let plan = Plan {
        fingerprint: Some(snapshot.fingerprint()),
        ..Plan::of_snapshot(snapshot, steps)
    };
    check(snapshot, &plan, options)?;
    Ok(plan)
}

/// The step of a roster person who is a member.
fn member_step(
    entry: &Entry,
    member: &types::OrgMember,
    kept_by: &impl Fn(Option<&str>) -> Option<String>,
) -> Step {
    let subject = Subject {
        invite_id: None,
        user_id: member.user_id,
        email: Some(entry.email().to_owned()),
        line: Some(entry.line),
    };
    let held = member.role.as_ref().map(ToString::to_string);
    let wanted = entry.invite.role.to_string();
    let skip = |reason| Step {
        subject: subject.clone(),
        action: Action::Skip,
        reason,
    };
    if held.as_deref() == Some(wanted.as_str()) {
        return skip(Reason::InSync);
    }
    if demotes(held.as_deref(), &wanted)
        && let Some(glob) = kept_by(Some(entry.email()))
    {
        return skip(Reason::Kept { glob });
    }
    let Some(user_id) = member.user_id else {
        return skip(Reason::InSync);
    };
    Step {
        subject: subject.clone(),
        action: Action::SetRole {
            user_id,
            patch: {
                let exact = exact_info_of_post(&entry.invite);
                types::OrgMemberPatch {
                    role: exact.role,
                    application_roles: exact.application_roles,
                    dashboard_roles: exact.dashboard_roles,
                }
            },
            before: Some(Box::new(member.clone())),
        },
        reason: Reason::RoleDiffers { held, wanted },
    }
}

/// The step of a roster person who is not a member, with `held` their invites, and the invite
/// it keeps or renews.
fn invite_step(
    snapshot: &Snapshot,
    entry: &Entry,
    held: &[&types::OrgInvite],
) -> (Step, Option<LosantId>) {
    let subject = |invite: Option<&types::OrgInvite>| Subject {
        invite_id: invite.and_then(|invite| invite.id),
        user_id: None,
        email: Some(entry.email().to_owned()),
        line: Some(entry.line),
    };
    let wanted = Roles::of_post(&entry.invite);
    let pending = || held.iter().copied().filter(|i| snapshot.is_pending(i));
    if let Some(same) = newest(pending().filter(|i| Roles::of_invite(i) == wanted)) {
        let step = Step {
            subject: subject(Some(same)),
            action: Action::Skip,
            reason: Reason::AlreadyPending { invite_id: same.id },
        };
        return (step, same.id);
    }
    let (target, reason) = match newest(pending()) {
        Some(other) => (
            Some(other),
            Reason::PendingWithOtherRoles {
                invite_id: other.id,
                held: Roles::of_invite(other),
                wanted,
            },
        ),
        None => (newest(held.iter().copied()), Reason::OnlyExpired),
    };
    match target.and_then(|invite| Some((invite, invite.id?))) {
        Some((invite, invite_id)) => (
            Step {
                subject: subject(Some(invite)),
                action: Action::Resend {
                    invite_id,
                    info: exact_info_of_post(&entry.invite),
                    before: Some(Box::new(invite.clone())),
                },
                reason,
            },
            Some(invite_id),
        ),
        None => (
            Step {
                subject: subject(None),
                action: Action::Invite {
                    body: entry.invite.clone(),
                },
                reason: Reason::NotInvited,
            },
            None,
        ),
    }
}

/// How much access `snapshot` holds, as a share of which a [`RemovalCap::Percent`] counts:
/// its members and its invites, pending or expired.
pub fn access(snapshot: &Snapshot) -> usize {
    snapshot.members.len() + snapshot.invites.len()
}

/// How many steps of `plan` take access away: member removals, invite revocations and role
/// demotions.
pub fn removals(plan: &Plan) -> usize {
    plan.steps
        .iter()
        .filter(|step| match &step.action {
            Action::RemoveMember { .. } | Action::Revoke { .. } => true,
            Action::SetRole { patch, before, .. } => demotes(
                before
                    .as_deref()
                    .and_then(|m| m.role.as_ref())
                    .map(ToString::to_string)
                    .as_deref(),
                &patch.role.map(|r| r.to_string()).unwrap_or_default(),
            ),
            _ => false,
        })
        .count()
}

/// How many administrators `snapshot`'s organization is left with once `plan` is done.
pub fn admins_left(snapshot: &Snapshot, plan: &Plan) -> usize {
    let mut changed: HashMap<&LosantId, bool> = HashMap::new();
    for step in &plan.steps {
        match &step.action {
            Action::RemoveMember { user_id, .. } => {
                changed.insert(user_id, false);
            }
            Action::SetRole { user_id, patch, .. } => {
                if let Some(role) = patch.role {
                    changed.insert(user_id, role == types::OrgRole::Admin);
                }
            }
            _ => {}
        }
    }
    snapshot
        .members
        .iter()
        .filter(
            |member| match member.user_id.as_ref().and_then(|id| changed.get(id)) {
                Some(admin) => *admin,
                None => is_admin(member),
            },
        )
        .count()
}

/// Refuses `plan` when it breaks a rule of `options` against `snapshot`: more removals than
/// the cap allows, or fewer administrators left than the minimum (unless it takes none away).
/// [`plan`] checks each plan it makes; a plan saved and applied later is checked again, with
/// [`stale::check`](crate::stale::check) first.
///
/// # Errors
/// The [`SyncRefusal`] of the first rule broken.
pub fn check(snapshot: &Snapshot, plan: &Plan, options: &SyncOptions) -> Result<(), SyncRefusal> {
    let allowed = options.max_removals.limit(access(snapshot));
    let planned = removals(plan);
    if planned > allowed {
        return Err(SyncRefusal::TooManyRemovals {
            planned,
            allowed,
            cap: options.max_removals,
        });
    }
    let (now, left) = (snapshot.admins(), admins_left(snapshot, plan));
    // A plan that takes no administrator away leaves what there is, whatever it is.
    if left < options.min_admins && left < now {
        return Err(SyncRefusal::TooFewAdmins {
            left,
            min: options.min_admins,
        });
    }
    Ok(())
}
