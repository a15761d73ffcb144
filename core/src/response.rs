//! Reading what the service sends back, in one place: a response becomes either the call's
//! JSON result or an [`Error`] here, whatever its status. Every error body shape the service
//! uses, request ids, declared response headers, HTTP 200 answers that carry an error code, and
//! 2xx answers that cannot be read (the server did the work: said so, never retried).

use serde_json::Value;

use crate::error::{excerpt, Dispatch, Error, ErrorKind};
use crate::generated::find_model;
use crate::operation::Operation;
use crate::transport::Incoming;

/// What a successful call carries: its JSON parsed, or (for faces that build their own values
/// straight from the bytes, skipping a `serde_json::Value` and its maps) the bytes with the
/// declared response headers found.
#[derive(Debug, Clone)]
pub enum Body {
    Value(Value),
    Raw {
        json: bytes::Bytes,
        headers: Vec<(&'static str, String)>,
    },
}

/// Which [`Body`] the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Value,
    Raw,
}

impl Body {
    /// The result as a `Value`, declared response headers included.
    pub fn into_value(self) -> Result<Value, Error> {
        match self {
            Body::Value(v) => Ok(v),
            Body::Raw { json, headers } => {
                let mut v = if json.iter().all(u8::is_ascii_whitespace) {
                    Value::Object(Default::default())
                } else {
                    serde_json::from_slice(&json).map_err(|e| {
                        let why = format!("the response is not valid JSON: {e}");
                        Error::new(ErrorKind::Decode, Dispatch::Responded, why)
                            .with_body_excerpt(&json)
                    })?
                };
                add_headers(&mut v, headers);
                Ok(v)
            }
        }
    }
}

fn add_headers(v: &mut Value, headers: Vec<(&'static str, String)>) {
    if let Value::Object(map) = v {
        for (name, h) in headers {
            map.insert(name.to_owned(), Value::String(h));
        }
    }
}

fn declared_headers(op: &Operation, resp: &Incoming) -> Vec<(&'static str, String)> {
    op.response_headers
        .iter()
        .filter_map(|name| resp.header(name).map(|h| (*name, h.to_owned())))
        .collect()
}

/// The call's result, or the error this answer means.
pub(crate) fn outcome(op: &Operation, resp: &Incoming, want: Want) -> Result<Body, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(error_from_response(resp));
    }
    let empty = resp.body.iter().all(u8::is_ascii_whitespace);
    match want {
        Want::Value => {
            let mut value = if empty {
                Value::Object(Default::default())
            } else {
                serde_json::from_slice(&resp.body).map_err(|e| undecodable(op, resp, e))?
            };
            let code = value.get("error_code").and_then(Value::as_str);
            let msg = value.get("error_msg").and_then(Value::as_str);
            if let Some(e) = error_in_success(op, code, msg, resp) {
                return Err(e);
            }
            add_headers(&mut value, declared_headers(op, resp));
            Ok(Body::Value(value))
        }
        Want::Raw => {
            // One pass that checks the JSON and reads only the two fields that matter here. A
            // read whose body has no `"error_code"` skips it (a SIMD search instead of a parse):
            // its JSON is checked as the face builds its result. A state change always takes
            // it, so an unreadable success is known here, as applied.
            // The searcher is built once: building it costs as much as the search.
            static ERROR_CODE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
                std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"error_code\""));
            let may_carry_code = ERROR_CODE.find(&resp.body).is_some();
            if !empty && (may_carry_code || !op.effect.is_idempotent()) {
                let probe: Probe =
                    serde_json::from_slice(&resp.body).map_err(|e| undecodable(op, resp, e))?;
                let (code, msg) = (probe.error_code.as_deref(), probe.error_msg.as_deref());
                if let Some(e) = error_in_success(op, code, msg, resp) {
                    return Err(e);
                }
            }
            Ok(Body::Raw {
                json: resp.body.clone(),
                headers: declared_headers(op, resp),
            })
        }
    }
}

/// The `error_code` and `error_msg` of a JSON body, whatever else it holds (skipped, but
/// checked as JSON).
#[derive(Default)]
struct Probe {
    error_code: Option<String>,
    error_msg: Option<String>,
}

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Probe, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Probe;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Probe, A::Error> {
                let mut p = Probe::default();
                while let Some(k) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                    let text = |v: Value| v.as_str().map(str::to_owned);
                    match k.as_ref() {
                        "error_code" => p.error_code = text(m.next_value::<Value>()?),
                        "error_msg" => p.error_msg = text(m.next_value::<Value>()?),
                        _ => {
                            m.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(p)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Probe, A::Error> {
                while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Probe::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_unit<E>(self) -> Result<Probe, E> {
                Ok(Probe::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// A 2xx answer that is not JSON.
fn undecodable(op: &Operation, resp: &Incoming, e: serde_json::Error) -> Error {
    let hint = if op.effect.is_idempotent() {
        "the service answered with a body hcpartner cannot read".to_owned()
    } else {
        format!(
            "the server accepted and applied {} (HTTP {}); only its answer is unreadable. Do not send it again: \
             look the result up instead",
            op.name, resp.status
        )
    };
    Error::new(
        ErrorKind::Decode,
        Dispatch::Responded,
        format!("the response is not valid JSON: {e}"),
    )
    .with_status(resp.status)
    .with_request_id(resp.request_id())
    .with_body_excerpt(&resp.body)
    .with_hint(hint)
}

/// Some operations answer HTTP 200 with an error code in the body (CBC.5001 "caller is not a
/// partner", CBC.0250 throttling, …). Unless the response model itself has `error_code`
/// (check_user_identity does), such a body is an error like any other answer.
fn error_in_success(
    op: &Operation,
    code: Option<&str>,
    msg: Option<&str>,
    resp: &Incoming,
) -> Option<Error> {
    let code = code?;
    if code.is_empty() || code == "CBC.0000" {
        return None;
    }
    if find_model(op.response_model)
        .is_some_and(|m| m.fields.iter().any(|f| f.name == "error_code"))
    {
        return None;
    }
    let msg = msg
        .unwrap_or("error reported in a successful response")
        .to_owned();
    Some(
        Error::from_response(
            resp.status,
            Some(code.to_owned()),
            msg,
            resp.request_id(),
            None,
        )
        .with_retry_after(resp.retry_after()),
    )
}

/// Code and message from an error body, whatever its shape.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// The body was not JSON (gateway HTML, proxy text) or was empty.
    pub opaque: bool,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn pick(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| obj.get(*k).and_then(text))
}

/// Shapes seen: `{error_code, error_msg}` (BSS, gateway, newer IAM: `IAM.0007`), `{errorCode,
/// errorMsg}`, `{code, message}`, a nested `{"error": {...}}` (IAM's keystone answers), HTML from
/// a gateway, and nothing. A keystone `code` is a number restating the HTTP status, not a code
/// of the service: it is not taken as one (the status says it already).
pub(crate) fn parse_error_body(body: &[u8]) -> ErrorBody {
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody {
            opaque: true,
            ..ErrorBody::default()
        };
    };
    let request_id = pick(&top, &["request_id", "requestId"]);
    let mut candidates = vec![&top];
    if let Some(Value::Object(inner)) = top.get("error") {
        candidates.push(inner);
    }
    let code_of = |obj: &serde_json::Map<String, Value>| {
        pick(obj, &["error_code", "errorCode"]).or_else(|| match obj.get("code") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
    };
    for obj in candidates {
        let code = code_of(obj);
        let message = pick(obj, &["error_msg", "errorMsg", "message", "msg", "title"]);
        if code.is_some() || message.is_some() {
            return ErrorBody {
                code,
                message,
                request_id,
                opaque: false,
            };
        }
    }
    ErrorBody {
        request_id,
        opaque: false,
        ..ErrorBody::default()
    }
}

/// Builds the error for a non-2xx response.
pub(crate) fn error_from_response(resp: &Incoming) -> Error {
    let parsed = parse_error_body(&resp.body);
    let request_id = resp.request_id().or(parsed.request_id.clone());
    let message = match (&parsed.message, parsed.opaque, resp.body.is_empty()) {
        (Some(m), _, _) => m.clone(),
        (None, _, true) => format!("HTTP {} with an empty body", resp.status),
        (None, true, false) => format!(
            "HTTP {} with a non-JSON body (a gateway or proxy answered)",
            resp.status
        ),
        (None, false, false) => format!("HTTP {} without an error code", resp.status),
    };
    let excerpt = (parsed.opaque && !resp.body.is_empty()).then(|| excerpt(&resp.body));
    Error::from_response(resp.status, parsed.code, message, request_id, excerpt)
        .with_retry_after(resp.retry_after())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape() {
        let p = parse_error_body(
            br#"{"error_code":"CBC.0100","error_msg":"bad param","request_id":"r1"}"#,
        );
        assert_eq!(
            (
                p.code.as_deref(),
                p.message.as_deref(),
                p.request_id.as_deref()
            ),
            (Some("CBC.0100"), Some("bad param"), Some("r1"))
        );
        let p = parse_error_body(br#"{"errorCode":"CBC.0151","errorMsg":"denied"}"#);
        assert_eq!(
            (p.code.as_deref(), p.message.as_deref()),
            (Some("CBC.0151"), Some("denied"))
        );
        let p = parse_error_body(br#"{"code":"APIGW.0308","message":"throttled"}"#);
        assert_eq!(
            (p.code.as_deref(), p.message.as_deref()),
            (Some("APIGW.0308"), Some("throttled"))
        );
        // Keystone: the number restates the status; IAM's own code, when given, wins.
        let p = parse_error_body(br#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#);
        assert_eq!(
            (p.code.as_deref(), p.message.as_deref()),
            (
                None,
                Some("The request you have made requires authentication.")
            )
        );
        let p = parse_error_body(
            br#"{"error_code":"IAM.0007","error_msg":"Request parameter is invalid.","error":{"code":400}}"#,
        );
        assert_eq!(p.code.as_deref(), Some("IAM.0007"));
        let p = parse_error_body(br#"{"error":{"error_code":"CBC.0999","error_msg":"boom"}}"#);
        assert_eq!(p.code.as_deref(), Some("CBC.0999"));
        let p = parse_error_body(b"<html><body>502 Bad Gateway</body></html>");
        assert!(p.opaque && p.code.is_none());
        let p = parse_error_body(b"");
        assert!(p.opaque);
        let p = parse_error_body(br#"[1,2]"#);
        assert!(p.opaque);
    }
}
