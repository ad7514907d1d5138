//! One request as a handler sees it, already authorized, its IDs and query checked; and how
//! the fake was started to answer. A leaf that the routes and every handler import.

use axum::extract::RawPathParams;

/// What the create action answers with: Losant's 1.21–1.30 sources type it as the collection,
/// the Python client for 1.31 as the single new invite. A client that lasts takes both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CreateAnswer {
    /// The organization's invites, as a list answers them (API 1.29.1).
    #[default]
    Collection,
    /// The new invite alone.
    Invite,
}

/// What adding a member answers with: API 1.30.1 and later answer 201 with the member, or 202
/// when an invite was sent instead; 1.30.0 and before answer 200. A client that lasts takes
/// every form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemberAddAnswer {
    /// 201 with the member, 202 with the invite sent (API 1.30.1 and later).
    #[default]
    Current,
    /// 200, whichever it was (API 1.30.0 and before).
    Classic,
}

/// One request as a handler sees it: already authorized, its IDs and query checked.
pub(crate) struct Call<'a> {
    pub(crate) params: &'a RawPathParams,
    /// The query pairs, decoded, in the order sent.
    pub(crate) query: &'a [(String, String)],
    pub(crate) body: &'a [u8],
    /// What the create action answers with, as the fake was started.
    pub(crate) create_answer: CreateAnswer,
    /// What adding a member answers with, as the fake was started.
    pub(crate) member_add_answer: MemberAddAnswer,
}

impl Call<'_> {
    /// The path parameter `name`, such as `inviteId`.
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, value)| value)
    }
}
