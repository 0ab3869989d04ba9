"""Background tasks of core: thin and repeatable (django-tasks)."""

from django.core.cache import cache
from django_tasks import task

from sitrep.core import backups


@task()
def backup_task() -> dict:
    try:
        if not backups.backup_due():  # another worker's backup came first
            return {"skipped": "not due"}
        path = backups.backup_write()
        return {"file": path.name, "bytes": path.stat().st_size}
    finally:
        cache.delete(backups.QUEUED_KEY)
