//! The mail the fake would send: one per invite made or resent, with the token the invitee
//! accepts it by (Losant's `orgInvites.post`). Nothing is sent anywhere; a test reads it at
//! `GET /_fake/outbox` or from the handle, and accepts the invite as the invitee would.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// One invitation mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail {
    /// The invite it is about.
    pub invite_id: String,
    /// The instance of the invite's organization.
    pub instance_id: String,
    /// The organization invited to.
    pub org_id: String,
    /// Who it is sent to.
    pub email: String,
    /// The role the invite gives, as the invite holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// What the invitee answers with to accept or decline (Losant's `orgInvites.post`).
    pub token: String,
    /// When it was sent: the invite's date.
    pub sent_at: String,
    /// Whether it was sent by a resend (`instanceOrgInvite.resendInvite`) rather than by the
    /// invite's creation (or the seed).
    pub resent: bool,
}

/// A fresh token, 32 hexadecimal characters, unguessable enough for a fake: each from a
/// per-process random start and a counter, mixed.
pub(crate) fn fresh_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}
