"""Writes to stories and the public post log. Callers check permissions first."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.text import one_line
from sitrep.posts.models import Post
from sitrep.posts.services import ClipData, post_clips_add, unique_slug
from sitrep.stories.models import PostLogEntry, Status, Story, StoryEntry


class StoryError(Exception):
    """A request the story rules refuse, with a message for the editor."""


def _changed() -> None:
    # Story pages, post pages and feeds all show story data; counts of posts do not change.
    transaction.on_commit(cache_generation_bump)


@transaction.atomic
def story_save(*, story: Story | None, title: str, summary: str = "", developing=True) -> Story:
    title = one_line(title)
    if not title:
        raise StoryError("A story needs a title.")
    if story is None:
        story = Story(slug=unique_slug(Story, title))
    story.title, story.summary, story.developing = title, summary.strip(), developing
    story.updated = timezone.now()
    story.save()
    _changed()
    return story


@transaction.atomic
def story_add_post(*, story: Story, post: Post, now=None) -> StoryEntry:
    """Put `post` in `story` (moving it from another story if it was in one)."""
    now = now or timezone.now()
    entry, created = StoryEntry.objects.get_or_create(
        post=post, defaults={"story": story, "added": now}
    )
    if not created and entry.story_id != story.pk:
        entry.story = story
        entry.save(update_fields=["story"])
    Story.objects.filter(pk=story.pk).update(updated=now)
    _changed()
    return entry


@transaction.atomic
def story_remove_post(*, post: Post) -> None:
    StoryEntry.objects.filter(post=post).delete()
    _changed()


def _status_settle(entry: StoryEntry) -> None:
    """A post's status is what its log says last, by time: entries may be written out of order
    (backdated by an import or the demo), and the page must never contradict its own log."""
    latest = (
        PostLogEntry.objects.filter(
            post_id=entry.post_id,
            kind__in=[PostLogEntry.Kind.STATUS, PostLogEntry.Kind.CORRECTION],
        )
        .order_by("-created", "-id")
        .first()
    )
    if latest is None:
        return
    if latest.kind == PostLogEntry.Kind.CORRECTION:
        status, confirmed_by = Status.CORRECTED, 0
    else:
        status, confirmed_by = latest.status, latest.confirmed_by
    if (entry.status, entry.confirmed_by) != (status, confirmed_by):
        entry.status, entry.confirmed_by = status, confirmed_by
        entry.save(update_fields=["status", "confirmed_by"])


@transaction.atomic
def post_status_change(
    *, post: Post, status: str, reason: str, actor, confirmed_by: int = 0, now=None
) -> PostLogEntry:
    """Set where a story post's claim stands, logged publicly with the reason."""
    now = now or timezone.now()
    reason = reason.strip()
    if status not in Status.values:
        raise StoryError(f"Unknown status {status!r}.")
    if not reason:
        raise StoryError("Say why the status changes: readers see the reason in the post's log.")
    entry = StoryEntry.objects.select_for_update().filter(post=post).first()
    if entry is None:
        raise StoryError("Only a post in a story carries a status: add it to a story first.")
    confirmed_by = confirmed_by if status == Status.CONFIRMED else 0
    unchanged = (entry.status, entry.confirmed_by) == (status, confirmed_by)
    # A first entry may state the status the post started with ("unconfirmed: one source").
    if unchanged and PostLogEntry.objects.filter(post=post, kind=PostLogEntry.Kind.STATUS).exists():
        raise StoryError("The post already has that status.")
    log = PostLogEntry.objects.create(
        post=post,
        kind=PostLogEntry.Kind.STATUS,
        status=status,
        confirmed_by=confirmed_by,
        reason=reason,
        created=now,
        by=actor,
    )
    _status_settle(entry)
    _touch(post, entry.story_id, now)
    return log


@transaction.atomic
def post_correct(*, post: Post, reason: str, actor, now=None) -> PostLogEntry:
    """Log a correction on a post (in a story or not). The post's text is edited separately;
    this is the public record that it was, and why."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise StoryError("Describe the correction: readers see it in the post's log.")
    log = PostLogEntry.objects.create(
        post=post, kind=PostLogEntry.Kind.CORRECTION, reason=reason, created=now, by=actor
    )
    entry = StoryEntry.objects.filter(post=post).first()
    if entry is not None:
        _status_settle(entry)
    _touch(post, entry.story_id if entry else None, now)
    return log


@transaction.atomic
def story_update(*, story: Story, clips: list[ClipData], actor, now=None) -> Post:
    """New sources become an update to the story's latest post instead of a new post: each is
    added as a clip, and the post's log says what was added."""
    now = now or timezone.now()
    entry = (
        StoryEntry.objects.filter(story=story, post__status__in=Post.RELEASED)
        .select_related("post")
        .order_by("-post__published_at")
        .first()
    )
    if entry is None:
        raise StoryError("The story has no published post to update yet: publish one first.")
    if not clips:
        raise StoryError("Tick at least one inbox item with a link.")
    post = entry.post
    post_clips_add(post=post, clips=clips, now=now)
    reason = "; ".join(f"{c.outlet_name}: {c.source_headline}" for c in clips)
    PostLogEntry.objects.create(
        post=post, kind=PostLogEntry.Kind.UPDATE, reason=reason, created=now, by=actor
    )
    _touch(post, story.pk, now)
    return post


def _touch(post: Post, story_id: int | None, now) -> None:
    # Feed readers learn of the change from the entry's updated time.
    Post.objects.filter(pk=post.pk).update(updated=now)
    if story_id:
        Story.objects.filter(pk=story_id).update(updated=now)
    _changed()
