import datetime as dt

import pytest
from django.utils import timezone

from sitrep.core.urls import BadURL
from sitrep.posts.models import Clip, Outlet, Post
from sitrep.posts.services import Action, clips_already_used, post_save
from tests.conftest import clip

pytestmark = pytest.mark.django_db


def test_publishing_without_a_time_publishes_now(editor):
    now = timezone.now()
    post = post_save(
        post=None, author=editor, headline="Now", clips=[clip()], action=Action.PUBLISH, now=now
    )
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == now
    assert Post.objects.published().filter(pk=post.pk).exists()


def test_future_time_schedules_and_the_post_goes_live_at_that_time(editor):
    now = timezone.now()
    later = now + dt.timedelta(hours=2)
    post = post_save(
        post=None,
        author=editor,
        headline="Later",
        clips=[clip()],
        action=Action.PUBLISH,
        published_at=later,
        now=now,
    )
    assert post.status == Post.Status.SCHEDULED
    assert not Post.objects.published(now=now).filter(pk=post.pk).exists()
    assert Post.objects.published(now=later + dt.timedelta(seconds=1)).filter(pk=post.pk).exists()


def test_new_post_saved_without_publishing_is_a_draft(editor):
    post = post_save(post=None, author=editor, headline="Draft", clips=[clip()])
    assert post.status == Post.Status.DRAFT
    assert not Post.objects.published().exists()


def test_unpublish_then_publish_keeps_the_permalink(make_post):
    post = make_post("Stable link", when=timezone.now() - dt.timedelta(days=40))
    url = post.get_absolute_url()
    post = post_save(
        post=post, author=post.author, headline=post.headline, clips=[clip()], action="unpublish"
    )
    assert post.status == Post.Status.DRAFT
    post = post_save(
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
        post_save(
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
