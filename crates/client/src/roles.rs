//! Reading roles as Losant reports them: known to this client, or newer and kept as sent.

use std::fmt;

use crate::types::{
    AnyOrgRole, AnyResourceRole, OrgInvite, OrgRoleInfo, ReportedResourceRoleGrants,
    ResourceRoleGrant, ResourceRoleGrants,
};

impl AnyOrgRole {
    /// Whether the role is one this client knows.
    pub fn is_known(&self) -> bool {
        matches!(self, Self::OrgRole(_))
    }
}

impl AnyResourceRole {
    /// Whether the role is one this client knows.
    pub fn is_known(&self) -> bool {
        matches!(self, Self::ResourceRole(_))
    }
}

/// The role as Losant sent it, such as `edit`, or a newer role's text.
impl fmt::Display for AnyOrgRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OrgRole(role) => role.fmt(f),
            Self::UnknownOrgRole(role) => f.write_str(role),
        }
    }
}

/// The role as Losant sent it, such as `view`, or a newer role's text.
impl fmt::Display for AnyResourceRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ResourceRole(role) => role.fmt(f),
            Self::UnknownResourceRole(role) => f.write_str(role),
        }
    }
}

impl OrgInvite {
    /// The roles the invite grants, as role info to send back: what renewing an invite with
    /// `instanceOrgInvite.resendInvite` without changing it sends. Each part is as Losant
    /// reported it: a list it sent empty stays empty, one it left out stays out.
    ///
    /// # Errors
    /// [`NewerRole`] when a role is newer than this client (kept in the answer as
    /// `Unknown…Role`): the request's types take only the roles the spec lists, so such an
    /// invite cannot be sent back unchanged.
    ///
    /// # Examples
    /// ```
    /// use losant_invites_client::types::{OrgInvite, OrgRole};
    ///
    /// let invite: OrgInvite = serde_json::from_str(
    ///     r#"{"role": "edit", "applicationRoles": [], "email": "ana@example.com"}"#,
    /// )?;
    /// let info = invite.role_info()?;
    /// assert_eq!(info.role, Some(OrgRole::Edit));
    /// assert_eq!(info.application_roles.map(|grants| grants.len()), Some(0));
    /// assert!(info.dashboard_roles.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn role_info(&self) -> Result<OrgRoleInfo, NewerRole> {
        let role = match &self.role {
            None => None,
            Some(AnyOrgRole::OrgRole(role)) => Some(*role),
            Some(AnyOrgRole::UnknownOrgRole(role)) => {
                return Err(NewerRole {
                    place: "role".to_owned(),
                    role: role.to_string(),
                });
            }
        };
        Ok(OrgRoleInfo {
            role,
            application_roles: grants("applicationRoles", self.application_roles.as_ref())?,
            dashboard_roles: grants("dashboardRoles", self.dashboard_roles.as_ref())?,
        })
    }
}

fn grants(
    place: &str,
    reported: Option<&ReportedResourceRoleGrants>,
) -> Result<Option<ResourceRoleGrants>, NewerRole> {
    let Some(reported) = reported else {
        return Ok(None);
    };
    let grants = reported
        .iter()
        .map(|grant| match &grant.role {
            AnyResourceRole::ResourceRole(role) => Ok(ResourceRoleGrant {
                resource_id: grant.resource_id,
                role: *role,
            }),
            AnyResourceRole::UnknownResourceRole(role) => Err(NewerRole {
                place: format!("{place} of {}", grant.resource_id),
                role: role.to_string(),
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(grants.into()))
}

/// A role an invite holds that is newer than this client, so the invite's roles cannot be
/// sent back as they are (see [`OrgInvite::role_info`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewerRole {
    /// Where the role stands: `role`, or `applicationRoles of <ID>`.
    pub place: String,
    /// The role as Losant sent it.
    pub role: String,
}

impl fmt::Display for NewerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the invite's {} is {:?}, a role newer than this client, which cannot send it back",
            self.place, self.role
        )
    }
}

impl std::error::Error for NewerRole {}

#[cfg(test)]
mod tests {
    use crate::types::{AnyOrgRole, OrgRole, UnknownOrgRole};

    #[test]
    fn roles_print_as_losant_sent_them() {
        let known = AnyOrgRole::OrgRole(OrgRole::Collaborate);
        let newer =
            AnyOrgRole::UnknownOrgRole(UnknownOrgRole::try_from("owner".to_owned()).unwrap());
        assert_eq!(
            (known.to_string(), known.is_known()),
            ("collaborate".to_owned(), true)
        );
        assert_eq!(
            (newer.to_string(), newer.is_known()),
            ("owner".to_owned(), false)
        );
    }

    #[test]
    fn role_info_sends_back_what_losant_reported_or_says_why_not() {
        use crate::types::OrgInvite;
        let invite: OrgInvite = serde_json::from_value(serde_json::json!({
            "role": "view",
            "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"}],
            "dashboardRoles": [],
        }))
        .unwrap();
        let info = serde_json::to_value(invite.role_info().unwrap()).unwrap();
        assert_eq!(
            info,
            serde_json::json!({
                "role": "view",
                "applicationRoles": [{"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"}],
                "dashboardRoles": [],
            })
        );
        let newer: OrgInvite = serde_json::from_value(serde_json::json!({
            "role": "view",
            "dashboardRoles": [{"resourceId": "575ec8687ae143cd83dc4a91", "role": "owner"}],
        }))
        .unwrap();
        let error = newer.role_info().unwrap_err();
        assert_eq!(error.role, "owner");
        assert!(
            error
                .to_string()
                .contains("dashboardRoles of 575ec8687ae143cd83dc4a91"),
            "{error}"
        );
        let none: OrgInvite = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(
            serde_json::to_value(none.role_info().unwrap()).unwrap(),
            serde_json::json!({})
        );
    }
}
