"""Requests per second for readers, against nginx serving the same bytes as a static file, all
in one run (measured, not asserted).  Needs Debian's wrk and nginx.

    .venv/bin/python bench/throughput.py [--seconds 10]

`sitrep serve` (granian + WhiteNoise, the disk cache: the embedded default of `make run`) with
the demo week and a post with 200 comments; the same behind deploy/nginx.conf; gunicorn for
comparison. Readers: anonymous, with a CSRF cookie, signed in (a real session of a plain reader
account), and "uncached": a message waiting for the reader, which no cache may answer, so the
page is rendered (from the fragments kept per change). wrk -t2 -c32, on the same two cores.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import (  # noqa: E402
    SITREP,
    data_dir,
    own_comment_cookie,
    reader_session,
    running_site,
)

NGINX_CONF = """
worker_processes 1;
user root;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;  # as Debian's nginx.conf sets them: the ceiling is nginx as it ships
  tcp_nopush on;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    location / {{ default_type text/html; gzip_static on; try_files $uri /front.html; }}
  }}
  {deploy}
}}
"""


def deploy_conf(app_port: int, port: int, work: Path, data: str) -> str:
    """The project's deploy/nginx.conf, pointed at this run's app, port and folders."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("/srv/sitrep/var/", f"{data}/")
    return conf.replace("/var/cache/nginx/sitrep", f"{work}/cache")


def wrk(url: str, seconds: float, headers: dict | None = None) -> tuple[float, str]:
    args = ["wrk", "-t2", "-c32", f"-d{seconds:.0f}s", "--latency", url]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:  # a benchmark of error pages would measure nothing
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--pairs", type=int, default=3, help="alternating nginx/deploy pairs")
    args = parser.parse_args()
    if not (shutil.which("wrk") and shutil.which("nginx")):
        sys.exit("needs wrk and nginx: apt-get install wrk nginx-light")
    with running_site(SITREP_PAGE_FILES="true") as (base, busy_post):
        front = urllib.request.urlopen(base + "/").read()
        post = urllib.request.urlopen(base + busy_post).read()
        work = Path(tempfile.mkdtemp(prefix="sitrep-nginx-"))
        (work / "www").mkdir()
        (work / "www" / "front.html").write_bytes(front)
        (work / "www" / "post.html").write_bytes(post)
        for name, body in (("front.html.gz", front), ("post.html.gz", post)):
            (work / "www" / name).write_bytes(gzip.compress(body, 6))  # as the app writes them
        app_port = int(base.rsplit(":", 1)[1])
        port, deploy_port = app_port + 1, app_port + 2
        deploy = deploy_conf(app_port, deploy_port, work, data_dir())
        (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=port, deploy=deploy))
        nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf")])
        # The same site under gunicorn, the other server `sitrep serve` offers.
        gunicorn_port = app_port + 3
        env = {**os.environ, "SITREP_DATA_DIR": data_dir(), "SITREP_SECRET_KEY": "checks"}
        env.pop("DATABASE_URL", None)
        gunicorn = subprocess.Popen(
            [SITREP, "serve", "--server", "gunicorn", "--bind", f"127.0.0.1:{gunicorn_port}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        signed_in = {"Cookie": f"sessionid={reader_session()}"}
        commenter = {"Cookie": f"sitrep_own={own_comment_cookie()}"}
        page = urllib.request.urlopen(urllib.request.Request(base + busy_post, headers=commenter))
        if b"/edit/" not in page.read():
            sys.exit("the commenter's page has no edit link: the row would measure nothing")
        time.sleep(4)
        try:
            rows = [
                ("nginx, the front page as a static file", f"http://127.0.0.1:{port}/front.html",
                 None),
                ("sitrep front page, cached (anonymous)", base + "/", None),
                ("  same under gunicorn (--server gunicorn)",
                 f"http://127.0.0.1:{gunicorn_port}/", None),
                ("sitrep front page, cached, CSRF cookie", base + "/",
                 {"Cookie": "csrftoken=abcdefabcdefabcdefabcdefabcdefab"}),
                ("front page via deploy/nginx.conf (page files)",
                 f"http://127.0.0.1:{deploy_port}/", None),
                ("same, with a CSRF cookie", f"http://127.0.0.1:{deploy_port}/",
                 {"Cookie": "csrftoken=abcdefabcdefabcdefabcdefabcdefab"}),
                ("same, signed-in reader (nginx passes it to the app)",
                 f"http://127.0.0.1:{deploy_port}/", signed_in),
                ("sitrep front page, signed-in reader", base + "/", signed_in),
                ("sitrep front page, uncached (a message waiting)", base + "/",
                 {"Cookie": "messages=waiting"}),
                ("nginx, the post with 200 comments as a static file",
                 f"http://127.0.0.1:{port}/post.html", None),
                ("sitrep post with 200 comments, cached (anonymous)", base + busy_post, None),
                ("post via deploy/nginx.conf (page files)",
                 f"http://127.0.0.1:{deploy_port}{busy_post}", None),
                ("same, with a CSRF cookie", f"http://127.0.0.1:{deploy_port}{busy_post}",
                 {"Cookie": "csrftoken=abcdefabcdefabcdefabcdefabcdefab"}),
                ("same, own-comment cookie (nginx passes it to the app)",
                 f"http://127.0.0.1:{deploy_port}{busy_post}",
                 {"Cookie": f"csrftoken=abcdefabcdefabcdefabcdefabcdefab; {commenter['Cookie']}"}),
                ("sitrep post with 200 comments, signed-in reader", base + busy_post,
                 signed_in),
                ("sitrep post with 200 comments, own-comment cookie", base + busy_post,
                 commenter),
                ("sitrep post with 200 comments, uncached (message)", base + busy_post,
                 {"Cookie": "messages=waiting"}),
            ]  # fmt: skip
            results = []
            for label, url, headers in rows:
                results.append((label, *wrk(url, args.seconds, headers)))
            # The machine's speed drifts between rows: nginx's own file against the deploy
            # set-up also in alternating pairs, each pair's ratio, for a reader with a CSRF
            # cookie (a commenter's own-comment cookie goes to the app: a row above).
            cookies = {"Cookie": f"csrftoken={'ab' * 16}"}
            pairs = []
            gzipped = {"Accept-Encoding": "gzip"}  # as browsers ask (wrk does not by itself)
            for _ in range(args.pairs):
                for page, static, path, extra in (
                    ("front", "front.html", "/", {}),
                    ("post", "post.html", busy_post, {}),
                    ("front, gzip", "front.html", "/", gzipped),
                    ("post, gzip", "post.html", busy_post, gzipped),
                ):
                    ceiling = wrk(f"http://127.0.0.1:{port}/{static}", args.seconds, extra)[0]
                    served = wrk(f"http://127.0.0.1:{deploy_port}{path}", args.seconds,
                                 {**cookies, **extra})  # fmt: skip
                    pairs.append((page, ceiling, served[0]))
        finally:
            nginx.terminate()
            gunicorn.terminate()
            nginx.wait(10)
            gunicorn.wait(20)
    # Each row against nginx serving the same bytes: the front page, or the post page.
    print(f"{'target':<52} {'req/s':>9} {'p99':>9} {'of nginx':>9}")
    ceiling = results[0][1]
    for label, rps, p99 in results:
        if label.startswith("nginx, the post"):
            ceiling = rps
        print(f"{label:<52} {rps:>9.0f} {p99:>9} {rps / ceiling:>8.1%}")
    print(f"front page: {len(front):,} bytes; post page: {len(post):,} bytes")
    print("\ndeploy/nginx.conf against nginx's static file, alternating pairs (a CSRF cookie)")
    for page in ("front", "post", "front, gzip", "post, gzip"):
        ratios = sorted(served / ceiling for name, ceiling, served in pairs if name == page)
        each = ", ".join(f"{served:.0f}/{ceiling:.0f}" for name, ceiling, served in pairs
                         if name == page)  # fmt: skip
        print(f"{page}: {each} req/s; median {statistics.median(ratios):.1%}"
              f" (range {ratios[0]:.1%}-{ratios[-1]:.1%})")  # fmt: skip


if __name__ == "__main__":
    main()
