"""A daily digest to many confirmed subscribers through a real SMTP server on loopback
(measured, not asserted).

    .venv/bin/python bench/mail_digest.py [--subscribers 10000] [--seconds 10]

`sitrep serve` with the demo week and a post with 200 comments (SQLite), two posts published
today, and the given number of confirmed digest subscribers. aiosmtpd, in a process of its own
as a mail server would be, accepts the mail (its Sink handler); the outbox says what was sent.
Readers (four threads, the front page and the busy post in turn)
are timed for --seconds on the idle site, then while one process writes and sends the digest
the way the worker's task does (sitrep.mail.dispatch.dispatch_run). Printed: mails per second
(written and sent, and the sending alone), that process's peak memory, and the readers' p50 and
p99 idle and during the send. Run with --subscribers 1000 too: flat memory means the same peak.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from site_for_checks import SITREP, demo_site, free_port, serving  # noqa: E402

SETUP = """
import datetime as dt
from django.utils import timezone
from sitrep.mail.models import Subscriber
from sitrep.posts.models import Post
Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{n}@bench.example", digest=True, confirmed=timezone.now(),
                token=f"bench-token-{n}") for n in range(COUNT)], batch_size=2000)
now = timezone.now()
start = timezone.localtime(now).replace(hour=0, minute=1)
for post, minutes in zip(Post.objects.live().order_by("-published_at")[:2], (1, 2)):
    Post.objects.filter(pk=post.pk).update(published_at=start + dt.timedelta(minutes=minutes))
from sitrep.mail.models import MailSettings
MailSettings.objects.create(send_rate=RATE)
print(Subscriber.objects.count())
"""

SEND = """
import json, resource, time
from django.utils import timezone
from sitrep.mail.dispatch import dispatch_run
from sitrep.mail.models import Dispatch, Message
key = f"digest:{timezone.localdate()}"
Dispatch.objects.create(key=key)
started = time.perf_counter()
result = dispatch_run(key)
elapsed = time.perf_counter() - started
first = Message.objects.filter(batch=key).order_by("created").first().created
last_sent = Message.objects.filter(batch=key).order_by("-sent").first().sent
sending = (last_sent - Message.objects.filter(batch=key).order_by("-created").first().created)
print(json.dumps({"result": result, "seconds": elapsed, "sending": sending.total_seconds(),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def readers(base: str, post: str, stop: threading.Event, times: list[float]) -> None:
    paths = [base + "/", base + post]
    i = 0
    while not stop.is_set():
        started = time.perf_counter()
        with urllib.request.urlopen(paths[i % 2], timeout=30) as answer:
            answer.read()
        times.append(time.perf_counter() - started)
        i += 1


def timed_readers(base: str, post: str, seconds: float | None, until=None) -> list[float]:
    stop, times = threading.Event(), []
    threads = [threading.Thread(target=readers, args=(base, post, stop, times))
               for _ in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    if until is not None:
        until()
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sorted(times)


def pct(times: list[float], p: float) -> float:
    return times[min(len(times) - 1, int(len(times) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=int, default=0, help="the site's sending rate (mails/s)")
    parser.add_argument("--nice", type=int, default=0, help="the sender's niceness, as a worker "
                        "run by deploy/sitrep-worker.service has")  # fmt: skip
    args = parser.parse_args()
    smtp_port = free_port()
    smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"])  # fmt: skip
    data = tempfile.mkdtemp(prefix="sitrep-mail-bench-")
    env = {**os.environ, "SITREP_DATA_DIR": data, "SITREP_SECRET_KEY": "mail-bench",
           "SITREP_ENV_FILE": "", "SITREP_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
           "SITREP_BACKUP_HOURS": "0"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    post = demo_site(env)
    setup = SETUP.replace("COUNT", str(args.subscribers)).replace("RATE", str(args.rate))
    made = subprocess.run([SITREP, "shell", "-c", setup], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    try:
        with serving(env) as base:
            idle, during, outcome = _readers_while_sending(base, post, env, args)
    finally:
        smtp.terminate()
    n = made.stdout.strip().splitlines()[-1]
    sent = outcome["result"]["sent"]
    print(f"{n} confirmed digest subscribers; {sent} mails accepted by the SMTP server")
    print(f"  written and sent in {outcome['seconds']:.1f} s: "
          f"{sent / outcome['seconds']:.0f} mails/s (the sending alone "
          f"{outcome['sending']:.1f} s, {sent / max(outcome['sending'], 0.001):.0f} mails/s); "
          f"{outcome['result']}")  # fmt: skip
    print(f"  the sending process's peak memory: {outcome['peak_mb']:.0f} MB")
    print(f"  readers idle:   {len(idle)} requests, p50 {pct(idle, .5):.1f} ms, "
          f"p99 {pct(idle, .99):.1f} ms")  # fmt: skip
    print(
        f"  readers during: {len(during)} requests, p50 {pct(during, 0.5):.1f} ms, "
        f"p99 {pct(during, 0.99):.1f} ms (p99 ratio {pct(during, 0.99) / pct(idle, 0.99):.2f})"
    )


def _readers_while_sending(base: str, post: str, env: dict, args) -> tuple[list, list, dict]:
    """Readers timed on the idle site, then while one process sends the digest."""
    idle = timed_readers(base, post, args.seconds)
    outcome = {}

    def send():
        nice = ["nice", "-n", str(args.nice)] if args.nice else []
        done = subprocess.run([*nice, SITREP, "shell", "-c", SEND], env=env,
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        outcome.update(json.loads(done.stdout.strip().splitlines()[-1]))

    during = timed_readers(base, post, None, until=send)
    return idle, during, outcome


if __name__ == "__main__":
    main()
