//! One operation for many parameter sets (the monthly bills of every customer), `concurrency`
//! at a time on the shared runtime, within the client's rate limit. Each item is its own guarded
//! call under the money rule: a failure is that item's result and the others go on, and giving up
//! drops the reads and the items not yet sent while a state change already on the wire runs to its
//! end in the background (logged) and is reported as `OutcomeUnknown` for that item.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use serde_json::Value;

use super::call::{log_abandoned, run, Answer, CallControl, INTERRUPT_CHECK};
use crate::client::{operation_named, Client};
use crate::error::{Error, Result};
use crate::per_call::PerCall;
use crate::pipeline::Progress;

/// The most calls a fan-out keeps in flight at once.
pub const MAX_CONCURRENCY: usize = 256;

struct Item {
    control: CallControl,
    finished: Arc<AtomicBool>,
}

/// Gives up on a running fan-out.
pub struct FanOut {
    items: Vec<(usize, Item)>,
}

impl std::fmt::Debug for FanOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FanOut")
            .field("calls", &self.items.len())
            .finish()
    }
}

impl FanOut {
    /// Stops waiting for every item not finished: each read or unsent item is dropped; each
    /// state change that may be on the wire goes on, and its `OutcomeUnknown` is returned with
    /// its index.
    pub fn cancel(&self, what: &str) -> Vec<(usize, Error)> {
        self.items
            .iter()
            .filter(|(_, item)| !item.finished.load(Ordering::SeqCst))
            .filter_map(|(i, item)| item.control.cancel(what).map(|e| (*i, e)))
            .collect()
    }
}

/// Starts one call of `operation` per entry of `params` (an entry the face could not convert is
/// already its error), at most `concurrency` at once. `done(index, outcome)` gets each outcome,
/// in the order they finish; an item that fails validation gets it at once, nothing sent. A bad
/// operation, `per` or `concurrency` fails here, for all, before anything starts.
pub fn spawn_fan_out(
    client: &Client,
    operation: &str,
    params: Vec<Result<Value>>,
    per: PerCall,
    concurrency: usize,
    done: impl Fn(usize, Result<Answer>) + Send + Sync + 'static,
) -> Result<FanOut> {
    let op = operation_named(operation)?;
    per.check(op).map_err(|e| e.with_operation(op.name))?;
    if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
        return Err(Error::invalid_argument(
            "concurrency",
            format!("must be between 1 and {MAX_CONCURRENCY}, got {concurrency}"),
        ));
    }
    let handle = crate::runtime::try_handle()?;
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let done = Arc::new(done);
    let mut items = Vec::with_capacity(params.len());
    // Items start in input order: each takes its turn from the one before (a oneshot chain), so
    // the first `concurrency` items go first whatever order the runtime polls the tasks in.
    let mut turn: Option<tokio::sync::oneshot::Receiver<()>> = None;
    for (i, p) in params.into_iter().enumerate() {
        let checked = p.and_then(|p| client.check(op, &p).map(|()| p));
        let p = match checked {
            Ok(p) => p,
            Err(e) => {
                done(i, Err(e.with_operation(op.name)));
                continue;
            }
        };
        let progress = Arc::new(Progress::default());
        let abandoned = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicBool::new(false));
        let ticket = client.abandoned_ticket(op, &p, &per);
        let task = {
            let (client, per, done) = (client.clone(), per.clone(), done.clone());
            let (progress, abandoned, finished) =
                (progress.clone(), abandoned.clone(), finished.clone());
            let permits = permits.clone();
            let (next, after) = tokio::sync::oneshot::channel();
            let mine = turn.replace(after);
            handle.spawn(async move {
                // Waiting sends nothing: a cancel then drops the item. A turn whose sender was
                // dropped (the item before was aborted) counts as given.
                if let Some(mine) = mine {
                    let _ = mine.await;
                }
                let _permit = permits.acquire_owned().await;
                let _ = next.send(());
                let r = run(client, op, p, progress, per).await;
                if abandoned.load(Ordering::SeqCst) {
                    log_abandoned(op, &r);
                }
                finished.store(true, Ordering::SeqCst);
                done(i, r);
            })
        };
        let control = CallControl {
            abort: super::call::Abort::Task(task.abort_handle()),
            progress,
            abandoned,
            op,
            ticket,
            made: std::time::Instant::now(),
        };
        items.push((i, Item { control, finished }));
    }
    Ok(FanOut { items })
}

/// How a blocking fan-out ended: every outcome in input order, or (interrupted) the outcomes
/// so far and the `OutcomeUnknown` of each state change left running.
#[derive(Debug)]
pub enum FanOutEnd {
    Done(Vec<Result<Answer>>),
    Interrupted {
        results: Vec<Option<Result<Answer>>>,
        abandoned: Vec<(usize, Error)>,
    },
}

/// [`spawn_fan_out`], blocking this thread until every item ended. `tick(finished)` is asked
/// every [`INTERRUPT_CHECK`] (and at the end) with the count of items done so far (a face's
/// progress bar and Ctrl-C check); `true` gives up by the money rule.
pub fn fan_out_blocking(
    client: &Client,
    operation: &str,
    params: Vec<Result<Value>>,
    per: PerCall,
    concurrency: usize,
    mut tick: impl FnMut(usize) -> bool,
) -> Result<FanOutEnd> {
    super::call::not_in_a_runtime()?;
    type Slots = (Mutex<Vec<Option<Result<Answer>>>>, Condvar, AtomicUsize);
    let n = params.len();
    let slots: Arc<Slots> = Arc::new((
        Mutex::new((0..n).map(|_| None).collect()),
        Condvar::new(),
        AtomicUsize::new(0),
    ));
    let sink = slots.clone();
    let fan = spawn_fan_out(client, operation, params, per, concurrency, move |i, r| {
        let (results, cv, count) = &*sink;
        let mut all = results.lock().unwrap_or_else(|p| p.into_inner());
        all[i] = Some(r);
        // Counted under the lock: the waiter checks the count under it before it waits.
        count.fetch_add(1, Ordering::SeqCst);
        drop(all);
        cv.notify_all();
    })?;
    let (results, cv, count) = &*slots;
    loop {
        let finished = count.load(Ordering::SeqCst);
        let interrupted = tick(finished);
        if finished == n {
            let mut all = results.lock().unwrap_or_else(|p| p.into_inner());
            let done = all
                .iter_mut()
                .map(|r| r.take().expect("every item ended"))
                .collect();
            return Ok(FanOutEnd::Done(done));
        }
        if interrupted {
            let abandoned = fan.cancel("interrupted");
            let mut all = results.lock().unwrap_or_else(|p| p.into_inner());
            let results = all.iter_mut().map(Option::take).collect();
            return Ok(FanOutEnd::Interrupted { results, abandoned });
        }
        let all = results.lock().unwrap_or_else(|p| p.into_inner());
        if count.load(Ordering::SeqCst) == finished {
            drop(cv.wait_timeout(all, INTERRUPT_CHECK));
        }
    }
}
