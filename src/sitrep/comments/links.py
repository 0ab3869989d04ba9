"""Links in comments, matched to the outlet registry: readers see whose site a link goes to, and
editors can hold comments linking to outlets they mark."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import escape

from sitrep.core import cache as cache_keys
from sitrep.core.html import render_markdown
from sitrep.core.urlnorm import domain_of
from sitrep.posts.models import Outlet

# nh3 writes every link it keeps as <a href="..." ...>; links never nest, so a flat pattern
# over the sanitizer's own output is exact.
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>.*?</a>', re.S)


@dataclass(frozen=True)
class LinkedOutlet:
    name: str
    url: str
    hold: bool


def outlet_index() -> dict[str, LinkedOutlet]:
    """domain -> outlet, for every domain in the registry (cached until posts or outlets
    change: keyed on the posts generation, which comments leave alone)."""
    key = cache_keys.posts_key("outlet-domains")
    index = cache.get(key)
    if index is None:
        index = {}
        for outlet in Outlet.objects.exclude(domains=""):
            linked = LinkedOutlet(
                outlet.name,
                outlet.get_absolute_url(),
                outlet.comment_links == Outlet.CommentLinks.HOLD,
            )
            for domain in outlet.domain_list():
                index[domain.lower().removeprefix("www.")] = linked
        cache.set(key, index, 3600)
    return index


def outlet_for(url: str, index: dict[str, LinkedOutlet]) -> LinkedOutlet | None:
    """The outlet a URL belongs to: its host, or the nearest parent domain in the registry."""
    host = domain_of(url)
    while host:
        if host in index:
            return index[host]
        _, _, host = host.partition(".")
        if "." not in host:  # never match a bare top-level domain
            return None
    return None


def comment_html(body: str, *, index=None) -> tuple[str, list[LinkedOutlet]]:
    """The comment's HTML with each link to a registered outlet followed by its name, and the
    outlets linked (for the hold rule). `index`: outlet_index(), when the caller keeps it."""
    index = outlet_index() if index is None else index
    linked: list[LinkedOutlet] = []

    def label(match: re.Match) -> str:
        outlet = outlet_for(match.group(1).replace("&amp;", "&"), index)
        if outlet is None:
            return match.group(0)
        if outlet not in linked:
            linked.append(outlet)
        return f'{match.group(0)} <span class="link-outlet">({escape(outlet.name)})</span>'

    return _LINK.sub(label, render_markdown(body)), linked
