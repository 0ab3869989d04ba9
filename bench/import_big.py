"""Peak memory and time of importing a large Blogger export, measured (not asserted).

    .venv/bin/python bench/import_big.py --megabytes 100

Writes a synthetic export (curated posts with clips and notes, threaded comments) of about the
requested size to a temporary folder, then runs `sitrep import blogger` on it as a separate
process against a fresh SQLite database (or DATABASE_URL) and reports wall time and peak RSS.

With --commenters, the site has the demo week and another process comments on it and reads its
front page (cache cleared each time) every 0.1 s while the import runs: how many comments were
refused or failed, and how long they and the page took.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

KIND = "http://schemas.google.com/blogger/2008/kind#"
WORDS = (
    "river bridge convoy artillery envoy talks ceasefire drones harbour grain militia monitors "
    "border reservists shelling pass valley dam power rail depot fuel column checkpoint aid"
).split()


def sentence(rng, n=18):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def post_entry(rng, n):
    paragraphs = "<br /><br />".join(sentence(rng, 40) for _ in range(3))
    body = (
        f'<b>Writer {n % 97}, Outlet {n % 13}: <a href="https://outlet{n % 13}.example/{n}">'
        f"{sentence(rng, 8)}</a></b><br /><br /><blockquote>{paragraphs}</blockquote>"
        f'<a href="https://outlet{n % 13}.example/{n}">Read more ....</a><br /><br />'
        f"<b>Desk Editor: </b>{sentence(rng, 14)}"
    )
    day = 1 + n % 28
    return (
        f"<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id>"
        f"<published>2015-{1 + n % 12:02d}-{day:02d}T08:00:00.000Z</published>"
        f"<updated>2015-{1 + n % 12:02d}-{day:02d}T08:05:00.000Z</updated>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}post'/>"
        f"<category scheme='http://www.blogger.com/atom/ns#' term='Label {n % 40}'/>"
        f"<title type='text'>Post {n}: {sentence(rng, 6)}</title>"
        f"<content type='html'>{escape(body)}</content>"
        f"<link rel='alternate' type='text/html' href='http://big.blogspot.com/2015/"
        f"{1 + n % 12:02d}/post-{n}.html'/>"
        f"<author><name>Desk Editor</name></author></entry>\n"
    )


def comment_entry(rng, n, post, parent):
    related = (
        f"<link rel='related' href='http://www.blogger.com/feeds/1/{post}/comments/default/"
        f"{parent}'/>"
        if parent
        else ""
    )
    name = rng.choice(["Anonymous", "Unknown", "Reader One", "Reader Two", "Reader Three"])
    return (
        f"<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id>"
        f"<published>2015-06-01T09:00:00.000Z</published>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}comment'/>"
        f"<content type='html'>{escape(sentence(rng, 30))}</content>{related}"
        f"<author><name>{name}</name><uri>https://www.blogger.com/profile/{n % 500}</uri></author>"
        f"<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-{post}'/></entry>\n"
    )


def write_export(path: Path, megabytes: int) -> tuple[int, int]:
    rng = random.Random(3)
    target = megabytes * 1024 * 1024
    posts = comments = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
            "<updated>2016-01-01T00:00:00.000Z</updated>\n"
        )
        n = 1
        while out.tell() < target:
            post = n
            out.write(post_entry(rng, post))
            posts += 1
            n += 1
            previous = None
            for _ in range(8):
                out.write(comment_entry(rng, n, post, previous if rng.random() < 0.4 else None))
                previous = n
                comments += 1
                n += 1
        out.write("</feed>\n")
    return posts, comments


COMMENTER = """
import json, sys, time
import django
django.setup()
from django.core.cache import cache
from django.test import Client
from sitrep.comments.services import comment_submit
from sitrep.posts.models import Post
post = Post.objects.live().order_by("-published_at").first()
client, writes, reads, failures = Client(), [], [], []
stop = sys.argv[1]
n = 0
import os
while not os.path.exists(stop):
    n += 1
    started = time.perf_counter()
    try:
        comment_submit(post=post, body=f"Still here, comment {n}.", ip_hash=f"bench{n}",
                       screened=False)
    except Exception as exc:
        failures.append(repr(exc)[:200])
    writes.append(time.perf_counter() - started)
    cache.clear()
    started = time.perf_counter()
    status = client.get("/", HTTP_HOST="localhost").status_code
    reads.append(time.perf_counter() - started)
    if status != 200:
        failures.append(f"front page {status}")
    time.sleep(0.1)
print(json.dumps({"writes": writes, "reads": reads, "failures": failures}))
"""


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)] * 1000 if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--commenters", action="store_true", help="comment and read meanwhile")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-import-bench-"))
    export = workdir / "blog.xml"
    posts, comments = write_export(export, args.megabytes)
    size = export.stat().st_size / 1024 / 1024
    print(f"export: {size:.0f} MB, {posts} posts, {comments} comments")
    sitrep = str(Path(sys.executable).with_name("sitrep"))
    env = {**os.environ, "SITREP_DATA_DIR": str(workdir), "SITREP_SECRET_KEY": "bench"}
    subprocess.run([sitrep, "migrate", "-v0"], env=env, check=True)
    commenter = None
    if args.commenters:
        subprocess.run([sitrep, "demo"], env=env, check=True, capture_output=True)
        subprocess.run([sitrep, "collectstatic", "--no-input", "-v0"], env=env, check=True)
        stop = workdir / "stop"
        commenter = subprocess.Popen(
            [sys.executable, "-c", COMMENTER, str(stop)], stdout=subprocess.PIPE, text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": "sitrep.config.settings"},
        )  # fmt: skip
        time.sleep(3)  # started and commenting
    started = time.perf_counter()
    result = subprocess.run(
        [sitrep, "import", "blogger", str(export), "--no-progress"], env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    print(result.stdout.strip() or result.stderr.strip())
    print(f"import: {elapsed:.0f} s")
    if commenter is not None:
        stop.touch()
        seen = json.loads(commenter.communicate()[0])
        writes, reads = seen["writes"], seen["reads"]
        print(
            f"meanwhile: {len(writes)} comments, {len(seen['failures'])} refused or failed "
            f"{seen['failures'][:3]}; comment p50 {percentile(writes, 50):.0f} ms, "
            f"p99 {percentile(writes, 99):.0f} ms, max {max(writes) * 1000:.0f} ms; "
            f"front page (uncached) p50 {percentile(reads, 50):.0f} ms, "
            f"p99 {percentile(reads, 99):.0f} ms"
        )
    else:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
