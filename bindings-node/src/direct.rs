//! Outcomes of reads driven on the JS thread, delivered from libuv's callback itself. A turn of
//! the driver (`local`) runs in a libuv callback on the JS thread, so an outcome it finishes can
//! call the bridge's JS function there and then (`napi_make_callback`, which also runs the
//! microtasks after it), instead of queueing it on the threadsafe function: that costs an eventfd
//! write, one more loop iteration and an eventfd read per call, on the same thread.

use std::cell::{Cell, RefCell};
use std::ptr::null_mut;

use napi::sys;
use napi::Env;

use crate::bridge::Sink;

/// One bridge's JS function on this thread.
#[derive(Clone, Copy)]
struct Target {
    key: usize,
    env: sys::napi_env,
    func: sys::napi_ref,
    context: sys::napi_async_context,
}

type Outcome = (Sink, u32, u32, String);

thread_local! {
    static TARGETS: RefCell<Vec<Target>> = const { RefCell::new(Vec::new()) };
    /// Set while a libuv callback turns the driver: outcomes are then collected, not queued.
    static COLLECTING: Cell<bool> = const { Cell::new(false) };
    static COLLECTED: RefCell<Vec<Outcome>> = const { RefCell::new(Vec::new()) };
}

macro_rules! ok {
    ($call:expr) => {
        $call == sys::Status::napi_ok
    };
}

/// Lets outcomes of the bridge `key` reach `func` directly on this thread (the bridge's own).
pub fn register(env: &Env, key: usize, func: sys::napi_value) -> napi::Result<()> {
    let raw = env.raw();
    let mut target = Target {
        key,
        env: raw,
        func: null_mut(),
        context: null_mut(),
    };
    // SAFETY: called on the JS thread with a live env and function; the reference and the async
    // context are released by the cleanup hook below, while the env still lives.
    #[allow(unsafe_code)]
    let made = unsafe {
        let (mut resource, mut name) = (null_mut(), null_mut());
        ok!(sys::napi_create_reference(raw, func, 1, &mut target.func))
            && ok!(sys::napi_create_object(raw, &mut resource))
            && ok!(sys::napi_create_string_utf8(
                raw,
                c"hcpartner".as_ptr(),
                9,
                &mut name
            ))
            && ok!(sys::napi_async_init(
                raw,
                resource,
                name,
                &mut target.context
            ))
    };
    if !made {
        // Without a target the bridge's outcomes take the threadsafe function.
        return Ok(());
    }
    TARGETS.with(|t| t.borrow_mut().push(target));
    env.add_env_cleanup_hook(key, |key| {
        let gone: Vec<Target> = TARGETS.with(|t| {
            let mut t = t.borrow_mut();
            let (gone, kept) = t.drain(..).partition(|x| x.key == key);
            *t = kept;
            gone
        });
        for t in gone {
            // SAFETY: made in `register` on this env, released once.
            #[allow(unsafe_code)]
            unsafe {
                sys::napi_async_destroy(t.env, t.context);
                sys::napi_delete_reference(t.env, t.func);
            }
        }
    })?;
    Ok(())
}

/// Keeps an outcome for [`deliver`] when a libuv callback is turning the driver on this thread;
/// gives the text back otherwise (the caller queues it on the threadsafe function).
pub fn collect(sink: &Sink, id: u32, kind: u32, text: String) -> Option<String> {
    if !COLLECTING.with(Cell::get) {
        return Some(text);
    }
    COLLECTED.with(|c| c.borrow_mut().push((sink.clone(), id, kind, text)));
    None
}

/// Runs `turn` collecting the outcomes it finishes, then delivers them.
pub fn turn_and_deliver(turn: impl FnOnce()) {
    COLLECTING.with(|c| c.set(true));
    turn();
    COLLECTING.with(|c| c.set(false));
    let collected = COLLECTED.with(|c| std::mem::take(&mut *c.borrow_mut()));
    for (sink, id, kind, text) in collected {
        let target = TARGETS.with(|t| t.borrow().iter().find(|x| x.key == sink.key()).copied());
        // A target's call fails only when its env is going away; the threadsafe function then
        // drops the outcome as it would any other.
        if !target.is_some_and(|t| call(t, id, kind, &text)) {
            sink.queue(id, kind, text, None);
        }
    }
}

/// Calls the bridge's function with `(id, kind, text)`, as an async callback: its exceptions
/// reach `uncaughtException` and its promise reactions run before this returns.
fn call(t: Target, id: u32, kind: u32, text: &str) -> bool {
    // SAFETY: on the JS thread of `t.env` (a libuv callback of its loop, outside any JS), with
    // the reference and context made by `register` and not yet released (the cleanup hook runs
    // on this thread too); every value lives in the handle scope opened here.
    #[allow(unsafe_code)]
    unsafe {
        let env = t.env;
        let mut scope = null_mut();
        if !ok!(sys::napi_open_handle_scope(env, &mut scope)) {
            return false;
        }
        let (mut func, mut recv, mut args) = (null_mut(), null_mut(), [null_mut(); 3]);
        let mut result = null_mut();
        let ready = ok!(sys::napi_get_reference_value(env, t.func, &mut func))
            && !func.is_null()
            // make_callback wants an object as `this` (the function does not use it).
            && ok!(sys::napi_get_global(env, &mut recv))
            && ok!(sys::napi_create_uint32(env, id, &mut args[0]))
            && ok!(sys::napi_create_uint32(env, kind, &mut args[1]))
            && ok!(crate::bridge::js_string(env, text, &mut args[2]));
        let mut handed = false;
        if ready {
            let status =
                sys::napi_make_callback(env, t.context, recv, func, 3, args.as_ptr(), &mut result);
            // Called (or thrown): either way the outcome was handed over. Any other status is
            // a check that failed before the call.
            handed = ok!(status) || status == sys::Status::napi_pending_exception;
            if status == sys::Status::napi_pending_exception {
                let mut err = null_mut();
                if ok!(sys::napi_get_and_clear_last_exception(env, &mut err)) {
                    sys::napi_fatal_exception(env, err);
                }
            }
        }
        sys::napi_close_handle_scope(env, scope);
        handed
    }
}
