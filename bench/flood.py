"""Reader latency during a comment-spam flood, measured (not asserted).

    .venv/bin/python bench/flood.py [--seconds 15] [--flooders 8]

Serves the demo site (plus a post with 200 comments) with `sitrep serve` on loopback, measures
readers loading the front page and the busy post, then does it again while flooders post
comments as fast as they can, each request from a different address (X-Forwarded-For, with
SITREP_FORWARDED_FOR on), and reports what happened to the flood.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import running_site  # noqa: E402


def read_latencies(base: str, paths: list[str], seconds: float) -> list[float]:
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        for path in paths:
            start = time.perf_counter()
            urllib.request.urlopen(base + path, timeout=30).read()
            times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    times = sorted(times)
    return (f"{len(times)} loads, p50 {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms")  # fmt: skip


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def flood(base: str, post_path: str, seconds: float, flooders: int) -> dict:
    outcomes = {"posted": 0, "held or spam": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()
    counter = iter(range(10**9))

    def one_flooder():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        page = opener.open(base + post_path).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        post_id = re.search(r'action="/comments/post/(\d+)/"', page).group(1)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            n = next(counter)
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": csrf, "form_token": token,
                "body": f"Cheap watches at https://spam{n % 50}.example/ number {n}",
            }).encode()  # fmt: skip
            request = urllib.request.Request(
                f"{base}/comments/post/{post_id}/", data=body,
                headers={"X-Forwarded-For": f"198.18.{n // 250 % 250}.{n % 250}",
                         "Referer": base + post_path},
            )  # fmt: skip
            try:
                opener.open(request, timeout=30).read()
                key = "errors"  # a 200 would mean the form came back without a redirect
            except urllib.error.HTTPError as error:
                location = error.headers.get("Location", "")
                if error.code == 302:  # a bot does not follow the redirect to the page
                    key = "held or spam" if location.endswith("#comments") else "posted"
                else:
                    key = "refused" if error.code == 400 else "errors"
            except OSError:
                key = "errors"
            with lock:
                outcomes[key] += 1

    threads = [threading.Thread(target=one_flooder) for _ in range(flooders)]
    for t in threads:
        t.start()
    return {"threads": threads, "outcomes": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--flooders", type=int, default=8)
    args = parser.parse_args()
    with running_site(SITREP_FORWARDED_FOR="true") as (base, busy_post):
        paths = ["/", busy_post]
        read_latencies(base, paths, 2)  # warm up
        print("readers, no flood:   " + summary(read_latencies(base, paths, args.seconds)))
        started = flood(base, busy_post, args.seconds, args.flooders)
        during = read_latencies(base, paths, args.seconds)
        for t in started["threads"]:
            t.join()
        print("readers, with flood: " + summary(during))
        total = sum(started["outcomes"].values())
        print(f"flood: {total} comment posts in {args.seconds:.0f} s from {args.flooders} "
              f"threads, each from a new address: {started['outcomes']}")  # fmt: skip


if __name__ == "__main__":
    main()
