import datetime as dt
import time

import pytest
import time_machine
from django.test import Client
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


def test_pages_no_cache_may_answer_are_built_from_fresh_parts(
    client, make_post, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # A reader with a message waiting gets a rendered page, from the list of posts rendered
    # once per change: a new comment shows in it at once, a new post too.
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post("Listed story")
    client.cookies["messages"] = "waiting"
    assert "0 comments" in client.get("/").content.decode()
    with django_assert_max_num_queries(6):  # the page's posts and sidebar come from the cache
        response = client.get("/")
    assert "X-Cache" not in response and "Listed story" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(post=post, body="First!", ip_hash="a", screened=False)
    assert "1 comment<" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_post("Later story")
    assert "Later story" in client.get("/").content.decode()


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
    assert "X-Cache" not in client.get("/")  # an editor: their own page (the desk link, tools)
    client.logout()
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get("/")
    del client.cookies["messages"]
    # Fifteen minutes of own-comment edit links: the shared pages, with the links put in
    # (tests/comments/test_own_links.py).
    post = Post.objects.get()
    client.get(post.get_absolute_url())
    assert client.get(post.get_absolute_url())["X-Cache"] == "hit"
    client.cookies["sitrep_own"] = "1:abc"
    assert client.get("/")["X-Cache"] == "hit"
    assert client.get(post.get_absolute_url())["X-Cache"] == "hit"
    label = post.labels.get().get_absolute_url()
    assert client.get(label)["X-Cache"] == "miss"
    del client.cookies["sitrep_own"]
    assert client.get(label)["X-Cache"] == "hit"


def test_signed_in_readers_share_pages_each_with_their_own_name(
    client, make_post, reader, editor, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    from sitrep.accounts.models import User

    post = make_post("Shared story")
    heron = User.objects.create_user("heron", password="reader-password-2", public_name="H & Co")
    client.force_login(reader)
    first = client.get("/")
    assert first["X-Cache"] == "miss" and "X-Sitrep-Public" not in first
    client.force_login(heron)
    client.get("/")  # a new reader's summary is read once, then cached
    with django_assert_max_num_queries(0):
        hit = client.get("/")
    html = hit.content.decode()
    assert hit["X-Cache"] == "hit" and "X-Sitrep-Public" not in hit  # never for nginx to keep
    assert "<span data-reader-name>H &amp; Co</span>" in html and "Kestrel" not in html
    assert "Sign out" in html and "__sitrep_" not in html and "Shared story" in html
    # The post page: the signed-in comment form, with this reader's name and tokens.
    client.get(post.get_absolute_url())
    page = client.get(post.get_absolute_url())
    html = page.content.decode()
    assert page["X-Cache"] == "hit" and 'name="author_name"' not in html
    assert "Commenting as <strong><span data-reader-name>H &amp; Co</span>" in html
    # A new name shows at once; anonymous readers never get a signed-in page, nor the reverse.
    heron.public_name = "Heron Two"
    heron.save()
    assert "<span data-reader-name>Heron Two</span>" in client.get("/").content.decode()
    client.logout()
    html = client.get("/").content.decode()
    assert "Sign out" not in html and "Sign in" in html
    # Editors get their own page (the desk link, editing tools), never a shared one.
    client.force_login(editor)
    response = client.get("/")
    assert "X-Cache" not in response and "Desk</a>" in response.content.decode()
    # A write reaches signed-in readers like anyone else.
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        make_post("Newer story")
    assert "Newer story" in client.get("/").content.decode()


def test_a_password_change_is_not_outlived_by_a_cached_page(client, make_post, reader):
    make_post()
    client.force_login(reader)
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    reader.set_password("a-new-password-9")
    reader.save()
    response = client.get("/")  # Django ends the old session: an anonymous page
    assert "Sign out" not in response.content.decode()


def test_a_ban_notice_is_never_served_to_other_readers(client, make_post):
    from sitrep.comments.models import Ban
    from sitrep.core.client import ip_hash

    post = make_post()
    Ban.objects.create(kind="address", value=ip_hash("10.9.9.9"), reason="Spam")
    banned = client.get(post.get_absolute_url(), REMOTE_ADDR="10.9.9.9").content.decode()
    assert "You cannot comment on this site" in banned
    other = client.get(post.get_absolute_url(), REMOTE_ADDR="10.1.1.1").content.decode()
    assert "You cannot comment on this site" not in other and 'name="body"' in other


def test_post_pages_are_the_same_bytes_for_every_anonymous_reader(make_post):
    """No per-reader token in the comment form: a cache in front may keep the page too."""
    from django.test import Client

    from sitrep.comments import spam

    post = make_post()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    second.cookies["csrftoken"] = "k" * 32
    miss = first.get(post.get_absolute_url())
    assert miss["X-Cache"] == "miss" and miss["X-Sitrep-Public"] == "1"
    response = second.get(post.get_absolute_url())
    assert response["X-Cache"] == "hit" and response["X-Sitrep-Public"] == "1"
    assert not response.cookies
    html = response.content.decode()
    assert "__sitrep_" not in html and "csrfmiddlewaretoken" not in html
    stamp = html.split('name="form_token" value="')[1].split('"')[0]
    assert spam.seconds_since_form(stamp, time.time()) is not None  # made for this request
    # With Django's CSRF checks on, the form still posts (core.crossorigin guards it).
    posted = second.post(
        f"/comments/post/{post.pk}/",
        {"form_token": stamp, "body": "Cached, and still works."},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert posted.status_code == 302


def test_a_commenters_page_with_edit_links_is_never_marked_for_a_shared_cache(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    url = post.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/post/{post.pk}/", {
            "body": "Mine.", "form_token": __import__("sitrep.comments.spam").comments.spam
            .form_token(time.time() - 60)})  # fmt: skip
    assert response.status_code == 302 and "sitrep_own" in response.cookies
    client.get(url)  # the message
    for _ in range(2):
        mine = client.get(url)
        assert "/edit/" in mine.content.decode().split("<template")[0]
        assert "X-Sitrep-Public" not in mine
    assert Client().get(url)["X-Sitrep-Public"] == "1"


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


def test_only_a_forms_token_slot_is_filled_never_the_same_letters_in_a_comment(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        link = "[look](https://elsewhere.example/?t=__sitrep_csrf_token__)"
        comment_submit(post=post, ip_hash="a", screened=False, body=link)
    for _ in range(2):  # rendered, then from the cache
        html = client.get(post.get_absolute_url()).content.decode()
        assert 'href="https://elsewhere.example/?t=__sitrep_csrf_token__"' in html
        assert 'name="csrfmiddlewaretoken" value="__sitrep' not in html


def test_a_page_rendered_while_a_post_is_published_is_not_kept_as_the_new_one(
    client, make_post, django_capture_on_commit_callbacks, monkeypatch
):
    # Another process publishes while this request renders from what it read before: the page
    # must not be kept as the one readers get after the publication.
    from sitrep.posts import views

    render = views.listing_page

    def render_then_publish(*args, **kwargs):
        response = render(*args, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            make_post("Published meanwhile")
        return response

    monkeypatch.setattr(views, "listing_page", render_then_publish)
    assert "Published meanwhile" not in client.get("/").content.decode()
    monkeypatch.setattr(views, "listing_page", render)
    assert "Published meanwhile" in client.get("/").content.decode()
