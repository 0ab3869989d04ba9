"""The worker's clock helper: django-tasks has no scheduler, so periodic work is rows with a
"next time" field that the clock queues when due."""

from __future__ import annotations

from django.db import transaction


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
