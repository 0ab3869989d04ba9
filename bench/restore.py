"""How long a restore takes, for docs/operations.md (measured, not asserted).

    .venv/bin/python bench/restore.py [--megabytes 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/restore.py

A site made by importing import_big.py's synthetic Blogger export of about the given size (on
SQLite, or on a new database on DATABASE_URL's PostgreSQL server), then, timed: `sitrep backup`,
and `sitrep restore` of that file into another new site, as docs/operations.md's procedure runs
it, and the restored site's front page answering. Then the two sites' rows counted, table by
table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from import_big import write_export  # noqa: E402
from site_for_checks import SITREP, free_port, wait_for  # noqa: E402

COUNTS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m.objects.count() for m in apps.get_models()}))
"""


def new_site(folder: Path, server: str | None) -> dict:
    env = {**os.environ, "SITREP_DATA_DIR": str(folder), "SITREP_SECRET_KEY": "restore",
           "SITREP_ENV_FILE": ""}  # fmt: skip
    env.pop("CACHE_URL", None)
    env.pop("DATABASE_URL", None)
    if server:
        import psycopg

        name = f"sitrep_restore_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    return env


def timed(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([SITREP, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def counts(env: dict) -> dict:
    out = subprocess.run([SITREP, "shell", "-c", COUNTS], env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    server = url.rsplit("/", 1)[0] if url.startswith("postgres") else None
    with tempfile.TemporaryDirectory(prefix="sitrep-restore-") as tmp:
        work = Path(tmp)
        posts, comments = write_export(work / "blog.xml", args.megabytes)
        source = new_site(work / "source", server)
        subprocess.run([SITREP, "import", "blogger", str(work / "blog.xml"), "--no-progress"],
                       env=source, check=True, capture_output=True)  # fmt: skip
        backup = work / "site.backup"
        took_backup = timed(source, "backup", str(backup))
        target = new_site(work / "target", server)
        took_restore = timed(target, "restore", str(backup), "--yes")
        port = free_port()
        started = time.perf_counter()
        web = subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}"], env=target,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        wait_for(f"http://127.0.0.1:{port}/")
        front = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).status
        took_serve = time.perf_counter() - started
        web.terminate()
        web.wait(20)
        same = counts(source) == counts(target)
        database = "PostgreSQL" if server else "SQLite"
        print(f"{database}: a site of {posts:,} posts and {comments:,} comments "
              f"(a {args.megabytes} MB Blogger export)")  # fmt: skip
        print(f"  sitrep backup: {took_backup:.1f} s, {backup.stat().st_size / 2**20:.0f} MB")
        print(f"  sitrep restore into a new site: {took_restore:.1f} s")
        print(f"  sitrep serve until the front page answers {front}: {took_serve:.1f} s")
        print(f"  every table's row count the same after: {same}")
        if server:
            import psycopg

            with psycopg.connect(server + "/postgres", autocommit=True) as admin:
                for env in (source, target):
                    name = env["DATABASE_URL"].rsplit("/", 1)[1]
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
