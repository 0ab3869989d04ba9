"""Link checks on the worker's clock (django-tasks has no scheduler): each tick queues the
sources whose check is due, moving them forward first so that none is queued twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sitrep.posts.models import Clip, Source
from sitrep.sources.tasks import check_source

QUEUED_GRACE = dt.timedelta(minutes=10)
PER_TICK = 50  # a steady trickle: a site's thousands of sources spread over the week


def enqueue_due_checks(*, now=None, limit: int = PER_TICK) -> int:
    now = now or timezone.now()
    cited = Clip.objects.filter(post__status__in=["published", "scheduled"]).values("source_id")
    with transaction.atomic():
        ids = list(
            Source.objects.filter(next_check_at__lte=now, pk__in=cited)
            .order_by("next_check_at")
            .values_list("pk", flat=True)[:limit]
        )
        Source.objects.filter(pk__in=ids).update(next_check_at=now + QUEUED_GRACE)
    for source_id in ids:
        transaction.on_commit(lambda source_id=source_id: check_source.enqueue(source_id))
    return len(ids)
