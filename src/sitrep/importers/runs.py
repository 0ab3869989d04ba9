"""An import as the editor follows it: started from the desk (the worker does it) or the
command line, its progress while it runs, its report after, then its images being copied."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from sitrep.audit.services import record
from sitrep.importers.images import images_retry
from sitrep.importers.load import detect_format, import_file
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.importers.records import ImportFileError

PROGRESS_EVERY = 0.5  # seconds between progress updates a page can read


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def import_run_start(*, upload, fmt: str, by) -> ImportRun:
    """Keep an uploaded export where the worker can read it, and queue its import."""
    from sitrep.importers.tasks import import_run_task

    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    run = ImportRun.objects.create(name=upload.name[:300], path=str(path), format=fmt, by=by)
    transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
    return run


def _progress_key(run_id: int) -> str:
    return f"sitrep:import-run:{run_id}"


def import_run_progress(run: ImportRun) -> dict:
    """{"phase", "done", "total"} of a running import, from the shared cache: the import's own
    transaction holds the database, and every process reads the same cache."""
    return cache.get(_progress_key(run.pk)) or {}


class _Progress:
    def __init__(self, run: ImportRun, total: int, on_bytes=None, on_phase=None):
        self.run, self.total, self.on_bytes, self.on_phase = run, total, on_bytes, on_phase
        self.phase, self.done, self.shown = "", 0, 0.0

    def bytes(self, n: int) -> None:
        self.done += n
        if self.on_bytes:
            self.on_bytes(n)
        if time.monotonic() - self.shown > PROGRESS_EVERY:
            self.publish()

    def start(self, phase: str) -> None:
        self.phase, self.done = phase, 0
        if self.on_phase:
            self.on_phase(phase)
        ImportRun.objects.filter(pk=self.run.pk).update(status=phase)
        self.publish()

    def publish(self) -> None:
        self.shown = time.monotonic()
        value = {"phase": self.phase, "done": self.done, "total": self.total}
        cache.set(_progress_key(self.run.pk), value, 24 * 3600)


def import_run_execute(*, run: ImportRun, path: Path | None = None, on_bytes=None,
                       on_phase=None) -> ImportRun:  # fmt: skip
    """Import the run's file and keep the report (or the reason it was refused) on the run;
    then queue the copying of the images its posts show. An uploaded file is removed after."""
    from sitrep.importers.tasks import images_copy_task

    path = Path(path or run.path)
    progress = _Progress(run, path.stat().st_size if path.exists() else 0, on_bytes, on_phase)
    try:
        fmt = None if run.format == "auto" else run.format
        run.format = fmt or detect_format(path)
        report = import_file(
            path, fmt=run.format, on_bytes=progress.bytes, on_phase=progress.start, run=run
        )
    except ImportFileError as exc:
        run.status, run.error = ImportRun.Status.FAILED, f"{exc}. Nothing was imported."
    else:
        run.status, run.report = ImportRun.Status.DONE, report.as_dict()
    finally:
        if run.path and Path(run.path).exists():
            Path(run.path).unlink()
        cache.delete(_progress_key(run.pk))
    run.path, run.finished = "", timezone.now()
    run.save()
    report = run.report or {}
    counts = {k: report[k] for k in ("posts_new", "comments_new", "images") if k in report}
    record("site.import", target=f"{run.name} ({run.format}): {run.get_status_display()}",
           target_url=reverse("desk:import_run", args=[run.pk]),
           changes={"result": [None, run.error or counts]}, actor=run.by)  # fmt: skip
    if run.images.filter(status=ImageCopy.Status.WAITING).exists():
        transaction.on_commit(lambda: images_copy_task.enqueue(run.pk))
    return run


def import_run_images_retry(*, run: ImportRun) -> int:
    """Queue the run's images that could not be copied for another try; returns how many."""
    from sitrep.importers.tasks import images_copy_task

    count = images_retry(run=run)
    if count:
        transaction.on_commit(lambda: images_copy_task.enqueue(run.pk))
    return count


def images_summary(run: ImportRun) -> dict[str, int]:
    counts = dict.fromkeys(ImageCopy.Status.values, 0)
    counts.update(run.images.order_by().values_list("status").annotate(n=Count("pk")))
    return counts
