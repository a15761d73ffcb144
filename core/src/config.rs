//! Client configuration: where to send calls, how to authenticate, how long to wait, how to retry.
//!
//! Built with [`Config::builder`]; values given to the builder win over the environment, which wins
//! over defaults. Building never touches the network.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{Auth, Chain};
use crate::error::{Error, Result};
use crate::proxy::EnvProxies;
use crate::retry::RetryConfig;
use crate::secret::Secret;

/// The Huawei Cloud site a partner account lives on. An account exists on one site only; calling
/// the other site fails with CBC.0150/CBC.0156.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Site {
    /// China site (`bss.myhuaweicloud.com`), default language zh_CN.
    #[default]
    Cn,
    /// International site (`bss-intl.myhuaweicloud.com`), default language en_US.
    Intl,
}

impl Site {
    pub fn bss_endpoint(self) -> &'static str {
        match self {
            Site::Cn => "https://bss.myhuaweicloud.com",
            Site::Intl => "https://bss-intl.myhuaweicloud.com",
        }
    }
    /// The global IAM endpoint (domain-scoped tokens must come from it).
    pub fn iam_endpoint(self) -> &'static str {
        "https://iam.myhuaweicloud.com"
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Site::Cn => "cn",
            Site::Intl => "intl",
        }
    }
    pub fn other(self) -> Site {
        match self {
            Site::Cn => Site::Intl,
            Site::Intl => Site::Cn,
        }
    }
}

impl std::str::FromStr for Site {
    type Err = Error;
    fn from_str(s: &str) -> Result<Site> {
        match s.to_ascii_lowercase().as_str() {
            "cn" | "china" => Ok(Site::Cn),
            "intl" | "international" => Ok(Site::Intl),
            _ => Err(Error::config(
                "site",
                format!("unknown site {s:?}; use \"cn\" or \"intl\""),
            )),
        }
    }
}

/// Language of names and labels in responses (`X-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    ZhCn,
    EnUs,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh_CN",
            Language::EnUs => "en_US",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Language> {
        match s {
            "zh_CN" | "zh-CN" | "zh" => Ok(Language::ZhCn),
            "en_US" | "en-US" | "en" => Ok(Language::EnUs),
            _ => Err(Error::config(
                "language",
                format!("unknown language {s:?}; use \"zh_CN\" or \"en_US\""),
            )),
        }
    }
}

/// Everything a [`crate::Client`] needs. Cheap to clone. `Debug` shows no secret (credentials
/// redacted, a proxy URL without its user info).
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    pub site: Site,
    pub bss_endpoint: String,
    pub iam_endpoint: String,
    pub auth: Auth,
    pub connect_timeout: Duration,
    /// Longest wait for response bytes once connected.
    pub read_timeout: Duration,
    /// Longest time for one attempt, end to end.
    pub attempt_timeout: Duration,
    /// Longest time for a whole call including retries.
    pub total_timeout: Duration,
    /// The `proxy` option (for every request). A proxy URL may carry a password: kept as a secret.
    pub proxy: Option<Secret>,
    /// Whether the environment's proxies and CA bundle apply (`HTTPS_PROXY`, `SSL_CERT_FILE`, …).
    pub trust_env: bool,
    /// The environment's proxies, read when built; empty with an explicit `proxy` or without
    /// `trust_env`.
    pub env_proxies: EnvProxies,
    /// The PEM file of the only roots to trust, and where its path came from (`ca_bundle`, or
    /// `REQUESTS_CA_BUNDLE (environment)`); `None`: the system's roots.
    pub ca_bundle: Option<(PathBuf, String)>,
    pub language: Option<Language>,
    pub user_agent: String,
    /// TLS certificate verification is on unless this is set (never do it against the real service).
    pub danger_accept_invalid_certs: bool,
    pub retry: RetryConfig,
    /// Client-side limit in requests per second per operation (the service allows ~10/s per API).
    pub rate_limit: Option<f64>,
    /// Per-operation overrides of `rate_limit`.
    pub rate_limits: Arc<HashMap<String, f64>>,
    /// Refresh a token this long before it expires (capped at half its lifetime).
    pub token_refresh_margin: Duration,
    /// Re-sign once with the server's clock when the gateway says a signature expired.
    pub clock_skew_correction: bool,
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The proxies requests go through, passwords redacted (`none`, or each with its source).
    pub fn proxy_description(&self) -> String {
        match &self.proxy {
            Some(p) => format!("{} (proxy option)", redact_url(p.expose())),
            None => self.env_proxies.describe(),
        }
    }
}

/// `scheme://host…` of a URL with any `user:password@` replaced by `***@`.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("site", &self.site)
            .field("bss_endpoint", &self.bss_endpoint)
            .field("iam_endpoint", &self.iam_endpoint)
            .field("auth", &self.auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .field(
                "proxy",
                &self.proxy.as_ref().map(|p| redact_url(p.expose())),
            )
            .field("env_proxies", &self.env_proxies)
            .field("ca_bundle", &self.ca_bundle)
            .field("language", &self.language)
            .field("user_agent", &self.user_agent)
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limits", &self.rate_limits)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("clock_skew_correction", &self.clock_skew_correction)
            .finish()
    }
}

/// Builder for [`Config`].
#[derive(Default, Clone)]
pub struct ConfigBuilder {
    site: Option<Site>,
    endpoint: Option<String>,
    iam_endpoint: Option<String>,
    auth: Option<Auth>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    proxy: Option<String>,
    trust_env: Option<bool>,
    ca_bundle: Option<PathBuf>,
    language: Option<Language>,
    user_agent_suffix: Option<String>,
    danger_accept_invalid_certs: bool,
    retry: Option<RetryConfig>,
    rate_limit: Option<f64>,
    rate_limits: HashMap<String, f64>,
    token_refresh_margin: Option<Duration>,
    clock_skew_correction: Option<bool>,
}

impl std::fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Holds credentials and a proxy URL that may carry a password.
        f.debug_struct("ConfigBuilder")
            .field("site", &self.site)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident / $set:ident : $ty:ty),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(mut self, v: impl Into<$ty>) -> Self { self.$name = Some(v.into()); self }
        $(#[$doc])*
        pub fn $set(&mut self, v: Option<$ty>) -> &mut Self { self.$name = v; self }
    )*};
}

impl ConfigBuilder {
    setters! {
        /// The site (`Cn` default, `Intl`): picks the BSS endpoint and default language.
        site / set_site: Site,
        /// An explicit BSS base URL, e.g. the emulator's `http://127.0.0.1:PORT`.
        endpoint / set_endpoint: String,
        /// An explicit IAM base URL (defaults to the BSS endpoint when `endpoint` is set, else the site's IAM).
        iam_endpoint / set_iam_endpoint: String,
        /// How to authenticate. Default: the credential chain (env, then profile file).
        auth / set_auth: Auth,
        connect_timeout / set_connect_timeout: Duration,
        read_timeout / set_read_timeout: Duration,
        attempt_timeout / set_attempt_timeout: Duration,
        total_timeout / set_total_timeout: Duration,
        /// An HTTP(S) proxy URL for every request (the environment's proxies then do not apply).
        proxy / set_proxy: String,
        /// Whether `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` and `REQUESTS_CA_BUNDLE`,
        /// `CURL_CA_BUNDLE`, `SSL_CERT_FILE` apply. Default true.
        trust_env / set_trust_env: bool,
        /// A PEM file of the only root certificates to trust (a company's TLS-inspecting proxy).
        ca_bundle / set_ca_bundle: PathBuf,
        language / set_language: Language,
        /// Appended to `hcpartner/<version>` in User-Agent.
        user_agent_suffix / set_user_agent_suffix: String,
        retry / set_retry: RetryConfig,
        /// Requests per second per operation, client side.
        rate_limit / set_rate_limit: f64,
        token_refresh_margin / set_token_refresh_margin: Duration,
        clock_skew_correction / set_clock_skew_correction: bool,
    }

    /// Shorthand for `auth(Auth::from(credentials))`.
    pub fn credentials(self, c: impl Into<Auth>) -> Self {
        self.auth(c)
    }

    /// A per-operation rate limit (requests per second), e.g. `check_user_identity` at 5.
    pub fn rate_limit_for(mut self, operation: impl Into<String>, per_second: f64) -> Self {
        self.rate_limits.insert(operation.into(), per_second);
        self
    }

    /// Turns off TLS certificate verification. Logged loudly at every client construction: only
    /// for a local test server with a self-signed certificate.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.danger_accept_invalid_certs = yes;
        self
    }

    pub fn build(self) -> Result<Config> {
        let site = self.site.unwrap_or_default();
        let bss_endpoint = normalize_endpoint(
            "endpoint",
            self.endpoint.as_deref().unwrap_or(site.bss_endpoint()),
        )?;
        let iam_endpoint = match (&self.iam_endpoint, &self.endpoint) {
            (Some(iam), _) => normalize_endpoint("iam_endpoint", iam)?,
            (None, Some(_)) => bss_endpoint.clone(),
            (None, None) => match std::env::var("HUAWEICLOUD_SDK_IAM_ENDPOINT") {
                Ok(v) if !v.is_empty() => {
                    normalize_endpoint("HUAWEICLOUD_SDK_IAM_ENDPOINT (environment)", &v)?
                }
                _ => site.iam_endpoint().to_owned(),
            },
        };
        for (name, v) in self
            .rate_limit
            .iter()
            .map(|v| ("rate_limit".to_owned(), v))
            .chain(
                self.rate_limits
                    .iter()
                    .map(|(k, v)| (format!("rate_limits.{k}"), v)),
            )
        {
            if crate::transport::quota(*v).is_none() {
                return Err(Error::config(
                    name,
                    "must be a positive number of requests per second, at least one a day",
                ));
            }
        }
        let retry = self.retry.unwrap_or_default();
        retry.check()?;
        let positive = |name: &str, d: Option<Duration>, default: Duration| -> Result<Duration> {
            match d {
                Some(d) if d.is_zero() => Err(Error::config(name, "must be greater than zero")),
                Some(d) => Ok(d),
                None => Ok(default),
            }
        };
        let mut user_agent = crate::USER_AGENT.to_owned();
        if let Some(s) = self.user_agent_suffix.filter(|s| !s.is_empty()) {
            if s.chars().any(|c| c.is_control()) {
                return Err(Error::config(
                    "user_agent",
                    "must not contain control characters (CR, LF, …)",
                ));
            }
            user_agent.push(' ');
            user_agent.push_str(&s);
        }
        let proxy = self.proxy.map(Secret::new);
        if let Some(p) = &proxy {
            if reqwest::Proxy::all(p.expose()).is_err() {
                return Err(Error::config("proxy", "is not a valid proxy URL"));
            }
        }
        let trust_env = self.trust_env.unwrap_or(true);
        let env_proxies = if proxy.is_none() && trust_env {
            EnvProxies::from_process()?
        } else {
            EnvProxies::default()
        };
        let ca_bundle =
            crate::tls::ca_bundle(self.ca_bundle, trust_env, &|n| std::env::var(n).ok());
        Ok(Config {
            site,
            bss_endpoint,
            iam_endpoint,
            auth: self
                .auth
                .unwrap_or_else(|| Auth::provider(Chain::default())),
            connect_timeout: positive(
                "connect_timeout",
                self.connect_timeout,
                Duration::from_secs(10),
            )?,
            read_timeout: positive("read_timeout", self.read_timeout, Duration::from_secs(60))?,
            attempt_timeout: positive(
                "attempt_timeout",
                self.attempt_timeout,
                Duration::from_secs(90),
            )?,
            total_timeout: positive(
                "total_timeout",
                self.total_timeout,
                Duration::from_secs(300),
            )?,
            proxy,
            trust_env,
            env_proxies,
            ca_bundle,
            language: self.language,
            user_agent,
            danger_accept_invalid_certs: self.danger_accept_invalid_certs,
            retry,
            rate_limit: self.rate_limit,
            rate_limits: Arc::new(self.rate_limits),
            token_refresh_margin: self
                .token_refresh_margin
                .unwrap_or(Duration::from_secs(30 * 60)),
            clock_skew_correction: self.clock_skew_correction.unwrap_or(true),
        })
    }
}

fn normalize_endpoint(field: &str, url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::config(
                field,
                format!(
                    "{:?} must start with https:// (or http:// for a local emulator)",
                    crate::error::quote(u)
                ),
            )
        })?;
    if rest
        .split('/')
        .next()
        .is_some_and(|authority| authority.contains('@'))
    {
        return Err(Error::config(
            field,
            "must not carry user info (user:password@): credentials go in `credentials`",
        ));
    }
    if rest.is_empty() || rest.contains(['?', '#']) {
        return Err(Error::config(
            field,
            format!(
                "{:?} must be a base URL such as https://bss.myhuaweicloud.com",
                crate::error::quote(u)
            ),
        ));
    }
    Ok(u.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::AkSk;

    #[test]
    fn site_endpoints() {
        let c = Config::builder()
            .credentials(AkSk::new("a", "b"))
            .build()
            .unwrap();
        assert_eq!(c.bss_endpoint, "https://bss.myhuaweicloud.com");
        let c = Config::builder()
            .site(Site::Intl)
            .credentials(AkSk::new("a", "b"))
            .build()
            .unwrap();
        assert_eq!(c.bss_endpoint, "https://bss-intl.myhuaweicloud.com");
        let c = Config::builder()
            .endpoint("http://127.0.0.1:9/")
            .credentials(AkSk::new("a", "b"))
            .build()
            .unwrap();
        assert_eq!(
            (c.bss_endpoint.as_str(), c.iam_endpoint.as_str()),
            ("http://127.0.0.1:9", "http://127.0.0.1:9")
        );
        assert!(c.user_agent.starts_with("hcpartner/"));
    }

    #[test]
    fn bad_values_name_the_field() {
        let e = Config::builder()
            .endpoint("bss.myhuaweicloud.com")
            .build()
            .unwrap_err();
        assert_eq!(e.field(), Some("endpoint"));
        let e = Config::builder().rate_limit(0.0).build().unwrap_err();
        assert_eq!(e.field(), Some("rate_limit"));
        let e = Config::builder().rate_limit(1e-20).build().unwrap_err();
        assert_eq!(e.field(), Some("rate_limit"));
        let e = Config::builder()
            .rate_limit_for("list_sub_customers", f64::NAN)
            .build()
            .unwrap_err();
        assert_eq!(e.field(), Some("rate_limits.list_sub_customers"));
        let e = Config::builder()
            .endpoint("http://user:pw@127.0.0.1:1")
            .build()
            .unwrap_err();
        assert_eq!(e.field(), Some("endpoint"));
        let e = Config::builder()
            .user_agent_suffix("a\r\nX-Evil: 1")
            .build()
            .unwrap_err();
        assert_eq!(e.field(), Some("user_agent"));
        let e = Config::builder()
            .connect_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert_eq!(e.field(), Some("connect_timeout"));
        assert_eq!("intl".parse::<Site>().unwrap(), Site::Intl);
        assert_eq!(
            "fr".parse::<Language>().unwrap_err().field(),
            Some("language")
        );
    }
}
