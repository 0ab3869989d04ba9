"""Reads beyond a QuerySet method: archives, counts."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from sitrep.posts.models import Clip, Label, Outlet, Post

LIVE = (Post.Status.PUBLISHED, Post.Status.SCHEDULED)


def _month_starts(first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    """Local midnights of the first day of each month from `first`'s to the one after `last`'s."""
    tz = timezone.get_current_timezone()
    first, last = timezone.localtime(first, tz), timezone.localtime(last, tz)
    year, month = first.year, first.month
    starts = []
    while (year, month) <= (last.year, last.month + 1) or len(starts) < 2:
        starts.append(dt.datetime(year, month, 1, tzinfo=tz))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def archive_months(*, now=None):
    """[(year, [(month_date, count), ...], year_total), ...] newest first, in the site's time
    zone, counting live posts.

    One range count per month, glued into one statement, each answered from the (published_at,
    status) index. Grouping by TruncMonth instead calls a time-zone function on every row: on
    SQLite with 100,000 posts that took 565 ms, this takes about 15.
    """
    now = now or timezone.now()
    live = Post.objects.filter(status__in=LIVE, published_at__lte=now)
    first = live.order_by("published_at").values_list("published_at", flat=True).first()
    if first is None:
        return []
    starts = _month_starts(first, now)
    table = Post._meta.db_table
    # Raw parameters skip the ORM's conversion (to UTC text on SQLite): do it here.
    adapt = connection.ops.adapt_datetimefield_value
    parts, params = [], []
    for index, (start, end) in enumerate(itertools.pairwise(starts)):
        parts.append(
            f"SELECT {index}, COUNT(*) FROM {table} WHERE status IN (%s, %s) "
            "AND published_at >= %s AND published_at < %s AND published_at <= %s"
        )
        params += [*LIVE, *map(adapt, (start, end, now))]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        counts = dict(cursor.fetchall())
    years: dict[int, list] = {}
    for index in sorted(counts, reverse=True):
        if counts[index]:
            month = starts[index]
            years.setdefault(month.year, []).append((month, counts[index]))
    return [(year, months, sum(n for _, n in months)) for year, months in years.items()]


def _not_live(now) -> Q:
    """Posts readers cannot see yet: drafts, and scheduled posts whose time has not come. There
    are few of them, so counting everything and taking these away is cheap."""
    return Q(status=Post.Status.DRAFT) | Q(published_at__gt=now) | Q(published_at__isnull=True)


def _live_counts(links, group: str, *, now, distinct: str = "") -> dict[int, int]:
    """{group id: live posts} over a link table (post-label, clip): every link counted, minus the
    links of posts that are not live. Counting only live posts directly means filtering on a
    subquery of 100,000 ids (66 ms at 100,000 posts on SQLite); this reads an index (~10 ms)."""
    measure = Count(distinct, distinct=True) if distinct else Count("pk")
    links = links.order_by()
    totals = dict(links.values(group).annotate(n=measure).values_list(group, "n"))
    hidden = links.filter(post__in=Post.objects.filter(_not_live(now)))
    for key, n in hidden.values(group).annotate(n=measure).values_list(group, "n"):
        totals[key] -= n
    return {key: n for key, n in totals.items() if n > 0}


def label_counts(*, now=None) -> list[Label]:
    """Labels with the number of live posts each (as `n`), most used first."""
    counts = _live_counts(Post.labels.through.objects.all(), "label_id", now=now or timezone.now())
    labels = list(Label.objects.filter(pk__in=counts))
    for label in labels:
        label.n = counts[label.pk]
    labels.sort(key=lambda label: (-label.n, label.name))
    return labels


def outlet_counts(*, now=None) -> list[Outlet]:
    """Outlets with the number of live posts quoting each (as `n`), by name."""
    counts = _live_counts(
        Clip.objects.all(), "outlet_id", now=now or timezone.now(), distinct="post_id"
    )
    outlets = list(Outlet.objects.filter(pk__in=counts))
    for outlet in outlets:
        outlet.n = counts[outlet.pk]
    return outlets
