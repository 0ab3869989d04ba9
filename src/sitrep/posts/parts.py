"""What apps built on posts add to a post wherever it is shown (a card, its page, a feed entry).

posts knows nothing of stories, places or the desk. Those apps register a part in their
AppConfig.ready: a template included after the post's body, with the related rows it reads, so
that `Post.objects.for_listing()` fetches them with the post and a page of posts stays a fixed
number of queries; or a tool, a link for staff under the post on its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Part:
    template: str  # rendered with the post's context: `post`, and `detail` or `in_feed`
    order: int  # parts are shown in this order, lowest first
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()


PARTS: list[Part] = []


def register(part: Part) -> None:
    if part not in PARTS:
        PARTS.append(part)
        PARTS.sort(key=lambda p: p.order)


def templates() -> list[str]:
    return [part.template for part in PARTS]


def select_related() -> list[str]:
    return [name for part in PARTS for name in part.select_related]


def prefetch_related() -> list[str]:
    return [name for part in PARTS for name in part.prefetch_related]


@dataclass(frozen=True)
class Tool:
    label: str
    url_name: str  # reversed with the post's primary key
    allowed: Callable[[object], bool]  # given the signed-in user
    order: int = 0


TOOLS: list[Tool] = []


def register_tool(tool: Tool) -> None:
    if tool not in TOOLS:
        TOOLS.append(tool)
        TOOLS.sort(key=lambda t: t.order)


def tools_for(user, post) -> list[tuple[str, str]]:
    """(label, address) of each tool this user may use on this post."""
    if not user.is_authenticated:
        return []
    return [(t.label, reverse(t.url_name, args=[post.pk])) for t in TOOLS if t.allowed(user)]
