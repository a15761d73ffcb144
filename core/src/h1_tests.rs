//! The exchange against scripted local servers: framing, keep-alive and a connection the server
//! closed while idle, and how each failure is classified (not sent / may have been sent).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use super::Here;
use crate::direct::Setup;
use crate::error::{Dispatch, ErrorKind};
use crate::operation::Method;
use crate::transport::{Incoming, Outgoing};

fn here(read_timeout: Duration) -> Here {
    let setup = Setup {
        tls: crate::tls::accepting_any().unwrap(),
        user_agent: "hcpartner-test".into(),
        connect_timeout: Duration::from_secs(2),
        read_timeout,
    };
    Here::new(setup, 4)
}

fn post(port: u16, headers: &[(&str, &str)]) -> Outgoing {
    Outgoing {
        method: Method::Post,
        url: format!("http://127.0.0.1:{port}/v2/things?x=1"),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        body: br#"{"a":1}"#.to_vec(),
    }
}

/// As the faces call it: on this thread's own runtime.
fn send(h: &Here, req: &Outgoing) -> crate::Result<Incoming> {
    let auth = [("Authorization", "SDK-HMAC-SHA256 x".to_owned())];
    crate::runtime::block_on_here(h.send(req, &auth, Duration::from_secs(5))).unwrap()
}

/// One request read off `s`: its head, then its Content-Length body.
fn read_request(s: &mut BufReader<TcpStream>) -> Option<String> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if s.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |n| n.trim().parse().unwrap());
    let mut body = vec![0; len];
    s.read_exact(&mut body).ok()?;
    Some(head + &String::from_utf8(body).unwrap())
}

/// A server whose `script` gets each connection (its number, from 0) and reports the requests
/// it read on the returned channel.
fn serve(
    script: impl Fn(usize, &mut BufReader<TcpStream>, &mpsc::Sender<String>) + Send + 'static,
) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (n, sock) in listener.incoming().enumerate() {
            let mut s = BufReader::new(sock.unwrap());
            script(n, &mut s, &tx);
        }
    });
    (port, rx)
}

fn answer(s: &mut BufReader<TcpStream>, text: &str) {
    s.get_mut().write_all(text.as_bytes()).unwrap();
}

#[test]
fn content_length_answers_share_one_connection() {
    let (port, seen) = serve(|n, s, tx| {
        while let Some(r) = read_request(s) {
            tx.send(format!("conn {n}: {r}")).unwrap();
            answer(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nX-Request-Id: r1\r\n\r\n{\"k\":1}",
            );
        }
    });
    let h = here(Duration::from_secs(5));
    for _ in 0..3 {
        let r = send(&h, &post(port, &[("Content-Type", "application/json")])).unwrap();
        assert_eq!((r.status, &r.body[..]), (200, &b"{\"k\":1}"[..]));
        assert_eq!(r.request_id().as_deref(), Some("r1"));
    }
    let first = seen.recv().unwrap();
    assert!(
        first.starts_with("conn 0: POST /v2/things?x=1 HTTP/1.1\r\n"),
        "{first}"
    );
    for line in [
        "Content-Type: application/json",
        "Authorization: SDK-HMAC-SHA256 x",
        &format!("Host: 127.0.0.1:{port}"),
        "User-Agent: hcpartner-test",
        "Content-Length: 7",
    ] {
        assert!(first.contains(&format!("{line}\r\n")), "{line} in {first}");
    }
    assert!(first.ends_with("\r\n\r\n{\"a\":1}"), "{first}");
    assert!(seen.recv().unwrap().starts_with("conn 0:"));
    assert!(seen.recv().unwrap().starts_with("conn 0:"), "kept alive");
}

#[test]
fn chunked_answers_are_joined_and_keep_the_connection() {
    let (port, seen) = serve(|n, s, tx| {
        while let Some(r) = read_request(s) {
            tx.send(format!("conn {n}: {r}")).unwrap();
            // 100 Continue first, two chunks (one with an extension), a trailer.
            answer(s, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            answer(
                s,
                "3;ext=1\r\n{\"k\r\n4\r\n\":2}\r\n0\r\nX-Trailer: t\r\n\r\n",
            );
        }
    });
    let h = here(Duration::from_secs(5));
    for _ in 0..2 {
        let r = send(&h, &post(port, &[])).unwrap();
        assert_eq!((r.status, &r.body[..]), (200, &b"{\"k\":2}"[..]));
    }
    assert!(seen.recv().unwrap().starts_with("conn 0:"));
    assert!(seen.recv().unwrap().starts_with("conn 0:"), "kept alive");
}

#[test]
fn an_answer_without_a_length_ends_with_the_connection() {
    let (port, seen) = serve(|n, s, tx| {
        if read_request(s).is_some() {
            tx.send(format!("conn {n}")).unwrap();
            answer(s, "HTTP/1.1 503 Busy\r\n\r\nno length: until the close");
        }
    });
    let h = here(Duration::from_secs(5));
    for _ in 0..2 {
        let r = send(&h, &post(port, &[])).unwrap();
        assert_eq!(
            (r.status, &r.body[..]),
            (503, &b"no length: until the close"[..])
        );
    }
    assert_eq!(seen.recv().unwrap(), "conn 0");
    assert_eq!(seen.recv().unwrap(), "conn 1", "not reused");
}

#[test]
fn a_connection_the_server_closed_while_idle_is_not_reused() {
    let (port, seen) = serve(|n, s, tx| {
        if let Some(r) = read_request(s) {
            tx.send(format!("conn {n}: {r}")).unwrap();
            // No "Connection: close": the client learns only from the socket.
            answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        }
    });
    let h = here(Duration::from_secs(5));
    send(&h, &post(port, &[])).unwrap();
    std::thread::sleep(Duration::from_millis(100)); // the server's close arrives
    send(&h, &post(port, &[])).unwrap();
    assert!(seen.recv().unwrap().starts_with("conn 0:"));
    assert!(
        seen.recv().unwrap().starts_with("conn 1:"),
        "a new connection"
    );
}

#[test]
fn failures_say_whether_the_request_may_have_arrived() {
    // Nobody listening: not sent.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let h = here(Duration::from_millis(300));
    let e = send(&h, &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Connect, Dispatch::NotSent),
        "{e}"
    );

    // Read, never answered: timed out, may have been applied.
    let (port, _seen) = serve(|_, s, tx| {
        if let Some(r) = read_request(s) {
            tx.send(r).unwrap();
            std::thread::sleep(Duration::from_secs(2));
        }
    });
    let e = send(&h, &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Timeout, Dispatch::MaybeSent),
        "{e}"
    );

    // Read, then the connection dropped; then a head with half its body.
    let (port, _seen) = serve(|n, s, _| {
        if read_request(s).is_some() && n == 1 {
            answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"");
        }
    });
    let e = send(&h, &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Connect, Dispatch::MaybeSent),
        "{e}"
    );
    let e = send(&h, &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch(), e.status()),
        (ErrorKind::Connect, Dispatch::MaybeSent, Some(200)),
        "{e}"
    );

    // Garbage for a head.
    let (port, _seen) = serve(|_, s, _| {
        if read_request(s).is_some() {
            answer(s, "SMTP ready\r\n\r\n");
        }
    });
    let e = send(&h, &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Connect, Dispatch::MaybeSent),
        "{e}"
    );
}

#[test]
fn a_header_no_request_can_carry_is_refused_before_connecting() {
    let (port, seen) = serve(|n, s, tx| {
        if read_request(s).is_some() {
            tx.send(format!("conn {n}")).unwrap();
        }
    });
    let h = here(Duration::from_secs(1));
    for (name, value) in [
        ("X-Note", "a\r\nInjected: 1"),
        ("Bad Name", "v"),
        ("X-Nul", "a\0b"),
    ] {
        let e = send(&h, &post(port, &[(name, value)])).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some(name)),
            "{e}"
        );
    }
    assert!(
        seen.recv_timeout(Duration::from_millis(200)).is_err(),
        "nothing was sent"
    );
}

#[test]
fn a_connection_is_reused_only_by_the_runtime_it_was_made_on() {
    let (port, seen) = serve(|n, s, tx| {
        while let Some(r) = read_request(s) {
            tx.send(format!("conn {n}: {r}")).unwrap();
            answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        }
    });
    let h = here(Duration::from_secs(5));
    let auth = [("Authorization", "x".to_owned())];
    let on = |rt: &tokio::runtime::Runtime| {
        rt.block_on(h.send(&post(port, &[]), &auth, Duration::from_secs(5)))
            .unwrap()
    };
    let first = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    on(&first);
    on(&first);
    drop(first); // its reactor is gone with it, and with it the kept connection's
    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    on(&second);
    let conns: Vec<String> = (0..3)
        .map(|_| seen.recv().unwrap()[..6].to_owned())
        .collect();
    assert_eq!(conns, ["conn 0", "conn 0", "conn 1"]);
}

#[test]
fn a_huge_announced_length_is_not_allocated_up_front() {
    let (port, _seen) = serve(|_, s, _| {
        if read_request(s).is_some() {
            answer(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n{}",
            );
        } // then closes: the body never comes
    });
    let e = send(&here(Duration::from_secs(2)), &post(port, &[])).unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Connect, Some(200)),
        "{e}"
    );
}

#[test]
fn the_request_line_is_the_signed_path_and_query() {
    let (port, seen) = serve(|_, s, tx| {
        while let Some(r) = read_request(s) {
            tx.send(r.lines().next().unwrap().to_owned()).unwrap();
            answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        }
    });
    let h = here(Duration::from_secs(5));
    for url in [
        "http://127.0.0.1:{port}?x=1#frag",
        "http://127.0.0.1:{port}",
    ] {
        let mut req = post(port, &[]);
        req.url = url.replace("{port}", &port.to_string());
        send(&h, &req).unwrap();
    }
    assert_eq!(
        seen.recv().unwrap(),
        "POST /?x=1 HTTP/1.1",
        "a path where the URL has none"
    );
    assert_eq!(seen.recv().unwrap(), "POST / HTTP/1.1");
}
