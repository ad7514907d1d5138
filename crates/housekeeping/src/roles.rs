//! The roles a person is given or holds, in one shape whatever they come from (an invite
//! Losant lists, a body to send, a roster row), so that "the same roles" has one meaning: the
//! same organization role and the same grants, in any order; a list sent empty and a list not
//! sent both grant nothing.

use std::fmt;

use losant_invites_client::types;
use serde::{Deserialize, Serialize};

/// An organization role and the grants on single applications and dashboards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Roles {
    /// The organization role as Losant writes it (`edit`), or a newer role's text.
    pub role: Option<String>,
    /// Grants on applications, sorted, IDs in lower case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub application_roles: Vec<Grant>,
    /// Grants on dashboards, sorted, IDs in lower case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dashboard_roles: Vec<Grant>,
}

/// A role on one application or dashboard.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// The application or dashboard, in lower case.
    pub resource_id: String,
    /// The role on it, as Losant writes it.
    pub role: String,
}

fn sorted(grants: impl Iterator<Item = Grant>) -> Vec<Grant> {
    let mut grants: Vec<Grant> = grants.collect();
    grants.sort();
    grants.dedup();
    grants
}

impl Roles {
    /// The roles an invite grants, as Losant listed it.
    pub fn of_invite(invite: &types::OrgInvite) -> Self {
        let grants = |list: &Option<types::ReportedResourceRoleGrants>| {
            sorted(
                list.iter()
                    .flat_map(|grants| grants.iter())
                    .map(|grant| Grant {
                        resource_id: grant.resource_id.as_str().to_ascii_lowercase(),
                        role: grant.role.to_string(),
                    }),
            )
        };
        Self {
            role: invite.role.as_ref().map(ToString::to_string),
            application_roles: grants(&invite.application_roles),
            dashboard_roles: grants(&invite.dashboard_roles),
        }
    }

    /// The roles an invite body gives.
    pub fn of_post(body: &types::OrgInvitePost) -> Self {
        Self::of_parts(
            Some(body.role),
            body.application_roles.as_ref(),
            body.dashboard_roles.as_ref(),
        )
    }

    /// The roles a resend's role info gives.
    pub fn of_info(info: &types::OrgRoleInfo) -> Self {
        Self::of_parts(
            info.role,
            info.application_roles.as_ref(),
            info.dashboard_roles.as_ref(),
        )
    }

    fn of_parts(
        role: Option<types::OrgRole>,
        applications: Option<&types::ResourceRoleGrants>,
        dashboards: Option<&types::ResourceRoleGrants>,
    ) -> Self {
        let grants = |list: Option<&types::ResourceRoleGrants>| {
            sorted(
                list.into_iter()
                    .flat_map(|grants| grants.iter())
                    .map(|grant| Grant {
                        resource_id: grant.resource_id.as_str().to_ascii_lowercase(),
                        role: grant.role.to_string(),
                    }),
            )
        };
        Self {
            role: role.map(|role| role.to_string()),
            application_roles: grants(applications),
            dashboard_roles: grants(dashboards),
        }
    }
}

/// `view`, or `view, applications 575e…=collaborate` when there are grants.
impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.role.as_deref().unwrap_or("-"))?;
        for (label, grants) in [
            ("applications", &self.application_roles),
            ("dashboards", &self.dashboard_roles),
        ] {
            if !grants.is_empty() {
                let written: Vec<String> = grants
                    .iter()
                    .map(|grant| format!("{}={}", grant.resource_id, grant.role))
                    .collect();
                write!(f, ", {label} {}", written.join(";"))?;
            }
        }
        Ok(())
    }
}

/// The role info that gives an invite body's roles, for renewing an invite with them.
pub(crate) fn info_of_post(body: &types::OrgInvitePost) -> types::OrgRoleInfo {
    types::OrgRoleInfo {
        role: Some(body.role),
        application_roles: body.application_roles.clone(),
        dashboard_roles: body.dashboard_roles.clone(),
    }
}

/// The roles of an invite's body as a resend's role info that leaves nothing to what Losant
/// keeps: a list the body leaves out is sent empty. Losant does not document whether a resend
/// keeps the grants it is not sent, so a sync, which wants exactly the roster's roles, says
/// them all.
pub(crate) fn exact_info_of_post(body: &types::OrgInvitePost) -> types::OrgRoleInfo {
    let info = info_of_post(body);
    types::OrgRoleInfo {
        application_roles: Some(info.application_roles.unwrap_or_else(|| Vec::new().into())),
        dashboard_roles: Some(info.dashboard_roles.unwrap_or_else(|| Vec::new().into())),
        ..info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_roles_compare_equal_whatever_the_order_or_an_empty_list() {
        let invite: types::OrgInvite = serde_json::from_value(serde_json::json!({
            "role": "view",
            "applicationRoles": [
                {"resourceId": "575EC8687AE143CD83DC4A91", "role": "view"},
                {"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"},
            ],
            "dashboardRoles": [],
        }))
        .unwrap();
        let body: types::OrgInvitePost = serde_json::from_value(serde_json::json!({
            "email": "a@b.example",
            "role": "view",
            "applicationRoles": [
                {"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"},
                {"resourceId": "575ec8687ae143cd83dc4a91", "role": "view"},
            ],
        }))
        .unwrap();
        assert_eq!(Roles::of_invite(&invite), Roles::of_post(&body));
        assert_eq!(
            Roles::of_post(&body).to_string(),
            "view, applications 575ec8687ae143cd83dc4a90=collaborate;575ec8687ae143cd83dc4a91=view"
        );
        let other: types::OrgInvitePost = serde_json::from_value(serde_json::json!({
            "email": "a@b.example", "role": "edit",
        }))
        .unwrap();
        assert_ne!(Roles::of_invite(&invite), Roles::of_post(&other));
    }
}
