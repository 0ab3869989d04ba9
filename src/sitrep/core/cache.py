"""Cache keys in one place. A generation counter makes "everything readers see" stale at once:
services that change public pages call `bump()`, and keys built with `key()` move on."""

from django.core.cache import cache

GENERATION_KEY = "sitrep:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, timeout=None)
    return value


# Process-local copies (posts.pagecache) forget themselves here, so this process never serves
# a page older than its own last write; other processes notice within their local lifetime.
on_bump: list = []


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
    for forget in on_bump:
        forget()


def key(*parts) -> str:
    return ":".join(["sitrep", f"g{generation()}", *map(str, parts)])
