import pytest

from sitrep.comments.selectors import comment_location
from sitrep.posts.models import Label, Post

pytestmark = pytest.mark.django_db
OLD = "/2017/06/the-last-battle-for-valley-will-be-at.html"


@pytest.fixture
def site(imported):
    imported("blogger-classic.xml")
    return Post.objects.get(headline__startswith="The Last Battle")


@pytest.mark.parametrize("query", ["", "?m=1", "?showComment=x", "?showComment=1400000000000"])
def test_old_post_addresses_redirect_permanently(client, site, query):
    response = client.get(OLD + query)
    assert response.status_code == 301
    assert response["Location"] == site.get_absolute_url()


def test_an_old_comment_link_lands_on_the_comment(client, site):
    """Blogger's comment permalinks: ?showComment=<milliseconds>#c<Blogger's id>."""
    comment = site.comments.get(created="2017-06-13T12:15:00Z")
    response = client.get(OLD + "?showComment=1497356100000")
    assert response.status_code == 301
    assert response["Location"] == comment_location(comment)
    assert response["Location"].endswith(f"#c{comment.pk}")


def test_label_search_archive_and_feed_addresses(client, site):
    label = Label.objects.get(name="Kalder Valley")
    expected = {
        "/search/label/Kalder%20Valley": label.get_absolute_url(),
        "/search/label/Kalder%20Valley?max-results=20": label.get_absolute_url(),
        "/search?q=tolsk": "/search/?q=tolsk",
        "/2017_06_01_archive.html": "/2017/06/",
        "/feeds/posts/default": "/feeds/posts.atom",
        "/feeds/posts/default?alt=rss": "/feeds/posts.rss",
        "/feeds/posts/default/-/Vessary": "/label/vessary/feed.atom",
        "/feeds/comments/default": "/feeds/comments.atom",
        "/feeds/5001/comments/default": f"{site.get_absolute_url()}comments.atom",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_unknown_old_addresses_are_404(client, site):
    assert client.get("/2017/06/no-such-post.html").status_code == 404
    assert client.get("/search/label/Nothing").status_code == 404
    assert client.get("/feeds/999/comments/default").status_code == 404


def test_drafts_are_not_revealed_by_old_addresses(client, imported):
    imported("blogger-classic.xml")
    draft = Post.objects.get(status="draft")
    assert client.get(f"/2017/06/{draft.slug}.html").status_code == 404


def test_old_comment_anchors_are_on_the_page(client, site, imported):
    """A link to .../slug.html#c6001 keeps its #c6001 through the redirect: it is on the page."""
    page = client.get(site.get_absolute_url()).content.decode()
    assert '<span id="c6001"></span>' in page
    imported("wordpress.xml")
    from sitrep.posts.models import Post

    post = Post.objects.get(slug="sirens-over-the-harbour")
    assert '<span id="comment-301"></span>' in client.get(post.get_absolute_url()).content.decode()
