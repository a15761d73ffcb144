//! One call from params to response: authorize, send, and decide what a failure means —
//! retry, refresh the token once, correct the clock once, or report (OutcomeUnknown for money).

use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;
use serde_json::Value;

use crate::catalog;
use crate::client::{Client, Response};
use crate::credentials::Authorizer;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::Operation;
use crate::request;
use crate::retry::may_retry;
use crate::wire;

/// A gateway that refuses a signature and whose clock is further than this from ours is taken
/// to be rejecting our clock, not our key.
const SKEW_THRESHOLD: Duration = Duration::from_secs(5 * 60);

fn distance(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).unwrap_or_else(|e| e.duration())
}

impl Client {
    pub(crate) fn execute<'a>(
        &'a self,
        op: &'a Operation,
        params: &'a Value,
        auth: &'a Authorizer,
    ) -> BoxFuture<'a, Result<Response>> {
        Box::pin(async move {
            let out = request::build(&self.inner.config, op, params)
                .map_err(|e| e.with_operation(op.name))?;
            let cfg = &self.inner.config;
            let transport = &self.inner.transport;
            let deadline = Instant::now() + cfg.total_timeout;
            let (mut attempt, mut sends) = (0u32, 0u32);
            let (mut token_refreshed, mut clock_corrected) = (false, false);
            loop {
                attempt += 1;
                transport.throttle(op.name).await;
                let applied = auth
                    .authorize(self, op.service)
                    .await
                    .map_err(|e| e.with_operation(op.name))?;
                let headers = applied
                    .headers(&out, transport.now())
                    .map_err(|e| e.with_operation(op.name))?;
                let remaining = deadline.saturating_duration_since(Instant::now());
                let err = if remaining.is_zero() {
                    Error::new(
                        ErrorKind::Timeout,
                        Dispatch::NotSent,
                        "the call's total time ran out before this attempt",
                    )
                } else {
                    sends += 1;
                    let started = Instant::now();
                    let result = transport
                        .send(&out, &headers, cfg.attempt_timeout.min(remaining))
                        .await;
                    match result {
                        Ok(resp) if (200..300).contains(&resp.status) => {
                            let request_id = resp.request_id();
                            tracing::debug!(op = op.name, status = resp.status, request_id = ?request_id, attempt, elapsed_ms = started.elapsed().as_millis() as u64, "ok");
                            return Ok(Response {
                                status: resp.status,
                                request_id,
                                headers: resp.headers,
                                body: resp.body,
                            });
                        }
                        Ok(resp) => {
                            let e = wire::error_from_response(&resp);
                            tracing::debug!(op = op.name, status = resp.status, code = ?e.code(), request_id = ?e.request_id(), attempt, "error response");
                            // A rejected token: fetch a new one once (the gateway did not process the call).
                            if !token_refreshed
                                && applied.is_token()
                                && auth.can_refresh()
                                && catalog::is_token_expired(resp.status, e.code())
                            {
                                token_refreshed = true;
                                auth.invalidate(&applied);
                                attempt -= 1;
                                continue;
                            }
                            // A rejected signature with the server's clock far from ours: re-sign once with
                            // its time. Never more: repeated signature failures lock the key.
                            if !clock_corrected
                                && cfg.clock_skew_correction
                                && applied.is_signed()
                                && catalog::is_signature_rejected(resp.status, e.code())
                            {
                                if let Some(server) = resp.server_date() {
                                    if distance(server, transport.now()) > SKEW_THRESHOLD {
                                        clock_corrected = true;
                                        transport.learn_clock(server);
                                        tracing::warn!(
                                            op = op.name,
                                            offset_s = transport.clock_offset(),
                                            "local clock is off; re-signing once with the server's time"
                                        );
                                        attempt -= 1;
                                        continue;
                                    }
                                }
                            }
                            e
                        }
                        Err(e) => {
                            tracing::debug!(
                                op = op.name,
                                kind = e.kind().as_str(),
                                dispatch = e.dispatch().as_str(),
                                attempt,
                                "transport failure"
                            );
                            e
                        }
                    }
                };
                let err = err.with_operation(op.name).with_attempts(sends);
                if attempt < cfg.retry.max_attempts && may_retry(op.effect, &err) {
                    let delay = cfg.retry.delay(attempt, &err);
                    if Instant::now() + delay < deadline {
                        tracing::debug!(
                            op = op.name,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                }
                return Err(self.finish(op, err));
            }
        })
    }

    /// Final shape of an error: OutcomeUnknown for state changes that may have been applied,
    /// the other-site hint for the most common misconfiguration.
    fn finish(&self, op: &Operation, err: Error) -> Error {
        let may_be_applied = match err.dispatch() {
            Dispatch::NotSent => false,
            Dispatch::MaybeSent => true,
            Dispatch::Responded => {
                err.status().is_some_and(|s| s >= 500)
                    || matches!(err.code(), Some("CBC.99000050" | "CBC.99000088"))
            }
        };
        if !op.effect.is_idempotent() && may_be_applied {
            return err.into_outcome_unknown();
        }
        if catalog::is_wrong_site(err.code()) {
            let site = self.inner.config.site;
            let other = site.other();
            let meaning = catalog::lookup(err.code().unwrap_or(""), err.status().unwrap_or(0))
                .map_or("access denied", |e| e.meaning);
            return err.with_hint(format!(
                "{meaning}. This client calls the {} site ({}); if the account is registered on the {} site, configure site \"{}\" ({})",
                site.as_str(),
                self.inner.config.bss_endpoint,
                other.as_str(),
                other.as_str(),
                other.bss_endpoint()
            ));
        }
        err
    }
}
