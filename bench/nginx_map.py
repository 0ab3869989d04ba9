"""deploy/nginx.conf's "who may get a page file" map, one key against another, nothing else
changed (measured, not asserted).  Needs Debian's wrk and nginx.

    .venv/bin/python bench/nginx_map.py [--seconds 5] [--pairs 10]

One nginx worker serves a 200-comment post page's bytes from a folder chosen by the map, as
deploy/nginx.conf does, and the variants differ only in the map's key: the two cookies read
before the architecture issue, the three read since (the own-comment cookie added), and one
regular expression over the whole Cookie header. nginx is pinned to one core and wrk to the
other, so the two do not trade places between runs; variants alternate within each round and
the order rotates from round to round. The reader sends a CSRF cookie and a site-analytics
cookie, as a browser would, so the key's cookies are looked for and not found.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

VARIANTS = {
    "two cookies": 'map "$request_method $is_args$cookie_sessionid$cookie_messages" $pages {\n'
    '  "GET " pages; "HEAD " pages; default no-pages; }',
    "three cookies": 'map "$request_method $is_args$cookie_sessionid$cookie_messages'
    '$cookie_sitrep_own" $pages {\n  "GET " pages; "HEAD " pages; default no-pages; }',
    "one regex": 'map "$request_method $is_args" $plain { "GET " 1; "HEAD " 1; default 0; }\n'
    'map "$plain$http_cookie" $pages {\n'
    '  "~^0" no-pages;\n'
    '  "~(^1|;\\s*)(sessionid|messages|sitrep_own)=" no-pages;\n'
    '  "~^1" pages; }',
}

CONF = """
worker_processes 1;
worker_cpu_affinity {affinity};
user root;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  {map}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      root {dir}/$pages;
      try_files ${{uri}}index.html =404;
      open_file_cache max=1000 inactive=3s;
      open_file_cache_valid 1s;
      types {{ text/html html; }}
      charset utf-8;
    }}
  }}
}}
"""

COOKIE = "csrftoken=Zq8W1vYtC0mFhL3pX9dKsR2aN6uE4jB7; _pk_id.1.dc78=3f2a9c1d5e6b7a80.1765000000."


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int, cpu: int) -> float:
    out = subprocess.run(
        ["taskset", "-c", str(cpu), "wrk", "-t1", "-c32", f"-d{seconds}s",
         "-H", f"Cookie: {COOKIE}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in out:
        sys.exit(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def started(variant: str, work: Path, nginx_cpu: int) -> tuple[subprocess.Popen, str]:
    folder = work / variant.replace(" ", "-")
    folder.mkdir()
    (folder / "pages" / "post").mkdir(parents=True)
    shutil.copy(work / "page.html", folder / "pages" / "post" / "index.html")
    port = free_port()
    affinity = format(1 << nginx_cpu, "b")
    conf = CONF.format(dir=folder, port=port, map=VARIANTS[variant], affinity=affinity)
    (folder / "nginx.conf").write_text(conf)
    nginx = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    url = f"http://127.0.0.1:{port}/post/"
    for _ in range(100):
        try:
            request = urllib.request.Request(url, headers={"Cookie": COOKIE})
            with urllib.request.urlopen(request, timeout=2) as answer:
                assert answer.status == 200
            return nginx, url
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nginx for {variant} did not answer:\n{(folder / 'error.log').read_text()}")


def check_map(urls: dict[str, str]) -> None:
    """Every variant serves the file to a plain reader and refuses it to a signed-in one; the
    own-comment cookie is refused by all but the old key, which did not know it."""
    for variant, url in urls.items():
        own = 200 if variant == "two cookies" else 404
        for cookie, expected in ((COOKIE, 200), (COOKIE + "; sessionid=x", 404),
                                 ("sitrep_own=y", own), ("messages=z; a=b", 404),
                                 ("not_sessionid=1", 200)):  # fmt: skip
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=2) as answer:
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != expected:
                sys.exit(f"{variant}: Cookie {cookie!r} got {status}, expected {expected}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=10, help="rounds over every variant")
    args = parser.parse_args()
    if not (shutil.which("wrk") and shutil.which("nginx")):
        sys.exit("needs wrk and nginx: apt-get install wrk nginx-light")
    cpus = sorted(os.sched_getaffinity(0))
    nginx_cpu, wrk_cpu = cpus[-1], cpus[0]
    with tempfile.TemporaryDirectory(prefix="sitrep-nginx-map-") as tmp:
        work = Path(tmp)
        # About the size of the 200-comment post page (deploy serves it uncompressed to wrk).
        body = "<p>" + "A reader's comment, as long as a real one is. " * 4200 + "</p>"
        (work / "page.html").write_text(body)
        running = {name: started(name, work, nginx_cpu) for name in VARIANTS}
        try:
            check_map({name: url for name, (_, url) in running.items()})
            names = list(VARIANTS)
            rates = {name: [] for name in names}
            for round_ in range(args.pairs):
                order = names[round_ % len(names) :] + names[: round_ % len(names)]
                for name in order:
                    rates[name].append(wrk(running[name][1], args.seconds, wrk_cpu))
            base = rates[names[0]]
            print(f"{args.pairs} rounds of {args.seconds} s, nginx on CPU {nginx_cpu}, wrk on "
                  f"CPU {wrk_cpu}, -t1 -c32")  # fmt: skip
            for name in names:
                ratios = [r / b for r, b in zip(rates[name], base, strict=True)]
                print(f"{name:14} median {statistics.median(rates[name]):9.0f} req/s "
                      f"(range {min(rates[name]):.0f}-{max(rates[name]):.0f}); "
                      f"against two cookies, median of the rounds' ratios "
                      f"{statistics.median(ratios):.3f} "
                      f"(range {min(ratios):.3f}-{max(ratios):.3f})")  # fmt: skip
        finally:
            for nginx, _ in running.values():
                nginx.send_signal(signal.SIGQUIT)
                nginx.wait(10)


if __name__ == "__main__":
    main()
