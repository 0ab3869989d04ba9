"""Link checks on the worker's clock (django-tasks has no scheduler): each tick queues the
sources whose check is due, moving them forward first so that none is queued twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sitrep.core.schedule import enqueue_due as queue_due
from sitrep.linkcheck.services import fetchable
from sitrep.linkcheck.tasks import check_source
from sitrep.posts.models import Clip, Post, Source

QUEUED_GRACE = dt.timedelta(minutes=10)
PER_TICK = 50  # a steady trickle: a site's thousands of sources spread over the week


def enqueue_due_checks(*, now=None, limit: int = PER_TICK) -> int:
    cited = Clip.objects.filter(post__status__in=Post.RELEASED).values("source_id")
    sources = fetchable(Source.objects.filter(pk__in=cited))  # never the demo's invented outlets
    return queue_due(sources, field="next_check_at",
                     now=now or timezone.now(), grace=QUEUED_GRACE, task=check_source,
                     limit=limit)  # fmt: skip
