"""Feeds are parsed with feedparser, the way a reader's feed app would see them."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from sitrep.comments.services import comment_submit
from tests.conftest import clip

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def two_posts(make_post):
    older = make_post(
        "Older post",
        when=timezone.now() - dt.timedelta(days=2),
        labels=["Kalder Valley"],
        clips=[clip(1, outlet="Meridian Wire")],
        note="Watch the bridges.",
    )
    newer = make_post("Newer post", when=timezone.now() - dt.timedelta(hours=1), labels=["Tolsk"])
    return older, newer


@pytest.mark.parametrize("url", ["/feeds/posts.atom", "/feeds/posts.rss"])
def test_site_feed_lists_posts_newest_first_with_everything_a_reader_needs(client, two_posts, url):
    older, newer = two_posts
    feed = parse(client, url)
    assert feed.feed.title == "Test Desk"
    assert [e.title for e in feed.entries] == ["Newer post", "Older post"]
    entry = feed.entries[1]
    assert entry.link == f"http://testserver{older.get_absolute_url()}"
    assert entry.author.startswith("Night Editor") or "Night Editor" in entry.author
    published = dt.datetime(*entry.published_parsed[:6], tzinfo=dt.UTC)
    assert abs(published - older.published_at) < dt.timedelta(seconds=1)
    content = entry.get("content", [{"value": entry.summary}])[0]["value"]
    assert "Source headline 1" in content and "Meridian Wire" in content
    assert "Watch the bridges." in content
    assert [t.term for t in entry.tags] == ["Kalder Valley"]


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_label_and_outlet_feeds_hold_only_their_posts(client, two_posts, suffix):
    label_feed = parse(client, f"/label/kalder-valley/feed.{suffix}")
    assert [e.title for e in label_feed.entries] == ["Older post"]
    outlet_feed = parse(client, f"/outlet/meridian-wire/feed.{suffix}")
    assert [e.title for e in outlet_feed.entries] == ["Older post"]
    assert "Meridian Wire" in outlet_feed.feed.title


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_comment_feeds_site_wide_and_per_post(client, two_posts, suffix):
    older, newer = two_posts
    comment_submit(post=older, body="On the older one", ip_hash="a", author_name="Harlan Vey")
    comment_submit(post=newer, body="<b>On the newer</b> one", ip_hash="b")
    site = parse(client, f"/feeds/comments.{suffix}")
    assert {e.title for e in site.entries} == {
        "Harlan Vey on “Older post”",
        "Anonymous on “Newer post”",
    }
    per_post = parse(client, f"{older.get_absolute_url()}comments.{suffix}")
    assert [e.title for e in per_post.entries] == ["Harlan Vey said"]
    entry = per_post.entries[0]
    # The comment's permalink, which costs no query however many comments a feed lists; it
    # redirects to the page of the thread that shows the comment.
    comment = older.comments.get()
    assert entry.link == f"http://testserver/comments/{comment.pk}/"
    assert client.get(entry.link)["Location"] == f"{older.get_absolute_url()}#c{comment.pk}"
    assert "On the older one" in entry.get("content", [{"value": entry.summary}])[0]["value"]


def test_feeds_leave_out_drafts(client, make_post):
    make_post("Secret draft", action="save")
    assert parse(client, "/feeds/posts.atom").entries == []


def test_entry_ids_are_tag_uris_that_outlive_edits(client, two_posts):
    """Atom ids must be IRIs (RFC 4287 4.2.6), and a changed id shows an old entry as new."""
    older, newer = two_posts
    comment_submit(post=older, body="A first reply.", author_name="Rusk", ip_hash="a")
    urls = ["/feeds/posts.atom", "/feeds/posts.rss", "/feeds/comments.atom"]
    ids = {url: [entry.id for entry in parse(client, url).entries] for url in urls}
    day = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%d")
    assert ids["/feeds/posts.atom"] == [f"tag:testserver,{day}:post-{p.pk}" for p in (newer, older)]
    assert ids["/feeds/posts.rss"] == ids["/feeds/posts.atom"]
    (comment_id,) = ids["/feeds/comments.atom"]
    assert comment_id.startswith(f"tag:testserver,{day}:comment-")

    older.headline = "Older post, corrected"
    older.save()
    assert [entry.id for entry in parse(client, urls[0]).entries] == ids[urls[0]]


def test_a_comment_feed_costs_the_same_queries_however_many_comments_it_lists(
    client, make_post, django_assert_max_num_queries, monkeypatch
):
    from sitrep.comments import selectors

    monkeypatch.setattr(selectors, "COMMENTS_PER_PAGE", 2)  # every thread is a long one
    post = make_post()
    for n in range(12):
        comment_submit(post=post, body=f"Reply {n}", ip_hash=f"h{n}", screened=False)
    with django_assert_max_num_queries(4):
        feed = parse(client, f"{post.get_absolute_url()}comments.atom")
    assert len(feed.entries) == 12
