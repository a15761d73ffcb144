//! The native half of the npm package `hcpartner`: a converter over the facade
//! (`hcpartner::facade`), which decides everything. Values cross as JSON text: the JS layer
//! writes params (its own walk names a bad field, keeps bigints exact), the core shapes results
//! by their response model and the JS layer `JSON.parse`s them. Calls run on the core's shared
//! runtime, or a read on the JS thread's own loop when nothing else is in flight (`local.rs`),
//! and come back through one threadsafe function (`bridge.rs`; a read on the JS thread's loop
//! straight from libuv's callback, `direct.rs`), never blocking the event loop.
//! Every export turns a panic into an `Internal` error report: none crosses into JS.

// `#[napi]` registers exports only outside `cfg(test)`, so the unit-test build sees them unused.
#![cfg_attr(test, allow(dead_code))]

mod bridge;
mod client;
mod direct;
mod local;
mod logging;
mod sign;

use std::panic::AssertUnwindSafe;

use hcpartner::{Dispatch, Error};
use napi::Either;
use napi_derive::napi;

/// An error as the JS layer builds its class from: the facade's report as JSON, the amounts of
/// its ticket as exact strings (a ticket goes back to `reconcile` as it came).
pub(crate) fn report_json(e: &Error) -> String {
    let report = e.report().with_numbers(hcpartner::facade::Numbers::Strings);
    serde_json::to_string(&report).unwrap_or_else(|_| {
        r#"{"kind":"Internal","code":900,"dispatch":"not_sent","error_msg":"unrenderable error"}"#
            .to_owned()
    })
}

/// Runs a sync export: `Ok` as is, an error (or a panic, as `Internal`) as its report JSON.
pub(crate) fn guarded<T>(f: impl FnOnce() -> hcpartner::Result<T>) -> Either<T, String> {
    let r = std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Err(Error::internal(
            format!("internal error: {text}"),
            Dispatch::NotSent,
        ))
    });
    match r {
        Ok(v) => Either::A(v),
        Err(e) => Either::B(report_json(&e)),
    }
}

/// JSON text from the JS layer as a value (it wrote it, so a failure is a bug there).
pub(crate) fn parse_json(text: &str, field: &str) -> hcpartner::Result<serde_json::Value> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid_argument(field, format!("is not valid JSON: {e}")))
}

/// The report of bad input the JS layer found (a NaN, a function, a cycle) before sending.
#[napi]
pub fn invalid_argument(field: String, message: String) -> String {
    report_json(&Error::invalid_argument(field, message))
}

/// Deepest nesting the face converts (the facade's limit).
#[napi]
pub fn max_depth() -> u32 {
    hcpartner::facade::MAX_DEPTH as u32
}

/// The version of the Rust core.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
