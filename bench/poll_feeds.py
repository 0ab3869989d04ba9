"""Polling many feeds at once: time and peak memory, measured (not asserted).

    .venv/bin/python bench/poll_feeds.py --feeds 1000 --items 50

Serves N generated RSS feeds of M items each from a threaded HTTP server on loopback (with
ETags), subscribes a throwaway SQLite site to all of them, then polls every feed twice through
feeds_poll_due: the first poll stores N x M items; the second finds nothing changed (304s).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_handler(items: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            n = int(self.path.strip("/").split("/")[-1].removesuffix(".xml"))
            etag = f'"feed-{n}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            entries = "".join(
                f"<item><title>Story {i} from source {n}: talks on the river</title>"
                f"<link>https://source{n}.example/story/{i}?utm_source=rss</link>"
                f"<guid>source{n}-story{i}</guid>"
                f"<pubDate>{formatdate(1_700_000_000 + i * 600, usegmt=True)}</pubDate>"
                f"<description>&lt;p&gt;Paragraph about story {i}, with a few words of "
                f"context from the wire.&lt;/p&gt;</description></item>"
                for i in range(items)
            )
            body = (
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>Source {n}</title>"
                f"<link>https://source{n}.example/</link>{entries}</channel></rss>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.items))
    server.daemon_threads = True
    server.request_queue_size = 256
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port

    os.environ.setdefault("SITREP_DATA_DIR", tempfile.mkdtemp(prefix="sitrep-poll-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from sitrep.curation.models import Feed, InboxItem
    from sitrep.curation.polling import feeds_poll_due

    Feed.objects.bulk_create(
        Feed(url=f"http://127.0.0.1:{port}/feeds/{n}.xml") for n in range(args.feeds)
    )
    print(f"database: {connection.vendor}; {args.feeds} feeds x {args.items} items, "
          f"{args.concurrency} at a time")  # fmt: skip
    for label in ("first poll (everything new)", "second poll (nothing changed: 304)"):
        started = time.perf_counter()
        results = feeds_poll_due(all_feeds=True, concurrency=args.concurrency)
        elapsed = time.perf_counter() - started
        errors = [r.error for r in results if r.error]
        print(
            f"{label}: {elapsed:.1f} s, {sum(r.new_items for r in results)} new items, "
            f"{sum(r.not_modified for r in results)} not modified, {len(errors)} errors"
            + (f" (first: {errors[0]})" if errors else "")
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"items stored: {InboxItem.objects.count()}; peak resident memory {peak:.0f} MB")
    server.shutdown()


if __name__ == "__main__":
    main()
