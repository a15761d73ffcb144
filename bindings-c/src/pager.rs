//! `hcp_pager`: every item (or page) of a paginated operation, fetched as it is asked for.

use std::ffi::c_char;

use hcpartner::facade::{self, Numbers, Pager};
use hcpartner::Dispatch;

use crate::args;
use crate::client::hcp_client;
use crate::error::{hcp_error, hcp_result};
use crate::json;
use crate::panic::boundary;
use crate::{HCP_FLAG_DECIMAL_STRINGS, HCP_FLAG_PAGES};

/// A pager over a paginated operation. Made by `hcp_pager_new`, freed by `hcp_pager_free`. It
/// holds what it needs of its client (the client may be freed first). Threads may share it: each
/// item is handed out once.
#[derive(Debug)]
pub struct hcp_pager {
    pager: Pager,
    numbers: Numbers,
}

/// Makes a pager over `operation` (a paginated one: `list_sub_customers`, …) with its params as
/// a JSON object (`"{}"` for none; `limit` sets the page size). `flags`: `HCP_FLAG_PAGES` to get
/// whole pages instead of items, `HCP_FLAG_DECIMAL_STRINGS` for decimals as strings. The
/// operation and params are checked now (`HCP_INVALID_ARGUMENT` naming the field); nothing is
/// sent until `hcp_pager_next`.
///
/// Ownership: `client`, `operation` and `params_json` are borrowed for the call. On success
/// `*out` is a new pager the caller frees with `hcp_pager_free`; on failure it is untouched and
/// `*err` (if `err` is not NULL) is a new error the caller frees with `hcp_error_free`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn hcp_pager_new(
    client: *const hcp_client,
    operation: *const c_char,
    params_json: *const c_char,
    flags: u32,
    out: *mut *mut hcp_pager,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::NotSent, || {
        let allowed = HCP_FLAG_PAGES | HCP_FLAG_DECIMAL_STRINGS;
        let r = unsafe { args::request(client, operation, params_json, flags, allowed) }?;
        let out = args::out(out, "out")?;
        let pages = flags & HCP_FLAG_PAGES != 0;
        let pager = Pager::new(r.client, r.operation, r.params, pages)?;
        out.put_box(hcp_pager {
            pager,
            numbers: r.numbers,
        });
        Ok(())
    })
}

/// The next item (or page) as JSON, blocking this thread while a page is fetched. `HCP_OK`
/// with `*item_json` set to NULL means there are no more (also after an error was returned once).
///
/// Ownership: `pager` is borrowed. On `HCP_OK`, `*item_json` is NULL or a new JSON text the
/// caller frees with `hcp_string_free`; on failure it is untouched and `*err` (if `err` is not
/// NULL) is a new error the caller frees with `hcp_error_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn hcp_pager_next(
    pager: *mut hcp_pager,
    item_json: *mut *mut c_char,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::NotSent, || {
        let p = unsafe { args::handle(pager.cast_const(), "pager") }?;
        let out = args::out(item_json, "item_json")?;
        match p.pager.next_blocking() {
            None => out.put_null(),
            Some(item) => {
                let v = facade::shape(p.pager.schema(), item?, p.numbers);
                out.put_text(json::text(&v));
            }
        }
        Ok(())
    })
}

/// Frees a pager (stopping it early is fine). NULL is a no-op. No `hcp_pager_next` on it may be
/// running.
///
/// Ownership: takes `pager` back from the caller.
#[no_mangle]
pub unsafe extern "C" fn hcp_pager_free(pager: *mut hcp_pager) {
    // Dropping it drops its stream: nothing more is fetched.
    unsafe { args::free_box(pager) }
}
