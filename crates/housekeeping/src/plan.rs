//! A plan: what a job sets out to do, step by step, each with its reason, made by a pure
//! function of a snapshot, what is wanted and the options (see `plan_invites.rs`,
//! `plan_roster.rs`). It is data: it can be shown, saved (serde), compared and applied.

use chrono::{DateTime, Utc};
use losant_invites_client::{LosantId, types};
use serde::{Deserialize, Serialize};

use crate::org::Org;
use crate::roles::Roles;
use crate::snapshot::Snapshot;

/// What a job sets out to do, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The organization the steps act on.
    pub org: Org,
    /// When the snapshot the plan was made from was read; none for a plan made from a list of
    /// IDs alone.
    pub made_at: Option<DateTime<Utc>>,
    /// A fingerprint of all the access the plan was made from (see
    /// [`Snapshot::fingerprint`](crate::Snapshot::fingerprint)), for a plan saved to be
    /// applied later; none for the plans of one-off jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The steps, in the order of the input they were planned from.
    pub steps: Vec<Step>,
}

/// One step: who or what it is about, what is done, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Who or what the step is about.
    #[serde(flatten)]
    pub subject: Subject,
    /// What is done.
    pub action: Action,
    /// Why.
    pub reason: Reason,
}

/// Who or what a step is about, as far as the plan knows: the line of the input it comes
/// from, the email, the invite or the member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// The invite acted on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<LosantId>,
    /// The member acted on, by user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<LosantId>,
    /// The email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The line of the input (an ID list, a roster), from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// What a step does, and the request it sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// Read the invite (`instanceOrgInvite.get`).
    Get {
        /// The invite.
        invite_id: LosantId,
    },
    /// Revoke the invite (`instanceOrgInvite.delete`).
    Revoke {
        /// The invite.
        invite_id: LosantId,
        /// The invite as listed, when it was.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<Box<types::OrgInvite>>,
    },
    /// Resend the invite with this role info (`instanceOrgInvite.resendInvite`): Losant
    /// answers with the new invite, which replaces it.
    Resend {
        /// The invite.
        invite_id: LosantId,
        /// The role info sent.
        info: types::OrgRoleInfo,
        /// The invite as listed, when it was.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<Box<types::OrgInvite>>,
    },
    /// Resend the invite with the roles it already has (`instanceOrgInvite.resendInvite`);
    /// read first when the plan does not hold it.
    Renew {
        /// The invite.
        invite_id: LosantId,
        /// The invite as listed, when it was.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<Box<types::OrgInvite>>,
    },
    /// Invite someone (`instanceOrgInvites.post`).
    Invite {
        /// The body sent.
        body: types::OrgInvitePost,
    },
    /// Change a member's roles (`instanceOrgMember.patch`).
    SetRole {
        /// The member.
        user_id: LosantId,
        /// The roles sent.
        patch: types::OrgMemberPatch,
        /// The member as listed, when they were.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<Box<types::OrgMember>>,
    },
    /// Remove a member (`instanceOrgMember.delete`).
    RemoveMember {
        /// The member.
        user_id: LosantId,
        /// The member as listed, when they were.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<Box<types::OrgMember>>,
    },
    /// Nothing to do; the reason says why.
    Skip,
}

impl Action {
    /// Whether the step sends anything.
    pub fn acts(&self) -> bool {
        !matches!(self, Action::Skip)
    }

    /// Losant's name of the action the step sends, such as `instanceOrgInvite.delete`.
    pub fn losant_name(&self) -> Option<&'static str> {
        Some(match self {
            Action::Get { .. } => "instanceOrgInvite.get",
            Action::Revoke { .. } => "instanceOrgInvite.delete",
            Action::Resend { .. } | Action::Renew { .. } => "instanceOrgInvite.resendInvite",
            Action::Invite { .. } => "instanceOrgInvites.post",
            Action::SetRole { .. } => "instanceOrgMember.patch",
            Action::RemoveMember { .. } => "instanceOrgMember.delete",
            Action::Skip => return None,
        })
    }

    /// The invite the step acts on, when it acts on one.
    pub fn invite_id(&self) -> Option<&LosantId> {
        match self {
            Action::Get { invite_id }
            | Action::Revoke { invite_id, .. }
            | Action::Resend { invite_id, .. }
            | Action::Renew { invite_id, .. } => Some(invite_id),
            _ => None,
        }
    }

    /// The member the step acts on, when it acts on one.
    pub fn user_id(&self) -> Option<&LosantId> {
        match self {
            Action::SetRole { user_id, .. } | Action::RemoveMember { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// The member as the plan knows them before the step.
    pub fn member_before(&self) -> Option<&types::OrgMember> {
        match self {
            Action::SetRole { before, .. } | Action::RemoveMember { before, .. } => {
                before.as_deref()
            }
            _ => None,
        }
    }

    /// The invite as the plan knows it before the step.
    pub fn before(&self) -> Option<&types::OrgInvite> {
        match self {
            Action::Revoke { before, .. }
            | Action::Resend { before, .. }
            | Action::Renew { before, .. } => before.as_deref(),
            _ => None,
        }
    }
}

/// Why a step does what it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Reason {
    /// Named by ID.
    Listed,
    /// Chosen by the selection.
    Selected,
    /// The line repeats an ID an earlier line holds: acted on once.
    RepeatOf {
        /// The line that holds it first.
        line: usize,
    },
    /// Nobody with this email has an invite: invited.
    NotInvited,
    /// Every invite of this email has expired: the newest is renewed with the roles wanted,
    /// rather than a second invite made beside it.
    OnlyExpired,
    /// The email already has a pending invite with the roles wanted.
    AlreadyPending {
        /// The pending invite.
        #[serde(skip_serializing_if = "Option::is_none")]
        invite_id: Option<LosantId>,
    },
    /// The email already has a pending invite, with other roles than those wanted; it is
    /// left as it is (`losant-invites resend` changes it).
    PendingWithOtherRoles {
        /// The pending invite.
        #[serde(skip_serializing_if = "Option::is_none")]
        invite_id: Option<LosantId>,
        /// The roles it holds.
        held: Roles,
        /// The roles wanted.
        wanted: Roles,
    },
    /// The invite has expired and its email already has a pending invite: renewing it would
    /// leave two. Revoking it (`delete --expired`) cleans it up.
    PendingBeside {
        /// The pending invite of the same email.
        #[serde(skip_serializing_if = "Option::is_none")]
        invite_id: Option<LosantId>,
    },
    /// Another expired invite of the same email, newer, is renewed in its place: renewing
    /// both would leave two.
    AnotherRenewed {
        /// The invite renewed instead.
        #[serde(skip_serializing_if = "Option::is_none")]
        invite_id: Option<LosantId>,
    },
    /// Invited again although the email has an invite: asked for (`--force`).
    Forced,
    /// The email is a member's already: nobody is invited who has joined.
    AlreadyMember {
        /// The member.
        #[serde(skip_serializing_if = "Option::is_none")]
        user_id: Option<LosantId>,
        /// The member's organization role.
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// The member is the organization's last administrator (with those the plan removes or
    /// demotes before): an organization keeps at least one.
    LastAdmin,
    /// A member with the roster's role: nothing to change.
    InSync,
    /// A member with another role than the roster's: the roster's is set.
    RoleDiffers {
        /// The role held, as Losant wrote it.
        #[serde(skip_serializing_if = "Option::is_none")]
        held: Option<String>,
        /// The roster's role.
        wanted: String,
    },
    /// Not on the roster: removed, or revoked (a sync with `prune`).
    NotOnRoster,
    /// An invite of someone who is a member already: revoked as redundant.
    RedundantInvite {
        /// The member.
        #[serde(skip_serializing_if = "Option::is_none")]
        user_id: Option<LosantId>,
    },
    /// Another invite of the same email is the one kept (or renewed): this one is revoked, so
    /// that one invite per email is left.
    DuplicateInvite {
        /// The invite kept.
        #[serde(skip_serializing_if = "Option::is_none")]
        kept: Option<LosantId>,
    },
    /// Protected by a `keep` glob: never removed or demoted.
    Kept {
        /// The glob that protects them.
        glob: String,
    },
}

impl Plan {
    /// A plan of `steps` made from `snapshot`: it says when the snapshot was read.
    pub(crate) fn of_snapshot(snapshot: &Snapshot, steps: Vec<Step>) -> Self {
        Self {
            org: snapshot.org.clone(),
            made_at: Some(snapshot.taken_at),
            fingerprint: None,
            steps,
        }
    }

    /// A plan of `steps` made from IDs alone, without looking at the organization.
    pub(crate) fn unread(org: &Org, steps: Vec<Step>) -> Self {
        Self {
            org: org.clone(),
            made_at: None,
            fingerprint: None,
            steps,
        }
    }

    /// The steps that send something.
    pub fn acting(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|step| step.action.acts())
    }

    /// Whether the plan sends nothing at all.
    pub fn is_empty(&self) -> bool {
        self.acting().next().is_none()
    }
}
