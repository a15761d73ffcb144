//! When to try again, and how long to wait. The rule that matters: money moves once.
//!
//! A call is retried only if trying again cannot apply it twice: reads (and IAM token calls) after
//! any transient failure; everything else only when the request provably never left this machine.

use std::time::Duration;

use rand::Rng;

use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::Effect;

/// Backoff settings.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in total, including the first (1 = no retries).
    pub max_attempts: u32,
    /// Base of the exponential backoff: the cap of attempt n's delay is `base * 2^(n-1)`.
    pub base_delay: Duration,
    /// Upper bound of any single delay (also caps Retry-After).
    pub max_delay: Duration,
    /// Smallest delay after a throttling answer (Huawei advises 2–5 s).
    pub throttle_delay: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
            throttle_delay: Duration::from_secs(2),
        }
    }
}

impl RetryConfig {
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        RetryConfig {
            max_attempts,
            base_delay,
            max_delay,
            ..RetryConfig::default()
        }
    }
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
    pub fn with_throttle_delay(mut self, d: Duration) -> Self {
        self.throttle_delay = d;
        self
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.max_attempts == 0 {
            return Err(Error::config("retry.max_attempts", "must be at least 1"));
        }
        if self.base_delay > self.max_delay {
            return Err(Error::config(
                "retry.base_delay",
                "must not exceed retry.max_delay",
            ));
        }
        Ok(())
    }

    /// Full jitter: uniform in [0, min(max, base * 2^(attempt-1))], at least the throttle delay
    /// after throttling, and exactly Retry-After (capped) when the server gave one.
    pub fn delay(&self, attempt: u32, error: &Error) -> Duration {
        if let Some(after) = error.retry_after() {
            return after.min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20));
        let cap = exp.min(self.max_delay);
        let jittered = rand::rng().random_range(Duration::ZERO..=cap);
        if error.kind() == ErrorKind::Throttled {
            jittered.max(self.throttle_delay.min(self.max_delay))
        } else {
            jittered
        }
    }
}

/// Whether a failed attempt may be tried again, given what the operation does.
pub fn may_retry(effect: Effect, error: &Error) -> bool {
    match error.dispatch() {
        // Never left this machine: safe for every operation.
        Dispatch::NotSent => matches!(error.kind(), ErrorKind::Connect),
        // Only calls that cannot apply twice.
        Dispatch::MaybeSent => effect.is_idempotent(),
        Dispatch::Responded => effect.is_idempotent() && error.retryable(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind, dispatch: Dispatch, retryable: bool) -> Error {
        let mut e = Error::new(kind, dispatch, "x").with_retryable(retryable);
        e.set_dispatch(dispatch);
        e
    }

    #[test]
    fn money_moves_once() {
        for effect in [Effect::Write, Effect::WriteMoney] {
            assert!(may_retry(
                effect,
                &err(ErrorKind::Connect, Dispatch::NotSent, true)
            ));
            assert!(!may_retry(
                effect,
                &err(ErrorKind::Timeout, Dispatch::MaybeSent, true)
            ));
            assert!(!may_retry(
                effect,
                &err(ErrorKind::Api, Dispatch::Responded, true)
            ));
            assert!(!may_retry(
                effect,
                &err(ErrorKind::Throttled, Dispatch::Responded, true)
            ));
        }
        assert!(may_retry(
            Effect::Read,
            &err(ErrorKind::Timeout, Dispatch::MaybeSent, false)
        ));
        assert!(may_retry(
            Effect::Read,
            &err(ErrorKind::Throttled, Dispatch::Responded, true)
        ));
        assert!(!may_retry(
            Effect::Read,
            &err(ErrorKind::Api, Dispatch::Responded, false)
        ));
        assert!(!may_retry(
            Effect::Read,
            &err(ErrorKind::InvalidArgument, Dispatch::NotSent, false)
        ));
    }

    #[test]
    fn delays_are_bounded() {
        let c = RetryConfig::new(5, Duration::from_millis(100), Duration::from_millis(300));
        let e = err(ErrorKind::Api, Dispatch::Responded, true);
        for attempt in 1..10 {
            assert!(c.delay(attempt, &e) <= Duration::from_millis(300));
        }
        let t = err(ErrorKind::Throttled, Dispatch::Responded, true);
        let c = c.with_throttle_delay(Duration::from_millis(250));
        assert!(c.delay(1, &t) >= Duration::from_millis(250));
        let ra = err(ErrorKind::Throttled, Dispatch::Responded, true)
            .with_retry_after(Some(Duration::from_secs(60)));
        assert_eq!(c.delay(1, &ra), Duration::from_millis(300));
        assert!(RetryConfig::new(0, Duration::ZERO, Duration::ZERO)
            .check()
            .is_err());
    }
}
