//! The HTTP client of a transport without a proxy: hyper-util's pooled client over hyper-rustls,
//! with the process's TLS configuration. reqwest (kept for proxied clients) builds on the same two
//! crates but adds per request three URL parses, a redirect layer and its own futures: about
//! 40 K instructions of a call's 160 K (callgrind, benches/src/bin/core_bench.rs).
//!
//! Timeouts as reqwest's: `timeout` bounds the whole exchange, `read_timeout` each wait for bytes
//! (the response head, then every body frame), the connector's `connect_timeout` the connect. On
//! a new connection the wait for the head includes connecting; with `connect_timeout` shorter
//! than `read_timeout` (the defaults) a slow connect still ends as a connect failure, not sent.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::Instant;

use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::transport::{header_value, Incoming, Outgoing};

type Pool = hyper_util::client::legacy::Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

pub(crate) struct Direct {
    pool: Pool,
    user_agent: HeaderValue,
    read_timeout: Duration,
    /// Reads go out on HTTP/1.1 written and read by the calling task itself ([`crate::h1`]):
    /// no connection task to hand them to, so fewer wake-ups of the runtime's workers.
    pub reads: crate::h1::Here,
}

/// Idle connections the reads keep: as many as Node's `http.Agent` keeps free by default, so
/// that 200 calls in flight reuse their connections. With 64, 40,000 reads at 200 in flight made
/// 3,353 connections, each a handshake for both ends; with 256, 201.
const READS_KEEP: usize = 256;

/// What a [`Direct`] client (and [`crate::h1::Here`]) is built from.
#[derive(Clone)]
pub(crate) struct Setup {
    pub tls: rustls::ClientConfig,
    pub user_agent: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

impl Direct {
    pub fn new(mut s: Setup) -> Result<Direct> {
        let reads = crate::h1::Here::new(s.clone(), READS_KEEP);
        // hyper-rustls writes ALPN itself from the versions enabled below (h2, http/1.1: the
        // same offer) and panics on a configuration that has some already.
        s.tls.alpn_protocols.clear();
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.set_connect_timeout(Some(s.connect_timeout));
        http.enforce_http(false); // https:// is hyper-rustls's to take
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(s.tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let pool = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(50))
            .pool_max_idle_per_host(64)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(https);
        let user_agent = HeaderValue::from_str(&s.user_agent).map_err(|_| {
            Error::config("user_agent", "contains characters a header cannot carry")
        })?;
        Ok(Direct {
            pool,
            user_agent,
            read_timeout: s.read_timeout,
            reads,
        })
    }

    /// Sends once. Failures say whether the request may have reached the server.
    pub async fn send(
        &self,
        req: &Outgoing,
        auth_headers: &[(&str, String)],
        timeout: Duration,
    ) -> Result<Incoming> {
        let deadline = Instant::now() + timeout;
        let uri: hyper::Uri = req.url.parse().map_err(|_| {
            Error::invalid_argument("url", "is not a URL an HTTP request can be sent to")
        })?;
        let mut builder = hyper::Request::builder()
            .method(req.method.as_str())
            .uri(uri)
            .header(hyper::header::USER_AGENT, self.user_agent.clone());
        let headers = builder
            .headers_mut()
            .expect("the method and URI above are valid");
        for (k, v) in &req.headers {
            headers.append(header_name(k)?, header_value(k, v)?);
        }
        for (k, v) in auth_headers {
            headers.append(header_name(k)?, header_value(k, v)?);
        }
        let request = builder
            .body(Full::new(Bytes::copy_from_slice(&req.body)))
            .map_err(|e| Error::invalid_argument("request", "could not be built").with_source(e))?;

        let head = deadline.min(Instant::now() + self.read_timeout);
        let response = match tokio::time::timeout_at(head, self.pool.request(request)).await {
            Err(_) => return Err(timed_out(None)),
            Ok(Err(e)) => return Err(classify(e)),
            Ok(Ok(r)) => r,
        };
        let status = response.status().as_u16();
        let (parts, mut body) = response.into_parts();
        let mut first: Option<Bytes> = None;
        let mut more = BytesMut::new();
        loop {
            let wait = deadline.min(Instant::now() + self.read_timeout);
            let frame = match tokio::time::timeout_at(wait, body.frame()).await {
                Err(_) => return Err(timed_out(Some(status))),
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    return Err(Error::new(
                        ErrorKind::Connect,
                        Dispatch::MaybeSent, // the head arrived: the server processed it
                        format!("the connection failed while the answer was read: {e}"),
                    )
                    .with_status(status)
                    .with_source(e));
                }
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else {
                continue; // trailers
            };
            // One frame is the common case: kept as it came, no copy.
            match first.take() {
                None if more.is_empty() => first = Some(data),
                None => more.extend_from_slice(&data),
                Some(f) => {
                    more.extend_from_slice(&f);
                    more.extend_from_slice(&data);
                }
            }
        }
        Ok(Incoming {
            status,
            headers: parts.headers,
            body: first.unwrap_or_else(|| more.freeze()),
        })
    }
}

fn header_name(name: &str) -> Result<HeaderName> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_argument(name, "is not a valid header name"))
}

pub(crate) fn timed_out(status: Option<u16>) -> Error {
    let e = Error::new(
        ErrorKind::Timeout,
        Dispatch::MaybeSent,
        "no response in time",
    );
    match status {
        Some(s) => e.with_status(s),
        None => e,
    }
}

/// A connect failure (refused, DNS, TLS handshake, connect timeout) happens before any request
/// byte is written: not sent. Anything else may have reached the server.
fn classify(e: hyper_util::client::legacy::Error) -> Error {
    let detail = std::error::Error::source(&e)
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    if e.is_connect() {
        let what = match caused_by_timeout(&e) {
            true => "connecting timed out",
            false => "could not connect",
        };
        return Error::new(
            ErrorKind::Connect,
            Dispatch::NotSent,
            format!("{what}{detail}"),
        )
        .with_source(e);
    }
    Error::new(
        ErrorKind::Connect,
        Dispatch::MaybeSent,
        format!("the connection failed after the request was sent{detail}"),
    )
    .with_source(e)
}

/// Whether an I/O timeout is among the causes of `e` (the connector's connect timeout is one).
fn caused_by_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = c.source();
    }
    false
}
