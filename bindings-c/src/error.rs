//! `hcp_result` (the facade's stable codes) and `hcp_error` (the facade's `ErrorReport`, with
//! getters).

use std::ffi::{c_char, CString};

use hcpartner::facade::ErrorReport;
use hcpartner::{Error, ErrorKind};

use crate::args::c_string;
use crate::panic::or_default;

/// What every function that can fail returns. The values are hcpartner's stable error codes
/// (the same numbers as Python's `e.code` and Node's `err.code`): explicitly numbered, grouped
/// by hundreds, never reused. `HCP_OK` (0) is success; any other value has an `hcp_error` with
/// the details when the function was given a place for one.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum hcp_result {
    HCP_OK = 0,
    /// Bad input or configuration (a NULL or non-UTF-8 argument too): `hcp_error_field` names
    /// it. Nothing was sent.
    HCP_INVALID_ARGUMENT = 100,
    /// Credentials refused or unobtainable, no permission, wrong site.
    HCP_AUTH = 200,
    /// Another error answer of the service (`hcp_error_error_code`: `CBC.…`).
    HCP_API = 300,
    /// The service asked to slow down; retryable.
    HCP_THROTTLED = 301,
    /// An answer that could not be read. With a 2xx status the call WAS applied: never send it
    /// again.
    HCP_DECODE = 302,
    /// No answer in time.
    HCP_TIMEOUT = 400,
    /// No connection, or it broke.
    HCP_CONNECT = 401,
    /// A state change (money, coupons, orders, resources) may have been applied: reconcile
    /// before trying again (`hcp_error_hint` says where).
    HCP_OUTCOME_UNKNOWN = 500,
    /// A bug in hcpartner (a caught panic): reported, never an abort.
    HCP_INTERNAL = 900,
}

impl hcp_result {
    /// The result for an error kind: the kind's stable code.
    pub fn of_kind(kind: ErrorKind) -> hcp_result {
        match kind.code() {
            100 => hcp_result::HCP_INVALID_ARGUMENT,
            200 => hcp_result::HCP_AUTH,
            300 => hcp_result::HCP_API,
            301 => hcp_result::HCP_THROTTLED,
            302 => hcp_result::HCP_DECODE,
            400 => hcp_result::HCP_TIMEOUT,
            401 => hcp_result::HCP_CONNECT,
            500 => hcp_result::HCP_OUTCOME_UNKNOWN,
            // 900, and any kind a newer core adds before this face learns it (a test fails then).
            _ => hcp_result::HCP_INTERNAL,
        }
    }

    pub fn of(e: &Error) -> hcp_result {
        hcp_result::of_kind(e.kind())
    }
}

/// The details of a failure: the facade's error report, as C strings made once.
#[derive(Debug)]
pub struct hcp_error {
    pub(crate) report: ErrorReport,
    code: hcp_result,
    kind: CString,
    dispatch: CString,
    error_code: Option<CString>,
    error_msg: CString,
    message: CString,
    request_id: Option<CString>,
    field: Option<CString>,
    operation: Option<CString>,
    hint: Option<CString>,
    body_excerpt: Option<CString>,
    ticket: Option<CString>,
    json: CString,
}

fn opt(s: &Option<String>) -> Option<CString> {
    s.clone().map(c_string)
}

impl hcp_error {
    fn new(e: &Error) -> hcp_error {
        let report = e.report();
        let json = serde_json::to_string(&report).unwrap_or_default();
        hcp_error {
            code: hcp_result::of(e),
            kind: c_string(report.kind.to_owned()),
            dispatch: c_string(report.dispatch.to_owned()),
            error_code: opt(&report.error_code),
            error_msg: c_string(report.error_msg.clone()),
            message: c_string(report.display.clone()),
            request_id: opt(&report.request_id),
            field: opt(&report.field),
            operation: opt(&report.operation),
            hint: opt(&report.hint),
            body_excerpt: opt(&report.body_excerpt),
            // Numbers as the core holds them: the amounts keep their exact digits.
            ticket: report
                .ticket
                .as_ref()
                .and_then(|t| serde_json::to_string(t).ok())
                .map(c_string),
            json: c_string(json),
            report,
        }
    }
}

/// Writes a new `hcp_error` for `e` to `*err`, if `err` is not NULL.
///
/// # Safety
/// `err` is NULL or writable.
pub(crate) unsafe fn set_error(err: *mut *mut hcp_error, e: &Error) {
    if !err.is_null() {
        // SAFETY: non-NULL and writable by the caller's promise.
        unsafe { *err = Box::into_raw(Box::new(hcp_error::new(e))) };
    }
}

/// Reads `err` through `f`; `fallback` when `err` is NULL.
unsafe fn read<T: Copy>(err: *const hcp_error, fallback: T, f: impl FnOnce(&hcp_error) -> T) -> T {
    or_default(fallback, || {
        // SAFETY: NULL or a live hcp_error (the header's rule).
        match unsafe { err.as_ref() } {
            Some(e) => f(e),
            None => fallback,
        }
    })
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Frees an error. NULL is a no-op. Every string its getters returned dies with it.
///
/// Ownership: takes `err` back from the caller.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_free(err: *mut hcp_error) {
    unsafe { crate::args::free_box(err) }
}

/// The error's stable code (the `hcp_result` the failing function returned); `HCP_OK` for NULL.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_code(err: *const hcp_error) -> hcp_result {
    unsafe { read(err, hcp_result::HCP_OK, |e| e.code) }
}

/// The kind: `"InvalidArgument"`, `"Auth"`, `"Api"`, `"Throttled"`, `"Decode"`, `"Timeout"`,
/// `"Connect"`, `"OutcomeUnknown"` or `"Internal"`. Borrowed from `err` (valid until
/// `hcp_error_free`); NULL for a NULL `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_kind(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| e.kind.as_ptr()) }
}

/// How far the request got: `"not_sent"`, `"maybe_sent"` or `"responded"`. Borrowed from `err`;
/// NULL for a NULL `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_dispatch(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| e.dispatch.as_ptr()) }
}

/// The HTTP status of the answer; 0 when there was none (or `err` is NULL).
#[no_mangle]
pub unsafe extern "C" fn hcp_error_status(err: *const hcp_error) -> u16 {
    unsafe { read(err, 0, |e| e.report.status.unwrap_or(0)) }
}

/// The service's error code (`"CBC.0100"`, `"APIGW.0308"`). Borrowed from `err`; NULL when the
/// service gave none.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_error_code(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.error_code)) }
}

/// The service's message, or hcpartner's. Borrowed from `err`; NULL for a NULL `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_error_msg(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| e.error_msg.as_ptr()) }
}

/// The whole error on one line (operation, code, field, message, hint, request id): what to log.
/// Never holds a secret. Borrowed from `err`; NULL for a NULL `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_message(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| e.message.as_ptr()) }
}

/// `X-Request-Id` of the answer (quote it to Huawei support). Borrowed from `err`; NULL when
/// there was no answer.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_request_id(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.request_id)) }
}

/// Whether the same call may succeed later (throttling, transient errors); false for NULL.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_retryable(err: *const hcp_error) -> bool {
    unsafe { read(err, false, |e| e.report.retryable) }
}

/// The offending input of an `HCP_INVALID_ARGUMENT` (`"customer_infos[0].amount"`, an option
/// such as `"timeouts.total"`, or an argument such as `"params_json"`). Borrowed from `err`; NULL
/// when none.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_field(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.field)) }
}

/// The operation called. Borrowed from `err`; NULL when none.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_operation(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.operation)) }
}

/// What to do, in a sentence. Borrowed from `err`; NULL when none.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_hint(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.hint)) }
}

/// Requests sent, retries included; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_attempts(err: *const hcp_error) -> u32 {
    unsafe { read(err, 0, |e| e.report.attempts) }
}

/// The start of an answer that could not be read (`HCP_DECODE`). Borrowed from `err`; NULL when
/// none.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_body_excerpt(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.body_excerpt)) }
}

/// What an `HCP_OUTCOME_UNKNOWN` of a funding, reclaim or coupon call was, as a JSON object
/// (`{"operation": …, "params": {"customer_id": …, "amount": 10.00}, "began": …, "ended": …}`,
/// amounts with their exact digits, Unix seconds by the service's clock): hand it to
/// `hcp_reconcile`, now or later (keep the text). Never holds a secret. Borrowed from `err`;
/// NULL for any other error (it cannot be reconciled) and for a NULL `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_ticket(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| ptr(&e.ticket)) }
}

/// The whole report as a JSON object (`kind`, `code`, `dispatch`, `status`, `error_code`,
/// `error_msg`, `display`, `request_id`, `retryable`, `field`, `operation`, `hint`, `attempts`,
/// `body_excerpt`, `ticket`), for logging or handing on. Borrowed from `err`; NULL for a NULL
/// `err`.
#[no_mangle]
pub unsafe extern "C" fn hcp_error_json(err: *const hcp_error) -> *const c_char {
    unsafe { read(err, std::ptr::null(), |e| e.json.as_ptr()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The C codes are the facade's: every kind maps to its own stable number.
    #[test]
    fn results_are_the_facade_codes() {
        for k in ErrorKind::ALL {
            assert_eq!(hcp_result::of_kind(k) as u32, k.code(), "{k:?}");
        }
        assert_eq!(hcp_result::HCP_OK as u32, 0);
    }

    #[test]
    fn getters_read_the_report_and_null_is_safe() {
        let mut err: *mut hcp_error = std::ptr::null_mut();
        // SAFETY: `err` is a valid place; the error is freed once below.
        unsafe {
            set_error(&mut err, &Error::invalid_argument("amount", "bad\0amount"));
            assert_eq!(hcp_error_code(err), hcp_result::HCP_INVALID_ARGUMENT);
            let field = std::ffi::CStr::from_ptr(hcp_error_field(err));
            assert_eq!(field.to_str().unwrap(), "amount");
            let msg = std::ffi::CStr::from_ptr(hcp_error_error_msg(err));
            assert_eq!(msg.to_str().unwrap(), "bad\u{fffd}amount");
            assert!(hcp_error_request_id(err).is_null());
            assert!(
                hcp_error_ticket(err).is_null(),
                "only an unknown outcome has one"
            );
            hcp_error_free(err);
            assert_eq!(hcp_error_code(std::ptr::null()), hcp_result::HCP_OK);
            assert!(hcp_error_kind(std::ptr::null()).is_null());
            hcp_error_free(std::ptr::null_mut());
        }
    }
}
