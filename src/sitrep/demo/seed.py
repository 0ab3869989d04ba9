"""Synthetic volume for bench and scale checks: `sitrep seed --posts N --comments M`.

Everything is invented and machine-made (syllable words, numbered headlines), so nobody mistakes
it for the demo week. Rows go in with bulk inserts in batches; text is generated as plain words
only, so its HTML is written directly as the paragraph the Markdown renderer would produce for it
(running markdown-it and nh3 on millions of generated strings would be most of the cost).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

BATCH = 2000
POSTS_PER_DAY = 10  # a busy curated blog: about ten short posts a day
REPLY_SHARE = 0.35  # share of comments that answer another comment

OUTLETS = [
    ("Seed Wire Service", "seedwire.example"),
    ("Vessary Evening Ledger", "vessary-ledger.example"),
    ("Northmark Radio", "northmark-radio.example"),
    ("Tolsk Observer", "tolsk-observer.example"),
]
LABELS = ["Seeded", "Northmark", "Vessary", "Tolsk"]
PLACES = ["Tolsk", "Merrin Gap", "Port Arveld", "Halden", "Kalder", "Vessary", "Northmark"]
TOPICS = (
    "river bridge convoy artillery envoy talks ceasefire drones harbour grain militia "
    "monitors border reservists shelling pass valley dam power rail depot fuel"
).split()


@dataclass
class SeedResult:
    posts: int
    clips: int
    comments: int


class _Words:
    """A Zipf-like vocabulary: a few very common words and a long tail, as in news text."""

    def __init__(self, rng: random.Random):
        syllables = ["ka", "lo", "ver", "an", "mi", "sto", "re", "da", "un", "tel", "or", "ni"]
        vocabulary = sorted(
            {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)}
        )
        rng.shuffle(vocabulary)
        # Topic words at ranks 40-60 and places at 100-110: common, but far from universal.
        vocabulary[40 : 40 + len(TOPICS)] = TOPICS
        vocabulary[100 : 100 + len(PLACES)] = PLACES
        self.rng = rng
        self.vocabulary = vocabulary
        self.cumulative = []
        total = 0.0
        for rank in range(len(vocabulary)):
            total += 1 / (rank + 10)
            self.cumulative.append(total)

    def __call__(self, k: int) -> str:
        return " ".join(self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=k))


def _fixtures():
    from django.utils.text import slugify

    from sitrep.accounts.models import User
    from sitrep.posts.models import Label, Outlet

    editor = User.objects.filter(is_editor=True).order_by("pk").first()
    if editor is None:
        editor = User.objects.create_user(
            "seed-editor", password=None, is_editor=True, public_name="Seed Editor"
        )
    for name, domain in OUTLETS:
        Outlet.objects.get_or_create(name=name, defaults={"slug": slugify(name), "domains": domain})
    for name in LABELS:
        Label.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return editor, list(Outlet.objects.all()), list(Label.objects.all())


def site_seed(
    *, posts: int, comments: int = 0, thread: int = 0, seed: int = 7, reindex: bool = True
) -> SeedResult:
    """Add `posts` published posts (two clips each, one label) ending now, `comments` comments
    spread over them, and, with `thread`, one more post carrying that many comments."""
    from sitrep.core.cache import bump
    from sitrep.posts.counts import tally_rebuild
    from sitrep.posts.models import Clip, Post
    from sitrep.search.services import index_rebuild

    rng = random.Random(seed)
    words = _Words(rng)
    editor, outlets, labels = _fixtures()
    run = secrets.token_hex(4)  # slugs unique across repeated runs, whatever the seed
    now = timezone.now()
    # Ten posts a day, or more when that would reach back past ten years (a million posts at
    # ten a day spans 270 years: 3,300 archive months no real site has).
    minutes = 24 * 60 / max(POSTS_PER_DAY, -(-posts // 3650))
    start = now - dt.timedelta(minutes=minutes * (posts + 1))
    # Comments land on posts unevenly: recent and popular posts draw most of them.
    weights = [1 / (1 + (posts - i) / 50) for i in range(posts)]
    per_post = [0] * posts
    for index in rng.choices(range(posts), weights=weights, k=comments) if posts else []:
        per_post[index] += 1

    made = SeedResult(0, 0, 0)
    total = posts + (1 if thread else 0)
    for offset in range(0, total, BATCH):
        with transaction.atomic():
            batch = []
            counts = []
            for i in range(offset, min(offset + BATCH, total)):
                n_comments = per_post[i] if i < posts else thread
                counts.append(n_comments)
                place = rng.choice(PLACES)
                phrase = words(5)
                batch.append(
                    Post(
                        headline=f"{place}: {phrase} ({i})",
                        slug=f"seed-{run}-{i}",
                        note=f"Note on {phrase}.",
                        note_html=f"<p>Note on {phrase}.</p>",
                        status=Post.Status.PUBLISHED,
                        published_at=start + dt.timedelta(minutes=minutes * i),
                        author=editor,
                        comment_count=n_comments,
                    )
                )
            Post.objects.bulk_create(batch)
            clips, through = [], []
            for post in batch:
                for position in range(2):
                    excerpt = words(60) + "."
                    clips.append(
                        Clip(
                            post=post,
                            position=position,
                            outlet=rng.choice(outlets),
                            authors="Seed Writer",
                            source_headline=words(7),
                            url=f"https://{rng.choice(OUTLETS)[1]}/{post.slug}/{position}",
                            excerpt=excerpt,
                            excerpt_html=f"<p>{excerpt}</p>",
                        )
                    )
                through.append(Post.labels.through(post_id=post.pk, label_id=rng.choice(labels).pk))
            Clip.objects.bulk_create(clips)
            Post.labels.through.objects.bulk_create(through)
            made.posts += len(batch)
            made.clips += len(clips)
            write = _copy_comments if connection.vendor == "postgresql" else _seed_comments
            made.comments += write(rng, words, batch, counts)
    tally_rebuild()  # bulk inserts bypass the post services that keep the archive counts
    if reindex:
        index_rebuild()
    if connection.vendor == "postgresql":
        # Statistics and visibility maps, as autovacuum would give a real site, once the
        # search index is written too: without them a million fresh documents made searches
        # slow (bench/README.md). (Inside a transaction, a test's, VACUUM cannot run:
        # statistics only.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    bump(posts=True)
    return made


def _comments_for(rng, words, post, count, now):
    """(time, body, name, address hash, parent) for `count` comments on `post`, the parent
    given as the index of an earlier top-level comment of the post (None: top-level). Spread
    over the time between the post and now, so no comment is dated in the future."""
    when = post.published_at
    step = max(1, int((now - when).total_seconds() / count))
    top = max(1, round(count * (1 - REPLY_SHARE)))
    tops = []
    for k in range(count):
        when += dt.timedelta(seconds=rng.randint(0, step))
        body = words(rng.randint(8, 60)) + "."
        name, address = f"Reader {rng.randint(1, 500)}", f"seed{rng.randint(1, 500)}"
        parent = rng.choice(tops) if k >= top and tops else None
        if parent is None:
            tops.append(k)
        yield when, body, name, address, parent


def _seed_comments(rng, words, posts, counts) -> int:
    """Comments as model objects through the ORM's bulk insert (SQLite)."""
    from sitrep.comments.models import Comment

    now = timezone.now()
    made = 0
    replies = []
    for post, count in zip(posts, counts, strict=True):
        if not count:
            continue
        here = []
        for when, body, name, address, parent in _comments_for(rng, words, post, count, now):
            comment = Comment(
                post=post, author_kind=Comment.AuthorKind.NAMED, author_name=name, body=body,
                body_html=f"<p>{body}</p>", created=when, ip_hash=address,
                parent=None if parent is None else here[parent],
            )  # fmt: skip
            here.append(comment)
        # Top-level comments must have their ids before replies can point at them.
        Comment.objects.bulk_create([c for c in here if c.parent is None], batch_size=BATCH)
        replies += [c for c in here if c.parent is not None]
        made += count
        if len(replies) >= BATCH:
            Comment.objects.bulk_create(replies, batch_size=BATCH)
            replies = []
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    return made


# Every column of a seeded comment, in COPY order; checked against the model at run time so a
# new field cannot be silently left out.
_COPY_COLUMNS = (
    "id post_id parent_id author_kind author_name author_website user_id body body_html status "
    "created ip_hash tripcode spam_score signals body_hash old_anchor author_handle"
).split()


def _copy_comments(rng, words, posts, counts) -> int:
    """PostgreSQL: the same comments as _seed_comments, streamed with COPY under ids reserved
    from the table's sequence up front (replies need their parents' ids). Building a model
    object per comment and inserting it with the ORM ran at about 1,000 comments a second;
    ten million comments would have taken hours."""
    from sitrep.comments.models import Comment

    total = sum(counts)
    if not total:
        return 0
    columns = {f.column for f in Comment._meta.concrete_fields}
    if columns != set(_COPY_COLUMNS):
        raise RuntimeError(
            f"seed's comment columns differ from the model's: {columns ^ set(_COPY_COLUMNS)}"
        )
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        # One call reserves the whole block: nextval gives its first id, setval moves past it.
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, total])
        next_id = cursor.fetchone()[0] - total + 1
        now = timezone.now()
        sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for post, count in zip(posts, counts, strict=True):
                if not count:
                    continue
                first = next_id
                for when, body, name, address, parent in _comments_for(
                    rng, words, post, count, now
                ):
                    copy.write_row((
                        next_id, post.pk, None if parent is None else first + parent, "named",
                        name, "", None, body, f"<p>{body}</p>", "visible", when, address, "", 0,
                        "[]", "", "", "",
                    ))  # fmt: skip
                    next_id += 1
    return total
