"""Scheduled backups: the worker's clock queues one when the newest is older than
SITREP_BACKUP_HOURS, the task writes it as `sitrep backup` does, and the oldest beyond
SITREP_BACKUP_KEEP are removed. Restoring is `sitrep restore FILE --yes`
(docs/operations.md, timed)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
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


def _local_media() -> Path | None:
    """The media library's folder when its files are on this machine's disk (not S3)."""
    from django.core.files.storage import FileSystemStorage, default_storage

    return Path(settings.MEDIA_ROOT) if isinstance(default_storage, FileSystemStorage) else None


def _mirror(source: Path, target: Path) -> int:
    """Bring `target` up to date with `source`'s files, adding only those it lacks: library
    files never change once written (their names are made from their content). Hard links on
    the same disk cost no space; across disks the files are copied. Returns how many it added."""
    added = 0
    for path in sorted(source.rglob("*")):
        copy = target / path.relative_to(source)
        if not path.is_file() or copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            copy.hardlink_to(path)
        except OSError:  # another disk, or a file system without hard links
            shutil.copy2(path, copy)
        added += 1
    return added


def media_keep(folder: Path) -> int | None:
    """Keep the media library's files in `folder`/media beside a database backup (None when the
    library is on an S3-compatible store, which keeps its own)."""
    media = _local_media()
    if media is None:
        return None
    return _mirror(media, folder / "media") if media.exists() else 0


def media_bring_back(folder: Path) -> int | None:
    """Restore the library's files a backup in `folder` kept and this site lacks."""
    media = _local_media()
    if media is None or not (folder / "media").exists():
        return None
    return _mirror(folder / "media", media)
