import datetime as dt
import os
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from sitrep.accounts.models import User
from sitrep.accounts.services import editor_create
from sitrep.posts.services import Action, ClipData, post_write

# Tests that start real processes, browsers or servers. `make test` runs them all; a developer
# may leave them out while working (`make test-fast`, i.e. pytest -m "not slow").
SLOW = (
    "tests/browser/",
    "tests/test_backup.py",
    "tests/test_cli.py",
    "tests/test_deploy_nginx.py",
    "tests/test_naughty_strings.py",
    "tests/test_readme.py",
    "tests/test_scale_out.py",
    "tests/test_worker_killed.py",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from sitrep.pages import cache as pagecache

    cache.clear()
    pagecache._local.clear()  # each test is a new site: no page from the last one
    yield
    cache.clear()
    pagecache._local.clear()


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    # Django's test set-up swaps EMAIL_BACKEND for its in-memory one; the site's own way out is
    # the outbox, sent by the worker (the `worker` fixture) through SITREP_MAIL_TRANSPORT.
    settings.EMAIL_BACKEND = "sitrep.mail.outbox.OutboxBackend"


@pytest.fixture
def editor(db):
    return editor_create(username="desk", password="desk-password-1", signature="Night Editor")


@pytest.fixture
def reader(db):
    user = User.objects.create_user("kestrel", password="reader-password-1", public_name="Kestrel")
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def clip(n=1, *, outlet="Harbor Ledger", url=None, excerpt=None, authors="Ilse Brandvold"):
    return ClipData(
        outlet_name=outlet,
        source_headline=f"Source headline {n}",
        url=url or f"https://harborledger.example/story-{n}",
        excerpt=excerpt or f"First paragraph of excerpt {n}.\n\nSecond paragraph {n}.",
        authors=authors,
    )


@pytest.fixture
def make_post(editor):
    """Publish a post through the real service; returns the Post."""

    def make(
        headline="A headline",
        *,
        clips=None,
        note="An editor's note.",
        labels=("Northmark",),
        when=None,
        action=Action.PUBLISH,
        **kwargs,
    ):
        when = when or timezone.now() - dt.timedelta(minutes=5)
        return post_write(
            post=None,
            author=editor,
            headline=headline,
            clips=clips or [clip()],
            note=note,
            labels=list(labels),
            action=action,
            published_at=when,
            now=kwargs.pop("now", None),
            **kwargs,
        )

    return make


@pytest.fixture(scope="session")
def web():
    """The loopback web server with our feed and article fixtures (tests/webserver.py)."""
    from tests.webserver import LocalWeb

    server = LocalWeb().start()
    yield server
    server.stop()


@pytest.fixture
def site_env(tmp_path):
    """Makes environments for `sitrep` subprocesses, each on a site of its own: a data folder
    under tmp_path, and on PostgreSQL a new database next to the test database, dropped
    afterwards (a database shared between runs would keep the last run's posts)."""
    url = os.environ.get("DATABASE_URL", "")
    base = url.rsplit("/", 1)[0]
    made = []

    def make(name: str = "site") -> dict:
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
        environ["SITREP_DATA_DIR"] = str(tmp_path / name if made else tmp_path)
        environ.pop("DATABASE_URL", None)
        if "postgres" in url:
            import psycopg

            database = f"sitrep_site_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            environ["DATABASE_URL"] = f"{base}/{database}"
        made.append(environ)
        return environ  # else SQLite in the data folder

    yield make
    databases = [e["DATABASE_URL"].rsplit("/", 1)[1] for e in made if "DATABASE_URL" in e]
    if databases:
        import psycopg

        with psycopg.connect(base + "/postgres", autocommit=True) as admin:
            for database in databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def own_site_env(site_env):
    """Environment for `sitrep` subprocesses on a site of their own (see site_env)."""
    return site_env()


@pytest.fixture
def worker():
    """Runs what was queued for `sitrep worker` (tests use django-tasks' dummy backend), and
    what those tasks queue in turn, as the worker would."""
    from django_tasks import default_task_backend

    default_task_backend.clear()

    def drain():
        done = 0
        while len(default_task_backend.results) > done:
            result = default_task_backend.results[done]
            result.task.call(*result.args, **result.kwargs)
            done += 1
        return done

    return drain


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback (aiosmtpd, tests/mail/smtp.py), set as the worker's
    transport; yields its mailbox."""
    from tests.mail.smtp import SmtpServer

    server = SmtpServer().start()
    settings.SITREP_MAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server.mailbox
    server.stop()
