//! The TLS configurations every connection pool is built from, one of each per process: the
//! system's root certificates are read once (about 5 ms and 19 M instructions each time), not once
//! per client or per thread. The crypto provider is rustls' ring (it builds with any C compiler,
//! zig's cross toolchain for old glibc included; aws-lc needs more), and reqwest is built without a
//! provider of its own, so every client here gets its configuration from this module: TLS 1.2 and
//! 1.3, ALPN h2 then http/1.1, and the platform verifier, or none when asked for.
//!
//! A CA bundle (a PEM file: the `ca_bundle` option, or `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE` /
//! `SSL_CERT_FILE` as requests and OpenSSL read them) replaces the system's roots, as requests'
//! `verify="bundle.pem"` does; each bundle is read once per process too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::{Error, Result};

/// The variables naming a CA bundle, in the order they are read.
pub const CA_BUNDLE_VARS: [&str; 3] = ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"];

/// The process's crypto provider (ring).
fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

fn with_verifier(
    verifier: Arc<dyn ServerCertVerifier>,
) -> std::result::Result<rustls::ClientConfig, String> {
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous() // a custom verifier: the platform's, a bundle's, or none when asked for none
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The verifying configuration (built on first use): the platform verifier over the system's roots.
pub(crate) fn verifying() -> Result<rustls::ClientConfig> {
    static CONFIG: OnceLock<std::result::Result<Arc<rustls::ClientConfig>, String>> =
        OnceLock::new();
    let built = CONFIG.get_or_init(|| {
        let verifier = rustls_platform_verifier::Verifier::new(provider())
            .map_err(|e| format!("the system's certificate store: {e}"))?;
        with_verifier(Arc::new(verifier)).map(Arc::new)
    });
    match built {
        Ok(c) => Ok((**c).clone()),
        Err(e) => Err(failed(e)),
    }
}

fn failed(e: &str) -> Error {
    Error::config("tls", format!("could not set up TLS: {e}"))
}

/// `danger_accept_invalid_certs`: any certificate for any name is taken (the handshake's
/// signatures are still checked, so the session is encrypted, to whoever answers).
pub(crate) fn accepting_any() -> Result<rustls::ClientConfig> {
    with_verifier(Arc::new(AcceptAny(provider()))).map_err(|e| failed(&e))
}

#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
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
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| e.to_string())?;
    with_verifier(verifier).map(Arc::new)
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
