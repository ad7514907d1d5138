//! The Losant actions the fake serves: each one's name, where it is served (its method and
//! path) and the scopes that grant it. Which handler answers it is the routing table's
//! (`routes.rs`).

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
    /// `instanceOrgMembers.get`: `GET` on the organization's members, the list.
    ListMembers,
    /// `instanceOrgMembers.post`: `POST` on the organization's members, someone added.
    AddMember,
    /// `instanceOrgMember.get`: `GET` on a member's path.
    GetMember,
    /// `instanceOrgMember.patch`: `PATCH` on a member's path, a new role.
    PatchMember,
    /// `instanceOrgMember.delete`: `DELETE` on a member's path.
    RemoveMember,
    /// `orgInvites.post`: `POST /invites`, the invitee's answer to an invite (no API token).
    AnswerInvite,
}

/// The path of one invite, in axum's syntax.
const INVITE_PATH: &str = "/instances/{instanceId}/orgs/{orgId}/invites/{inviteId}";
/// The path of an organization's invites.
const INVITES_PATH: &str = "/instances/{instanceId}/orgs/{orgId}/invites";
/// The path of one member.
const MEMBER_PATH: &str = "/instances/{instanceId}/orgs/{orgId}/members/{userId}";
/// The path of an organization's members.
const MEMBERS_PATH: &str = "/instances/{instanceId}/orgs/{orgId}/members";

/// What the fake knows of one action.
struct Facts {
    action: Action,
    /// Losant's name, such as `instanceOrgInvite.get`.
    losant: &'static str,
    /// The short name the command line takes too, such as `get`.
    short: &'static str,
    method: &'static str,
    /// In axum's syntax.
    path: &'static str,
    /// A token needs one of them; none for an action that takes no token.
    scopes: &'static [&'static str],
}

/// Every action the fake serves.
const ACTIONS: [Facts; 11] = [
    Facts {
        action: Action::Get,
        losant: "instanceOrgInvite.get",
        short: "get",
        method: "GET",
        path: INVITE_PATH,
        scopes: &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgInvite.*",
            "instanceOrgInvite.get",
        ],
    },
    Facts {
        action: Action::Delete,
        losant: "instanceOrgInvite.delete",
        short: "delete",
        method: "DELETE",
        path: INVITE_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgInvite.*",
            "instanceOrgInvite.delete",
        ],
    },
    Facts {
        action: Action::ResendInvite,
        losant: "instanceOrgInvite.resendInvite",
        short: "resendInvite",
        method: "POST",
        path: INVITE_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgInvite.*",
            "instanceOrgInvite.resendInvite",
        ],
    },
    Facts {
        action: Action::List,
        losant: "instanceOrgInvites.get",
        short: "list",
        method: "GET",
        path: INVITES_PATH,
        scopes: &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgInvites.*",
            "instanceOrgInvites.get",
        ],
    },
    Facts {
        action: Action::Create,
        losant: "instanceOrgInvites.post",
        short: "create",
        method: "POST",
        path: INVITES_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgInvites.*",
            "instanceOrgInvites.post",
        ],
    },
    Facts {
        action: Action::ListMembers,
        losant: "instanceOrgMembers.get",
        short: "listMembers",
        method: "GET",
        path: MEMBERS_PATH,
        scopes: &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgMembers.*",
            "instanceOrgMembers.get",
        ],
    },
    Facts {
        action: Action::AddMember,
        losant: "instanceOrgMembers.post",
        short: "addMember",
        method: "POST",
        path: MEMBERS_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgMembers.*",
            "instanceOrgMembers.post",
        ],
    },
    Facts {
        action: Action::GetMember,
        losant: "instanceOrgMember.get",
        short: "getMember",
        method: "GET",
        path: MEMBER_PATH,
        scopes: &[
            "all.Instance",
            "all.Instance.read",
            "all.User",
            "all.User.read",
            "instanceOrgMember.*",
            "instanceOrgMember.get",
        ],
    },
    Facts {
        action: Action::PatchMember,
        losant: "instanceOrgMember.patch",
        short: "patchMember",
        method: "PATCH",
        path: MEMBER_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgMember.*",
            "instanceOrgMember.patch",
        ],
    },
    Facts {
        action: Action::RemoveMember,
        losant: "instanceOrgMember.delete",
        short: "removeMember",
        method: "DELETE",
        path: MEMBER_PATH,
        scopes: &[
            "all.Instance",
            "all.User",
            "instanceOrgMember.*",
            "instanceOrgMember.delete",
        ],
    },
    Facts {
        action: Action::AnswerInvite,
        losant: "orgInvites.post",
        short: "answerInvite",
        method: "POST",
        path: "/invites",
        scopes: &[],
    },
];

impl Action {
    /// Every action.
    pub const ALL: [Action; 11] = [
        Action::Delete,
        Action::Get,
        Action::ResendInvite,
        Action::List,
        Action::Create,
        Action::ListMembers,
        Action::AddMember,
        Action::GetMember,
        Action::PatchMember,
        Action::RemoveMember,
        Action::AnswerInvite,
    ];

    fn facts(self) -> &'static Facts {
        ACTIONS
            .iter()
            .find(|facts| facts.action == self)
            .expect("every action is in the table")
    }

    /// Losant's name of the action, such as `instanceOrgInvite.get`.
    pub fn losant_name(self) -> &'static str {
        self.facts().losant
    }

    /// The short name the command line's `--fault` and `--latency` take too: `get`, `delete`,
    /// `resendInvite`, `list`, `create`, `listMembers`, `addMember`, `getMember`,
    /// `patchMember`, `removeMember` or `answerInvite`.
    pub fn name(self) -> &'static str {
        self.facts().short
    }

    /// The HTTP method of the action.
    pub fn method(self) -> &'static str {
        self.facts().method
    }

    /// The path the action is served on, in axum's syntax, such as
    /// `/instances/{instanceId}/orgs/{orgId}/invites`.
    pub fn path(self) -> &'static str {
        self.facts().path
    }

    /// The scopes that grant the action: a token needs at least one of them. None for an
    /// action that takes no token (the invitee's answer to an invite).
    pub fn accepted_scopes(self) -> &'static [&'static str] {
        self.facts().scopes
    }

    /// Whether the action needs an API token.
    pub fn needs_token(self) -> bool {
        !self.accepted_scopes().is_empty()
    }

    /// Whether a token holding `scopes` may run the action.
    pub fn is_granted_by<S: AsRef<str>>(self, scopes: &[S]) -> bool {
        scopes
            .iter()
            .any(|scope| self.accepted_scopes().contains(&scope.as_ref()))
    }
}

/// Whether `path` is one the fake serves: the literal segments of an action's path, and a
/// non-empty segment for each `{parameter}`.
pub(crate) fn is_served(path: &str) -> bool {
    let got: Vec<&str> = path.split('/').collect();
    ACTIONS.iter().any(|facts| {
        let want: Vec<&str> = facts.path.split('/').collect();
        want.len() == got.len()
            && want
                .iter()
                .zip(&got)
                .all(|(want, got)| match want.starts_with('{') {
                    true => !got.is_empty(),
                    false => want == got,
                })
    })
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
                let names: Vec<&str> = Action::ALL.iter().map(|action| action.name()).collect();
                format!("unknown action {s:?}: expected {} or all", names.join(", "))
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
        assert!(!Action::AnswerInvite.needs_token());
        assert_eq!(Action::PatchMember.method(), "PATCH");
    }
}
