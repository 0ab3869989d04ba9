"""The shared cache fails and comes back (a real Redis server stopped and started; the disk
cache's files removed, and made impossible to create): no call raises, reads miss while a
dropped write may have made the cache stale, and once it answers again the content generation
moves on, so no page older than the writes made during the outage is served."""

import shutil
import socket
import subprocess
import time

import pytest

from sitrep.core import safecache
from sitrep.core.safecache import SafeDiskCache, SafeRedisCache


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, port):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer(free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def recoveries(monkeypatch):
    calls = []
    monkeypatch.setattr(safecache, "on_recovery", [lambda: calls.append("bump")])
    monkeypatch.setattr(safecache, "RETRY_AFTER", 0.2)
    return calls


def test_redis_stopping_fails_no_call_and_its_return_moves_pages_on(redis_server, recoveries):
    cache = SafeRedisCache(f"redis://127.0.0.1:{redis_server.port}/0", {"KEY_PREFIX": "t"})
    cache.set("page", "old page", None)
    assert cache.get("page") == "old page"

    redis_server.stop()
    started = time.monotonic()
    assert cache.get("page") is None  # a miss: the page is rendered from the database
    cache.set("page", "new page")  # dropped
    assert cache.add("lock", 1) is False
    with pytest.raises(ValueError):
        cache.incr("generation")
    assert cache.get_many(["page"]) == {}
    cache.delete("page")
    assert time.monotonic() - started < 2  # refused connections fail fast, then not asked
    assert recoveries == []

    redis_server.start()  # empty, as Redis without persistence restarts
    time.sleep(0.25)
    assert cache.get("page") is None  # reads still miss until a write proves it is back
    cache.set("page", "newest page", None)
    assert recoveries == ["bump"]
    assert cache.get("page") == "newest page"


def test_the_disk_cache_survives_its_files_going(tmp_path, recoveries):
    folder = tmp_path / "cache"
    params = {"KEY_PREFIX": "t", "SHARDS": 2, "DATABASE_TIMEOUT": 1.0, "OPTIONS": {}}
    cache = SafeDiskCache(str(folder), params)
    cache.set("page", "old page", None)
    assert cache.get("page") == "old page"

    time.sleep(0.25)
    shutil.rmtree(folder)  # an operator cleaning up, a disk swapped
    folder.write_text("not a folder")  # and nothing can be made in its place
    time.sleep(0.25)
    assert cache.get("page") is None
    cache.set("page", "new page")
    with pytest.raises(ValueError):
        cache.incr("generation")

    folder.unlink()  # space again
    time.sleep(0.25)
    cache.get("anything")
    time.sleep(0.25)
    cache.set("page", "newest page", None)
    assert cache.get("page") == "newest page"
    assert recoveries == ["bump"]
    assert (folder / "000" / "cache.db").exists()  # made again, tables and all
