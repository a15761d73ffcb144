//! TLS on rustls' ring provider (reqwest brings none of its own): a local HTTPS server with a
//! self-signed certificate for localhost is refused by the verifying configuration, before any
//! request byte is sent, and answers a client built with `danger_accept_invalid_certs`.

use std::sync::Arc;

use hcpartner::credentials::AkSk;
use hcpartner::operation::{Effect, Method, Operation};
use hcpartner::{Client, Config, Dispatch, ErrorKind};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

static READ: Operation = Operation::raw("list_things", Method::Get, "/v2/read", Effect::Read);

const CERT: &[u8] = include_bytes!("fixtures/self_signed.crt");
const KEY: &[u8] = include_bytes!("fixtures/self_signed.key");

/// Serves one JSON answer per connection over TLS and reports each request's first line with
/// the protocol ALPN agreed on.
async fn https_server() -> (String, mpsc::UnboundedReceiver<(String, String)>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY).unwrap(),
        )
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (seen, heard) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), seen.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return; // the verifying client hangs up in the handshake
                };
                let alpn = tls.get_ref().1.alpn_protocol().unwrap_or_default().to_vec();
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let first = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let _ = seen.send((first, String::from_utf8_lossy(&alpn).into_owned()));
                let body = r#"{"things": [], "total": 0}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    // The certificate names localhost and 127.0.0.1: only trust decides.
    (format!("https://localhost:{port}"), heard)
}

fn client(url: &str, accept_invalid: bool) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("dom-1"))
        .danger_accept_invalid_certs(accept_invalid)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Every message down the error's source chain, joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(" / ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_before_sending() {
    let (url, mut heard) = https_server().await;
    let err = client(&url, false)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert_eq!(err.dispatch(), Dispatch::NotSent);
    let why = chain(&err);
    assert!(why.to_lowercase().contains("certificate"), "{why}");
    assert!(heard.try_recv().is_err(), "no request reached the server");
}

#[tokio::test]
async fn accepting_any_certificate_gets_the_answer_over_tls() {
    let (url, mut heard) = https_server().await;
    let answer = client(&url, true).call_op(&READ, json!({})).await.unwrap();
    assert_eq!(answer, json!({"things": [], "total": 0}));
    let (first, alpn) = heard.recv().await.unwrap();
    assert_eq!(first, "GET /v2/read HTTP/1.1");
    assert_eq!(alpn, "http/1.1", "the client offers http/1.1 by ALPN");
}

/// The same through the blocking faces' path (core/src/h1.rs on the calling thread's runtime).
#[test]
fn the_calling_threads_own_exchange_verifies_and_speaks_http1_over_tls() {
    let server = tokio::runtime::Runtime::new().unwrap();
    let (url, mut heard) = server.block_on(https_server());
    let here = |accept_invalid: bool| {
        hcpartner::runtime::block_on_here(client(&url, accept_invalid).call_op(&READ, json!({})))
            .unwrap()
    };
    let err = here(false).unwrap_err();
    assert_eq!(
        (err.kind(), err.dispatch()),
        (ErrorKind::Connect, Dispatch::NotSent),
        "{err}"
    );
    assert!(
        chain(&err).to_lowercase().contains("certificate"),
        "{}",
        chain(&err)
    );
    assert!(heard.try_recv().is_err(), "no request reached the server");
    assert_eq!(here(true).unwrap(), json!({"things": [], "total": 0}));
    let (first, alpn) = server.block_on(heard.recv()).unwrap();
    assert_eq!(
        (first.as_str(), alpn.as_str()),
        ("GET /v2/read HTTP/1.1", "http/1.1")
    );
}
