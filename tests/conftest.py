import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from sitrep.accounts.models import User
from sitrep.accounts.services import editor_create
from sitrep.posts.services import Action, ClipData, post_save


@pytest.fixture(autouse=True)
def _fresh_cache():
    from sitrep.posts import pagecache

    cache.clear()
    pagecache._local.clear()  # each test is a new site: no page from the last one
    yield
    cache.clear()
    pagecache._local.clear()


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
        return post_save(
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
