"""Writes to the inbox: marks an editor sets, and linking items to the post they became."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sitrep.core.html import to_text
from sitrep.core.text import one_line
from sitrep.curation.models import InboxItem, WatchWord
from sitrep.posts.models import Post
from sitrep.posts.services import ClipData
from sitrep.stories.models import Story
from sitrep.stories.services import story_update

UPDATE_EXCERPT_WORDS = 80  # an update quotes the feed's summary, trimmed to a short excerpt

MARKS = {
    "read": {"is_read": True},
    "unread": {"is_read": False},
    "star": {"is_starred": True},
    "unstar": {"is_starred": False},
    "dismiss": {"is_dismissed": True, "is_read": True},
    "restore": {"is_dismissed": False},
}


def inbox_item_mark(*, item_ids: list[int], action: str) -> int:
    """Set read/star/dismiss marks on items. Idempotent. Returns how many items matched."""
    return InboxItem.objects.filter(pk__in=item_ids).update(**MARKS[action])


def inbox_items_clipped(*, post, item_ids: list[int]) -> None:
    """The items became `post`: remember it (the inbox shows "clipped") and mark them read."""
    InboxItem.objects.filter(pk__in=item_ids).update(post=post, is_read=True)


def watch_word_add(*, word: str) -> WatchWord | None:
    word = one_line(word)[:100]
    if not word:
        return None
    existing = WatchWord.objects.filter(word__iexact=word).first()
    return existing or WatchWord.objects.create(word=word)


def inbox_item_clip(item: InboxItem) -> ClipData:
    """What an inbox item says, as a clip: its feed's outlet, title, link and the start of its
    summary."""
    outlet = item.feed.outlet.name if item.feed.outlet else item.feed.display_name()
    words = to_text(item.summary_html).split()
    excerpt = " ".join(words[:UPDATE_EXCERPT_WORDS])
    if len(words) > UPDATE_EXCERPT_WORDS:
        excerpt += "…"
    published = timezone.localtime(item.published_at).date() if item.published_at else None
    return ClipData(
        outlet_name=outlet,
        source_headline=item.title,
        url=item.url,
        excerpt=excerpt or item.title,
        authors=item.author,
        source_published=published,
    )


@transaction.atomic
def story_update_from_inbox(*, story: Story, item_ids: list[int], actor, now=None) -> Post:
    """Ticked inbox items become an update to the story's latest post instead of a new post."""
    items = InboxItem.objects.filter(pk__in=item_ids).select_related("feed__outlet")
    items = [item for item in items if item.url]
    post = story_update(
        story=story, clips=[inbox_item_clip(item) for item in items], actor=actor, now=now
    )
    inbox_items_clipped(post=post, item_ids=[item.pk for item in items])
    return post
