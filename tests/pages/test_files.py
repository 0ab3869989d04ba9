import gzip
import time

import pytest
from django.test import Client

from sitrep.comments import spam
from sitrep.pages import files as pagefiles

pytestmark = pytest.mark.django_db

PROXY = {"HTTP_X_SITREP_PROXY_CACHE": "1s"}


@pytest.fixture
def pages(settings, tmp_path):
    settings.PAGE_FILES_DIR = tmp_path / "pages"
    pagefiles._swept["second"] = 0
    pagefiles._warned["done"] = False
    return settings.PAGE_FILES_DIR


def files(pages):
    return sorted(str(p.relative_to(pages)) for p in pages.rglob("*") if p.is_file())


def test_a_public_page_asked_by_nginx_is_written_for_this_second(client, make_post, pages):
    post = make_post("Ferry talks resume")
    url = post.get_absolute_url()
    before = int(time.time())
    response = client.get(url, **PROXY)
    assert response["X-Sitrep-Public"] == "1"
    (second,) = [int(p.name) for p in pages.iterdir()]
    assert before <= second <= int(time.time())
    page = pages / str(second) / "http" / "testserver" / url.strip("/") / "index.html"
    assert page.read_bytes() == response.content  # the bytes sent, time stamp and all
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == response.content
    assert not [p for p in page.parent.iterdir() if p.name.startswith(".")]  # no leftovers
    client.get("/", **PROXY)  # the front page: index.html at the top of its host's folder
    assert [f for f in files(pages) if f.count("/") == 3] == [
        f"{s}/http/testserver/index.html{gz}"
        for s in sorted({f.split("/")[0] for f in files(pages)})[-1:]
        for gz in ("", ".gz")
    ]


def test_only_pages_nginx_will_look_for_are_written(client, make_post, pages, settings):
    post = make_post("Ferry talks resume")
    client.get(post.get_absolute_url())  # not through nginx: nginx would not read it
    client.get("/?page=1", **PROXY)  # a query string: nginx's microcache keeps those
    client.head("/", **PROXY)
    client.get("/", HTTP_COOKIE="messages=waiting", **PROXY)  # personal
    assert files(pages) == []
    settings.PAGE_FILES_DIR = None  # SITREP_PAGE_FILES off (the default)
    client.get("/", **PROXY)
    assert not pages.exists()


@pytest.mark.parametrize(
    "path, wanted",
    [("/", True), ("/2026/11/a-post/", True), ("/outlets/meridian-wire/", True),
     ("/2026/11/a-post", False), ("/../etc/", False), ("/a/./b/", False), ("/.git/", False),
     ("/a//b/", False), ("/a b/", False), ("/caf\u00e9/", False)],
)  # fmt: skip
def test_only_plain_paths_name_a_file(rf, pages, path, wanted):
    assert (pagefiles.address(rf.get(path)) is not None) is wanted


@pytest.mark.parametrize(
    "host, name",
    [("testserver", "testserver"), ("News.Example.ORG:8443", "news.example.org"),
     ("news.example.org.", "news.example.org"), ("127.0.0.1:8000", "127.0.0.1"),
     ("[::1]:8000", None), ("..", None), ("a..b", None), ("-a.example", None)],
)  # fmt: skip
def test_pages_are_kept_by_host_name_as_nginx_names_it(rf, pages, settings, host, name):
    settings.ALLOWED_HOSTS = ["*"]
    request = rf.get("/", HTTP_HOST=host)
    assert (pagefiles.address(request) is not None) is (name is not None)
    if name:
        pagefiles.write(pagefiles.address(request), b"<p>page</p>")
        (page,) = pages.rglob("index.html")
        assert page.relative_to(pages).parts[1:] == ("http", name, "index.html")


def test_old_seconds_are_swept_and_a_write_never_fails_the_request(pages, caplog):
    now = time.time()
    for age in (10, 5, 4, 3, 1):
        pagefiles.write("/", b"<p>old</p>", now - age)
    pagefiles.write("/", b"<p>now</p>", now)
    kept = sorted(int(now) - int(p.name) for p in pages.iterdir())
    assert kept == [0, 1, 3]
    # A file where the page's folder should be (a full disk or a permission alike): the
    # request goes on, the speed-up is lost, and it is said once in the log.
    (pages / str(int(now)) / "blocked").write_text("not a folder")
    pagefiles.write("/blocked/", b"<p>x</p>", now)
    pagefiles.write("/blocked/", b"<p>x</p>", now)
    assert caplog.text.count("page files: cannot write") == 1


def test_a_commenters_own_page_is_not_written_for_everyone(
    client, make_post, pages, django_capture_on_commit_callbacks
):
    post = make_post("Ferry talks resume")
    url = post.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/post/{post.pk}/", {
            "body": "Mine, with my own edit links.",
            "form_token": spam.form_token(time.time() - 60)})  # fmt: skip
    assert response.status_code == 302 and "sitrep_own" in response.cookies
    client.cookies.pop("messages", None)
    mine = client.get(url, **PROXY)
    assert b"/edit/" in mine.content and "X-Sitrep-Public" not in mine  # theirs, not kept
    assert list(pages.rglob("index.html")) == []  # nor written (it would be on every view)
    everyone = Client().get(url, **PROXY)
    assert everyone["X-Sitrep-Public"] == "1"
    (page,) = pages.rglob("index.html")
    assert b"Mine, with my own edit links." in page.read_bytes()
    assert b"/edit/" not in page.read_bytes()  # no one's links
