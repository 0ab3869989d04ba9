"""A throwaway site for Lighthouse and screenshots: the demo week plus one post with 200 comments,
served by `sitrep serve` (gunicorn + WhiteNoise, as in production) on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SITREP = str(Path(sys.executable).with_name("sitrep"))


_current = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, tries: int = 100) -> None:
    """Until a server just started answers at `url` (20 s at most)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)


def data_dir() -> str:
    """The data folder of the site running_site() started (its static files, for nginx)."""
    return _current["data"]


def _shell(script: str) -> str:
    """Run `script` in `sitrep shell` on the running site's data; the last line it printed."""
    env = {**os.environ, "SITREP_DATA_DIR": data_dir(), "SITREP_SECRET_KEY": "checks"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


def pictured_post() -> str:
    """The address of the newest post with a lead image on the running site."""
    return _shell(
        "from sitrep.posts.models import Post\n"
        "print(Post.objects.live().filter(lead_image__isnull=False)"
        ".latest('published_at').get_absolute_url())\n"
    )


def reader_session() -> str:
    """A signed-in session of a plain reader account on the running site (its cookie value),
    made by Django's own sign-in."""
    script = (
        "from django.test import Client\n"
        "from sitrep.accounts.models import User\n"
        "user, _ = User.objects.get_or_create(username='bench-reader',"
        " defaults={'public_name': 'Bench Reader'})\n"
        "client = Client()\n"
        "client.force_login(user)\n"
        "print(client.cookies['sessionid'].value)\n"
    )
    return _shell(script)


def own_comment_cookie() -> str:
    """The own-comment cookie a browser gets for the newest comment on the running site (its
    edit links for fifteen minutes), signed by Django as the comment form's answer signs it."""
    script = (
        "from django.http import HttpResponse\n"
        "from sitrep.comments.models import Comment\n"
        "comment = Comment.objects.filter(user=None).latest('created')\n"
        "response = HttpResponse()\n"
        "response.set_signed_cookie('sitrep_own', str(comment.pk), salt='sitrep.own')\n"
        "print(response.cookies['sitrep_own'].value)\n"
    )
    return _shell(script)


def demo_site(env: dict) -> str:
    """Migrate the site `env` names, give it the demo week and a post with 200 comments (the
    busy thread of the checks and benchmarks); return that post's address."""
    subprocess.run([SITREP, "migrate", "-v0"], env=env, check=True)
    subprocess.run([SITREP, "demo"], env=env, check=True, capture_output=True)
    script = (
        "from sitrep.comments.services import comment_submit\n"
        "from sitrep.posts.models import Post\n"
        "post = Post.objects.live().order_by('-published_at').first()\n"
        "parent = None\n"
        "for i in range(200 - post.comment_count):\n"
        "    c = comment_submit(post=post, body=f'Comment {i}: the bridges, the fuel and the "
        "talks, argued once more with a [link](https://x.example/{i}).', ip_hash=f'h{i}', "
        "author_name=f'Reader {i % 17}', parent_id=parent if i % 3 else None, screened=False)\n"
        "    parent = c.pk if i % 5 else None\n"
        "print(post.get_absolute_url())\n"
    )
    out = subprocess.run([SITREP, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True)  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def running_site(**extra_env):
    data = tempfile.mkdtemp(prefix="sitrep-checks-")
    _current["data"] = data
    env = {**os.environ, "SITREP_DATA_DIR": data, "SITREP_SECRET_KEY": "checks", **extra_env}
    env.pop("DATABASE_URL", None)
    busy_post = demo_site(env)
    with serving(env) as base:
        yield base, busy_post


@contextlib.contextmanager
def serving(env: dict):
    """`sitrep serve` on a free port for the site `env` names, until the block ends; yields its
    address once it answers."""
    port = free_port()
    server = subprocess.Popen([SITREP, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/")
    try:
        yield base
    finally:
        server.terminate()
        server.wait(20)
