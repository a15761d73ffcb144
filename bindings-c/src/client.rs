//! `hcp_client`: one client (connection pool, credentials cache) shared by every thread,
//! `hcp_call` for any of the operations and `hcp_reconcile` for an unknown outcome.

use std::ffi::c_char;

use hcpartner::facade::reconcile::reconcile_value;
use hcpartner::facade::{self, ClientOptions, Numbers};
use hcpartner::{Client, Dispatch, Error};

use crate::args;
use crate::error::{hcp_error, hcp_result};
use crate::json;
use crate::panic::boundary;
use crate::HCP_FLAG_DECIMAL_STRINGS;

/// A client: immutable once made, safe to share between threads (calls from many threads at
/// once run in parallel). Made by `hcp_client_new`, freed by `hcp_client_free`.
#[derive(Debug)]
pub struct hcp_client {
    pub(crate) client: Client,
}

/// Makes a client from `options_json`, the options of docs/options.md as a JSON object (`"{}"`
/// for the defaults), credentials included:
/// `{"site": "intl", "credentials": {"type": "ak_sk", "ak": "…", "sk": "…"}, "timeouts": {"total": 30}}`.
/// Never touches the network. A bad option fails with `HCP_INVALID_ARGUMENT` naming it
/// (`hcp_error_field`: `"timeouts.total"`).
///
/// Ownership: `options_json` is borrowed for the call (the library keeps no pointer to it; wipe
/// it afterwards if it holds a secret). On success `*out` is a new client the caller owns and
/// frees with `hcp_client_free`; on failure `*out` is untouched and `*err` (if `err` is not NULL)
/// is a new error the caller frees with `hcp_error_free`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn hcp_client_new(
    options_json: *const c_char,
    out: *mut *mut hcp_client,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::NotSent, || {
        // SAFETY (every `args::` call of this crate): the header's rules for arguments.
        let options = unsafe { args::text(options_json, "options_json") }?;
        let out = args::out(out, "out")?;
        let config = ClientOptions::from_json(options, "hcp_client_new options")?.into_config()?;
        out.put_box(hcp_client {
            client: Client::new(config)?,
        });
        Ok(())
    })
}

/// Frees a client. NULL is a no-op. No call on it may be running or start afterwards; pagers
/// made from it keep working (they hold what they need).
///
/// Ownership: takes `client` back from the caller.
#[no_mangle]
pub unsafe extern "C" fn hcp_client_free(client: *mut hcp_client) {
    unsafe { args::free_box(client) }
}

/// Calls `operation` (an official snake_case name, see `hcp_operation_names`) with its flat
/// params as a JSON object (`"{}"` for none), blocking this thread until it ends. Money in the
/// params is a JSON number with its exact digits (`{"amount": 100.50}`), never rounded; the
/// params are checked before anything is sent (`HCP_INVALID_ARGUMENT` naming the field). Reads
/// are retried; a state change is sent once (`HCP_OUTCOME_UNKNOWN` when its outcome is unknown).
/// The answer's numbers keep the service's digits (see `hcp_call_flags` for strings).
///
/// Ownership: `client`, `operation` and `params_json` are borrowed for the call. On success
/// `*response_json` is a new JSON text the caller frees with `hcp_string_free`; on failure it is
/// untouched and `*err` (if `err` is not NULL) is a new error the caller frees with
/// `hcp_error_free`. Thread-safe: any number of threads may call with one client at once.
#[no_mangle]
pub unsafe extern "C" fn hcp_call(
    client: *const hcp_client,
    operation: *const c_char,
    params_json: *const c_char,
    response_json: *mut *mut c_char,
    err: *mut *mut hcp_error,
) -> hcp_result {
    unsafe { hcp_call_flags(client, operation, params_json, 0, response_json, err) }
}

/// `hcp_call` with `flags`: 0, or `HCP_FLAG_DECIMAL_STRINGS` for decimals (money) as JSON
/// strings in the answer. Ownership and threading as `hcp_call`.
#[no_mangle]
pub unsafe extern "C" fn hcp_call_flags(
    client: *const hcp_client,
    operation: *const c_char,
    params_json: *const c_char,
    flags: u32,
    response_json: *mut *mut c_char,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::MaybeSent, || {
        let r = unsafe {
            args::request(
                client,
                operation,
                params_json,
                flags,
                HCP_FLAG_DECIMAL_STRINGS,
            )
        }?;
        let out = args::out(response_json, "response_json")?;
        let answer = facade::call_blocking(r.client, r.operation, r.params)?;
        let text = match r.numbers {
            // The service's own text, digits as sent: no parse, no rewrite.
            Numbers::Exact => json::c_string(answer.into_json()?),
            numbers => {
                let schema = answer.schema();
                json::text(&facade::shape(schema, answer.into_value()?, numbers))
            }
        };
        out.put_text(text);
        Ok(())
    })
}

/// Settles an `HCP_OUTCOME_UNKNOWN` of a funding, reclaim or coupon call from the service's own
/// records, blocking this thread. `ticket_json` is the error's `hcp_error_ticket` (or that text,
/// kept). On success `*response_json` is `{"verdict": "applied" | "not_applied" | "ambiguous",
/// "operation": …, "looked_in": …, "records": [...]}` with the records that decided it
/// (docs/reliability.md); only reads are sent. `flags`: 0, or `HCP_FLAG_DECIMAL_STRINGS` for
/// decimals as strings in the records. A NULL `ticket_json` (the error had no ticket: it cannot
/// be reconciled) or text that is not a ticket is `HCP_INVALID_ARGUMENT` naming it.
///
/// Ownership and threading as `hcp_call`.
#[no_mangle]
pub unsafe extern "C" fn hcp_reconcile(
    client: *const hcp_client,
    ticket_json: *const c_char,
    flags: u32,
    response_json: *mut *mut c_char,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::NotSent, || {
        let client = &unsafe { args::handle(client, "client") }?.client;
        if ticket_json.is_null() {
            return Err(Error::invalid_argument(
                "ticket_json",
                "ticket_json is NULL: only an HCP_OUTCOME_UNKNOWN of a funding, reclaim or coupon \
                 call has a ticket (hcp_error_ticket) and can be reconciled",
            ));
        }
        let ticket = unsafe { args::json(ticket_json, "ticket_json") }?;
        let numbers = args::numbers(flags, HCP_FLAG_DECIMAL_STRINGS)?;
        let out = args::out(response_json, "response_json")?;
        let found = facade::block(reconcile_value(client, Some(ticket), "ticket_json"))?;
        out.put_text(json::text(&found.into_value(numbers)));
        Ok(())
    })
}
