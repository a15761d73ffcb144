//! Guarded calls for the faces: a panic anywhere inside becomes an `Internal` error (never a
//! hang, never an abort), and giving up follows the money rule. A read, or a call whose request
//! provably never left, is dropped at once. A state change that may be on the wire is never cut
//! off by a cancel, the caller's timeout or Ctrl-C: it runs to its end in the background, its
//! outcome is logged at WARN with the request id, and the caller gets `OutcomeUnknown` saying
//! how to check.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use serde_json::Value;

use super::numbers::Schema;
use crate::client::Client;
use crate::error::{bounded, Dispatch, Error, Result};
use crate::operation::Operation;
use crate::pipeline::{Meta, Progress};

/// How often a blocking call asks its face whether the user interrupted it (Ctrl-C).
pub const INTERRUPT_CHECK: Duration = Duration::from_millis(50);

/// A successful call: the result, what the answer said about itself, and its operation (whose
/// response model shapes the result's numbers).
#[derive(Debug)]
pub struct Answer {
    pub value: Value,
    pub meta: Meta,
    pub op: &'static Operation,
}

impl Answer {
    pub fn schema(&self) -> Schema {
        Schema::response(self.op)
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// `fut`, with a panic inside it turned into an `Internal` error.
pub async fn guard<T>(dispatch: Dispatch, fut: impl Future<Output = Result<T>>) -> Result<T> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r,
        Err(payload) => {
            let text = panic_text(payload.as_ref());
            tracing::error!(panic = %text, "hcpartner caught a panic inside a call");
            Err(Error::internal(format!("internal error: {text}"), dispatch))
        }
    }
}

/// The shared runtime, for blocking on it from this thread (which must not be a runtime's).
fn blocking_handle() -> Result<tokio::runtime::Handle> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid_argument(
            "call",
            "a blocking call was made from inside an async runtime (it would deadlock); use the async API",
        ));
    }
    crate::runtime::try_handle()
}

/// Runs `fut` on the shared runtime from a thread that is not a runtime's (a face's caller),
/// guarded.
pub fn block<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    blocking_handle()?.block_on(guard(Dispatch::NotSent, fut))
}

/// [`block`] for work that may be dropped at any point (reads, such as the next page), asking
/// `interrupted` every [`INTERRUPT_CHECK`]; `None` when it said yes.
pub fn block_interruptible<T>(
    fut: impl Future<Output = Result<T>>,
    mut interrupted: impl FnMut() -> bool,
) -> Option<Result<T>> {
    let handle = match blocking_handle() {
        Ok(h) => h,
        Err(e) => return Some(Err(e)),
    };
    handle.block_on(async move {
        let fut = guard(Dispatch::NotSent, fut);
        tokio::pin!(fut);
        let start = tokio::time::Instant::now() + INTERRUPT_CHECK;
        let mut tick = tokio::time::interval_at(start, INTERRUPT_CHECK);
        loop {
            tokio::select! {
                r = &mut fut => return Some(r),
                _ = tick.tick() => if interrupted() { return None },
            }
        }
    })
}

impl Client {
    /// Looks `operation` up and checks `params` against it, sending nothing.
    pub fn prepare(&self, operation: &str, params: Value) -> Result<(&'static Operation, Value)> {
        let op = crate::client::operation_named(operation)?;
        self.check(op, &params)?;
        Ok((op, params))
    }
}

async fn run(
    client: Client,
    op: &'static Operation,
    params: Value,
    progress: Arc<Progress>,
) -> Result<Answer> {
    let dispatch_if_panic = Dispatch::MaybeSent;
    guard(dispatch_if_panic, async {
        let reply = client.run(op, params, Some(&progress)).await?;
        Ok(Answer {
            value: reply.value,
            meta: reply.meta,
            op,
        })
    })
    .await
}

/// The outcome of a call its caller stopped waiting for.
fn log_abandoned(op: &Operation, r: &Result<Answer>) {
    match r {
        Ok(a) => tracing::warn!(
            op = op.name,
            request_id = ?a.meta.request_id,
            status = a.meta.status,
            result = %bounded(a.value.to_string(), 2048),
            "a call its caller stopped waiting for finished: it was applied"
        ),
        Err(e) => tracing::warn!(
            op = op.name,
            request_id = ?e.request_id(),
            error = %e,
            "a call its caller stopped waiting for finished with an error"
        ),
    }
}

/// A guarded call.
pub async fn call(client: &Client, operation: &str, params: Value) -> Result<Answer> {
    let (op, params) = client.prepare(operation, params)?;
    run(client.clone(), op, params, Arc::default()).await
}

/// How a blocking call ended.
#[derive(Debug)]
pub enum Blocking {
    Done(Result<Answer>),
    /// The face said the user interrupted it. `None`: the call was dropped (a read, or nothing
    /// was sent). `Some`: a state change that may be on the wire goes on in the background; the
    /// error (`OutcomeUnknown`) says so.
    Interrupted(Option<Error>),
}

/// A guarded call that blocks this thread (not a runtime's) until it ends.
pub fn call_blocking(client: &Client, operation: &str, params: Value) -> Result<Answer> {
    let (op, params) = client.prepare(operation, params)?;
    blocking_handle()?.block_on(run(client.clone(), op, params, Arc::default()))
}

/// A call that blocks this thread (not a runtime's), asking `interrupted` every
/// [`INTERRUPT_CHECK`] whether to stop waiting (a face's Ctrl-C check).
pub fn call_interruptible(
    client: &Client,
    operation: &str,
    params: Value,
    mut interrupted: impl FnMut() -> bool,
) -> Blocking {
    let prepared = client
        .prepare(operation, params)
        .and_then(|p| Ok((p, blocking_handle()?)));
    let ((op, params), handle) = match prepared {
        Ok(p) => p,
        Err(e) => return Blocking::Done(Err(e)),
    };
    let progress = Arc::new(Progress::default());
    let fut = Box::pin(run(client.clone(), op, params, progress.clone()));
    let spawner = handle.clone();
    handle.block_on(async move {
        let mut fut = fut;
        let start = tokio::time::Instant::now() + INTERRUPT_CHECK;
        let mut tick = tokio::time::interval_at(start, INTERRUPT_CHECK);
        loop {
            tokio::select! {
                r = &mut fut => return Blocking::Done(r),
                _ = tick.tick() => {
                    if !interrupted() {
                        continue;
                    }
                    if op.effect.is_idempotent() || !progress.may_be_sent() {
                        return Blocking::Interrupted(None);
                    }
                    spawner.spawn(async move {
                        let r = fut.await;
                        log_abandoned(op, &r);
                    });
                    return Blocking::Interrupted(Some(Error::abandoned(
                        op.name,
                        op.category,
                        "interrupted",
                    )));
                }
            }
        }
    })
}

/// Lets a face give up on a spawned call, by the money rule.
#[derive(Debug)]
pub struct CallControl {
    abort: tokio::task::AbortHandle,
    progress: Arc<Progress>,
    abandoned: Arc<AtomicBool>,
    op: &'static Operation,
}

impl CallControl {
    /// Stops waiting. `None`: the call was aborted (a read, or nothing was sent). `Some`: a state
    /// change that may be on the wire runs on and its outcome is logged; the error says so.
    pub fn cancel(&self, what: &str) -> Option<Error> {
        if self.op.effect.is_idempotent() || !self.progress.may_be_sent() {
            self.abort.abort();
            return None;
        }
        self.abandoned.store(true, Ordering::SeqCst);
        Some(Error::abandoned(self.op.name, self.op.category, what))
    }

    pub fn operation(&self) -> &'static Operation {
        self.op
    }
}

/// Starts a call on the shared runtime; `done` gets its outcome (not called if the call is
/// aborted through [`CallControl::cancel`]). Bad input fails here, before anything runs.
pub fn spawn_call(
    client: &Client,
    operation: &str,
    params: Value,
    done: impl FnOnce(Result<Answer>) + Send + 'static,
) -> Result<CallControl> {
    let (op, params) = client.prepare(operation, params)?;
    let handle = crate::runtime::try_handle()?;
    let progress = Arc::new(Progress::default());
    let abandoned = Arc::new(AtomicBool::new(false));
    let task = {
        let (client, progress, abandoned) = (client.clone(), progress.clone(), abandoned.clone());
        handle.spawn(async move {
            let r = run(client, op, params, progress).await;
            if abandoned.load(Ordering::SeqCst) {
                log_abandoned(op, &r);
            }
            done(r);
        })
    };
    Ok(CallControl {
        abort: task.abort_handle(),
        progress,
        abandoned,
        op,
    })
}
