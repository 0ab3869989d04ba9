"""Reply notifications, through the comment form and a real SMTP server on loopback."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from sitrep.comments.models import Comment
from sitrep.comments.services import comment_moderate, comment_submit
from sitrep.mail.models import Subscriber, Watch
from sitrep.mail.replies import replies_due

pytestmark = pytest.mark.django_db(transaction=True)
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def comment_with_watch(client, post, email="heron@reader.example"):
    client.post(f"/comments/post/{post.pk}/", {"body": "The ferry ran at dawn.",
                "author_name": "Heron", "notify_email": email}, **SAME_ORIGIN)  # fmt: skip
    comment = Comment.objects.get(body="The ferry ran at dawn.")
    # Posted without the page's time stamp it waits for a moderator: approved here, as the
    # spam checks are not what this is about.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.VISIBLE)
    return comment


def reply(post, parent, body, **kw):
    return comment_submit(post=post, body=body, ip_hash=body[:8], author_name="Wren",
                          parent_id=parent.pk, screened=False, **kw)  # fmt: skip


def test_a_commenter_confirms_once_and_hears_of_a_reply_with_a_way_to_stop(
    client, make_post, smtp, worker
):
    post = make_post("Ferry talks resume")
    first = comment_with_watch(client, post)
    worker()
    (confirm,) = smtp.received
    assert "replies to your comment on" in confirm.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/mail/confirm/\S+/)",
                     confirm.get_body(("plain",)).get_content()).group(1)  # fmt: skip
    client.post(link, **SAME_ORIGIN)
    watch = Watch.objects.get()
    reply(post, first, "Not at dawn: at nine.")
    assert replies_due() == 1
    worker()
    told = smtp.received[-1]
    assert told["To"] == "heron@reader.example"
    assert told["Subject"] == "A reply to your comment on “Ferry talks resume”"
    text = told.get_body(("plain",)).get_content()
    assert "Wren replied" in text and "Not at dawn: at nine." in text
    permalink = re.search(r"http://testserver(/comments/\d+/)", text).group(1)
    assert client.get(permalink).status_code in (301, 302)  # the link leads to the reply
    assert replies_due() == 0  # told once
    # A second comment with the same address: confirmed once, so no second confirmation.
    client.post(f"/comments/post/{post.pk}/", {"body": "And the fuel?", "author_name": "Heron",
                "notify_email": "heron@reader.example"}, **SAME_ORIGIN)  # fmt: skip
    worker()
    assert Watch.objects.count() == 2 and len(smtp.received) == 2
    # Stop this thread, from the mail's own header.
    stop = told["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert stop.endswith(f"/watch:{watch.pk}/")
    client.post(stop, "List-Unsubscribe=One-Click",
                content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert not Watch.objects.filter(pk=watch.pk).exists() and Watch.objects.count() == 1


def test_replies_come_at_most_hourly_and_held_ones_once_approved(make_post, smtp, worker, editor):
    post = make_post()
    first = comment_submit(post=post, body="Mine.", ip_hash="h", screened=False)
    heron = Subscriber.objects.create(email="heron@reader.example", confirmed=timezone.now())
    Watch.objects.create(subscriber=heron, comment=first)
    now = timezone.now()
    reply(post, first, "One.")
    assert replies_due(now) == 1
    reply(post, first, "Two.")
    reply(post, first, "Three.")
    held = reply(post, first, "Held for a moderator.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.HELD)
    assert replies_due(now + dt.timedelta(minutes=20)) == 0  # within the hour: they wait
    with time_machine.travel(now + dt.timedelta(minutes=61)):
        assert replies_due() == 1  # the two waiting, together
        comment_moderate(comment=Comment.objects.get(pk=held.pk), actor=editor,
                         action="approve", reason="")  # fmt: skip
    with time_machine.travel(now + dt.timedelta(minutes=125)):
        assert replies_due() == 1  # the approved one, on its own
    worker()
    subjects = [m["Subject"] for m in smtp.received]
    assert subjects == ["A reply to your comment on “A headline”",
                        "2 replies to your comment on “A headline”",
                        "A reply to your comment on “A headline”"]  # fmt: skip
    assert "Held for a moderator." in smtp.received[-1].get_body(("plain",)).get_content()


def test_a_signed_in_reader_asks_once_in_their_account_for_replies_to_every_comment(
    client, make_post, reader, smtp, worker
):
    reader.email = "kestrel@reader.example"
    reader.save()
    client.force_login(reader)
    page = client.get("/mail/account/").content.decode()
    assert "E-mail me replies to my comments, at kestrel@reader.example" in page
    client.post("/mail/account/", {"replies": "1"})
    post = make_post()
    client.post(f"/comments/post/{post.pk}/", {"body": "Signed in, and curious."}, **SAME_ORIGIN)
    mine = Comment.objects.get(body="Signed in, and curious.")
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.VISIBLE)
    worker()
    (confirm,) = smtp.received  # the account's address, confirmed once
    link = re.search(r"http://testserver(/mail/confirm/\S+/)",
                     confirm.get_body(("plain",)).get_content()).group(1)  # fmt: skip
    client.post(link, **SAME_ORIGIN)
    reply(post, mine, "Curious about what?")
    replies_due()
    worker()
    assert smtp.received[-1]["To"] == "kestrel@reader.example"
    client.post("/mail/account/", {})  # off again
    client.post(f"/comments/post/{post.pk}/", {"body": "Another one."}, **SAME_ORIGIN)
    assert Watch.objects.count() == 1
