//! `signRequest`: the core's signer for any HTTP library.

use std::collections::HashMap;

use napi::bindgen_prelude::Buffer;
use napi::Either;
use napi_derive::napi;

use crate::{guarded, parse_json};

/// Signs a request with AK/SK (SDK-HMAC-SHA256, byte-identical to the official SDK).
/// `headers`: JSON `[[name, value], ...]`. Returns the headers to add.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn sign_request(
    method: String,
    url: String,
    headers: String,
    body: Buffer,
    ak: String,
    sk: String,
    security_token: Option<String>,
    domain_id: Option<String>,
) -> Either<HashMap<String, String>, String> {
    guarded(|| {
        let pairs: Vec<(String, String)> = serde_json::from_value(parse_json(&headers, "headers")?)
            .map_err(|e| hcpartner::Error::invalid_argument("headers", e.to_string()))?;
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let key = hcpartner::signer::SigningKey {
            ak: &ak,
            sk: &sk,
            security_token: security_token.as_deref(),
            domain_id: domain_id.as_deref(),
        };
        let signed = hcpartner::signer::sign_at(
            &method,
            &url,
            &refs,
            &body,
            &key,
            std::time::SystemTime::now(),
        )?;
        Ok(signed
            .headers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect())
    })
}
