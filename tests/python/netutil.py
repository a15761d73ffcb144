"""Local network helpers for the tests (all on 127.0.0.1): a forward proxy that counts what passes
through it (plain HTTP requests in absolute form, and CONNECT tunnels), a TLS terminator in
front of the emulator with a certificate from a throwaway CA, and a server that records the
requests it gets."""

from __future__ import annotations

import base64
import http.client
import http.server
import select
import socket
import socketserver
import ssl
import threading
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailers",
              "transfer-encoding", "upgrade"}


def _pipe(a: socket.socket, b: socket.socket) -> None:
    socks = [a, b]
    try:
        while True:
            readable, _, _ = select.select(socks, [], [], 10)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return


class Proxy:
    """A forward proxy on 127.0.0.1. ``requests``: (method, url) of every plain request;
    ``tunnels``: the ``host:port`` of every CONNECT. With ``auth`` ("user:password"), a request
    without those credentials gets 407."""

    def __init__(self, auth: Optional[str] = None) -> None:
        self.requests: List[Tuple[str, str]] = []
        self.tunnels: List[str] = []
        self.headers: List[Dict[str, str]] = []
        self.refused = 0
        proxy = self
        expected = None if auth is None else "Basic " + base64.b64encode(auth.encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _authorized(self) -> bool:
                if expected is None or self.headers.get("Proxy-Authorization") == expected:
                    return True
                proxy.refused += 1
                self.send_response(407)
                self.send_header("Proxy-Authenticate", 'Basic realm="test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return False

            def do_CONNECT(self) -> None:
                if not self._authorized():
                    return
                proxy.tunnels.append(self.path)
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=10)
                self.send_response(200, "Connection established")
                self.end_headers()
                _pipe(self.connection, upstream)
                upstream.close()
                self.close_connection = True

            def _forward(self) -> None:
                if not self._authorized():
                    return
                proxy.requests.append((self.command, self.path))
                proxy.headers.append({k: v for k, v in self.headers.items()})
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
                path = url.path + (f"?{url.query}" if url.query else "")
                conn.request(self.command, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status, resp.reason)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TlsFront:
    """TLS on 127.0.0.1 in front of ``target`` (host, port), with a certificate for 127.0.0.1 and
    localhost from a throwaway CA; ``ca_pem`` is that CA's certificate file."""

    def __init__(self, target: Tuple[str, int], ca_pem: str) -> None:
        import trustme

        ca = trustme.CA()
        ca.cert_pem.write_to_path(ca_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.handshakes = 0
        front = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    tls = context.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError):
                    return  # a client that does not trust the certificate
                front.handshakes += 1
                upstream = socket.create_connection(target, timeout=10)
                _pipe(tls, upstream)
                upstream.close()
                tls.close()

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Recorder:
    """An HTTP server that answers ``{}`` to everything and keeps each request's headers."""

    def __init__(self, body: bytes = b"{}") -> None:
        self.seen: List[Dict[str, str]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.seen.append({k: v for k, v in self.headers.items()})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Request-Id", f"rec-{len(recorder.seen)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def target_of(url: str) -> Tuple[str, int]:
    u = urlsplit(url)
    return u.hostname or "127.0.0.1", u.port or 80

