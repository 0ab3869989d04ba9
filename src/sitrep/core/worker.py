"""What the worker's health is, and what happens to tasks a worker stopped in the middle of.

django-tasks-db marks a task RUNNING when a worker claims it, and nothing ever moves it on if
that worker is killed. Each worker process records its machine and process id and writes a
beat every tick. A worker has stopped when its process is gone from this machine, or, on
another machine, when it has not beaten for minutes (a busy worker may miss a few beats: its
task must not be run twice at once). A task whose worker stopped is run again once (every task
here is written to be repeatable: by id, skipping what is done), and marked failed with the
reason after a second interruption, so a task that kills its worker cannot do so for ever."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from sitrep.core.models import WorkerBeat

logger = logging.getLogger("sitrep.worker")

RUNS = 2  # claims of one task before an interruption marks it failed instead of queuing it
SILENCE = dt.timedelta(minutes=5)  # without a beat, a worker on another machine has stopped
INTERRUPTED = "sitrep.core.worker.Interrupted"

# Sent for each interrupted task: task_path, args, kwargs, and failed (True: not run again).
# Apps whose rows say "in progress" for a task put them back or mark them failed.
interrupted = Signal()


class Interrupted(Exception):
    """The worker running a task stopped (killed, crashed, the machine restarted)."""


def beat(name: str, tick: float, started: dt.datetime) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        name=name,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "tick": tick,
                  "started": started, "beat": now},
    )  # fmt: skip


def stop(name: str) -> None:
    """A worker that stops in order says so: its tasks are finished or given back."""
    WorkerBeat.objects.filter(name=name).delete()


def alive(now: dt.datetime | None = None) -> list[WorkerBeat]:
    now = now or timezone.now()
    return [w for w in WorkerBeat.objects.all() if not _stopped(w, now)]


def _stopped(worker: WorkerBeat, now: dt.datetime, me: str = "") -> bool:
    if worker.host == socket.gethostname()[:255]:
        if me and worker.pid == os.getpid() and worker.name != me:
            return True  # an earlier worker that ran with this process id (a restarted container)
        try:
            os.kill(worker.pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # another user's process with that id: it exists
    return now - worker.beat > SILENCE + dt.timedelta(seconds=5 * worker.tick)


def _process(worker_id: str) -> str:
    """The process part of a task runner's id (sitrep-1a2b3c4d-0 -> sitrep-1a2b3c4d)."""
    return worker_id.rsplit("-", 1)[0]


def recover_interrupted(now: dt.datetime | None = None, me: str = "") -> dict[str, int]:
    """Tasks left RUNNING by a worker that stopped: queued again, or failed with the reason
    after RUNS claims. `me`: the worker asking. Returns {"queued": n, "failed": n}."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    beats = {w.name: w for w in WorkerBeat.objects.all()}
    done = {"queued": 0, "failed": 0}
    for result in DBTaskResult.objects.running():
        last = result.worker_ids[-1] if result.worker_ids else ""
        worker = beats.get(_process(last))
        if worker is not None and not _stopped(worker, now, me):
            continue
        failed = len(result.worker_ids) >= RUNS
        with transaction.atomic():
            updated = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING")
            if failed:
                reason = (
                    f"{INTERRUPTED}: the worker running this task stopped (killed, crashed or "
                    f"its machine restarted), {len(result.worker_ids)} times; it is not run "
                    "again by itself. Retry it from the desk's worker page."
                )
                count = updated.update(status="FAILED", finished_at=now, traceback=reason,
                                       exception_class_path=INTERRUPTED)  # fmt: skip
            else:
                # Its place in the queue kept: ahead of what was queued after it.
                count = updated.update(status="READY", started_at=None)
        if not count:
            continue  # another worker recovered it first
        done["failed" if failed else "queued"] += 1
        outcome = "marked failed" if failed else "queued again"
        logger.warning("task %s (%s) interrupted on %s: %s", result.pk, result.task_path,
                       last or "an unknown worker", outcome)  # fmt: skip
        args = result.args_kwargs or {}
        interrupted.send(__name__, task_path=result.task_path, args=args.get("args", []),
                         kwargs=args.get("kwargs", {}), failed=failed)  # fmt: skip
    WorkerBeat.objects.filter(beat__lt=now - dt.timedelta(days=1)).delete()
    return done


def retry(result_id) -> bool:
    """Queue a failed task again, as it was (the desk's retry button)."""
    from django_tasks_db.models import DBTaskResult

    return bool(
        DBTaskResult.objects.filter(pk=result_id, status="FAILED").update(
            status="READY",
            run_after=timezone.now(),
            started_at=None,
            finished_at=None,
            exception_class_path="",
            traceback="",
        )  # fmt: skip
    )
