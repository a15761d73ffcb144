//! What a C program can ask the library about itself: its version, the operations it knows,
//! and the one way to free the strings it returns.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use crate::panic::or_default;

/// Frees a string this library returned (`hcp_call`'s response, a pager item, signed headers).
/// NULL is a no-op. Never give it a string of your own or one an `hcp_error` getter returned.
///
/// Ownership: takes `s` back from the caller.
#[no_mangle]
pub unsafe extern "C" fn hcp_string_free(s: *mut c_char) {
    or_default((), || {
        if !s.is_null() {
            // SAFETY: made by CString::into_raw in this library, freed once (the caller's promise).
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// The library's version, `"MAJOR.MINOR.PATCH"` (the `HCP_VERSION_*` macros are the header's).
///
/// Ownership: a static string; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn hcp_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The names, as C strings, and a NULL-terminated array of pointers to them.
struct Names {
    _strings: Vec<CString>,
    pointers: Vec<*const c_char>,
}

// SAFETY: the pointers point into `_strings`, which is never changed after it is made.
unsafe impl Send for Names {}
// SAFETY: as above; nothing is ever written after construction.
unsafe impl Sync for Names {}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let strings: Vec<CString> = hcpartner::generated::OPERATIONS
            .iter()
            .map(|op| crate::args::c_string(op.name.to_owned()))
            .collect();
        let mut pointers: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
        pointers.push(std::ptr::null());
        Names {
            _strings: strings,
            pointers,
        }
    })
}

/// Every operation the library knows (both sites; the official snake_case names, sorted), as a
/// NULL-terminated array; `*count` (when `count` is not NULL) is their number. Any of them is a
/// valid `operation` of `hcp_call`.
///
/// Ownership: static; never free the array or its strings. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn hcp_operation_names(count: *mut usize) -> *const *const c_char {
    or_default(std::ptr::null(), || {
        let n = names();
        if !count.is_null() {
            // SAFETY: non-NULL and writable (the caller's promise).
            unsafe { *count = n.pointers.len() - 1 };
        }
        n.pointers.as_ptr()
    })
}
