import time

import pytest

from sitrep.accounts.models import User
from sitrep.comments import spam
from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.comments.selectors import MAX_DEPTH, thread_for_post
from sitrep.comments.services import comment_moderate, comment_submit
from sitrep.core import formtoken
from tests.htmlcheck import assert_safe, elements

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_comment(client, post, **data):
    """Post the comment form as a browser would: with the time stamp the page gave a minute ago."""
    data.setdefault("body", "Interesting.")
    data.setdefault("form_token", spam.form_token(time.time() - 60))
    return client.post(f"/comments/post/{post.pk}/", data)


def test_anonymous_comment_appears_under_the_post(client, make_post):
    post = make_post()
    response = post_comment(client, post, body="The bridges matter most.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#c{comment.pk}"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The bridges matter most." in page
    assert "Anonymous</span>" in page and "1 comment" in page
    assert "Your comment is posted." in page


def test_pasted_link_followed_by_a_quote_reads_well(client, make_post):
    post = make_post()
    body = (
        "https://lowlandtimes.example/2017/06/09/a-long-article-slug-about-a-convoy-on-the-road\n\n"
        '"A passage quoted from that article, in plain quotation marks."'
    )
    post_comment(client, post, body=body)
    html = Comment.objects.get().body_html
    assert html.startswith('<p><a href="https://lowlandtimes.example/2017/06/09/a-long')
    assert ">lowlandtimes.example/2017/06/09/a-long-article-slug-about-a…</a>" in html
    assert '<p>"A passage quoted from that article' in html


@pytest.mark.parametrize("field", ["body", "author_name"])
def test_script_in_any_comment_field_is_shown_as_text(client, make_post, field):
    post = make_post()
    post_comment(client, post, **{"body": "ok", field: XSS})
    page = client.get(post.get_absolute_url()).content.decode()
    thread = page[page.index('<ol class="thread">') : page.index('id="comment-form"')]
    assert_safe(thread, {"ol", "li", "header", "span", "div", "p", "footer", "a", "time", "form",
                         "input", "button"})  # fmt: skip
    assert "&lt;script&gt;" in thread


def test_javascript_website_is_refused_with_the_text_kept(client, make_post):
    post = make_post()
    response = post_comment(
        client, post, body="My long and careful argument.", author_website="javascript:alert(1)"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "My long and careful argument." in html and "Enter a valid URL." in html
    assert Comment.objects.count() == 0


def test_refused_comment_rerenders_with_text_and_reason(client, make_post):
    post = make_post()
    response = post_comment(client, post, body="Signed by me.", author_name="Night Editor")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Signed by me." in html
    assert "belongs to an editor of this site" in html
    assert 'value="Night Editor"' in html


def test_honeypot_is_hidden_from_people(client, make_post):
    html = client.get(make_post().get_absolute_url()).content.decode()
    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="honeypot"' in html and 'tabindex="-1"' in html


def test_reply_link_prefills_the_parent_and_replies_nest(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    parent = comment_submit(post=post, body="Top", ip_hash="a", author_name="Harlan Vey")
    page = client.get(f"{post.get_absolute_url()}?reply={parent.pk}").content.decode()
    assert "Reply to Harlan Vey" in page
    assert f'name="parent_id" value="{parent.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the cache generation moves on
        post_comment(client, post, body="Answer", parent_id=parent.pk)
    reply = Comment.objects.get(body="Answer")
    assert reply.parent == parent
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'class="comment depth-1" id="c{reply.pk}"' in page


def test_deep_replies_flatten_with_in_reply_to(make_post):
    post = make_post()
    parent_id = None
    for depth in range(MAX_DEPTH + 3):
        parent_id = comment_submit(
            post=post, body=f"level {depth}", ip_hash=f"h{depth}", parent_id=parent_id
        ).pk
    entries = thread_for_post(post)
    assert [e.depth for e in entries] == [0, 1, 2, 3, 4, 4, 4]
    assert entries[5].in_reply_to.body == "level 4"
    assert entries[3].in_reply_to is None


def test_removed_comment_leaves_a_placeholder_and_its_replies(client, make_post, editor):
    post = make_post()
    parent = comment_submit(post=post, body="Rude words", ip_hash="a")
    comment_submit(post=post, body="A calm reply", ip_hash="b", parent_id=parent.pk)
    comment_moderate(comment=parent, actor=editor, action="remove")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This comment has been removed." in page
    assert "Rude words" not in page
    assert "A calm reply" in page
    assert "1 comment" in page


def test_spam_and_held_comments_are_not_shown(client, make_post, editor):
    post = make_post()
    spammy = comment_submit(post=post, body="Buy pills", ip_hash="a")
    comment_moderate(comment=spammy, actor=editor, action="spam")
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"hold_all": True})
    response = post_comment(client, post, body="Waiting for approval")
    page = client.get(response["Location"]).content.decode()
    assert "once a moderator has approved it" in page
    assert "Buy pills" not in page and "Waiting for approval" not in page


def test_comment_permalink_redirects_to_its_place(client, make_post):
    post = make_post()
    comment = comment_submit(post=post, body="Here", ip_hash="a")
    response = client.get(f"/comments/{comment.pk}/")
    assert response["Location"] == f"{post.get_absolute_url()}#c{comment.pk}"


def test_only_editors_moderate(client, make_post, reader, editor):
    post = make_post()
    comment = comment_submit(post=post, body="Here", ip_hash="a")
    url = f"/comments/{comment.pk}/moderate/"
    assert client.post(url, {"action": "remove"}).status_code == 403
    client.force_login(reader)
    assert client.post(url, {"action": "remove"}).status_code == 403
    client.force_login(editor)
    response = client.post(url, {"action": "remove", "next": "https://evil.example/"})
    assert response["Location"] == post.get_absolute_url()
    assert Comment.objects.get().status == "removed"


def test_the_comment_form_rendered_once_is_each_readers_own(client, make_post, reader):
    """The empty form is kept rendered with holes for the token, time stamp and name."""
    post = make_post()
    heron = User.objects.create_user("heron", password="reader-password-2", public_name="<Heron>")
    for user, shown in [(reader, "Kestrel"), (heron, "&lt;Heron&gt;"), (reader, "Kestrel")]:
        client.force_login(user)
        html = client.get(post.get_absolute_url()).content.decode()
        assert f"Commenting as <strong><span data-reader-name>{shown}</span></strong>" in html
        assert "__sitrep_" not in html
    client.logout()
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'name="author_name"' in html and "__sitrep_" not in html
    tokens = [a["value"] for tag, a in elements(html) if a.get("name") == "form_token"]
    assert formtoken.age(tokens[0], time.time()) < 5  # a fresh, valid time stamp
    # A change of policy is a change of form.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"mode": "accounts"})
    html = client.get(post.get_absolute_url()).content.decode()
    assert "to comment.</p>" in html and 'name="author_name"' not in html


def test_signed_in_reader_comments_without_name_fields(client, make_post, reader):
    post = make_post()
    client.force_login(reader)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'name="author_name"' not in html
    assert "Commenting as <strong><span data-reader-name>Kestrel</span></strong>" in html
    post_comment(client, post, body="From my account", author_name="Night Editor")
    comment = Comment.objects.get()
    assert comment.author_kind == "account" and comment.display_name() == "Kestrel"


@pytest.mark.parametrize(
    "headers, allowed",
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "none"}, True),  # the reader's own doing (a bookmark)
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),  # another site under the same domain
        ({"HTTP_ORIGIN": "http://testserver"}, True),  # a browser from before Sec-Fetch-Site
        ({"HTTP_ORIGIN": "https://elsewhere.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),  # a sandboxed frame, a data: page
        ({}, True),  # no browser sent this: nobody's visit is borrowed
    ],
)
def test_the_shared_pages_forms_refuse_posts_from_other_sites(make_post, headers, allowed):
    """The comment form, flag and delete buttons carry no per-reader token (the page is the
    same for everyone and cached as such): the browser's own headers say where a POST is from.
    Django's token check still applies to everything else."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    post = make_post()
    other = comment_submit(post=post, body="Someone's.", ip_hash="o", screened=False)
    page = strict.get(post.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = strict.post(f"/comments/post/{post.pk}/", {"body": "From a form."}, **headers)
    assert response.status_code == (302 if allowed else 403)
    assert Comment.objects.filter(body="From a form.").exists() is allowed
    if not allowed:
        assert "sent from another site; nothing was changed" in response.content.decode()
    flagged = strict.post(f"/comments/{other.pk}/flag/", **headers)
    assert flagged.status_code == (302 if allowed else 403)
    # The rest keeps Django's token: signing out, for one, without a token is refused.
    assert strict.post("/accounts/logout/", **headers).status_code == 403


def test_signed_in_reader_gets_the_busy_post_from_rendered_parts(
    client, make_post, reader, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # A page the page cache cannot serve (here: a message is waiting for this reader): the
    # post's card and a page of its thread are rendered once per change, so a view is a handful
    # of small queries (post, user, ban check, "did I write here lately", comment count)
    # whatever the thread's size.
    post = make_post()
    for i in range(210):
        comment_submit(post=post, body=f"Comment number {i}", ip_hash=f"h{i}", screened=False)
    client.force_login(reader)
    client.cookies["messages"] = "waiting"
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(7):
        html = client.get(post.get_absolute_url()).content.decode()
    assert "Comment number 199" in html and "Comment number 200" not in html
    assert "Comments page 1 of 2" in html and post.clips.first().source_headline in html
    page_two = client.get(post.get_absolute_url() + "?comments=2").content.decode()
    assert "Comment number 209" in page_two and "Comments page 2 of 2" in page_two
    # Once the reader comments, the page is theirs again: their comment can be edited.
    with django_capture_on_commit_callbacks(execute=True):
        mine = comment_submit(post=post, body="My own words", ip_hash="r", user=reader)
    del client.cookies["messages"]
    html = client.get(post.get_absolute_url() + "?comments=2").content.decode()
    assert "My own words" in html and f"/comments/{mine.pk}/edit/" in html
    # That page was this reader's own (edit links): another reader does not get it.
    other = User.objects.create_user("heron", password="reader-password-2", public_name="Heron")
    client.force_login(other)
    html = client.get(post.get_absolute_url() + "?comments=2").content.decode()
    assert "My own words" in html and f"/comments/{mine.pk}/edit/" not in html


def test_post_page_queries_do_not_grow_with_comments(
    client, make_post, reader, django_assert_max_num_queries, settings
):
    # No cache: the sidebar is counted on every request (5 queries), the thread read in 2,
    # the post's public log in 1 and its places in 2.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    post = make_post()
    comment_submit(post=post, body="First", ip_hash="a")
    client.get(post.get_absolute_url())  # warm the sidebar cache
    with django_assert_max_num_queries(18) as few:
        client.get(post.get_absolute_url())
    parent = None
    for i in range(30):
        parent = comment_submit(
            post=post,
            body=f"Comment {i}",
            ip_hash=f"h{i}",
            user=reader if i % 3 == 0 else None,
            parent_id=parent.pk if parent and i % 2 else None,
        )
    with django_assert_max_num_queries(18) as many:
        html = client.get(post.get_absolute_url()).content.decode()
    assert "Comment 29" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_trusted_origin_may_post_the_comment_form(make_post, settings):
    """SITREP_CSRF_TRUSTED_ORIGINS (e.g. the site's own https address behind a proxy) counts
    for the shared pages' forms as for Django's token check."""
    from django.test import Client

    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example.org"]
    post = make_post()
    headers = {"HTTP_SEC_FETCH_SITE": "cross-site"}
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/comments/post/{post.pk}/", {"body": "a"}, **headers).status_code == 403
    headers["HTTP_ORIGIN"] = "https://news.example.org"
    assert client.post(f"/comments/post/{post.pk}/", {"body": "b"}, **headers).status_code == 302
