"""What apps built on posts add to a post wherever it is shown (a card, its page, a feed entry).

posts knows nothing of stories or places. Those apps register a part in their AppConfig.ready:
a template included after the post's body, with the related rows it reads, so that
`Post.objects.for_listing()` fetches them with the post and a page of posts stays a fixed
number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass


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
