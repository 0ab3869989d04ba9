"""The `sitrep` command as an operator uses it: real processes, a real SQLite file, real HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SITREP = str(Path(sys.executable).with_name("sitrep"))


@pytest.fixture
def site_env(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
    environ.pop("DATABASE_URL", None)
    environ.pop("CACHE_URL", None)
    # The checkout's own .env (from `make run`) is not this test site's configuration.
    environ.update(
        SITREP_SECRET_KEY="cli-test-secret", SITREP_DATA_DIR=str(tmp_path), SITREP_ENV_FILE=""
    )
    return environ


def run(args, environ, **kwargs):
    return subprocess.run(
        [SITREP, *args], env=environ, capture_output=True, text=True, timeout=120, **kwargs
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env, port):
    return subprocess.Popen(
        [SITREP, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def read_until(stream, text, *, seconds):
    """What `stream` printed until `text` appeared in it, or `seconds` passed."""
    os.set_blocking(stream.fileno(), False)
    seen, deadline = b"", time.monotonic() + seconds
    while text.encode() not in seen and time.monotonic() < deadline:
        seen += stream.read() or b""
        time.sleep(0.1)
    return seen.decode()


def first_answer(url):
    """The page at `url` once the server answers (None if it never does)."""
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    return None


def test_migrate_createeditor_demo_and_serve_over_http(site_env, tmp_path):
    assert run(["migrate", "--no-input"], site_env).returncode == 0
    journal = subprocess.run(
        ["sqlite3", str(tmp_path / "sitrep.sqlite3"), "PRAGMA journal_mode"],
        capture_output=True,
        text=True,
    )
    if journal.returncode == 0:  # the sqlite3 shell is optional on a machine
        assert journal.stdout.strip() == "wal"

    created = run(
        ["createeditor", "nightdesk", "--signature", "Night Desk"],
        {**site_env, "SITREP_PASSWORD": "night-desk-pass"},
    )
    assert created.returncode == 0, created.stderr
    assert "signing as 'Night Desk'" in created.stdout

    demo = run(["demo"], site_env)
    assert "Loaded demo content" in demo.stdout
    again = run(["demo"], site_env)
    assert "already has posts" in again.stdout

    port = free_port()
    server = serve(site_env, port)
    try:
        body = first_answer(f"http://127.0.0.1:{port}/")
        assert body is not None, "the server did not answer"
        assert "Separation Agreement To Be Signed Sunday" in body
        css = body.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/sitrep/css/site.") and css != "/static/sitrep/css/site.css"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as response:
            assert response.status == 200
            assert "max-age" in response.headers["Cache-Control"]
        # The access log: granian's worker writes it after answering, so it may come a moment
        # later on a busy machine.
        logged = read_until(server.stdout, '"GET / HTTP/1.1" 200', seconds=20)
        assert '"GET / HTTP/1.1" 200' in logged
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_without_an_access_log(site_env):
    run(["migrate", "--no-input"], site_env)
    port = free_port()
    server = serve({**site_env, "SITREP_ACCESS_LOG": "false"}, port)
    try:
        assert first_answer(f"http://127.0.0.1:{port}/") is not None
    finally:
        server.terminate()
        server.wait(timeout=20)
    out = server.stdout.read().decode()
    assert "sitrep serving on" in out and "GET / " not in out


def test_createeditor_without_password_or_terminal_explains_itself(site_env):
    run(["migrate", "--no-input"], site_env)
    result = run(["createeditor", "x", "--signature", "X"], site_env, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "Set SITREP_PASSWORD" in result.stderr


def test_feeds_poll_clip_and_a_real_worker(site_env, tmp_path, web):
    import json
    import signal
    import sqlite3

    env = {**site_env, "SITREP_FETCH_ALLOW_PRIVATE": "true"}
    assert run(["migrate", "--no-input"], env).returncode == 0
    added = run(["feeds", "add", web.url("/page.html")], env)
    assert "subscribed to Meridian Wire: World" in added.stdout, added.stderr
    polled = run(["poll", "--once"], env)
    assert "polled 1 feed in" in polled.stdout and "2 new items" in polled.stdout
    (tmp_path / "feeds.opml").write_bytes(
        (Path(__file__).parent / "data/web/feeds.opml").read_bytes()
    )
    assert "3 feeds added" in run(["feeds", "import", str(tmp_path / "feeds.opml")], env).stdout
    assert run(["feeds", "export"], env).stdout.count("<outline") == 4
    clipped = json.loads(run(["clip", web.url("/article.html")], env).stdout)
    assert clipped["source_headline"] == "Tanks gather near the Kalder crossings"
    assert clipped["url"] == "https://meridianwire.example/2026/11/tanks-kalder"

    # The worker: its clock finds the atom feed due, queues a task, and a task thread polls it.
    run(["feeds", "add", web.url("/atom.xml")], env)
    db = sqlite3.connect(tmp_path / "sitrep.sqlite3")
    db.execute("UPDATE curation_feed SET next_poll_at = '2000-01-01 00:00:00', active = 0")
    db.execute("UPDATE curation_feed SET active = 1 WHERE url = ?", [web.url("/atom.xml")])
    db.execute("DELETE FROM curation_inboxitem")
    db.commit()
    worker = subprocess.Popen(
        [SITREP, "worker", "--tick", "0.5", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # The task's items are stored before the task is marked done: wait for both.
        count, rows = 0, []
        for _ in range(120):
            count = db.execute("SELECT count(*) FROM curation_inboxitem").fetchone()[0]
            rows = db.execute(
                "SELECT args_kwargs, status FROM django_tasks_database_dbtaskresult"
                " WHERE task_path LIKE '%poll_feed'"  # (not the scheduled backup)
            ).fetchall()
            if count and rows and rows[0][1] != "RUNNING":
                break
            time.sleep(0.25)
        assert count == 2
        assert len(rows) == 1 and rows[0][1] == "SUCCESSFUL", rows
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    assert worker.returncode == 0, output
    assert "sitrep worker: stopped" in output


def test_the_worker_archives_checks_and_places_a_published_post(site_env, tmp_path, web):
    """Publishing queues work for the real worker: our copy of each cited page and a web
    archive's (here a fake that has none), a link check on the clock, and place suggestions."""
    import signal
    import sqlite3

    env = {**site_env, "SITREP_FETCH_ALLOW_PRIVATE": "true",
           "SITREP_ARCHIVE_SAVE_URL": "",
           "SITREP_ARCHIVE_AVAILABILITY_URL": web.url("/no-archive?url={url}")}  # fmt: skip
    assert run(["migrate", "--no-input"], env).returncode == 0
    script = (
        "from sitrep.accounts.services import editor_create\n"
        "from sitrep.posts.services import Action, ClipData, post_write\n"
        "editor = editor_create(username='desk', password='desk-password-1', signature='Desk')\n"
        "post_write(post=None, author=editor, headline='Tanks near Kharkiv', action=Action.PUBLISH,"
        f" clips=[ClipData(outlet_name='Meridian Wire', url='{web.url('/article.html')}',"
        " source_headline='Tanks gather near the Kalder crossings',"
        " excerpt='Armour was seen east of Kharkiv on Monday.')])\n"
    )
    made = run(["shell", "-c", script], env)
    assert made.returncode == 0, made.stderr
    db = sqlite3.connect(tmp_path / "sitrep.sqlite3")
    worker = subprocess.Popen([SITREP, "worker", "--tick", "0.5", "--threads", "3"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        row = None
        deadline = time.monotonic() + 90  # the gazetteer alone takes seconds on a busy machine
        while time.monotonic() < deadline:
            row = db.execute(
                "SELECT s.state, s.text, s.archive_error, p.name FROM posts_source s,"
                " places_postplace pp JOIN places_place p ON p.id = pp.place_id"
            ).fetchone()
            unfinished = db.execute(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()[0]
            if row and row[0] != "unchecked" and row[1] and not unfinished:
                break  # the archive task writes the text a moment before it is marked done
            time.sleep(0.25)
        assert row, "no source or place suggestion at all"
        state, text, archive_error, place = row
        tasks = db.execute(
            "SELECT task_path, status, return_value FROM django_tasks_database_dbtaskresult"
        ).fetchall()
        error = db.execute("SELECT last_error FROM posts_source").fetchone()
        assert state == "alive", (tasks, error)  # the headline we quoted is the page's title
        assert {status for _, status, _ in tasks} == {"SUCCESSFUL"}, tasks
        assert "Kalder" in text and archive_error.startswith("archive:")
        assert place == "Kharkiv"
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    assert worker.returncode == 0, output


def test_every_command_finds_the_configuration_make_run_wrote(site_env, tmp_path):
    """`make run` writes .env once; a command started in that folder needs nothing exported."""
    del site_env["SITREP_SECRET_KEY"], site_env["SITREP_DATA_DIR"], site_env["SITREP_ENV_FILE"]
    refused = run(["migrate", "--no-input"], site_env, cwd=tmp_path)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]  # one line
    assert "SITREP_SECRET_KEY" in refused.stderr

    (tmp_path / ".env").write_text(
        f"# written by make run\nSITREP_SECRET_KEY=from-the-file\nSITREP_DATA_DIR={tmp_path}\n"
    )
    for args in (["migrate", "--no-input"], ["createeditor", "desk", "--signature", "Desk"]):
        result = run(args, {**site_env, "SITREP_PASSWORD": "a-long-password-1"}, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "sitrep.sqlite3").exists()


def test_a_bad_setting_is_one_line_and_a_failure_for_every_command(site_env):
    for args in (["migrate"], ["import", "auto", "missing.xml"], ["worker"], ["check"]):
        result = run(args, {**site_env, "SITREP_WORKERS": "many"})
        assert result.returncode != 0, args
        assert result.stderr.strip() == "sitrep: SITREP_WORKERS='many' is not a whole number"
