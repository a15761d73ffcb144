//! Which proxy a request goes through: the `proxy` option when given (for every request), else
//! the environment as requests, curl and boto3 read it: `HTTPS_PROXY` for https URLs,
//! `HTTP_PROXY` for http ones, `ALL_PROXY` for either, `NO_PROXY` for hosts that go direct; the
//! lowercase spellings win over the uppercase ones. Proxy URLs may carry a password: they are
//! kept as secrets and only ever shown with their user info replaced by `***`.

use crate::config::redact_url;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The proxies the environment names, read once when the client is built.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EnvProxies {
    /// For https URLs, and the variable it came from.
    pub https: Option<(Secret, &'static str)>,
    /// For http URLs, and the variable it came from.
    pub http: Option<(Secret, &'static str)>,
    /// `NO_PROXY`: hosts, domains (`.example.com`), IPs and CIDRs that go direct; `*` = all.
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for EnvProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The first set variable of `names` (empty counts as unset, as curl has it).
fn first(
    get: &dyn Fn(&str) -> Option<String>,
    names: &[&'static str],
) -> Option<(String, &'static str)> {
    names
        .iter()
        .find_map(|n| get(n).filter(|v| !v.trim().is_empty()).map(|v| (v, *n)))
}

fn checked(found: Option<(String, &'static str)>) -> Result<Option<(Secret, &'static str)>> {
    let Some((url, name)) = found else {
        return Ok(None);
    };
    let url = Secret::new(url.trim());
    if reqwest::Proxy::all(url.expose()).is_err() {
        // Not echoed: it may hold a password.
        return Err(Error::config(
            format!("{name} (environment)"),
            "is not a valid proxy URL",
        ));
    }
    Ok(Some((url, name)))
}

impl EnvProxies {
    /// The proxies `get` (an environment) names.
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> Result<EnvProxies> {
        let all = || first(get, &["all_proxy", "ALL_PROXY"]);
        // Under CGI, HTTP_PROXY is a request header the client controls (httpoxy): ignored.
        let http_names: &[&'static str] = if get("REQUEST_METHOD").is_some() {
            &["http_proxy"]
        } else {
            &["http_proxy", "HTTP_PROXY"]
        };
        Ok(EnvProxies {
            https: checked(first(get, &["https_proxy", "HTTPS_PROXY"]).or_else(all))?,
            http: checked(first(get, http_names).or_else(all))?,
            no_proxy: first(get, &["no_proxy", "NO_PROXY"]).map(|(v, _)| v),
        })
    }

    /// The process environment's proxies.
    pub fn from_process() -> Result<EnvProxies> {
        EnvProxies::read(&|n| std::env::var(n).ok())
    }

    pub fn is_empty(&self) -> bool {
        self.https.is_none() && self.http.is_none()
    }

    /// What they are, passwords redacted: `https via http://***@p:3128 (HTTPS_PROXY); …`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (scheme, p) in [("https", &self.https), ("http", &self.http)] {
            if let Some((url, name)) = p {
                parts.push(format!(
                    "{scheme} via {} ({name})",
                    redact_url(url.expose())
                ));
            }
        }
        if parts.is_empty() {
            return "none".to_owned();
        }
        if let Some(np) = &self.no_proxy {
            parts.push(format!("not for {np} (NO_PROXY)"));
        }
        parts.join("; ")
    }

    /// The reqwest proxies for them.
    pub(crate) fn reqwest(&self) -> Result<Vec<reqwest::Proxy>> {
        let no_proxy = || {
            self.no_proxy
                .as_deref()
                .and_then(reqwest::NoProxy::from_string)
        };
        let mut out = Vec::new();
        if let Some((url, name)) = &self.https {
            let p = reqwest::Proxy::https(url.expose())
                .map_err(|_| Error::config(*name, "is not a valid proxy URL"))?;
            out.push(p.no_proxy(no_proxy()));
        }
        if let Some((url, name)) = &self.http {
            let p = reqwest::Proxy::http(url.expose())
                .map_err(|_| Error::config(*name, "is not a valid proxy URL"))?;
            out.push(p.no_proxy(no_proxy()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> EnvProxies {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        EnvProxies::read(&|n| map.get(n).cloned()).unwrap()
    }

    #[test]
    fn requests_rules() {
        let p = env(&[
            ("HTTPS_PROXY", "http://u:SECRETPW@p:3128"),
            ("no_proxy", "localhost,.corp"),
        ]);
        assert_eq!(p.https.as_ref().unwrap().1, "HTTPS_PROXY");
        assert!(p.http.is_none());
        let text = format!("{} {p:?}", p.describe());
        assert!(
            !text.contains("SECRETPW") && text.contains("http://***@p:3128"),
            "{text}"
        );
        assert!(text.contains("not for localhost,.corp"), "{text}");
        // lowercase wins; ALL_PROXY fills the gaps; empty is unset
        let p = env(&[
            ("https_proxy", "http://a:1"),
            ("HTTPS_PROXY", "http://b:1"),
            ("ALL_PROXY", "http://c:1"),
            ("HTTP_PROXY", " "),
        ]);
        assert_eq!(p.https.as_ref().unwrap().0.expose(), "http://a:1");
        assert_eq!(p.http.as_ref().unwrap().1, "ALL_PROXY");
        // httpoxy
        let p = env(&[("HTTP_PROXY", "http://evil:1"), ("REQUEST_METHOD", "GET")]);
        assert!(p.http.is_none());
        assert_eq!(env(&[]).describe(), "none");
    }

    #[test]
    fn a_bad_url_names_the_variable_not_the_value() {
        let map: HashMap<&str, &str> = [("HTTPS_PROXY", "http://u:SECRETPW@[bad")].into();
        let e = EnvProxies::read(&|n| map.get(n).map(|v| (*v).to_owned())).unwrap_err();
        assert_eq!(e.field(), Some("HTTPS_PROXY (environment)"));
        assert!(!e.to_string().contains("SECRETPW"));
    }
}
