"""Link-rot insurance against a local fake origin and a fake web archive, over real HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.cache import cache

from sitrep.linkcheck.services import (
    headline_changed,
    source_archive,
    source_check,
    source_use_new_address,
    sources_of_post,
)
from sitrep.linkcheck.tasks import check_source
from sitrep.posts.models import Source
from tests.conftest import clip

pytestmark = pytest.mark.django_db

ARTICLE = (
    "<html><head><title>{title} | Ridge Post</title></head><body><article><h1>{title}</h1>"
    "<p>Troops were seen crossing the bridge at dawn, three witnesses told our reporter.</p>"
    "<p>The ministry did not answer questions about the crossing by the evening.</p>"
    "</article></body></html>"
)


class Web(BaseHTTPRequestHandler):
    """Routes: path -> (status, headers, body); `head_refused` paths answer HEAD with 405."""

    routes: dict = {}
    head_refused: set = set()
    saved: set = set()
    requests: list = []

    def log_message(self, *args):
        pass

    def do_HEAD(self):  # noqa: N802
        self._answer(head=True)

    def do_GET(self):  # noqa: N802
        self._answer(head=False)

    def _answer(self, *, head):
        parts = urlsplit(self.path)
        Web.requests.append(("HEAD" if head else "GET", parts.path))
        if parts.path.startswith("/save/"):  # the fake archive's "save page now"
            target = unquote(self.path[len("/save/") :])
            Web.saved.add(target)
            return self._send(302, {"Location": f"/web/20261125000000/{target}"}, b"", head)
        if parts.path == "/wayback/available":
            url = parse_qs(parts.query)["url"][0]
            closest = None
            if url in Web.saved:
                closest = {
                    "available": True,
                    "status": "200",
                    "url": f"http://archive.test/web/1/{url}",
                }
            body = json.dumps({"archived_snapshots": {"closest": closest} if closest else {}})
            return self._send(200, {"Content-Type": "application/json"}, body.encode(), head)
        if parts.path.startswith("/web/"):
            return self._send(200, {"Content-Type": "text/html"}, b"<p>archived</p>", head)
        if head and parts.path in Web.head_refused:
            return self._send(405, {}, b"", head)
        status, headers, body = Web.routes.get(parts.path, (404, {}, b"not here"))
        self._send(status, {"Content-Type": "text/html", **headers}, body, head)

    def _send(self, status, headers, body, head):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


@pytest.fixture
def web(settings):
    Web.routes, Web.head_refused, Web.saved, Web.requests = {}, set(), set(), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Web)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.SITREP_ARCHIVE_SAVE_URL = base + "/save/{url}"
    settings.SITREP_ARCHIVE_AVAILABILITY_URL = base + "/wayback/available?url={url}"
    cache.clear()
    yield base
    server.shutdown()


def article(title):
    return (200, {}, ARTICLE.format(title=title).encode())


def cited(make_post, url, headline="Troops cross the bridge at dawn"):
    post = make_post(clips=[clip(1, url=url, outlet="Ridge Post")])
    post.clips.update(source_headline=headline)
    source = post.clips.get().source
    source.quoted_headline = headline
    source.save()
    return post, source


def test_publishing_archives_the_source_and_keeps_our_copy(web, make_post):
    url = web + "/2026/bridge"
    Web.routes["/2026/bridge"] = article("Troops cross the bridge at dawn")
    post, source = cited(make_post, url)
    assert sources_of_post(post.pk) == [source]
    source_archive(source)
    source.refresh_from_db()
    assert url in Web.saved  # the archive was asked to save it
    assert source.archive_url.endswith("/web/20261125000000/" + url)
    assert "three witnesses told our reporter" in source.text
    assert source.text_title == "Troops cross the bridge at dawn"


def test_archive_already_holding_a_copy_is_not_asked_again(web, make_post):
    url = web + "/2026/kept"
    Web.routes["/2026/kept"] = article("Kept")
    Web.saved.add(url)
    _, source = cited(make_post, url, "Kept")
    source_archive(source)
    assert source.archive_url == f"http://archive.test/web/1/{url}"
    assert not any(path.startswith("/save/") for _, path in Web.requests)


def test_a_dead_archive_is_recorded_not_raised(web, make_post, settings):
    settings.SITREP_ARCHIVE_AVAILABILITY_URL = "http://127.0.0.1:9/none?url={url}"
    Web.routes["/a"] = article("A")
    _, source = cited(make_post, web + "/a", "A")
    source_archive(source)
    assert source.archive_error.startswith("archive:") and source.text


def test_a_check_and_an_archiving_at_the_same_time_keep_both_results(web, make_post):
    # The worker runs both side by side, each with the row as it read it before the other saved.
    Web.routes["/both"] = article("Troops cross the bridge at dawn")
    _, source = cited(make_post, web + "/both")
    for_check = Source.objects.get(pk=source.pk)
    source_archive(source)
    assert source_check(for_check).state == Source.State.ALIVE
    source.refresh_from_db()
    assert source.archive_url and source.text and source.state == Source.State.ALIVE


def test_alive_page_with_the_same_headline_is_alive_and_uses_head_first(web, make_post):
    Web.routes["/ok"] = article("Troops cross the bridge at dawn")
    _, source = cited(make_post, web + "/ok")
    assert source_check(source).state == Source.State.ALIVE
    assert [m for m, p in Web.requests if p == "/ok"] == ["HEAD", "GET"]


def test_server_refusing_head_is_checked_with_get(web, make_post):
    Web.routes["/nohead"] = article("Troops cross the bridge at dawn")
    Web.head_refused.add("/nohead")
    _, source = cited(make_post, web + "/nohead")
    assert source_check(source).state == Source.State.ALIVE


def test_404_and_410_are_gone_and_readers_get_the_archived_copy(web, make_post, client):
    Web.routes["/gone"] = (410, {}, b"gone")
    post, source = cited(make_post, web + "/gone")
    source.archive_url = "http://archive.test/web/1/x"
    source.save()
    assert source_check(source).state == Source.State.GONE
    page = client.get(post.get_absolute_url()).content.decode()
    assert "the original is no longer online" in page
    assert 'href="http://archive.test/web/1/x"' in page and "archived copy" in page


def test_a_rewritten_headline_is_shown_with_both(web, make_post, client):
    Web.routes["/story"] = article("Ministry denies any crossing took place")
    post, source = cited(make_post, web + "/story")
    assert source_check(source).state == Source.State.CHANGED
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The source has since changed its headline" in page
    assert "Ministry denies any crossing took place" in page


def test_moved_page_is_followed_and_recorded_then_fixed_in_one_click(web, make_post):
    Web.routes["/old"] = (301, {"Location": "/new"}, b"")
    Web.routes["/new"] = article("Troops cross the bridge at dawn")
    post, source = cited(make_post, web + "/old")
    assert source_check(source).state == Source.State.MOVED
    assert source.final_url == web + "/new"
    assert source_use_new_address(source) == 1
    assert post.clips.get().url == web + "/new"


def test_redirect_to_the_front_page_counts_as_gone(web, make_post):
    Web.routes["/deleted"] = (302, {"Location": "/"}, b"")
    Web.routes["/"] = article("Ridge Post front page")
    _, source = cited(make_post, web + "/deleted")
    assert source_check(source).state == Source.State.GONE


def test_transient_errors_retry_with_backoff_before_unreachable(web, make_post):
    Web.routes["/flaky"] = (503, {}, b"busy")
    _, source = cited(make_post, web + "/flaky")
    waits = []
    for _ in range(3):
        before = source.next_check_at
        source_check(source)
        waits.append(source.next_check_at - source.checked_at)
        assert source.next_check_at > before
    assert source.state == Source.State.UNREACHABLE and source.failures == 3
    assert waits == sorted(waits) and waits[0].total_seconds() == 3600


def test_one_request_per_host_at_a_time(web, make_post):
    Web.routes["/one"] = article("Troops cross the bridge at dawn")
    Web.routes["/two"] = article("Troops cross the bridge at dawn")
    _, first = cited(make_post, web + "/one")
    _, second = cited(make_post, web + "/two")
    assert check_source.call(first.pk)["state"] == "alive"
    assert check_source.call(second.pk) == {"source": second.pk, "skipped": "host busy"}
    second.refresh_from_db()
    assert second.state == Source.State.UNCHECKED


def test_headline_comparison_ignores_site_names_and_punctuation():
    assert not headline_changed("Troops cross the bridge", "Troops cross the bridge | Ridge Post")
    assert not headline_changed("“Troops” cross the bridge", "Troops cross the bridge!")
    assert headline_changed("Troops cross the bridge", "Ministry denies crossing")


def test_desk_report_lists_trouble_oldest_first_with_fixes(web, make_post, editor_client):
    Web.routes["/gone"] = (404, {}, b"")
    _, source = cited(make_post, web + "/gone")
    source_check(source)
    page = editor_client.get("/desk/sources/").content.decode()
    assert web + "/gone" in page and "Gone" in page
    editor_client.post(f"/desk/sources/{source.pk}/fix/", {"action": "reviewed"})
    assert web + "/gone" not in editor_client.get("/desk/sources/").content.decode()
    assert editor_client.get(f"/desk/sources/{source.pk}/copy/").status_code == 200


def test_the_clock_queues_each_due_cited_source_once(
    web, make_post, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from sitrep.linkcheck.schedule import enqueue_due_checks

    _, due = cited(make_post, web + "/due")
    draft = make_post("Draft", action="save", clips=[clip(2, url=web + "/draft-only")])
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_checks() == 1  # the draft's source is not checked
        assert enqueue_due_checks() == 0  # already queued
    assert [r.args for r in default_task_backend.results] == [[due.pk]]
    assert draft.clips.get().source.state == Source.State.UNCHECKED


def test_publishing_queues_archiving(make_post, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from sitrep.linkcheck.tasks import archive_post_sources

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post()
    queued = [r for r in default_task_backend.results if r.task.func is archive_post_sources.func]
    assert [r.args for r in queued] == [[post.pk]]


def test_reserved_example_names_are_never_fetched_or_archived(
    make_post, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from sitrep.core.http import reserved
    from sitrep.linkcheck.schedule import enqueue_due_checks

    post = make_post(clips=[clip(1, url="https://harborledger.example/story")])
    assert sources_of_post(post.pk) == []
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_checks() == 0
    assert reserved("news.example.com") and reserved("x.test") and not reserved("example.co.uk")


def test_tasks_queued_under_the_apps_old_name_still_run():
    """The app was `sources`; a task queued before the rename names the old module."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sitrep.linkcheck.tasks import check_source as task

    queued = DBTaskResult.objects.create(
        task_path="sitrep.sources.tasks.check_source",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )
    migration = importlib.import_module("sitrep.linkcheck.migrations.0001_task_paths")
    migration.repoint(apps, SimpleNamespace(connection=connection))
    queued.refresh_from_db()
    assert queued.task_path == "sitrep.linkcheck.tasks.check_source"
    assert queued.task.func is task.func
