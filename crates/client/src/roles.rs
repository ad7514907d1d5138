//! Reading roles as Losant reports them: known to this client, or newer and kept as sent.

use std::fmt;

use crate::types::{AnyOrgRole, AnyResourceRole};

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
}
