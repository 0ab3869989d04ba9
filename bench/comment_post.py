"""Comment POSTs per second on the embedded default, every one checked in the database after the
run (measured, not asserted). Needs Debian's wrk.

    .venv/bin/python bench/comment_post.py [--seconds 10] [--connections 16]

`sitrep serve` (gunicorn, SQLite in WAL mode) with the demo week. The comments come from one
signed-in reader account, each from its own address (X-Forwarded-For, which the site trusts for
this run), so the per-address rate limit and the anonymous flood pause - guards doing their job -
do not turn the measurement into one of refusals. Every comment goes through the whole path:
the cross-origin check, form token, ban check, spam score, insert, count refresh, cache
generation bump.

With --against-isso, the same number of rounds of Isso (the comment server the issue's goal is
set against: 0.13 from PyPI, gunicorn with two sync workers, its guard and moderation off)
alternate with sitrep's in one run, so the two rates share the machine's state. Isso goes into
a virtual environment of its own in the temporary folder, made on first use.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import SITREP, data_dir, free_port, running_site, wait_for  # noqa: E402

LUA = r"""
local counter = 0
local made = 0
-- setup runs in wrk's main Lua state; thread:set gives each thread its own global `id` (a
-- local of that name here would hide it, and both threads would send the same texts).
function setup(thread)
  made = made + 1
  thread:set("id", made)
end
function init(args)
  prefix = "ROUND" .. "t" .. id
end
request = function()
  counter = counter + 1
  local n = counter
  local body = "%s&body=" .. "Benchmark+comment+" .. prefix .. "-" .. n ..
    "+on+the+convoy%%2C+the+bridge+and+what+the+monitors+say+" .. n * 7919
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "%s"
  headers["Sec-Fetch-Site"] = "same-origin"
  headers["X-Forwarded-For"] = "10." .. id .. "." .. math.floor(n / 250) %% 250 .. "." .. n %% 250
  return wrk.format("POST", "%s", headers, body)
end
"""


ISSO_LUA = r"""
local made = 0
function setup(thread)
  made = made + 1
  thread:set("id", made)
end
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"text":"Benchmark comment t' .. id .. '-' .. counter ..
    ' on the convoy, the bridge and what the monitors say ' .. counter * 7919 ..
    '","author":"Bench Reader"}'
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Origin"] = "%s"
  return wrk.format("POST", "/new?uri=%%2Fpost-1%%2F", headers, body)
end
"""

ISSO_CONFIG = """[general]
dbpath = {folder}/comments.db
host = {page_server}/
[moderation]
enabled = false
[guard]
enabled = false
"""


def signed_in_form(base: str, post_path: str) -> tuple[str, str, str]:
    """Log the benchmark reader in; return (cookie header, form fields, form action)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": "bench-reader", "password": "bench-pass-1234"}
    ).encode()
    opener.open(base + "/accounts/login/", data)
    page = opener.open(base + post_path).read().decode()
    action = re.search(r'<form method="post" action="(/comments/post/\d+/)"', page).group(1)
    hidden = r'name="(csrfmiddlewaretoken|form_token)" value="([^"]*)"'
    fields = dict(re.findall(hidden, page))
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, urllib.parse.urlencode(fields), action


def count_comments(env: dict) -> dict:
    script = (
        "from django.db.models import Count\n"
        "from sitrep.comments.models import Comment\n"
        "rows = Comment.objects.filter(body__startswith='Benchmark comment')"
        ".values('status').annotate(n=Count('id'))\n"
        "counts = dict((r['status'], r['n']) for r in rows)\n"
        "post = Comment.objects.filter(body__startswith='Benchmark comment').first().post\n"
        "counts['post comment_count'] = post.comment_count\n"
        "counts['post visible'] = post.comments.filter(status='visible').count()\n"
        "print(counts)\n"
    )
    out = subprocess.run(
        [SITREP, "shell", "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return eval(out.stdout.strip().splitlines()[-1])  # a dict literal we printed ourselves


def run_wrk(base: str, script: Path, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", "-s", str(script),
         base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


@contextlib.contextmanager
def running_isso():
    """Isso behind gunicorn (two sync workers) on a fresh database, and the page it checks a
    new thread against; yields its address, the wrk script for it and a function counting its
    stored comments."""
    venv = Path(tempfile.gettempdir()) / "sitrep-bench-isso"
    if not (venv / "bin" / "gunicorn").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [venv / "bin" / "pip", "install", "--quiet", "isso==0.13.0", "gunicorn"], check=True
        )
    folder = Path(tempfile.mkdtemp(prefix="sitrep-bench-isso-"))
    (folder / "site" / "post-1").mkdir(parents=True)
    (folder / "site" / "post-1" / "index.html").write_text(
        "<!doctype html><title>Post one</title><section id=isso-thread></section>"
    )
    page_port, isso_port = free_port(), free_port()
    while isso_port == page_port:
        isso_port = free_port()
    base = f"http://127.0.0.1:{isso_port}"
    pages = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(page_port), "--bind", "127.0.0.1",
         "--directory", str(folder / "site")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    page_server = f"http://127.0.0.1:{page_port}"
    (folder / "isso.cfg").write_text(ISSO_CONFIG.format(folder=folder, page_server=page_server))
    isso = subprocess.Popen(
        [venv / "bin" / "gunicorn", "-w", "2", "-b", base.removeprefix("http://"), "isso.run"],
        env={**os.environ, "ISSO_SETTINGS": str(folder / "isso.cfg")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(base + "/info")
        script = folder / "post.lua"
        script.write_text(ISSO_LUA % page_server)

        def stored() -> int:
            with sqlite3.connect(folder / "comments.db") as db:
                return db.execute("SELECT COUNT(*) FROM comments").fetchone()[0]

        yield base, script, stored
    finally:
        isso.terminate()
        pages.terminate()
        isso.wait()
        pages.wait()


def report(name: str, result: dict) -> str:
    return (
        f"{name:<8} {result['rps']:6.0f} req/s, p50 {result['p50']}, p99 {result['p99']}; "
        f"{result['requests']} sent, {result['errors']} answered with an error"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--against-isso", type=int, default=0, metavar="ROUNDS",
        help="alternate this many rounds of sitrep and Isso (0: sitrep once)",
    )  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install wrk")
    rounds = []
    with contextlib.ExitStack() as stack:
        base, busy_post = stack.enter_context(running_site(SITREP_FORWARDED_FOR="true"))
        env = {**os.environ, "SITREP_DATA_DIR": data_dir(), "SITREP_SECRET_KEY": "checks"}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [SITREP, "shell", "-c",
             "from sitrep.accounts.models import User\n"
             "User.objects.create_user('bench-reader', password='bench-pass-1234', "
             "public_name='Bench Reader')"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        cookie, fields, action = signed_in_form(base, busy_post)
        folder = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
        if args.against_isso:
            isso_base, isso_script, isso_stored = stack.enter_context(running_isso())
        time.sleep(4)  # a form filled in faster than a person types is scored as a bot
        for number in range(max(1, args.against_isso)):
            script = folder / f"post{number}.lua"  # each round its own texts: no repeats
            script.write_text((LUA % (fields, cookie, action)).replace("ROUND", f"r{number}"))
            ours = run_wrk(base, script, args.seconds, args.connections)
            theirs = None
            if args.against_isso:
                theirs = run_wrk(isso_base, isso_script, args.seconds, args.connections)
            rounds.append((ours, theirs))
        stored = count_comments(env)
        isso_count = isso_stored() if args.against_isso else 0
    print(f"comment POST, {args.connections} connections, {args.seconds:.0f}s a run")
    for ours, theirs in rounds:
        print(report("sitrep", ours))
        if theirs:
            print(report("Isso", theirs) + f"; sitrep at {ours['rps'] / theirs['rps']:.0%}")
    counted = stored.pop("post comment_count"), stored.pop("post visible")
    print(f"sitrep stored by status: {stored} (total {sum(stored.values())})")
    print(f"the post's comment count: {counted[0]}; visible comments on it: {counted[1]}")
    if args.against_isso:
        print(f"Isso stored: {isso_count}")
    print("(wrk counts requests still in flight at the end as sent but not answered)")


if __name__ == "__main__":
    main()
