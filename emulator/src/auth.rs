//! Who is calling: AK/SK signatures verified with the core's signer (re-signing what arrived with
//! the headers the caller said it signed, at the X-Sdk-Date it sent), with the gateway's 15-minute
//! clock window; temporary AK/SK this emulator issued, with their `X-Security-Token`; or
//! X-Auth-Token tokens this emulator issued.

use serde::{Deserialize, Serialize};

use hcpartner::signer::{parse_sdk_date, sign_at, SigningKey};

use crate::error::ApiError;
use crate::server::{Incoming, Shared};
use crate::util::{epoch, utc};

/// The gateway refuses an X-Sdk-Date further than this from its clock.
pub const MAX_SKEW_S: i64 = 15 * 60;

/// The identity a request acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    /// The partner (AK/SK, its password token).
    Partner,
    /// A customer (an assume_role token, or the customer's own password token).
    Customer(String),
}

/// A token the emulator issued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub principal: Principal,
    pub methods: Vec<String>,
    pub issued_at: i64,
    pub expires_at: i64,
    pub user_id: String,
    pub user_name: String,
    pub domain_id: String,
    pub domain_name: String,
    /// For assume_role tokens: the partner user that assumed the agency.
    pub assumed_by: Option<(String, String)>,
}

/// A temporary access key the emulator issued (`create_temporary_access_key_by_*`): it acts as
/// `principal` until `expires_at`, and every request signed with it carries `token` in
/// `X-Security-Token`.
#[derive(Debug, Clone)]
pub struct TempKey {
    pub secret: String,
    pub token: String,
    pub expires_at: i64,
    pub principal: Principal,
}

/// A refusal: the answer to send and the reason to log.
#[derive(Debug)]
pub struct Refusal {
    pub error: ApiError,
    pub reason: String,
}

fn refuse(error: ApiError, reason: impl Into<String>) -> Refusal {
    Refusal {
        error,
        reason: reason.into(),
    }
}

/// Authenticates a request. `needs_domain` is set for BSS calls, where an AK/SK signature must
/// carry (and sign) the partner's `X-Domain-Id`.
pub fn authenticate(
    shared: &Shared,
    req: &Incoming<'_>,
    needs_domain: bool,
) -> Result<Principal, Refusal> {
    if let Some(token) = req.header("x-auth-token") {
        return token_principal(shared, token).map(|t| t.principal);
    }
    if req.header("authorization").is_some() {
        return verify_signature(shared, req, needs_domain);
    }
    Err(refuse(
        ApiError::signature("no X-Auth-Token and no Authorization header"),
        "the request carries no credentials",
    ))
}

/// The live token `token`, or 401 APIGW.0307.
pub fn token_principal(shared: &Shared, token: &str) -> Result<Token, Refusal> {
    let now = shared.now_secs();
    let tokens = shared.tokens.lock().unwrap_or_else(|p| p.into_inner());
    match tokens.get(token) {
        None => Err(refuse(
            ApiError::token_expired(),
            "unknown X-Auth-Token (not issued by this emulator, or forgotten by a reset)",
        )),
        Some(t) if t.expires_at <= now => Err(refuse(
            ApiError::token_expired(),
            format!("X-Auth-Token expired at {}", utc(t.expires_at)),
        )),
        Some(t) => Ok(t.clone()),
    }
}

/// The secret and identity of an access key: the partner's own, or a live temporary one whose
/// security token the request carries.
fn key_of(shared: &Shared, req: &Incoming<'_>, ak: &str) -> Result<(String, Principal), Refusal> {
    let fail = || ApiError::signature("verify aksk signature fail");
    if ak == shared.creds.ak {
        return Ok((shared.creds.sk.clone(), Principal::Partner));
    }
    let keys = shared.temp_keys.lock().unwrap_or_else(|p| p.into_inner());
    let Some(k) = keys.get(ak) else {
        return Err(refuse(fail(), format!("unknown access key {ak}")));
    };
    if k.expires_at <= shared.now_secs() {
        return Err(refuse(
            ApiError::signature("the temporary access key has expired"),
            format!("temporary AK {ak} expired at {}", utc(k.expires_at)),
        ));
    }
    if req.header("x-security-token") != Some(k.token.as_str()) {
        return Err(refuse(
            fail(),
            format!("temporary AK {ak} without its X-Security-Token"),
        ));
    }
    Ok((k.secret.clone(), k.principal.clone()))
}

fn verify_signature(
    shared: &Shared,
    req: &Incoming<'_>,
    needs_domain: bool,
) -> Result<Principal, Refusal> {
    let fail = || ApiError::signature("verify aksk signature fail");
    let auth = req.header("authorization").unwrap_or_default();
    let Some(rest) = auth.strip_prefix("SDK-HMAC-SHA256 ") else {
        return Err(refuse(fail(), "Authorization does not use SDK-HMAC-SHA256"));
    };
    let (mut access, mut signed) = (None, None);
    for part in rest.split(',').map(str::trim) {
        if let Some(v) = part.strip_prefix("Access=") {
            access = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        }
    }
    let (Some(ak), Some(signed)) = (access, signed) else {
        return Err(refuse(
            fail(),
            "Authorization lacks Access= or SignedHeaders=",
        ));
    };
    let (sk, principal) = key_of(shared, req, ak)?;
    let Some(date_text) = req.header("x-sdk-date") else {
        return Err(refuse(fail(), "X-Sdk-Date is missing"));
    };
    let Some(date) = parse_sdk_date(date_text) else {
        return Err(refuse(
            fail(),
            format!("X-Sdk-Date {date_text:?} is not YYYYMMDDTHHMMSSZ"),
        ));
    };
    let now = shared.now_secs();
    let skew = epoch(date) - now;
    if skew.abs() > MAX_SKEW_S {
        let msg = format!(
            "Signature expired. X-Sdk-Date {date_text} is {}s from the server time {}",
            skew,
            utc(now)
        );
        return Err(refuse(ApiError::signature(&msg), msg));
    }
    let names: Vec<&str> = signed.split(';').collect();
    if !names.contains(&"x-sdk-date") || !names.contains(&"host") {
        return Err(refuse(
            fail(),
            format!("SignedHeaders {signed} must include host and x-sdk-date"),
        ));
    }
    if let Some(missing) = names.iter().find(|n| req.header(n).is_none()) {
        return Err(refuse(
            fail(),
            format!("signed header {missing} is not in the request"),
        ));
    }
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let host = req.header("host").unwrap_or("localhost");
    let url = match req.query {
        Some(q) if !q.is_empty() => format!("http://{host}{}?{q}", req.path),
        _ => format!("http://{host}{}", req.path),
    };
    let key = SigningKey {
        ak,
        sk: &sk,
        security_token: None,
        domain_id: None,
    };
    let expected = match sign_at(req.method, &url, &headers, req.body, &key, date) {
        Ok(s) => s,
        Err(e) => {
            return Err(refuse(
                fail(),
                format!("could not re-sign the request: {e}"),
            ))
        }
    };
    if expected.header("Authorization") != Some(auth) {
        return Err(refuse(
            fail(),
            format!(
                "signature mismatch for AK {ak}; the emulator's canonical request was:\n{}",
                expected.canonical_request
            ),
        ));
    }
    if needs_domain {
        let domain = match &principal {
            Principal::Partner => shared.creds.domain_id.clone(),
            Principal::Customer(id) => id.clone(),
        };
        match req.header("x-domain-id") {
            Some(d) if d == domain => {}
            Some(d) => {
                return Err(refuse(
                    ApiError::signature(format!(
                        "X-Domain-Id {d} is not the account of access key {ak}"
                    )),
                    "X-Domain-Id mismatch",
                ))
            }
            None => {
                return Err(refuse(
                    ApiError::signature("X-Domain-Id is required for global services"),
                    "X-Domain-Id missing",
                ))
            }
        }
        if !names.contains(&"x-domain-id") {
            return Err(refuse(fail(), "X-Domain-Id is not signed"));
        }
    }
    Ok(principal)
}

/// A new opaque token value.
pub fn new_token_value() -> String {
    format!("MIIemu{}", crate::util::hex_id(48))
}
