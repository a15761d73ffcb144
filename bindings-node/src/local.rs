//! Reads on the JS thread ([`hcpartner::local`]): libuv watches the driver's epoll descriptor,
//! an async handle carries wake-ups from other threads, and a timer turns the driver while
//! calls are pending (their timeouts and retry pauses fire only during a turn). A read made while
//! this thread has no other call in flight runs here, so a sequential caller wakes only the JS
//! thread, as `node:http` does. With others in flight, calls go to the shared runtime, whose
//! workers sign and frame them in parallel with the JS thread's parsing: measured, a JS thread
//! driving four of sixteen reads in flight lowered the rate by a third.
//!
//! The handles are unreferenced (the bridge keeps the loop alive while calls are in flight)
//! and closed by the environment's cleanup hook, so a worker thread's loop closes cleanly.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use napi::sys::uv_loop_s;
use napi::Env;

/// How long a turn waits for a timer when nothing else happens, in ms: the lateness a timeout
/// or retry pause of a read may have.
const TICK_MS: u64 = 5;

// libuv's handle types (uv.h `uv_handle_type`) and poll events.
const UV_ASYNC: c_int = 1;
const UV_POLL: c_int = 8;
const UV_TIMER: c_int = 13;
const UV_READABLE: c_int = 1;

type Handle = c_void;

// libuv, as exported by the node process that loads the addon.
extern "C" {
    fn uv_handle_size(kind: c_int) -> usize;
    fn uv_poll_init(lp: *mut uv_loop_s, h: *mut Handle, fd: c_int) -> c_int;
    fn uv_poll_start(
        h: *mut Handle,
        events: c_int,
        cb: extern "C" fn(*mut Handle, c_int, c_int),
    ) -> c_int;
    fn uv_poll_stop(h: *mut Handle) -> c_int;
    fn uv_timer_init(lp: *mut uv_loop_s, h: *mut Handle) -> c_int;
    fn uv_timer_start(
        h: *mut Handle,
        cb: extern "C" fn(*mut Handle),
        ms: u64,
        repeat: u64,
    ) -> c_int;
    fn uv_timer_stop(h: *mut Handle) -> c_int;
    fn uv_async_init(lp: *mut uv_loop_s, h: *mut Handle, cb: extern "C" fn(*mut Handle)) -> c_int;
    fn uv_async_send(h: *mut Handle) -> c_int;
    fn uv_unref(h: *mut Handle);
    fn uv_close(h: *mut Handle, cb: Option<extern "C" fn(*mut Handle)>);
}

thread_local! {
    /// This thread's timer handle: null until [`ensure`] made the handles, and again once the
    /// cleanup hook closed them.
    static TIMER: Cell<*mut Handle> = const { Cell::new(std::ptr::null_mut()) };
    static FAILED: Cell<bool> = const { Cell::new(false) };
    /// This thread's calls on the shared runtime.
    static AWAY: Arc<AtomicUsize> = Arc::default();
}

/// Counts a call of this thread on the shared runtime while it lives: moved into the call's
/// outcome callback, then queued with its outcome, and dropped on the JS thread just before the
/// outcome reaches JS (or with the callback, when the call is aborted). So a read made while
/// outcomes wait in the queue is not taken for one made on an idle thread: those outcomes' JS
/// continuations are about to make calls of their own.
#[derive(Debug)]
pub struct Away(Arc<AtomicUsize>);

impl Drop for Away {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// An [`Away`] for a call about to go to the shared runtime.
pub fn away() -> Away {
    let n = AWAY.with(Arc::clone);
    n.fetch_add(1, Ordering::Relaxed);
    Away(n)
}

/// The async handle, sent to from any thread while it is open.
struct Waker {
    handle: Mutex<Option<SendPtr>>,
}
struct SendPtr(*mut Handle);
// SAFETY: `uv_async_send` is the one libuv call safe from any thread; the pointer is only used
// for it, under the mutex that `close` takes before the handle is closed.
#[allow(unsafe_code)]
unsafe impl Send for SendPtr {}

fn handle_of(kind: c_int) -> *mut Handle {
    // SAFETY: uv_handle_size is a pure lookup; the block is zeroed, sized and aligned for any
    // handle (libuv's handles hold pointers and 64-bit integers).
    #[allow(unsafe_code)]
    unsafe {
        let layout = Layout::from_size_align(uv_handle_size(kind), 16).expect("a handle's size");
        alloc_zeroed(layout).cast()
    }
}

extern "C" fn free_handle(h: *mut Handle) {
    // SAFETY: called once by uv_close for a handle made by `handle_of`; the size is read back
    // from its type, which libuv keeps in the handle (`uv_handle_get_type`).
    #[allow(unsafe_code)]
    unsafe {
        extern "C" {
            fn uv_handle_get_type(h: *const Handle) -> c_int;
        }
        let layout = Layout::from_size_align(uv_handle_size(uv_handle_get_type(h)), 16)
            .expect("a handle's size");
        dealloc(h.cast(), layout);
    }
}

/// Whether this thread drives a read now: its driver runs (made on first use) and no other call
/// of this thread is in flight, here or on the shared runtime.
pub fn usable(env: &Env) -> bool {
    if FAILED.with(Cell::get) {
        return false;
    }
    if TIMER.with(Cell::get).is_null() && !ensure(env) {
        FAILED.with(|f| f.set(true));
        return false;
    }
    hcpartner::local::in_flight() == 0 && AWAY.with(|n| n.load(Ordering::Relaxed)) == 0
}

/// Starts the driver and its handles on this thread's loop.
fn ensure(env: &Env) -> bool {
    let Ok(lp) = env.get_uv_event_loop() else {
        return false;
    };
    let waker = Arc::new(Waker {
        handle: Mutex::new(None),
    });
    let hook = {
        let waker = waker.clone();
        Arc::new(move || {
            let h = waker.handle.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(SendPtr(h)) = &*h {
                // SAFETY: open while it is in the mutex (see `SendPtr`).
                #[allow(unsafe_code)]
                unsafe {
                    uv_async_send(*h)
                };
            }
        })
    };
    let Some(fd) = hcpartner::local::start(hook) else {
        return false;
    };
    let (poll, timer, wake) = (handle_of(UV_POLL), handle_of(UV_TIMER), handle_of(UV_ASYNC));
    // SAFETY: fresh handles on this thread's loop, each initialised once; all three are closed
    // by the cleanup hook below, on this thread.
    #[allow(unsafe_code)]
    let ok = unsafe {
        uv_poll_init(lp, poll, fd) == 0
            && uv_poll_start(poll, UV_READABLE, on_readable) == 0
            && uv_timer_init(lp, timer) == 0
            && uv_async_init(lp, wake, on_wake) == 0
    };
    if !ok {
        // Left open (a half-made handle cannot be closed safely); the shared runtime serves.
        hcpartner::local::stop();
        return false;
    }
    #[allow(unsafe_code)]
    unsafe {
        uv_unref(poll);
        uv_unref(timer);
        uv_unref(wake);
    }
    *waker.handle.lock().unwrap_or_else(|p| p.into_inner()) = Some(SendPtr(wake));
    TIMER.with(|t| t.set(timer));
    let (p, t, w) = (SendPtr(poll), SendPtr(timer), SendPtr(wake));
    let closed = env.add_env_cleanup_hook((p, t, w, waker), |(p, t, w, waker)| {
        *waker.handle.lock().unwrap_or_else(|p| p.into_inner()) = None;
        TIMER.with(|t| t.set(std::ptr::null_mut()));
        FAILED.with(|f| f.set(true));
        hcpartner::local::stop();
        // SAFETY: the handles were opened above, on this thread, and are closed once.
        #[allow(unsafe_code)]
        unsafe {
            uv_poll_stop(p.0);
            uv_timer_stop(t.0);
            uv_close(p.0, Some(free_handle));
            uv_close(t.0, Some(free_handle));
            uv_close(w.0, Some(free_handle));
        }
    });
    closed.is_ok()
}

/// Runs a turn of this thread's driver and keeps the timer armed while calls are pending.
pub fn turn() {
    let pending = hcpartner::local::turn();
    let timer = TIMER.with(Cell::get);
    if timer.is_null() {
        return;
    }
    // SAFETY: the timer is open while TIMER holds it (the cleanup hook clears it first).
    #[allow(unsafe_code)]
    unsafe {
        if pending > 0 {
            uv_timer_start(timer, on_timer, TICK_MS, 0);
        } else {
            uv_timer_stop(timer);
        }
    }
}

extern "C" fn on_readable(_: *mut Handle, _status: c_int, _events: c_int) {
    guard(|| crate::direct::turn_and_deliver(turn));
}

extern "C" fn on_wake(_: *mut Handle) {
    guard(|| crate::direct::turn_and_deliver(turn));
}

extern "C" fn on_timer(_: *mut Handle) {
    guard(|| crate::direct::turn_and_deliver(turn));
}

/// No panic unwinds into libuv.
fn guard(f: impl FnOnce()) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
}
