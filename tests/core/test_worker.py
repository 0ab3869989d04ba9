"""The worker's beat, and what becomes of tasks a stopped worker left running."""

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sitrep.audit.models import Entry
from sitrep.core import worker
from sitrep.core.models import WorkerBeat
from sitrep.importers.models import ImportRun

pytestmark = pytest.mark.django_db


def running(task_path, worker_ids, args=()):
    return DBTaskResult.objects.create(
        status="RUNNING", task_path=task_path, worker_ids=list(worker_ids),
        args_kwargs={"args": list(args), "kwargs": {}}, backend_name="default",
        run_after=timezone.now(), started_at=timezone.now(),
    )  # fmt: skip


def test_a_task_of_a_live_worker_is_left_alone_and_a_stopped_ones_is_queued_again():
    now = timezone.now()
    worker.beat("sitrep-live", 1.0, now)  # this process, beating
    ended = subprocess.Popen(["true"])
    ended.wait()  # a process of this machine that has ended: its id names no process
    WorkerBeat.objects.create(name="sitrep-kill", host=socket.gethostname(), pid=ended.pid,
                              tick=1.0, started=now, beat=now)  # fmt: skip
    # On another machine: busy (a minute without a beat) or gone (ten minutes).
    WorkerBeat.objects.create(name="sitrep-busy", host="elsewhere", pid=1, tick=1.0, started=now,
                              beat=now - dt.timedelta(minutes=1))  # fmt: skip
    WorkerBeat.objects.create(name="sitrep-gone", host="elsewhere", pid=1, tick=1.0, started=now,
                              beat=now - dt.timedelta(minutes=10))  # fmt: skip
    tasks = {name: running("sitrep.curation.tasks.poll_feed", [f"sitrep-{name}-0"], [i])
             for i, name in enumerate(["live", "kill", "busy", "gone", "unknown"])}  # fmt: skip
    assert worker.recover_interrupted() == {"queued": 3, "failed": 0}
    statuses = {name: DBTaskResult.objects.get(pk=t.pk).status for name, t in tasks.items()}
    assert statuses == {"live": "RUNNING", "kill": "READY", "busy": "RUNNING", "gone": "READY",
                        "unknown": "READY"}  # fmt: skip
    assert sorted(w.name for w in worker.alive()) == ["sitrep-busy", "sitrep-live"]


def test_a_second_interruption_marks_the_task_failed_with_the_reason_and_the_run_too():
    run = ImportRun.objects.create(name="big.xml", status=ImportRun.Status.IMPORTING)
    task = running("sitrep.importers.tasks.import_run_task", ["sitrep-a-0", "sitrep-b-0"],
                   [run.pk])  # fmt: skip
    assert worker.recover_interrupted() == {"queued": 0, "failed": 1}
    task.refresh_from_db()
    run.refresh_from_db()
    assert task.status == "FAILED" and "stopped" in task.traceback and "2 times" in task.traceback
    assert run.status == ImportRun.Status.FAILED and "start the import again" in run.error
    assert worker.recover_interrupted() == {"queued": 0, "failed": 0}  # once


def test_the_desk_shows_the_workers_health_and_retries_a_failed_task(editor_client):
    worker.beat("sitrep-beat", 10.0, timezone.now())
    task = running("sitrep.curation.tasks.poll_feed", ["sitrep-x-0", "sitrep-y-0"], [7])
    worker.recover_interrupted()
    page = editor_client.get("/desk/worker/").content.decode()
    assert "sitrep-beat" in page and "running" in page
    assert "poll_feed" in page and "Retry" in page and "1 failed" in page
    response = editor_client.post(f"/desk/worker/retry/{task.pk}/", follow=True)
    assert "Queued again" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "READY" and task.traceback == ""
    assert Entry.objects.filter(action="task.retry").exists()
    again = editor_client.post(f"/desk/worker/retry/{task.pk}/", follow=True)
    assert "no longer failed" in again.content.decode()


def test_with_no_worker_the_desk_says_so_and_how_to_start_one(editor_client):
    page = editor_client.get("/desk/worker/").content.decode()
    assert "No worker is running" in page and "sitrep worker" in page
