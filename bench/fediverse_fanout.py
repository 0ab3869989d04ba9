"""One post delivered to many fediverse followers spread over many servers (measured, not
asserted).

    .venv/bin/python bench/fediverse_fanout.py [--followers 1000] [--servers 100] [--seconds 10]
                                               [--no-shared-inbox]

`sitrep serve` and `sitrep worker` on the demo week (SQLite), with the fediverse on and the
given followers spread evenly over that many inbox servers on loopback (a process of their own
at the lowest priority, standing for other machines; one listening port each, taking every POST
with 202 as a real server would before its queue).
With shared inboxes (the default, as Mastodon offers them) a server gets one delivery; without,
one per follower. Readers (four threads, the front page and the busy post in turn) are timed
for --seconds on the idle site, then from the moment a post is published (by `sitrep shell`,
whose start-up is left out) until its last delivery arrives. Printed: deliveries, the time from
publishing to the first and the last, how many carried a signature, the worker's peak memory,
and the readers' p50 and p99 idle and during the fan-out.
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

from mail_digest import pct  # noqa: E402
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
from sitrep.fediverse.models import Follower
from sitrep.posts.services import ClipData, post_write
Follower.objects.update(state="STATE")
editor = User.objects.filter(posts__isnull=False).first()
started = time.time()  # deliveries may arrive before post_write's after-commit work is done
post_write(post=None, author=editor, headline="Fan-out bench: HEADLINE",
           clips=[ClipData(outlet_name="Harbour Ledger", source_headline="Talks resume",
                           url="https://ledger.example/talks", excerpt="Talks resumed.")],
           note="Measured.", labels=["Bench"], action="publish")
print(started)
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

    def do_GET(self):  # noqa: N802  (the bench asks how many arrived since a moment)
        since = float(self.path.partition("since=")[2] or 0)
        with Inbox.lock:
            arrived = [(t, s) for t, s in Inbox.arrivals if t >= since]
        times = [t for t, _ in arrived]
        body = json.dumps({"count": len(times), "first": min(times, default=0),
                           "last": max(times, default=0),
                           "signed": sum(s for _, s in arrived)}).encode()  # fmt: skip
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


def readers(base: str, post: str, until) -> list[tuple[float, float]]:
    """Four readers (the front page and the busy post in turn) until `until()` returns:
    (when each request started, how long it took)."""
    stop, samples = threading.Event(), []

    def read():
        paths, i = [base + "/", base + post], 0
        while not stop.is_set():
            started, clock = time.time(), time.perf_counter()
            with urllib.request.urlopen(paths[i % 2], timeout=30) as answer:
                answer.read()
            samples.append((started, time.perf_counter() - clock))
            i += 1

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    until()
    stop.set()
    for thread in threads:
        thread.join()
    return samples


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
    parser.add_argument("--window", type=float, default=3, help="seconds timed after publishing")
    parser.add_argument("--nice", type=int, default=0, help="the worker's niceness, as "
                        "deploy/sitrep-worker.service runs it (10)")  # fmt: skip
    parser.add_argument("--inboxes", help=argparse.SUPPRESS)  # the inbox servers' process
    args = parser.parse_args()
    if args.inboxes:
        return inboxes(json.loads(args.inboxes))
    ports = []
    while len(ports) < args.servers:  # a port the system gave once may come back
        port = free_port()
        if port not in ports:
            ports.append(port)
    # The inbox servers stand for other machines: at the lowest priority, they take from the
    # readers only what this machine has spare.
    servers = subprocess.Popen(["nice", "-n", "19", sys.executable, __file__, "--inboxes",
                                json.dumps(ports)], stdout=subprocess.PIPE, text=True)  # fmt: skip
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
    nice = ["nice", "-n", str(args.nice)] if args.nice else []
    worker = subprocess.Popen([*nice, SITREP, "worker", "--tick", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    expected = args.servers if not args.no_shared_inbox else args.followers
    try:
        with serving(env) as base:
            time.sleep(3)  # the worker's first round (its clock, a backup check) is done
            before = peak_mb(worker.pid)
            idle = sorted(t for _, t in readers(base, post, lambda: time.sleep(args.seconds)))
            # The same publishing with every follower held back: what readers feel from a new
            # post alone (each page is made again once), to set the fan-out's cost apart.
            quiet = publish_and_time(base, post, env, ports, "pending", 0, args.window)
            time.sleep(5)  # its own (empty) sending done before followers are let back in
            loud = publish_and_time(base, post, env, ports, "accepted", expected, args.window)
            after = peak_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(30)
        servers.terminate()
    stats, published_at, during = loud
    shared = "shared inboxes" if not args.no_shared_inbox else "each follower's inbox"
    print(f"{made.stdout.strip().splitlines()[-1]} followers on {args.servers} servers "
          f"({shared}): {stats['count']} of {expected} deliveries arrived, "
          f"{stats['signed']} signed")  # fmt: skip
    print(f"  publish to first delivery: {stats['first'] - published_at:.2f} s, "
          f"to the last: {stats['last'] - published_at:.2f} s")  # fmt: skip
    print(f"  worker peak memory: {before:.0f} MB before, {after:.0f} MB after the fan-out")
    print(f"  readers idle:   {len(idle)} requests, p50 {pct(idle, .5):.1f} ms, "
          f"p99 {pct(idle, .99):.1f} ms")  # fmt: skip
    for name, times in (("a post, no deliveries", quiet[2]), ("a post and its fan-out", during)):
        print(f"  readers {args.window:.0f} s after {name}: {len(times)} requests, "
              f"p50 {pct(times, 0.5):.1f} ms, p99 {pct(times, 0.99):.1f} ms")  # fmt: skip
    print(f"  p99 ratio, fan-out to no deliveries: {pct(during, 0.99) / pct(quiet[2], 0.99):.2f}")


def publish_and_time(base, post, env, ports, state, expected, window):
    """Publish a post (followers in `state`) and time readers from that moment until `window`
    seconds have passed and `expected` deliveries arrived: (inbox stats, when published, the
    readers' times)."""
    published = {}

    def publish_and_wait():
        script = PUBLISH.replace("STATE", state).replace("HEADLINE", f"{state} {time.time()}")
        done = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                              capture_output=True, text=True)  # fmt: skip
        published["at"] = float(done.stdout.strip().splitlines()[-1])
        deadline = published["at"] + 120
        while time.time() < deadline:
            stats = _stats(ports[0], published["at"])
            if stats["count"] >= expected and time.time() >= published["at"] + window:
                break
            time.sleep(0.05)
        published["stats"] = _stats(ports[0], published["at"])

    samples = readers(base, post, publish_and_wait)
    end = published["at"] + window
    return (
        published["stats"],
        published["at"],
        sorted(t for at, t in samples if published["at"] <= at <= end),
    )


def _stats(port: int, since: float) -> dict:
    url = f"http://127.0.0.1:{port}/stats?since={since}"
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


if __name__ == "__main__":
    main()
