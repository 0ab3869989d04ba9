"""Faults under load: readers and commenters keep coming while storage goes away and comes
back (measured, not asserted; the figures go to bench/README.md).

    .venv/bin/python bench/faults.py cache-redis [--seconds 30] [--outage 10]
    .venv/bin/python bench/faults.py cache-disk  [--seconds 30] [--outage 10]
    .venv/bin/python bench/faults.py db-restart  [--seconds 30] [--outage 10]
    .venv/bin/python bench/faults.py disk-full   [--seconds 30] [--outage 10]

`sitrep serve` with the demo week and a post with 200 comments, on SQLite. cache-redis: the
cache is a Redis server of this run's own, stopped for --outage seconds in the middle of the load
and started again (empty, as Redis without persistence restarts). cache-disk: the default disk
cache, whose folder is removed and replaced by a file for --outage seconds, so nothing can be
read or made there, then freed. db-restart: the site on a PostgreSQL database of its own on the
local cluster (DATABASE_URL's server, else 127.0.0.1:5432), behind deploy/nginx.conf (Debian's
nginx), and the cluster stopped for --outage seconds, then started (pg_ctlcluster: run as
root). disk-full: the data folder (database, cache, page files) on a 64 MB filesystem of its
own (tmpfs: run as root), filled to the last byte for --outage seconds, then freed.

Four reader threads load the front page and the busy post in turn; two commenter threads post
anonymous comments (each from its own address, about four a second in all). Printed per phase
(before, during, after the outage): reader answers by status, comment answers by status, and
at the end how many acknowledged comments (answered with a redirect to them) are stored, and
whether the post page counts every comment stored once the cache is back.
"""

from __future__ import annotations

import argparse
import collections
import json
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

from site_for_checks import SITREP, demo_site, free_port, wait_for  # noqa: E402


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
    def __init__(self, base: str, post: str, app: str | None = None):
        # Commenters reach the app itself (`app`): behind nginx every comment would come from
        # one address, and the site's limit per address would refuse most of them.
        self.base, self.post, self.app = base, post, app or base
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
            headers = {"Sec-Fetch-Site": "same-origin", "Origin": self.app,
                       "X-Forwarded-For": f"10.9.{n}.{i % 250}"}  # fmt: skip
            answer = fetch(self.app + self.action, data, headers)
            self.comments[self.phase][answer] += 1
            if answer in (302, 303):
                self.acknowledged.append(text)
            time.sleep(0.5)


def site(workdir: Path, cache_url: str | None, database_url: str | None = None,
         **extra) -> tuple[dict, str]:  # fmt: skip
    env = {**os.environ, "SITREP_DATA_DIR": str(workdir / "data"), "SITREP_SECRET_KEY": "faults",
           "SITREP_ENV_FILE": "", "SITREP_FORWARDED_FOR": "true", **extra}  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    if database_url:
        env["DATABASE_URL"] = database_url
    return env, demo_site(env)


def database(env: dict, script: str):
    """What `script` (run in `sitrep shell`, on either database) prints last, as JSON."""
    out = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def stored(env: dict, texts: list[str]) -> int:
    script = (
        "import json\nfrom sitrep.comments.models import Comment\n"
        "print(json.dumps(list(Comment.objects.values_list('body', flat=True))))"
    )
    bodies = set(database(env, script))
    return sum(1 for text in texts if text in bodies)


def counted_on_page(env: dict, base: str, post: str) -> tuple[int, int]:
    """(comments the page's heading counts, visible comments in the database)."""
    page = urllib.request.urlopen(base + post, timeout=10).read().decode()
    shown = int(re.search(r'id="comments-heading">(\d+) comment', page).group(1))
    slug = post.rstrip("/").rsplit("/", 1)[1]
    visible = database(env, "from sitrep.comments.models import Comment\n"
                            f"print(Comment.objects.filter(post__slug='{slug}',"
                            " status='visible').count())")  # fmt: skip
    return shown, visible


class Fault:
    """One scenario: what the site runs on, how the fault begins and how it ends."""

    cache_url = database_url = None
    extra: dict = {}

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def begin(self, env: dict) -> None: ...

    def end(self, env: dict) -> None: ...

    def close(self) -> None: ...


class RedisGone(Fault):
    def __init__(self, workdir):
        super().__init__(workdir)
        port = free_port()
        self.args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no"]  # fmt: skip
        self.redis = subprocess.Popen(self.args, stdout=subprocess.DEVNULL)
        self.cache_url = f"redis://127.0.0.1:{port}/0"

    def begin(self, env):
        self.redis.terminate()
        self.redis.wait(10)

    def end(self, env):
        self.redis = subprocess.Popen(self.args, stdout=subprocess.DEVNULL)

    def close(self):
        self.redis.terminate()


class DiskCacheGone(Fault):
    def begin(self, env):
        self.folder = Path(env["SITREP_DATA_DIR"]) / "cache"
        shutil.rmtree(self.folder)
        self.folder.write_text("in the way")

    def end(self, env):
        self.folder.unlink()


class DatabaseRestart(Fault):
    """PostgreSQL stopped and started again, with readers coming through deploy/nginx.conf."""

    nginx = True

    def __init__(self, workdir):
        import psycopg

        super().__init__(workdir)
        server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
        self.server = server.rsplit("/", 1)[0]
        self.name = f"sitrep_faults_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server + "/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.database_url = f"{self.server}/{self.name}"
        self.extra = {"SITREP_PAGE_FILES": "true"}
        self.cluster = ["pg_ctlcluster", "--skip-systemctl-redirect",
                        os.listdir("/etc/postgresql")[0], "main"]  # fmt: skip

    def begin(self, env):
        subprocess.run([*self.cluster, "stop", "-m", "fast"], check=True)

    def end(self, env):
        subprocess.run([*self.cluster, "start"], check=True)

    def close(self):
        import psycopg

        with psycopg.connect(self.server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class DiskFull(Fault):
    """The data folder on a small filesystem of its own, filled up and freed."""

    SIZE_MB = 64

    def __init__(self, workdir):
        super().__init__(workdir)
        self.mount = workdir / "data"
        self.mount.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.SIZE_MB}m", "tmpfs",
                        str(self.mount)], check=True)  # fmt: skip
        self.filler = self.mount / "filler"

    def begin(self, env):
        with self.filler.open("wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass  # full, to the last block
        free = shutil.disk_usage(self.mount).free
        print(f"  (the data folder's filesystem is full: {free} bytes free)")

    def end(self, env):
        self.filler.unlink()

    def close(self):
        db = sqlite3.connect(self.mount / "sitrep.sqlite3")
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
        db.close()
        print(f"  the database's integrity check after: {check}")
        subprocess.run(["umount", "-l", str(self.mount)], check=True)


FAULTS = {"cache-redis": RedisGone, "cache-disk": DiskCacheGone, "db-restart": DatabaseRestart,
          "disk-full": DiskFull}  # fmt: skip


def nginx_in_front(app: str, env: dict, work: Path) -> tuple[subprocess.Popen, str]:
    """deploy/nginx.conf in front of the app, as throughput.py runs it."""
    from throughput import NGINX_CONF, deploy_conf

    app_port, port, www = int(app.rsplit(":", 1)[1]), free_port(), free_port()
    deploy = deploy_conf(app_port, port, work, env["SITREP_DATA_DIR"])
    (work / "www").mkdir(exist_ok=True)
    (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=www, deploy=deploy))
    nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf")])
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/")
    return nginx, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=list(FAULTS))
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--outage", type=float, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    with tempfile.TemporaryDirectory(prefix="sitrep-faults-") as tmp:
        workdir = Path(tmp)
        fault = FAULTS[args.scenario](workdir)
        try:
            run(args, fault, workdir)
        finally:
            fault.close()


def run(args, fault: Fault, workdir: Path) -> None:
    env, post = site(workdir, fault.cache_url, fault.database_url, **fault.extra)
    port = free_port()
    log = (workdir / "server.log").open("w+")  # a pipe would fill and stop the server
    server = subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    app = base = f"http://127.0.0.1:{port}"
    wait_for(base + "/")
    nginx = None
    if getattr(fault, "nginx", False):
        nginx, base = nginx_in_front(app, env, workdir)
    load = Load(base, post, app)
    threads = [threading.Thread(target=load.reader, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=load.commenter, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    calm = (args.seconds - args.outage) / 2
    time.sleep(calm)
    load.phase = "during"
    fault.begin(env)
    time.sleep(args.outage)
    fault.end(env)
    load.phase = "after"
    time.sleep(calm)
    load.stop.set()
    for thread in threads:
        thread.join()
    time.sleep(1.5)  # one retry interval, so every worker has written again
    shown, visible = counted_on_page(env, base, post)
    server.terminate()
    server.wait(20)
    if nginx:
        nginx.terminate()
        nginx.wait(10)
    log.seek(0)
    errors = log.read()
    print(f"{args.scenario}: {args.seconds:.0f} s of load, the fault lasting {args.outage:.0f} s "
          "in the middle")  # fmt: skip
    for phase in ("before", "during", "after"):
        readers = dict(sorted(load.readers[phase].items(), key=str))
        comments = dict(sorted(load.comments[phase].items(), key=str))
        print(f"  {phase:6}  readers {readers}  comment POSTs {comments}")
    acknowledged = len(load.acknowledged)
    print(f"  comments acknowledged {acknowledged}, found stored "
          f"{stored(env, load.acknowledged)}")  # fmt: skip
    print(f"  the post page counts {shown} comments; the database has {visible} visible")
    print(f"  tracebacks in the server's log: {errors.count('Traceback')}")
    outage_lines = [line for line in errors.splitlines() if "unavailable" in line
                    or "out of storage" in line]  # fmt: skip
    print(f"  log lines naming the outage: {len(outage_lines)}"
          + (f", e.g. {outage_lines[0]!r}" if outage_lines else ""))  # fmt: skip


if __name__ == "__main__":
    main()
