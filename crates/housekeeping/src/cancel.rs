//! Stopping a run from outside: first no more steps are started and those in flight get a
//! grace time to finish, then, if asked again, the run stops waiting for them. A command
//! line's Ctrl-C is one caller; a service's shutdown is another.

use std::sync::Arc;

use tokio::sync::watch;

/// How far a run has been asked to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    Running,
    /// Start no more steps; let those in flight finish within the grace time.
    Stopping,
    /// Stop waiting for the steps in flight.
    Abandoning,
}

/// A handle that stops a run. Clones stop the same run.
///
/// ```
/// let cancel = losant_invites_housekeeping::Cancel::new();
/// let for_signals = cancel.clone();
/// for_signals.escalate(); // as a first Ctrl-C: no more steps start
/// assert!(cancel.is_stopping());
/// ```
#[derive(Clone, Debug)]
pub struct Cancel {
    stage: Arc<watch::Sender<Stage>>,
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

impl Cancel {
    /// A handle of a run not asked to stop.
    pub fn new() -> Self {
        Self {
            stage: Arc::new(watch::Sender::new(Stage::Running)),
        }
    }

    /// Starts no more steps; those in flight get the run's grace time to finish.
    pub fn stop(&self) {
        self.raise(Stage::Stopping);
    }

    /// Stops waiting for the steps in flight too: they are reported unanswered.
    pub fn stop_now(&self) {
        self.raise(Stage::Abandoning);
    }

    /// [`stop`](Self::stop) the first time, [`stop_now`](Self::stop_now) after: what a second
    /// Ctrl-C means.
    pub fn escalate(&self) {
        self.stage.send_modify(|stage| {
            *stage = match *stage {
                Stage::Running => Stage::Stopping,
                _ => Stage::Abandoning,
            }
        });
    }

    /// Whether the run has been asked to stop.
    pub fn is_stopping(&self) -> bool {
        *self.stage.borrow() >= Stage::Stopping
    }

    fn raise(&self, to: Stage) {
        self.stage.send_if_modified(|stage| {
            let raised = *stage < to;
            if raised {
                *stage = to;
            }
            raised
        });
    }

    pub(crate) fn watch(&self) -> watch::Receiver<Stage> {
        self.stage.subscribe()
    }
}
