//! Planning to act on members: those a selection chooses (by email, by role), or one named by
//! user ID. Pure functions: no I/O. A plan never leaves the organization without an
//! administrator: a removal or demotion that would take the last one is skipped
//! ([`Reason::LastAdmin`]).

use losant_invites_client::{LosantId, types};

use crate::org::Org;
use crate::plan::{Action, Plan, Reason, Step, Subject};
use crate::snapshot::{InviteFilter, MemberQuery, Snapshot, is_admin};

/// Members chosen by what they are; every criterion given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberSelection {
    /// Only members whose email matches this glob (`*` for any run of characters), as
    /// Losant's filter matches it.
    pub email: Option<String>,
    /// Only members of this organization role.
    pub role: Option<types::OrgRole>,
}

/// What is done to each member.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberIntent {
    /// Change their roles to these.
    SetRole(types::OrgMemberPatch),
    /// Remove them.
    Remove,
}

impl MemberSelection {
    /// Whether any criterion is given.
    pub fn is_given(&self) -> bool {
        self.email.is_some() || self.role.is_some()
    }

    /// The list call that reads what the selection chooses from: Losant filters on the email
    /// when given, else the role.
    pub fn query(&self) -> MemberQuery {
        MemberQuery {
            filter: match (&self.email, self.role) {
                (Some(glob), _) => Some(InviteFilter::Email(glob.clone())),
                (None, Some(role)) => Some(InviteFilter::Role(role)),
                (None, None) => None,
            },
            sort: None,
        }
    }

    /// The members of `snapshot` (read with [`query`](Self::query)) the selection keeps.
    pub fn choose<'a>(&self, snapshot: &'a Snapshot) -> Vec<&'a types::OrgMember> {
        snapshot
            .members
            .iter()
            .filter(|member| {
                self.role.is_none_or(|role| {
                    member
                        .role
                        .as_ref()
                        .is_some_and(|held| held.to_string() == role.to_string())
                })
            })
            .collect()
    }
}

impl MemberIntent {
    fn action(&self, user_id: LosantId, before: Option<&types::OrgMember>) -> Action {
        let before = before.cloned().map(Box::new);
        match self {
            MemberIntent::SetRole(patch) => Action::SetRole {
                user_id,
                patch: patch.clone(),
                before,
            },
            MemberIntent::Remove => Action::RemoveMember { user_id, before },
        }
    }

    /// Whether the intent takes `member`'s administrator role away.
    fn unseats(&self, member: &types::OrgMember) -> bool {
        is_admin(member)
            && match self {
                MemberIntent::Remove => true,
                MemberIntent::SetRole(patch) => {
                    patch.role.is_some_and(|role| role != types::OrgRole::Admin)
                }
            }
    }
}

/// The plan of `intent` on each member `selection` chooses from `snapshot`, the
/// organization's administrators counted in `admins` (all of them, whatever the selection:
/// the snapshot may hold only those it chose). The last administrator is never removed or
/// demoted: of the administrators chosen, the last one that would leave none is skipped.
pub fn for_selection(
    snapshot: &Snapshot,
    selection: &MemberSelection,
    intent: &MemberIntent,
    admins: usize,
) -> Plan {
    let mut left = admins;
    let steps = selection
        .choose(snapshot)
        .into_iter()
        .filter_map(|member| {
            let user_id = member.user_id?;
            let subject = Subject {
                invite_id: None,
                user_id: Some(user_id),
                email: member.email.as_deref().cloned(),
                line: None,
            };
            if intent.unseats(member) {
                if left <= 1 {
                    return Some(Step {
                        subject,
                        action: Action::Skip,
                        reason: Reason::LastAdmin,
                    });
                }
                left -= 1;
            }
            Some(Step {
                subject,
                action: intent.action(user_id, Some(member)),
                reason: Reason::Selected,
            })
        })
        .collect();
    Plan::of_snapshot(snapshot, steps)
}

/// The plan of `intent` on the one member `user_id`, without looking at the organization
/// (Losant itself refuses to take its last administrator).
pub fn for_one(org: &Org, user_id: &LosantId, intent: &MemberIntent) -> Plan {
    Plan::unread(
        org,
        vec![Step {
            subject: Subject {
                invite_id: None,
                user_id: Some(*user_id),
                email: None,
                line: None,
            },
            action: intent.action(*user_id, None),
            reason: Reason::Listed,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(members: serde_json::Value) -> Snapshot {
        let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97").unwrap();
        Snapshot::new(org, chrono::Utc::now(), Vec::new())
            .with_members(serde_json::from_value(members).unwrap())
    }

    #[test]
    fn the_last_administrator_is_never_removed_or_demoted() {
        let all = snapshot(serde_json::json!([
            {"userId": "575ef90f7ae143cd83dc4aa1", "email": "a@x.example", "role": "admin"},
            {"userId": "575ef90f7ae143cd83dc4aa2", "email": "b@x.example", "role": "admin"},
            {"userId": "575ef90f7ae143cd83dc4aa3", "email": "c@x.example", "role": "view"},
        ]));
        let admins = MemberSelection {
            role: Some(types::OrgRole::Admin),
            ..Default::default()
        };
        let plan = for_selection(&all, &admins, &MemberIntent::Remove, all.admins());
        assert_eq!(plan.acting().count(), 1);
        assert_eq!(plan.steps[1].reason, Reason::LastAdmin);
        let demote = MemberIntent::SetRole(types::OrgMemberPatch {
            role: Some(types::OrgRole::View),
            application_roles: None,
            dashboard_roles: None,
        });
        let everyone = MemberSelection::default();
        let plan = for_selection(&all, &everyone, &demote, all.admins());
        assert_eq!(
            plan.acting().count(),
            2,
            "one administrator stays: {plan:#?}"
        );
        let keep = MemberIntent::SetRole(types::OrgMemberPatch {
            role: Some(types::OrgRole::Admin),
            application_roles: None,
            dashboard_roles: None,
        });
        assert_eq!(for_selection(&all, &everyone, &keep, 1).acting().count(), 3);
    }
}
