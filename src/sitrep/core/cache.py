"""Cache keys in one place. A generation counter makes "everything readers see" stale at once:
services that change public pages call `bump()`, and keys built with `key()` move on."""

import time

from django.core.cache import cache

from sitrep.core import safecache

GENERATION_KEY = "sitrep:generation"
# A second counter for data that depends on posts only (archive and label counts): comments,
# which arrive far more often, leave it alone, so a busy discussion does not make every page
# recount a large archive.
POSTS_GENERATION_KEY = "sitrep:generation:posts"


def generation(name: str = GENERATION_KEY) -> int:
    value = cache.get(name)
    if value is None and not cache.add(name, 1, timeout=None):
        value = cache.get(name)  # another process started the counter first
    return value or 1


# Process-local copies (pages.cache) forget themselves here, so this process never serves
# a page older than its own last write; other processes notice within their local lifetime.
on_bump: list = []


def _incr(name: str) -> None:
    try:
        cache.incr(name)
    except ValueError:
        cache.set(name, 2, timeout=None)


def bump(*, posts: bool = False) -> None:
    """Everything readers see is stale; with `posts`, also what is counted from posts."""
    if posts:
        _incr(POSTS_GENERATION_KEY)
    _incr(GENERATION_KEY)
    for forget in on_bump:
        forget()


# A cache that lost writes while it was down (core/safecache.py) makes everything stale when it
# answers again, as the lost invalidations would have.
safecache.on_recovery.append(lambda: bump(posts=True))


def key(*parts) -> str:
    return ":".join(["sitrep", f"g{generation()}", *map(str, parts)])


def posts_key(*parts) -> str:
    """A key that moves on only when posts change (see POSTS_GENERATION_KEY)."""
    return ":".join(["sitrep", f"p{generation(POSTS_GENERATION_KEY)}", *map(str, parts)])


def window_count(name: str, seconds: int, now=None) -> int:
    """Count one more in the current fixed window of `seconds` for `name` and return the count
    so far, this one included (shared across processes; without a cache: 1, so limits built on
    it let the request through rather than fail)."""
    moment = now.timestamp() if now is not None else time.time()
    key = f"sitrep:count:{name}:{int(moment) // seconds}"
    if cache.add(key, 1, timeout=seconds * 2):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        return 1
