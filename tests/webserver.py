"""A real HTTP server on loopback that serves tests/data/web and a few misbehaving routes.

Tests never touch the internet; fetch() is exercised against this instead, over real sockets.
"""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).parent / "data" / "web"
TYPES = {".xml": "application/rss+xml", ".json": "application/feed+json", ".html": "text/html",
         ".opml": "text/x-opml"}  # fmt: skip


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    flaky_seen: set[str] = set()

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802  (http.server's naming)
        path = self.path.split("?")[0]
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        route = getattr(self, "route_" + path.strip("/").replace("-", "_").replace(".", "_"), None)
        if route:
            return route()
        if path.startswith("/images/"):  # made by tests/images.py, served as image/* whatever
            from tests.images import GENERATED

            make = GENERATED.get(path.removeprefix("/images/"))
            if make is None:
                return self.send_error(404, "Not Found")
            return self.send(make(), "image/" + path.rsplit(".", 1)[-1])
        file = WEB / path.lstrip("/")
        if not file.is_file():
            return self.send_error(404, "Not Found")
        body = file.read_bytes()
        etag = f'"{len(body)}-{file.stat().st_mtime_ns}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            return self.end_headers()
        self.send(body, TYPES.get(file.suffix, "application/octet-stream"), etag=etag)

    def send(self, body: bytes, content_type: str, *, etag: str = "", gzipped: bool = False):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_redirect(self):
        self.send_response(301)
        self.send_header("Location", "/rss.xml")
        self.end_headers()

    def route_loop(self):
        self.send_response(302)
        self.send_header("Location", "/loop")
        self.end_headers()

    def route_to_private(self):
        self.send_response(302)
        self.send_header("Location", "http://10.0.0.1/secret")
        self.end_headers()

    def route_slow(self):
        time.sleep(3)
        self.send(b"<rss/>", "application/rss+xml")

    def route_huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        chunk = b"<!-- " + b"x" * 65536 + b" -->"
        try:
            for _ in range(400):  # about 26 MB, past every limit
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route_gzip_rss(self):
        self.send(
            gzip.compress((WEB / "rss.xml").read_bytes()), "application/rss+xml", gzipped=True
        )

    def route_gzip_bomb(self):
        self.send(gzip.compress(b"\0" * (64 * 1024 * 1024)), "application/rss+xml", gzipped=True)

    def route_malformed_xml(self):
        self.send(b"{ this is neither XML nor JSON ]", "application/rss+xml")

    def route_flaky_image_png(self):
        """Down at first (a 503), then up: for retries (counted per address, query and all)."""
        if self.path not in Handler.flaky_seen:
            Handler.flaky_seen.add(self.path)
            return self.send_error(503, "Service Unavailable")
        from tests.images import picture

        self.send(picture("PNG", colour=(200, 10, 10)), "image/png")

    def route_error(self):
        self.send_error(500, "Internal Server Error")


class LocalWeb:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
