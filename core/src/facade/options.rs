//! Client options and credentials as one serde shape: Python keyword arguments, a JS object and
//! a C JSON string all deserialize into [`ClientOptions`], so every face has the same option
//! names, the same rules and the same error for a bad value (`timeouts.total: …`).
//!
//! Names are snake_case; each also has its camelCase spelling for JavaScript (`iam_endpoint` /
//! `iamEndpoint`). Durations are seconds (a number). Unknown names are refused.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::config::{Config, Language, Site};
use crate::credentials::{
    AkSk, Auth, Chain, CustomerDomain, EnvProvider, MetadataProvider, Password, ProfileProvider,
};
use crate::error::{Error, Result};
use crate::retry::RetryConfig;
use crate::secret::Secret;

/// A duration in seconds: a finite, non-negative number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub Duration);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map(Seconds).map_err(|_| {
            serde::de::Error::custom(format!(
                "must be a non-negative number of seconds, got {secs}"
            ))
        })
    }
}

/// `timeouts`: how long to wait, in seconds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeouts {
    /// Connecting (TCP + TLS). Default 10.
    pub connect: Option<Seconds>,
    /// Waiting for response bytes once connected. Default 60.
    pub read: Option<Seconds>,
    /// One attempt, end to end. Default 90.
    pub attempt: Option<Seconds>,
    /// The whole call: rate-limit waits, credential fetches, every attempt and backoff. Default 300.
    pub total: Option<Seconds>,
}

/// `retry`: how reads are tried again (state changes are never resent once they may have arrived).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryOptions {
    /// Attempts in all, the first included (1 = no retries). Default 3.
    #[serde(alias = "maxAttempts")]
    pub max_attempts: Option<u32>,
    #[serde(alias = "baseDelay")]
    pub base_delay: Option<Seconds>,
    #[serde(alias = "maxDelay")]
    pub max_delay: Option<Seconds>,
    /// Smallest wait after a throttling answer. Default 2.
    #[serde(alias = "throttleDelay")]
    pub throttle_delay: Option<Seconds>,
}

impl RetryOptions {
    /// `base` with the fields given here replaced.
    pub fn over(self, base: RetryConfig) -> RetryConfig {
        let secs = |s: Option<Seconds>, default: Duration| s.map_or(default, |s| s.0);
        RetryConfig::new(
            self.max_attempts.unwrap_or(base.max_attempts),
            secs(self.base_delay, base.base_delay),
            secs(self.max_delay, base.max_delay),
        )
        .with_throttle_delay(secs(self.throttle_delay, base.throttle_delay))
    }
}

/// How a client authenticates, tagged by `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CredentialsSpec {
    /// An access key pair; `security_token` for temporary keys; `domain_id` = the account id
    /// (looked up once when absent).
    AkSk {
        ak: String,
        sk: Secret,
        #[serde(default, alias = "securityToken")]
        security_token: Option<Secret>,
        #[serde(default, alias = "domainId")]
        domain_id: Option<String>,
    },
    /// An IAM user's password, exchanged for a token (cached, refreshed before expiry).
    Password {
        user: String,
        password: Secret,
        #[serde(alias = "domainName")]
        domain_name: String,
    },
    /// A token obtained elsewhere.
    Token { token: Secret },
    /// A resale customer's token: `partner` credentials assume the agency the customer created.
    /// Exactly one of `customer_id` (recommended) and `customer_name`.
    AssumeRole {
        partner: Box<CredentialsSpec>,
        #[serde(alias = "agencyName")]
        agency_name: String,
        #[serde(default, alias = "customerId")]
        customer_id: Option<String>,
        #[serde(default, alias = "customerName")]
        customer_name: Option<String>,
    },
    /// `HUAWEICLOUD_SDK_AK`, `_SK`, `_SECURITY_TOKEN`, `_DOMAIN_ID`. (Braces: a unit variant
    /// would let unknown fields through.)
    Env {},
    /// The official profile file (`~/.huaweicloud/credentials`, section `global`).
    Profile {
        #[serde(default)]
        path: Option<PathBuf>,
        #[serde(default)]
        section: Option<String>,
    },
    /// Temporary keys from the ECS/CCE metadata service.
    Metadata {
        #[serde(default)]
        endpoint: Option<String>,
    },
    /// Environment, then profile file, then the metadata service (the default).
    Chain {},
}

/// Exactly one of a customer id and a customer name.
pub fn customer_domain(id: Option<String>, name: Option<String>) -> Result<CustomerDomain> {
    match (id, name) {
        (Some(id), None) => Ok(CustomerDomain::Id(id)),
        (None, Some(name)) => Ok(CustomerDomain::Name(name)),
        (Some(_), Some(_)) => Err(Error::invalid_argument(
            "customer_id",
            "give exactly one of customer_id and customer_name, not both",
        )),
        (None, None) => Err(Error::invalid_argument(
            "customer_id",
            "give one of customer_id (recommended) and customer_name",
        )),
    }
}

impl CredentialsSpec {
    /// The core's [`Auth`] for this spec.
    pub fn into_auth(self) -> Result<Auth> {
        Ok(match self {
            CredentialsSpec::AkSk {
                ak,
                sk,
                security_token,
                domain_id,
            } => {
                let mut key = AkSk::new(ak, sk);
                key.security_token = security_token;
                key.domain_id = domain_id;
                Auth::from(key)
            }
            CredentialsSpec::Password {
                user,
                password,
                domain_name,
            } => Auth::from(Password::new(user, password, domain_name)),
            CredentialsSpec::Token { token } => {
                if token.is_empty() {
                    return Err(Error::invalid_argument("credentials.token", "is empty"));
                }
                Auth::Token(token)
            }
            CredentialsSpec::AssumeRole {
                partner,
                agency_name,
                customer_id,
                customer_name,
            } => {
                let customer = customer_domain(customer_id, customer_name)?;
                partner.into_auth()?.assume_role(agency_name, customer)
            }
            CredentialsSpec::Env {} => Auth::provider(EnvProvider::new()),
            CredentialsSpec::Profile { path, section } => {
                let mut p = ProfileProvider::new();
                if let Some(path) = path {
                    p = p.with_path(path);
                }
                if let Some(section) = section {
                    p = p.with_section(section);
                }
                Auth::provider(p)
            }
            CredentialsSpec::Metadata { endpoint } => Auth::provider(match endpoint {
                Some(e) => MetadataProvider::with_endpoint(e),
                None => MetadataProvider::new(),
            }),
            CredentialsSpec::Chain {} => Auth::provider(Chain::default()),
        })
    }
}

/// Everything a face may say about a client. See `docs/options.md` for each name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientOptions {
    /// `"cn"` (default) or `"intl"`.
    pub site: Option<String>,
    /// A BSS base URL instead of the site's (the emulator's `http://127.0.0.1:PORT`); `site`
    /// still says which site's rules apply.
    pub endpoint: Option<String>,
    #[serde(alias = "iamEndpoint")]
    pub iam_endpoint: Option<String>,
    pub credentials: Option<CredentialsSpec>,
    pub timeouts: Option<Timeouts>,
    pub retry: Option<RetryOptions>,
    /// An HTTP(S) proxy URL; may carry a password (kept secret). Without it, the environment's
    /// (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    pub proxy: Option<Secret>,
    /// A PEM file of the only root certificates to trust (else `REQUESTS_CA_BUNDLE`,
    /// `CURL_CA_BUNDLE`, `SSL_CERT_FILE`, else the system's).
    #[serde(alias = "caBundle")]
    pub ca_bundle: Option<PathBuf>,
    /// `false`: ignore the environment's proxies and CA bundle. Default true.
    #[serde(alias = "trustEnv")]
    pub trust_env: Option<bool>,
    /// `"zh_CN"` or `"en_US"` (names and labels in answers).
    pub language: Option<String>,
    /// Requests per second per operation, client side.
    #[serde(alias = "rateLimit")]
    pub rate_limit: Option<f64>,
    /// Per-operation overrides of `rate_limit`.
    #[serde(alias = "rateLimits")]
    pub rate_limits: Option<HashMap<String, f64>>,
    /// Appended to `hcpartner/<version>` in User-Agent.
    #[serde(alias = "userAgent")]
    pub user_agent: Option<String>,
    /// `false` turns off TLS verification (a local test server only). Default true.
    #[serde(alias = "verifyTls")]
    pub verify_tls: Option<bool>,
    #[serde(alias = "tokenRefreshMargin")]
    pub token_refresh_margin: Option<Seconds>,
    #[serde(alias = "clockSkewCorrection")]
    pub clock_skew_correction: Option<bool>,
}

/// A serde failure as an `InvalidArgument` naming the option (`timeouts.total`) and its source.
pub(super) fn named(e: serde_path_to_error::Error<serde_json::Error>, source: &str) -> Error {
    let path = e.path().to_string();
    let field = if path == "." || path == "?" || path.is_empty() {
        "options".to_owned()
    } else {
        path
    };
    let inner = e.into_inner().to_string();
    // serde_json appends " at line 1 column 9"; a face's user did not write that line.
    let message = match inner.rfind(" at line ") {
        Some(cut) => inner[..cut].to_owned(),
        None => inner,
    };
    Error::invalid_argument(field, format!("{message} (in {source})"))
}

impl ClientOptions {
    /// Options from a JSON value (a face's converted kwargs or object). `source` says where they
    /// came from in errors ("Client options", "hcp_client_new options").
    pub fn from_value(v: Value, source: &str) -> Result<ClientOptions> {
        serde_path_to_error::deserialize(v).map_err(|e| named(e, source))
    }

    /// Options from JSON text (the C face).
    pub fn from_json(text: &str, source: &str) -> Result<ClientOptions> {
        let mut de = serde_json::Deserializer::from_str(text);
        let opts: ClientOptions =
            serde_path_to_error::deserialize(&mut de).map_err(|e| named(e, source))?;
        de.end().map_err(|e| {
            Error::invalid_argument("options", format!("trailing text after the JSON: {e}"))
        })?;
        Ok(opts)
    }

    /// The core [`Config`]; a bad value fails naming its option.
    pub fn into_config(self) -> Result<Config> {
        let mut b = Config::builder();
        if let Some(s) = &self.site {
            b = b.site(s.parse::<Site>()?);
        }
        b.set_endpoint(self.endpoint)
            .set_iam_endpoint(self.iam_endpoint)
            .set_proxy(self.proxy.map(|p| p.expose().to_owned()))
            .set_ca_bundle(self.ca_bundle)
            .set_trust_env(self.trust_env)
            .set_user_agent_suffix(self.user_agent)
            .set_rate_limit(self.rate_limit)
            .set_token_refresh_margin(self.token_refresh_margin.map(|s| s.0))
            .set_clock_skew_correction(self.clock_skew_correction);
        if let Some(t) = self.timeouts {
            b.set_connect_timeout(t.connect.map(|s| s.0))
                .set_read_timeout(t.read.map(|s| s.0))
                .set_attempt_timeout(t.attempt.map(|s| s.0))
                .set_total_timeout(t.total.map(|s| s.0));
        }
        if let Some(l) = &self.language {
            b = b.language(l.parse::<Language>()?);
        }
        for (op, per_second) in self.rate_limits.unwrap_or_default() {
            b = b.rate_limit_for(op, per_second);
        }
        if let Some(r) = self.retry {
            b = b.retry(r.over(RetryConfig::default()));
        }
        if let Some(c) = self.credentials {
            b = b.auth(c.into_auth()?);
        }
        if self.verify_tls == Some(false) {
            b = b.danger_accept_invalid_certs(true);
        }
        b.build()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field_of(v: Value) -> (String, String) {
        let e = ClientOptions::from_value(v, "test options")
            .and_then(ClientOptions::into_config)
            .unwrap_err();
        (
            e.field().unwrap_or_default().to_owned(),
            e.message().to_owned(),
        )
    }

    #[test]
    fn one_shape_for_every_face() {
        let c = ClientOptions::from_value(
            json!({"endpoint": "http://127.0.0.1:9", "timeouts": {"total": 2.5, "connect": 1},
                   "retry": {"maxAttempts": 5}, "rateLimits": {"list_sub_customers": 3},
                   "credentials": {"type": "ak_sk", "ak": "A", "sk": "S", "domainId": "D"}}),
            "test",
        )
        .unwrap()
        .into_config()
        .unwrap();
        assert_eq!(c.total_timeout, Duration::from_millis(2500));
        assert_eq!(c.retry.max_attempts, 5);
        assert_eq!(c.rate_limits.get("list_sub_customers"), Some(&3.0));
        let from_json = ClientOptions::from_json(
            r#"{"endpoint": "http://127.0.0.1:9", "credentials": {"type": "assume_role",
                "partner": {"type": "password", "user": "u", "password": "p", "domain_name": "d"},
                "agency_name": "ag", "customer_id": "c"}}"#,
            "C",
        )
        .unwrap()
        .into_config()
        .unwrap();
        assert!(from_json.auth.describe().contains("assume_role ag"));
    }

    #[test]
    fn bad_values_name_the_option_and_the_source() {
        let (f, m) = field_of(json!({"timeouts": {"total": -1}}));
        assert_eq!(f, "timeouts.total");
        assert!(
            m.contains("non-negative number of seconds") && m.contains("test options"),
            "{m}"
        );
        let (f, m) = field_of(json!({"timout": 5}));
        assert_eq!(f, "timout");
        assert!(m.contains("unknown field `timout`"), "{m}");
        assert_eq!(
            field_of(json!({"retry": {"max_attempts": "3"}})).0,
            "retry.max_attempts"
        );
        assert_eq!(
            field_of(json!({"retry": {"max_attempts": 0}})).0,
            "retry.max_attempts"
        );
        assert_eq!(field_of(json!({"site": "eu"})).0, "site");
        assert_eq!(
            field_of(json!({"credentials": {"type": "aksk"}})).0,
            "credentials.type"
        );
        assert_eq!(
            field_of(json!({"credentials": {"type": "ak_sk", "ak": "A"}})).0,
            "credentials"
        );
        let (f, _) = field_of(json!({"credentials": {"type": "assume_role",
            "partner": {"type": "env"}, "agency_name": "a"}}));
        assert_eq!(f, "customer_id");
        assert_eq!(field_of(json!({"rate_limit": 0})).0, "rate_limit");
        assert!(ClientOptions::from_json("{} x", "C").is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let o = ClientOptions::from_value(
            json!({"proxy": "http://u:PROXYPW@p:8080", "credentials": {"type": "ak_sk", "ak": "A", "sk": "SKSECRET", "security_token": "TOKSECRET"}}),
            "t",
        )
        .unwrap();
        let text = format!("{o:?} {:?}", o.clone().into_config().unwrap());
        for s in ["PROXYPW", "SKSECRET", "TOKSECRET"] {
            assert!(!text.contains(s), "{s} in {text}");
        }
    }
}
