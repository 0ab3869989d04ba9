"""Writes to the inbox: marks an editor sets, and linking items to the post they became."""

from __future__ import annotations

from sitrep.curation.models import InboxItem, WatchWord

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
    word = " ".join(word.split())[:100]
    if not word:
        return None
    existing = WatchWord.objects.filter(word__iexact=word).first()
    return existing or WatchWord.objects.create(word=word)
