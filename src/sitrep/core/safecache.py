"""The shared cache is a speed-up, never a point of failure.

When the cache server stops (Redis restarted, a network blip) or its files fail (deleted,
unwritable, a full disk), reads miss, writes are dropped, and the request goes on from the
database. The outage is logged once. For a second after a failure calls do not wait on the
cache at all. Once it answers again, a process that dropped a write runs the recovery hooks
(core.cache moves the content generation on), so no reader is served a page older than the
writes made while the cache was gone.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from sitrep.core.diskcache import DiskCache

log = logging.getLogger("sitrep.cache")
RETRY_AFTER = 1.0  # seconds without asking a cache that just failed
on_recovery: list = []  # called once a cache that lost writes answers again


class _Dropped(Exception):
    """A call not made: the cache failed less than RETRY_AFTER ago."""


class SafeCacheMixin:
    failures: tuple[type[BaseException], ...] = ()

    def _state(self):
        state = self.__dict__.get("_safe")
        if state is None:
            state = self.__dict__.setdefault(
                "_safe", {"retry_at": 0.0, "down": False, "lost": False, "lock": threading.Lock()}
            )
        return state

    def _call(self, name: str, writes: bool, *args, **kwargs):
        state = self._state()
        if state["down"]:
            if state["lost"] and not writes:
                raise _Dropped  # a write was dropped: what the cache holds may be stale
            if time.monotonic() < state["retry_at"]:
                state["lost"] |= writes
                raise _Dropped
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except self.failures as error:
            with state["lock"]:
                if not state["down"]:
                    log.warning("cache unavailable (%s); reading from the database", error)
                state["down"], state["retry_at"] = True, time.monotonic() + RETRY_AFTER
                state["lost"] |= writes
            raise _Dropped from error
        if state["down"] and (writes or not state["lost"]):
            self._recovered(state)  # after a dropped write, only a write proves it is back
        return result

    def _recovered(self, state) -> None:
        with state["lock"]:
            if not state["down"]:
                return
            state["down"], lost, state["lost"] = False, state["lost"], False
        log.warning("cache answering again%s", "; moving past what it missed" if lost else "")
        if lost:
            for hook in on_recovery:
                try:
                    hook()
                except Exception:  # the hook's own cache call failing again is logged there
                    log.exception("cache recovery hook failed")

    # Reads miss; timeouts default to the backend's own (DEFAULT_TIMEOUT), as in Django.
    def get(self, key, default=None, version=None):
        try:
            return self._call("get", False, key, default, version)
        except _Dropped:
            return default

    def get_many(self, keys, version=None):
        try:
            return self._call("get_many", False, keys, version)
        except _Dropped:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call("has_key", False, key, version)
        except _Dropped:
            return False

    # Writes are dropped (and remembered, for the recovery hooks).
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set", True, key, value, timeout, version)
        except _Dropped:
            return None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("add", True, key, value, timeout, version)
        except _Dropped:
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set_many", True, data, timeout, version)
        except _Dropped:
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("touch", True, key, timeout, version)
        except _Dropped:
            return False

    def delete(self, key, version=None):
        try:
            return self._call("delete", True, key, version)
        except _Dropped:
            return False

    def delete_many(self, keys, version=None):
        try:
            return self._call("delete_many", True, keys, version)
        except _Dropped:
            return None

    def clear(self):
        try:
            return self._call("clear", True)
        except _Dropped:
            return None

    def incr(self, key, delta=1, version=None):
        try:
            return self._call("incr", True, key, delta, version)
        except _Dropped:
            raise ValueError(f"{key!r}: the cache is unavailable") from None

    def decr(self, key, delta=1, version=None):
        try:
            return self._call("decr", True, key, delta, version)
        except _Dropped:
            raise ValueError(f"{key!r}: the cache is unavailable") from None


class SafeRedisCache(SafeCacheMixin, RedisCache):
    @property
    def failures(self):
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class SafeDiskCache(SafeCacheMixin, DiskCache):
    failures = (sqlite3.Error, OSError)

    def _call(self, name: str, writes: bool, *args, **kwargs):
        self._files_check()
        return super()._call(name, writes, *args, **kwargs)

    def _files_check(self) -> None:
        """Once a second: if the cache's files were deleted or replaced, this process would go on
        with the old ones (open files outlive their names) while others start new ones. Reopen
        them, and treat it as an outage whose writes were lost."""
        now = time.monotonic()
        if now < self.__dict__.get("_checked_at", 0.0) + RETRY_AFTER:
            return
        self._checked_at = now
        if self.__dict__.get("_reopen_due"):
            self._reopen()
        files = []
        for shard in self._cache._shards:  # each shard's database file, by name: no listing
            path = Path(shard.directory) / "cache.db"
            try:
                info = path.stat()
            except OSError:
                files.append((str(path), None, None))
                continue
            files.append((str(path), info.st_dev, info.st_ino))
        known = self.__dict__.get("_files")
        self._files = files
        if known is not None and files != known:
            log.warning("cache files replaced or removed; making them again")
            self._cache.close()
            self._reopen()
            state = self._state()
            state["down"], state["lost"], state["retry_at"] = True, True, 0.0

    def _reopen(self) -> None:
        """diskcache's cache made again as DjangoCache.__init__ makes it (it creates the folder
        and tables if they are gone); if that fails too, the next call counts as an outage."""
        from diskcache import FanoutCache

        cache = self._cache
        try:
            self._cache = FanoutCache(
                self.directory, len(cache._shards), cache._shards[0]._timeout,
                **self._options,
            )  # fmt: skip
        except self.failures as error:
            log.warning("cache files cannot be made again yet (%s)", error)
            self._reopen_due = True
        else:
            self._reopen_due = False

    def __init__(self, directory, params):
        super().__init__(directory, params)
        self._options = params.get("OPTIONS", {})
