"""Following by e-mail in a real browser, with the mail read from a real SMTP server on
loopback: subscribe, confirm, a digest, a followed story's correction, a reply notification,
and unsubscribing with one click."""

import datetime as dt
import re
import urllib.request

import pytest
import time_machine
from django.utils import timezone

from sitrep.comments.models import Comment
from sitrep.comments.services import comment_submit
from sitrep.mail.dispatch import dispatches_due
from sitrep.mail.models import Dispatch, MailSettings, Message, Subscriber, Watch
from sitrep.mail.outbox import message_send
from sitrep.mail.replies import replies_due
from sitrep.stories.models import Story
from sitrep.stories.services import post_correct, story_add_post
from tests.browser.conftest import axe

pytestmark = pytest.mark.django_db(transaction=True)
READER = "wren@reader.example"


@pytest.fixture
def smtp(smtp, settings, live_server):
    settings.SITREP_SITE_URL = live_server.url  # the links in mail lead to the running site
    settings.TIME_ZONE = "UTC"
    return smtp


def send(worker) -> None:
    """What the worker would send: tasks queued by this thread (the worker fixture), and mail
    the live server's requests put in the outbox (their tasks went to that thread's queue)."""
    worker()
    for pk in Message.objects.filter(status="queued").values_list("pk", flat=True):
        message_send(pk)


def text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def confirm(page, mailbox):
    link = re.search(r"(http://\S+/mail/confirm/\S+/)", text(mailbox.received[-1])).group(1)
    page.goto(link)
    page.click("main button:has-text('Yes, send me the mail I asked for')")
    page.wait_for_selector("h1:has-text('You are subscribed')")


def test_a_reader_follows_by_mail_from_subscribing_to_one_click_unsubscribe(
    page, live_server, smtp, worker, make_post, editor
):
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon, tick=True):
        MailSettings.objects.create(digest_hour=0)
        story = Story.objects.create(title="Ferry talks", slug="ferry-talks")
        post = make_post("Ferry talks resume at dawn", note="Both sides confirm.")
        story_add_post(story=story, post=post)
        dispatches_due()  # the post and the day's digest go out to nobody: no subscribers yet
        send(worker)

        # The footer's form: a daily digest. The answer, then the confirmation mail.
        page.goto(live_server.url + "/")
        page.fill("#subscribe-email-footer", READER)
        page.click("footer form.subscribe button")
        page.wait_for_selector("h1:has-text('Check your inbox')")
        assert axe(page) == []
        send(worker)
        assert smtp.received[-1]["Subject"] == "Confirm your subscription"
        confirm(page, smtp)
        assert axe(page) == []

        # The story's page: follow it. Confirmed as well (a new request, a new link).
        page.goto(live_server.url + story.get_absolute_url())
        page.fill("#subscribe-email-story", READER)
        page.click("main form.subscribe button")
        send(worker)
        confirm(page, smtp)
        reader = Subscriber.objects.get(email=READER)
        assert reader.digest and reader.follows.get().story == story

        # The digest hour (midnight here, so it is due): the day's posts.
        Dispatch.objects.filter(key__startswith="digest:").delete()  # (it went out at setup)
        dispatches_due()
        send(worker)
        digest = [m for m in smtp.received if m["Subject"].endswith("Ferry talks resume at dawn")]
        assert digest and "Both sides confirm." in text(digest[-1])

        # A correction to the story.
        post_correct(post=post, reason="The talks resume on Tuesday.", actor=editor)
        dispatches_due()
        send(worker)
        correction = smtp.received[-1]
        assert correction["Subject"] == "Ferry talks: Correction"
        assert "on Tuesday" in text(correction)

        # The reader comments, asking for replies (the address is confirmed: no new mail).
        page.goto(live_server.url + post.get_absolute_url())
        page.fill("#id_body", "Tuesday suits the ferry crews better.")
        page.fill("#id_author_name", "Wren")
        page.fill("#id_notify_email", READER)
        page.click("#comment-form button[type=submit], form[action*='/comments/post/'] button")
        page.wait_for_load_state()
        mine = Comment.objects.get(body="Tuesday suits the ferry crews better.")
        Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.VISIBLE)
        assert Watch.objects.filter(subscriber=reader, comment=mine).exists()
        comment_submit(post=post, body="Crews said Monday, though.", ip_hash="r",
                       author_name="Heron", parent_id=mine.pk, screened=False)  # fmt: skip
        replies_due()
        send(worker)
        reply = smtp.received[-1]
        assert reply["Subject"] == "A reply to your comment on “Ferry talks resume at dawn”"
        page.goto(re.search(r"(http://\S+/comments/\d+/)", text(reply)).group(1))
        assert page.locator("text=Crews said Monday, though.").is_visible()

        # One click in the mail program: its POST to List-Unsubscribe stops that comment's mail.
        stop = reply["List-Unsubscribe"].strip().strip("<>")
        request = urllib.request.Request(stop, data=b"List-Unsubscribe=One-Click", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        assert not Watch.objects.filter(comment=mine).exists()

        # And everything, from the link at the foot of a mail: one click on the page.
        stop_all = re.search(r"Stop all mail from .*?: (http://\S+)", text(reply)).group(1)
        page.goto(stop_all)
        page.click("main button:has-text('Stop all mail')")
        page.wait_for_selector("h1:has-text('No more mail')")
        reader.refresh_from_db()
        assert not reader.follows_anything()
        sent_before = len(smtp.received)
        make_post("Ferry runs again", when=timezone.now() - dt.timedelta(minutes=1))
        dispatches_due()
        send(worker)
        assert len(smtp.received) == sent_before  # nothing more
