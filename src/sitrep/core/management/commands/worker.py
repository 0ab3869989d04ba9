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
from django.utils import timezone

from sitrep.core import schedule, worker

logger = logging.getLogger("sitrep.worker")

FEDERATION = 2  # runners of the "federation" queue, each sending a batch of deliveries at once


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
        name = f"sitrep-{uuid.uuid4().hex[:8]}"
        clock = threading.Thread(target=self._clock, args=(stop, tick), daemon=True)
        heart = threading.Thread(target=self._heart, args=(stop, tick, name), daemon=True)
        backend = settings.TASKS["default"]["BACKEND"]
        rq = backend.startswith("django_tasks_rq")
        runs = "one RQ job at a time" if rq else f"{threads} threads + {FEDERATION} for deliveries"
        self.stdout.write(f"sitrep worker: {backend}, {runs}, tick {tick:g} s")
        self.stdout.flush()
        try:
            worker.beat(name, tick, timezone.now())  # before any task is taken
            worker.recover_interrupted(me=name)  # what a worker killed here left, first
        except Exception:  # the database not up yet: the heart beats again every tick
            logger.exception("the worker's first beat could not be written")
        heart.start()
        if rq:
            clock.start()
            # RQ runs in the main thread (it owns signals), with django-tasks-rq's job class.
            call_command("rqworker", "default", "federation", job_class="django_tasks_rq.Job")
            stop.set()
            worker.stop(name)
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        clock.start()
        # Fediverse deliveries have runners of their own: a fan-out to thousands of followers
        # never waits in front of feed polls, link checks and mail, nor they behind it.
        runners = [self._db_worker(name, n) for n in range(threads)] + [
            self._db_worker(name, threads + n, queue="federation") for n in range(FEDERATION)
        ]
        loops = [threading.Thread(target=self._run, args=(r, stop), daemon=True) for r in runners]
        for loop in loops:
            loop.start()
        stop.wait()
        for runner in runners:
            runner.running = False
        for loop in loops:
            loop.join(20)
        if not any(loop.is_alive() for loop in loops):
            worker.stop(name)  # nothing of ours left running
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
    def _heart(stop, tick, name):
        """The beat, and the recovery of tasks other workers left running: in a thread of its
        own, so a long round of scheduling never makes this worker look stopped."""
        started = timezone.now()
        while not stop.is_set():
            try:
                worker.beat(name, tick, started)
                recovered = worker.recover_interrupted(me=name)
                if any(recovered.values()):
                    logger.warning("interrupted tasks: %(queued)d queued again, "
                                   "%(failed)d marked failed", recovered)  # fmt: skip
            except Exception:  # the database restarting: beat again on the next tick
                logger.exception("the worker's beat could not be written")
            finally:
                connection.close()
            stop.wait(tick)

    @staticmethod
    def _db_worker(name, n, queue="default"):
        from django_tasks_db.management.commands.db_worker import Worker

        return Worker(
            queue_names=[queue],
            interval=1.0,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=f"{name}-{n}",
            excluded_queue_names=[],
        )

    @staticmethod
    def _run(runner, stop):
        while not stop.is_set():
            try:
                runner.run()
            except Exception:  # e.g. the database restarting: wait, then take tasks again
                logger.exception("task runner failed; restarting in 2 s")
                time.sleep(2)
            if not stop.is_set():
                runner.running = True
        connection.close()
