//! The catalog of service error codes (CBC.* from BSS, APIGW.*/APIG.* from the API gateway):
//! which kind each maps to, whether trying again later can help, and a short English hint.
//! Data: `core/api/error-codes.tsv` (from the shared reference), embedded at build time.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::ErrorKind;

const TSV: &str = include_str!("../api/error-codes.tsv");

/// One row of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    /// The documented HTTP status, as written (`400`, `200/400`).
    pub status: &'static str,
    pub meaning: &'static str,
    /// The retry advice as written (`no`, `yes (back off)`, `later`, `reads-only (…)`, …).
    pub advice: &'static str,
}

/// How an error response is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    pub kind: ErrorKind,
    pub retryable: bool,
    pub hint: Option<&'static str>,
}

fn table() -> &'static HashMap<&'static str, Vec<Entry>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<Entry>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<Entry>> = HashMap::new();
        for line in TSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut cols = line.split('\t');
            let (Some(status), Some(code), Some(meaning), Some(_ops), Some(advice)) = (
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
            ) else {
                continue;
            };
            map.entry(code).or_default().push(Entry {
                code,
                status,
                meaning,
                advice,
            });
        }
        map
    })
}

/// The catalog entry for a code, preferring the row documented with this HTTP status.
pub fn lookup(code: &str, status: u16) -> Option<&'static Entry> {
    let rows = table().get(code)?;
    let s = status.to_string();
    rows.iter()
        .find(|e| e.status.split('/').any(|x| x == s))
        .or_else(|| rows.first())
}

/// Every code in the catalog (for documentation and tests).
pub fn codes() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "CBC.0250" | "APIGW.0308" | "APIG.0308" | "CBC.99007197" | "CBC.99008040"
    )
}

/// Classifies an error response by HTTP status and service code.
pub fn classify(status: u16, code: Option<&str>) -> Class {
    let entry = code.and_then(|c| lookup(c, status));
    let kind = match code {
        Some(c) if is_throttling(c) => ErrorKind::Throttled,
        _ if status == 429 => ErrorKind::Throttled,
        _ if status == 401 || status == 403 => ErrorKind::Auth,
        _ => ErrorKind::Api,
    };
    let retryable = match entry {
        Some(e) => {
            e.advice.starts_with("yes")
                || e.advice.starts_with("retryable")
                || e.advice.starts_with("reads-only")
        }
        None => kind == ErrorKind::Throttled || matches!(status, 500 | 502 | 503 | 504),
    };
    Class {
        kind,
        retryable,
        hint: entry.map(|e| e.meaning),
    }
}

/// Whether an error says a token must be fetched again (refresh once, then fail).
pub fn is_token_expired(status: u16, code: Option<&str>) -> bool {
    status == 401 && matches!(code, Some("CBC.0154" | "APIGW.0307" | "APIG.0307"))
}

/// Whether an error is the gateway refusing a signature (never retried in a loop: the key locks).
pub fn is_signature_rejected(status: u16, code: Option<&str>) -> bool {
    status == 401 && matches!(code, Some("APIGW.0301" | "APIGW.0303"))
}

/// Whether the catalog says a request answered with `code` may still have taken effect
/// ("outcome unknown", "outcome pending", "reconcile").
pub fn may_have_applied(code: &str, status: u16) -> bool {
    lookup(code, status).is_some_and(|e| {
        let a = e.advice;
        a.contains("outcome") || a.contains("reconcile")
    })
}

/// Codes that mean "this account lives on the other site" (China vs international).
pub fn is_wrong_site(code: Option<&str>) -> bool {
    matches!(code, Some("CBC.0150" | "CBC.0156"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_loaded() {
        assert!(codes().count() > 100);
        assert_eq!(lookup("CBC.0100", 400).unwrap().status, "400");
        // Two rows with one code: the status picks.
        assert_eq!(lookup("APIGW.0201", 504).unwrap().status, "504");
        assert_eq!(lookup("APIGW.0201", 400).unwrap().status, "400");
    }

    #[test]
    fn kinds() {
        assert_eq!(
            classify(400, Some("CBC.0100")),
            Class {
                kind: ErrorKind::Api,
                retryable: false,
                hint: lookup("CBC.0100", 400).map(|e| e.meaning)
            }
        );
        let c = classify(429, Some("APIGW.0308"));
        assert_eq!((c.kind, c.retryable), (ErrorKind::Throttled, true));
        let c = classify(400, Some("CBC.99008040"));
        assert_eq!((c.kind, c.retryable), (ErrorKind::Throttled, true));
        assert_eq!(classify(401, Some("APIGW.0301")).kind, ErrorKind::Auth);
        assert_eq!(classify(403, Some("CBC.0156")).kind, ErrorKind::Auth);
        let c = classify(500, Some("CBC.0999"));
        assert_eq!((c.kind, c.retryable), (ErrorKind::Api, true));
        let c = classify(503, None);
        assert_eq!((c.kind, c.retryable), (ErrorKind::Api, true));
        let c = classify(400, Some("CBC.NOT-IN-CATALOG"));
        assert_eq!((c.kind, c.retryable, c.hint), (ErrorKind::Api, false, None));
    }
}
