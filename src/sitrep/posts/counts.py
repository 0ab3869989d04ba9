"""Live posts per archive month, label and outlet, kept in a table as posts change.

Counting them from the posts costs a scan of the archive on every cold sidebar and archive page,
too slow at a million posts (bench/README.md). Instead each post service works out what a post
adds to the counts before and after its change (`shares`) and applies the difference
(`tally_apply`), in its own transaction; a post deleted any way (a cascade too) takes its share
away in a `pre_delete` receiver. Bulk writers (the seed) call `tally_rebuild`.

A scheduled post counts from the moment it is saved; readers must not see it before its time,
so the readers here take away the few posts whose time has not come. Months are the site's
local months: the table records which time zone it was counted in and is rebuilt, once, on the
first read after that setting changes (or on the first read after the upgrade that added it).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from sitrep.posts.models import ArchiveCount, Clip, Post

MONTH, LABEL, OUTLET, ZONE = (
    ArchiveCount.Kind.MONTH,
    ArchiveCount.Kind.LABEL,
    ArchiveCount.Kind.OUTLET,
    ArchiveCount.Kind.ZONE,
)

Shares = Counter  # (kind, key) -> posts


def month_key(when: dt.datetime) -> int:
    """202611 for any moment in November 2026, site time."""
    local = timezone.localtime(when, timezone.get_default_timezone())
    return local.year * 100 + local.month


def _zone_key() -> int:
    return zlib.crc32(settings.TIME_ZONE.encode())


def shares(post_ids) -> Shares:
    """What these posts add to the counts as they are in the database now: one to their month,
    one to each of their labels, one to each outlet they quote (however many clips)."""
    found: Shares = Counter()
    released = list(
        Post.objects.released()
        .filter(pk__in=post_ids, published_at__isnull=False)
        .order_by()
        .values_list("pk", "published_at")
    )
    if not released:
        return found
    ids = [pk for pk, _ in released]
    for _, published_at in released:
        found[(MONTH, month_key(published_at))] += 1
    links = Post.labels.through.objects.filter(post_id__in=ids).order_by()
    for label_id in links.values_list("label_id", flat=True):
        found[(LABEL, label_id)] += 1
    clips = Clip.objects.filter(post_id__in=ids).order_by()
    for _, outlet_id in set(clips.values_list("post_id", "outlet_id")):
        found[(OUTLET, outlet_id)] += 1
    return found


def tally_apply(before: Shares, after: Shares) -> None:
    """Add `after` and take away `before`, in the caller's transaction (one statement per
    changed row, an upsert, so two writers never lose each other's change)."""
    delta = Counter(after)
    delta.subtract(before)
    changes = sorted((key, n) for key, n in delta.items() if n)  # one lock order for all
    if not changes:
        return
    table = connection.ops.quote_name(ArchiveCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (kind, key, n) VALUES (%s, %s, %s) "
            f"ON CONFLICT (kind, key) DO UPDATE SET n = {table}.n + excluded.n",
            [(kind, key, n) for (kind, key), n in changes],
        )


def tally_hold(post_id: int) -> Shares:
    """Before a change to a post: lock its row (two edits in flight must not both start from
    the old shares) and return what it adds to the counts now."""
    Post.objects.select_for_update().filter(pk=post_id).values_list("pk").first()
    return shares([post_id])


def tally_update(post_id: int, before: Shares) -> None:
    """After a change to a post, in the same transaction: the counts follow."""
    tally_apply(before, shares([post_id]))


@transaction.atomic
def tally_rebuild() -> None:
    """Count everything again from the posts (after bulk writes, or a new time zone)."""
    count_everything(Post, Clip, ArchiveCount, connection)


def count_everything(post_model, clip_model, count_model, db) -> None:
    """The counts from scratch, given the models (the migration that adds the table passes its
    own historical ones), inside the caller's transaction."""
    table = db.ops.quote_name(count_model._meta.db_table)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # Post services wait until the new counts are in, and then add their change.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        # On SQLite this write takes the database's one write lock before anything is read.
        cursor.execute(f"DELETE FROM {table}")
    released = post_model.objects.filter(
        status__in=Post.RELEASED, published_at__isnull=False
    ).order_by()
    counts: Counter = Counter()
    for published_at in released.values_list("published_at", flat=True).iterator(chunk_size=10000):
        counts[(MONTH, month_key(published_at))] += 1
    labels = post_model.labels.through.objects.filter(post__in=released).order_by()
    per_label = labels.values("label_id").annotate(n=Count("pk"))
    for label_id, n in per_label.values_list("label_id", "n"):
        counts[(LABEL, label_id)] = n
    clips = clip_model.objects.filter(post__in=released).order_by()
    per_outlet = clips.values("outlet_id").annotate(n=Count("post_id", distinct=True))
    for outlet_id, n in per_outlet.values_list("outlet_id", "n"):
        counts[(OUTLET, outlet_id)] = n
    counts[(ZONE, _zone_key())] = 1
    count_model.objects.bulk_create(
        [count_model(kind=kind, key=key, n=n) for (kind, key), n in counts.items()],
        batch_size=1000,
    )


def _counted(kind: str) -> dict[int, int]:
    """{key: live posts} of one kind, counted in this time zone (rebuilt first if not)."""
    zone = _zone_key()
    rows = ArchiveCount.objects.filter(kind=kind, n__gt=0) | ArchiveCount.objects.filter(
        kind=ZONE, key=zone
    )
    found = list(rows.values_list("kind", "key", "n"))
    if (ZONE, zone, 1) not in found:
        tally_rebuild()
        return _counted(kind)
    return {key: n for k, key, n in found if k == kind}


def _not_yet(now) -> list[int]:
    """Counted posts readers cannot see yet: scheduled for later (there are few)."""
    return list(
        Post.objects.filter(status__in=Post.RELEASED, published_at__gt=now).values_list(
            "pk", flat=True
        )
    )


def live_counts(kind: str, *, now=None) -> dict[int, int]:
    """{month key, label id or outlet id: posts readers can see now}."""
    counts = Counter(_counted(kind))
    waiting = _not_yet(now or timezone.now())
    if waiting:
        counts.subtract({key: n for (k, key), n in shares(waiting).items() if k == kind})
    return {key: n for key, n in counts.items() if n > 0}
