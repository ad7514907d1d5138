//! `losant-invites sync`: make the organization's access match a roster (the library's
//! `plan_sync`), or apply a plan saved earlier, exactly, once it is known not to be stale.
//! Whatever can refuse the run does so before anything changes: the roster, the plan's rules
//! (removals, administrators), a stale plan, the files it writes, the confirmation.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::Path;

use losant_invites_housekeeping::{
    Action, Plan, Roster, Snapshot, SyncOptions, SyncRefusal, plan_sync, stale, undo,
};

use crate::args::SyncAccess;
use crate::context::{Context, confirmed};
use crate::exit::{Failure, Outcome as Exit};
use crate::files::{read_input, read_roster};
use crate::job;
use crate::output::{counted, date, people, say};
use crate::plan_view;
use crate::run_view::RunView;

/// What the run sets out from: a roster to plan from, or a plan saved earlier.
enum Wanted {
    Roster(Roster),
    Saved(Plan),
}

pub async fn run(ctx: &Context, sync: SyncAccess) -> Result<Exit, Failure> {
    let options = SyncOptions {
        prune: sync.prune,
        max_removals: sync.max_removals,
        min_admins: sync.min_admins,
        keep: sync.keep.clone(),
    };
    // The files first: a bad roster or plan is named before the organization is read.
    let wanted = match (&sync.plan, &sync.from) {
        (Some(path), _) => Wanted::Saved(read_plan(path)?),
        (None, Some(path)) => {
            let roster = read_roster(path)?;
            if roster.entries.is_empty() {
                return Err(Failure::usage(format!(
                    "invalid roster {}, nothing was sent: it names nobody (a sync to nobody would take everyone's access)",
                    path.display()
                )));
            }
            Wanted::Roster(roster)
        }
        // clap requires one of the two.
        (None, None) => return Err(Failure::usage("give --from FILE or --plan FILE")),
    };
    let org = Context::org(&sync.org);
    if let Wanted::Saved(plan) = &wanted
        && plan.org != org
    {
        return Err(Failure::usage(format!(
            "the plan is for organization {} of instance {}, not {} of {}: nothing was sent",
            plan.org.org_id, plan.org.instance_id, org.org_id, org.instance_id
        )));
    }
    let client = ctx.client(sync.dry_run)?;
    let snapshot = Snapshot::read(&client, &org)
        .await
        .map_err(|e| ctx.list_failure(e))?;
    let plan = match wanted {
        Wanted::Roster(roster) => {
            plan_sync::plan(&snapshot, &roster, &options).map_err(|why| refused(&why))?
        }
        Wanted::Saved(plan) => checked(plan, &snapshot, &options)?,
    };
    let plan_text = plan_view::sync(&plan, &snapshot, &options);
    if let Some(path) = &sync.plan_out {
        write_plan(path, &plan)?;
    }
    if sync.dry_run {
        return job::planned_dry_run(ctx, &client, &plan, &plan_text).await;
    }
    let acting = plan.acting().count();
    if acting > 0 {
        say(&plan_text);
        if !sync.yes {
            let from_stdin = sync.from.as_deref() == Some(Path::new("-"));
            let terminal =
                std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !from_stdin;
            if !terminal {
                return Err(Failure::usage(format!(
                    "nothing was changed: the plan makes {}, and there is no terminal to confirm on; pass --yes to make them, or --dry-run to see the requests",
                    counted(acting, "change")
                )));
            }
            let question = format!(
                "make {} to organization {}?",
                counted(acting, "change"),
                plan.org.org_id
            );
            if !confirmed(&question) {
                say("cancelled: nothing was changed");
                return Ok(Exit::SUCCESS);
            }
        }
    }
    // Opened before anything changes, so that a record that cannot be written stops the run
    // first; and only when the plan takes someone's access, so that a run with nobody to
    // remove leaves an earlier run's record as it is.
    let removes = plan.acting().any(|step| {
        matches!(
            step.action,
            Action::RemoveMember { .. } | Action::Revoke { .. }
        )
    });
    let removed_out = match &sync.removed_out {
        Some(path) if removes => Some((path, create(path, "the removed")?)),
        Some(path) => {
            say(format!(
                "losant-invites: the plan removes nobody: {} is left as it is",
                path.display()
            ));
            None
        }
        None => None,
    };
    let mut view = RunView::new(ctx, &plan).counting_skips();
    let report = job::apply(
        ctx,
        &client,
        &plan,
        sync.concurrency.into(),
        true,
        &mut view,
    )
    .await;
    let exit = view.finish(&report, "the roster is empty");
    if let Some((path, mut file)) = removed_out {
        let csv = undo::removed_roster(&plan, &report);
        let removed = csv.lines().count() - 1;
        if let Err(error) = file.write_all(csv.as_bytes()) {
            // The run is done: the record goes to stderr rather than nowhere.
            say(format!(
                "losant-invites: cannot write the removed to {}: {error}; they are:\n{}",
                path.display(),
                csv.trim_end()
            ));
        } else if removed > 0 {
            say(format!(
                "losant-invites: {} removed written to {}: `losant-invites invite --from {}` invites them again",
                people(removed),
                path.display(),
                path.display()
            ));
        }
    }
    Ok(exit)
}

/// The refusal of a plan, with nothing changed.
fn refused(why: &SyncRefusal) -> Failure {
    let why = match why {
        SyncRefusal::TooManyRemovals {
            planned,
            allowed,
            cap,
        } => format!(
            "the plan removes, revokes or demotes {planned}, more than the {allowed} --max-removals {cap} allows (`--dry-run --max-removals {planned}` shows them)"
        ),
        SyncRefusal::TooFewAdmins { left, min } => format!(
            "the plan would leave {}, fewer than --min-admins {min}: put the administrators on the roster, or spare them with --keep",
            counted(*left, "administrator")
        ),
        other => other.to_string(),
    };
    Failure::usage(format!("refused, nothing was changed: {why}"))
}

/// The plan saved in FILE, as `--plan-out` wrote it.
fn read_plan(path: &Path) -> Result<Plan, Failure> {
    let bytes = read_input(path, "the plan")?;
    let plan: Plan = serde_json::from_slice(&bytes).map_err(|e| {
        Failure::usage(format!(
            "invalid plan {}, nothing was sent: {e}",
            path.display()
        ))
    })?;
    if plan.fingerprint.is_none() {
        return Err(Failure::usage(format!(
            "{} is not a sync plan (it has no fingerprint): make one with `sync --plan-out`",
            path.display()
        )));
    }
    // A sync plan invites, resends, renews, sets roles, removes and revokes; anything else
    // was not written by one.
    if let Some(step) = plan
        .steps
        .iter()
        .find(|step| matches!(step.action, Action::Get { .. } | Action::Renew { .. }))
    {
        return Err(Failure::usage(format!(
            "{} is not a sync plan: it holds a step a sync never makes ({})",
            path.display(),
            step.action.losant_name().unwrap_or("-")
        )));
    }
    Ok(plan)
}

/// A saved plan, when nothing it touches has changed since it was made, and it still keeps
/// the rules given now.
fn checked(plan: Plan, now: &Snapshot, options: &SyncOptions) -> Result<Plan, Failure> {
    stale::check(&plan, now).map_err(|stale| {
        Failure::usage(format!(
            "refused, nothing was changed: {stale}; make a new plan"
        ))
    })?;
    plan_sync::check(now, &plan, options).map_err(|why| refused(&why))?;
    let made = plan.made_at.map(date).unwrap_or_else(|| "-".to_owned());
    if plan.fingerprint.as_deref() == Some(now.fingerprint().as_str()) {
        say(format!(
            "losant-invites: the organization is as it was when the plan was made ({made})"
        ));
    } else {
        say(format!(
            "losant-invites: the organization has changed since the plan was made ({made}), but nothing the plan touches"
        ));
    }
    Ok(plan)
}

/// Writes `plan` to FILE as JSON.
fn write_plan(path: &Path, plan: &Plan) -> Result<(), Failure> {
    let mut file = create(path, "the plan")?;
    let mut json = serde_json::to_vec_pretty(plan).map_err(|e| Failure::usage(e.to_string()))?;
    json.push(b'\n');
    file.write_all(&json)
        .map_err(|e| Failure::usage(format!("cannot write the plan to {}: {e}", path.display())))?;
    say(format!("losant-invites: the plan is in {}", path.display()));
    Ok(())
}

/// FILE created (or emptied) for writing `what`.
fn create(path: &Path, what: &str) -> Result<File, Failure> {
    File::create(path)
        .map_err(|e| Failure::usage(format!("cannot write {what} to {}: {e}", path.display())))
}
