"""The worker's clock: django-tasks has no scheduler, so `sitrep worker` calls enqueue_due()
every few seconds. A feed is moved forward when queued, so it is never queued twice; the poll
itself then sets its real next time (interval, or backoff after an error)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sitrep.core.schedule import enqueue_due as queue_due
from sitrep.curation.models import Feed
from sitrep.curation.tasks import poll_feed

# Long enough for any poll to finish (fetch timeout 15 s) before the feed could be queued again.
QUEUED_GRACE = dt.timedelta(minutes=5)


def enqueue_due(*, now=None, limit: int = 500) -> int:
    feeds = Feed.objects.filter(active=True)
    return queue_due(feeds, field="next_poll_at", now=now or timezone.now(),
                     grace=QUEUED_GRACE, task=poll_feed, limit=limit)  # fmt: skip
