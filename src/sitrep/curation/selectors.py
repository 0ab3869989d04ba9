"""Reading the inbox: filters, watch-word marks and clusters (items about the same news)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sitrep.curation.fulltext import matching
from sitrep.curation.models import InboxItem, WatchWord


def watch_pattern() -> re.Pattern | None:
    words = sorted(WatchWord.objects.values_list("word", flat=True), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def inbox_items(*, state="unread", feed_id=None, outlet_id=None, query="", watch=False):
    items = InboxItem.objects.select_related("feed", "feed__outlet", "post")
    if state == "unread":
        items = items.filter(is_read=False, is_dismissed=False)
    elif state == "starred":
        items = items.filter(is_starred=True)
    elif state == "dismissed":
        items = items.filter(is_dismissed=True)
    else:
        items = items.filter(is_dismissed=False)
    if feed_id:
        items = items.filter(feed_id=feed_id)
    if outlet_id:
        items = items.filter(feed__outlet_id=outlet_id)
    if query.strip():
        items = matching(items, query[:200])
    if watch:
        pattern_words = list(WatchWord.objects.values_list("word", flat=True))
        condition = Q(pk__in=[])
        for word in pattern_words:
            condition |= Q(title__icontains=word) | Q(summary_html__icontains=word)
        items = items.filter(condition)
    return items.order_by("-sort_time", "-id")


def mark(text: str, pattern: re.Pattern | None) -> SafeString:
    """Escape `text` and wrap watch words in <mark>."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


@dataclass
class InboxCluster:
    """Items from different feeds about the same link or with a near-identical headline."""

    lead: InboxItem
    others: list[InboxItem] = field(default_factory=list)
    title_html: SafeString = ""
    watched: bool = False


def cluster(items, pattern: re.Pattern | None) -> list[InboxCluster]:
    clusters: list[InboxCluster] = []
    by_key: dict[str, InboxCluster] = {}
    for item in items:
        keys = [k for k in (f"url:{item.url}" if item.url else "", f"t:{item.title_key}") if k]
        found = next((by_key[k] for k in keys if k in by_key and k != "t:"), None)
        if found is None:
            found = InboxCluster(lead=item, title_html=mark(item.title, pattern))
            found.watched = bool(pattern and pattern.search(f"{item.title} {item.summary_html}"))
            clusters.append(found)
        else:
            found.others.append(item)
        for key in keys:
            by_key.setdefault(key, found)
    return clusters
