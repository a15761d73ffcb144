//! Temporary AK/SK from the ECS/CCE metadata service, as the official SDKs get them on a server
//! with a cloud service agency: `PUT /meta-data/latest/api/token` (a session token, where the
//! service offers one), then `GET /openstack/latest/securitykey`. The keys expire (about a day);
//! the authorizer asks again before `expires_at`.

use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use serde_json::Value;

use super::provider::ProvideCredentials;
use super::AkSk;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The metadata service's base URL (default `http://169.254.169.254`).
pub const ENV_METADATA_ENDPOINT: &str = "HCPARTNER_METADATA_ENDPOINT";
const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// The official SDK's timeouts for the metadata service.
const TIMEOUT: Duration = Duration::from_secs(3);
const SESSION_TTL: &str = "21600";

/// ECS/CCE instance credentials (a cloud service agency must be attached to the instance).
#[derive(Debug, Clone)]
pub struct MetadataProvider {
    endpoint: Option<String>,
}

impl Default for MetadataProvider {
    fn default() -> Self {
        MetadataProvider::new()
    }
}

impl MetadataProvider {
    pub fn new() -> MetadataProvider {
        MetadataProvider { endpoint: None }
    }
    /// Another base URL (tests, proxies in front of the metadata service).
    pub fn with_endpoint(endpoint: impl Into<String>) -> MetadataProvider {
        MetadataProvider {
            endpoint: Some(endpoint.into()),
        }
    }
    fn endpoint(&self) -> String {
        self.endpoint
            .clone()
            .or_else(|| std::env::var(ENV_METADATA_ENDPOINT).ok())
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
            .trim_end_matches('/')
            .to_owned()
    }

    async fn fetch(&self) -> Result<AkSk> {
        let base = self.endpoint();
        let fail = |what: String| Error::config("credentials.metadata", what);
        // A fresh client per fetch: fetches are hours apart, and a pooled client would carry
        // sockets across fork(). Never through a proxy: the address is link-local.
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(crate::tls::verifying()?)
            .no_proxy()
            .connect_timeout(TIMEOUT)
            .timeout(TIMEOUT * 2)
            .build()
            .map_err(|e| fail(format!("cannot build an HTTP client: {e}")))?;
        let session = match http
            .put(format!("{base}/meta-data/latest/api/token"))
            .header("X-Metadata-Token-Ttl-Seconds", SESSION_TTL)
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => r.text().await.ok(),
            Ok(_) => None, // older services have no session tokens (404/405/503)
            Err(e) => return Err(fail(format!("{base} is not reachable: {e}"))),
        };
        let mut req = http.get(format!("{base}/openstack/latest/securitykey"));
        if let Some(t) = &session {
            req = req.header("X-Metadata-Token", t.trim());
        }
        let resp = req
            .send()
            .await
            .map_err(|e| fail(format!("{base} is not reachable: {e}")))?;
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map_err(|e| fail(format!("reading {base}: {e}")))?;
        if status >= 400 {
            return Err(fail(format!(
                "{base} answered HTTP {status} (is a cloud service agency attached to this instance?)"
            )));
        }
        parse(&body).ok_or_else(|| fail(format!("{base} answered without a usable credential")))
    }
}

/// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}` (other spellings the
/// official SDK accepts too).
fn parse(body: &[u8]) -> Option<AkSk> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let c = v
        .get("credential")
        .or_else(|| v.get("credentials"))
        .unwrap_or(&v);
    let pick = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| c.get(*k).and_then(Value::as_str))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let ak = pick(&["access", "accessKeyId", "access_key_id"])?;
    let sk = pick(&["secret", "secretAccessKey", "secret_access_key"])?;
    let token = pick(&["securitytoken", "securityToken", "security_token"])?;
    let expires_at = pick(&["expires_at", "expiration"]).and_then(|t| {
        time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339)
            .ok()
            .map(SystemTime::from)
    });
    Some(AkSk {
        ak,
        sk: Secret::new(sk),
        security_token: Some(Secret::new(token)),
        domain_id: None,
        expires_at,
    })
}

impl ProvideCredentials for MetadataProvider {
    fn name(&self) -> String {
        format!("ECS/CCE metadata service ({})", self.endpoint())
    }
    fn provide(&self) -> BoxFuture<'_, Result<AkSk>> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_shape() {
        let c = parse(br#"{"credential": {"access": "TMPAK", "secret": "TMPSK", "securitytoken": "TOK", "expires_at": "2030-01-01T00:00:00.000000Z"}}"#).unwrap();
        assert_eq!((c.ak.as_str(), c.sk.expose()), ("TMPAK", "TMPSK"));
        assert_eq!(c.security_token.unwrap().expose(), "TOK");
        assert!(c.expires_at.unwrap() > SystemTime::now());
        assert!(parse(br#"{"credential": {"access": "A"}}"#).is_none());
    }
}
