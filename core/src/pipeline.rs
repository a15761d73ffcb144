//! One call from params to result: the attempt loop. Each attempt waits for the rate limit,
//! authorizes, signs, sends and reads the answer (`response::outcome`); a failure is retried,
//! answered by one token refresh or one clock correction, or reported. One deadline bounds
//! everything, nested token and domain-id fetches included.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;
use serde_json::Value;

use crate::catalog;
use crate::client::Client;
use crate::credentials::Authorizer;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::facade::reconcile;
use crate::operation::Operation;
use crate::per_call::PerCall;
use crate::request;
use crate::response::{self, Body, Want};
use crate::retry;

/// A gateway that refuses a signature and whose clock is further than this from ours is taken
/// to be rejecting our clock, not our key.
const SKEW_THRESHOLD: Duration = Duration::from_secs(5 * 60);

fn distance(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).unwrap_or_else(|e| e.duration())
}

/// Keeps the server's clock from `resp`'s `Date` when it is more than [`SKEW_THRESHOLD`] from
/// ours; whether it did.
fn keep_server_clock(
    transport: &crate::transport::Transport,
    resp: &crate::transport::Incoming,
) -> bool {
    match resp.server_date() {
        Some(server) if distance(server, transport.now()) > SKEW_THRESHOLD => {
            transport.learn_clock(server);
            true
        }
        _ => false,
    }
}

/// How far a call has got, shared with whoever may cancel it: once a request may be on the
/// wire, a state change must run to its end (money moves once).
#[derive(Debug, Default)]
pub struct Progress {
    sent: AtomicBool,
}

impl Progress {
    /// Whether a request of this call may have reached the server.
    pub fn may_be_sent(&self) -> bool {
        self.sent.load(Ordering::SeqCst)
    }
    fn mark_sent(&self) {
        self.sent.store(true, Ordering::SeqCst);
    }
}

/// What a successful call tells besides its result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Meta {
    pub status: u16,
    /// `X-Request-Id` of the answer: quote it to Huawei support.
    pub request_id: Option<String>,
    /// Requests sent, retries included.
    pub attempts: u32,
    pub elapsed: Duration,
}

/// A successful call.
#[derive(Debug)]
pub(crate) struct Reply {
    pub body: Body,
    pub meta: Meta,
}

impl Reply {
    pub fn into_value(self) -> Result<Value> {
        self.body.into_value()
    }
}

fn out_of_time(what: &str) -> Error {
    Error::new(
        ErrorKind::Timeout,
        Dispatch::NotSent,
        format!("the call's total time ran out {what}"),
    )
}

impl Client {
    /// Runs `op` to its end or its deadline. `progress`, when given, learns when the request may
    /// have been sent; `per` replaces the client's retries and adds headers.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute<'a>(
        &'a self,
        op: &'a Operation,
        params: Value,
        auth: &'a Authorizer,
        deadline: Instant,
        progress: Option<&'a Progress>,
        want: Want,
        per: &'a PerCall,
    ) -> BoxFuture<'a, Result<Reply>> {
        Box::pin(async move {
            let started = Instant::now();
            let began = self.inner.transport.now();
            let mut out = request::build(&self.inner.config, op, params)
                .map_err(|e| e.with_operation(op.name))?;
            // Before signing: the extra headers are signed like the rest.
            out.headers.extend(per.headers.iter().cloned());
            let cfg = &self.inner.config;
            let policy = per.retry.as_ref().unwrap_or(&cfg.retry);
            let transport = &self.inner.transport;
            let (mut attempt, mut sends) = (0u32, 0u32);
            let (mut token_refreshed, mut clock_corrected) = (false, false);
            loop {
                attempt += 1;
                let prepared = async {
                    tokio::time::timeout_at(deadline.into(), transport.throttle(op.name))
                        .await
                        .map_err(|_| {
                            out_of_time("while waiting for the client-side rate limit")
                        })??;
                    let applied = tokio::time::timeout_at(
                        deadline.into(),
                        auth.authorize(self, op.service, deadline),
                    )
                    .await
                    .map_err(|_| out_of_time("while obtaining credentials"))?
                    // Whatever happened to a token or domain-id request, this one was not sent.
                    .map_err(|e| e.before_send("obtaining credentials"))?;
                    let headers = applied.headers(&out, transport.now())?;
                    Ok::<_, Error>((applied, headers))
                };
                let (applied, headers) = prepared
                    .await
                    .map_err(|e| e.with_operation(op.name).with_attempts(sends))?;
                let remaining = deadline.saturating_duration_since(Instant::now());
                let err = if remaining.is_zero() {
                    out_of_time("before this attempt")
                } else {
                    sends += 1;
                    if let Some(p) = progress {
                        p.mark_sent();
                    }
                    let sent_at = Instant::now();
                    match transport
                        .send(
                            &out,
                            &headers,
                            cfg.attempt_timeout.min(remaining),
                            op.effect.is_idempotent(),
                        )
                        .await
                    {
                        Ok(resp) => match response::outcome(op, &resp, want) {
                            Ok(body) => {
                                // The service's clock, kept from any answer that shows it far
                                // from ours: the next signature and an unknown outcome's
                                // reconcile window then use it.
                                if cfg.clock_skew_correction {
                                    keep_server_clock(transport, &resp);
                                }
                                let request_id = resp.request_id();
                                tracing::debug!(op = op.name, status = resp.status, request_id = ?request_id, attempt, elapsed_ms = sent_at.elapsed().as_millis() as u64, "ok");
                                return Ok(Reply {
                                    body,
                                    meta: Meta {
                                        status: resp.status,
                                        request_id,
                                        attempts: sends,
                                        elapsed: started.elapsed(),
                                    },
                                });
                            }
                            Err(e) => {
                                tracing::debug!(op = op.name, status = resp.status, code = ?e.code(), request_id = ?e.request_id(), attempt, "error answer");
                                // A rejected token: fetch a new one once (the gateway did not process the call).
                                if !token_refreshed
                                    && auth.can_refresh(&applied)
                                    && catalog::is_token_expired(resp.status, e.code())
                                {
                                    token_refreshed = true;
                                    auth.invalidate(&applied);
                                    attempt -= 1;
                                    continue;
                                }
                                // A rejected signature with the server's clock far from ours: re-sign
                                // once with its time. Never more: repeated failures lock the key.
                                if !clock_corrected
                                    && cfg.clock_skew_correction
                                    && applied.is_signed()
                                    && catalog::is_signature_rejected(resp.status, e.code())
                                    && keep_server_clock(transport, &resp)
                                {
                                    clock_corrected = true;
                                    tracing::warn!(
                                        op = op.name,
                                        offset_s = transport.clock_offset(),
                                        "local clock is off; re-signing once with the server's time"
                                    );
                                    attempt -= 1;
                                    continue;
                                }
                                e
                            }
                        },
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
                if attempt < policy.max_attempts && retry::may_retry(op.effect, &err) {
                    let delay = policy.delay(attempt, &err);
                    if Instant::now() + delay < deadline {
                        tracing::debug!(
                            op = op.name,
                            delay_ms = delay.as_millis() as u64,
                            code = ?err.code(),
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                }
                let err = retry::finish(op, err, cfg);
                return Err(if err.kind() == ErrorKind::OutcomeUnknown {
                    let ticket = reconcile::ticket(op, &out.body, began, transport.now());
                    err.with_ticket(ticket)
                } else {
                    err
                });
            }
        })
    }
}
