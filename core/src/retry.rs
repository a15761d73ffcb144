//! When to try again, and how long to wait. The rule that matters: money moves once.
//!
//! A call is retried only if trying again cannot apply it twice: reads (and IAM token calls) after
//! any transient failure; everything else only when the request provably never left this machine.

use std::time::Duration;

use rand::Rng;

use crate::catalog;
use crate::config::Config;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::{Effect, Operation};

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

/// Whether a failed request may have been applied by the server anyway.
pub fn may_have_applied(error: &Error) -> bool {
    match error.dispatch() {
        Dispatch::NotSent => false,
        Dispatch::MaybeSent => true,
        // A 2xx that could not be read was applied for certain: it is reported as such (Decode).
        Dispatch::Responded => {
            error.status().is_some_and(|s| s >= 500)
                || error
                    .code()
                    .is_some_and(|c| catalog::may_have_applied(c, error.status().unwrap_or(0)))
        }
    }
}

/// Where to look before acting again after an unknown outcome of an operation of `category`.
pub(crate) fn reconcile_with(category: &str) -> &'static str {
    match category {
        "accounts" => "list_partner_account_change_records or list_customers_balances_detail",
        "coupons" => "list_issued_partner_coupons or list_partner_coupons_record",
        "customers" => "list_sub_customers",
        "orders" => "list_customer_orders or show_customer_order_details",
        "resources" => "list_pay_per_use_customer_resources",
        "indirect-partners" => "list_partner_adjust_records or list_issued_coupon_quotas",
        "enterprise" => "show_multi_account_transfer_amount or list_enterprise_sub_customers",
        "realname" => "show_real_name_auth_status",
        _ => "the matching list or show operation",
    }
}

/// The final shape of a failure: `OutcomeUnknown` for a state change that may have been
/// applied, and the other-site hint for the most common misconfiguration.
pub(crate) fn finish(op: &Operation, err: Error, config: &Config) -> Error {
    if !op.effect.is_idempotent() && may_have_applied(&err) {
        let how = reconcile_with(op.category);
        return err.into_outcome_unknown(how);
    }
    if catalog::is_wrong_site(err.code()) {
        let site = config.site;
        let other = site.other();
        let meaning = catalog::lookup(err.code().unwrap_or(""), err.status().unwrap_or(0))
            .map_or("access denied", |e| e.meaning);
        return err.with_hint(format!(
            "{meaning}. This client calls the {} site ({}); if the account is registered on the {} site, configure site \"{}\" ({})",
            site.as_str(),
            config.bss_endpoint,
            other.as_str(),
            other.as_str(),
            other.bss_endpoint()
        ));
    }
    err
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
    fn what_may_have_been_applied() {
        let answered = |status: u16, code: Option<&str>| {
            Error::from_response(status, code.map(str::to_owned), "m".into(), None, None)
        };
        assert!(!may_have_applied(&err(
            ErrorKind::Connect,
            Dispatch::NotSent,
            true
        )));
        assert!(may_have_applied(&err(
            ErrorKind::Timeout,
            Dispatch::MaybeSent,
            false
        )));
        assert!(may_have_applied(&answered(500, None)));
        assert!(may_have_applied(&answered(502, Some("APIGW.0201"))));
        assert!(!may_have_applied(&answered(400, Some("CBC.0100"))));
        assert!(!may_have_applied(&answered(429, Some("APIGW.0308"))));
        // Codes the catalog marks as "reconcile": the request may have taken effect.
        assert!(may_have_applied(&answered(500, Some("CBC.99000050"))));
        assert!(may_have_applied(&answered(400, Some("CBC.99000088"))));
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
