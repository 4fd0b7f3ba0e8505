"""A small real HTTP server on a loopback address that records every request it receives.

Routes: /status/N (answers N), /slow (waits ``slow`` seconds), /delay (waits ``delay`` seconds),
/redirect/N (N more redirects, then 200), /to?u=URL (302 to URL), /cookie (sets a cookie),
/nohead (405 to HEAD, 200 to GET); anything else 200.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    headers: dict


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def _answer(self, method: str) -> None:
        srv = self.server
        with srv.lock:
            srv.seen.append(Seen(method, self.path, dict(self.headers)))
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        parts = urlsplit(self.path)
        path, status, headers = parts.path, 200, {}
        try:
            if path.startswith("/status/"):
                status = int(path.rsplit("/", 1)[1])
            elif path == "/slow":
                time.sleep(srv.slow)
            elif path == "/delay":
                time.sleep(srv.delay)
            elif path.startswith("/redirect/"):
                n = int(path.rsplit("/", 1)[1])
                if n > 0:
                    status, headers = 302, {"Location": f"/redirect/{n - 1}"}
            elif path == "/to":
                status, headers = 302, {"Location": parse_qs(parts.query)["u"][0]}
            elif path == "/cookie":
                headers = {"Set-Cookie": "session=s3cret; Path=/"}
            elif path == "/nohead" and method == "HEAD":
                status = 405
        finally:
            with srv.lock:  # before answering: a client cannot overlap a request it has not been answered
                srv.active -= 1
        body = b"" if method == "HEAD" else f"{status}".encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if method != "HEAD" else 2))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        self._answer("GET")

    def do_HEAD(self):
        self._answer("HEAD")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, family):
        self.address_family = family
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.active = self.max_active = self.connections = 0
        self.slow, self.delay = 3.0, 0.05
        super().__init__(addr, _Handler)

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # also take IPv4 (::ffff:…)
        super().server_bind()


class LinkServer:
    """``LinkServer("127.0.0.1")``, or ``LinkServer("::")`` for IPv6 and IPv4 on one port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.httpd = _Server((host, port), family)
        self.port = self.httpd.server_address[1]
        self.host = host
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("::", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}"

    @property
    def seen(self) -> list[Seen]:
        return list(self.httpd.seen)

    def reset(self) -> None:
        deadline = time.time() + 5
        while self.httpd.active and time.time() < deadline:  # a slow answer from an earlier test
            time.sleep(0.02)
        with self.httpd.lock:
            self.httpd.seen.clear()
            self.httpd.max_active = self.httpd.connections = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
