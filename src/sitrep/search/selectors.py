"""One search interface over two engines, chosen by the database in use (as Wagtail does)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sitrep.posts.models import Clip, Post


def backend():
    if connection.vendor == "postgresql":
        from sitrep.search.backends import postgres

        return postgres
    from sitrep.search.backends import sqlite

    return sqlite


@dataclass
class Hit:
    post: Post
    headline_html: SafeString
    snippet_html: SafeString


def _marked(text: str) -> SafeString:
    """Engine output with \\x02/\\x03 around matches: escape everything, then add <mark>."""
    return mark_safe(escape(text or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


def search_posts(
    query: str, *, limit: int = 20, offset: int = 0, outlet=None
) -> tuple[list[Hit], int]:
    """Ranked live posts matching every word of `query`, with highlighted headline and snippet;
    with `outlet`, only posts quoting it."""
    rows, total = backend().search(
        query[:200],
        now=timezone.now(),
        limit=limit,
        offset=offset,
        outlet_id=outlet.pk if outlet else None,
    )
    # A result shows the headline, date, outlets and comment count: not a whole card's worth
    # of relations (for_listing's eight queries were a third of a search's time).
    posts = (
        Post.objects.only("headline", "slug", "published_at", "comment_count")
        .prefetch_related(Prefetch("clips", Clip.objects.select_related("outlet")))
        .in_bulk([r[0] for r in rows])
    )
    hits = [Hit(posts[pid], _marked(h), _marked(s)) for pid, h, s in rows if pid in posts]
    return hits, total
