"""`sitrep worker`: runs queued background tasks, and the clock that queues each app's periodic
work (feed polls, link checks: see core.schedule)."""

import logging
import signal
import threading
import time
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from sitrep.core import schedule

logger = logging.getLogger("sitrep.worker")


class Command(BaseCommand):
    help = (
        "Run background work: poll due feeds, check cited links and run queued tasks "
        "(archiving, polls, checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SITREP_WORKER_THREADS,
            help="tasks run at once (feeds are fetched concurrently)",
        )
        parser.add_argument("--tick", type=float, default=10.0, help="seconds between checks")

    def handle(self, *args, threads, tick, **options):
        stop = threading.Event()
        clock = threading.Thread(target=self._clock, args=(stop, tick), daemon=True)
        backend = settings.TASKS["default"]["BACKEND"]
        rq = backend.startswith("django_tasks_rq")
        runs = "one RQ job at a time" if rq else f"{threads} threads"
        self.stdout.write(f"sitrep worker: {backend}, {runs}, tick {tick:g} s")
        self.stdout.flush()
        if rq:
            clock.start()
            # RQ runs in the main thread (it owns signals), with django-tasks-rq's job class.
            call_command("rqworker", "default", job_class="django_tasks_rq.Job")
            stop.set()
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        clock.start()
        workers = [self._db_worker(n) for n in range(threads)]
        runners = [threading.Thread(target=self._run, args=(w, stop), daemon=True) for w in workers]
        for runner in runners:
            runner.start()
        stop.wait()
        for worker in workers:
            worker.running = False
        for runner in runners:
            runner.join(20)
        self.stdout.write("sitrep worker: stopped")

    @staticmethod
    def _clock(stop, tick):
        while not stop.is_set():
            try:
                schedule.tick()
            finally:
                connection.close()
            stop.wait(tick)

    @staticmethod
    def _db_worker(n):
        from django_tasks_db.management.commands.db_worker import Worker

        return Worker(
            queue_names=["default"],
            interval=1.0,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=f"sitrep-{uuid.uuid4().hex[:8]}-{n}",
            excluded_queue_names=[],
        )

    @staticmethod
    def _run(worker, stop):
        while not stop.is_set():
            try:
                worker.run()
            except Exception:  # e.g. the database restarting: wait, then take tasks again
                logger.exception("task runner failed; restarting in 2 s")
                time.sleep(2)
            if not stop.is_set():
                worker.running = True
        connection.close()
