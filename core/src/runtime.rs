//! The one tokio runtime the faces (Python, Node, C) share. Rust users bring their own.
//!
//! Created lazily on first use. After `fork()` the child has none of the parent's worker threads,
//! so a runtime inherited from the parent would hang: the child notices the pid change and builds
//! a fresh one (the parent's is leaked, never dropped: dropping it would wait for threads that do
//! not exist in the child).

use std::cell::{Cell, RefCell};
use std::future::Future;
#[cfg(unix)]
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
#[cfg(unix)]
use std::sync::Once;

use tokio::runtime::{Handle, Runtime};

enum Slot {
    Owned { pid: u32, runtime: Runtime },
    Injected { pid: u32, handle: Handle },
}

static SLOT: Mutex<Option<Slot>> = Mutex::new(None);

/// This process's id, kept by a fork handler: every call compares pids three times (runtime,
/// connection pool, credential cache), and `getpid` is a system call each time.
#[cfg(unix)]
pub(crate) fn pid() -> u32 {
    static PID: AtomicU32 = AtomicU32::new(0);
    static HANDLER: Once = Once::new();
    extern "C" fn forked() {
        PID.store(std::process::id(), Ordering::Relaxed);
    }
    HANDLER.call_once(|| {
        // SAFETY: registers a child handler that only makes a system call and an atomic store,
        // both async-signal-safe, as a handler run right after fork must be.
        #[allow(unsafe_code)]
        let registered = unsafe { libc::pthread_atfork(None, None, Some(forked)) } == 0;
        PID.store(
            if registered { std::process::id() } else { 0 },
            Ordering::Relaxed,
        );
    });
    match PID.load(Ordering::Relaxed) {
        0 => std::process::id(), // no handler: ask each time
        pid => pid,
    }
}

#[cfg(not(unix))]
pub(crate) fn pid() -> u32 {
    std::process::id()
}

/// Worker threads of the shared runtime: enough for I/O, few enough to be a good neighbour.
fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

fn build() -> std::io::Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("hcpartner")
        .enable_all()
        .build()
}

/// A handle to the shared runtime, creating it (again, after a fork) when needed. Fails when
/// the OS refuses the threads (container limits).
pub fn try_handle() -> crate::Result<Handle> {
    let pid = pid();
    let mut slot = SLOT.lock().unwrap_or_else(|p| p.into_inner());
    match slot.as_ref() {
        Some(Slot::Owned { pid: p, runtime }) if *p == pid => return Ok(runtime.handle().clone()),
        Some(Slot::Injected { pid: p, handle }) if *p == pid => return Ok(handle.clone()),
        _ => {}
    }
    let runtime = build().map_err(|e| {
        crate::Error::internal(
            format!("the OS refused to start the hcpartner runtime threads: {e}"),
            crate::Dispatch::NotSent,
        )
    })?;
    if let Some(Slot::Owned { runtime, .. }) = slot.take() {
        // Inherited across fork: its threads are gone. Leak it rather than hang in Drop.
        std::mem::forget(runtime);
    }
    let handle = runtime.handle().clone();
    *slot = Some(Slot::Owned { pid, runtime });
    Ok(handle)
}

/// [`try_handle`] for callers that cannot go on without a runtime.
///
/// # Panics
/// When the OS refuses to start the runtime's threads.
pub fn handle() -> Handle {
    try_handle().unwrap_or_else(|e| panic!("{e}"))
}

thread_local! {
    /// This thread's own current-thread runtime (pid-stamped: not reused in a forked child).
    static HERE: RefCell<Option<(u32, Runtime)>> = const { RefCell::new(None) };
    /// Whether this thread is inside [`block_on_here`] (the transport then uses this thread's
    /// own connection pool, whose connections this thread drives).
    static DRIVING_HERE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `fut` on this thread's own current-thread runtime: the calling thread does the I/O and
/// the timers itself, so a blocking call wakes no other thread (each wake-up of an idle CPU costs
/// tens of microseconds on a virtual machine). For work that may be dropped at any point: reads,
/// and nothing that has to go on after the caller gives up (that runs on the shared runtime).
pub fn block_on_here<F: Future>(fut: F) -> crate::Result<F::Output> {
    let pid = pid();
    // Taken out for the call, so a nested use (which cannot happen through the faces) fails
    // instead of re-entering the runtime.
    let taken = HERE.with(|h| h.borrow_mut().take());
    let runtime = match taken {
        Some((p, rt)) if p == pid => rt,
        inherited => {
            // Inherited across fork: its driver's descriptors are shared with the parent.
            std::mem::forget(inherited);
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    crate::Error::internal(
                        format!("could not start a runtime on this thread: {e}"),
                        crate::Dispatch::NotSent,
                    )
                })?
        }
    };
    let was = DRIVING_HERE.with(|d| d.replace(true));
    let out = runtime.block_on(fut);
    DRIVING_HERE.with(|d| d.set(was));
    HERE.with(|h| *h.borrow_mut() = Some((pid, runtime)));
    Ok(out)
}

/// Whether the current call runs on this thread's own runtime ([`block_on_here`]).
pub fn driving_here() -> bool {
    DRIVING_HERE.with(Cell::get)
}

/// Marks this thread as driving its own calls (or not, restoring); gives what it was.
pub(crate) fn set_driving_here(on: bool) -> bool {
    DRIVING_HERE.with(|d| d.replace(on))
}

/// Makes the faces run on a runtime the embedding application already has. Call it before the
/// first call; it replaces the shared runtime for this process.
pub fn set_runtime(handle: Handle) {
    let mut slot = SLOT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(Slot::Owned { runtime, .. }) = slot.take() {
        runtime.shutdown_background();
    }
    *slot = Some(Slot::Injected { pid: pid(), handle });
}

/// Runs a future to completion on the shared runtime, blocking this (non-runtime) thread.
///
/// Panics if called from inside a tokio runtime (that would deadlock); faces call it from their
/// own threads only.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    handle().block_on(fut)
}

/// Runs a future on the shared runtime and returns a handle to await or block on.
pub fn spawn<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    handle().spawn(fut)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_runtime_per_process() {
        let a = super::handle();
        let b = super::handle();
        assert_eq!(a.id(), b.id());
        assert_eq!(super::block_on(async { 40 + 2 }), 42);
    }
}
