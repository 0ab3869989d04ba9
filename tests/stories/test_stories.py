"""Developing stories: a timeline page, its feed, statuses logged in public, inbox updates."""

import datetime as dt

import pytest
from django.utils import timezone

from sitrep.curation.models import Feed, InboxItem
from sitrep.curation.services import story_update_from_inbox
from sitrep.stories.models import PostLogEntry, Status
from sitrep.stories.services import (
    StoryError,
    post_correct,
    post_status_change,
    story_add_post,
    story_save,
)
from tests.conftest import clip

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return story_save(story=None, title="Battle for Merrin Gap", summary="Fighting at the pass.")


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def test_story_page_lists_its_posts_newest_or_oldest_first(client, make_post, story):
    first = make_post("Shelling reported near the pass", when=ago(5))
    second = make_post("Convoy reaches the pass", when=ago(1))
    make_post("Unrelated harbour news", when=ago(2))
    for post in (first, second):
        story_add_post(story=story, post=post)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Battle for Merrin Gap" in page and "Unrelated harbour news" not in page
    assert page.index("Convoy reaches the pass") < page.index("Shelling reported near the pass")
    oldest = client.get(story.get_absolute_url() + "?order=oldest").content.decode()
    assert oldest.index("Shelling reported") < oldest.index("Convoy reaches")
    assert 'id="story-new"' in page and "story.js" in page
    listing = client.get("/stories/").content.decode()
    assert "Battle for Merrin Gap" in listing and "2 posts" in listing


def test_status_change_needs_a_reason_and_is_logged_on_the_post(client, make_post, story, editor):
    post = make_post("Bridge reported destroyed")
    with pytest.raises(StoryError, match="add it to a story"):
        post_status_change(post=post, status="confirmed", reason="x", actor=editor)
    story_add_post(story=story, post=post)
    with pytest.raises(StoryError, match="Say why"):
        post_status_change(post=post, status="confirmed", reason="  ", actor=editor)
    post_status_change(
        post=post,
        status=Status.CONFIRMED,
        confirmed_by=3,
        reason="Satellite images and two reporters on the scene.",
        actor=editor,
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Confirmed by 3 independent outlets" in page
    assert "Satellite images and two reporters on the scene." in page
    assert "Part of the story" in page and story.get_absolute_url() in page


@pytest.mark.parametrize(
    ("outlets", "shown"),
    [
        (1, "Status: Confirmed by 1 independent outlet"),
        (2, "Status: Confirmed by 2 independent outlets"),
    ],
)
def test_the_confirmation_count_agrees_with_its_noun(outlets, shown):
    entry = PostLogEntry(
        kind=PostLogEntry.Kind.STATUS, status=Status.CONFIRMED, confirmed_by=outlets
    )
    assert entry.headline() == shown


def test_correction_marks_the_post_corrected_and_shows_in_feeds(client, make_post, story, editor):
    post = make_post("Casualty figure revised")
    story_add_post(story=story, post=post)
    post_correct(post=post, reason="The figure was 14, not 40.", actor=editor)
    post.story_entry.refresh_from_db()
    assert post.story_entry.status == Status.CORRECTED
    story_feed = client.get(f"/stories/{story.slug}/feed.atom").content.decode()
    assert "Correction: Casualty figure revised" in story_feed
    assert "The figure was 14, not 40." in story_feed
    site_feed = client.get("/feeds/posts.atom").content.decode()
    assert "The figure was 14, not 40." in site_feed


def test_the_shown_status_is_the_logs_latest_whatever_order_it_was_written_in(
    client, make_post, story, editor
):
    post = make_post("Strike on the depot", when=ago(10))
    story_add_post(story=story, post=post)
    confirmed = dict(status=Status.CONFIRMED, confirmed_by=2, actor=editor)
    post_status_change(post=post, reason="Two crews filmed it.", now=ago(2), **confirmed)
    # A correction dated before that confirmation, written after it (as a backdated import does).
    post_correct(post=post, reason="The date was wrong.", actor=editor, now=ago(5))
    post.story_entry.refresh_from_db()
    assert post.story_entry.status_label() == "Confirmed by 2 independent outlets"
    page = client.get(post.get_absolute_url()).content.decode()
    log = [entry.headline() for entry in post.log_entries.order_by("created")]
    assert log[-1] == "Status: Confirmed by 2 independent outlets"
    claim = '<span class="claim claim-confirmed">Confirmed by 2 independent outlets</span>'
    assert claim in page


def test_inbox_items_become_an_update_to_the_latest_story_post(editor_client, make_post, story):
    older = make_post("Day one at the pass", when=ago(6))
    latest = make_post("Day two at the pass", when=ago(1))
    for post in (older, latest):
        story_add_post(story=story, post=post)
    feed = Feed.objects.create(url="https://wire.example/feed", title="Wire Example")
    item = InboxItem.objects.create(
        feed=feed,
        guid="g1",
        url="https://wire.example/pass-update",
        title="Defenders withdraw from the pass",
        summary_html="<p>Defenders pulled back overnight, officials said.</p>",
    )
    response = editor_client.post(
        "/desk/stories/update/", {"story": story.pk, "item": [item.pk], "next": "/desk/inbox/"}
    )
    assert response.status_code == 302
    latest.refresh_from_db()
    assert [c.source_headline for c in latest.clips.all()][-1] == "Defenders withdraw from the pass"
    assert older.clips.count() == 1
    log = PostLogEntry.objects.get(post=latest)
    assert log.kind == "update" and "Defenders withdraw" in log.reason
    item.refresh_from_db()
    assert item.post == latest


def test_update_without_a_published_post_is_refused_clearly(make_post, story, editor):
    with pytest.raises(StoryError, match="no published post"):
        story_update_from_inbox(story=story, item_ids=[1], actor=editor)


def test_desk_creates_a_story_keeping_text_on_error(editor_client):
    bad = editor_client.post("/desk/stories/", {"title": "  ", "summary": "Kept text"})
    assert bad.status_code == 400 and "Kept text" in bad.content.decode()
    ok = editor_client.post("/desk/stories/", {"title": "Siege of Halden", "summary": ""})
    assert ok.status_code == 302
    page = editor_client.get(ok["Location"]).content.decode()
    assert "Siege of Halden" in page


def test_desk_story_page_adds_posts_and_changes_status(editor_client, make_post, story):
    post = make_post("Claim of a breakthrough", clips=[clip(7)])
    url = f"/desk/stories/{story.pk}/"
    editor_client.post(url, {"action": "add", "post": post.pk})
    refused = editor_client.post(
        url, {"action": "status", "post": post.pk, "status": "disputed", "reason": ""}, follow=True
    )
    assert "Say why" in refused.content.decode()
    editor_client.post(
        url,
        {"action": "status", "post": post.pk, "status": "disputed", "reason": "Denied by both"},
    )
    post.story_entry.refresh_from_db()
    assert post.story_entry.status == Status.DISPUTED
