//! The C library of hcpartner (`libhcpartner.so`, `libhcpartner.a`, `include/hcpartner.h`).
//!
//! A converter and nothing more, like the other faces: options JSON goes to
//! `hcpartner::facade::ClientOptions`, calls to `facade::call_blocking`, pagers to
//! `facade::Pager`, results come back as JSON text with the digits the service sent, errors as the
//! facade's `ErrorReport` and its stable codes. Every decision is the core's.
//!
//! The only crate of the workspace allowed `unsafe`: it dereferences the pointers C gives it,
//! after checking each for NULL (and each string for UTF-8), inside a panic boundary
//! ([`panic`]). The ownership and threading rules are stated once, in include/README.md and the
//! header's preamble (`cbindgen.toml`); the `# Safety` of every export is those rules.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

mod args;
pub mod client;
pub mod error;
mod json;
pub mod names;
pub mod pager;
mod panic;
pub mod sign;

/// The library's version, as `hcp_version()` returns it (checked against Cargo.toml when built).
pub const HCP_VERSION_MAJOR: u32 = 0;
pub const HCP_VERSION_MINOR: u32 = 1;
pub const HCP_VERSION_PATCH: u32 = 0;

const fn number(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        n = n * 10 + (b[i] - b'0') as u32;
        i += 1;
    }
    n
}

// The macros above are literals (cbindgen copies literals into the header); this keeps them the
// package's version: a version bump that forgets them does not compile.
const _: () = assert!(
    HCP_VERSION_MAJOR == number(env!("CARGO_PKG_VERSION_MAJOR"))
        && HCP_VERSION_MINOR == number(env!("CARGO_PKG_VERSION_MINOR"))
        && HCP_VERSION_PATCH == number(env!("CARGO_PKG_VERSION_PATCH")),
    "HCP_VERSION_* in bindings-c/src/lib.rs differ from the version in Cargo.toml"
);

/// `flags` bit of `hcp_pager_new`: yield whole pages (the answer of each request) instead of
/// the items of the list in them.
pub const HCP_FLAG_PAGES: u32 = 1;
/// `flags` bit of `hcp_call_flags` and `hcp_pager_new`: decimals (money) as JSON strings
/// (`"100.50"`) and integers beyond ±2^53 as strings, for JSON parsers that read numbers into
/// doubles. Without it numbers keep the service's exact digits as JSON numbers.
pub const HCP_FLAG_DECIMAL_STRINGS: u32 = 2;
