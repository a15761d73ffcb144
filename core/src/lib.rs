//! # hcpartner
//!
//! A client for the Huawei Cloud Partner Center API (the BSS operational APIs that solution
//! providers and resellers use to run their customers): AK/SK signing byte-identical to the
//! official SDK, IAM tokens with single-flight refresh, retries that never move money twice, and
//! one error type that says whether a request was sent.
//!
//! ```no_run
//! # async fn demo() -> hcpartner::Result<()> {
//! use hcpartner::{Client, Config, credentials::AkSk, Site};
//! let config = Config::builder()
//!     .site(Site::Intl)
//!     .credentials(AkSk::new("AK...", "SK...").with_domain_id("0970d..."))
//!     .build()?;
//! let client = Client::new(config)?;
//! # let _ = client; Ok(()) }
//! ```

pub mod catalog;
pub mod client;
pub mod config;
pub mod credentials;
mod direct;
pub mod error;
pub mod facade;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod h1;
pub mod local;
#[macro_use]
mod model_macros;
pub mod generated;
pub mod money;
pub mod operation;
pub mod paginate;
pub mod per_call;
mod pipeline;
pub mod proxy;
mod request;
pub mod response;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod signer;
pub mod site;
pub mod tls;
mod transport;
pub mod validate;

pub use client::Client;
pub use config::{Config, ConfigBuilder, Language, Site};
pub use error::{Dispatch, Error, ErrorKind, Result};
pub use operation::{DateFormat, Effect, Method, Operation, Sites};
pub use per_call::PerCall;
pub use pipeline::{Meta, Progress};
pub use secret::Secret;

/// The user agent sent on every request.
pub const USER_AGENT: &str = concat!("hcpartner/", env!("CARGO_PKG_VERSION"));
