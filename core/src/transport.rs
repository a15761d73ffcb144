//! Sending bytes: one pooled HTTP client per process (re-created after fork) — hyper-util's
//! ([`crate::direct`]) when no proxy applies, reqwest's (which speaks to proxies) otherwise —, the
//! client-side rate limit, the clock offset learned from the server, and classification of transport failures
//! into "not sent" and "may have been sent".

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::config::Config;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::Method;

/// A request ready to authorize and send. Its `Debug` shows no header value and no body (a
/// token request's body holds the IAM password); the body is wiped when dropped.
#[derive(Clone)]
pub(crate) struct Outgoing {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("method", &self.method)
            .field("url", &self.url)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Drop for Outgoing {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.body);
    }
}

/// Headers whose values are credentials: marked sensitive so no HTTP-layer log prints them.
fn is_credential_header(name: &str) -> bool {
    [
        "Authorization",
        "X-Auth-Token",
        "X-Security-Token",
        "X-Subject-Token",
    ]
    .iter()
    .any(|h| h.eq_ignore_ascii_case(name))
}

/// `value` as the header `name` carries it (CR, LF or NUL refused, naming the header), marked
/// sensitive when it is a credential.
pub(crate) fn header_value(name: &str, value: &str) -> Result<reqwest::header::HeaderValue> {
    let mut v = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        Error::invalid_argument(
            name,
            "contains characters a header cannot carry (CR, LF, NUL)",
        )
    })?;
    v.set_sensitive(is_credential_header(name));
    Ok(v)
}

/// Refuses what a request line cannot carry: a header name that is not an HTTP token, a value
/// with CR, LF, NUL or another control character (the checks of [`header_value`], without
/// building a header map's value).
pub(crate) fn check_header(name: &str, value: &str) -> Result<()> {
    if !crate::signer::is_token(name) {
        return Err(Error::invalid_argument(name, "is not a valid header name"));
    }
    if !value.bytes().all(|b| b == b'\t' || (b >= 32 && b != 127)) {
        return Err(Error::invalid_argument(
            name,
            "contains characters a header cannot carry (CR, LF, NUL)",
        ));
    }
    Ok(())
}

/// The governor quota for `per_second` requests per second, if it is one (B2: 1e-20/s once
/// overflowed `Duration` and panicked on the first call).
pub(crate) fn quota(per_second: f64) -> Option<Quota> {
    if !(per_second.is_finite() && per_second > 0.0) {
        return None;
    }
    let period = Duration::try_from_secs_f64(1.0 / per_second).ok()?;
    if period > Duration::from_secs(24 * 3600) {
        return None;
    }
    Quota::with_period(period.max(Duration::from_nanos(1)))
}

/// What came back.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: bytes::Bytes,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn request_id(&self) -> Option<String> {
        self.header("X-Request-Id").map(str::to_owned)
    }
    /// The server's clock, from `Date`.
    pub fn server_date(&self) -> Option<SystemTime> {
        self.header("Date")
            .and_then(|d| httpdate::parse_http_date(d).ok())
    }
    /// `Retry-After` in seconds or as an HTTP date.
    pub fn retry_after(&self) -> Option<Duration> {
        let v = self.header("Retry-After")?.trim();
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        let at = httpdate::parse_http_date(v).ok()?;
        Some(at.duration_since(SystemTime::now()).unwrap_or_default())
    }
}

/// What the transport needs of a [`Config`] (not its credentials).
#[derive(Debug, Clone)]
struct Settings {
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    proxy: Option<crate::secret::Secret>,
    env_proxies: crate::proxy::EnvProxies,
    ca_bundle: Option<(std::path::PathBuf, String)>,
    danger_accept_invalid_certs: bool,
    rate_limit: Option<f64>,
    rate_limits: Arc<HashMap<String, f64>>,
}

/// A pooled HTTP client: direct connections, or through a proxy.
#[derive(Clone)]
pub(crate) enum Http {
    /// Shared: `http()` hands out a clone per call.
    Direct(Arc<crate::direct::Direct>),
    Proxied(reqwest::Client),
    /// A thread's own, for the calls it drives itself.
    Here(Arc<crate::h1::Here>),
}

pub(crate) struct Transport {
    config: Settings,
    /// (pid, client): a forked child must not reuse the parent's pooled sockets.
    http: Mutex<Option<(u32, Http)>>,
    /// Per thread that drives its own calls (`runtime::block_on_here`): a pool whose connections
    /// that thread's runtime drives. (pid, client) as above.
    here: Mutex<HashMap<std::thread::ThreadId, (u32, Http)>>,
    /// Server time minus local time, in seconds, learned from a rejected signature.
    clock_offset: AtomicI64,
    limiters: Mutex<HashMap<String, Arc<DefaultDirectRateLimiter>>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("clock_offset", &self.clock_offset)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(config: &Config) -> Result<Transport> {
        if config.danger_accept_invalid_certs {
            tracing::warn!(
                "TLS certificate verification is OFF for this hcpartner client: anyone on the network path can \
                 read and change its requests. Use this only with a local test server."
            );
        }
        let t = Transport {
            config: Settings {
                user_agent: config.user_agent.clone(),
                connect_timeout: config.connect_timeout,
                read_timeout: config.read_timeout,
                proxy: config.proxy.clone(),
                env_proxies: config.env_proxies.clone(),
                ca_bundle: config.ca_bundle.clone(),
                danger_accept_invalid_certs: config.danger_accept_invalid_certs,
                rate_limit: config.rate_limit,
                rate_limits: config.rate_limits.clone(),
            },
            http: Mutex::new(None),
            here: Mutex::new(HashMap::new()),
            clock_offset: AtomicI64::new(0),
            limiters: Mutex::new(HashMap::new()),
        };
        t.http()?; // surface TLS/proxy setup errors at construction, not on the first call
        Ok(t)
    }

    fn tls(&self) -> Result<rustls::ClientConfig> {
        let c = &self.config;
        match (&c.ca_bundle, c.danger_accept_invalid_certs) {
            (_, true) => crate::tls::accepting_any(),
            (Some((path, field)), false) => crate::tls::with_bundle(path, field),
            (None, false) => crate::tls::verifying(),
        }
    }

    /// What a client without a proxy is built from; `None` when a proxy applies.
    fn direct_setup(&self) -> Result<Option<crate::direct::Setup>> {
        let c = &self.config;
        if c.proxy.is_some() || !c.env_proxies.is_empty() {
            return Ok(None);
        }
        Ok(Some(crate::direct::Setup {
            tls: self.tls()?,
            user_agent: c.user_agent.clone(),
            connect_timeout: c.connect_timeout,
            read_timeout: c.read_timeout,
        }))
    }

    fn build_http(&self) -> Result<Http> {
        let c = &self.config;
        if let Some(setup) = self.direct_setup()? {
            return crate::direct::Direct::new(setup).map(|d| Http::Direct(Arc::new(d)));
        }
        let mut b = reqwest::Client::builder()
            .user_agent(c.user_agent.clone())
            .connect_timeout(c.connect_timeout)
            .read_timeout(c.read_timeout)
            .pool_idle_timeout(Duration::from_secs(50))
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none());
        // Never reqwest's own reading of the environment: ours names its sources and redacts.
        b = b.no_proxy();
        if let Some(p) = &c.proxy {
            let proxy = reqwest::Proxy::all(p.expose())
                .map_err(|e| Error::config("proxy", "is not a valid proxy URL").with_source(e))?;
            b = b.proxy(proxy);
        } else {
            for proxy in c.env_proxies.reqwest()? {
                b = b.proxy(proxy);
            }
        }
        b = b.tls_backend_preconfigured(self.tls()?);
        b.build().map(Http::Proxied).map_err(|e| {
            Error::config(
                "http_client",
                "could not build the HTTP client (TLS or proxy setup)",
            )
            .with_source(e)
        })
    }

    /// A thread's own client: HTTP/1.1 written and read on that thread ([`crate::h1`]), or
    /// reqwest's when a proxy applies.
    fn build_here(&self) -> Result<Http> {
        match self.direct_setup()? {
            // A thread makes one call at a time.
            Some(setup) => Ok(Http::Here(Arc::new(crate::h1::Here::new(setup, 4)))),
            None => self.build_http(),
        }
    }

    /// The pooled client for this call: the process's (driven by the shared runtime), or this
    /// thread's when the thread drives its own calls.
    pub fn http(&self) -> Result<Http> {
        let pid = crate::runtime::pid();
        if crate::runtime::driving_here() {
            let mut here = self.here.lock().unwrap_or_else(|p| p.into_inner());
            let slot = here.entry(std::thread::current().id());
            return match slot {
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    if o.get().0 != pid {
                        let fresh = (pid, self.build_here()?);
                        std::mem::forget(std::mem::replace(o.get_mut(), fresh));
                    }
                    Ok(o.get().1.clone())
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    Ok(v.insert((pid, self.build_here()?)).1.clone())
                }
            };
        }
        let mut slot = self.http.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((p, client)) = slot.as_ref() {
            if *p == pid {
                return Ok(client.clone());
            }
        }
        if let Some((_, inherited)) = slot.take() {
            // Its pool holds the parent's sockets and tasks of the parent's runtime.
            std::mem::forget(inherited);
        }
        let client = self.build_http()?;
        *slot = Some((pid, client.clone()));
        Ok(client)
    }

    /// Local time corrected by the offset learned from the server.
    pub fn now(&self) -> SystemTime {
        crate::signer::shift(SystemTime::now(), self.clock_offset.load(Ordering::Relaxed))
    }

    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }

    /// Records the server's clock.
    pub fn learn_clock(&self, server: SystemTime) {
        let off = match server.duration_since(SystemTime::now()) {
            Ok(ahead) => ahead.as_secs() as i64,
            Err(behind) => -(behind.duration().as_secs() as i64),
        };
        self.clock_offset.store(off, Ordering::Relaxed);
    }

    /// Waits for the client-side rate limit of `op`, if one is configured.
    pub async fn throttle(&self, op: &str) -> Result<()> {
        let per_second = self
            .config
            .rate_limits
            .get(op)
            .copied()
            .or(self.config.rate_limit);
        let Some(per_second) = per_second else {
            return Ok(());
        };
        let limiter = {
            let mut map = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
            match map.get(op) {
                Some(l) => l.clone(),
                None => {
                    let quota = quota(per_second).ok_or_else(|| {
                        Error::config(
                            format!("rate_limits.{op}"),
                            "must be a positive number of requests per second, at least one a day",
                        )
                    })?;
                    let l = Arc::new(RateLimiter::direct(quota));
                    map.insert(op.to_owned(), l.clone());
                    l
                }
            }
        };
        limiter.until_ready().await;
        Ok(())
    }

    /// Sends once. Transport failures say whether the request may have reached the server.
    /// `read`: an idempotent request, which a direct client sends on [`crate::h1`] (state
    /// changes keep hyper-util's client, h2 included).
    pub async fn send(
        &self,
        req: &Outgoing,
        auth_headers: &[(&str, String)],
        timeout: Duration,
        read: bool,
    ) -> Result<Incoming> {
        let http = match self.http()? {
            Http::Direct(direct) if read => {
                return direct.reads.send(req, auth_headers, timeout).await
            }
            Http::Direct(direct) => return direct.send(req, auth_headers, timeout).await,
            Http::Here(here) => return here.send(req, auth_headers, timeout).await,
            Http::Proxied(http) => http,
        };
        let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
            .expect("static method names are valid");
        let mut rb = http.request(method, &req.url).timeout(timeout);
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        for (k, v) in auth_headers {
            rb = rb.header(*k, header_value(k, v)?);
        }
        if !req.body.is_empty() {
            rb = rb.body(req.body.clone());
        }
        let resp = rb.send().await.map_err(classify)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(|e| {
            let mut err = classify(e);
            // Headers arrived, so the server processed the request; only the body was lost.
            err.set_dispatch(Dispatch::MaybeSent);
            err.with_status(status)
        })?;
        Ok(Incoming {
            status,
            headers,
            body,
        })
    }
}

/// Maps a reqwest failure to our kinds. A connect failure (refused, DNS, TLS handshake, connect
/// timeout) happens before any request byte is written: the request was not sent.
fn classify(e: reqwest::Error) -> Error {
    let (kind, dispatch, msg) = if e.is_connect() {
        let what = if e.is_timeout() {
            "connecting timed out"
        } else {
            "could not connect"
        };
        (ErrorKind::Connect, Dispatch::NotSent, what)
    } else if e.is_timeout() {
        (
            ErrorKind::Timeout,
            Dispatch::MaybeSent,
            "no response in time",
        )
    } else if e.is_builder() {
        (
            ErrorKind::InvalidArgument,
            Dispatch::NotSent,
            "the request could not be built",
        )
    } else {
        (
            ErrorKind::Connect,
            Dispatch::MaybeSent,
            "the connection failed after the request was sent",
        )
    };
    let detail = std::error::Error::source(&e)
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    Error::new(kind, dispatch, format!("{msg}{detail}")).with_source(e)
}
