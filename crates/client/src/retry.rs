//! When a failed attempt is worth another, and how long to wait before it.
//!
//! The schedule is exponential backoff with full jitter (a random wait between zero and the
//! exponential bound), from the `retry-policies` crate, so many clients failing together do not
//! retry in lockstep. A server's `Retry-After` lengthens the wait, up to a cap, and an overall
//! deadline bounds the whole call.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use retry_policies::policies::ExponentialBackoff;
use retry_policies::{Jitter, RetryDecision, RetryPolicy as _};

/// The statuses worth another attempt of an idempotent action: rate limiting and the gateway
/// errors of a proxy or load balancer in front of Losant.
const RETRIED_STATUSES: [StatusCode; 4] = [
    StatusCode::TOO_MANY_REQUESTS,
    StatusCode::BAD_GATEWAY,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::GATEWAY_TIMEOUT,
];

/// The longest backoff bound a policy keeps; see [`RetryPolicy::with_backoff`].
const LONGEST_BACKOFF: Duration = Duration::from_secs(24 * 60 * 60);

/// How the client retries failed attempts.
///
/// `get` and `delete` are idempotent: they are retried on connection errors and on the statuses
/// 429, 502, 503 and 504. `resendInvite` creates a new invite each time it runs and Losant has no
/// idempotency key, so it is retried only when the connection could not be made at all: then
/// the request provably never reached the server.
///
/// The default is [`RetryPolicy::standard`]: at most 3 attempts in all (as in the AWS SDKs'
/// standard mode), backoff from 100 ms up to 5 s with full jitter, `Retry-After` honoured up to
/// 20 s, and no retry that would end past 60 s after the first attempt.
///
/// ```
/// use std::time::Duration;
/// use losant_invites_client::RetryPolicy;
///
/// let patient = RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_backoff(Duration::from_millis(250), Duration::from_secs(10));
/// assert_eq!(patient.max_attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    min_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// At most 3 attempts, backoff 100 ms to 5 s with full jitter, `Retry-After` up to 20 s,
    /// all within 60 s.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
            deadline: Duration::from_secs(60),
        }
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the number of attempts in all, the first included; 0 counts as 1.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff bounds: the first retry waits up to `min`, each later one up to twice
    /// as long as the one before, never more than `max`. A `max` below `min` is raised to it.
    ///
    /// Both are cut to one day, which keeps the exponential arithmetic far from overflowing.
    pub fn with_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min.min(LONGEST_BACKOFF);
        self.max_backoff = max.max(min).min(LONGEST_BACKOFF);
        self
    }

    /// Sets the longest `Retry-After` the client waits for; a longer one is cut to this.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Sets the overall deadline: no retry starts if its wait would end later than this after
    /// the first attempt began.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The number of attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff bounds, as set by [`with_backoff`](Self::with_backoff).
    pub fn backoff(&self) -> (Duration, Duration) {
        (self.min_backoff, self.max_backoff)
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The overall deadline.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The wait before attempt `attempt + 1`, given that `attempt` attempts have failed, or
    /// `None` when no attempt is left. `retry_after` is the server's wish, if it sent one.
    pub(crate) fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let schedule = ExponentialBackoff::builder()
            .retry_bounds(self.min_backoff, self.max_backoff)
            .jitter(Jitter::Full)
            .base(2)
            .build_with_max_retries(self.max_attempts - 1);
        // The schedule answers with a moment (its own clock reading plus the jittered wait), so
        // the wait is measured from a reading taken after it: one taken before would add the
        // time the decision took and let the wait pass its bound.
        let backoff = match schedule.should_retry(SystemTime::now(), attempt.saturating_sub(1)) {
            RetryDecision::Retry { execute_after } => execute_after
                .duration_since(SystemTime::now())
                .unwrap_or_default(),
            RetryDecision::DoNotRetry => return None,
        };
        Some(backoff.max(retry_after.unwrap_or_default().min(self.max_retry_after)))
    }
}

/// How a try of a call failed, as far as retrying it cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection could not be made: the request never left.
    Connect,
    /// The connection was cut after the request left, or while the answer streamed.
    Cut,
    /// An answer with this status.
    Status(StatusCode),
    /// Anything a retry would not fix: a timeout (the attempt had its full time), an answer
    /// over the body cap (it would be as large again), invalid input.
    Final,
}

/// Whether a call that failed so is worth another try: after a failed connection always (the
/// request never left, so even a resendInvite is safe to repeat); after a cut connection or a
/// retried status only when the action is safe to repeat (get and delete; a resendInvite
/// may have made a new invite).
pub(crate) fn worth_retrying(failure: Failure, retry_safe: bool) -> bool {
    match failure {
        Failure::Connect => true,
        Failure::Cut => retry_safe,
        Failure::Status(status) => retry_safe && is_retried_status(status),
        Failure::Final => false,
    }
}

/// Whether an answer with `status` is worth retrying, for an idempotent action.
pub(crate) fn is_retried_status(status: StatusCode) -> bool {
    RETRIED_STATUSES.contains(&status)
}

/// The server's `Retry-After`, in delta-seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn waits_stay_within_the_exponential_bound_and_stop_after_the_last_attempt() {
        let policy = RetryPolicy::standard()
            .with_backoff(Duration::from_millis(100), Duration::from_secs(5));
        for _ in 0..200 {
            assert!(policy.wait(1, None).unwrap() <= Duration::from_millis(100));
            assert!(policy.wait(2, None).unwrap() <= Duration::from_millis(200));
        }
        assert_eq!(policy.wait(3, None), None, "3 attempts in all");
        assert_eq!(RetryPolicy::disabled().wait(1, None), None);
    }

    #[test]
    fn full_jitter_spreads_the_waits() {
        let policy =
            RetryPolicy::standard().with_backoff(Duration::from_secs(1), Duration::from_secs(1));
        let waits: std::collections::BTreeSet<Duration> =
            (0..50).map(|_| policy.wait(1, None).unwrap()).collect();
        assert!(waits.len() > 10, "jittered waits differ: {waits:?}");
    }

    #[test]
    fn retry_after_lengthens_the_wait_up_to_its_cap() {
        let policy = RetryPolicy::standard().with_max_retry_after(Duration::from_secs(2));
        assert!(policy.wait(1, Some(Duration::from_secs(1))).unwrap() >= Duration::from_secs(1));
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(3600))),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn settings_are_clamped_rather_than_refused() {
        let policy = RetryPolicy::standard()
            .with_max_attempts(0)
            .with_backoff(Duration::from_secs(2), Duration::from_secs(1));
        assert_eq!(policy.max_attempts(), 1);
        assert_eq!(
            policy.backoff(),
            (Duration::from_secs(2), Duration::from_secs(2))
        );
        let huge = RetryPolicy::standard()
            .with_max_attempts(u32::MAX)
            .with_backoff(Duration::MAX, Duration::MAX);
        assert_eq!(huge.backoff(), (LONGEST_BACKOFF, LONGEST_BACKOFF));
        for attempt in [1, 2, 40, u32::MAX - 1] {
            assert!(huge.wait(attempt, None).unwrap() <= LONGEST_BACKOFF);
        }
    }
}
