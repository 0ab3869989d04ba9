import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sitrep.comments.services import comment_submit

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
    client.cookies["sitrep_own"] = "1:abc"
    assert client.get("/")["X-Cache"] == "hit"
    client.force_login(editor)
    assert "X-Cache" not in client.get("/")  # signed in: the editor's own page
    client.logout()
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get("/")


def test_pages_with_forms_or_per_reader_parts_are_not_cached(client, make_post):
    post = make_post()
    for url in [post.get_absolute_url(), "/accounts/login/", "/desk/"]:
        client.get(url)
        assert "X-Cache" not in client.get(url), url
