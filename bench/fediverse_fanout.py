"""One post delivered to many fediverse followers spread over many servers (measured, not
asserted).

    .venv/bin/python bench/fediverse_fanout.py [--followers 1000] [--servers 100] [--seconds 10]
                                               [--no-shared-inbox]

`sitrep serve` and `sitrep worker` on the demo week (SQLite), with the fediverse on and the
given followers spread evenly over that many inbox servers on loopback (a process of their own,
one listening port each, taking every POST with 202 as a real server would before its queue).
With shared inboxes (the default, as Mastodon offers them) a server gets one delivery; without,
one per follower. Readers (four threads, the front page and the busy post in turn) are timed
for --seconds on the idle site, then from the moment a post is published until its last
delivery arrives. Printed: deliveries, time from publishing to the last one, how many carried a
signature, the worker's peak memory, and the readers' p50 and p99 idle and during the fan-out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from mail_digest import pct, timed_readers  # noqa: E402
from site_for_checks import SITREP, demo_site, free_port, serving  # noqa: E402

FOLLOWERS = """
from sitrep.fediverse import local
from sitrep.fediverse.models import Follower, RemoteActor, Server
local.site_actor()
ports = PORTS
servers = [Server.objects.create(host=f"127.0.0.1:{port}") for port in ports]
actors = RemoteActor.objects.bulk_create([
    RemoteActor(uri=f"http://{s.host}/users/u{n}", server=s, handle=f"@u{n}@{s.host}",
                inbox=f"http://{s.host}/users/u{n}/inbox",
                shared_inbox=f"http://{s.host}/inbox" if SHARED else "")
    for n in range(COUNT) for s in [servers[n % len(servers)]]])
Follower.objects.bulk_create([Follower(actor=a, follow_id=a.uri + "/follow") for a in actors])
print(Follower.objects.count())
"""

PUBLISH = """
import time
from sitrep.accounts.models import User
from sitrep.posts.services import ClipData, post_write
editor = User.objects.filter(posts__isnull=False).first()
post_write(post=None, author=editor, headline="Fan-out bench: ferry talks resume",
           clips=[ClipData(outlet_name="Harbour Ledger", source_headline="Talks resume",
                           url="https://ledger.example/talks", excerpt="Talks resumed.")],
           note="Measured.", labels=["Bench"], action="publish")
print(time.time())
"""


class Inbox(BaseHTTPRequestHandler):
    arrivals: list = []
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        signed = "Signature" in self.headers or "Signature-Input" in self.headers
        with Inbox.lock:
            Inbox.arrivals.append((time.time(), signed))
        self.send_response(202)
        self.end_headers()

    def do_GET(self):  # noqa: N802  (the bench asks how many arrived)
        with Inbox.lock:
            body = json.dumps({"count": len(Inbox.arrivals),
                               "last": max((t for t, _ in Inbox.arrivals), default=0),
                               "signed": sum(s for _, s in Inbox.arrivals)}).encode()  # fmt: skip
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


def inboxes(ports: list[int]) -> None:
    """The inbox servers' process: one listening port each, all in this process."""
    for port in ports:
        server = ThreadingHTTPServer(("127.0.0.1", port), Inbox)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-shared-inbox", action="store_true")
    parser.add_argument("--inboxes", help=argparse.SUPPRESS)  # the inbox servers' process
    args = parser.parse_args()
    if args.inboxes:
        return inboxes(json.loads(args.inboxes))
    ports = [free_port() for _ in range(args.servers)]
    servers = subprocess.Popen([sys.executable, __file__, "--inboxes", json.dumps(ports)],
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    servers.stdout.readline()
    data = tempfile.mkdtemp(prefix="sitrep-fanout-bench-")
    site_port = free_port()
    env = {**os.environ, "SITREP_DATA_DIR": data, "SITREP_SECRET_KEY": "fanout-bench",
           "SITREP_ENV_FILE": "", "SITREP_BACKUP_HOURS": "0", "SITREP_FEDIVERSE": "true",
           "SITREP_SITE_URL": f"http://127.0.0.1:{site_port}",
           "SITREP_FETCH_ALLOW_PRIVATE": "true", "SITREP_ACCESS_LOG": "false"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    post = demo_site(env)
    script = (FOLLOWERS.replace("PORTS", json.dumps(ports))
              .replace("COUNT", str(args.followers))
              .replace("SHARED", str(not args.no_shared_inbox)))  # fmt: skip
    made = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    worker = subprocess.Popen([SITREP, "worker", "--tick", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    expected = args.servers if not args.no_shared_inbox else args.followers
    try:
        with serving(env) as base:
            time.sleep(3)  # the worker's first round (its clock, a backup check) is done
            before = peak_mb(worker.pid)
            idle = timed_readers(base, post, args.seconds)
            published = {}

            def publish_and_wait():
                done = subprocess.run([SITREP, "shell", "-c", PUBLISH], env=env, check=True,
                                      capture_output=True, text=True)  # fmt: skip
                published["at"] = float(done.stdout.strip().splitlines()[-1])
                deadline = time.time() + 120
                while time.time() < deadline:
                    stats = _stats(ports[0])
                    if stats["count"] >= expected:
                        published["stats"] = stats
                        return
                    time.sleep(0.1)
                published["stats"] = _stats(ports[0])

            during = timed_readers(base, post, None, until=publish_and_wait)
            after = peak_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(30)
        servers.terminate()
    stats = published["stats"]
    shared = "shared inboxes" if not args.no_shared_inbox else "each follower's inbox"
    print(f"{made.stdout.strip().splitlines()[-1]} followers on {args.servers} servers "
          f"({shared}): {stats['count']} of {expected} deliveries arrived, "
          f"{stats['signed']} signed")  # fmt: skip
    print(f"  publish to last delivery: {stats['last'] - published['at']:.2f} s")
    print(f"  worker peak memory: {before:.0f} MB before, {after:.0f} MB after the fan-out")
    print(f"  readers idle:   {len(idle)} requests, p50 {pct(idle, .5):.1f} ms, "
          f"p99 {pct(idle, .99):.1f} ms")  # fmt: skip
    print(
        f"  readers during: {len(during)} requests, p50 {pct(during, 0.5):.1f} ms, "
        f"p99 {pct(during, 0.99):.1f} ms (p99 ratio {pct(during, 0.99) / pct(idle, 0.99):.2f})"
    )


def _stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as answer:
        return json.loads(answer.read())


if __name__ == "__main__":
    main()
