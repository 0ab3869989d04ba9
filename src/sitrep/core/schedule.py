"""The worker's clock: django-tasks has no scheduler, so periodic work is rows with a "next
time" field, queued when due by jobs that each app registers here (in its AppConfig.ready)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger("sitrep.worker")

# name -> a function that queues what is due and returns how many it queued
JOBS: dict[str, Callable[[], int]] = {}


def every_tick(name: str, job: Callable[[], int]) -> None:
    """Have the worker's clock run `job` on every tick; `name` says what it queues ("feed
    polls"), in the log."""
    JOBS[name] = job


def tick() -> dict[str, int]:
    """Run every registered job once: {name: how many queued}. A failing job is logged and the
    others still run: one app's broken table must not stop another app's work."""
    queued = {}
    for name, job in JOBS.items():
        try:
            queued[name] = job()
        except Exception:
            logger.exception("could not queue %s", name)
            continue
        if queued[name]:
            logger.info("queued %d %s", queued[name], name)
    return queued


def enqueue_due(queryset, *, field: str, now, grace, task, limit: int) -> int:
    """Queue `task(pk)` for each row of `queryset` whose `field` time has come, oldest first.

    Each row is moved forward by `grace` in the same transaction, so it is never queued twice
    while waiting; the task itself then sets the row's real next time.
    """
    with transaction.atomic():
        ids = list(
            queryset.filter(**{f"{field}__lte": now})
            .order_by(field)
            .values_list("pk", flat=True)[:limit]
        )
        queryset.model.objects.filter(pk__in=ids).update(**{field: now + grace})
    for pk in ids:
        transaction.on_commit(lambda pk=pk: task.enqueue(pk))
    return len(ids)
