import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from sitrep.comments.services import comment_submit
from sitrep.posts.models import Post

pytestmark = pytest.mark.django_db


def test_anonymous_front_page_is_rendered_once_per_change(
    client, make_post, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        make_post("First story")
    assert client.get("/")["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response["X-Cache"] == "hit" and "First story" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]  # headers on hits too
    assert response["X-Frame-Options"] == "DENY"
    with django_capture_on_commit_callbacks(execute=True):
        make_post("Second story")  # publishing bumps the generation
    response = client.get("/")
    assert response["X-Cache"] == "miss" and "Second story" in response.content.decode()


def test_a_new_comment_shows_in_the_count_at_once(
    client, make_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post()
    assert "0 comments" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(post=post, body="First!", ip_hash="a", screened=False)
    assert "1 comment<" in client.get("/").content.decode()


def test_a_scheduled_post_appears_on_time_through_the_cache(client, make_post):
    now = timezone.now()
    make_post("Later story", when=now + dt.timedelta(minutes=2), now=now)
    assert "Later story" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "hit"
    with time_machine.travel(now + dt.timedelta(minutes=2, seconds=1)):
        assert "Later story" in client.get("/").content.decode()


def test_commenter_cookies_do_not_bypass_but_sessions_and_messages_do(client, editor, make_post):
    make_post()
    client.get("/")
    client.cookies["csrftoken"] = "x" * 32
    assert client.get("/")["X-Cache"] == "hit"
    client.force_login(editor)
    assert "X-Cache" not in client.get("/")  # signed in: the editor's own page
    client.logout()
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get("/")
    del client.cookies["messages"]
    # Fifteen minutes of own-comment edit links: listings stay shared, post pages (where the
    # edit links are) are rendered for this reader and never stored for others.
    post = Post.objects.get()
    client.get(post.get_absolute_url())
    assert client.get(post.get_absolute_url())["X-Cache"] == "hit"
    client.cookies["sitrep_own"] = "1:abc"
    assert client.get("/")["X-Cache"] == "hit"
    assert "X-Cache" not in client.get(post.get_absolute_url())
    label = post.labels.get().get_absolute_url()
    assert "X-Cache" not in client.get(label)  # a miss rendered for this reader: not stored
    del client.cookies["sitrep_own"]
    assert client.get(label)["X-Cache"] == "miss"


def test_post_pages_are_cached_with_each_readers_form_tokens(make_post):
    from django.test import Client

    from sitrep.comments import spam

    post = make_post()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert first.get(post.get_absolute_url())["X-Cache"] == "miss"
    response = second.get(post.get_absolute_url())
    assert response["X-Cache"] == "hit"
    html = response.content.decode()
    assert "__sitrep_" not in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    stamp = html.split('name="form_token" value="')[1].split('"')[0]
    assert spam.seconds_since_form(stamp, time.time()) is not None
    assert "X-Sitrep-Public" not in response  # never stored by a shared cache in front
    # The second reader's token works with the cookie this response gave them.
    posted = second.post(
        f"/comments/post/{post.pk}/",
        {"csrfmiddlewaretoken": token, "form_token": stamp, "body": "Cached, and still works."},
    )
    assert posted.status_code == 302


def test_desk_and_account_pages_are_never_cached(client, make_post):
    for url in ["/accounts/login/", "/desk/"]:
        client.get(url)
        assert "X-Cache" not in client.get(url), url


def test_signed_in_readers_get_cards_rendered_once_per_change(
    client, reader, make_post, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for n in range(3):
        make_post(f"Card {n}")
    client.force_login(reader)  # the page cache does not serve a session
    first = client.get("/").content.decode()
    with django_assert_max_num_queries(4):  # session, user, the page of posts, (sidebar cached)
        again = client.get("/").content.decode()
    assert again.count('<article class="post') == first.count('<article class="post') == 3
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(post=Post.objects.get(headline="Card 1"), body="Hi", ip_hash="z",
                       screened=False)  # fmt: skip
    assert "1 comment<" in client.get("/").content.decode()  # the write retired the cards
