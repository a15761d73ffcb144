//! Reading what the service sends back, in one place: a response becomes either the call's
//! JSON result or an [`Error`] here, whatever its status. Every error body shape the service
//! uses, request ids, declared response headers, HTTP 200 answers that carry an error code, and
//! 2xx answers that cannot be read (the server did the work: said so, never retried).

use serde_json::Value;

use crate::error::{excerpt, Dispatch, Error, ErrorKind};
use crate::generated::find_model;
use crate::operation::Operation;
use crate::transport::Incoming;

/// The call's result, or the error this answer means.
pub(crate) fn outcome(op: &Operation, resp: &Incoming) -> Result<Value, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(error_from_response(resp));
    }
    let mut value = decode(op, resp)?;
    if let Some(e) = error_in_success(op, &value, resp) {
        return Err(e);
    }
    if let Value::Object(map) = &mut value {
        for name in op.response_headers {
            if let Some(h) = resp.header(name) {
                map.insert((*name).to_owned(), Value::String(h.to_owned()));
            }
        }
    }
    Ok(value)
}

/// The body of a 2xx answer as JSON; an empty body reads as `{}`.
fn decode(op: &Operation, resp: &Incoming) -> Result<Value, Error> {
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&resp.body).map_err(|e| {
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
    })
}

/// Some operations answer HTTP 200 with an error code in the body (CBC.5001 "caller is not a
/// partner", CBC.0250 throttling, …). Unless the response model itself has `error_code`
/// (check_user_identity does), such a body is an error like any other answer.
fn error_in_success(op: &Operation, v: &Value, resp: &Incoming) -> Option<Error> {
    let code = v.get("error_code")?.as_str()?;
    if code.is_empty() || code == "CBC.0000" {
        return None;
    }
    if find_model(op.response_model)
        .is_some_and(|m| m.fields.iter().any(|f| f.name == "error_code"))
    {
        return None;
    }
    let msg = v
        .get("error_msg")
        .and_then(Value::as_str)
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

/// Shapes seen: `{error_code, error_msg}` (BSS, gateway), `{errorCode, errorMsg}`, `{code, message}`,
/// a nested `{"error": {...}}` (IAM, with a numeric code), HTML from a gateway, and nothing.
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
        candidates.insert(0, inner);
    }
    for obj in candidates {
        let code = pick(obj, &["error_code", "errorCode", "code"]);
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
        let p = parse_error_body(br#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#);
        assert_eq!(
            (p.code.as_deref(), p.message.as_deref()),
            (
                Some("401"),
                Some("The request you have made requires authentication.")
            )
        );
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
