//! Per-call options as one serde shape (Python `_options=` / `with_options()`, a JS call's
//! options object, C JSON): a call's own deadline, retries and extra headers, over its client's
//! configuration. The names are `call_options` in core/api/faces.json.

use serde::Deserialize;
use serde_json::Value;

use super::options::{named, RetryOptions, Seconds};
use crate::error::{Error, Result};
use crate::per_call::PerCall;
use crate::retry::RetryConfig;
use crate::validate::kind;

/// What one call may set for itself. Unknown names are refused.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallOptions {
    /// The whole call, in seconds (every attempt and backoff): replaces `timeouts.total`.
    pub timeout: Option<Seconds>,
    /// Replaces the client's retry settings field by field (a state change is still never sent
    /// again once it may have arrived).
    pub retry: Option<RetryOptions>,
    /// Extra HTTP headers, sent and signed with the request.
    pub headers: Option<serde_json::Map<String, Value>>,
}

/// Header values may be another system's credentials: only their names are shown.
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Option<Vec<&String>> = self.headers.as_ref().map(|h| h.keys().collect());
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .finish()
    }
}

impl CallOptions {
    /// Options from a face's converted value; `source` says where they came from in errors.
    pub fn from_value(v: Value, source: &str) -> Result<CallOptions> {
        if v.is_null() {
            return Ok(CallOptions::default());
        }
        serde_path_to_error::deserialize(v).map_err(|e| named(e, source))
    }

    /// Options from JSON text (the C face); empty text means none.
    pub fn from_json(text: &str, source: &str) -> Result<CallOptions> {
        if text.trim().is_empty() {
            return Ok(CallOptions::default());
        }
        let v: Value = serde_json::from_str(text).map_err(|e| {
            Error::invalid_argument("options", format!("is not JSON: {e} (in {source})"))
        })?;
        CallOptions::from_value(v, source)
    }

    /// The core's overrides, retries taken field by field over `base` (the client's).
    pub fn into_per_call(self, base: &RetryConfig) -> Result<PerCall> {
        let mut per = PerCall {
            total_timeout: self.timeout.map(|s| s.0),
            retry: self.retry.map(|r| r.over(*base)),
            ..PerCall::default()
        };
        for (name, value) in self.headers.unwrap_or_default() {
            match value {
                Value::String(v) => per.headers.push((name, v)),
                other => {
                    return Err(Error::invalid_argument(
                        format!("headers.{}", crate::error::quote(&name)),
                        format!("must be a string, got {}", kind(&other)),
                    ))
                }
            }
        }
        Ok(per)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    #[test]
    fn one_shape_named_errors() {
        let base = RetryConfig::new(4, Duration::from_millis(50), Duration::from_secs(1));
        let per = CallOptions::from_value(
            json!({"timeout": 2.5, "retry": {"maxAttempts": 1}, "headers": {"X-Trace": "t1"}}),
            "t",
        )
        .unwrap()
        .into_per_call(&base)
        .unwrap();
        assert_eq!(per.total_timeout, Some(Duration::from_millis(2500)));
        let retry = per.retry.unwrap();
        assert_eq!((retry.max_attempts, retry.base_delay), (1, base.base_delay));
        assert_eq!(per.headers, [("X-Trace".to_owned(), "t1".to_owned())]);
        let field = |v: Value| {
            CallOptions::from_value(v, "call options")
                .and_then(|o| o.into_per_call(&base))
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(field(json!({"timout": 1})).as_deref(), Some("timout"));
        assert_eq!(field(json!({"timeout": -1})).as_deref(), Some("timeout"));
        assert_eq!(
            field(json!({"retry": {"max_attempts": 0.5}})).as_deref(),
            Some("retry.max_attempts")
        );
        assert_eq!(
            field(json!({"headers": {"X-N": 1}})).as_deref(),
            Some("headers.X-N")
        );
        let secret =
            CallOptions::from_value(json!({"headers": {"X-Key": "HDRSECRET"}}), "t").unwrap();
        assert!(!format!("{secret:?}").contains("HDRSECRET"));
    }
}
