"""`sitrep worker` killed (SIGKILL) in the middle of a feed poll, an image copy and an import:
a worker started again runs each interrupted task once more, and nothing is stored twice."""

import io
import json
import signal
import subprocess
import sys
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

SITREP = str(Path(sys.executable).with_name("sitrep"))
POSTS = 1500


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 20)).save(out, "PNG")
    return out.getvalue()


class Slow(BaseHTTPRequestHandler):
    """A feed and an image that keep the first worker waiting until the test lets them go."""

    release = threading.Event()
    image = png()

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.release.wait(60)
        if self.path.startswith("/feed"):
            entries = "".join(
                f"<entry><id>urn:kill:{n}</id><title>Convoy report {n}</title>"
                f'<link href="https://harborledger.example/convoy-{n}"/>'
                "<updated>2026-12-01T08:00:00Z</updated><summary>Trucks.</summary></entry>"
                for n in range(3)
            )
            body = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    f"<title>Harbor Ledger</title>{entries}</feed>").encode()  # fmt: skip
            kind = "application/atom+xml"
        else:
            body, kind = self.image, "image/png"
        try:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the worker that asked was killed


def blogger_export(path: Path) -> None:
    kind = "http://schemas.google.com/blogger/2008/kind#"
    entries = []
    for n in range(POSTS):
        body = (f'<b>Writer {n}, Harbor Ledger: <a href="https://harborledger.example/{n}">'
                f"Talks, day {n}</a></b><br /><blockquote>The ferry ran again.</blockquote>"
                "<b>Desk Editor: </b>Worth reading.")  # fmt: skip
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id>"
            f"<published>2015-03-{1 + n % 28:02d}T08:00:00.000Z</published>"
            f"<updated>2015-03-{1 + n % 28:02d}T08:00:00.000Z</updated>"
            f"<category scheme='http://schemas.google.com/g/2005#kind' term='{kind}post'/>"
            f"<title type='text'>Ferry talks, day {n}</title>"
            f"<content type='html'>{escape(body)}</content>"
            f"<link rel='alternate' type='text/html' href='http://old.blogspot.com/2015/03/d{n}.html'/>"
            "<author><name>Desk Editor</name></author></entry>"
        )
    head = "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
    path.write_text(f"{head}<id>tag:blogger.com,1999:blog-1</id>{''.join(entries)}</feed>")


def shell(env, script):
    done = subprocess.run([SITREP, "shell", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


STATE = """
import json
from django_tasks_db.models import DBTaskResult
from sitrep.curation.models import InboxItem
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.media.models import MediaFile
from sitrep.posts.models import Post
names = ['poll_feed', 'images_copy_task', 'import_run_task']
tasks = {r.task_path.rsplit('.', 1)[1]: [r.status, len(r.worker_ids)]
         for r in DBTaskResult.objects.all() if r.task_path.rsplit('.', 1)[1] in names}
run = ImportRun.objects.get(name='big.xml')
print(json.dumps({"tasks": tasks, "run": run.status, "posts": Post.objects.count(),
                  "items": InboxItem.objects.count(), "media": MediaFile.objects.count(),
                  "copies": list(ImageCopy.objects.values_list('status', flat=True))}))
"""


@pytest.fixture
def site(own_site_env, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Slow.release.clear()
    env = {**own_site_env, "SITREP_SECRET_KEY": "worker-killed",
           "SITREP_FETCH_ALLOW_PRIVATE": "true"}  # fmt: skip
    env.pop("CACHE_URL", None)
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    yield env, f"http://127.0.0.1:{server.server_port}", tmp_path
    Slow.release.set()
    server.shutdown()


def state(env) -> dict:
    return json.loads(shell(env, STATE))


def test_tasks_a_killed_worker_was_running_are_run_again_once(site):
    env, origin, tmp_path = site
    export = tmp_path / "big.xml"
    blogger_export(export)
    shell(
        env,
        f"""
import datetime as dt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from sitrep.curation.models import Feed
from sitrep.curation.tasks import poll_feed
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.importers.runs import import_run_start
from sitrep.importers.tasks import images_copy_task
later = timezone.now() + dt.timedelta(days=1)
feed = Feed.objects.create(url='{origin}/feed.atom', next_poll_at=later)
poll_feed.enqueue(feed.pk)
images = ImportRun.objects.create(name='images', status='done')
ImageCopy.objects.create(run=images, url='{origin}/map.png')
images_copy_task.enqueue(images.pk)
upload = SimpleUploadedFile('big.xml', open('{export}', 'rb').read())
import_run_start(upload=upload, fmt='blogger', by=None)
""",
    )
    worker = subprocess.Popen([SITREP, "worker", "--tick", "0.5", "--threads", "3"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    started = time.monotonic()
    while True:  # the poll and the copy wait on the origin; the import is part way through
        now = state(env)
        running = [name for name, (status, _) in now["tasks"].items() if status == "RUNNING"]
        if len(running) == 3 and now["posts"] > 0:
            break
        assert now["run"] != "done", "the import ended before the worker could be killed"
        assert time.monotonic() - started < 60, now
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    killed = state(env)
    assert 0 < killed["posts"] < POSTS and killed["run"] == "importing"
    Slow.release.set()
    worker = subprocess.Popen([SITREP, "worker", "--tick", "0.5", "--threads", "3"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        started = time.monotonic()
        while True:
            now = state(env)
            if all(status == "SUCCESSFUL" for status, _ in now["tasks"].values()):
                break
            if time.monotonic() - started > 90:
                break
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    print(output)  # shown when the test fails
    assert time.monotonic() - started < 90, now
    assert "interrupted" in output  # said in the log
    # Each of the three ran twice (the killed try, then once more), and none is left running.
    assert now["tasks"]["poll_feed"] == ["SUCCESSFUL", 2]
    assert now["tasks"]["images_copy_task"] == ["SUCCESSFUL", 2]
    assert now["tasks"]["import_run_task"] == ["SUCCESSFUL", 2]
    # Nothing twice: every post once, the feed's three items once, the image copied once.
    assert now["run"] == "done" and now["posts"] == POSTS
    assert now["items"] == 3
    assert now["media"] == 1 and now["copies"] == ["copied"]
