//! How a bulk run looks: each step's outcome as it comes (a line for people, a JSON object
//! per line for `ndjson`, one document at the end for `json`), a progress bar on a terminal,
//! and the summary with the exit code. The library runs; this draws.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use losant_invites_client::types;
use losant_invites_housekeeping::{
    Action, Answer, Outcome, Plan, Reason, Report, Reporter, Step, Totals,
};
use serde_json::{Map, Value, json};

use crate::args::Output;
use crate::context::Context;
use crate::exit::{INTERRUPTED, Outcome as Exit, USAGE, code};
use crate::output::{self, error_json, print_line, say, to_json, to_json_line, to_value};

/// Draws a run of `plan` as it goes.
pub struct RunView<'a> {
    ctx: &'a Context,
    plan: &'a Plan,
    output: Output,
    bar: ProgressBar,
    /// `json` prints one document at the end: the items so far, by their step.
    items: Vec<(usize, Value)>,
    /// Whether text shows a line for each step skipped (a sync counts them instead).
    skips_shown: bool,
}

impl<'a> RunView<'a> {
    pub fn new(ctx: &'a Context, plan: &'a Plan) -> Self {
        let acting = plan.acting().count() as u64;
        let bar = ProgressBar::with_draw_target(Some(acting), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Self {
            ctx,
            plan,
            output: ctx.output(),
            bar,
            items: Vec::new(),
            skips_shown: true,
        }
    }

    /// The same view, with no line of text for a step skipped: they are counted in the plan
    /// and the summary (JSON and NDJSON still hold each).
    pub fn counting_skips(mut self) -> Self {
        self.skips_shown = false;
        self
    }

    /// Prints the summary of `report` (and, for `json`, the whole document) and gives the
    /// exit code; `nothing` says what nothing to do means for this job.
    pub fn finish(self, report: &Report, nothing: &str) -> Exit {
        self.bar.finish_and_clear();
        let plan = self.plan;
        let totals = report.totals(plan);
        let labels = |wanted: fn(&Outcome) -> bool| -> Vec<String> {
            plan.steps
                .iter()
                .zip(&report.outcomes)
                .filter(|(_, outcome)| wanted(outcome))
                .map(|(step, _)| label(step))
                .collect()
        };
        let not_attempted = labels(|o| matches!(o, Outcome::NotAttempted));
        let unanswered = labels(|o| matches!(o, Outcome::Unanswered));
        let mut summary = json!({
            "total": totals.total,
            "succeeded": totals.succeeded,
            "failed": totals.failed,
        });
        for (name, count) in [
            ("skipped", totals.skipped),
            ("alreadyGone", totals.already_gone),
            ("confirmedByListing", totals.confirmed_by_listing),
            ("repeats", totals.repeats),
        ] {
            if count > 0 {
                summary[name] = json!(count);
            }
        }
        let done = done_by_kind(plan, report);
        if !done.is_empty() {
            summary["done"] = Value::Object(
                done.iter()
                    .map(|(kind, count)| ((*kind).to_owned(), json!(count)))
                    .collect(),
            );
        }
        if report.interrupted {
            summary["interrupted"] = json!(true);
            summary["notAttempted"] = json!(not_attempted);
            summary["unanswered"] = json!(unanswered);
        }
        match self.output {
            Output::Json => {
                let mut items = self.items;
                items.sort_by_key(|(step, _)| *step);
                let items: Vec<Value> = items.into_iter().map(|(_, item)| item).collect();
                print_line(to_json(&json!({ "results": items, "summary": summary })));
            }
            Output::Ndjson | Output::Ids => {
                print_line(to_json_line(&json!({ "summary": summary })))
            }
            Output::Text => {
                let mut line = summary_line(plan, &totals, nothing);
                // A run of more than one kind of change says how many of each were made.
                if kinds(plan) > 1 && !done.is_empty() {
                    let parts: Vec<String> = done
                        .iter()
                        .map(|(kind, count)| format!("{count} {}", done_phrase(kind, *count)))
                        .collect();
                    line.push_str(&format!(" ({})", parts.join(", ")));
                }
                print_line(line);
                if report.interrupted {
                    let listed = |labels: &[String]| {
                        labels.iter().map(|l| format!(" {l}")).collect::<String>()
                    };
                    print_line(format!(
                        "interrupted: {} not attempted{}",
                        not_attempted.len(),
                        listed(&not_attempted)
                    ));
                    if !unanswered.is_empty() {
                        print_line(format!(
                            "sent but unanswered, may have taken effect: {}{}",
                            unanswered.len(),
                            listed(&unanswered)
                        ));
                    }
                }
            }
        }
        if report.interrupted {
            return Exit(INTERRUPTED);
        }
        let codes: Vec<u8> = report
            .outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                Outcome::Failed(failed) => Some(code(&failed.error)),
                Outcome::Refused(_) => Some(USAGE),
                _ => None,
            })
            .collect();
        Exit::of_failures(&codes)
    }
}

impl Reporter for RunView<'_> {
    fn finished(&mut self, index: usize, outcome: &Outcome) {
        // The summary names the steps never started or never answered.
        if matches!(outcome, Outcome::NotAttempted | Outcome::Unanswered) {
            return;
        }
        let step = &self.plan.steps[index];
        if let Outcome::Done(done) = outcome {
            self.ctx.trace_answer(&answer_json(&done.answer));
        }
        let (item, text) = item(step, outcome);
        let output = self.output;
        if step.action.acts() {
            self.bar.inc(1);
        }
        match output {
            Output::Text if !self.skips_shown && matches!(outcome, Outcome::Skipped) => {}
            Output::Text => self.bar.suspend(|| print_line(text)),
            Output::Ndjson | Output::Ids => self.bar.suspend(|| print_line(to_json_line(&item))),
            Output::Json => self.items.push((index, item)),
        }
    }

    fn stopping(&mut self, in_flight: usize, grace: Duration) {
        self.bar.suspend(|| {
            say(format!(
                "interrupted: finishing the {in_flight} requests in flight (at most {} s; interrupt again to stop now), starting no more",
                grace.as_secs_f32()
            ))
        });
    }

    fn settle_failed(&mut self, steps: usize, error: &losant_invites_client::Error) {
        self.bar.suspend(|| {
            say(format!(
                "losant-invites: could not list the invites again to settle {steps} items whose answers were lost: {error}"
            ))
        });
    }
}

/// What a person reads of a step: its email for a roster row, else its invite (with the
/// email beside it when known).
pub fn label(step: &Step) -> String {
    let subject = &step.subject;
    let id = subject.invite_id.as_ref().or(subject.user_id.as_ref());
    match (id, &subject.email, subject.line) {
        (_, Some(email), Some(_)) => email.clone(),
        (Some(id), Some(email), None) => format!("{id} ({email})"),
        (Some(id), None, _) => id.to_string(),
        (None, Some(email), None) => email.clone(),
        (None, None, _) => "?".to_owned(),
    }
}

/// The kind of change a step makes, as the JSON names it (none for a step that changes
/// nothing): `invite`, `resend` (other roles), `renew` (the same roles, or an expired
/// invite's with the roster's), `setRole`, `remove`, `revoke`, `get`.
pub fn kind(step: &Step) -> Option<&'static str> {
    Some(match &step.action {
        Action::Invite { .. } => "invite",
        Action::Resend { .. } if step.reason == Reason::OnlyExpired => "renew",
        Action::Resend { .. } => "resend",
        Action::Renew { .. } => "renew",
        Action::SetRole { .. } => "setRole",
        Action::RemoveMember { .. } => "remove",
        Action::Revoke { .. } => "revoke",
        Action::Get { .. } => "get",
        Action::Skip => return None,
    })
}

/// The kinds of change, in the order a summary names them.
const KINDS: [&str; 7] = [
    "invite", "resend", "renew", "setRole", "remove", "revoke", "get",
];

/// How many kinds of change `plan` makes.
fn kinds(plan: &Plan) -> usize {
    KINDS
        .iter()
        .filter(|wanted| plan.acting().any(|step| kind(step) == Some(**wanted)))
        .count()
}

/// The steps done (or found already gone), counted by kind, in the order of [`KINDS`].
fn done_by_kind(plan: &Plan, report: &Report) -> Vec<(&'static str, usize)> {
    KINDS
        .iter()
        .map(|wanted| {
            let count = plan
                .steps
                .iter()
                .zip(&report.outcomes)
                .filter(|(step, outcome)| {
                    kind(step) == Some(*wanted)
                        && matches!(outcome, Outcome::Done(_) | Outcome::AlreadyGone(_))
                })
                .count();
            (*wanted, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// A kind of change done, after its count: `3 invited`, `1 role changed`.
fn done_phrase(kind: &str, count: usize) -> &'static str {
    match kind {
        "invite" => "invited",
        "resend" => "resent with new roles",
        "renew" => "renewed",
        "setRole" if count == 1 => "role changed",
        "setRole" => "roles changed",
        "remove" => "removed",
        "revoke" => "revoked",
        _ => "read",
    }
}

/// The summary line for people.
fn summary_line(plan: &Plan, totals: &Totals, nothing: &str) -> String {
    if totals.total == 0 {
        return format!("nothing to do: {nothing}");
    }
    if totals.skipped == totals.total {
        return format!("nothing to do: {}", skipped_counts(plan));
    }
    let Totals {
        total,
        succeeded,
        failed,
        skipped,
        ..
    } = *totals;
    if skipped > 0 {
        format!("{succeeded} of {total} succeeded, {skipped} skipped, {failed} failed")
    } else {
        format!("{succeeded} of {total} succeeded, {failed} failed")
    }
}

/// The skipped steps of `plan`, counted by why: `40 already invited, 2 invited with other
/// roles`.
pub fn skipped_counts(plan: &Plan) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for step in plan.steps.iter().filter(|step| !step.action.acts()) {
        let Some(why) = skip_phrase(&step.reason) else {
            continue;
        };
        match counts.iter_mut().find(|(phrase, _)| *phrase == why) {
            Some((_, count)) => *count += 1,
            None => counts.push((why, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(why, count)| format!("{count} {why}"))
        .collect();
    parts.join(", ")
}

/// Why a step is skipped, counted: `already invited`.
fn skip_phrase(reason: &Reason) -> Option<&'static str> {
    Some(match reason {
        Reason::AlreadyPending { .. } => "already invited",
        Reason::PendingWithOtherRoles { .. } => "invited with other roles",
        Reason::PendingBeside { .. } => "expired beside a pending invite",
        Reason::AnotherRenewed { .. } => "expired beside a newer one renewed",
        Reason::AlreadyMember { .. } => "already in the organization",
        Reason::LastAdmin => "kept as the last administrator",
        Reason::InSync => "in sync",
        Reason::Kept { .. } => "kept by --keep",
        Reason::RepeatOf { .. } => return None,
        _ => "skipped",
    })
}

/// Why a step is skipped, for one line: `pending invite 575e…`.
pub fn skip_text(step: &Step) -> String {
    let line = step
        .subject
        .line
        .map(|line| format!("line {line}: "))
        .unwrap_or_default();
    let id = |id: &Option<losant_invites_client::LosantId>| output::id_text(id.as_ref());
    match &step.reason {
        Reason::RepeatOf { line: first } => format!(
            "(line {} repeats line {first})",
            step.subject.line.unwrap_or(0)
        ),
        Reason::AlreadyPending { invite_id } => format!("({line}pending invite {})", id(invite_id)),
        Reason::PendingWithOtherRoles {
            invite_id,
            held,
            wanted,
        } => format!(
            "({line}pending invite {} holds {held}; wanted {wanted}: left as it is)",
            id(invite_id)
        ),
        Reason::PendingBeside { invite_id } => format!(
            "(expired; its email has pending invite {}: `delete --expired` revokes this one)",
            id(invite_id)
        ),
        Reason::AnotherRenewed { invite_id } => format!(
            "(expired; invite {} of the same email is renewed instead)",
            id(invite_id)
        ),
        Reason::AlreadyMember { role, .. } => format!(
            "({line}a member already, role {})",
            role.as_deref().unwrap_or("-")
        ),
        Reason::LastAdmin => {
            "(the last administrator: an organization keeps at least one)".to_owned()
        }
        Reason::InSync => format!("({line}a member with the roster's role)"),
        Reason::Kept { glob } => format!("({line}kept by --keep {glob})"),
        other => format!("({line}{other:?})"),
    }
}

/// A step and its outcome as a JSON item and as a line for people.
fn item(step: &Step, outcome: &Outcome) -> (Value, String) {
    let mut fields = match to_value(&step.subject) {
        Value::Object(fields) => fields,
        _ => Map::new(),
    };
    if let Some(kind) = kind(step) {
        fields.insert("action".into(), json!(kind));
    }
    fields.insert("ok".into(), json!(outcome.is_ok()));
    let label = label(step);
    let text = match outcome {
        Outcome::Skipped => {
            match &step.reason {
                Reason::RepeatOf { line } => {
                    fields.insert("repeatOf".into(), json!(line));
                }
                reason => {
                    fields.insert("skipped".into(), json!(true));
                    fields.insert("reason".into(), to_value(reason));
                    if let Reason::AlreadyPending { invite_id }
                    | Reason::PendingWithOtherRoles { invite_id, .. }
                    | Reason::PendingBeside { invite_id } = reason
                    {
                        fields.insert("pendingInvite".into(), json!(invite_id));
                    }
                    if let Reason::AlreadyMember { user_id, .. } = reason {
                        fields.insert("member".into(), json!(user_id));
                    }
                }
            }
            format!("skip  {label} {}", skip_text(step))
        }
        Outcome::Done(done) => {
            fields.insert("answer".into(), answer_json(&done.answer));
            let before = step.action.before().or(done.read.as_deref());
            if let (Action::Resend { .. } | Action::Renew { .. }, Some(before)) =
                (&step.action, before)
            {
                fields.insert("before".into(), to_value(before));
            }
            if let Some(member) = step.action.member_before() {
                fields.insert("before".into(), to_value(member));
            }
            let mut text = format!("ok    {}", done_text(step, &done.answer, before));
            if done.confirmed_by_listing {
                fields.insert("confirmedByListing".into(), json!(true));
                text.push_str(" (its answer was lost; listed again)");
            }
            text
        }
        Outcome::AlreadyGone(error) => {
            fields.insert("alreadyGone".into(), json!(true));
            fields.insert("error".into(), error_json(error));
            format!("ok    {label} already gone ({error})")
        }
        Outcome::Failed(failed) => {
            let mut error = error_json(&failed.error);
            let mut text = format!("FAIL  {label} {}", failed.error);
            if let Some(listed) = &failed.listed_again {
                error["mayHaveTakenEffect"] = json!(listed.may_have_taken_effect);
                fields.insert("listedAgain".into(), json!(listed.seen));
                text.push_str(&format!(" (listed again: {})", listed.seen));
            }
            fields.insert("error".into(), error);
            text
        }
        Outcome::Refused(why) => {
            fields.insert(
                "error".into(),
                json!({ "kind": "invalidInput", "mayHaveTakenEffect": false, "text": why }),
            );
            format!("FAIL  {label} {why}")
        }
        Outcome::NotAttempted | Outcome::Unanswered => String::new(),
    };
    (Value::Object(fields), text)
}

/// What an answer holds, as JSON.
pub fn answer_json(answer: &Answer) -> Value {
    match answer {
        Answer::Invite(invite) => to_value(invite),
        Answer::Created(collection) => to_value(collection),
        Answer::Success(success) => to_value(success),
        Answer::Member(member) => to_value(member),
        Answer::Gone => json!({ "gone": true }),
    }
}

/// What a step done did, for one line.
fn done_text(step: &Step, answer: &Answer, before: Option<&types::OrgInvite>) -> String {
    let label = label(step);
    let new_invite = match answer {
        Answer::Invite(invite) => Some(invite.as_ref()),
        _ => None,
    };
    match &step.action {
        Action::Get { .. } => format!("{label} found"),
        Action::Revoke { .. } => format!("{label} deleted"),
        Action::Invite { .. } => match new_invite {
            Some(invite) => format!("{label} invited: {}", output::id_text(invite.id.as_ref())),
            None => format!("{label} invited (the answer does not show the invite)"),
        },
        Action::Resend { invite_id, .. } | Action::Renew { invite_id, .. } => match new_invite {
            Some(invite)
                if matches!(step.action, Action::Renew { .. })
                    || step.reason == Reason::OnlyExpired =>
            {
                let renewed = renewed(invite_id, invite);
                match step.subject.line {
                    Some(_) => format!("{label} renewed: {renewed}"),
                    None => renewed,
                }
            }
            Some(invite) => {
                let email = invite
                    .email
                    .as_deref()
                    .or(before.and_then(|b| b.email.as_deref()));
                match email {
                    Some(email) => format!(
                        "{invite_id} → {} ({email})",
                        output::id_text(invite.id.as_ref())
                    ),
                    None => format!("{invite_id} → {}", output::id_text(invite.id.as_ref())),
                }
            }
            None => format!("{label} resent"),
        },
        Action::SetRole { .. } => match answer {
            Answer::Member(member) => format!(
                "{label} is {}",
                member
                    .role
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string)
            ),
            _ => format!("{label} changed"),
        },
        Action::RemoveMember { .. } => format!("{label} removed"),
        Action::Skip => format!("{label} skipped"),
    }
}

/// `OLD → NEW (email, role, expires …)`.
pub fn renewed(old: &losant_invites_client::LosantId, answer: &types::OrgInvite) -> String {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    format!(
        "{old} → {} ({}, {}, expires {})",
        output::id_text(answer.id.as_ref()),
        or_dash(answer.email.as_deref().cloned()),
        or_dash(answer.role.as_ref().map(ToString::to_string)),
        or_dash(answer.expires_at().map(output::date)),
    )
}
