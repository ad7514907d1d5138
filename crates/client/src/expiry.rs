//! What invite housekeeping needs to know of an invite: when it expires, whether it has, and
//! how old it is.
//!
//! Losant's schema gives `inviteDate`, `ttl` and `hasExpired` without saying how they relate;
//! its documentation says an invitation not accepted within seven days (604 800 000, the
//! `ttl` Losant sends) has expired. So an invite expires `ttl` milliseconds after its
//! `inviteDate`, and Losant's own `hasExpired` is taken over the dates wherever it is sent.

use chrono::{DateTime, Duration, Utc};

use crate::types::OrgInvite;

impl OrgInvite {
    /// When the invite expires: its `inviteDate` plus its `ttl` milliseconds. `None` when
    /// Losant sent neither, or a `ttl` that is not a number of milliseconds.
    ///
    /// ```
    /// # let invite: losant_invites_client::types::OrgInvite = serde_json::from_str(
    /// #     r#"{"inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 604800000}"#).unwrap();
    /// let expires = invite.expires_at().unwrap();
    /// assert_eq!(expires.to_rfc3339(), "2026-01-08T00:00:00+00:00");
    /// ```
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        let sent = self.invite_date.as_ref()?.to_utc();
        let ttl = self.ttl.as_ref()?;
        let ttl = match ttl.as_i64() {
            Some(ms) => Duration::try_milliseconds(ms)?,
            None => Duration::try_milliseconds(ttl.as_f64()?.round() as i64)?,
        };
        sent.checked_add_signed(ttl)
    }

    /// Whether the invite had expired at `at`: Losant's `hasExpired` when it sent one (it
    /// knows best, for its own now), else whether `at` is past [`expires_at`](Self::expires_at).
    /// `None` when neither can tell.
    pub fn has_expired_at(&self, at: DateTime<Utc>) -> Option<bool> {
        self.has_expired
            .or_else(|| self.expires_at().map(|expires| at >= expires))
    }

    /// How long ago, at `at`, the invite was sent (or last resent): `at` minus `inviteDate`.
    pub fn age_at(&self, at: DateTime<Utc>) -> Option<Duration> {
        Some(at - self.invite_date.as_ref()?.to_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(json: &str) -> OrgInvite {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_invite_expires_ttl_after_its_date_and_losant_s_flag_wins() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let dated = invite(r#"{"inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 604800000}"#);
        assert_eq!(dated.expires_at(), Some(at("2026-01-08T00:00:00Z")));
        assert_eq!(
            dated.has_expired_at(at("2026-01-07T23:59:59Z")),
            Some(false)
        );
        assert_eq!(dated.has_expired_at(at("2026-01-08T00:00:00Z")), Some(true));
        assert_eq!(
            dated.age_at(at("2026-01-03T00:00:00Z")),
            Some(Duration::days(2))
        );
        let flagged = invite(
            r#"{"inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 604800000, "hasExpired": true}"#,
        );
        assert_eq!(
            flagged.has_expired_at(at("2026-01-02T00:00:00Z")),
            Some(true)
        );
        let fractional = invite(r#"{"inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 1.5e3}"#);
        assert_eq!(
            fractional.expires_at(),
            Some(at("2026-01-01T00:00:01.500Z"))
        );
        let bare = invite("{}");
        assert_eq!(
            (
                bare.expires_at(),
                bare.has_expired_at(at("2026-01-01T00:00:00Z")),
                bare.age_at(Utc::now())
            ),
            (None, None, None)
        );
        let absurd = invite(r#"{"inviteDate": "2026-01-01T00:00:00.000Z", "ttl": 1e300}"#);
        assert_eq!(absurd.expires_at(), None, "no panic on a ttl out of range");
    }
}
