//! What C hands in, checked before anything is done with it: a NULL pointer or a string that is
//! not UTF-8 is an `InvalidArgument` naming the argument, and nothing is sent.

use std::ffi::{c_char, CStr, CString};

use hcpartner::facade::Numbers;
use hcpartner::{Error, Result};
use serde_json::Value;

/// A required string argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives the call.
pub(crate) unsafe fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    // SAFETY: the caller's promise above.
    unsafe { optional_text(p, name) }?
        .ok_or_else(|| Error::invalid_argument(name, format!("{name} is NULL")))
}

/// A string argument that may be NULL (absent).
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn optional_text<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's promise.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Error::invalid_argument(
            name,
            format!("{name} is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// A required JSON text argument, parsed with its numbers' digits kept.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn json(p: *const c_char, name: &str) -> Result<Value> {
    // SAFETY: the caller's promise.
    let t = unsafe { text(p, name) }?;
    serde_json::from_str(t)
        .map_err(|e| Error::invalid_argument(name, format!("{name} is not valid JSON: {e}")))
}

/// A handle argument (`const hcp_client *`, …), borrowed for the call.
///
/// # Safety
/// `p` is NULL or a live handle made by this library.
pub(crate) unsafe fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: the caller's promise.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid_argument(name, format!("{name} is NULL")))
}

/// An output argument (`T **out`): checked before any work so that a NULL one sends nothing.
pub(crate) fn out<T>(p: *mut *mut T, name: &str) -> Result<Out<T>> {
    if p.is_null() {
        return Err(Error::invalid_argument(name, format!("{name} is NULL")));
    }
    Ok(Out(p))
}

/// Where a successful export writes its result (only then).
pub(crate) struct Out<T>(*mut *mut T);

impl<T> Out<T> {
    /// Hands `value` to the caller, who owns it from now on.
    pub(crate) fn put_box(self, value: T) {
        // SAFETY: checked non-NULL in `out`; writable by the header's rule.
        unsafe { *self.0 = Box::into_raw(Box::new(value)) }
    }
}

impl Out<c_char> {
    /// Hands `s` to the caller as a string for `hcp_string_free`.
    pub(crate) fn put_text(self, s: CString) {
        // SAFETY: as in `put_box`.
        unsafe { *self.0 = s.into_raw() }
    }

    /// Writes NULL (the end of a pager).
    pub(crate) fn put_null(self) {
        // SAFETY: as in `put_box`.
        unsafe { *self.0 = std::ptr::null_mut() }
    }
}

/// Frees a handle that `Out::put_box` handed out; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `put_box` with this `T`, and is freed once.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    crate::panic::or_default((), || {
        if !p.is_null() {
            // SAFETY: made by Box::into_raw in `put_box` (the caller's promise).
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

/// What `hcp_call_flags` and `hcp_pager_new` both take, checked: the client, the operation, its
/// params and the number policy of `flags` (of which `allowed` are the bits the export takes).
pub(crate) struct Request<'a> {
    pub(crate) client: &'a hcpartner::Client,
    pub(crate) operation: &'a str,
    pub(crate) params: Value,
    pub(crate) numbers: Numbers,
}

/// # Safety
/// As [`text`] and [`handle`].
pub(crate) unsafe fn request<'a>(
    client: *const crate::client::hcp_client,
    operation: *const c_char,
    params_json: *const c_char,
    flags: u32,
    allowed: u32,
) -> Result<Request<'a>> {
    // SAFETY: the caller's promise.
    unsafe {
        Ok(Request {
            client: &handle(client, "client")?.client,
            operation: text(operation, "operation")?,
            params: json(params_json, "params_json")?,
            numbers: numbers(flags, allowed)?,
        })
    }
}

/// `s` as a C string; a NUL inside (a service message could carry one) becomes U+FFFD, since C
/// would end the string there.
pub(crate) fn c_string(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let s = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\u{fffd}");
        CString::new(s).unwrap_or_default()
    })
}

/// The number policy a `flags` argument asks for; `allowed` are the bits the export takes.
pub(crate) fn numbers(flags: u32, allowed: u32) -> Result<Numbers> {
    if flags & !allowed != 0 {
        return Err(Error::invalid_argument(
            "flags",
            format!("flags has unknown bits {:#x}", flags & !allowed),
        ));
    }
    Ok(if flags & crate::HCP_FLAG_DECIMAL_STRINGS != 0 {
        Numbers::Strings
    } else {
        Numbers::Exact
    })
}
