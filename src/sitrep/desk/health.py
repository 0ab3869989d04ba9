"""The worker's health in the desk: is a worker beating, how much waits, what failed and why,
with a button to run a failed task again."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from sitrep.accounts.permissions import editor_required
from sitrep.audit.services import record
from sitrep.core import worker
from sitrep.core.models import WorkerBeat

FAILED_SHOWN = 50


def _rq_counts() -> dict[str, int] | None:
    """Waiting and failed jobs when tasks go through RQ (Redis), else None."""
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
        return None
    import django_rq

    queue = django_rq.get_queue("default")
    return {"waiting": queue.count, "failed": queue.failed_job_registry.count}


@editor_required
def worker_health(request):
    now = timezone.now()
    beats = list(WorkerBeat.objects.all())
    running_now = {w.pk for w in worker.alive(now)}
    tasks = DBTaskResult.objects.all()
    day_ago = now - dt.timedelta(days=1)
    context = {
        "workers": [{"beat": w, "alive": w.pk in running_now} for w in beats],
        "waiting": tasks.filter(status="READY").count(),
        "running": tasks.filter(status="RUNNING").order_by("started_at"),
        "failed": tasks.filter(status="FAILED").order_by("-finished_at")[:FAILED_SHOWN],
        "failed_total": tasks.filter(status="FAILED").count(),
        "done_today": tasks.filter(status="SUCCESSFUL", finished_at__gte=day_ago).count(),
        "rq": _rq_counts(),
        "now": now,
    }
    return render(request, "desk/worker.html", context)


@editor_required
@require_POST
def worker_retry(request, result_id):
    result = DBTaskResult.objects.filter(pk=result_id).first()
    if result is not None and worker.retry(result_id):
        record("task.retry", target=f"{result.task_path.rsplit('.', 1)[-1]} {result.args_kwargs}",
               changes={"status": ["failed", "queued"]})  # fmt: skip
        messages.success(request, "Queued again: the worker runs it within a few seconds.")
    else:
        messages.error(request, "That task is no longer failed (run again already, or gone).")
    return redirect("desk:worker")
