"""Faults under load: readers and commenters keep coming while the shared cache goes away and
comes back (measured, not asserted; the figures go to bench/README.md).

    .venv/bin/python bench/faults.py cache-redis [--seconds 30] [--outage 10]
    .venv/bin/python bench/faults.py cache-disk  [--seconds 30] [--outage 10]

`sitrep serve` with the demo week and a post with 200 comments, on SQLite. cache-redis: the
cache is a Redis server of this run's own, stopped for --outage seconds in the middle of the load
and started again (empty, as Redis without persistence restarts). cache-disk: the default disk
cache, whose folder is removed and replaced by a file for --outage seconds, so nothing can be
read or made there, then freed.

Four reader threads load the front page and the busy post in turn; two commenter threads post
anonymous comments (each from its own address, about four a second in all). Printed per phase
(before, during, after the outage): reader answers by status, comment answers by status, and
at the end how many acknowledged comments (answered with a redirect to them) are stored, and
whether the post page counts every comment stored once the cache is back.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_for_checks import SITREP, free_port, wait_for  # noqa: E402


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> int | str:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return type(error).__name__


class Load:
    def __init__(self, base: str, post: str):
        self.base, self.post = base, post
        self.phase = "before"
        self.readers = collections.defaultdict(collections.Counter)
        self.comments = collections.defaultdict(collections.Counter)
        self.acknowledged: list[str] = []
        self.stop = threading.Event()
        page = urllib.request.urlopen(base + post, timeout=10).read().decode()
        self.action = re.search(r'action="(/comments/post/\d+/)"', page).group(1)
        self.token = re.search(r'name="form_token" value="([^"]*)"', page).group(1)

    def reader(self, n: int) -> None:
        paths = ["/", self.post]
        i = n
        while not self.stop.is_set():
            self.readers[self.phase][fetch(self.base + paths[i % 2])] += 1
            i += 1

    def commenter(self, n: int) -> None:
        time.sleep(3.5)  # people take seconds to write; the form's time stamp says when
        i = 0
        while not self.stop.is_set():
            i += 1
            text = f"Fault comment {uuid.uuid4().hex[:12]}: the ferry, the bridge, the fuel."
            data = urllib.parse.urlencode({"body": text, "author_name": f"Tester {n}",
                                           "form_token": self.token}).encode()  # fmt: skip
            headers = {"Sec-Fetch-Site": "same-origin", "Origin": self.base,
                       "X-Forwarded-For": f"10.9.{n}.{i % 250}"}  # fmt: skip
            answer = fetch(self.base + self.action, data, headers)
            self.comments[self.phase][answer] += 1
            if answer in (302, 303):
                self.acknowledged.append(text)
            time.sleep(0.5)


def site(workdir: Path, cache_url: str | None) -> tuple[dict, str]:
    env = {**os.environ, "SITREP_DATA_DIR": str(workdir / "data"), "SITREP_SECRET_KEY": "faults",
           "SITREP_ENV_FILE": "", "SITREP_FORWARDED_FOR": "true"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    subprocess.run([SITREP, "demo"], env=env, check=True, capture_output=True)
    script = (
        "from sitrep.comments.services import comment_submit\n"
        "from sitrep.posts.models import Post\n"
        "post = Post.objects.live().order_by('-published_at').first()\n"
        "for i in range(200 - post.comment_count):\n"
        "    comment_submit(post=post, body=f'Comment {i} on the talks.', ip_hash=f'h{i}',"
        " author_name=f'Reader {i % 17}', screened=False)\n"
        "print(post.get_absolute_url())\n"
    )
    out = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return env, out.stdout.strip().splitlines()[-1]


def stored(env: dict, texts: list[str]) -> int:
    db = sqlite3.connect(Path(env["SITREP_DATA_DIR"]) / "sitrep.sqlite3")
    bodies = {row[0] for row in db.execute("SELECT body FROM comments_comment")}
    return sum(1 for text in texts if text in bodies)


def counted_on_page(env: dict, base: str, post: str) -> tuple[int, int]:
    """(comments the page's heading counts, visible comments in the database)."""
    page = urllib.request.urlopen(base + post, timeout=10).read().decode()
    shown = int(re.search(r'id="comments-heading">(\d+) comment', page).group(1))
    db = sqlite3.connect(Path(env["SITREP_DATA_DIR"]) / "sitrep.sqlite3")
    slug = post.rstrip("/").rsplit("/", 1)[1]
    (visible,) = db.execute(
        "SELECT count(*) FROM comments_comment c JOIN posts_post p ON c.post_id = p.id "
        "WHERE p.slug = ? AND c.status = 'visible'",
        [slug],
    ).fetchone()
    return shown, visible


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["cache-redis", "cache-disk"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--outage", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitrep-faults-") as tmp:
        workdir = Path(tmp)
        redis = None
        cache_url = None
        if args.scenario == "cache-redis":
            redis_port = free_port()
            redis_args = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                          "--save", "", "--appendonly", "no"]  # fmt: skip
            redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL)
            cache_url = f"redis://127.0.0.1:{redis_port}/0"
        env, post = site(workdir, cache_url)
        port = free_port()
        log = (workdir / "server.log").open("w+")  # a pipe would fill and stop the server
        server = subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        load = Load(base, post)
        threads = [threading.Thread(target=load.reader, args=(n,)) for n in range(4)]
        threads += [threading.Thread(target=load.commenter, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        calm = (args.seconds - args.outage) / 2
        time.sleep(calm)
        load.phase = "during"
        folder = Path(env["SITREP_DATA_DIR"]) / "cache"
        if redis:
            redis.terminate()
            redis.wait(10)
        else:
            shutil.rmtree(folder)
            folder.write_text("in the way")
        time.sleep(args.outage)
        if redis:
            redis = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL)
        else:
            folder.unlink()
        load.phase = "after"
        time.sleep(calm)
        load.stop.set()
        for thread in threads:
            thread.join()
        time.sleep(1.5)  # one retry interval, so every worker has written again
        shown, visible = counted_on_page(env, base, post)
        server.terminate()
        server.wait(20)
        log.seek(0)
        errors = log.read()
        if redis:
            redis.terminate()
        print(f"{args.scenario}: {args.seconds:.0f} s of load, the cache gone for "
              f"{args.outage:.0f} s in the middle")  # fmt: skip
        for phase in ("before", "during", "after"):
            readers = dict(sorted(load.readers[phase].items(), key=str))
            comments = dict(sorted(load.comments[phase].items(), key=str))
            print(f"  {phase:6}  readers {readers}  comment POSTs {comments}")
        acknowledged = len(load.acknowledged)
        print(f"  comments acknowledged {acknowledged}, found stored "
              f"{stored(env, load.acknowledged)}")  # fmt: skip
        print(f"  the post page counts {shown} comments; the database has {visible} visible")
        tracebacks = errors.count("Traceback")
        print(f"  tracebacks in the server's log: {tracebacks}")


if __name__ == "__main__":
    main()
