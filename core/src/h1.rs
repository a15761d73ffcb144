//! HTTP/1.1 for reads: the request is written and the answer read by the calling task itself,
//! on tokio sockets (rustls for https), over connections kept alive in a small pool. A thread
//! that drives its own calls ([`crate::runtime::block_on_here`]: the blocking faces, Python sync
//! and C) has a pool of its own; the shared runtime's reads (Node, asyncio, Rust) share one per
//! client, each connection reused only on the runtime it was made on. hyper-util's client, which
//! state changes keep (h2 included), hands each request to a connection task through channels
//! and looks the connection up in a pool keyed by a hashed authority: 20K instructions and two
//! system calls of a blocking read's 97K and seven, and on the shared runtime the wake-ups of a
//! second task (docs/performance.md). No proxy here: a proxied client uses reqwest throughout.
//!
//! Timeouts as [`crate::direct`]'s: the attempt's deadline bounds the exchange, the read timeout
//! every wait for bytes, the connect timeout the connect (and TLS handshake).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::direct::{timed_out, Setup};
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::Method;
use crate::transport::{Incoming, Outgoing};

/// Longer idle than this and a kept-alive connection is closed rather than reused (hyper-util's
/// pool uses the same 50 s: servers commonly close at 60).
const IDLE: Duration = Duration::from_secs(50);
/// A response head larger than this is refused.
const MAX_HEAD: usize = 64 * 1024;
/// A body's buffer is reserved up to this much before its bytes arrive.
const PREALLOCATE: usize = 4 * 1024 * 1024;

trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

struct Conn {
    key: Key,
    io: Box<dyn Stream>,
    /// The socket under `io`, to see whether the server closed it while it was idle.
    fd: std::os::fd::RawFd,
    /// The runtime whose reactor the socket is registered with: another cannot drive it.
    runtime: Option<tokio::runtime::Id>,
    idle_since: std::time::Instant,
}

#[derive(Clone, PartialEq, Eq)]
struct Key {
    https: bool,
    authority: String,
}

pub(crate) struct Here {
    tls: tokio_rustls::TlsConnector,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    idle: Mutex<Vec<Conn>>,
    /// Idle connections kept at most.
    keep: usize,
}

/// Where a request goes, from its URL (split as the signer splits it, so what is signed is what
/// is sent).
struct Target<'a> {
    key: Key,
    host: &'a str,
    port: u16,
    url: crate::signer::UrlParts<'a>,
}

impl<'a> Target<'a> {
    fn parse(url: &'a str) -> Result<Target<'a>> {
        let bad = || Error::invalid_argument("url", "is not a URL an HTTP request can be sent to");
        let parts = crate::signer::UrlParts::parse(url)?;
        let authority = parts.host;
        if authority.contains('@') {
            return Err(bad());
        }
        let https = url.starts_with("https://");
        // host, [v6], host:port or [v6]:port
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => (
                &authority[..i],
                authority[i + 1..].parse().map_err(|_| bad())?,
            ),
            _ => (authority, if https { 443 } else { 80 }),
        };
        Ok(Target {
            key: Key {
                https,
                authority: authority.to_owned(),
            },
            host: host.trim_start_matches('[').trim_end_matches(']'),
            port,
            url: parts,
        })
    }
}

impl Here {
    /// `keep`: idle connections kept (a thread makes one call at a time; a shared runtime many).
    pub fn new(mut s: Setup, keep: usize) -> Here {
        s.tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Here {
            tls: tokio_rustls::TlsConnector::from(Arc::new(s.tls)),
            user_agent: s.user_agent,
            connect_timeout: s.connect_timeout,
            read_timeout: s.read_timeout,
            idle: Mutex::new(Vec::new()),
            keep,
        }
    }

    /// Sends once. Failures say whether the request may have reached the server.
    pub async fn send(
        &self,
        req: &Outgoing,
        auth_headers: &[(&str, String)],
        timeout: Duration,
    ) -> Result<Incoming> {
        let deadline = Instant::now() + timeout;
        let target = Target::parse(&req.url)?;
        // Wiped when dropped, as the request's own body is: a token request carries a password.
        let wire = zeroize::Zeroizing::new(self.request_bytes(req, auth_headers, &target)?);
        let mut conn = match self.checkout(&target.key) {
            Some(c) => c,
            None => self.connect(&target, deadline).await?,
        };
        let wait = || deadline.min(Instant::now() + self.read_timeout);
        let written = async {
            conn.io.write_all(&wire).await?;
            conn.io.flush().await
        };
        match tokio::time::timeout_at(wait(), written).await {
            Err(_) => return Err(timed_out(None)),
            Ok(Err(e)) => {
                return Err(broken(
                    "the connection failed after the request was sent",
                    None,
                    e,
                ))
            }
            Ok(Ok(())) => {}
        }
        let (incoming, reusable) = read_response(&mut *conn.io, &wait).await?;
        if reusable {
            self.checkin(conn);
        }
        Ok(incoming)
    }

    fn request_bytes(
        &self,
        req: &Outgoing,
        auth_headers: &[(&str, String)],
        t: &Target<'_>,
    ) -> Result<Vec<u8>> {
        let mut w = Vec::with_capacity(512 + req.body.len());
        let (path, query) = (t.url.path, t.url.query);
        let question = if query.is_empty() { "" } else { "?" };
        for part in [
            req.method.as_str(),
            " ",
            path,
            question,
            query,
            " HTTP/1.1\r\n",
        ] {
            w.extend_from_slice(part.as_bytes());
        }
        let headers = req
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(auth_headers.iter().map(|(k, v)| (*k, v.as_str())));
        let mut has_host = false;
        for (k, v) in headers {
            has_host |= k.eq_ignore_ascii_case("host");
            push_header(&mut w, k, v)?;
        }
        if !has_host {
            push_header(&mut w, "Host", &t.key.authority)?;
        }
        push_header(&mut w, "User-Agent", &self.user_agent)?;
        let expects_body = matches!(req.method, Method::Post | Method::Put | Method::Patch);
        if expects_body || !req.body.is_empty() {
            push_header(&mut w, "Content-Length", &req.body.len().to_string())?;
        }
        w.extend_from_slice(b"\r\n");
        w.extend_from_slice(&req.body);
        Ok(w)
    }

    /// An idle connection to `key` the server has not closed, if there is one.
    fn checkout(&self, key: &Key) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(i) = idle.iter().rposition(|c| c.key == *key) {
            let c = idle.swap_remove(i);
            if c.runtime.is_some()
                && c.runtime == runtime_id()
                && c.idle_since.elapsed() < IDLE
                && still_open(c.fd)
            {
                return Some(c);
            }
        }
        None
    }

    fn checkin(&self, mut conn: Conn) {
        let now = std::time::Instant::now();
        conn.idle_since = now;
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        // One clock read for the whole pool (up to 64 on the shared runtime), not one each.
        idle.retain(|c| now.duration_since(c.idle_since) < IDLE);
        if idle.len() >= self.keep {
            idle.remove(0);
        }
        idle.push(conn);
    }

    /// A new connection. Every failure here is before any request byte: not sent.
    async fn connect(&self, t: &Target<'_>, deadline: Instant) -> Result<Conn> {
        use std::os::fd::AsRawFd;
        let until = deadline.min(Instant::now() + self.connect_timeout);
        let connected = async {
            let mut last = None;
            for addr in tokio::net::lookup_host((t.host, t.port)).await? {
                match TcpStream::connect(addr).await {
                    Ok(tcp) => {
                        tcp.set_nodelay(true)?;
                        return Ok(tcp);
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(last.unwrap_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "the host has no address")
            }))
        };
        let tcp = match tokio::time::timeout_at(until, connected).await {
            Err(_) => return Err(not_connected("connecting timed out", None)),
            Ok(Err(e)) => return Err(not_connected("could not connect", Some(e))),
            Ok(Ok(tcp)) => tcp,
        };
        let fd = tcp.as_raw_fd();
        let io: Box<dyn Stream> = if t.key.https {
            let name = rustls::pki_types::ServerName::try_from(t.host.to_owned())
                .map_err(|_| Error::invalid_argument("url", "has a host name TLS cannot verify"))?;
            match tokio::time::timeout_at(until, self.tls.connect(name, tcp)).await {
                Err(_) => return Err(not_connected("connecting timed out", None)),
                Ok(Err(e)) => return Err(not_connected("could not connect (TLS)", Some(e))),
                Ok(Ok(tls)) => Box::new(tls),
            }
        } else {
            Box::new(tcp)
        };
        Ok(Conn {
            key: t.key.clone(),
            io,
            fd,
            runtime: runtime_id(),
            idle_since: std::time::Instant::now(),
        })
    }
}

/// How the body of an answer ends.
enum Framing {
    None,
    Length(usize),
    Chunked,
    Close,
}

struct Head {
    status: u16,
    len: usize,
    headers: http::HeaderMap,
    framing: Framing,
    keep_alive: bool,
}

/// The answer to the request just written, and whether the connection can carry another.
pub(crate) async fn read_response(
    io: &mut (impl AsyncRead + Unpin + ?Sized),
    wait: &impl Fn() -> Instant,
) -> Result<(Incoming, bool)> {
    let mut buf: Vec<u8> = Vec::with_capacity(8 * 1024);
    let head = 'head: loop {
        if fill(io, &mut buf, wait, None).await? == 0 {
            return Err(closed_early(None));
        }
        while let Some(head) = parse_head(&buf)? {
            if !(100..200).contains(&head.status) {
                break 'head head;
            }
            buf.drain(..head.len); // 100 Continue and the like: the answer follows
        }
        if buf.len() > MAX_HEAD {
            return Err(protocol("a response head larger than 64 KiB", None));
        }
    };
    let status = Some(head.status);
    let (body, reusable) = match head.framing {
        Framing::None => (Bytes::new(), buf.len() == head.len),
        Framing::Length(n) => {
            let end = head
                .len
                .checked_add(n)
                .ok_or_else(|| protocol("a Content-Length too large", status))?;
            // Room for the body at once, up to a bound: a length is the server's word, not memory.
            buf.reserve(end.saturating_sub(buf.len()).min(PREALLOCATE));
            while buf.len() < end {
                if fill(io, &mut buf, wait, status).await? == 0 {
                    return Err(closed_early(status));
                }
            }
            let reusable = buf.len() == end;
            (Bytes::from(buf).slice(head.len..end), reusable)
        }
        Framing::Chunked => {
            let mut body = Vec::new();
            let mut at = head.len;
            loop {
                match httparse::parse_chunk_size(&buf[at..]) {
                    Err(_) => return Err(protocol("a malformed chunk", status)),
                    Ok(httparse::Status::Partial) => {}
                    Ok(httparse::Status::Complete((size_len, 0))) => {
                        // The last chunk, then trailers (ignored) up to an empty line.
                        let rest = &buf[at + size_len..];
                        if rest.starts_with(b"\r\n") {
                            break (Bytes::from(body), buf.len() == at + size_len + 2);
                        }
                        if let Some(i) = memchr::memmem::find(rest, b"\r\n\r\n") {
                            break (Bytes::from(body), buf.len() == at + size_len + i + 4);
                        }
                    }
                    Ok(httparse::Status::Complete((size_len, size))) => {
                        let start = at + size_len;
                        let end = usize::try_from(size)
                            .ok()
                            .and_then(|s| start.checked_add(s))
                            .ok_or_else(|| protocol("a chunk too large", status))?;
                        if buf.len() >= end.saturating_add(2) {
                            if &buf[end..end + 2] != b"\r\n" {
                                return Err(protocol("a malformed chunk", status));
                            }
                            body.extend_from_slice(&buf[start..end]);
                            at = end + 2;
                            continue;
                        }
                    }
                }
                if fill(io, &mut buf, wait, status).await? == 0 {
                    return Err(closed_early(status));
                }
            }
        }
        Framing::Close => {
            while fill(io, &mut buf, wait, status).await? > 0 {}
            (Bytes::from(buf).slice(head.len..), false)
        }
    };
    let incoming = Incoming {
        status: head.status,
        headers: head.headers,
        body,
    };
    Ok((incoming, reusable && head.keep_alive))
}

/// Reads what is there into `buf` (0: the server closed the connection).
async fn fill(
    io: &mut (impl AsyncRead + Unpin + ?Sized),
    buf: &mut Vec<u8>,
    wait: &impl Fn() -> Instant,
    status: Option<u16>,
) -> Result<usize> {
    if buf.capacity() - buf.len() < 4096 {
        buf.reserve(8 * 1024);
    }
    match tokio::time::timeout_at(wait(), io.read_buf(buf)).await {
        Err(_) => Err(timed_out(status)),
        Ok(Err(e)) => Err(broken(
            "the connection failed while the answer was read",
            status,
            e,
        )),
        Ok(Ok(n)) => Ok(n),
    }
}

/// The response head at the start of `buf`, once it is all there.
fn parse_head(buf: &[u8]) -> Result<Option<Head>> {
    let mut slots = [httparse::EMPTY_HEADER; 100];
    let mut r = httparse::Response::new(&mut slots);
    let len = match r.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(protocol(&format!("an invalid response head ({e})"), None)),
    };
    let status = r.code.unwrap_or(0);
    let mut headers = http::HeaderMap::with_capacity(r.headers.len());
    // HTTP/1.0 closes unless it says otherwise.
    let (mut length, mut coding, mut close) = (None, None, r.version == Some(0));
    for h in r.headers.iter() {
        let name = http::HeaderName::from_bytes(h.name.as_bytes())
            .map_err(|_| protocol("an invalid header name", Some(status)))?;
        let value = http::HeaderValue::from_bytes(h.value)
            .map_err(|_| protocol("an invalid header value", Some(status)))?;
        let text = value.to_str().unwrap_or_default();
        let has = |token: &str| {
            text.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        };
        if name == http::header::CONTENT_LENGTH {
            let n: usize = text
                .trim()
                .parse()
                .map_err(|_| protocol("an invalid Content-Length", Some(status)))?;
            if length.is_some_and(|l| l != n) {
                return Err(protocol("two different Content-Lengths", Some(status)));
            }
            length = Some(n);
        } else if name == http::header::TRANSFER_ENCODING {
            let last = text.rsplit(',').next().unwrap_or_default();
            coding = Some(last.trim().eq_ignore_ascii_case("chunked"));
        } else if name == http::header::CONNECTION && has("close") {
            close = true;
        } else if name == http::header::CONNECTION && has("keep-alive") {
            close = false;
        }
        headers.append(name, value);
    }
    // RFC 9112 6.3: no body for these; a transfer coding wins over a length; a coding other than
    // chunked, or neither, ends with the connection.
    let framing = match (coding, length) {
        _ if (100..200).contains(&status) || status == 204 || status == 304 => Framing::None,
        (Some(true), _) => Framing::Chunked,
        (Some(false), _) | (None, None) => Framing::Close,
        (None, Some(n)) => Framing::Length(n),
    };
    let keep_alive = !close && !matches!(framing, Framing::Close);
    Ok(Some(Head {
        status,
        len,
        headers,
        framing,
        keep_alive,
    }))
}

fn runtime_id() -> Option<tokio::runtime::Id> {
    tokio::runtime::Handle::try_current().ok().map(|h| h.id())
}

fn push_header(w: &mut Vec<u8>, name: &str, value: &str) -> Result<()> {
    crate::transport::check_header(name, value)?;
    for part in [name, ": ", value, "\r\n"] {
        w.extend_from_slice(part.as_bytes());
    }
    Ok(())
}

/// Whether the server has not closed an idle connection (nothing to read yet, no end of stream).
fn still_open(fd: std::os::fd::RawFd) -> bool {
    let mut byte = 0u8;
    // SAFETY: `fd` is the open socket of a connection this pool owns; recv writes at most one
    // byte into `byte` and MSG_PEEK leaves the stream as it is.
    #[allow(unsafe_code)]
    let n = unsafe {
        libc::recv(
            fd,
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock
}

fn with_status(e: Error, status: Option<u16>) -> Error {
    match status {
        Some(s) => e.with_status(s),
        None => e,
    }
}

fn not_connected(what: &str, e: Option<std::io::Error>) -> Error {
    let detail = e.as_ref().map(|e| format!(": {e}")).unwrap_or_default();
    let err = Error::new(
        ErrorKind::Connect,
        Dispatch::NotSent,
        format!("{what}{detail}"),
    );
    match e {
        Some(e) => err.with_source(e),
        None => err,
    }
}

/// A failure once the request may have been written: it may have reached the server.
fn broken(what: &str, status: Option<u16>, e: std::io::Error) -> Error {
    let err = Error::new(
        ErrorKind::Connect,
        Dispatch::MaybeSent,
        format!("{what}: {e}"),
    );
    with_status(err.with_source(e), status)
}

fn closed_early(status: Option<u16>) -> Error {
    let e = Error::new(
        ErrorKind::Connect,
        Dispatch::MaybeSent,
        "the connection closed before the whole answer arrived",
    );
    with_status(e, status)
}

fn protocol(what: &str, status: Option<u16>) -> Error {
    let e = Error::new(
        ErrorKind::Connect,
        Dispatch::MaybeSent,
        format!("the server sent {what}"),
    );
    with_status(e, status)
}

#[cfg(test)]
#[path = "h1_tests.rs"]
mod tests;
