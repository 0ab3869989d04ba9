import datetime as dt

import pytest

from sitrep.comments.models import Comment
from sitrep.posts.models import Post

pytestmark = pytest.mark.django_db


def test_posts_labels_authors_and_skipped_items(imported):
    report = imported("wordpress.xml")
    assert (report.posts_new, report.comments_new) == (2, 4)
    assert report.skipped == {"page": 1, "pingback": 1, "post": 1}
    assert "its status is 'trash' (trashed or unknown)" in "\n".join(report.lines())
    post = Post.objects.get(slug="sirens-over-the-harbour")
    assert post.headline == "Sirens Over The Harbour & What They Mean"
    assert post.author.signature == "Harbor Desk"
    assert sorted(label.name for label in post.labels.all()) == ["Drones", "Ports"]
    assert post.published_at == dt.datetime(2017, 6, 14, 10, 30, tzinfo=dt.UTC)
    assert post.text_html.count("<p>") == 2 and "<br>" in post.text_html
    draft = Post.objects.get(headline="Draft On Ferries")
    assert draft.status == "draft" and not draft.comments_open
    assert draft.labels.count() == 0  # "Uncategorized" is WordPress's default, not a label


def test_comments_keep_threading_and_approval(imported):
    imported("wordpress.xml")
    by_body = {c.body: c for c in Comment.objects.all()}
    reply = by_body["Same here. Any word on the ferries?"]
    assert reply.author_kind == "anonymous"
    assert reply.parent.author_name == "Marisol"
    assert reply.parent.author_website == "https://marisol.example/"
    assert by_body["Waiting for approval."].status == "held"
    assert by_body["Waiting for approval."].parent == reply
    assert by_body["cheap pills"].status == "spam"
    post = Post.objects.get(slug="sirens-over-the-harbour")
    assert post.comment_count == 2


def test_old_wordpress_addresses_redirect(imported, client):
    imported("wordpress.xml")
    post = Post.objects.get(slug="sirens-over-the-harbour")
    for old in ["/2017/06/14/sirens-over-the-harbour/", "/?p=41"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == post.get_absolute_url()
    assert client.get("/?p=44").status_code == 200  # a draft: the front page, not a redirect


def test_reimport_is_idempotent(imported):
    imported("wordpress.xml")
    again = imported("wordpress.xml")
    assert (again.posts_new, again.comments_new) == (0, 0)
    assert Comment.objects.filter(parent__isnull=False).count() == 2
