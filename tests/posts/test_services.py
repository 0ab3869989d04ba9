import datetime as dt

import pytest
from django.utils import timezone

from sitrep.core.urlnorm import BadURL
from sitrep.posts.models import Clip, Outlet, Post
from sitrep.posts.services import Action, clips_already_used, post_write
from tests.conftest import clip

pytestmark = pytest.mark.django_db


def test_publishing_without_a_time_publishes_now(editor):
    now = timezone.now()
    post = post_write(
        post=None, author=editor, headline="Now", clips=[clip()], action=Action.PUBLISH, now=now
    )
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == now
    assert Post.objects.live().filter(pk=post.pk).exists()


def test_future_time_schedules_and_the_post_goes_live_at_that_time(editor):
    now = timezone.now()
    later = now + dt.timedelta(hours=2)
    post = post_write(
        post=None,
        author=editor,
        headline="Later",
        clips=[clip()],
        action=Action.PUBLISH,
        published_at=later,
        now=now,
    )
    assert post.status == Post.Status.SCHEDULED
    assert not Post.objects.live(now=now).filter(pk=post.pk).exists()
    assert Post.objects.live(now=later + dt.timedelta(seconds=1)).filter(pk=post.pk).exists()


def test_new_post_saved_without_publishing_is_a_draft(editor):
    post = post_write(post=None, author=editor, headline="Draft", clips=[clip()])
    assert post.status == Post.Status.DRAFT
    assert not Post.objects.live().exists()


def test_unpublish_then_publish_keeps_the_permalink(make_post):
    post = make_post("Stable link", when=timezone.now() - dt.timedelta(days=40))
    url = post.get_absolute_url()
    post = post_write(
        post=post, author=post.author, headline=post.headline, clips=[clip()], action="unpublish"
    )
    assert post.status == Post.Status.DRAFT
    post = post_write(
        post=post, author=post.author, headline="Renamed", clips=[clip()], action=Action.PUBLISH
    )
    assert post.get_absolute_url() == url


def test_slugs_are_unique_and_never_all_digits(make_post):
    first = make_post("Same headline")
    second = make_post("Same headline")
    assert (first.slug, second.slug) == ("same-headline", "same-headline-2")
    assert make_post("2017").slug == "n2017"


def test_clips_keep_their_order_and_outlets_are_reused_case_insensitively(make_post):
    post = make_post(
        clips=[
            clip(1, outlet="Meridian Wire"),
            clip(2, outlet="meridian wire"),
            clip(3, outlet="Lowland Times"),
        ]
    )
    assert [c.source_headline for c in post.clips.all()] == [
        "Source headline 1",
        "Source headline 2",
        "Source headline 3",
    ]
    assert Outlet.objects.count() == 2
    assert Outlet.objects.get(name="Meridian Wire").domains == "harborledger.example"


def test_clip_urls_are_stored_normalized(make_post):
    post = make_post(clips=[clip(url="https://harborledger.example/a?utm_source=x&id=1#top")])
    assert post.clips.get().url == "https://harborledger.example/a?id=1"


def test_a_bad_clip_url_changes_nothing(editor):
    with pytest.raises(BadURL):
        post_write(
            post=None,
            author=editor,
            headline="Bad",
            clips=[clip(1), clip(2, url="javascript:alert(1)")],
            action=Action.PUBLISH,
        )
    assert Post.objects.count() == 0 and Clip.objects.count() == 0


def test_excerpt_html_is_sanitized(make_post):
    post = make_post(clips=[clip(excerpt='<p onclick="x()">Hi<script>bad()</script></p>')])
    assert post.clips.get().excerpt_html == "<p>Hi</p>"


def test_already_clipped_urls_point_at_the_other_post(make_post):
    first = make_post("First", clips=[clip(url="https://harborledger.example/a")])
    found = clips_already_used(["https://harborledger.example/a", "https://x.example/"])
    assert found == {"https://harborledger.example/a": first}
    assert clips_already_used(["https://harborledger.example/a"], exclude_post=first) == {}


def test_posts_created_together_are_what_post_write_makes_one_by_one(editor):
    from sitrep.posts.counts import live_counts
    from sitrep.posts.services import NewPost, posts_create

    when = timezone.now() - dt.timedelta(days=2)
    items = [
        dict(headline="Same headline", clips=[clip(1), clip(2, outlet="Meridian Wire")],
             note="A note.", labels=["Kalder Valley", "Vessary"], action=Action.PUBLISH,
             published_at=when),
        dict(headline="Same headline", clips=[clip(1)], labels=["Kalder Valley"],
             action=Action.PUBLISH, published_at=when + dt.timedelta(days=9)),
        dict(headline="A draft", clips=[], text="Own *text*.", action=Action.SAVE),
    ]  # fmt: skip

    def described():
        return [
            (p.headline, p.slug, p.status, p.published_at, p.note_html, p.text_html,
             [(c.outlet.name, c.url, c.source.url, c.excerpt_html) for c in p.clips.all()],
             sorted(label.name for label in p.labels.all()))
            for p in Post.objects.order_by("pk")
        ]  # fmt: skip

    for item in items:
        post_write(post=None, author=editor, now=when, **item)
    one_by_one, counts = described(), {k: live_counts(k) for k in ("month", "label", "outlet")}
    Post.objects.all().delete()
    posts_create(new=[NewPost(author=editor, now=when, **item) for item in items])
    assert described() == one_by_one
    assert {k: live_counts(k) for k in ("month", "label", "outlet")} == counts
    assert len({p.slug for p in Post.objects.all()}) == 3  # unique within the batch too
