"""Sign-in throttling: failed attempts are counted per account and per address in the cache
(shared across processes; Redis at scale), and sign-in is refused for a while past a limit."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from sitrep.core.client import request_ip_hash

WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT = 5  # a person mistypes a few times; a guesser tries thousands
MAX_PER_ADDRESS = 20  # several people behind one address (an office, a phone network)


def _keys(request, username: str) -> tuple[str, str]:
    account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:24]
    return f"sitrep:login:acct:{account}", f"sitrep:login:ip:{request_ip_hash(request)}"


def too_many(request, username: str) -> bool:
    account, address = _keys(request, username)
    return (cache.get(account, 0) >= MAX_PER_ACCOUNT) or (cache.get(address, 0) >= MAX_PER_ADDRESS)


def record_failure(request, username: str) -> None:
    for key in _keys(request, username):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)


def clear(request, username: str) -> None:
    cache.delete(_keys(request, username)[0])
