//! The benchmark server: HTTP/1.1 with keep-alive on 127.0.0.1, answering every request with one
//! fixed body (a realistic ListSubCustomers answer, benches/fixtures/), so a bench measures the
//! client, not a server. A thread per connection, blocking I/O: the least work per request.
//!
//! `static-server [--port N] [--body FILE]` prints `http://127.0.0.1:PORT` on its first line and
//! serves until stdin closes (so a bench script that dies takes it along).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

fn serve(stream: TcpStream, response: Arc<Vec<u8>>) {
    let _ = stream.set_nodelay(true);
    let Ok(write) = stream.try_clone() else {
        return;
    };
    let mut write = write;
    let mut reader = BufReader::with_capacity(16 * 1024, stream);
    let mut line = String::new();
    loop {
        // Headers: find Content-Length, stop at the blank line.
        let mut length = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() || write.write_all(&response).is_err() {
            return;
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut port, mut body_file) = (0u16, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or(0),
            "--body" => body_file = args.next(),
            other => panic!("unknown argument {other}"),
        }
    }
    let body = match body_file {
        Some(f) => std::fs::read(f).expect("the body file"),
        None => include_bytes!("../../fixtures/list_sub_customers.json").to_vec(),
    };
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\n\
         X-Request-Id: 0123456789abcdef0123456789abcdef\r\nConnection: keep-alive\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response = Arc::new(response);
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
    println!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(|| {
        // Serve until stdin closes.
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    for stream in listener.incoming().flatten() {
        let response = response.clone();
        std::thread::spawn(move || serve(stream, response));
    }
}
