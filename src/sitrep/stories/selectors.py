"""Reading stories: the timeline of one, the list of all."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q

from sitrep.posts.models import Post
from sitrep.stories.models import PostLogEntry, Story, StoryEntry


def story_timeline(story: Story, *, oldest_first: bool = False) -> list[StoryEntry]:
    """The story's live posts with their status, newest first (or oldest first)."""
    live = Post.objects.live().values("pk")
    order = "post__published_at" if oldest_first else "-post__published_at"
    entries = (
        StoryEntry.objects.filter(story=story, post__in=live)
        .select_related("post__author")
        .prefetch_related(
            "post__clips__outlet",
            "post__labels",
            Prefetch("post__log_entries", queryset=PostLogEntry.objects.order_by("created")),
        )
        .order_by(order, "post_id")
    )
    return list(entries)


def stories_listed() -> list[Story]:
    """Stories with at least one live post, developing first, with post counts."""
    live = Post.objects.live().values("pk")
    return list(
        Story.objects.annotate(
            n=Count("entries", filter=Q(entries__post__in=live)),
            latest=Max("entries__post__published_at", filter=Q(entries__post__in=live)),
        )
        .filter(n__gt=0)
        .order_by("-developing", "-latest")
    )


def story_log(story: Story, *, limit: int = 30) -> list[PostLogEntry]:
    live = Post.objects.live().values("pk")
    return list(
        PostLogEntry.objects.filter(post__story_entry__story=story, post__in=live)
        .select_related("post")
        .order_by("-created")[:limit]
    )
