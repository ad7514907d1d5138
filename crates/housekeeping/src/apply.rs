//! Carrying a plan out: its steps sent with bounded concurrency (the client retries only what
//! is safe to repeat), each outcome reported as it comes, a stop asked for through a
//! [`Cancel`] honoured, and every step whose answer was lost after it may have acted settled
//! by one fresh look at the organization ([`crate::settle`]), never by acting twice.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use losant_invites_client::{Client, Error, LosantId, types};

use crate::cancel::{Cancel, Stage};
use crate::org::Org;
use crate::plan::{Action, Plan, Step};
use crate::report::{Answer, Done, Failed, ListedAgain, Outcome, Report};
use crate::reporter::Reporter;
use crate::requests::{self, StepError};
use crate::settle::{self, Seen};
use crate::snapshot::Snapshot;

/// How many steps are in flight at once unless [`Apply::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// How long the steps in flight may take to finish once a stop is asked for, unless
/// [`Apply::grace`] says otherwise.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);

/// A run of a plan, configured, then [`run`](Apply::run).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let fake = losant_invites_mock::MockServer::builder()
/// #     .seed(losant_invites_mock::Seed::demo()).start().await?;
/// # let client = losant_invites_client::Client::builder()
/// #     .token(losant_invites_mock::demo::ADMIN_TOKEN).base_url(fake.url()).build()?;
/// use losant_invites_housekeeping::{Apply, Cancel, Intent, Org, Selection, Snapshot, plan_invites};
///
/// let org = Org::new("575ec8687ae143cd83dc4a95", "575ec8687ae143cd83dc4a97")?;
/// let stale = Selection { expired: true, ..Default::default() };
/// let snapshot = Snapshot::read_invites(&client, &org, &stale.query()).await?;
/// let plan = plan_invites::for_selection(&snapshot, &stale, &Intent::Revoke);
/// let cancel = Cancel::new(); // hand a clone to whatever may stop the run
/// let report = Apply::new(&client, &plan).concurrency(4).cancel(&cancel).run(&mut ()).await;
/// assert_eq!(report.totals(&plan).failed, 0);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Apply<'a> {
    client: &'a Client,
    plan: &'a Plan,
    concurrency: usize,
    grace: Duration,
    ignore_missing: bool,
    cancel: Cancel,
}

/// How one step's attempt ended.
enum Attempt {
    /// Its outcome.
    Final(Outcome),
    /// Its answer was lost after the request may have acted: held until a fresh listing
    /// settles it.
    Unsure(Error),
}

impl<'a> Apply<'a> {
    /// A run of `plan` through `client`, with the defaults: [`DEFAULT_CONCURRENCY`] steps in
    /// flight, [`DEFAULT_GRACE`] to finish after a stop, a missing invite a failure.
    pub fn new(client: &'a Client, plan: &'a Plan) -> Self {
        Self {
            client,
            plan,
            concurrency: DEFAULT_CONCURRENCY,
            grace: DEFAULT_GRACE,
            ignore_missing: false,
            cancel: Cancel::new(),
        }
    }

    /// How many steps may be in flight at once (at least 1).
    pub fn concurrency(mut self, steps: usize) -> Self {
        self.concurrency = steps.max(1);
        self
    }

    /// How long the steps in flight may take to finish once a stop is asked for; past it
    /// they are reported unanswered.
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Counts a revocation of an invite, or a removal of a member, already gone (404) as
    /// done ([`Outcome::AlreadyGone`]): a half-done cleanup then succeeds when run again. (One
    /// whose answer was lost is settled by listing again, as always.)
    pub fn ignore_missing(mut self, ignore: bool) -> Self {
        self.ignore_missing = ignore;
        self
    }

    /// Stops the run when `cancel` says so (see [`Cancel`]).
    pub fn cancel(mut self, cancel: &Cancel) -> Self {
        self.cancel = cancel.clone();
        self
    }

    /// Runs the plan to its end, or until stopped, telling `reporter` what happens, and
    /// gives the account of every step.
    pub async fn run(self, reporter: &mut impl Reporter) -> Report {
        let steps = &self.plan.steps;
        let org = &self.plan.org;
        let mut outcomes: Vec<Option<Outcome>> = steps.iter().map(|_| None).collect();
        let mut held: Vec<Option<Error>> = steps.iter().map(|_| None).collect();
        let mut read: Vec<Option<Box<types::OrgInvite>>> = steps.iter().map(|_| None).collect();
        let mut started = vec![false; steps.len()];
        for (index, step) in steps.iter().enumerate() {
            if !step.action.acts() {
                reporter.finished(index, &Outcome::Skipped);
                outcomes[index] = Some(Outcome::Skipped);
            }
        }

        let mut waiting = steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.action.acts())
            .map(|(index, _)| index);
        let mut stage = self.cancel.watch();
        let mut watching = true;
        let mut in_flight = FuturesUnordered::new();
        let mut deadline: Option<tokio::time::Instant> = None;
        loop {
            let now_stage = *stage.borrow_and_update();
            if now_stage >= Stage::Stopping && deadline.is_none() {
                deadline = Some(tokio::time::Instant::now() + self.grace);
                reporter.stopping(in_flight.len(), self.grace);
            }
            if now_stage >= Stage::Abandoning {
                break;
            }
            while deadline.is_none() && in_flight.len() < self.concurrency {
                let Some(index) = waiting.next() else { break };
                started[index] = true;
                reporter.started(index);
                let (client, ignore_missing) = (self.client, self.ignore_missing);
                in_flight.push(async move {
                    (
                        index,
                        attempt(client, org, &steps[index], ignore_missing).await,
                    )
                });
            }
            if in_flight.is_empty() {
                break;
            }
            let grace_over = async {
                match deadline {
                    Some(deadline) => tokio::time::sleep_until(deadline).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                Some((index, (attempt, was_read))) = in_flight.next() => {
                    read[index] = was_read.map(Box::new);
                    match attempt {
                        Attempt::Final(outcome) => {
                            reporter.finished(index, &outcome);
                            outcomes[index] = Some(outcome);
                        }
                        Attempt::Unsure(error) => held[index] = Some(error),
                    }
                }
                changed = stage.changed(), if watching => watching = changed.is_ok(),
                () = grace_over => break,
            }
        }
        drop(in_flight);
        let interrupted = deadline.is_some();

        // The steps whose outcome is unknown: answered in a way that says they may have
        // acted, or sent and still unanswered when the run stopped waiting.
        let unsure: Vec<usize> = (0..steps.len())
            .filter(|&index| held[index].is_some() || (started[index] && outcomes[index].is_none()))
            .collect();
        if !unsure.is_empty() {
            match Snapshot::read(self.client, org).await {
                Err(error) => reporter.settle_failed(unsure.len(), &error),
                Ok(fresh) => {
                    let acted_on = resent_invites(self.plan);
                    for index in unsure {
                        let known = read[index].as_deref();
                        let seen = look(&steps[index], known, &fresh, &acted_on);
                        let outcome = match (seen, held[index].take()) {
                            (Seen::Done(invite), _) => Outcome::Done(Done {
                                answer: invite.map_or(Answer::Gone, Answer::Invite),
                                read: read[index].take(),
                                confirmed_by_listing: true,
                            }),
                            (Seen::DoneMember(member), _) => Outcome::Done(Done {
                                answer: Answer::Member(member),
                                read: None,
                                confirmed_by_listing: true,
                            }),
                            (Seen::NotDone(seen), Some(error)) => Outcome::Failed(Failed {
                                error,
                                listed_again: Some(ListedAgain {
                                    seen,
                                    may_have_taken_effect: false,
                                }),
                            }),
                            (Seen::Unclear(seen), Some(error)) => Outcome::Failed(Failed {
                                error,
                                listed_again: Some(ListedAgain {
                                    seen,
                                    may_have_taken_effect: true,
                                }),
                            }),
                            // Sent and unanswered when the run stopped: it stays so.
                            (_, None) => continue,
                        };
                        reporter.finished(index, &outcome);
                        outcomes[index] = Some(outcome);
                    }
                }
            }
        }

        let outcomes = outcomes
            .into_iter()
            .enumerate()
            .map(|(index, outcome)| {
                if let Some(outcome) = outcome {
                    return outcome;
                }
                let outcome = match held[index].take() {
                    Some(error) => Outcome::Failed(Failed {
                        error,
                        listed_again: None,
                    }),
                    None if started[index] => Outcome::Unanswered,
                    None => Outcome::NotAttempted,
                };
                reporter.finished(index, &outcome);
                outcome
            })
            .collect();
        Report {
            outcomes,
            interrupted,
        }
    }
}

/// The invites a plan resends: a renewal found done by listing is a new pending invite for
/// its email that is none of these.
fn resent_invites(plan: &Plan) -> HashSet<LosantId> {
    plan.steps
        .iter()
        .filter(|step| matches!(step.action, Action::Resend { .. } | Action::Renew { .. }))
        .filter_map(|step| step.action.invite_id().cloned())
        .collect()
}

/// What `fresh` shows of `step`, by the rule of its kind; `read` is the invite as the run
/// read it before acting, when it did.
fn look(
    step: &Step,
    read: Option<&types::OrgInvite>,
    fresh: &Snapshot,
    acted_on: &HashSet<LosantId>,
) -> Seen {
    match &step.action {
        Action::Invite { body } => settle::invited(body.email.as_str(), fresh),
        Action::Resend {
            invite_id, before, ..
        }
        | Action::Renew { invite_id, before } => {
            let email = before
                .as_deref()
                .or(read)
                .and_then(|invite| invite.email.as_deref())
                .map(String::as_str);
            settle::resent(invite_id, email, fresh, acted_on)
        }
        Action::Revoke { invite_id, .. } => settle::revoked(invite_id, fresh),
        Action::SetRole { user_id, patch, .. } => settle::role_set(user_id, patch.role, fresh),
        Action::RemoveMember { user_id, .. } => settle::member_removed(user_id, fresh),
        Action::Get { .. } | Action::Skip => {
            Seen::Unclear("a read leaves nothing to look for".to_owned())
        }
    }
}

/// Sends `step`'s request once (the client retries only what is safe to repeat), and says how
/// it ended, with the invite read first when the step had to read it.
async fn attempt(
    client: &Client,
    org: &Org,
    step: &Step,
    ignore_missing: bool,
) -> (Attempt, Option<types::OrgInvite>) {
    let done = |answer| {
        Attempt::Final(Outcome::Done(Done {
            answer,
            read: None,
            confirmed_by_listing: false,
        }))
    };
    let failed = |error: Error| {
        Attempt::Final(Outcome::Failed(Failed {
            error,
            listed_again: None,
        }))
    };
    let unsure_or_failed = |error: Error| {
        if error.may_have_taken_effect() {
            Attempt::Unsure(error)
        } else {
            failed(error)
        }
    };
    let attempt = match &step.action {
        Action::Skip => Attempt::Final(Outcome::Skipped),
        Action::Get { invite_id } => match requests::get(client, org, invite_id).send().await {
            Ok(answer) => done(Answer::Invite(Box::new(answer.into_inner()))),
            Err(error) => failed(error),
        },
        Action::Revoke { invite_id, .. } => {
            match requests::delete(client, org, invite_id).send().await {
                Ok(answer) => done(Answer::Success(answer.into_inner())),
                // An answer lost is settled by listing again, like any other.
                Err(error) if ignore_missing && error.is_not_found() => {
                    Attempt::Final(Outcome::AlreadyGone(error))
                }
                Err(error) => unsure_or_failed(error),
            }
        }
        Action::Resend {
            invite_id, info, ..
        } => match requests::resend(client, org, invite_id, info.clone())
            .send()
            .await
        {
            Ok(answer) => done(Answer::Invite(Box::new(answer.into_inner()))),
            Err(error) => unsure_or_failed(error),
        },
        Action::Renew { invite_id, before } => {
            let (invite, was_read, info) =
                match requests::renewal(client, org, invite_id, before.as_deref()).await {
                    Ok(renewal) => renewal,
                    Err(StepError::Client(error)) => return (failed(error), None),
                    Err(StepError::NewerRole(newer)) => {
                        return (Attempt::Final(Outcome::Refused(newer.to_string())), None);
                    }
                };
            let read = was_read.then_some(invite);
            let attempt = match requests::resend(client, org, invite_id, info).send().await {
                Ok(answer) => Attempt::Final(Outcome::Done(Done {
                    answer: Answer::Invite(Box::new(answer.into_inner())),
                    read: read.clone().map(Box::new),
                    confirmed_by_listing: false,
                })),
                Err(error) => unsure_or_failed(error),
            };
            return (attempt, read);
        }
        Action::SetRole { user_id, patch, .. } => {
            match requests::patch_member(client, org, user_id, patch.clone())
                .send()
                .await
            {
                Ok(answer) => done(Answer::Member(Box::new(answer.into_inner()))),
                Err(error) => unsure_or_failed(error),
            }
        }
        Action::RemoveMember { user_id, .. } => {
            match requests::remove_member(client, org, user_id).send().await {
                Ok(answer) => done(Answer::Success(answer.into_inner())),
                // An answer lost is settled by listing again, like any other.
                Err(error) if ignore_missing && error.is_not_found() => {
                    Attempt::Final(Outcome::AlreadyGone(error))
                }
                Err(error) => unsure_or_failed(error),
            }
        }
        Action::Invite { body } => match requests::create(client, org, body.clone()).send().await {
            Ok(answer) => {
                let answer = answer.into_inner();
                done(match answer.created_invite(body.email.as_str()) {
                    Some(created) => Answer::Invite(Box::new(created)),
                    None => Answer::Created(Box::new(answer)),
                })
            }
            Err(error) => unsure_or_failed(error),
        },
    };
    (attempt, None)
}
