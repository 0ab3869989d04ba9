import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Collect static files and serve sitrep with gunicorn (address from --bind or SITREP_BIND)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.SITREP_BIND, help="HOST:PORT to listen on")
        parser.add_argument("--workers", type=int, default=settings.SITREP_WORKERS)

    def handle(self, *args, bind, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"sitrep serving on http://{bind}/ (Ctrl+C stops it)")
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "sitrep.config.wsgi:application",
            "--bind", bind,
            "--workers", str(workers),
            "--threads", "4",
            "--access-logfile", "-",
            "--forwarded-allow-ips", "127.0.0.1",
            # gunicorn's control interface is unused here, and its socket's default path is
            # one per user: two app servers on one machine would fight over it.
            "--no-control-socket",
        ]  # fmt: skip
        os.execv(sys.executable, argv)
