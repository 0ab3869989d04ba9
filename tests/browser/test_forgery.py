"""A page on another site that posts to sitrep's comment form, in a real browser: Chromium
says where the form came from (Sec-Fetch-Site, Origin) and sitrep refuses it, while the same
form on sitrep's own page goes through. The shared pages' forms carry no per-reader token, so
this is what stands between a reader's visit elsewhere and a comment in their name."""

import http.server
import threading

import pytest

from sitrep.comments.models import Comment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_site(live_server):
    """A page on another origin (localhost, where sitrep's test server is 127.0.0.1)."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages["/"].encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pages, f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


def test_a_form_on_another_site_cannot_post_a_comment(page, live_server, make_post, other_site):
    post = make_post("Armour nears the crossings")
    pages, address = other_site
    pages["/"] = (
        f'<form method="post" action="{live_server.url}/comments/post/{post.pk}/">'
        '<input name="body" value="Posted from another site."><button>Go</button></form>'
    )
    page.goto(address)
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()
    assert "This form was sent from another site; nothing was changed." in page.content()
    assert not Comment.objects.filter(body="Posted from another site.").exists()
    # The reader's own form on sitrep's page, in the same browser, goes through.
    page.goto(live_server.url + post.get_absolute_url())
    page.fill("textarea[name=body]", "Posted from the post's own page.")
    with page.expect_navigation():
        page.click("#comment-form button[type=submit]")
    assert Comment.objects.filter(body="Posted from the post's own page.").exists()
