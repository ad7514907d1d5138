//! The request each kind of step sends, built in one place: for a run, and for a dry run,
//! which shows exactly what a run would send (the client's own `prepare`) and sends only
//! reads.

use std::fmt;

use losant_invites_client::{Client, Error, LosantId, NewerRole, PreparedRequest, builder, types};

use crate::org::Org;
use crate::plan::{Action, Step};

pub(crate) fn get<'a>(
    client: &'a Client,
    org: &Org,
    id: &LosantId,
) -> builder::InstanceOrgInviteGet<'a> {
    client
        .instance_org_invite_get()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .invite_id(id)
}

pub(crate) fn delete<'a>(
    client: &'a Client,
    org: &Org,
    id: &LosantId,
) -> builder::InstanceOrgInviteDelete<'a> {
    client
        .instance_org_invite_delete()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .invite_id(id)
}

pub(crate) fn resend<'a>(
    client: &'a Client,
    org: &Org,
    id: &LosantId,
    info: types::OrgRoleInfo,
) -> builder::InstanceOrgInviteResendInvite<'a> {
    client
        .instance_org_invite_resend_invite()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .invite_id(id)
        .body(info)
}

pub(crate) fn create<'a>(
    client: &'a Client,
    org: &Org,
    body: types::OrgInvitePost,
) -> builder::InstanceOrgInvitesPost<'a> {
    client
        .instance_org_invites_post()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .body(body)
}

pub(crate) fn patch_member<'a>(
    client: &'a Client,
    org: &Org,
    user: &LosantId,
    patch: types::OrgMemberPatch,
) -> builder::InstanceOrgMemberPatch<'a> {
    client
        .instance_org_member_patch()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .user_id(user)
        .body(patch)
}

pub(crate) fn remove_member<'a>(
    client: &'a Client,
    org: &Org,
    user: &LosantId,
) -> builder::InstanceOrgMemberDelete<'a> {
    client
        .instance_org_member_delete()
        .instance_id(org.instance_id)
        .org_id(org.org_id)
        .user_id(user)
}

/// Why a step's request cannot be built.
#[derive(Debug)]
pub enum StepError {
    /// The client failed: invalid input, or the read a renewal needs first.
    Client(Error),
    /// The invite holds a role newer than this client, which cannot send it back.
    NewerRole(NewerRole),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Client(error) => error.fmt(f),
            StepError::NewerRole(newer) => newer.fmt(f),
        }
    }
}

impl std::error::Error for StepError {}

impl From<Error> for StepError {
    fn from(error: Error) -> Self {
        StepError::Client(error)
    }
}

/// The invite a renewal sends back and the role info that renews it: `before` when the plan
/// holds it, else read (a GET).
pub(crate) async fn renewal(
    client: &Client,
    org: &Org,
    id: &LosantId,
    before: Option<&types::OrgInvite>,
) -> Result<(types::OrgInvite, bool, types::OrgRoleInfo), StepError> {
    let (invite, read) = match before {
        Some(invite) => (invite.clone(), false),
        None => (get(client, org, id).send().await?.into_inner(), true),
    };
    let info = invite.role_info().map_err(StepError::NewerRole)?;
    Ok((invite, read, info))
}

/// The request `step` of a plan for `org` would send, built by the client exactly as it would
/// send it, and not sent; `None` for a step that sends nothing. A renewal of an invite the
/// plan does not hold reads it first (a GET, sent): its roles are the body.
///
/// # Errors
/// The client's error (invalid input, a failed read), or an invite whose role is newer than
/// this client.
pub async fn prepare(
    client: &Client,
    org: &Org,
    step: &Step,
) -> Result<Option<PreparedRequest>, StepError> {
    let prepared = match &step.action {
        Action::Skip => return Ok(None),
        Action::Get { invite_id } => get(client, org, invite_id).prepare().await?,
        Action::Revoke { invite_id, .. } => delete(client, org, invite_id).prepare().await?,
        Action::Resend {
            invite_id, info, ..
        } => {
            resend(client, org, invite_id, info.clone())
                .prepare()
                .await?
        }
        Action::Renew { invite_id, before } => {
            let (_, _, info) = renewal(client, org, invite_id, before.as_deref()).await?;
            resend(client, org, invite_id, info).prepare().await?
        }
        Action::Invite { body } => create(client, org, body.clone()).prepare().await?,
        Action::SetRole { user_id, patch, .. } => {
            patch_member(client, org, user_id, patch.clone())
                .prepare()
                .await?
        }
        Action::RemoveMember { user_id, .. } => {
            remove_member(client, org, user_id).prepare().await?
        }
    };
    Ok(Some(prepared))
}
