"""Server time of one post page with 200 threaded comments (replies up to six deep), cold and
warm, measured (not asserted): for comparing two versions of the thread's markup in turn.

    .venv/bin/python bench/thread_page.py --repeat 200
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import measure, setup  # noqa: E402


def thread(post, count: int) -> None:
    """`count` comments: a third top-level, the rest replies to a random earlier one."""
    from sitrep.comments.services import comment_submit

    rng = random.Random(7)
    made = []
    for n in range(count):
        parent = rng.choice(made) if made and n % 3 else None
        comment = comment_submit(
            post=post, body=f"Comment {n}: " + "words " * rng.randint(10, 60),
            author_name=f"Reader {n % 17}", ip_hash=f"h{n}", parent_id=parent, screened=False,
        )  # fmt: skip
        made.append(comment.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    setup(tempfile.mkdtemp(prefix="sitrep-bench-"))
    from django.test import Client

    from sitrep.demo.services import demo_load
    from sitrep.posts.models import Post

    demo_load()
    post = Post.objects.live().order_by("comment_count").first()
    thread(post, 200)
    client = Client()
    url = post.get_absolute_url()
    size = len(client.get(url).content)
    cold = measure(client, url, args.repeat, cold=True)
    warm = measure(client, url, args.repeat, cold=False)
    print(f"{url} ({size:,} bytes): cold p50 {cold[0]:.2f} ms p95 {cold[1]:.2f} ms; "
          f"warm p50 {warm[0]:.3f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
