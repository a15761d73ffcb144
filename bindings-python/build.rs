//! Links the extension with link/start.ld (written by link/order.py): the code that import, a first
//! client and a first call run is placed together at the front of .text, so the pages they touch
//! are few. The script needs lld (gold has no INSERT; bfd would merge the headers into the code
//! segment), so by default it is used only where rustc links with its own lld (x86_64 Linux, Rust
//! 1.90 on) in an optimised build; `HCP_START_ORDER=1` uses it anyway (packaging's zig is lld),
//! `HCP_START_ORDER=0` never.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=link/start.ld");
    println!("cargo:rerun-if-env-changed=HCP_START_ORDER");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("link/start.ld");
    let wanted = match env::var("HCP_START_ORDER").as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        // A debug build links 4 s slower with it, and its code is not what the list names.
        _ => env::var("OPT_LEVEL").is_ok_and(|o| o != "0") && links_with_rust_lld(),
    };
    if wanted && script.exists() {
        println!("cargo:rustc-link-arg-cdylib=-Wl,-T,{}", script.display());
    }
}

fn links_with_rust_lld() -> bool {
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let other_linker = env::var_os("RUSTC_LINKER").is_some()
        || flags.contains("link")
        || flags.contains("fuse-ld");
    let minor = std::process::Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .nth(1)?
                .split('.')
                .nth(1)?
                .parse::<u32>()
                .ok()
        });
    env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu")
        && !other_linker
        && minor.is_some_and(|m| m >= 90)
}
