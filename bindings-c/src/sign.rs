//! `hcp_sign_request`: the core's SDK-HMAC-SHA256 signer (byte-identical to the official SDK's)
//! for requests sent with any HTTP library.

use std::ffi::c_char;
use std::time::SystemTime;

use hcpartner::signer::{parse_sdk_date, sign_at, SigningKey};
use hcpartner::{Dispatch, Error, Result};
use serde_json::{Map, Value};

use crate::args;
use crate::error::{hcp_error, hcp_result};
use crate::panic::boundary;

/// The key material of one signature. `ak` and `sk` are required; `security_token` (temporary
/// keys) and `domain_id` may be NULL, and become signed headers when given.
#[repr(C)]
#[derive(Debug)]
pub struct hcp_signing_key {
    pub ak: *const c_char,
    pub sk: *const c_char,
    pub security_token: *const c_char,
    pub domain_id: *const c_char,
}

/// Headers as a JSON array of `[name, value]` pairs (order kept) or an object.
fn header_pairs(v: Value) -> Result<Vec<(String, String)>> {
    let bad = || {
        Error::invalid_argument(
            "headers_json",
            "headers_json must be an array of [name, value] string pairs or an object of strings",
        )
    };
    let pair = |k: Value, v: Value| match (k, v) {
        (Value::String(k), Value::String(v)) => Ok((k, v)),
        _ => Err(bad()),
    };
    match v {
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| pair(Value::String(k), v))
            .collect(),
        Value::Array(items) => items
            .into_iter()
            .map(|p| match p {
                Value::Array(kv) if kv.len() == 2 => {
                    let mut kv = kv.into_iter();
                    pair(kv.next().unwrap_or_default(), kv.next().unwrap_or_default())
                }
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

/// Signs a request with AK/SK and gives the headers to add to it, as a JSON object in the order
/// the official SDK adds them (`X-Sdk-Date`, `Host` unless given, `X-Domain-Id` /
/// `X-Security-Token` when in `key`, `X-Sdk-Content-Sha256` for non-JSON bodies,
/// `Authorization`). `headers_json`: the request's headers as `[["Content-Type",
/// "application/json"], …]` or `{"Content-Type": "application/json"}`, or NULL for none.
/// `body`: `body_len` bytes (NULL when `body_len` is 0). `sdk_date`: the signing time as
/// `"20240102T030405Z"`, or NULL for now.
///
/// Ownership: every argument is borrowed for the call (the library keeps no copy of the keys).
/// On success `*signed_headers_json` is a new JSON text the caller frees with
/// `hcp_string_free`; on failure it is untouched and `*err` (if `err` is not NULL) is a new error
/// the caller frees with `hcp_error_free`. Thread-safe; touches no network.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn hcp_sign_request(
    method: *const c_char,
    url: *const c_char,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    key: *const hcp_signing_key,
    sdk_date: *const c_char,
    signed_headers_json: *mut *mut c_char,
    err: *mut *mut hcp_error,
) -> hcp_result {
    boundary(err, Dispatch::NotSent, || {
        let method = unsafe { args::text(method, "method") }?;
        let url = unsafe { args::text(url, "url") }?;
        let headers = match unsafe { args::optional_text(headers_json, "headers_json") }? {
            None => Vec::new(),
            Some(_) => header_pairs(unsafe { args::json(headers_json, "headers_json") }?)?,
        };
        let body: &[u8] = match (body.is_null(), body_len) {
            (_, 0) => &[],
            (true, _) => {
                return Err(Error::invalid_argument(
                    "body",
                    "body is NULL but body_len is not 0",
                ))
            }
            // SAFETY: `body_len` readable bytes at `body` (the caller's promise).
            (false, n) => unsafe { std::slice::from_raw_parts(body, n) },
        };
        let key = unsafe { args::handle(key, "key") }?;
        let key = SigningKey {
            ak: unsafe { args::text(key.ak, "key.ak") }?,
            sk: unsafe { args::text(key.sk, "key.sk") }?,
            security_token: unsafe {
                args::optional_text(key.security_token, "key.security_token")
            }?,
            domain_id: unsafe { args::optional_text(key.domain_id, "key.domain_id") }?,
        };
        let at = match unsafe { args::optional_text(sdk_date, "sdk_date") }? {
            None => SystemTime::now(),
            Some(d) => parse_sdk_date(d).ok_or_else(|| {
                Error::invalid_argument("sdk_date", "sdk_date must look like 20240102T030405Z")
            })?,
        };
        let out = args::out(signed_headers_json, "signed_headers_json")?;
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let signed = sign_at(method, url, &refs, body, &key, at)?;
        let added: Map<String, Value> = signed
            .headers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect();
        out.put_text(crate::json::text(&Value::Object(added)));
        Ok(())
    })
}
