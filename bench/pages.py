"""Server time of the reader pages, measured (not asserted).

    make bench                      # demo week, then a synthetic ten-year archive
    .venv/bin/python bench/pages.py --archive-posts 36500

Runs in-process through Django's test client against a throwaway SQLite file (or DATABASE_URL),
so the numbers are view + template + database time without network or gunicorn overhead.
Each page is fetched with the cache cleared before every request ("cold") and with it warm.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.settings


def setup(data_dir: str) -> None:
    os.environ.setdefault("SITREP_DATA_DIR", data_dir)
    # The site's own default, not the tests' zone: the archive counts are kept per time zone,
    # and reading a site seeded in another zone recounts a million posts on the first request.
    os.environ.setdefault("SITREP_TIME_ZONE", "UTC")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from sitrep.core.gcfreeze import freeze_as_worker

    freeze_as_worker()  # as sitrep.config.wsgi does in a web worker


def measure(client, url: str, repeat: int, *, cold: bool) -> tuple[float, float]:
    from django.core.cache import cache

    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), percentile(times, 95), percentile(times, 99), times[-1]


def percentile(ordered: list[float], p: int) -> float:
    """The nearest-rank percentile: with fewer than 100 requests, p99 is the slowest."""
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def report(title: str, urls: list[str], repeat: int) -> None:
    from django.test import Client

    client = Client()
    print(
        f"\n{title}\n{'page':<58} {'cold p50':>9} {'cold p95':>9} {'cold p99':>9} "
        f"{'cold max':>9} {'warm p50':>9}"
    )
    for url in urls:
        cold50, cold95, cold99, cold_max = measure(client, url, repeat, cold=True)
        warm50, *_ = measure(client, url, repeat, cold=False)
        print(
            f"{url[:58]:<58} {cold50:8.1f}ms {cold95:8.1f}ms {cold99:8.1f}ms {cold_max:8.1f}ms "
            f"{warm50:8.1f}ms"
        )


def reader_urls(post) -> list[str]:
    """The front page and the post's own, label, outlet, month and archive pages."""
    label, outlet = post.labels.first(), post.clips.first().outlet
    return [
        "/",
        post.get_absolute_url(),
        f"/label/{label.slug}/",
        f"/outlet/{outlet.slug}/",
        f"/{post.published_at:%Y/%m}/",
        "/archive/",
    ]


def report_existing(repeat: int) -> None:
    from django.db import connection

    from sitrep.comments.models import Comment
    from sitrep.posts.models import Post

    big = Post.objects.order_by("-comment_count").first()
    post = Post.objects.live().order_by("-published_at")[100]
    urls = [
        *reader_urls(post),
        "/?page=200",
        "/feeds/posts.atom",
        big.get_absolute_url(),
        f"{big.get_absolute_url()}?comments={(big.comment_count // 200) // 2 + 1}",
        "/search/?q=bridge",
        "/search/?q=convoy+tolsk",
        "/search/?q=%22merrin+gap%22+drones",
    ]
    posts, comments = Post.objects.count(), Comment.objects.count()
    print(f"database: {connection.vendor}; {posts} posts, {comments} comments")
    report(f"Existing site ({posts} posts, {comments} comments)", urls, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--archive-posts", type=int, default=36500, help="0 skips the archive")
    parser.add_argument("--thread", type=int, default=10000, help="comments on one big thread")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the site in DATABASE_URL as it is (after `sitrep seed`), adding nothing",
    )
    args = parser.parse_args()
    setup(tempfile.mkdtemp(prefix="sitrep-bench-"))

    from django.db import connection

    from sitrep.demo.services import demo_load
    from sitrep.posts.models import Post

    if args.existing:
        report_existing(args.repeat)
        return
    demo_load()
    post = Post.objects.live().order_by("-comment_count").first()
    urls = [
        *reader_urls(post),
        "/search/?q=bridge",
        "/feeds/posts.atom",
    ]
    print(f"database: {connection.vendor}; {Post.objects.count()} posts")
    report("Demo week", urls, args.repeat)
    if args.archive_posts:
        from sitrep.demo.seed import site_seed

        started = time.perf_counter()
        made = site_seed(
            posts=args.archive_posts, comments=args.archive_posts * 10, thread=args.thread
        )
        print(
            f"seeded {made.posts} posts, {made.comments} comments "
            f"in {time.perf_counter() - started:.1f}s"
        )
        urls += ["/search/?q=convoy+tolsk", "/search/?q=%22merrin+gap%22+drones", "/?page=200"]
        if args.thread:
            big = Post.objects.order_by("-comment_count").first()
            middle = (big.comment_count // 200) // 2 + 1
            urls += [big.get_absolute_url(), f"{big.get_absolute_url()}?comments={middle}"]
        report(f"Ten-year archive ({Post.objects.count()} posts)", urls, max(5, args.repeat // 5))


if __name__ == "__main__":
    main()
