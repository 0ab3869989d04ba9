"""Comment POSTs per second on the embedded default, every one checked in the database after the
run (measured, not asserted). Needs Debian's wrk.

    .venv/bin/python bench/comment_post.py [--seconds 10] [--connections 16]

`sitrep serve` (gunicorn, SQLite in WAL mode) with the demo week. The comments come from one
signed-in reader account, each from its own address (X-Forwarded-For, which the site trusts for
this run), so the per-address rate limit and the anonymous flood pause - guards doing their job -
do not turn the measurement into one of refusals. Every comment goes through the whole path:
the cross-origin check, form token, ban check, spam score, insert, count refresh, cache
generation bump.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import SITREP, data_dir, running_site  # noqa: E402

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
  prefix = "t" .. id
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


def signed_in_form(base: str, post_path: str) -> tuple[str, str, str]:
    """Log the benchmark reader in; return (cookie header, form fields, form action)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "bench-reader", "password": "bench-pass-1234"}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install wrk")
    with running_site(SITREP_FORWARDED_FOR="true") as (base, busy_post):
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
        time.sleep(4)  # a form filled in faster than a person types is scored as a bot
        script = Path(tempfile.mkdtemp(prefix="sitrep-bench-")) / "post.lua"
        script.write_text(LUA % (fields, cookie, action))
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds:.0f}s", "--latency",
             "-s", str(script), base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        stored = count_comments(env)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    print(f"comment POST, {args.connections} connections, {args.seconds:.0f}s")
    print(f"{rps:.0f} req/s, p50 {p50}, p99 {p99}; {requests} requests sent")
    print(f"answered with an error: {errors.group(1) if errors else 0}")
    counted = stored.pop("post comment_count"), stored.pop("post visible")
    print(f"stored by status: {stored} (total {sum(stored.values())})")
    print(f"the post's comment count: {counted[0]}; visible comments on it: {counted[1]}")
    print("(wrk counts requests still in flight at the end as sent but not answered)")


if __name__ == "__main__":
    main()
