//! The members of an organization, and how people become members: added by user ID or by
//! email, or by accepting an invite (Losant's `orgInvites.post`). Losant's documented rule
//! holds: an organization keeps at least one administrator.
//!
//! Where Losant documents nothing, these are the fake's own choices, which neither the client
//! nor the command line depends on:
//! - adding by user ID needs a user the fake knows (a member of any organization it holds, or
//!   someone who accepted an invite), else `404 User was not found`; adding someone who is a
//!   member already is `400`;
//! - adding by email adds the user with that email when the fake knows one, and otherwise makes
//!   an invite (with its mail) and answers with it: the 202 of API 1.30.1 and later, whose
//!   body Losant does not publish;
//! - accepting an invite whose email is a member already leaves the member as they are; the
//!   invite is used up either way, and a declined invite is removed;
//! - removing or demoting the last administrator is `400` with the message "an organization
//!   must keep at least one administrator".

use chrono::Utc;
use serde_json::{Map, Value};

use crate::store::{Missing, Refusal, Store, email_key, fresh_id, key};

/// What adding a member did.
pub(crate) enum Added {
    /// The member.
    Member(Value),
    /// The fake knows no user with that email: an invite was made and sent; it.
    InviteSent(Value),
}

/// What the invitee's answer to an invite came to: accepted or not, and the organization.
pub(crate) struct Responded {
    pub(crate) accepted: bool,
    pub(crate) org_id: String,
}

/// Why an invitee's answer was refused.
pub(crate) enum NotAnswered {
    /// No invite holds that token for that email (unknown, revoked, resent or used).
    NotFound,
    /// The invite expired.
    Expired,
}

const LAST_ADMIN: &str = "an organization must keep at least one administrator";

impl Store {
    /// The members of an organization, as Losant answers them, in no particular order.
    pub(crate) fn members(&mut self, instance: &str, org: &str) -> Result<Vec<Value>, Missing> {
        let org = self.org_mut(instance, org)?;
        Ok(org.members.values().cloned().map(Value::Object).collect())
    }

    /// One member, by user ID.
    pub(crate) fn member(
        &mut self,
        instance: &str,
        org: &str,
        user: &str,
    ) -> Result<Value, Missing> {
        let org = self.org_mut(instance, org)?;
        let member = org.members.get(&key(user)).ok_or(Missing::Member)?;
        Ok(Value::Object(member.clone()))
    }

    /// Adds a member from `body` (an `instanceOrgMemberPost`, checked): by `userId` or by
    /// `email`, with `role` (grants are taken and, as Losant's member shows none, not shown).
    pub(crate) fn add_member(
        &mut self,
        instance: &str,
        org: &str,
        body: &Map<String, Value>,
    ) -> Result<Added, Refusal> {
        let role = body.get("role").cloned().unwrap_or(Value::Null);
        let (user, email) = match (body.get("userId"), body.get("email")) {
            (Some(Value::String(user)), _) => {
                let known = self.users.iter().find(|(_, id)| **id == key(user));
                let email = known.map(|(email, _)| email.clone());
                if email.is_none() && !self.is_known_user(user) {
                    return Err(Missing::User.into());
                }
                (key(user), email)
            }
            (_, Some(Value::String(email))) => match self.users.get(&email_key(email)) {
                Some(user) => (user.clone(), Some(email.clone())),
                None => {
                    let mut invite = body.clone();
                    invite.remove("userId");
                    return Ok(Added::InviteSent(self.create(instance, org, &invite)?));
                }
            },
            _ => return Err(Refusal::Invalid("give userId or email".to_owned())),
        };
        let (instance_key, org_key) = (key(instance), key(org));
        let target = self.org_mut(instance, org)?;
        if target.members.contains_key(&user) {
            return Err(Refusal::Conflict(format!(
                "user {user} is already a member of the organization"
            )));
        }
        target.has_room(Utc::now())?;
        let mut member = Map::new();
        member.insert("userId".into(), Value::String(user.clone()));
        if let Some(email) = email {
            member.insert("email".into(), Value::String(email));
        }
        member.insert("role".into(), role);
        member.insert("instanceId".into(), Value::String(instance_key));
        member.insert("orgId".into(), Value::String(org_key));
        member.insert("twoFactorAuthEnabled".into(), Value::Bool(false));
        member.insert("ssoLinked".into(), Value::Bool(false));
        target.members.insert(user, member.clone());
        Ok(Added::Member(Value::Object(member)))
    }

    /// Whether `user` is a member of any organization the fake holds.
    fn is_known_user(&self, user: &str) -> bool {
        self.instances
            .values()
            .flat_map(|instance| instance.orgs.values())
            .any(|org| org.members.contains_key(&key(user)))
    }

    /// Changes a member's role from `patch` (an `instanceOrgMemberPatch`, checked).
    pub(crate) fn patch_member(
        &mut self,
        instance: &str,
        org: &str,
        user: &str,
        patch: &Map<String, Value>,
    ) -> Result<Value, Refusal> {
        let org = self.org_mut(instance, org)?;
        let admins = admins(&org.members);
        let member = org.members.get_mut(&key(user)).ok_or(Missing::Member)?;
        if let Some(role) = patch.get("role") {
            let demoted = is_admin(member) && role != "admin";
            if demoted && admins <= 1 {
                return Err(Refusal::Invalid(LAST_ADMIN.to_owned()));
            }
            member.insert("role".into(), role.clone());
        }
        Ok(Value::Object(member.clone()))
    }

    /// Removes a member.
    pub(crate) fn remove_member(
        &mut self,
        instance: &str,
        org: &str,
        user: &str,
    ) -> Result<(), Refusal> {
        let org = self.org_mut(instance, org)?;
        let admins = admins(&org.members);
        let member = org.members.get(&key(user)).ok_or(Missing::Member)?;
        if is_admin(member) && admins <= 1 {
            return Err(Refusal::Invalid(LAST_ADMIN.to_owned()));
        }
        org.members.remove(&key(user));
        Ok(())
    }

    /// The invitee's answer (`orgInvites.post`): the invite whose mail carried `token`, to
    /// `email`, accepted (its person becomes a member with its role) or declined; either way
    /// the invite is used up.
    pub(crate) fn respond(
        &mut self,
        email: &str,
        token: &str,
        accept: bool,
    ) -> Result<Responded, NotAnswered> {
        let now = Utc::now();
        let found = self.instances.iter().find_map(|(instance, held)| {
            held.orgs.iter().find_map(|(org, held)| {
                held.invites
                    .iter()
                    .find(|(_, invite)| {
                        invite.token == token
                            && invite.email().map(email_key) == Some(email_key(email))
                    })
                    .map(|(id, invite)| (instance.clone(), org.clone(), id.clone(), invite.clone()))
            })
        });
        let (instance, org, id, invite) = found.ok_or(NotAnswered::NotFound)?;
        if invite.has_expired(now) {
            return Err(NotAnswered::Expired);
        }
        let user = self
            .users
            .entry(email_key(email))
            .or_insert_with(fresh_id)
            .clone();
        let held = self
            .org_mut(&instance, &org)
            .map_err(|_| NotAnswered::NotFound)?;
        held.invites.remove(&id);
        if accept && !held.members.contains_key(&user) {
            let mut member = Map::new();
            member.insert("userId".into(), Value::String(user.clone()));
            member.insert("email".into(), Value::String(email.trim().to_owned()));
            member.insert(
                "role".into(),
                invite.fields.get("role").cloned().unwrap_or(Value::Null),
            );
            member.insert("instanceId".into(), Value::String(instance.clone()));
            member.insert("orgId".into(), Value::String(org.clone()));
            member.insert("twoFactorAuthEnabled".into(), Value::Bool(false));
            member.insert("ssoLinked".into(), Value::Bool(false));
            held.members.insert(user, member);
        }
        Ok(Responded {
            accepted: accept,
            org_id: org,
        })
    }
}

fn is_admin(member: &Map<String, Value>) -> bool {
    member.get("role").and_then(Value::as_str) == Some("admin")
}

fn admins(members: &std::collections::BTreeMap<String, Map<String, Value>>) -> usize {
    members.values().filter(|member| is_admin(member)).count()
}
