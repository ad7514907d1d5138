//! What the runtime knows of an action, written into each generated `send` from the model of
//! the spec (see `losant-invites-codegen`): nothing here lists actions by hand.

/// One action of the API, as generation describes it to the runtime.
#[derive(Debug)]
pub(crate) struct Action {
    /// Losant's name of the action, such as `instanceOrgInvite.get`.
    pub(crate) name: &'static str,
    /// Whether running it twice does no more than running it once, so a failed attempt may
    /// be retried even after the request left (from its HTTP method).
    pub(crate) retry_safe: bool,
    /// Whether it changes something on the server, so a lost answer may hide its effect.
    pub(crate) changes: bool,
    /// What to check when its answer was lost and it may have taken effect all the same
    /// (the spec's `x-if-outcome-unknown`).
    pub(crate) if_outcome_unknown: Option<&'static str>,
}
