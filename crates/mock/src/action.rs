//! The Losant actions the fake serves, and the scopes that grant each of them. Where each is
//! served (its method and path) is the routing table's (`routes.rs`).

use std::fmt;
use std::str::FromStr;

/// One of the Instance Org Invite actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `instanceOrgInvite.get`: `GET` on the invite's path.
    Get,
    /// `instanceOrgInvite.delete`: `DELETE` on the invite's path.
    Delete,
    /// `instanceOrgInvite.resendInvite`: `POST` on the invite's path.
    ResendInvite,
}

impl Action {
    /// Every action, in the order the reference lists them.
    pub const ALL: [Action; 3] = [Action::Delete, Action::Get, Action::ResendInvite];

    /// Losant's name of the action, as in `instanceOrgInvite.<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Get => "get",
            Action::Delete => "delete",
            Action::ResendInvite => "resendInvite",
        }
    }

    /// The HTTP method of the action.
    pub fn method(self) -> &'static str {
        crate::routes::method_of(self)
    }

    /// The scopes that grant the action: a token needs at least one of them.
    pub fn accepted_scopes(self) -> &'static [&'static str] {
        match self {
            Action::Get => &[
                "all.Instance",
                "all.Instance.read",
                "all.User",
                "all.User.read",
                "instanceOrgInvite.*",
                "instanceOrgInvite.get",
            ],
            Action::Delete => &[
                "all.Instance",
                "all.User",
                "instanceOrgInvite.*",
                "instanceOrgInvite.delete",
            ],
            Action::ResendInvite => &[
                "all.Instance",
                "all.User",
                "instanceOrgInvite.*",
                "instanceOrgInvite.resendInvite",
            ],
        }
    }

    /// Whether a token holding `scopes` may run the action.
    pub fn is_granted_by<S: AsRef<str>>(self, scopes: &[S]) -> bool {
        scopes
            .iter()
            .any(|scope| self.accepted_scopes().contains(&scope.as_ref()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "instanceOrgInvite.{}", self.name())
    }
}

impl FromStr for Action {
    type Err = String;

    /// Reads `get`, `delete` or `resendInvite`, with or without the `instanceOrgInvite.` prefix.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.strip_prefix("instanceOrgInvite.").unwrap_or(s);
        Action::ALL
            .into_iter()
            .find(|action| action.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("unknown action {s:?}: expected get, delete or resendInvite"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_scopes_grant_get_only() {
        assert!(Action::Get.is_granted_by(&["all.Instance.read"]));
        assert!(!Action::Delete.is_granted_by(&["all.Instance.read"]));
        assert!(!Action::ResendInvite.is_granted_by(&["all.User.read"]));
        assert!(Action::ResendInvite.is_granted_by(&["instanceOrgInvite.*"]));
        assert!(!Action::Get.is_granted_by(&["instanceOrgInvite.delete"]));
    }

    #[test]
    fn every_action_is_served() {
        for action in Action::ALL {
            assert!(!action.method().is_empty(), "{action} has a route");
        }
        assert_eq!(Action::ResendInvite.method(), "POST");
    }

    #[test]
    fn names_parse_back() {
        for action in Action::ALL {
            assert_eq!(action.name().parse::<Action>(), Ok(action));
            assert_eq!(action.to_string().parse::<Action>(), Ok(action));
        }
        assert!("patch".parse::<Action>().is_err());
    }
}
