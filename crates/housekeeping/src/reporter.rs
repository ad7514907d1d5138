//! Progress leaving a run as it goes: a program draws a bar, prints lines or counts, the run
//! only says what happened.

use std::time::Duration;

use losant_invites_client::Error;

use crate::report::Outcome;

/// What a run tells as it goes, by the index of each step in the plan. Every method does
/// nothing unless implemented; `()` is a reporter that listens to nothing.
///
/// ```
/// use losant_invites_housekeeping::{Outcome, Reporter};
///
/// /// Counts what is done.
/// #[derive(Default)]
/// struct Count(usize);
///
/// impl Reporter for Count {
///     fn finished(&mut self, _step: usize, outcome: &Outcome) {
///         self.0 += usize::from(matches!(outcome, Outcome::Done(_)));
///     }
/// }
/// ```
pub trait Reporter {
    /// Step `step` is about to send its request.
    fn started(&mut self, step: usize) {
        let _ = step;
    }

    /// Step `step` came to `outcome`: a skipped step as the run starts, an acting step as
    /// its answer comes, one whose answer was lost once a fresh listing has settled it, and
    /// one never started or never answered when the run ends.
    fn finished(&mut self, step: usize, outcome: &Outcome) {
        let _ = (step, outcome);
    }

    /// The run was asked to stop: no step starts any more, and the `in_flight` ones get up
    /// to `grace` to finish.
    fn stopping(&mut self, in_flight: usize, grace: Duration) {
        let _ = (in_flight, grace);
    }

    /// `steps` answers were lost, and the fresh listing that would settle them failed with
    /// `error`: they stay as they were (may have taken effect).
    fn settle_failed(&mut self, steps: usize, error: &Error) {
        let _ = (steps, error);
    }
}

impl Reporter for () {}
