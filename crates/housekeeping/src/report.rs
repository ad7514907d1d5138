//! The account of a run: what became of each step of its plan (done, skipped, failed with its
//! error, may have taken effect, not attempted), and the totals.

use losant_invites_client::{Error, types};

use crate::plan::{Plan, Reason};

/// What became of each step of a plan, in the plan's order.
#[derive(Debug)]
pub struct Report {
    /// One outcome per step of the plan.
    pub outcomes: Vec<Outcome>,
    /// Whether the run was stopped before every step was attempted.
    pub interrupted: bool,
}

/// What became of one step.
#[derive(Debug)]
pub enum Outcome {
    /// Done.
    Done(Done),
    /// The plan had nothing to do for it (its reason says why).
    Skipped,
    /// Counted as done although it failed: the invite was already gone (404), or its
    /// revocation may have acted although the answer was lost, and the run was told to
    /// ignore what is missing.
    AlreadyGone(Error),
    /// Failed.
    Failed(Failed),
    /// Not sent: the step cannot be sent as it is (the text says why), such as an invite
    /// holding a role newer than this client, which cannot be sent back.
    Refused(String),
    /// Never started: the run was stopped first.
    NotAttempted,
    /// Sent, and no answer came before the run stopped waiting: it may have taken effect.
    Unanswered,
}

/// A step done.
#[derive(Debug)]
pub struct Done {
    /// What Losant answered, or what a fresh listing showed.
    pub answer: Answer,
    /// The invite as it was read before acting, when the run had to read it (a renewal of an
    /// invite named by ID).
    pub read: Option<Box<types::OrgInvite>>,
    /// Whether the answer was lost and the step was found done by listing the organization
    /// again.
    pub confirmed_by_listing: bool,
}

/// What a step done came back with.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// An invite: the one read, the new one a resend made, the one a create made (or the one
    /// a fresh listing showed in its place).
    Invite(Box<types::OrgInvite>),
    /// A create's answer that does not show the new invite, kept whole.
    Created(Box<types::OrgInviteCollection>),
    /// Losant's `{"success": true}`.
    Success(types::Success),
    /// A member: as changed, or as a fresh listing shows them.
    Member(Box<types::OrgMember>),
    /// A fresh listing shows the invite gone.
    Gone,
}

/// A step that failed.
#[derive(Debug)]
pub struct Failed {
    /// The client's error.
    pub error: Error,
    /// What a fresh listing showed, for a step whose answer was lost.
    pub listed_again: Option<ListedAgain>,
}

/// What a fresh listing showed of a step whose answer was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedAgain {
    /// What was seen, for a person.
    pub seen: String,
    /// Whether the step may still have taken effect: `false` when the listing shows it did
    /// not, so that the next run acts again.
    pub may_have_taken_effect: bool,
}

impl Outcome {
    /// Whether the step counts as done (or had nothing to do).
    pub fn is_ok(&self) -> bool {
        matches!(
            self,
            Outcome::Done(_) | Outcome::Skipped | Outcome::AlreadyGone(_)
        )
    }

    /// Whether the step may have taken effect although it is not reported done.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Outcome::Failed(failed) => match &failed.listed_again {
                Some(listed) => listed.may_have_taken_effect,
                None => failed.error.may_have_taken_effect(),
            },
            Outcome::Unanswered => true,
            _ => false,
        }
    }
}

/// How many steps came to what.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every step but the repeats of an earlier line.
    pub total: usize,
    /// Done, already gone included.
    pub succeeded: usize,
    /// Failed or refused.
    pub failed: usize,
    /// Nothing to do.
    pub skipped: usize,
    /// Lines repeating an earlier one, acted on once.
    pub repeats: usize,
    /// Counted done as already gone.
    pub already_gone: usize,
    /// Done, as found by listing again after the answer was lost.
    pub confirmed_by_listing: usize,
    /// Never started.
    pub not_attempted: usize,
    /// Sent and unanswered when the run stopped waiting.
    pub unanswered: usize,
}

impl Report {
    /// The totals of the run of `plan`.
    pub fn totals(&self, plan: &Plan) -> Totals {
        let mut totals = Totals::default();
        for (step, outcome) in plan.steps.iter().zip(&self.outcomes) {
            if matches!(step.reason, Reason::RepeatOf { .. }) {
                totals.repeats += 1;
                continue;
            }
            totals.total += 1;
            match outcome {
                Outcome::Done(done) => {
                    totals.succeeded += 1;
                    totals.confirmed_by_listing += usize::from(done.confirmed_by_listing);
                }
                Outcome::Skipped => totals.skipped += 1,
                Outcome::AlreadyGone(_) => {
                    totals.succeeded += 1;
                    totals.already_gone += 1;
                }
                Outcome::Failed(_) | Outcome::Refused(_) => totals.failed += 1,
                Outcome::NotAttempted => totals.not_attempted += 1,
                Outcome::Unanswered => totals.unanswered += 1,
            }
        }
        totals
    }
}
