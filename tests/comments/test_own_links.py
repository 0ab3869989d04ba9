"""A commenter's edit links for their own comments go into the shared page, cached or not: the
own-comment cookie and a signed-in author no longer cost a rendering per view, and nobody else
ever gets those links."""

import datetime as dt
import re
import time

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from sitrep.comments import spam
from sitrep.comments.models import Comment
from sitrep.comments.services import comment_moderate, comment_submit

pytestmark = pytest.mark.django_db


def edit_links(html: str) -> set[int]:
    """The edit links shown (not the pattern in the page's <template> for thread.js)."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    return {int(pk) for pk in re.findall(r'href="/comments/(\d+)/edit/"', html)}


def comment_as_browser(client, post, body):
    response = client.post(f"/comments/post/{post.pk}/", {
        "body": body, "form_token": spam.form_token(time.time() - 60)})  # fmt: skip
    assert response.status_code == 302
    return Comment.objects.get(body=body)


def test_an_anonymous_author_gets_the_cached_page_with_their_links_only(
    client, make_post, django_capture_on_commit_callbacks
):
    post = make_post()
    url = post.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        other = comment_submit(post=post, body="Someone else's", ip_hash="o", screened=False)
        mine = comment_as_browser(client, post, "My own words")
    # Right after posting (a message waiting), the rendered page has the link already.
    first = client.get(url)
    assert "Your comment is posted." in first.content.decode()
    assert edit_links(first.content.decode()) == {mine.pk}
    stranger = Client()
    shared = stranger.get(url)
    assert shared["X-Cache"] == "miss" and edit_links(shared.content.decode()) == set()
    again = client.get(url)
    html = again.content.decode()
    assert again["X-Cache"] == "hit"  # the page everyone gets, with this reader's links in
    assert edit_links(html) == {mine.pk} and other.pk not in edit_links(html)
    assert f'action="/comments/{mine.pk}/delete/"' in html and "csrfmiddlewaretoken" not in html
    # Deleting needs no token from the page, only a request from this site (crossorigin).
    assert (
        client.post(f"/comments/{mine.pk}/delete/", HTTP_SEC_FETCH_SITE="cross-site").status_code
        == 403
    )
    assert "<!--own:" in html  # the markers stay: they are HTML comments, and the same for all
    assert edit_links(stranger.get(url).content.decode()) == set()
    assert int(again.get("Content-Length", len(again.content))) == len(again.content)
    # The window closes: the page is the same as everyone's.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert edit_links(client.get(url).content.decode()) == set()


def test_a_signed_in_author_keeps_links_until_a_moderator_removes_the_comment(
    client, make_post, reader, editor, django_capture_on_commit_callbacks
):
    post = make_post()
    url = post.get_absolute_url()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        mine = comment_as_browser(client, post, "Signed and mine")
    client.get(url)  # the message
    html = client.get(url).content.decode()
    assert edit_links(html) == {mine.pk}
    cached = client.get(url)
    assert cached["X-Cache"] == "hit" and edit_links(cached.content.decode()) == {mine.pk}
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=mine, actor=editor, action="remove")
    assert edit_links(client.get(url).content.decode()) == set()
    # A forged cookie naming someone else's comment gives nothing: it is signed.
    other = Client()
    other.cookies["sitrep_own"] = f"{mine.pk}:forged"
    assert edit_links(other.get(url).content.decode()) == set()


def test_a_cookie_for_an_account_comment_gives_no_links(
    client, make_post, reader, django_capture_on_commit_callbacks
):
    post = make_post()
    theirs = comment_submit(post=post, body="An account's comment", ip_hash="r", user=reader)
    client.get(post.get_absolute_url())
    signed = HttpResponse()
    signed.set_signed_cookie("sitrep_own", str(theirs.pk), salt="sitrep.own")
    client.cookies["sitrep_own"] = signed.cookies["sitrep_own"].value
    assert edit_links(client.get(post.get_absolute_url()).content.decode()) == set()
    # The same cookie for an anonymous comment does give its links (the check above is real).
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = comment_submit(post=post, body="Anonymous words", ip_hash="a", screened=False)
    signed.set_signed_cookie("sitrep_own", str(anonymous.pk), salt="sitrep.own")
    client.cookies["sitrep_own"] = signed.cookies["sitrep_own"].value
    assert edit_links(client.get(post.get_absolute_url()).content.decode()) == {anonymous.pk}
