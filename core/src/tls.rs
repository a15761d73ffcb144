//! The TLS configurations every connection pool is built from, one of each per process: the
//! system's root certificates are read once (about 5 ms and 19 M instructions each time), not once
//! per client or per thread. The crypto provider is rustls' ring (it builds with any C compiler,
//! zig's cross toolchain for old glibc included; aws-lc needs more), and reqwest is built without a
//! provider of its own, so every client here gets its configuration from this module: TLS 1.2 and
//! 1.3, ALPN h2 then http/1.1, and the platform verifier, or none when asked for.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::{Error, Result};

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
        .dangerous() // a custom verifier: the platform's, or none when the caller asked for none
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
