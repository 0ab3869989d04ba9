import fcntl
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SERVERS = ("granian", "gunicorn")


class Command(BaseCommand):
    help = (
        "Collect static files and serve sitrep (granian by default, or gunicorn) at --bind or "
        "SITREP_BIND."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.SITREP_BIND, help="HOST:PORT to listen on")
        parser.add_argument("--workers", type=int, default=settings.SITREP_WORKERS)
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SITREP_THREADS,
            help="Python threads per worker process (default from SITREP_THREADS)",
        )
        parser.add_argument(
            "--server",
            choices=SERVERS,
            default=settings.SITREP_SERVER,
            help="the WSGI server (default from SITREP_SERVER)",
        )
        parser.add_argument(
            "--certificate",
            help="serve HTTPS with this certificate (PEM; granian only), without nginx in front",
        )
        parser.add_argument("--key", help="the certificate's private key (PEM, PKCS#8)")

    def handle(self, *args, bind, workers, threads, server, certificate, key, **options):
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind wants HOST:PORT, not {bind!r}")
        if bool(certificate) != bool(key) or (certificate and server != "granian"):
            raise CommandError("HTTPS needs both --certificate and --key, with granian")
        tls = ["--ssl-certificate", certificate, "--ssl-keyfile", key] if certificate else []
        # Several servers may share one data folder (tests/test_scale_out.py): one collects at a
        # time, or two would write the same manifest at once.
        Path(settings.STATIC_ROOT).parent.mkdir(parents=True, exist_ok=True)
        with open(Path(settings.STATIC_ROOT).parent / ".collectstatic.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command("collectstatic", interactive=False, verbosity=0)
        scheme = "https" if certificate else "http"
        self.stdout.write(f"sitrep serving on {scheme}://{bind}/ with {server} (Ctrl+C stops it)")
        sys.stdout.flush()
        if server == "granian":
            # granian serves cached pages faster than gunicorn with the same workers and
            # threads (bench/README.md, throughput).
            argv = [
                sys.executable, "-m", "granian", "--interface", "wsgi",
                "--host", host, "--port", port,
                "--workers", str(workers), "--blocking-threads", str(threads),
                "--respawn-failed-workers", "--log-level", "info",
                *(["--access-log"] if settings.SITREP_ACCESS_LOG else []),
                *tls,
                "sitrep.config.wsgi:application",
            ]  # fmt: skip
        else:
            argv = [
                sys.executable, "-m", "gunicorn", "sitrep.config.wsgi:application",
                "--bind", bind,
                "--workers", str(workers),
                "--threads", str(threads),
                *(["--access-logfile", "-"] if settings.SITREP_ACCESS_LOG else []),
                "--forwarded-allow-ips", "127.0.0.1",
                # gunicorn's control interface is unused here, and its socket's default path
                # is one per user: two app servers on one machine would fight over it.
                "--no-control-socket",
            ]  # fmt: skip
        os.execv(sys.executable, argv)
