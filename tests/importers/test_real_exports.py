"""Export files that other projects wrote and ship in their test suites (Pelican, Nikola, Isso,
Acrylamid), fetched from PyPI by `make test` (tools/real_exports.py): every entry imported or
listed with its reason, and a second import adds nothing."""

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from sitrep.comments.models import Comment
from sitrep.importers.load import import_file
from sitrep.importers.models import Redirect
from sitrep.posts.models import Post

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[2] / ".venv" / "real-exports"


def real(name: str) -> Path:
    path = REAL / name
    assert path.exists(), f"{path} is missing: `make test` fetches it (tools/real_exports.py)"
    return path


def count(path: Path, xpath: str, namespaces: dict) -> int:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    return len(etree.parse(str(path), parser).xpath(xpath, namespaces=namespaces))


def accounted(report) -> int:
    return report.posts_new + report.comments_new + sum(report.skipped.values())


ATOM = {"a": "http://www.w3.org/2005/Atom"}
WP = {"wp": "http://wordpress.org/export/1.2/"}


def test_pelicans_blogger_export_with_whitespace_around_its_dates():
    path = real("pelican-blogger.xml")
    report = import_file(path)
    assert accounted(report) == count(path, "//a:entry", ATOM)
    assert (report.posts_new, report.comments_new) == (2, 1)
    assert report.skipped == {"page": 2, "settings": 58, "template": 1}
    assert "page “Test page”: a Blogger page, not a post" in "\n".join(report.lines())
    assert Comment.objects.get().post.headline == "The Steel Windpipe"
    again = import_file(path)
    assert (again.posts_new, again.comments_new) == (0, 0)
    assert (again.posts_existing, again.comments_existing) == (2, 1)


def test_pelicans_wordpress_export_with_repeated_ids_and_zero_dates():
    path = real("pelican-wordpress.xml")
    report = import_file(path)
    namespaces = {"wp": "http://wordpress.org/export/1.1/"}
    assert accounted(report) == count(path, "//item", {}) + count(path, "//wp:comment", namespaces)
    # Two pairs of posts share a wp:post_id (175 and 176): all four are here.
    assert report.posts_new == 11
    assert Post.objects.filter(headline__in=["Complete draft", "Caption on image"]).count() == 2
    # wp:post_date_gmt is 0000-00-00 00:00:00: dated by wp:post_date, not by the day of import.
    post = Post.objects.get(headline="Caption on image")
    assert post.published_at.year == 2012
    assert import_file(path).posts_new == 0


def test_a_wordpress_com_export_that_uses_an_undeclared_atom_prefix():
    path = real("nikola-wordpress-com.xml")
    report = import_file(path)
    assert accounted(report) == count(path, "//item", {}) + count(path, "//wp:comment", WP)
    assert report.posts_new == 1 and report.skipped == {"page": 1}


def test_nikolas_wordpress_export():
    path = real("nikola-wordpress.xml")
    report = import_file(path)
    assert accounted(report) == count(path, "//item", {}) + count(path, "//wp:comment", WP)
    assert report.posts_new == 4


def test_acrylamids_wordpress_com_export_keeps_its_draft_a_draft():
    path = real("acrylamid-wordpress-com.xml")
    namespaces = {"wp": "http://wordpress.org/export/1.1/"}
    report = import_file(path)
    assert accounted(report) == count(path, "//item", {}) + count(path, "//wp:comment", namespaces)
    assert (report.posts_new, report.comments_new, report.skipped) == (2, 1, {"page": 1})
    assert Post.objects.get(headline="Mylyn Redmine Connector").status == Post.Status.DRAFT
    comment = Comment.objects.get()
    # WordPress.com kept a comment on a post that went back to draft: it comes along with it.
    assert (comment.post.headline, comment.author_name) == ("Mylyn Redmine Connector", "harold")
    assert import_file(path).comments_new == 0


def test_isso_wordpress_export_brings_comments_of_pages_already_here(make_post):
    path = real("isso-wordpress.xml")
    report = import_file(path)
    assert report.posts_new == 1 and report.comments_new == 7
    (orphan,) = [item for item in report.skipped_items if item.what == "comment"]
    assert orphan.reason == "its post (http://example.tld/?p=4) is not on this site"

    # Once the post behind ?p=4 is here, its comment comes in and nothing else changes.
    Redirect.objects.create(old_path="/?p=4", post=make_post("The fourth post"))
    again = import_file(path)
    assert (again.posts_new, again.comments_new, again.comments_existing) == (0, 1, 7)


def test_isso_disqus_export_threads_matched_by_address_replies_kept(make_post):
    post = make_post("Hello")
    Redirect.objects.create(old_path="/", post=post)
    path = real("isso-disqus.xml")
    report = import_file(path)
    namespaces = {"d": "http://disqus.com"}
    assert report.comments_new + report.skipped["comment"] == count(path, "//d:post", namespaces)
    lines = "\n".join(report.lines())
    assert "thread “dsq:id 3”: it has no address" in lines
    assert "comment “where am I?”: its thread (dsq:id 1337) is not in the file" in lines
    replies = Comment.objects.filter(body="Hello, World.").select_related("parent")
    assert [(r.parent.author_name, r.post) for r in replies] == [("peter", post)] * 2
    moment = dt.datetime(2013, 10, 11, 6, 51, 33, tzinfo=dt.UTC)
    assert moment in {reply.created for reply in replies}
    assert import_file(path).comments_new == 0
