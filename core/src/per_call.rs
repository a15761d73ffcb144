//! What one call may set for itself over its client's configuration: its deadline, how it is
//! retried and extra headers. The money rule does not move: however many attempts a call may
//! make, a state change is never sent again once it may have reached the server
//! ([`crate::retry::may_retry`] decides that, not the attempt count).

use std::time::Duration;

use crate::error::{Error, Result};
use crate::operation::Operation;
use crate::retry::RetryConfig;

/// Headers hcpartner sets itself (signing, credentials, the body): a call cannot replace them.
const OWN_HEADERS: &[&str] = &[
    "Authorization",
    "Host",
    "X-Sdk-Date",
    "X-Sdk-Content-Sha256",
    "X-Auth-Token",
    "X-Security-Token",
    "X-Domain-Id",
    "X-Project-Id",
    "Content-Type",
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "User-Agent",
    "X-Language",
];

/// Overrides for one call; `Default` overrides nothing.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PerCall {
    /// The whole call (every attempt and backoff), instead of the client's `total_timeout`.
    pub total_timeout: Option<Duration>,
    /// Retries instead of the client's.
    pub retry: Option<RetryConfig>,
    /// Extra headers, sent and signed with the request.
    pub headers: Vec<(String, String)>,
}

/// Header values may be credentials of another system: only the names are shown.
impl std::fmt::Debug for PerCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PerCall")
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .finish()
    }
}

impl PerCall {
    pub fn is_empty(&self) -> bool {
        *self == PerCall::default()
    }

    /// Checks the overrides for `op`, naming the offending one (`headers.X-Foo`).
    pub fn check(&self, op: &Operation) -> Result<()> {
        if self.total_timeout.is_some_and(|d| d.is_zero()) {
            return Err(Error::invalid_argument(
                "timeout",
                "must be greater than zero",
            ));
        }
        if let Some(r) = &self.retry {
            r.check()?;
        }
        for (name, value) in &self.headers {
            let field = format!("headers.{}", crate::error::quote(name));
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return Err(Error::invalid_argument(field, "is not a valid header name"));
            }
            if reqwest::header::HeaderValue::from_str(value).is_err() {
                // The value is not echoed: it may be a credential.
                return Err(Error::invalid_argument(
                    field,
                    "contains characters a header cannot carry (CR, LF, NUL, non-ASCII)",
                ));
            }
            if op
                .params
                .iter()
                .any(|p| p.field.name.eq_ignore_ascii_case(name))
            {
                return Err(Error::invalid_argument(
                    field,
                    format!("is a parameter of {}: pass it with the params", op.name),
                ));
            }
            if OWN_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) {
                return Err(Error::invalid_argument(
                    field,
                    "is set by hcpartner itself (signing, credentials, the body, the user_agent and \
                     language options); it cannot be replaced",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::find_operation;

    #[test]
    fn bad_overrides_name_the_field() {
        let op = find_operation("list_consume_sub_customers").unwrap();
        let with = |name: &str, value: &str| PerCall {
            headers: vec![(name.to_owned(), value.to_owned())],
            ..PerCall::default()
        };
        assert!(with("X-Trace", "abc").check(op).is_ok());
        let field = |p: PerCall| p.check(op).unwrap_err().field().unwrap().to_owned();
        assert_eq!(field(with("Bad Name", "x")), "headers.Bad Name");
        assert_eq!(field(with("X-Trace", "a\r\nb")), "headers.X-Trace");
        assert_eq!(field(with("authorization", "x")), "headers.authorization");
        assert_eq!(field(with("x-language", "en_US")), "headers.x-language");
        let zero = PerCall {
            total_timeout: Some(Duration::ZERO),
            ..PerCall::default()
        };
        assert_eq!(field(zero), "timeout");
        let secret = with("X-Api-Key", "SECRET\n");
        assert!(!format!("{secret:?} {}", secret.check(op).unwrap_err()).contains("SECRET"));
    }
}
