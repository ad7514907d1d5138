//! The fake's data: instances holding organizations holding invites and members, the users
//! it knows, the mail it would send, and how to seed them. What members can do lives in
//! `store_members.rs`.
//!
//! Invites are kept as JSON objects rather than typed structs on purpose: a test can seed a
//! field or a role value that the spec does not know yet, and the fake serves it back as Losant
//! would, which is how a client's forward compatibility gets tested.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::outbox::{Mail, fresh_token};
use crate::validate::is_losant_id;

/// How long an invite stays valid when its seed gives no `ttl`: seven days, in milliseconds.
pub const DEFAULT_TTL_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// The IDs of the reference's examples, which the `demo` seed serves.
pub mod demo {
    /// The demo instance.
    pub const INSTANCE_ID: &str = "575ec8687ae143cd83dc4a95";
    /// The demo organization, inside [`INSTANCE_ID`].
    pub const ORG_ID: &str = "575ec8687ae143cd83dc4a97";
    /// A pending invite of [`ORG_ID`].
    pub const INVITE_ID: &str = "575ec8687ae143cd83dc4a94";
    /// An invite of [`ORG_ID`] that expired long ago.
    pub const EXPIRED_INVITE_ID: &str = "575ec8687ae143cd83dc4a98";
    /// The demo organization's first administrator, a member.
    pub const ADMIN_USER_ID: &str = "575ef90f7ae143cd83dc4aad";
    /// A token holding `all.Instance`, which grants every action.
    pub const ADMIN_TOKEN: &str = "demo-admin-token";
    /// A token holding `all.Instance.read`, which grants the reads only (get and list).
    pub const READ_TOKEN: &str = "demo-read-token";
}

/// What the fake starts with: API tokens and their scopes, and instances → orgs → invites.
///
/// A seed file is this structure as JSON:
///
/// ```json
/// {
///   "tokens": [{ "token": "my-token", "scopes": ["all.Instance"] }],
///   "instances": [{
///     "id": "575ec8687ae143cd83dc4a95",
///     "orgs": [{
///       "id": "575ec8687ae143cd83dc4a97",
///       "invites": [{ "id": "575ec8687ae143cd83dc4a94", "email": "a@example.com", "role": "view" }]
///     }]
///   }]
/// }
/// ```
///
/// Each invite is an `OrgInvite` object as Losant answers it. It needs a valid `id`; a missing
/// `inviteDate` means "now" and a missing `ttl` means seven days. `hasExpired` is always
/// computed, never taken from the seed. Other fields are served back unchanged, so a seed can
/// carry fields or role values the spec does not know.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The API tokens the fake accepts.
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    /// The instances, with their organizations and invites.
    #[serde(default)]
    pub instances: Vec<SeedInstance>,
}

/// An API token and the scopes it holds.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    /// The bearer token, as clients send it.
    pub token: String,
    /// Its scopes, such as `all.Instance` or `instanceOrgInvite.get`.
    pub scopes: Vec<String>,
}

/// An instance and its organizations.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeedInstance {
    /// The instance ID, 24 hexadecimal characters.
    pub id: String,
    /// Its organizations.
    #[serde(default)]
    pub orgs: Vec<SeedOrg>,
}

/// An organization, its invites and its members.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeedOrg {
    /// The organization ID, 24 hexadecimal characters.
    pub id: String,
    /// Its invites, as `OrgInvite` JSON objects.
    #[serde(default)]
    pub invites: Vec<Map<String, Value>>,
    /// Its members, as `OrgMember` JSON objects: each needs a valid `userId` and a `role`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Map<String, Value>>,
    /// How many members and pending invites it may have together (Losant's
    /// `limits.member`); none for no limit.
    #[serde(
        default,
        rename = "memberLimit",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_limit: Option<usize>,
}

/// Why a seed was refused.
#[derive(Debug)]
pub struct SeedError(pub(crate) String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid seed: {}", self.0)
    }
}

impl std::error::Error for SeedError {}

impl Seed {
    /// The built-in demo set: the reference's example instance, org and invite, an expired
    /// invite beside it, a dozen more invites (pending and expired, every role, several email
    /// domains, dates spread over months), five members (two administrators, two of them with
    /// a stale invite too, people on other domains), and the tokens [`demo::ADMIN_TOKEN`]
    /// (scope `all.Instance`) and [`demo::READ_TOKEN`] (scope `all.Instance.read`).
    pub fn demo() -> Self {
        let invite = |id: &str, email: &str, role: &str, date: String| {
            let value = serde_json::json!({
                "id": id,
                "email": email,
                "role": role,
                "applicationRoles": [],
                "dashboardRoles": [],
                "inviteDate": date,
                "ttl": DEFAULT_TTL_MS,
                "disallowTransfer": false,
            });
            match value {
                Value::Object(map) => map,
                _ => unreachable!("a JSON object literal"),
            }
        };
        let ago = |days: i64, hours: i64| {
            (Utc::now() - chrono::Duration::days(days) - chrono::Duration::hours(hours))
                .to_rfc3339_opts(SecondsFormat::Millis, true)
        };
        let mut invites = vec![
            invite(demo::INVITE_ID, "invitee@example.com", "edit", ago(0, 0)),
            invite(
                demo::EXPIRED_INVITE_ID,
                "late@example.com",
                "edit",
                "2016-06-13T04:00:00.000Z".to_owned(),
            ),
        ];
        // More of the organization: pending and expired, every role, several domains, dates
        // spread over months (an invite lives seven days).
        for (n, (email, role, days, hours)) in [
            ("ada@example.com", "admin", 0, 3),
            ("grace@example.org", "edit", 1, 0),
            ("linus@kernel.example", "collaborate", 2, 5),
            ("margaret@example.com", "view", 4, 0),
            ("ken@example.net", "none", 6, 12),
            ("barbara@example.org", "view", 9, 0),
            ("dennis@example.com", "collaborate", 21, 0),
            ("frances@example.net", "admin", 45, 0),
            ("edsger@example.org", "edit", 70, 0),
            ("donald@kernel.example", "view", 120, 0),
            ("radia@example.com", "none", 180, 0),
            ("john@example.net", "collaborate", 240, 0),
        ]
        .into_iter()
        .enumerate()
        {
            let id = format!("5f3c1a2b9d8e7f60{n:08x}");
            invites.push(invite(&id, email, role, ago(days, hours)));
        }
        invites[3].insert(
            "applicationRoles".into(),
            serde_json::json!([{ "resourceId": "575ec8687ae143cd83dc4a90", "role": "view" }]),
        );
        // Who has joined: two administrators, people whose emails also have a stale invite
        // (frances, john), people on other domains.
        let member = |id: &str, email: &str, first: &str, last: &str, role: &str| {
            let value = serde_json::json!({
                "userId": id,
                "email": email,
                "firstName": first,
                "lastName": last,
                "role": role,
                "twoFactorAuthEnabled": false,
                "ssoLinked": false,
            });
            match value {
                Value::Object(map) => map,
                _ => unreachable!("a JSON object literal"),
            }
        };
        let members = vec![
            member(
                demo::ADMIN_USER_ID,
                "owner@example.com",
                "Olive",
                "Owner",
                "admin",
            ),
            member(
                "5f3c1a2b9d8e7f6100000001",
                "frances@example.net",
                "Frances",
                "Allen",
                "admin",
            ),
            member(
                "5f3c1a2b9d8e7f6100000002",
                "john@example.net",
                "John",
                "Backus",
                "view",
            ),
            member(
                "5f3c1a2b9d8e7f6100000003",
                "sam@partner.example",
                "Sam",
                "Partner",
                "edit",
            ),
            member(
                "5f3c1a2b9d8e7f6100000004",
                "mia@example.org",
                "Mia",
                "Lens",
                "collaborate",
            ),
        ];
        Seed {
            tokens: vec![
                SeedToken {
                    token: demo::ADMIN_TOKEN.into(),
                    scopes: vec!["all.Instance".into()],
                },
                SeedToken {
                    token: demo::READ_TOKEN.into(),
                    scopes: vec!["all.Instance.read".into()],
                },
            ],
            instances: vec![SeedInstance {
                id: demo::INSTANCE_ID.into(),
                orgs: vec![SeedOrg {
                    id: demo::ORG_ID.into(),
                    invites,
                    members,
                    member_limit: None,
                }],
            }],
        }
    }

    /// Reads a seed from its JSON text.
    ///
    /// # Errors
    /// A [`SeedError`] naming the problem when the text is not a seed.
    pub fn from_json(text: &str) -> Result<Self, SeedError> {
        serde_json::from_str(text).map_err(|e| SeedError(e.to_string()))
    }
}

/// The key an ID is stored under: Losant IDs are hexadecimal, so case does not matter.
pub(crate) fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) instances: BTreeMap<String, Instance>,
    /// The users the fake knows, by the key of their email: the members seeded, and whoever
    /// accepted an invite. Their user ID.
    pub(crate) users: BTreeMap<String, String>,
    /// Every invitation mail, oldest first.
    pub(crate) outbox: Vec<Mail>,
}

#[derive(Debug, Default)]
pub(crate) struct Instance {
    pub(crate) orgs: BTreeMap<String, Org>,
}

#[derive(Debug, Default)]
pub(crate) struct Org {
    pub(crate) invites: BTreeMap<String, StoredInvite>,
    /// By the key of the user ID.
    pub(crate) members: BTreeMap<String, Map<String, Value>>,
    pub(crate) member_limit: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct StoredInvite {
    /// Everything as seeded or last written, without `hasExpired`.
    pub(crate) fields: Map<String, Value>,
    pub(crate) invite_date: DateTime<Utc>,
    pub(crate) ttl_ms: f64,
    /// What the invitee accepts it by; never served.
    pub(crate) token: String,
}

/// Why a lookup failed: the 404 message names the first missing level, as Losant's does.
#[derive(Debug, PartialEq)]
pub(crate) enum Missing {
    Instance,
    Org,
    Invite,
    Member,
    User,
}

impl Missing {
    pub(crate) fn message(&self) -> &'static str {
        match self {
            Missing::Instance => "Instance was not found",
            Missing::Org => "Organization was not found",
            Missing::Invite => "Invite was not found",
            Missing::Member => "Member was not found",
            Missing::User => "User was not found",
        }
    }
}

/// Why the fake refuses to act: something missing (404), or what Losant's rules forbid (400).
#[derive(Debug, PartialEq)]
pub(crate) enum Refusal {
    Missing(Missing),
    /// A `Validation` error with this message; the message is the fake's own.
    Invalid(String),
    /// The request clashes with what is there (a member added twice): `409 Conflict`, the
    /// fake's own choice where Losant documents no answer.
    Conflict(String),
}

impl From<Missing> for Refusal {
    fn from(missing: Missing) -> Self {
        Refusal::Missing(missing)
    }
}

impl Org {
    /// Whether the organization may take one more member or pending invite: members and
    /// pending invites together stay within its member limit (Losant's documentation:
    /// expired invites do not count).
    pub(crate) fn has_room(&self, now: DateTime<Utc>) -> Result<(), Refusal> {
        let Some(limit) = self.member_limit else {
            return Ok(());
        };
        let pending = self
            .invites
            .values()
            .filter(|invite| !invite.has_expired(now))
            .count();
        if self.members.len() + pending >= limit {
            return Err(Refusal::Invalid(format!(
                "the organization has reached its member limit of {limit} (members and pending invites)"
            )));
        }
        Ok(())
    }
}

/// The key an email is kept under: trimmed, in lower case (the fake's reading of "the same
/// email").
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl StoredInvite {
    fn from_fields(mut fields: Map<String, Value>) -> Result<Self, SeedError> {
        fields.remove("hasExpired");
        let id = fields
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if !is_losant_id(&id) {
            return Err(SeedError(format!(
                "invite id {id:?} is not 24 hexadecimal characters"
            )));
        }
        let invite_date = match fields.get("inviteDate") {
            None => Utc::now(),
            Some(Value::String(date)) => DateTime::parse_from_rfc3339(date)
                .map_err(|e| SeedError(format!("invite {id}: inviteDate {date:?}: {e}")))?
                .with_timezone(&Utc),
            Some(other) => {
                return Err(SeedError(format!(
                    "invite {id}: inviteDate {other} is not a date"
                )));
            }
        };
        let ttl = fields.entry("ttl").or_insert(Value::from(DEFAULT_TTL_MS));
        let ttl_ms = ttl
            .as_f64()
            .ok_or_else(|| SeedError(format!("invite {id}: ttl {ttl} is not a number")))?;
        fields.insert("inviteDate".into(), Value::String(format_date(invite_date)));
        Ok(Self {
            fields,
            invite_date,
            ttl_ms,
            token: fresh_token(),
        })
    }

    pub(crate) fn id(&self) -> String {
        self.fields
            .get("id")
            .and_then(Value::as_str)
            .map(key)
            .unwrap_or_default()
    }

    /// Whether the invite had expired at `now`.
    pub(crate) fn has_expired(&self, now: DateTime<Utc>) -> bool {
        (now - self.invite_date).num_milliseconds() as f64 > self.ttl_ms
    }

    /// The email it was sent to, if it has one.
    pub(crate) fn email(&self) -> Option<&str> {
        self.fields.get("email").and_then(Value::as_str)
    }

    /// The mail that sends it, from `instance`'s organization `org`.
    pub(crate) fn mail(&self, instance: &str, org: &str, resent: bool) -> Mail {
        Mail {
            invite_id: self.id(),
            instance_id: key(instance),
            org_id: key(org),
            email: self.email().unwrap_or_default().to_owned(),
            role: self
                .fields
                .get("role")
                .and_then(Value::as_str)
                .map(str::to_owned),
            token: self.token.clone(),
            sent_at: format_date(self.invite_date),
            resent,
        }
    }

    /// The invite as Losant answers it, with `hasExpired` worked out at `now`.
    pub(crate) fn to_json(&self, now: DateTime<Utc>) -> Value {
        let elapsed_ms = (now - self.invite_date).num_milliseconds() as f64;
        let mut fields = self.fields.clone();
        fields.insert("hasExpired".into(), Value::Bool(elapsed_ms > self.ttl_ms));
        Value::Object(fields)
    }
}

pub(crate) fn format_date(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A fresh 24-hex ID in the shape of a MongoDB ObjectId: seconds since the epoch, then a
/// counter that starts at a per-process random point so two fakes do not hand out the same IDs.
pub(crate) fn fresh_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0);
        hasher.finish() >> 8
    });
    let count = start.wrapping_add(COUNTER.fetch_add(1, Ordering::Relaxed));
    let seconds = u32::try_from(Utc::now().timestamp()).unwrap_or(u32::MAX);
    format!("{seconds:08x}{count:016x}")
}

impl Store {
    /// Every invitation mail, oldest first.
    pub(crate) fn outbox(&self) -> Vec<Mail> {
        self.outbox.clone()
    }

    pub(crate) fn apply(&mut self, seed: &Seed) -> Result<(), SeedError> {
        for instance in &seed.instances {
            if !is_losant_id(&instance.id) {
                return Err(SeedError(format!(
                    "instance id {:?} is not 24 hexadecimal characters",
                    instance.id
                )));
            }
            let stored = self.instances.entry(key(&instance.id)).or_default();
            for org in &instance.orgs {
                if !is_losant_id(&org.id) {
                    return Err(SeedError(format!(
                        "org id {:?} is not 24 hexadecimal characters",
                        org.id
                    )));
                }
                let stored_org = stored.orgs.entry(key(&org.id)).or_default();
                for invite in &org.invites {
                    let invite = StoredInvite::from_fields(invite.clone())?;
                    self.outbox.push(invite.mail(&instance.id, &org.id, false));
                    stored_org.invites.insert(invite.id(), invite);
                }
                for member in &org.members {
                    let id = member
                        .get("userId")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    if !is_losant_id(id) {
                        return Err(SeedError(format!(
                            "member userId {id:?} is not 24 hexadecimal characters"
                        )));
                    }
                    if !member.contains_key("role") {
                        return Err(SeedError(format!("member {id} has no role")));
                    }
                    if let Some(email) = member.get("email").and_then(Value::as_str) {
                        self.users.insert(email_key(email), key(id));
                    }
                    let mut member = member.clone();
                    member.insert("instanceId".into(), Value::String(key(&instance.id)));
                    member.insert("orgId".into(), Value::String(key(&org.id)));
                    stored_org.members.insert(key(id), member);
                }
                if org.member_limit.is_some() {
                    stored_org.member_limit = org.member_limit;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn org_mut(&mut self, instance: &str, org: &str) -> Result<&mut Org, Missing> {
        let instance = self
            .instances
            .get_mut(&key(instance))
            .ok_or(Missing::Instance)?;
        instance.orgs.get_mut(&key(org)).ok_or(Missing::Org)
    }

    pub(crate) fn get(
        &mut self,
        instance: &str,
        org: &str,
        invite: &str,
    ) -> Result<Value, Missing> {
        let org = self.org_mut(instance, org)?;
        let invite = org.invites.get(&key(invite)).ok_or(Missing::Invite)?;
        Ok(invite.to_json(Utc::now()))
    }

    pub(crate) fn delete(
        &mut self,
        instance: &str,
        org: &str,
        invite: &str,
    ) -> Result<(), Missing> {
        let org = self.org_mut(instance, org)?;
        org.invites
            .remove(&key(invite))
            .map(drop)
            .ok_or(Missing::Invite)
    }

    /// Replaces the invite by a new one with a fresh ID and date, carrying the role info given
    /// (the fields `role_info` leaves out keep their old values), and answers the new invite.
    pub(crate) fn resend(
        &mut self,
        instance: &str,
        org: &str,
        invite: &str,
        role_info: &Map<String, Value>,
    ) -> Result<Value, Missing> {
        let org_key = key(org);
        let org = self.org_mut(instance, org)?;
        let old = org.invites.remove(&key(invite)).ok_or(Missing::Invite)?;
        let now = Utc::now();
        let mut fields = old.fields;
        fields.extend(role_info.iter().map(|(k, v)| (k.clone(), v.clone())));
        fields.insert("id".into(), Value::String(fresh_id()));
        fields.insert("inviteDate".into(), Value::String(format_date(now)));
        let new = StoredInvite {
            fields,
            invite_date: now,
            ttl_ms: old.ttl_ms,
            token: fresh_token(),
        };
        let answer = new.to_json(now);
        let mail = new.mail(instance, &org_key, true);
        org.invites.insert(new.id(), new);
        self.outbox.push(mail);
        Ok(answer)
    }

    /// The invites of an organization, as Losant answers them now, in no particular order.
    pub(crate) fn list(&self, instance: &str, org: &str) -> Result<Vec<Value>, Missing> {
        let org = self
            .instances
            .get(&key(instance))
            .ok_or(Missing::Instance)?
            .orgs
            .get(&key(org))
            .ok_or(Missing::Org)?;
        let now = Utc::now();
        Ok(org
            .invites
            .values()
            .map(|invite| invite.to_json(now))
            .collect())
    }

    /// Adds an invite with `fields` (an `OrgInvitePost`, checked), a fresh ID, today's date
    /// and seven days to live, sends its mail, and answers it. Whether Losant refuses a second
    /// invite for an email that has a pending one, or for a member's email, is not
    /// documented: this fake adds it (its own choice), which lets a test see an invite made
    /// twice. An organization with a member limit refuses an invite past it: members and
    /// pending invites count (Losant's documentation; the status and message are the fake's).
    pub(crate) fn create(
        &mut self,
        instance: &str,
        org: &str,
        fields: &Map<String, Value>,
    ) -> Result<Value, Refusal> {
        let org_key = key(org);
        let org = self.org_mut(instance, org)?;
        let now = Utc::now();
        org.has_room(now)?;
        let mut fields = fields.clone();
        fields.insert("id".into(), Value::String(fresh_id()));
        fields.insert("inviteDate".into(), Value::String(format_date(now)));
        fields.insert("ttl".into(), Value::from(DEFAULT_TTL_MS));
        for list in ["applicationRoles", "dashboardRoles"] {
            fields
                .entry(list)
                .or_insert_with(|| Value::Array(Vec::new()));
        }
        fields
            .entry("disallowTransfer")
            .or_insert(Value::Bool(false));
        let invite = StoredInvite {
            fields,
            invite_date: now,
            ttl_ms: DEFAULT_TTL_MS as f64,
            token: fresh_token(),
        };
        let answer = invite.to_json(now);
        let mail = invite.mail(instance, &org_key, false);
        org.invites.insert(invite.id(), invite);
        self.outbox.push(mail);
        Ok(answer)
    }

    /// The invite as the fake would answer it now, if it exists.
    pub(crate) fn peek(&self, instance: &str, org: &str, invite: &str) -> Option<Value> {
        let invite = self
            .instances
            .get(&key(instance))?
            .orgs
            .get(&key(org))?
            .invites
            .get(&key(invite))?;
        Some(invite.to_json(Utc::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_losant_ids_and_differ() {
        let (a, b) = (fresh_id(), fresh_id());
        assert!(is_losant_id(&a), "{a}");
        assert!(is_losant_id(&b), "{b}");
        assert_ne!(a, b);
    }

    #[test]
    fn demo_seed_applies_and_its_expired_invite_has_expired() {
        let mut store = Store::default();
        store.apply(&Seed::demo()).expect("the demo seed is valid");
        let pending = store
            .get(demo::INSTANCE_ID, demo::ORG_ID, demo::INVITE_ID)
            .unwrap();
        let expired = store
            .get(demo::INSTANCE_ID, demo::ORG_ID, demo::EXPIRED_INVITE_ID)
            .unwrap();
        assert_eq!(pending["hasExpired"], false);
        assert_eq!(expired["hasExpired"], true);
    }

    #[test]
    fn seed_with_a_bad_invite_id_is_refused() {
        let seed = Seed::from_json(
            r#"{"instances":[{"id":"575ec8687ae143cd83dc4a95","orgs":[{"id":"575ec8687ae143cd83dc4a97","invites":[{"id":"nope"}]}]}]}"#,
        )
        .unwrap();
        let error = Store::default().apply(&seed).unwrap_err();
        assert!(error.to_string().contains("\"nope\""), "{error}");
    }
}
