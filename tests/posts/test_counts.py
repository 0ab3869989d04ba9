"""The kept archive counts (posts per month, label, outlet) match a recount after every kind of
change to posts, and readers never see a scheduled post counted before its time."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from sitrep.posts.counts import LABEL, MONTH, OUTLET, live_counts, tally_rebuild
from sitrep.posts.models import ArchiveCount, Label, Post
from sitrep.posts.selectors import archive_months, label_counts, outlet_counts
from sitrep.posts.services import Action, post_clips_add, post_delete, post_write
from tests.conftest import clip


def kept() -> dict:
    return {
        (row.kind, row.key): row.n for row in ArchiveCount.objects.exclude(kind="zone").exclude(n=0)
    }


def recounted() -> dict:
    tally_rebuild()
    return kept()


def assert_counts_right():
    before = kept()
    assert before == recounted()
    return before


@pytest.mark.django_db(transaction=True)
def test_counts_follow_every_change_to_posts(editor, make_post):
    now = timezone.now()
    a = make_post("A", labels=["North", "South"], clips=[clip(1), clip(2, outlet="Tide Post")])
    b = make_post("B", labels=["North"], when=now - dt.timedelta(days=40))
    counts = assert_counts_right()
    assert counts[(LABEL, Label.objects.get(name="North").pk)] == 2
    assert sum(n for (kind, _), n in counts.items() if kind == MONTH) == 2
    # A draft and a scheduled post: the draft never counts, the scheduled one is kept but
    # readers do not see it until its time.
    make_post("Draft", action=Action.SAVE, labels=["Hidden"])
    later = make_post("Later", when=now + dt.timedelta(hours=2), labels=["Soon"])
    assert_counts_right()
    soon = Label.objects.get(name="Soon")
    assert soon.pk not in live_counts(LABEL)
    assert live_counts(LABEL, now=now + dt.timedelta(hours=3))[soon.pk] == 1
    # Edits: labels swapped, an outlet dropped, the time moved to another month.
    post_write(post=a, author=editor, headline="A", clips=[clip(3)], labels=["West"],
              action=Action.PUBLISH, published_at=now - dt.timedelta(days=400))  # fmt: skip
    assert_counts_right()
    post_clips_add(post=b, clips=[clip(4, outlet="Tide Post"), clip(5, outlet="Tide Post")])
    counts = assert_counts_right()
    # The "Tide Post" outlet counts post B once, however many of its clips B quotes.
    assert [(o.name, o.n) for o in outlet_counts() if o.name == "Tide Post"] == [("Tide Post", 1)]
    # Unpublished, deleted by its service, deleted in bulk, a label deleted.
    post_write(post=b, author=editor, headline="B", clips=[clip(2)], action=Action.UNPUBLISH)
    assert_counts_right()
    post_delete(post=later)
    assert_counts_right()
    make_post("Bulk one", labels=["North"])
    make_post("Bulk two", labels=["North"])
    assert assert_counts_right() != counts
    Post.objects.filter(headline__startswith="Bulk").delete()  # as the admin's bulk delete does
    assert_counts_right()
    Label.objects.filter(name="West").delete()
    assert_counts_right()
    assert [label.name for label in label_counts()] == []
    assert sum(total for _, _, total in archive_months()) == 1  # A, back at its old month


@pytest.mark.django_db
def test_a_new_time_zone_recounts_the_months(make_post):
    # 23:30 on June 30 in the site's zone (New York) is July 1 in UTC.
    tz = timezone.get_default_timezone()
    make_post("Late June", when=dt.datetime(2017, 6, 30, 23, 30, tzinfo=tz))
    assert [m.month for _, months, _ in archive_months() for m, _ in months] == [6]
    with override_settings(TIME_ZONE="UTC"):
        assert [m.month for _, months, _ in archive_months() for m, _ in months] == [7]
    assert [m.month for _, months, _ in archive_months() for m, _ in months] == [6]


@pytest.mark.django_db
def test_lost_counts_are_rebuilt_on_the_next_read(make_post):
    make_post("Kept", labels=["North"])
    ArchiveCount.objects.all().delete()
    assert [(label.name, label.n) for label in label_counts()] == [("North", 1)]
    assert live_counts(OUTLET)
