"""Test settings: the real settings, with a throwaway data dir and fast, observable doubles."""

import os
import tempfile

os.environ.setdefault("SITREP_ENV_FILE", "")  # not the checkout's .env from `make run`
os.environ.setdefault("SITREP_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SITREP_DATA_DIR", tempfile.mkdtemp(prefix="sitrep-test-"))
os.environ.setdefault("SITREP_SITE_NAME", "Test Desk")
os.environ.setdefault("SITREP_TIME_ZONE", "America/New_York")
os.environ.setdefault("CACHE_URL", "locmem://")  # one process; CI's second run uses Redis
if os.environ["CACHE_URL"].startswith("redis") and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each test clears the cache (FLUSHDB), so parallel workers need Redis databases of their
    # own: gw0 keeps the one given, the others count down below the two test_scale_out uses.
    index = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    base, _, number = os.environ["CACHE_URL"].rpartition("/")
    os.environ["CACHE_URL"] = f"{base}/{int(number) - (index + 3 if index else 0)}"
os.environ.setdefault("SITREP_FETCH_ALLOW_PRIVATE", "true")  # fixtures are served on loopback
os.environ.setdefault("SITREP_TASKS_BACKEND", "dummy")  # tests assert what was enqueued
os.environ.setdefault("SITREP_SITE_URL", "http://testserver")  # links in mail, for the client
os.environ.setdefault("SITREP_BACKUP_HOURS", "0")  # the clock's backups: tested on their own

from sitrep.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITREP_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"  # the worker fixture sends
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A test database in a file, in WAL mode like production, so tests with several threads
    # (concurrent polling) meet SQLite's real locking instead of shared-cache memory's.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns without it)
LOGGING = {"version": 1, "disable_existing_loggers": False}
