//! What every face (Python, Node, C) shares, so that none decides anything on its own: options
//! and credentials as one serde shape ([`ClientOptions`]), one error rendering with stable codes
//! ([`ErrorReport`]), the number policy on the way back ([`numbers`]), pagers ([`Pager`]) and
//! guarded calls that follow the money rule when the caller gives up ([`call`](mod@call)).
//!
//! No FFI types and no `unsafe` here: a face converts its values to `serde_json::Value` and back,
//! and calls these.

mod build;
pub mod call;
pub mod numbers;
mod options;
mod pager;
pub mod reconcile;
mod report;

pub use build::{build, build_json, Build, BuildError, Key};
pub use call::{
    block, block_interruptible, call, call_blocking, call_interruptible, guard, spawn_call, Answer,
    Blocking, CallControl,
};
pub use numbers::{shape, NumberKind, Numbers, Schema};
pub use options::{
    customer_domain, ClientOptions, CredentialsSpec, RetryOptions, Seconds, Timeouts,
};
pub use pager::Pager;
pub use report::ErrorReport;

/// Deepest nesting a face converts (serde_json's own limit): deeper or cyclic input is an
/// `InvalidArgument`, never a stack overflow.
pub const MAX_DEPTH: usize = 128;
