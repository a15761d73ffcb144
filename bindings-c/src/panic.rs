//! The panic boundary around every export (rustls-ffi's `ffi_panic_boundary!` in spirit): no
//! panic unwinds into C. A panic becomes `HCP_INTERNAL` with its report, like any error.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use hcpartner::{Dispatch, Error};

use crate::error::{hcp_error, hcp_result, set_error};

fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs the body of an export that returns an `hcp_result`: `HCP_OK` when it succeeds, else the
/// error's code with the error written to `*err` (when `err` is not NULL). `dispatch` is what a
/// panic says about the request (a call may have sent it; nothing else sends).
pub(crate) fn boundary(
    err: *mut *mut hcp_error,
    dispatch: Dispatch,
    body: impl FnOnce() -> Result<(), Error>,
) -> hcp_result {
    let e = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return hcp_result::HCP_OK,
        Ok(Err(e)) => e,
        Err(payload) => Error::internal(
            format!("internal error: {}", panic_text(payload.as_ref())),
            dispatch,
        ),
    };
    let code = hcp_result::of(&e);
    // Building the report allocates; even a panic there must stay on this side.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `err` is NULL or points to writable storage for a pointer (the header's rule).
        unsafe { set_error(err, &e) }
    }));
    code
}

/// Runs the body of an export that returns a plain value (getters, frees): `fallback` if it
/// panics.
pub(crate) fn or_default<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::hcp_error_free;

    #[test]
    fn a_panic_is_internal_and_reported() {
        let mut err: *mut hcp_error = std::ptr::null_mut();
        let code = boundary(&mut err, Dispatch::MaybeSent, || {
            panic!("deliberate test panic")
        });
        assert_eq!(code, hcp_result::HCP_INTERNAL);
        assert_eq!(code as u32, 900);
        assert!(!err.is_null());
        // SAFETY: written just above by `boundary`.
        let report = unsafe { &(*err).report };
        assert_eq!((report.kind, report.dispatch), ("Internal", "maybe_sent"));
        assert!(report.error_msg.contains("deliberate test panic"));
        assert!(report
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("may have been sent"));
        // SAFETY: owned here, freed once.
        unsafe { hcp_error_free(err) };
        // No err pointer: the code alone, nothing written anywhere.
        let code = boundary(std::ptr::null_mut(), Dispatch::NotSent, || panic!("again"));
        assert_eq!(code, hcp_result::HCP_INTERNAL);
        assert_eq!(or_default(7, || panic!("in a getter")), 7);
    }
}
