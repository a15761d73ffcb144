//! A scriptable HTTP/1.1 server on 127.0.0.1 for the retry and auth tests: it records every
//! request it reads, answers as the test's handler says, and can hang up or stall on purpose.
#![allow(dead_code)]

pub mod sample;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

pub enum Action {
    Reply(u16, Vec<(String, String)>, String),
    /// Read the request, then close the connection without answering.
    Hangup,
    /// Wait, then act.
    Sleep(Duration, Box<Action>),
}

pub fn json(status: u16, body: serde_json::Value) -> Action {
    Action::Reply(
        status,
        vec![("X-Request-Id".into(), format!("req-{status}"))],
        body.to_string(),
    )
}

pub fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Action {
    Action::Reply(
        status,
        headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body.to_owned(),
    )
}

type Handler = dyn Fn(&Recorded, usize) -> Action + Send + Sync;

pub struct Server {
    pub url: String,
    pub hits: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts on a free loopback port. `handler(request, n)` gets the 1-based count of requests
    /// seen so far for the same path.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Action + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let h2 = hits.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(sock, handler.clone(), h2.clone()));
            }
        });
        Server { url, hits }
    }

    pub fn count(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }
    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let method = first.next()?.to_owned();
            let target = first.next()?.to_owned();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| {
                    l.split_once(':')
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                })
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let mut chunk = [0u8; 8192];
                let n = sock.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end + 4..end + 4 + len].to_vec();
            buf.drain(..end + 4 + len);
            let (path, query) = target
                .split_once('?')
                .map_or((target.clone(), String::new()), |(p, q)| {
                    (p.to_owned(), q.to_owned())
                });
            return Some(Recorded {
                method,
                path,
                query,
                headers,
                body,
            });
        }
        let mut chunk = [0u8; 8192];
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn serve(mut sock: TcpStream, handler: Arc<Handler>, hits: Arc<Mutex<Vec<Recorded>>>) {
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut sock, &mut buf).await {
        let n = {
            let mut h = hits.lock().unwrap();
            h.push(req.clone());
            h.iter().filter(|r| r.path == req.path).count()
        };
        let mut action = handler(&req, n);
        loop {
            match action {
                Action::Sleep(d, next) => {
                    tokio::time::sleep(d).await;
                    action = *next;
                }
                Action::Hangup => return,
                Action::Reply(status, headers, body) => {
                    let mut out =
                        format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("date")) {
                        out.push_str(&format!(
                            "Date: {}\r\n",
                            httpdate::fmt_http_date(std::time::SystemTime::now())
                        ));
                    }
                    for (k, v) in headers {
                        out.push_str(&format!("{k}: {v}\r\n"));
                    }
                    out.push_str("\r\n");
                    out.push_str(&body);
                    if sock.write_all(out.as_bytes()).await.is_err() {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

/// Checks an AK/SK signature the way a gateway would: re-sign what arrived with the headers the
/// client said it signed, at the X-Sdk-Date it sent.
pub fn verify_signature(r: &Recorded, ak: &str, sk: &str) -> bool {
    let Some(auth) = r.header("Authorization") else {
        return false;
    };
    let Some(signed) = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
    else {
        return false;
    };
    let names: Vec<&str> = signed.split(';').collect();
    let headers: Vec<(&str, &str)> = r
        .headers
        .iter()
        .filter(|(k, _)| names.iter().any(|n| n.eq_ignore_ascii_case(k)))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let url = if r.query.is_empty() {
        format!("http://h{}", r.path)
    } else {
        format!("http://h{}?{}", r.path, r.query)
    };
    let key = hcpartner::signer::SigningKey {
        ak,
        sk,
        security_token: None,
        domain_id: None,
    };
    let Ok(s) = hcpartner::signer::sign_at(
        &r.method,
        &url,
        &headers,
        &r.body,
        &key,
        std::time::SystemTime::now(),
    ) else {
        return false;
    };
    s.header("Authorization") == Some(auth)
}
