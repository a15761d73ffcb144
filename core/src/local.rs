//! Reads driven by an event loop that is not tokio's: Node's libuv loop, on the JS thread.
//!
//! A call handed to the shared runtime costs a sequential caller three wake-ups of idle CPUs
//! (a worker to start it, the worker again when the answer arrives, the JS thread for the
//! result), each tens of microseconds on a virtual machine. Here the loop's own thread runs the
//! call on a current-thread runtime in short *turns*: the host loop watches the runtime's epoll
//! descriptor ([`start`]) and calls [`turn`] when it is readable, when a waker fired on another
//! thread (the `wake` hook given to [`start`]), and on a timer while calls are pending (timers
//! fire only during a turn). A turn never blocks: it runs what is ready and returns.
//!
//! Only reads run here (a call dropped by an abort or at exit may be dropped at any point); its
//! connections are this thread's own HTTP/1.1 pool, as for a blocking call.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use tokio::runtime::Runtime;

/// Asks the host loop for a turn; called from any thread.
pub type WakeHook = Arc<dyn Fn() + Send + Sync>;

type Call = Pin<Box<dyn Future<Output = ()>>>;

struct Driver {
    runtime: Runtime,
    calls: Vec<Option<(Arc<Slot>, Call)>>,
    wake: WakeHook,
}

thread_local! {
    static DRIVER: RefCell<Option<Driver>> = const { RefCell::new(None) };
    /// Set during a turn: a waker firing then needs no hook, the turn polls again.
    static IN_TURN: Cell<bool> = const { Cell::new(false) };
}

/// One call's waker and its abort flag.
struct Slot {
    woken: AtomicBool,
    aborted: AtomicBool,
    wake: WakeHook,
}

impl Wake for Slot {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        if !IN_TURN.with(Cell::get) {
            (self.wake)();
        }
    }
}

/// Stops a call started by [`spawn`] from any thread: it is dropped at the next turn.
#[derive(Clone)]
pub struct Abort(Arc<Slot>);

impl Abort {
    pub fn abort(&self) {
        self.0.aborted.store(true, Ordering::Release);
        self.0.wake_by_ref();
    }
}

impl std::fmt::Debug for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("local::Abort")
    }
}

/// Starts this thread's driver; `wake` asks the host loop for a turn. Gives the descriptor the
/// host loop watches for readability (the runtime's epoll instance), or `None` when this
/// platform has no such descriptor or the runtime cannot be built: the face then uses the
/// shared runtime.
pub fn start(wake: WakeHook) -> Option<i32> {
    let (runtime, fd) = runtime_with_fd()?;
    DRIVER.with(|d| {
        *d.borrow_mut() = Some(Driver {
            runtime,
            calls: Vec::new(),
            wake,
        })
    });
    Some(fd)
}

/// Drops this thread's driver and every call it still holds (the host environment is going).
pub fn stop() {
    let driver = DRIVER.with(|d| d.borrow_mut().take());
    if let Some(driver) = driver {
        // The calls may hold connections registered with the runtime: dropped inside it.
        let Driver {
            runtime, mut calls, ..
        } = driver;
        runtime.block_on(async { calls.clear() });
        drop(runtime);
    }
}

/// Whether this thread has a driver.
pub fn started() -> bool {
    DRIVER.with(|d| d.borrow().is_some())
}

/// Calls this thread's driver holds.
pub fn in_flight() -> usize {
    DRIVER.with(|d| {
        d.borrow()
            .as_ref()
            .map_or(0, |d| d.calls.iter().flatten().count())
    })
}

/// Adds `fut` to this thread's driver; it first runs at the next [`turn`]. `None`: no driver.
pub fn spawn(fut: impl Future<Output = ()> + 'static) -> Option<Abort> {
    DRIVER.with(|d| {
        let mut d = d.borrow_mut();
        let driver = d.as_mut()?;
        let slot = Arc::new(Slot {
            woken: AtomicBool::new(true),
            aborted: AtomicBool::new(false),
            wake: driver.wake.clone(),
        });
        let entry = Some((slot.clone(), Box::pin(fut) as Call));
        match driver.calls.iter_mut().find(|c| c.is_none()) {
            Some(free) => *free = entry,
            None => driver.calls.push(entry),
        }
        Some(Abort(slot))
    })
}

/// Runs what is ready: the woken calls, the runtime's own tasks, its I/O and its expired
/// timers, until a round wakes nothing. Never blocks. Gives the calls still pending.
pub fn turn() -> usize {
    DRIVER.with(|d| {
        let Ok(mut d) = d.try_borrow_mut() else {
            return 0; // a turn inside a turn: the outer one goes on
        };
        let Some(driver) = d.as_mut() else { return 0 };
        let Driver { runtime, calls, .. } = driver;
        let _turning = Turning::begin();
        runtime.block_on(async {
            loop {
                poll_woken(calls);
                // Lets the runtime run its tasks and poll its I/O and timers without waiting.
                tokio::task::yield_now().await;
                let woken = calls
                    .iter()
                    .flatten()
                    .any(|(s, _)| s.woken.load(Ordering::Acquire));
                if !woken {
                    break;
                }
            }
        });
        calls.iter().flatten().count()
    })
}

/// This thread is in a turn (and drives its own calls) until dropped, even by a panic.
struct Turning {
    was_driving: bool,
}

impl Turning {
    fn begin() -> Turning {
        IN_TURN.with(|t| t.set(true));
        Turning {
            was_driving: crate::runtime::set_driving_here(true),
        }
    }
}

impl Drop for Turning {
    fn drop(&mut self) {
        crate::runtime::set_driving_here(self.was_driving);
        IN_TURN.with(|t| t.set(false));
    }
}

fn poll_woken(calls: &mut [Option<(Arc<Slot>, Call)>]) {
    for entry in calls.iter_mut() {
        let Some((slot, fut)) = entry else { continue };
        if !slot.woken.swap(false, Ordering::AcqRel) {
            continue;
        }
        if slot.aborted.load(Ordering::Acquire) {
            *entry = None;
            continue;
        }
        let waker = Waker::from(slot.clone());
        let mut cx = Context::from_waker(&waker);
        // The facade's calls catch their own panics; this keeps one from unwinding the loop.
        match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))) {
            Ok(Poll::Pending) => {}
            Ok(Poll::Ready(())) | Err(_) => *entry = None,
        }
    }
}

/// A current-thread runtime and its epoll descriptor: the lowest free descriptor just before
/// the runtime is built is the one its epoll instance takes (mio creates it first), checked
/// to be an epoll instance. tokio does not expose it.
#[cfg(target_os = "linux")]
fn runtime_with_fd() -> Option<(Runtime, i32)> {
    // SAFETY: opens and closes a descriptor of our own.
    #[allow(unsafe_code)]
    let probe = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if probe < 0 {
        return None;
    }
    // SAFETY: `probe` is ours and open.
    #[allow(unsafe_code)]
    unsafe {
        libc::close(probe)
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let link = std::fs::read_link(format!("/proc/self/fd/{probe}")).ok()?;
    (link.as_os_str() == "anon_inode:[eventpoll]").then_some((runtime, probe))
}

#[cfg(not(target_os = "linux"))]
fn runtime_with_fd() -> Option<(Runtime, i32)> {
    None
}

#[cfg(all(test, target_os = "linux"))]
#[path = "local_tests.rs"]
mod tests;
