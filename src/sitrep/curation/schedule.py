"""The worker's clock: django-tasks has no scheduler, so `sitrep worker` calls enqueue_due()
every few seconds. A feed is moved forward when queued, so it is never queued twice; the poll
itself then sets its real next time (interval, or backoff after an error)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sitrep.curation.models import Feed
from sitrep.curation.tasks import poll_feed

# Long enough for any poll to finish (fetch timeout 15 s) before the feed could be queued again.
QUEUED_GRACE = dt.timedelta(minutes=5)


def enqueue_due(*, now=None, limit: int = 500) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Feed.objects.filter(active=True, next_poll_at__lte=now)
            .order_by("next_poll_at")
            .values_list("pk", flat=True)[:limit]
        )
        Feed.objects.filter(pk__in=ids).update(next_poll_at=now + QUEUED_GRACE)
    for feed_id in ids:
        transaction.on_commit(lambda feed_id=feed_id: poll_feed.enqueue(feed_id))
    return len(ids)
