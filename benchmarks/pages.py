"""Server time of the reader pages, measured (not asserted).

    make bench                      # demo week, then a synthetic ten-year archive
    .venv/bin/python benchmarks/pages.py --archive-posts 36500

Runs in-process through Django's test client against a throwaway SQLite file (or DATABASE_URL),
so the numbers are view + template + database time without network or gunicorn overhead.
Each page is fetched with the cache cleared before every request ("cold") and with it warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.settings


def setup(data_dir: str) -> None:
    os.environ.setdefault("SITREP_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


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
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def report(title: str, urls: list[str], repeat: int) -> None:
    from django.test import Client

    client = Client()
    print(f"\n{title}\n{'page':<58} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9}")
    for url in urls:
        cold50, cold95 = measure(client, url, repeat, cold=True)
        warm50, _ = measure(client, url, repeat, cold=False)
        print(f"{url[:58]:<58} {cold50:8.1f}ms {cold95:8.1f}ms {warm50:8.1f}ms")


def seed_archive(n_posts: int) -> None:
    """Bulk-insert a synthetic archive: ten posts a day going back, two clips each."""
    from django.utils import timezone

    from sitrep.accounts.models import User
    from sitrep.core.html import render_excerpt
    from sitrep.posts.models import Clip, Label, Outlet, Post
    from sitrep.search.services import index_rebuild

    rng = random.Random(7)
    # A Zipf-like vocabulary: a few very common words and a long tail, as in real news text.
    syllables = ["ka", "lo", "ver", "an", "mi", "sto", "re", "da", "un", "tel", "or", "ni"]
    vocabulary = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})
    rng.shuffle(vocabulary)
    words = (
        "river bridge convoy artillery envoy talks ceasefire drones harbour grain militia "
        "monitors border reservists shelling pass valley dam power rail depot fuel"
    ).split()
    places = ["Tolsk", "Merrin Gap", "Port Arveld", "Halden", "Kalder", "Vessary", "Northmark"]
    # Topic words sit at ranks 40-60 and places at 100-110: common, but far from universal.
    vocabulary[40 : 40 + len(words)] = words
    vocabulary[100 : 100 + len(places)] = places
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]

    def text(k):
        return " ".join(rng.choices(vocabulary, weights=weights, k=k))

    editor = User.objects.filter(is_editor=True).first()
    outlets = list(Outlet.objects.all())
    labels = list(Label.objects.all())
    start = timezone.now() - dt.timedelta(days=n_posts // 10 + 8)
    batch = 2000
    for offset in range(0, n_posts, batch):
        posts = []
        for i in range(offset, min(offset + batch, n_posts)):
            phrase = text(5)
            place = rng.choice(places)
            posts.append(
                Post(
                    headline=f"{place}: {phrase} ({i})",
                    slug=f"archive-{i}",
                    note=f"Note on {phrase}.",
                    note_html=f"<p>Note on {phrase}.</p>",
                    status="published",
                    published_at=start + dt.timedelta(minutes=144 * i),
                    author=editor,
                )
            )
        Post.objects.bulk_create(posts)
        clips = []
        through = []
        for post in posts:
            for position in range(2):
                excerpt = text(60) + "."
                clips.append(
                    Clip(
                        post=post,
                        position=position,
                        outlet=rng.choice(outlets),
                        authors="Archive Writer",
                        source_headline=text(7),
                        url=f"https://archive.example/{post.slug}/{position}",
                        excerpt=excerpt,
                        excerpt_html=render_excerpt(excerpt),
                    )
                )
            through.append(Post.labels.through(post_id=post.pk, label_id=rng.choice(labels).pk))
        Clip.objects.bulk_create(clips)
        Post.labels.through.objects.bulk_create(through)
    start_index = time.perf_counter()
    count = index_rebuild()
    print(f"indexed {count} posts in {time.perf_counter() - start_index:.1f}s")
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would give a real site
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--archive-posts", type=int, default=36500, help="0 skips the archive")
    args = parser.parse_args()
    setup(tempfile.mkdtemp(prefix="sitrep-bench-"))

    from django.db import connection

    from sitrep.demo.services import demo_load
    from sitrep.posts.models import Post

    demo_load()
    post = Post.objects.published().order_by("-comment_count").first()
    label = post.labels.first()
    outlet = post.clips.first().outlet
    urls = [
        "/",
        post.get_absolute_url(),
        f"/label/{label.slug}/",
        f"/outlet/{outlet.slug}/",
        f"/{post.published_at:%Y/%m}/",
        "/archive/",
        "/search/?q=bridge",
        "/feeds/posts.atom",
    ]
    print(f"database: {connection.vendor}; {Post.objects.count()} posts")
    report("Demo week", urls, args.repeat)
    if args.archive_posts:
        started = time.perf_counter()
        seed_archive(args.archive_posts)
        print(f"seeded {args.archive_posts} posts in {time.perf_counter() - started:.1f}s")
        urls += ["/search/?q=convoy+tolsk", "/search/?q=%22merrin+gap%22+drones", "/?page=200"]
        report(f"Ten-year archive ({Post.objects.count()} posts)", urls, max(5, args.repeat // 5))


if __name__ == "__main__":
    main()
