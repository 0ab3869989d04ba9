"""Scheduled backups: the worker's clock queues one when the newest is older than
SITREP_BACKUP_HOURS, the task writes it as `sitrep backup` does, and the oldest beyond
SITREP_BACKUP_KEEP are removed. Restoring is `sitrep restore FILE --yes`
(docs/operations.md, timed)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("sitrep.worker")

PATTERN = "sitrep-*.backup"
QUEUED_KEY = "sitrep:backup-queued"


def backups(folder: Path | None = None) -> list[Path]:
    """The scheduled backups in `folder`, newest first."""
    folder = folder or settings.SITREP_BACKUP_DIR
    return sorted(folder.glob(PATTERN), key=lambda p: p.name, reverse=True)


def backup_due(now: dt.datetime | None = None) -> bool:
    hours = settings.SITREP_BACKUP_HOURS
    if not hours:
        return False
    found = backups()
    if not found:
        return True
    newest = dt.datetime.fromtimestamp(found[0].stat().st_mtime, tz=dt.UTC)
    return (now or timezone.now()) - newest >= dt.timedelta(hours=hours)


def backup_write(now: dt.datetime | None = None) -> Path:
    """A backup now, named by its time and database (sitrep-20261207-0400-sqlite.backup)."""
    folder = settings.SITREP_BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    moment = (now or timezone.now()).astimezone(dt.UTC)
    path = folder / f"sitrep-{moment:%Y%m%d-%H%M%S}-{connection.vendor}.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    removed = backups_prune()
    logger.info("backup written to %s (%d bytes); %d old removed", path, path.stat().st_size,
                len(removed))  # fmt: skip
    return path


def backups_prune() -> list[Path]:
    """Remove the scheduled backups beyond the newest SITREP_BACKUP_KEEP; returns them."""
    old = backups()[settings.SITREP_BACKUP_KEEP :]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def enqueue_due_backup() -> int:
    """The clock's job: queue a backup when one is due, once (several workers may ask)."""
    from sitrep.core.tasks import backup_task

    if not backup_due() or not cache.add(QUEUED_KEY, 1, timeout=15 * 60):
        return 0
    backup_task.enqueue()
    return 1
