//! The Losant actions the fake serves, and the scopes that grant each of them. Where each is
//! served (its method and path) is the routing table's (`routes.rs`).

use std::fmt;
use std::str::FromStr;

/// One of the actions the fake serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `instanceOrgInvite.get`: `GET` on the invite's path.
    Get,
    /// `instanceOrgInvite.delete`: `DELETE` on the invite's path.
    Delete,
    /// `instanceOrgInvite.resendInvite`: `POST` on the invite's path.
    ResendInvite,
    /// `instanceOrgInvites.get`: `GET` on the organization's invites, the list.
    List,
    /// `instanceOrgInvites.post`: `POST` on the organization's invites, a new invite.
    Create,
}

/// What the fake knows of each action: Losant's name, the short name its command line takes
/// too, and the scopes that grant it.
const ACTIONS: [(Action, &str, &str, &[&str]); 5] = [
    (
        Action::Get,
        "instanceOrgInvite.get",
        "get",
        &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgInvite.*",
            "instanceOrgInvite.get",
        ],
    ),
    (
        Action::Delete,
        "instanceOrgInvite.delete",
        "delete",
        &[
            "all.Instance",
            "all.User",
            "instanceOrgInvite.*",
            "instanceOrgInvite.delete",
        ],
    ),
    (
        Action::ResendInvite,
        "instanceOrgInvite.resendInvite",
        "resendInvite",
        &[
            "all.Instance",
            "all.User",
            "instanceOrgInvite.*",
            "instanceOrgInvite.resendInvite",
        ],
    ),
    (
        Action::List,
        "instanceOrgInvites.get",
        "list",
        &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgInvites.*",
            "instanceOrgInvites.get",
        ],
    ),
    (
        Action::Create,
        "instanceOrgInvites.post",
        "create",
        &[
            "all.Instance",
            "all.User",
            "instanceOrgInvites.*",
            "instanceOrgInvites.post",
        ],
    ),
];

impl Action {
    /// Every action.
    pub const ALL: [Action; 5] = [
        Action::Delete,
        Action::Get,
        Action::ResendInvite,
        Action::List,
        Action::Create,
    ];

    fn facts(self) -> (&'static str, &'static str, &'static [&'static str]) {
        let (_, losant, short, scopes) = ACTIONS
            .iter()
            .find(|(action, ..)| *action == self)
            .expect("every action is in the table");
        (losant, short, scopes)
    }

    /// Losant's name of the action, such as `instanceOrgInvite.get`.
    pub fn losant_name(self) -> &'static str {
        self.facts().0
    }

    /// The short name the command line's `--fault` and `--latency` take too: `get`, `delete`,
    /// `resendInvite`, `list` or `create`.
    pub fn name(self) -> &'static str {
        self.facts().1
    }

    /// The HTTP method of the action.
    pub fn method(self) -> &'static str {
        crate::routes::route_of(self).0
    }

    /// The path the action is served on, in axum's syntax, such as
    /// `/instances/{instanceId}/orgs/{orgId}/invites`.
    pub fn path(self) -> &'static str {
        crate::routes::route_of(self).1
    }

    /// The scopes that grant the action: a token needs at least one of them.
    pub fn accepted_scopes(self) -> &'static [&'static str] {
        self.facts().2
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
        f.write_str(self.losant_name())
    }
}

impl FromStr for Action {
    type Err = String;

    /// Reads Losant's name of an action (`instanceOrgInvites.get`) or its short name (`list`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|action| {
                action.losant_name().eq_ignore_ascii_case(s)
                    || action.name().eq_ignore_ascii_case(s)
            })
            .ok_or_else(|| {
                format!("unknown action {s:?}: expected get, delete, resendInvite, list or create")
            })
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
        assert!(Action::List.is_granted_by(&["all.User.read"]));
        assert!(!Action::Create.is_granted_by(&["instanceOrgInvite.*"]));
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
