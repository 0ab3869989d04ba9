"""Two app servers, one database, one shared cache and the worker: a write made anywhere (the
CLI, a moderator, a task the worker ran, the clock) is visible to anonymous readers of both
within a second.

`make test` runs it on SQLite with the disk cache and the database task queue; CI runs it again
on PostgreSQL with Redis as cache and RQ task queue (DATABASE_URL and CACHE_URL from the
environment), which is the set-up for several machines."""

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

SITREP = str(Path(sys.executable).with_name("sitrep"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


class Origin(BaseHTTPRequestHandler):
    """A cited article and a web archive that has a copy of every page it is asked about."""

    def log_message(self, *args):
        pass

    def do_HEAD(self):  # noqa: N802
        self.do_GET()

    def do_GET(self):  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path == "/wayback/available":
            url = parse_qs(parts.query)["url"][0]
            snapshot = {"available": True, "status": "200", "url": f"http://archive.test/w/{url}"}
            body = json.dumps({"archived_snapshots": {"closest": snapshot}}).encode()
        else:
            body = b"<html><head><title>Ferry talks resume</title></head><body><p>Talks.</p>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


@pytest.fixture
def origin():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def two_servers(own_site_env, origin):
    env = own_site_env  # a database of its own (PostgreSQL in CI's second run) or SQLite
    if env.get("CACHE_URL", "").startswith("redis"):
        # Redis at scale: cache and task queue (RQ), each on a database number of its own.
        redis = env["CACHE_URL"].rsplit("/", 1)[0]
        env.update(CACHE_URL=f"{redis}/13", SITREP_TASKS_BACKEND="rq", SITREP_RQ_URL=f"{redis}/14")
    else:
        env.pop("CACHE_URL", None)  # the disk cache, shared by processes on this machine
    env.update(SITREP_SECRET_KEY="scale-out-test",
               SITREP_WORKERS="1", SITREP_FETCH_ALLOW_PRIVATE="true",
               SITREP_ARCHIVE_SAVE_URL="",
               SITREP_ARCHIVE_AVAILABILITY_URL=origin + "/wayback/available?url={url}",
               SITREP_ORIGIN=origin)  # fmt: skip
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    if env.get("SITREP_TASKS_BACKEND") == "rq":  # nothing left from an earlier run
        shell(env, "import django_rq; django_rq.get_queue('default').empty()\n"
                   "from django.core.cache import cache; cache.clear()")  # fmt: skip
    worker = subprocess.Popen([SITREP, "worker", "--tick", "0.5", "--threads", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}"],
                                        env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))  # fmt: skip
        bases.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60  # a loaded CI machine starts servers slowly
    for server, base in zip(servers, bases, strict=True):
        while True:
            assert server.poll() is None, "a server exited"
            try:
                get(base + "/")
                break
            except OSError:
                assert time.monotonic() < deadline, f"{base} did not answer"
                time.sleep(0.2)
    yield bases, env
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(20)
    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=30)[0].decode()
    print(output)  # shown when a test failed
    assert worker.returncode == 0, output


def shell(env, script):
    done = subprocess.run([SITREP, "shell", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def visible_everywhere(bases, path, text, *, present=True, within=1.0):
    """Poll each server until `text` is (or is no longer) on `path`; return the seconds from
    the start to the latest first request that saw it. Counted when a request is sent, not when
    its answer comes back: a loaded machine may take long to answer, and what is promised is
    that a request made a second after a change sees it."""
    started = time.monotonic()
    taken = []
    for base in bases:
        while True:
            asked = time.monotonic() - started
            if (text in get(base + path)) == present:
                taken.append(asked)
                break
            assert asked < within, f"{text!r} not {present} on {base} in {within}s"
            time.sleep(0.05)
    return max(taken)


def test_writes_reach_readers_of_both_servers_within_a_second(two_servers):
    bases, env = two_servers
    tag = uuid.uuid4().hex[:8]
    setup = (
        "from sitrep.accounts.services import editor_create\n"
        "from sitrep.accounts.models import User\n"
        "if not User.objects.filter(username='scale').exists():\n"
        "    editor_create(username='scale', password='scale-pass-1234', signature='Scale')\n"
    )
    shell(env, setup)
    for base in bases:  # both servers have the front page cached before the write
        get(base + "/")
        get(base + "/")
    publish = (
        "from sitrep.accounts.models import User\n"
        "from sitrep.posts.services import Action, ClipData, post_write\n"
        "import datetime as dt\nfrom django.utils import timezone\n"
        "editor = User.objects.get(username='scale')\n"
        "def make(headline, **kw):\n"
        "    return post_write(post=None, author=editor, headline=headline, action=Action.PUBLISH,"
        " clips=[ClipData(outlet_name='Scale Wire', source_headline='S',"
        f" url='https://scale.example/{tag}/' + headline[-3:], excerpt='E.')], **kw)\n"
        f"post = make('Published {tag} now')\n"
        f"make('Scheduled {tag} soon', published_at=timezone.now() + dt.timedelta(seconds=3))\n"
        "print(post.get_absolute_url())\n"
    )
    post_url = shell(env, publish).splitlines()[-1]
    scheduled_at = time.monotonic() + 3
    # A post published from the command line: on both servers' front pages within a second.
    visible_everywhere(bases, "/", f"Published {tag} now")
    # A comment, then its removal by a moderator, each seen on both servers' post pages.
    comment = (
        "from sitrep.comments.services import comment_submit, comment_moderate\n"
        "from sitrep.posts.models import Post\n"
        "from sitrep.accounts.models import User\n"
        f"post = Post.objects.get(headline='Published {tag} now')\n"
        f"c = comment_submit(post=post, body='Comment {tag} here', ip_hash='x', screened=False)\n"
        "print(c.pk)\n"
    )
    comment_id = shell(env, comment).splitlines()[-1]
    visible_everywhere(bases, post_url, f"Comment {tag} here")
    remove = (
        "from sitrep.comments.models import Comment\n"
        "from sitrep.comments.services import comment_moderate\n"
        "from sitrep.accounts.models import User\n"
        f"comment_moderate(comment=Comment.objects.get(pk={comment_id}),"
        " actor=User.objects.get(username='scale'), action='remove', reason='test')\n"
    )
    shell(env, remove)
    visible_everywhere(bases, post_url, f"Comment {tag} here", present=False)
    # An import from the command line (a Blogger export): its posts reach both servers too.
    data = Path(__file__).parent / "data" / "blogger-2018.xml"
    imported = subprocess.run([SITREP, "import", "blogger", str(data), "--no-progress"], env=env,
                              capture_output=True, text=True)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    visible_everywhere(bases, "/", "Monitors Count The Guns")
    # The scheduled post: on both front pages within a second of its time, with no write.
    time.sleep(max(0, scheduled_at - time.monotonic()))
    visible_everywhere(bases, "/", f"Scheduled {tag} soon", within=1.5)


def test_a_task_the_worker_ran_reaches_readers_of_both_servers(two_servers):
    """Publishing queues the archive task (database queue, or RQ on Redis in CI); the worker
    runs it in its own process and the "archived copy" link reaches readers of both servers."""
    bases, env = two_servers
    tag = uuid.uuid4().hex[:8]
    publish = (
        "import os\n"
        "from sitrep.accounts.services import editor_create\n"
        "from sitrep.posts.services import Action, ClipData, post_write\n"
        "editor = editor_create(username='worker', password='worker-pass-1234', signature='W')\n"
        f"post = post_write(post=None, author=editor, headline='Ferry {tag}',"
        " action=Action.PUBLISH, clips=[ClipData(outlet_name='Harbour Wire',"
        " source_headline='Ferry talks resume', excerpt='Talks.',"
        f" url=os.environ['SITREP_ORIGIN'] + '/ferry-{tag}')])\n"
        "print(post.get_absolute_url())\n"
    )
    post_url = shell(env, publish).splitlines()[-1]
    started = time.monotonic()
    while "archived copy" not in get(bases[0] + post_url) + get(bases[1] + post_url):
        assert time.monotonic() - started < 90, "the worker did not archive the cited page"
        time.sleep(0.1)
    visible_everywhere(bases, post_url, "archived copy")
