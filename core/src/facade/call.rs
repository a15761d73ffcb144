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

use super::build::{build, build_json, Build, BuildError};
use super::numbers::Schema;
use crate::client::Client;
use crate::error::{bounded, Dispatch, Error, ErrorKind, Result};
use crate::operation::Operation;
use crate::per_call::PerCall;
use crate::pipeline::{Meta, Progress};
use crate::response::{Body, Want};

/// How often a blocking call asks its face whether the user interrupted it (Ctrl-C).
pub const INTERRUPT_CHECK: Duration = Duration::from_millis(50);

/// A declared response header of an answer (`X-Subject-Token`) and its value.
pub type ResponseHeader = (&'static str, String);

/// A successful call: the result, what the answer said about itself, and its operation (whose
/// response model shapes the result's numbers).
#[derive(Debug)]
pub struct Answer {
    pub body: Body,
    pub meta: Meta,
    pub op: &'static Operation,
}

impl Answer {
    pub fn schema(&self) -> Schema {
        Schema::response(self.op)
    }

    /// The result as a `serde_json::Value` (declared response headers included).
    pub fn into_value(self) -> Result<Value> {
        let (op, meta) = (self.op, self.meta);
        self.body.into_value().map_err(|e| about(op, &meta, e))
    }

    /// The result built by a face's builder, numbers by the response model, straight from the
    /// JSON text when the call kept it. `Err(Ok(e))`: the builder's error; `Err(Err(e))`: the
    /// answer is not JSON (a `Decode` error, as for any other call).
    pub fn build<B: Build>(
        &self,
        b: &mut B,
    ) -> std::result::Result<B::Out, std::result::Result<B::Error, Error>> {
        match &self.body {
            Body::Value(v) => build(self.schema(), v, b).map_err(Ok),
            Body::Raw { json, headers } => {
                build_json(self.schema(), json, headers, b).map_err(|e| match e {
                    BuildError::Face(e) => Ok(e),
                    BuildError::Json(e) => Err(self.unreadable(e)),
                })
            }
        }
    }

    /// The JSON text and the declared response headers, when the call kept the text.
    pub fn raw(&self) -> Option<(&[u8], &[ResponseHeader])> {
        match &self.body {
            Body::Raw { json, headers } => Some((json, headers)),
            Body::Value(_) => None,
        }
    }

    /// The `Decode` error of this answer (a face found its text unreadable).
    pub fn unreadable(&self, why: impl std::fmt::Display) -> Error {
        let excerpt = self.raw().map(|(json, _)| json).unwrap_or_default();
        let e = Error::new(
            ErrorKind::Decode,
            Dispatch::Responded,
            format!("the response is not valid JSON: {why}"),
        );
        about(self.op, &self.meta, e).with_body_excerpt(excerpt)
    }

    /// Whether the answer's own text means the same to a face that reads every JSON number as a
    /// double (JavaScript): its model has no decimal or float field, and no number in it is an
    /// integer beyond 2^53 or written with an exponent. Strings are skipped: ids are hex
    /// (`"000000004e5f…"`), and a digit run before an `e` in one is not an exponent.
    pub fn reads_as_doubles(&self) -> bool {
        let Some((json, headers)) = self.raw() else {
            return false;
        };
        if !headers.is_empty() || self.schema().has_typed_numbers() {
            return false;
        }
        super::doubles::fits_doubles(json)
    }

    /// The result as JSON text with its numbers' exact digits (the text the service sent when
    /// there are no response headers to add).
    pub fn into_json(self) -> Result<String> {
        self.into_json_after(String::new())
    }

    /// [`Answer::into_json`] appended to `out` (a face's own line before it), so that the text
    /// is copied once.
    pub fn into_json_after(self, mut out: String) -> Result<String> {
        if let Body::Raw { json, headers } = &self.body {
            if headers.is_empty() && !json.iter().all(u8::is_ascii_whitespace) {
                // A read may come here unchecked (see `response::outcome`).
                let text = std::str::from_utf8(json).map_err(|e| self.unreadable(e))?;
                if !delimited(text) {
                    return Err(self.unreadable("it is not a JSON object or array"));
                }
                // Room for the NUL a C face appends, so handing it over does not copy it again.
                out.reserve_exact(text.len() + 1);
                out.push_str(text);
                return Ok(out);
            }
        }
        // Headers to add (IAM token answers) or an answer already parsed: rare, small.
        out.push_str(&self.into_value()?.to_string());
        Ok(out)
    }
}

/// Whether a JSON text reads as an object or array by its first and last bytes: what a text handed
/// over unparsed is checked for. A maintenance page, a plain-text error or a cut-off body fail; the
/// caller's own parser reads the rest. (A full validating pass costs about 15 µs for a 5 KB
/// answer, a sixth of a whole call.)
fn delimited(text: &str) -> bool {
    let t = text.trim_ascii();
    matches!(
        (t.as_bytes().first(), t.as_bytes().last()),
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
    )
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

/// `e` said of the answer of `op`: its operation, status and request id.
fn about(op: &Operation, meta: &Meta, e: Error) -> Error {
    e.with_operation(op.name)
        .with_status(meta.status)
        .with_request_id(meta.request_id.clone())
}

/// Refuses a blocking call from inside an async runtime (it would deadlock).
pub(super) fn not_in_a_runtime() -> Result<()> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Err(Error::invalid_argument(
            "call",
            "a blocking call was made from inside an async runtime (it would deadlock); use the async API",
        )),
        Err(_) => Ok(()),
    }
}

/// Runs `fut`, which may be dropped at any point (reads, the next page), to its end on this
/// thread's own runtime: the calling thread does its I/O and wakes no other thread. Guarded.
pub fn block<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    not_in_a_runtime()?;
    crate::runtime::block_on_here(guard(Dispatch::NotSent, fut))?
}

/// Runs `fut` (a read) until it ends, or until `interrupted` (asked every [`INTERRUPT_CHECK`])
/// says yes, on this thread's own runtime. `None` when interrupted: `fut` is dropped.
fn until_interrupted<T>(
    fut: impl Future<Output = T>,
    mut interrupted: impl FnMut() -> bool,
) -> Result<Option<T>> {
    not_in_a_runtime()?;
    crate::runtime::block_on_here(async move {
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

/// [`block`] for work that may be dropped at any point, asking `interrupted` every
/// [`INTERRUPT_CHECK`]; `None` when it said yes.
pub fn block_interruptible<T>(
    fut: impl Future<Output = Result<T>>,
    interrupted: impl FnMut() -> bool,
) -> Option<Result<T>> {
    until_interrupted(guard(Dispatch::NotSent, fut), interrupted).unwrap_or_else(|e| Some(Err(e)))
}

impl Client {
    /// Looks `operation` up and checks `params` against it, sending nothing.
    pub fn prepare(&self, operation: &str, params: Value) -> Result<(&'static Operation, Value)> {
        self.prepare_with(operation, params, &PerCall::default())
    }

    /// [`Client::prepare`], checking the call's own options too.
    pub fn prepare_with(
        &self,
        operation: &str,
        params: Value,
        per: &PerCall,
    ) -> Result<(&'static Operation, Value)> {
        let op = crate::client::operation_named(operation)?;
        self.check(op, &params)?;
        per.check(op).map_err(|e| e.with_operation(op.name))?;
        Ok((op, params))
    }
}

pub(super) async fn run(
    client: Client,
    op: &'static Operation,
    params: Value,
    progress: Arc<Progress>,
    per: PerCall,
) -> Result<Answer> {
    let dispatch_if_panic = Dispatch::MaybeSent;
    guard(dispatch_if_panic, async {
        let reply = client
            .run(op, params, Some(&progress), Want::Raw, &per)
            .await?;
        Ok(Answer {
            body: reply.body,
            meta: reply.meta,
            op,
        })
    })
    .await
}

/// The outcome of a call its caller stopped waiting for.
pub(super) fn log_abandoned(op: &Operation, r: &Result<Answer>) {
    match r {
        Ok(a) => tracing::warn!(
            op = op.name,
            request_id = ?a.meta.request_id,
            status = a.meta.status,
            result = %bounded(String::from_utf8_lossy(match &a.body {
                Body::Raw { json, .. } => json,
                Body::Value(_) => &b""[..],
            }).into_owned(), 2048),
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
    call_with(client, operation, params, PerCall::default()).await
}

/// [`call`] with its own deadline, retries and headers.
pub async fn call_with(
    client: &Client,
    operation: &str,
    params: Value,
    per: PerCall,
) -> Result<Answer> {
    let (op, params) = client.prepare_with(operation, params, &per)?;
    run(client.clone(), op, params, Arc::default(), per).await
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

/// A guarded call that blocks this thread (not a runtime's) until it ends. A read runs on this
/// thread's own runtime; a state change on the shared one.
pub fn call_blocking(client: &Client, operation: &str, params: Value) -> Result<Answer> {
    call_blocking_with(client, operation, params, PerCall::default())
}

/// [`call_blocking`] with its own deadline, retries and headers.
pub fn call_blocking_with(
    client: &Client,
    operation: &str,
    params: Value,
    per: PerCall,
) -> Result<Answer> {
    let (op, params) = client.prepare_with(operation, params, &per)?;
    not_in_a_runtime()?;
    let fut = run(client.clone(), op, params, Arc::default(), per);
    if op.effect.is_idempotent() {
        crate::runtime::block_on_here(fut)?
    } else {
        crate::runtime::try_handle()?.block_on(fut)
    }
}

/// A call that blocks this thread (not a runtime's), asking `interrupted` every
/// [`INTERRUPT_CHECK`] whether to stop waiting (a face's Ctrl-C check). A read runs on this
/// thread's own runtime and is dropped when interrupted; a state change runs on the shared
/// runtime, so that once it may be on the wire it can go on without its caller.
pub fn call_interruptible(
    client: &Client,
    operation: &str,
    params: Value,
    interrupted: impl FnMut() -> bool,
) -> Blocking {
    call_interruptible_with(client, operation, params, PerCall::default(), interrupted)
}

/// [`call_interruptible`] with its own deadline, retries and headers.
pub fn call_interruptible_with(
    client: &Client,
    operation: &str,
    params: Value,
    per: PerCall,
    mut interrupted: impl FnMut() -> bool,
) -> Blocking {
    let (op, params) = match client.prepare_with(operation, params, &per) {
        Ok(p) => p,
        Err(e) => return Blocking::Done(Err(e)),
    };
    if op.effect.is_idempotent() {
        let fut = run(client.clone(), op, params, Arc::default(), per);
        return match until_interrupted(fut, interrupted) {
            Ok(Some(r)) => Blocking::Done(r),
            Ok(None) => Blocking::Interrupted(None),
            Err(e) => Blocking::Done(Err(e)),
        };
    }
    let handle = match not_in_a_runtime().and_then(|()| crate::runtime::try_handle()) {
        Ok(h) => h,
        Err(e) => return Blocking::Done(Err(e)),
    };
    let progress = Arc::new(Progress::default());
    let ticket = client.abandoned_ticket(op, &params, &per);
    let fut = Box::pin(run(client.clone(), op, params, progress.clone(), per));
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
                    if !progress.may_be_sent() {
                        return Blocking::Interrupted(None);
                    }
                    spawner.spawn(async move {
                        let r = fut.await;
                        log_abandoned(op, &r);
                    });
                    let e = Error::abandoned(op.name, op.category, "interrupted");
                    return Blocking::Interrupted(Some(e.with_ticket(ticket)));
                }
            }
        }
    })
}

/// Lets a face give up on a spawned call, by the money rule.
#[derive(Debug)]
pub struct CallControl {
    pub(super) abort: Abort,
    pub(super) progress: Arc<Progress>,
    pub(super) abandoned: Arc<AtomicBool>,
    pub(super) op: &'static Operation,
    /// For [`crate::facade::reconcile`], should the call be abandoned on the wire: its window
    /// ends a whole total timeout after `made`, and is stretched by the time since (a fan-out
    /// item may wait its turn before it starts).
    pub(super) ticket: Option<crate::facade::reconcile::Ticket>,
    pub(super) made: std::time::Instant,
}

impl CallControl {
    /// Stops waiting. `None`: the call was aborted (a read, or nothing was sent). `Some`: a state
    /// change that may be on the wire runs on and its outcome is logged; the error says so.
    pub fn cancel(&self, what: &str) -> Option<Error> {
        if self.op.effect.is_idempotent() || !self.progress.may_be_sent() {
            match &self.abort {
                Abort::Task(task) => task.abort(),
                Abort::Local(local) => local.abort(),
            }
            return None;
        }
        self.abandoned.store(true, Ordering::SeqCst);
        let e = Error::abandoned(self.op.name, self.op.category, what);
        let ticket = self.ticket.clone().map(|mut t| {
            t.ended += self.made.elapsed().as_secs() as i64 + 1;
            t
        });
        Some(e.with_ticket(ticket))
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
    spawn_call_with(client, operation, params, PerCall::default(), done)
}

/// [`spawn_call`] with its own deadline, retries and headers.
pub fn spawn_call_with(
    client: &Client,
    operation: &str,
    params: Value,
    per: PerCall,
    done: impl FnOnce(Result<Answer>) + Send + 'static,
) -> Result<CallControl> {
    let (op, params) = client.prepare_with(operation, params, &per)?;
    spawn_prepared(client, op, params, per, done)
}

/// [`spawn_call_with`] for params already checked against `op`.
fn spawn_prepared(
    client: &Client,
    op: &'static Operation,
    params: Value,
    per: PerCall,
    done: impl FnOnce(Result<Answer>) + Send + 'static,
) -> Result<CallControl> {
    let handle = crate::runtime::try_handle()?;
    let progress = Arc::new(Progress::default());
    let abandoned = Arc::new(AtomicBool::new(false));
    let ticket = client.abandoned_ticket(op, &params, &per);
    let task = {
        let (client, progress, abandoned) = (client.clone(), progress.clone(), abandoned.clone());
        handle.spawn(async move {
            let r = run(client, op, params, progress, per).await;
            if abandoned.load(Ordering::SeqCst) {
                log_abandoned(op, &r);
            }
            done(r);
        })
    };
    Ok(CallControl {
        abort: Abort::Task(task.abort_handle()),
        progress,
        abandoned,
        op,
        ticket,
        made: std::time::Instant::now(),
    })
}

/// [`spawn_call_with`] for a read, driven by this thread's [`crate::local`] driver when it has
/// one (`done` is then called on this thread, during a turn). A state change, or a thread
/// without a driver, goes to the shared runtime.
pub fn spawn_call_local_with(
    client: &Client,
    operation: &str,
    params: Value,
    per: PerCall,
    done: impl FnOnce(Result<Answer>) + Send + 'static,
) -> Result<CallControl> {
    let (op, params) = client.prepare_with(operation, params, &per)?;
    if !op.effect.is_idempotent() || !crate::local::started() {
        return spawn_prepared(client, op, params, per, done);
    }
    let progress = Arc::new(Progress::default());
    let fut = run(client.clone(), op, params, progress.clone(), per);
    let local = crate::local::spawn(async move { done(fut.await) })
        .ok_or_else(|| Error::internal("the local driver went away", Dispatch::NotSent))?;
    Ok(CallControl {
        abort: Abort::Local(local),
        progress,
        abandoned: Arc::default(),
        op,
        ticket: None,
        made: std::time::Instant::now(),
    })
}

/// How a spawned call is stopped: its task on the shared runtime, or its place in this
/// thread's [`crate::local`] driver.
#[derive(Debug)]
pub(super) enum Abort {
    Task(tokio::task::AbortHandle),
    Local(crate::local::Abort),
}
