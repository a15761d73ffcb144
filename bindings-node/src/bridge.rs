//! The way back to JavaScript: one threadsafe function per JS environment carries every finished
//! call and page as `(id, kind, text)` (but a read driven on the JS thread, which `direct.rs`
//! hands over from the libuv callback). Node queues them and drains many per event-loop wake-up,
//! so 200 calls in flight cost 200 queue pushes, not 200 wake-ups. The function is weak (an idle
//! client never keeps the process alive); the JS layer marks it busy while calls are in flight.

use std::sync::{Arc, RwLock};

use napi::bindgen_prelude::{FnArgs, Function, ToNapiValue};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{sys, Env, JsValue, Status};
use napi_derive::napi;

use crate::local::Away;

/// `kind` of a result: JSON of the value.
pub const OK: u32 = 0;
/// `kind` of an error: JSON of the facade's error report.
pub const ERR: u32 = 1;
/// `kind` of the end of a pager (no text).
pub const END: u32 = 2;
/// `kind` of a call's result with what its answer said: the metadata as a JSON array
/// (`[operation, requestId, status, attempts, elapsed]`), a newline, JSON of the value.
pub const META: u32 = 3;

type Done = (u32, u32, String);
/// What the JS function is called with ([`Done`], the text made by [`js_string`]).
type Args = (u32, u32, Text);
/// What is queued: the outcome, and the count of its call while it is away from the JS thread
/// (dropped on that thread, just before the outcome reaches JS: see `local::usable`).
type Queued = (u32, u32, String, Option<Away>);
// FnArgs: the tuple arrives as separate arguments, not as one array.
type Tsfn = ThreadsafeFunction<Queued, (), FnArgs<Args>, Status, false, true>;

/// Shared by every client of one JS environment.
#[derive(Clone)]
pub struct Sink(Arc<RwLock<Tsfn>>);

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}

impl Sink {
    /// Hands an outcome to the JS thread; never blocks. Straight from a libuv callback when one
    /// is turning this thread's driver ([`crate::direct`]), else through the queue.
    pub fn send(&self, id: u32, kind: u32, text: String, away: Option<Away>) {
        if let Some(text) = crate::direct::collect(self, id, kind, text) {
            self.queue(id, kind, text, away);
        }
    }

    /// Queues an outcome on the threadsafe function.
    pub fn queue(&self, id: u32, kind: u32, text: String, away: Option<Away>) {
        let tsfn = self.0.read().unwrap_or_else(|p| p.into_inner());
        // Fails only while the environment shuts down: no one is left to tell.
        let _ = tsfn.call(
            (id, kind, text, away),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }

    /// Tells this bridge apart from others (its JS function for [`crate::direct`]).
    pub fn key(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }
}

/// The JS side of the way back: `new Bridge((id, kind, text) => ...)`.
#[derive(Debug)]
#[napi]
pub struct Bridge {
    sink: Sink,
}

#[napi]
impl Bridge {
    #[napi(constructor)]
    pub fn new(env: Env, on_done: Function<FnArgs<Done>, ()>) -> napi::Result<Bridge> {
        let func = on_done.raw();
        let tsfn = on_done
            .build_threadsafe_function::<Queued>()
            .callee_handled::<false>()
            .weak::<true>()
            .build_callback(|ctx| {
                let (id, kind, text, _away) = ctx.value;
                Ok(FnArgs::from((id, kind, Text(text))))
            })?;
        let sink = Sink(Arc::new(RwLock::new(tsfn)));
        crate::direct::register(&env, sink.key(), func)?;
        Ok(Bridge { sink })
    }

    /// Keeps the event loop alive (calls are in flight) or lets it exit (none are).
    // `refer`/`unref` are napi-rs's deprecated spelling of napi_ref/unref_threadsafe_function,
    // which is exactly this; its suggested replacement (cloning) does not exist for this type.
    #[allow(deprecated)]
    #[napi]
    pub fn set_busy(&self, env: Env, busy: bool) -> napi::Result<()> {
        let mut tsfn = self.sink.0.write().unwrap_or_else(|p| p.into_inner());
        if busy {
            tsfn.refer(&env)
        } else {
            tsfn.unref(&env)
        }
    }
}

impl Bridge {
    pub fn sink(&self) -> Sink {
        self.sink.clone()
    }
}

/// An outcome's text on its way to JS.
pub struct Text(String);

// SAFETY: the conversion napi-rs makes for a `String`, by another napi function.
#[allow(unsafe_code)]
impl ToNapiValue for Text {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let mut out = std::ptr::null_mut();
        // SAFETY: called by napi-rs on the JS thread of `env`, as its own conversions are.
        let status = unsafe { js_string(env, &val.0, &mut out) };
        napi::check_status!(status)?;
        Ok(out)
    }
}

/// A JS string of `text`. ASCII (most answers: ids, codes, dates, amounts) goes in as Latin-1,
/// which V8 copies as it is, rather than as UTF-8, which it decodes first: that decoding was 3%
/// of the JS thread at 200 calls in flight. Other text goes in as UTF-8.
///
/// # Safety
/// On the JS thread of `env`, inside a handle scope.
#[allow(unsafe_code)]
pub unsafe fn js_string(
    env: sys::napi_env,
    text: &str,
    out: &mut sys::napi_value,
) -> sys::napi_status {
    let (ptr, len) = (
        text.as_ptr().cast::<std::ffi::c_char>(),
        text.len() as isize,
    );
    // SAFETY: `ptr` and `len` describe `text`, which outlives the call (V8 copies it).
    unsafe {
        if text.is_ascii() {
            sys::napi_create_string_latin1(env, ptr, len, out)
        } else {
            sys::napi_create_string_utf8(env, ptr, len, out)
        }
    }
}
