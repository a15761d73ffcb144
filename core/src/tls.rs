//! One verifying TLS configuration per process, shared by every connection pool: the system's
//! root certificates are read once (about 5 ms and 19 M instructions each time), not once per
//! client or per thread. The same choices reqwest makes by default: the aws-lc-rs provider, TLS
//! 1.2 and 1.3, the platform verifier, ALPN h2 then http/1.1.
//!
//! A CA bundle (a PEM file: the `ca_bundle` option, or `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE` /
//! `SSL_CERT_FILE` as requests and OpenSSL read them) replaces the system's roots, as requests'
//! `verify="bundle.pem"` does; each bundle is read once per process too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The variables naming a CA bundle, in the order they are read.
pub const CA_BUNDLE_VARS: [&str; 3] = ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"];

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn finish(mut config: rustls::ClientConfig) -> Arc<rustls::ClientConfig> {
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(config)
}

/// The shared configuration (built on first use).
pub(crate) fn verifying() -> Result<rustls::ClientConfig> {
    static CONFIG: OnceLock<std::result::Result<Arc<rustls::ClientConfig>, String>> =
        OnceLock::new();
    let built = CONFIG.get_or_init(|| {
        let provider = provider();
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|e| format!("the system's certificate store: {e}"))?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous() // a custom verifier: the platform's, which does verify
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(finish(config))
    });
    match built {
        Ok(c) => Ok((**c).clone()),
        Err(e) => Err(Error::config("tls", format!("could not set up TLS: {e}"))),
    }
}

fn load_bundle(path: &Path) -> std::result::Result<Arc<rustls::ClientConfig>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("is not a PEM file of certificates: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("holds a certificate rustls refuses: {e}"))?;
    }
    if roots.is_empty() {
        return Err("holds no PEM certificate".to_owned());
    }
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(finish(config))
}

/// A configuration trusting only the certificates of the PEM file at `path`; `field` names where
/// the path came from in errors. Read once per path and process.
pub(crate) fn with_bundle(path: &Path, field: &str) -> Result<rustls::ClientConfig> {
    static BUNDLES: OnceLock<Mutex<HashMap<PathBuf, Arc<rustls::ClientConfig>>>> = OnceLock::new();
    let cache = BUNDLES.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(path) {
        return Ok((**c).clone());
    }
    let config = load_bundle(path)
        .map_err(|why| Error::config(field, format!("{} {why}", path.display())))?;
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_owned(), config.clone());
    Ok((*config).clone())
}

/// The CA bundle to use: the explicit one, else (when the environment is trusted) the first of
/// [`CA_BUNDLE_VARS`] set, with where it came from.
pub fn ca_bundle(
    explicit: Option<PathBuf>,
    trust_env: bool,
    get: &dyn Fn(&str) -> Option<String>,
) -> Option<(PathBuf, String)> {
    if let Some(p) = explicit {
        return Some((p, "ca_bundle".to_owned()));
    }
    if !trust_env {
        return None;
    }
    CA_BUNDLE_VARS.iter().find_map(|name| {
        get(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| (PathBuf::from(v.trim()), format!("{name} (environment)")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_name_their_source() {
        let get = |n: &str| (n == "SSL_CERT_FILE").then(|| "/x.pem".to_owned());
        assert_eq!(
            ca_bundle(None, true, &get),
            Some(("/x.pem".into(), "SSL_CERT_FILE (environment)".into()))
        );
        assert_eq!(ca_bundle(None, false, &get), None);
        assert_eq!(
            ca_bundle(Some("/y.pem".into()), true, &get).unwrap().1,
            "ca_bundle"
        );
        let e = with_bundle(Path::new("/nonexistent/ca.pem"), "ca_bundle").unwrap_err();
        assert_eq!(e.field(), Some("ca_bundle"));
        assert!(e.message().contains("cannot be read"), "{e}");
        let dir = std::env::temp_dir().join(format!("hcp-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let junk = dir.join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        let e = with_bundle(&junk, "REQUESTS_CA_BUNDLE (environment)").unwrap_err();
        assert!(e.message().contains("no PEM certificate"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
