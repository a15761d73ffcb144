//! SDK-HMAC-SHA256, byte-identical to the official `huaweicloudsdkcore` signer.
//!
//! [`sign`] signs any request and returns the headers to add, so it works with any HTTP client.
//! The reference is `huaweicloudsdkcore/signer/signer.py` plus `auth/credentials.py` (which adds
//! `X-Domain-Id` and `X-Security-Token` before signing); `tests/vectors/signing.json`, produced by
//! that code, pins every rule below.

use std::time::SystemTime;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use ring::{digest, hmac};
use time::OffsetDateTime;

use crate::error::{Error, Result};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const HEADER_DATE: &str = "X-Sdk-Date";
pub const HEADER_CONTENT_SHA: &str = "X-Sdk-Content-Sha256";
pub const HEADER_DOMAIN_ID: &str = "X-Domain-Id";
pub const HEADER_SECURITY_TOKEN: &str = "X-Security-Token";
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What Python's `urllib.parse.quote(s, safe='~')` leaves alone: ALPHA, DIGIT and `_.-~`.
pub(crate) const QUOTE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

/// The key material for one signature. `domain_id` and `security_token` become signed headers.
#[derive(Clone, Copy)]
pub struct SigningKey<'a> {
    pub ak: &'a str,
    pub sk: &'a str,
    pub security_token: Option<&'a str>,
    pub domain_id: Option<&'a str>,
}

impl std::fmt::Debug for SigningKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("ak", &self.ak)
            .field("sk", &"***")
            .field("security_token", &self.security_token.map(|_| "***"))
            .field("domain_id", &self.domain_id)
            .finish()
    }
}

/// The result of signing: headers to add (in the order the official SDK adds them) and the
/// canonical request, useful when a gateway disagrees. `Debug` hides the security token.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    pub headers: Vec<(&'static str, String)>,
    pub canonical_request: String,
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| match *k {
                "X-Security-Token" => (*k, "***"),
                _ => (*k, v.as_str()),
            })
            .collect();
        // The canonical request lists the signed headers' values, the security token among them.
        let canonical: Vec<&str> = self
            .canonical_request
            .split('\n')
            .map(|l| match l.starts_with("x-security-token:") {
                true => "x-security-token:***",
                false => l,
            })
            .collect();
        f.debug_struct("Signed")
            .field("headers", &headers)
            .field("canonical_request", &canonical.join("\n"))
            .finish()
    }
}

impl Signed {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Signs a request with AK/SK now and returns the headers to add
/// (`X-Sdk-Date`, `Host` unless given, `Authorization`, and `X-Sdk-Content-Sha256` for non-JSON bodies).
///
/// ```
/// let headers = hcpartner::signer::sign(
///     "GET", "https://bss.myhuaweicloud.com/v2/partners/sub-customers?limit=10",
///     &[("Content-Type", "application/json")], b"", "MY_AK", "MY_SK").unwrap();
/// assert!(headers.iter().any(|(k, v)| *k == "Authorization" && v.starts_with("SDK-HMAC-SHA256 Access=MY_AK,")));
/// ```
pub fn sign(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    ak: &str,
    sk: &str,
) -> Result<Vec<(&'static str, String)>> {
    let key = SigningKey {
        ak,
        sk,
        security_token: None,
        domain_id: None,
    };
    Ok(sign_at(method, url, headers, body, &key, SystemTime::now())?.headers)
}

/// An HTTP token (RFC 9110 5.6.2): what a method or a header name is made of.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What no HTTP request can carry is refused before signing, naming it: a method that is not a
/// token (`GE\r\nT`), header names or values (and key material, which become headers) with CR,
/// LF or NUL. Values are not echoed: they may be secrets.
fn check_request(method: &str, headers: &[(&str, &str)], key: &SigningKey<'_>) -> Result<()> {
    if !is_token(method) {
        return Err(Error::invalid_argument(
            "method",
            "is not an HTTP method (letters only, no spaces or line breaks)",
        ));
    }
    let clean = |s: &str| !s.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0));
    for (k, v) in headers {
        if !is_token(k) {
            return Err(Error::invalid_argument(
                format!("headers.{}", crate::error::quote(k)),
                "is not a valid header name",
            ));
        }
        if !clean(v) {
            return Err(Error::invalid_argument(
                format!("headers.{}", crate::error::quote(k)),
                "contains CR, LF or NUL, which a header cannot carry",
            ));
        }
    }
    for (field, v) in [
        ("ak", Some(key.ak)),
        ("security_token", key.security_token),
        ("domain_id", key.domain_id),
    ] {
        if v.is_some_and(|v| !clean(v)) {
            return Err(Error::invalid_argument(
                field,
                "contains CR, LF or NUL, which a header cannot carry",
            ));
        }
    }
    Ok(())
}

/// Signs with full key material at a given time (for clock-skew correction and tests).
pub fn sign_at(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    key: &SigningKey<'_>,
    at: SystemTime,
) -> Result<Signed> {
    if key.ak.is_empty() {
        return Err(Error::invalid_argument("ak", "the access key is empty"));
    }
    if key.sk.is_empty() {
        return Err(Error::invalid_argument("sk", "the secret key is empty"));
    }
    check_request(method, headers, key)?;
    let parts = UrlParts::parse(url)?;

    // The header map as the SDK's dict sees it: insertion order, exact-case keys, later wins.
    let mut map: Vec<(&str, String)> = Vec::with_capacity(headers.len() + 6);
    let mut added: Vec<(&'static str, String)> = Vec::with_capacity(6);
    for (k, v) in headers {
        dict_set(&mut map, k, (*v).to_owned());
    }
    if let Some(domain_id) = key.domain_id {
        dict_set(&mut map, HEADER_DOMAIN_ID, domain_id.to_owned());
        added.push((HEADER_DOMAIN_ID, domain_id.to_owned()));
    }
    if let Some(token) = key.security_token {
        dict_set(&mut map, HEADER_SECURITY_TOKEN, token.to_owned());
        added.push((HEADER_SECURITY_TOKEN, token.to_owned()));
    }
    // The SDK looks up "Content-Type" with exact case here.
    if let Some((_, ct)) = map.iter().find(|(k, _)| *k == "Content-Type") {
        if !ct.starts_with("application/json") && !ct.starts_with("application/bson") {
            dict_set(&mut map, HEADER_CONTENT_SHA, "UNSIGNED-PAYLOAD".to_owned());
            added.push((HEADER_CONTENT_SHA, "UNSIGNED-PAYLOAD".to_owned()));
        }
    }
    let date = match get_ignore_case(&map, HEADER_DATE) {
        Some(given) => given.to_owned(),
        None => {
            let d = format_sdk_date(at);
            dict_set(&mut map, HEADER_DATE, d.clone());
            added.push((HEADER_DATE, d.clone()));
            d
        }
    };
    if get_ignore_case(&map, "host").is_none() {
        dict_set(&mut map, "Host", parts.host.to_owned());
        added.push(("Host", parts.host.to_owned()));
    }

    // Signed headers: every name without '_', lower-cased, sorted (duplicates kept, as the SDK does).
    let mut signed: Vec<String> = map
        .iter()
        .filter(|(k, _)| !k.contains('_'))
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    signed.sort();
    let signed_headers = signed.join(";");

    let mut canonical = String::with_capacity(256 + body.len().min(64));
    canonical.push_str(&method.to_ascii_uppercase());
    canonical.push('\n');
    canonical_uri(parts.path, &mut canonical);
    canonical.push('\n');
    canonical_query(parts.query, &mut canonical);
    canonical.push('\n');
    for name in &signed {
        // The SDK's lower-cased dict: the last header with this lower-cased name wins.
        let value = map
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(py_strip(value.unwrap_or("")));
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    if body.is_empty() {
        canonical.push_str(EMPTY_HASH);
    } else {
        // Looked up after the SDK has trimmed every header value.
        match get_ignore_case(&map, HEADER_CONTENT_SHA)
            .map(py_strip)
            .filter(|v| !v.is_empty())
        {
            Some(v) => canonical.push_str(v),
            None => push_hex(
                &mut canonical,
                digest::digest(&digest::SHA256, body).as_ref(),
            ),
        }
    }

    // ring's SHA-256: hand-written assembly (SHA extensions where the CPU has them).
    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + date.len() + 66);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(&date);
    string_to_sign.push('\n');
    push_hex(
        &mut string_to_sign,
        digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref(),
    );
    let mac = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, key.sk.as_bytes()),
        string_to_sign.as_bytes(),
    );
    let mut authorization =
        String::with_capacity(ALGORITHM.len() + key.ak.len() + signed_headers.len() + 110);
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Access=");
    authorization.push_str(key.ak);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    push_hex(&mut authorization, mac.as_ref());
    added.push(("Authorization", authorization));
    Ok(Signed {
        headers: added,
        canonical_request: canonical,
    })
}

/// The query string the SDK actually sends: pairs sorted and re-encoded (`k=v&…`), no `?`.
pub fn canonical_query_string(url: &str) -> Result<String> {
    let parts = UrlParts::parse(url)?;
    let mut out = String::new();
    canonical_query(parts.query, &mut out);
    Ok(out)
}

/// Appends `bytes` as lower-case hex.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
}

fn dict_set<'a>(map: &mut Vec<(&'a str, String)>, key: &'a str, value: String) {
    match map.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => map.push((key, value)),
    }
}

fn get_ignore_case<'m>(map: &'m [(&str, String)], key: &str) -> Option<&'m str> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Python's `str.strip()`: Unicode whitespace plus the ASCII separators U+001C..U+001F.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Each path segment decoded, then encoded as `quote(seg, safe='~')`; always ends with `/`.
fn canonical_uri(path: &str, out: &mut String) {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    for (i, seg) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(seg, QUOTE));
    }
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// Pairs decoded (`+` stays a plus), sorted by (key, value), encoded as `quote(x, safe='~')`.
fn canonical_query(query: &str, out: &mut String) {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode_str(k).decode_utf8_lossy().into_owned(),
                percent_decode_str(v).decode_utf8_lossy().into_owned(),
            )
        })
        .collect();
    encode_query(&mut pairs, out);
}

/// Sorts decoded (key, value) pairs and appends them as `k=v&…`, each part `quote(x, safe='~')`:
/// the canonical query, which is also the query hcpartner sends.
pub(crate) fn encode_query(pairs: &mut [(String, String)], out: &mut String) {
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, QUOTE));
        out.push('=');
        out.extend(utf8_percent_encode(v, QUOTE));
    }
}

/// The pieces of a URL the signer needs, taken verbatim (no normalisation of `.` or `..`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct UrlParts<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a str,
}

impl<'a> UrlParts<'a> {
    pub(crate) fn parse(url: &'a str) -> Result<UrlParts<'a>> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| Error::invalid_argument("url", "must start with http:// or https://"))?;
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        if host.is_empty() {
            return Err(Error::invalid_argument("url", "has no host"));
        }
        let rest = &rest[host_end..];
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = if path.is_empty() { "/" } else { path };
        Ok(UrlParts { host, path, query })
    }
}

const SDK_DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
pub fn format_sdk_date(t: SystemTime) -> String {
    OffsetDateTime::from(t)
        .format(SDK_DATE)
        .expect("a SystemTime always formats")
}

/// `t` moved by `offset_secs` (positive: later), for clocks corrected by a known skew.
pub fn shift(t: SystemTime, offset_secs: i64) -> SystemTime {
    let d = std::time::Duration::from_secs(offset_secs.unsigned_abs());
    if offset_secs >= 0 {
        t + d
    } else {
        t - d
    }
}

/// Parses an `X-Sdk-Date` value.
pub fn parse_sdk_date(s: &str) -> Option<SystemTime> {
    time::PrimitiveDateTime::parse(s, SDK_DATE)
        .ok()
        .map(|t| t.assume_utc().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_no_request_can_carry_is_refused_naming_it() {
        let key = SigningKey {
            ak: "AK",
            sk: "SK",
            security_token: None,
            domain_id: None,
        };
        let url = "https://bss.myhuaweicloud.com/v2/x";
        let field = |method: &str, headers: &[(&str, &str)], key: &SigningKey<'_>| {
            sign_at(method, url, headers, b"", key, SystemTime::UNIX_EPOCH)
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(field("GE\r\nT", &[], &key).as_deref(), Some("method"));
        assert_eq!(field("G T", &[], &key).as_deref(), Some("method"));
        assert_eq!(
            field("GET", &[("X-A", "a\r\nb")], &key).as_deref(),
            Some("headers.X-A")
        );
        assert_eq!(
            field("GET", &[("X A", "a")], &key).as_deref(),
            Some("headers.X A")
        );
        let bad_ak = SigningKey { ak: "AK\n", ..key };
        assert_eq!(field("GET", &[], &bad_ak).as_deref(), Some("ak"));
    }

    #[test]
    fn date_round_trip() {
        let t = parse_sdk_date("20240102T030405Z").unwrap();
        assert_eq!(format_sdk_date(t), "20240102T030405Z");
        assert!(parse_sdk_date("2024-01-02").is_none());
    }

    #[test]
    fn url_parts_keep_path_verbatim() {
        let p = UrlParts::parse("https://h:8080/a/../b%2F?x=1#frag").unwrap();
        assert_eq!((p.host, p.path, p.query), ("h:8080", "/a/../b%2F", "x=1"));
        let p = UrlParts::parse("http://h?x").unwrap();
        assert_eq!((p.host, p.path, p.query), ("h", "/", "x"));
        assert!(UrlParts::parse("ftp://h/").is_err());
    }

    #[test]
    fn empty_keys_are_refused() {
        let e = sign("GET", "https://h/", &[], b"", "", "sk").unwrap_err();
        assert_eq!(e.field(), Some("ak"));
        let e = sign("GET", "https://h/", &[], b"", "ak", "").unwrap_err();
        assert_eq!(e.field(), Some("sk"));
    }

    #[test]
    fn debug_of_key_hides_secrets() {
        let k = SigningKey {
            ak: "AK1",
            sk: "topsecret",
            security_token: Some("tok"),
            domain_id: None,
        };
        let s = format!("{k:?}");
        assert!(!s.contains("topsecret") && !s.contains("tok\""), "{s}");
    }
}
