//! What every face (Python, Node, C) shares, so that none decides anything on its own: options
//! and credentials as one serde shape ([`ClientOptions`]), per-call options ([`CallOptions`]),
//! one error rendering with stable codes ([`ErrorReport`]), the number policy on the way back
//! ([`numbers`]), date values written as each field takes them ([`place_dates`]), pagers
//! ([`Pager`]), fan-outs ([`spawn_fan_out`]) and guarded calls that follow the money rule when
//! the caller gives up ([`call`](mod@call)).
//!
//! No FFI types and no `unsafe` here: a face converts its values to `serde_json::Value` and back,
//! and calls these.

mod build;
pub mod call;
mod call_options;
mod dates;
mod doubles;
mod fan_out;
pub mod numbers;
mod options;
mod pager;
pub mod reconcile;
mod report;

pub use build::{build, build_json, Build, BuildError, Key};
pub use call::{
    block, block_interruptible, call, call_blocking, call_blocking_with, call_interruptible,
    call_interruptible_with, call_with, guard, spawn_call, spawn_call_local_with, spawn_call_with,
    Answer, Blocking, CallControl,
};
pub use call_options::CallOptions;
pub use dates::{date_value, place_dates};
pub use fan_out::{fan_out_blocking, spawn_fan_out, FanOut, FanOutEnd, MAX_CONCURRENCY};
pub use numbers::{shape, NumberKind, Numbers, Schema};
pub use options::{
    customer_domain, ClientOptions, CredentialsSpec, RetryOptions, Seconds, Timeouts,
};
pub use pager::{Pager, PagerOptions};
pub use report::ErrorReport;

/// Deepest nesting a face converts (serde_json's own limit): deeper or cyclic input is an
/// `InvalidArgument`, never a stack overflow.
pub const MAX_DEPTH: usize = 128;
