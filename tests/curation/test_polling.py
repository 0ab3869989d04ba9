import datetime as dt

import pytest
from django.utils import timezone

from sitrep.curation.models import Feed, InboxItem
from sitrep.curation.polling import FeedError, feed_poll, feed_subscribe, feeds_poll_due, title_key
from sitrep.curation.schedule import QUEUED_GRACE, enqueue_due
from sitrep.curation.tasks import poll_feed
from sitrep.posts.models import Outlet
from tests.htmlcheck import assert_safe

pytestmark = pytest.mark.django_db


def test_subscribe_by_feed_address_and_by_page_address(web):
    feed, created = feed_subscribe(url=web.url("/rss.xml"))
    assert created and feed.title == "Meridian Wire: World"
    assert feed.site_url == "https://meridianwire.example/world"
    same, created = feed_subscribe(url=web.url("/page.html"))  # discovers /rss.xml
    assert not created and same == feed


def test_subscribing_to_something_that_is_not_a_feed_says_so(web):
    with pytest.raises(FeedError, match="advertises no feed"):
        feed_subscribe(url=web.url("/notfeed.html"))
    with pytest.raises(FeedError, match="not a feed"):
        feed_subscribe(url=web.url("/malformed.xml"))
    with pytest.raises(FeedError, match="answered 404"):
        feed_subscribe(url=web.url("/gone.xml"))
    assert Feed.objects.count() == 0


def test_feed_is_linked_to_its_outlet_by_domain(web):
    outlet = Outlet.objects.create(name="Meridian Wire", slug="mw", domains="meridianwire.example")
    feed, _ = feed_subscribe(url=web.url("/rss.xml"))
    assert feed.outlet == outlet


def test_poll_stores_new_items_cleanly_once(web):
    feed = Feed.objects.create(url=web.url("/rss.xml"))
    result = feed_poll(feed)
    assert (result.new_items, result.error) == (2, "")  # the duplicate guid is stored once
    tanks = InboxItem.objects.get(guid="mw-1001")
    assert tanks.url == "https://meridianwire.example/2026/11/tanks-kalder"  # trackers gone
    assert tanks.author == "Ilse Brandvold"
    assert tanks.published_at == dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    assert_safe(tanks.summary_html, {"p", "b"})
    assert InboxItem.objects.get(guid="mw-1002").url == ""  # javascript: is never stored
    feed.refresh_from_db()
    assert feed.etag and feed.item_count == 2 and feed.last_success_at and not feed.last_error
    again = feed_poll(feed)
    assert again.not_modified and again.new_items == 0
    feed.etag = ""  # a server without ETags: the full feed again, still no duplicates
    assert feed_poll(feed).new_items == 0
    assert InboxItem.objects.count() == 2


@pytest.mark.parametrize(
    "path,titles",
    [
        ("/atom.xml", {"Bridges: tanks gather near the Kalder", "Ferries resume from the port"}),
        ("/feed.json", {"Fuel queues lengthen in the port"}),
        ("/gzip-rss", {"Tanks gather near the Kalder crossings", "Envoy arrives for talks"}),
    ],
)
def test_atom_json_feed_and_gzip(web, path, titles):
    feed = Feed.objects.create(url=web.url(path))
    feed_poll(feed)
    assert set(InboxItem.objects.values_list("title", flat=True)) == titles


@pytest.mark.parametrize(
    "path,reason",
    [
        ("/malformed.xml", "not a feed"),
        ("/error", "answered 500"),
        ("/huge", "larger than the 10 MB limit"),
        ("/notfeed.html", "not a feed"),
    ],
)
def test_a_broken_feed_is_recorded_in_plain_words_and_backs_off(web, path, reason):
    now = timezone.now()
    feed = Feed.objects.create(url=web.url(path), interval_minutes=30)
    result = feed_poll(feed, now=now)
    assert reason in result.error
    feed.refresh_from_db()
    assert reason in feed.last_error and feed.error_count == 1
    assert feed.next_poll_at == now + dt.timedelta(minutes=60)
    feed_poll(feed, now=now)
    feed.refresh_from_db()
    assert feed.next_poll_at == now + dt.timedelta(minutes=120)


def test_backoff_is_capped_at_a_day(web):
    now = timezone.now()
    feed = Feed.objects.create(url=web.url("/error"), error_count=20)
    feed_poll(feed, now=now)
    feed.refresh_from_db()
    assert feed.next_poll_at == now + dt.timedelta(hours=24)


def test_a_dead_or_slow_feed_does_not_stop_the_others(web, monkeypatch):
    from sitrep.core import http

    monkeypatch.setattr(http, "DEFAULT_TIMEOUT", 1.0)
    Feed.objects.create(url=web.url("/slow"))
    Feed.objects.create(url=web.url("/error"))
    Feed.objects.create(url="http://no-such-host.invalid/feed")
    Feed.objects.create(url=web.url("/atom.xml"))
    results = feeds_poll_due(concurrency=1)
    assert sorted(bool(r.error) for r in results) == [False, True, True, True]
    assert InboxItem.objects.count() == 2


def test_only_due_and_active_feeds_are_polled(web):
    now = timezone.now()
    Feed.objects.create(url=web.url("/atom.xml"), next_poll_at=now + dt.timedelta(minutes=5))
    Feed.objects.create(url=web.url("/feed.json"), active=False)
    assert feeds_poll_due(now=now, concurrency=1) == []
    assert len(feeds_poll_due(now=now, concurrency=1, all_feeds=True)) == 1


def test_the_clock_queues_each_due_feed_once(web, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    default_task_backend.clear()
    now = timezone.now()
    due = Feed.objects.create(url=web.url("/atom.xml"), next_poll_at=now)
    Feed.objects.create(url=web.url("/feed.json"), next_poll_at=now + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=now) == 1
        assert enqueue_due(now=now) == 0  # already queued
    results = default_task_backend.results
    assert [r.args for r in results] == [[due.pk]]
    assert results[0].task.func is poll_feed.func
    due.refresh_from_db()
    assert due.next_poll_at == now + QUEUED_GRACE


def test_the_task_polls_by_id(web):
    feed = Feed.objects.create(url=web.url("/atom.xml"))
    assert poll_feed.call(feed.pk) == {"feed": feed.pk, "new": 2, "error": ""}
    assert poll_feed.call(999999)["skipped"]


def test_near_identical_headlines_share_a_key():
    assert title_key("Tanks gather near the Kalder crossings") != title_key("Ferries resume")
    assert title_key("Bridges: tanks gather near the Kalder") == title_key(
        "Tanks gather near the Kalder, bridges"
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_polling_of_many_feeds(web):
    for path in ["/rss.xml", "/atom.xml", "/feed.json", "/error", "/gzip-rss"]:
        Feed.objects.create(url=web.url(path))
    results = feeds_poll_due(concurrency=4)
    assert len(results) == 5 and sum(bool(r.error) for r in results) == 1
    assert InboxItem.objects.count() == 2 + 2 + 1 + 2
