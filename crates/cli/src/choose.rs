//! Which invites a command acts on: one by ID, every one of a list of IDs, or those that
//! selectors choose from one list call; each turned into the library's plan, with the plan
//! for people and the question to ask.

use std::path::Path;

use losant_invites_client::{Client, LosantId};
use losant_invites_housekeeping::{
    IdList, Intent, InviteFilter, MemberIntent, MemberQuery, MemberSelection, Plan, Selection,
    Snapshot, plan_invites, plan_members,
};

use crate::args::{Invites, Select, WhichMembers};
use crate::context::Context;
use crate::exit::Failure;
use crate::files::read_input;
use crate::job::Job;
use crate::plan_view;

/// The invites (or members) a command acts on.
pub enum Chosen {
    /// One, by ID.
    One(LosantId),
    /// Several, planned.
    Several(Several),
}

/// Several chosen: the plan, its text for people, whether a person may be asked (not when the
/// list came on stdin), and what nothing to do means.
pub struct Several {
    pub plan: Plan,
    pub plan_text: String,
    pub may_ask: bool,
    pub nothing: String,
}

impl Several {
    /// The job of acting on them: where a person may be asked, `asking` gives the question
    /// (from how many steps act and the organization) and what is said when they decline.
    pub fn job<'a>(
        self,
        ctx: &'a Context,
        client: &'a Client,
        asking: impl FnOnce(usize, &LosantId) -> (String, String),
        dry_run: bool,
        concurrency: u16,
        ignore_missing: bool,
    ) -> Job<'a> {
        let acting = self.plan.acting().count();
        Job {
            ctx,
            client,
            question: self.may_ask.then(|| asking(acting, &self.plan.org.org_id)),
            plan: self.plan,
            plan_text: self.plan_text,
            nothing: self.nothing,
            dry_run,
            concurrency: concurrency.into(),
            ignore_missing,
        }
    }
}

/// The selection the selectors describe, the role coming from the command's own flag.
pub fn selection(
    select: &Select,
    role: Option<losant_invites_client::types::OrgRole>,
) -> Selection {
    Selection {
        email: select.email.clone(),
        role,
        expired: select.expired,
        pending: select.pending,
        older_than: select.older_than,
    }
}

/// The invites `invites` names, planned for `intent`: by ID, from a list (every line checked
/// first), or chosen by `selection` from one list call.
pub async fn chosen(
    ctx: &Context,
    client: &Client,
    org: &crate::args::Org,
    invites: &Invites,
    selection: Selection,
    intent: &Intent,
) -> Result<Chosen, Failure> {
    let org = Context::org(org);
    if let Some(id) = &invites.invite_id {
        return Ok(Chosen::One(*id));
    }
    if let Some(path) = &invites.invite_ids_from {
        let bytes = read_input(path, "invite IDs")?;
        let list = IdList::parse(&bytes).map_err(|e| {
            Failure::usage(format!(
                "invalid invite IDs, nothing was sent:\n  {}",
                e.to_string().replace('\n', "\n  ")
            ))
        })?;
        return Ok(Chosen::Several(Several {
            plan: plan_invites::for_ids(&org, &list, intent),
            plan_text: String::new(),
            may_ask: path != Path::new("-"),
            nothing: "the list holds no invite IDs".to_owned(),
        }));
    }
    if !selection.is_given() {
        return Err(Failure::usage(
            "say which invites: --invite-id, --invite-ids-from, or selectors such as --expired, \
             --pending, --older-than, --email or --role",
        ));
    }
    // A resend must see every invite of each email it chooses, so Losant's filter is the
    // email alone then; otherwise the email, else the role.
    let query = match intent {
        Intent::Resend(_) | Intent::Renew => selection.query_whole_emails(),
        Intent::Get | Intent::Revoke => selection.query(),
    };
    let snapshot = Snapshot::read_invites(client, &org, &query)
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let plan = plan_invites::for_selection(&snapshot, &selection, intent);
    let criteria = plan_view::criteria(&selection);
    let chosen = selection.choose(&snapshot);
    Ok(Chosen::Several(Several {
        plan_text: plan_view::selected(&plan, &chosen, &criteria, snapshot.taken_at),
        plan,
        may_ask: true,
        nothing: format!("no invites match ({criteria})"),
    }))
}

/// The members `which` names, planned for `intent`: one by user ID, or those `selection`
/// chooses from one list call (and, when it filters on the email and the plan may take an
/// administrator's role, a second that counts the administrators, so that the last one is
/// kept).
pub async fn chosen_members(
    ctx: &Context,
    client: &Client,
    org: &crate::args::Org,
    which: &WhichMembers,
    selection: MemberSelection,
    intent: &MemberIntent,
) -> Result<Chosen, Failure> {
    let org = Context::org(org);
    if let Some(id) = &which.user_id {
        return Ok(Chosen::One(*id));
    }
    let selection = MemberSelection {
        email: which.email.clone(),
        ..selection
    };
    if !selection.is_given() {
        return Err(Failure::usage(
            "say which members: --user-id, or selectors such as --email or the role",
        ));
    }
    let snapshot = Snapshot::read_members(client, &org, &selection.query())
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let admin = losant_invites_client::types::OrgRole::Admin;
    // Listed by role alone, the administrators are all there; otherwise they are counted.
    let admins = if selection.email.is_none() && selection.role == Some(admin) {
        snapshot.admins()
    } else {
        let only_admins = MemberQuery {
            filter: Some(InviteFilter::Role(admin)),
            sort: None,
        };
        Snapshot::read_members(client, &org, &only_admins)
            .await
            .map_err(|e| ctx.list_failure(e))?
            .admins()
    };
    let plan = plan_members::for_selection(&snapshot, &selection, intent, admins);
    let criteria = plan_view::member_criteria(&selection);
    let chosen = selection.choose(&snapshot);
    Ok(Chosen::Several(Several {
        plan_text: plan_view::members_selected(&plan, &chosen, &criteria),
        plan,
        may_ask: true,
        nothing: format!("no members match ({criteria})"),
    }))
}
