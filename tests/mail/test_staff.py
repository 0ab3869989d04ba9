"""Mail for staff: the queue alert and the owners' weekly summary."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sitrep.accounts.models import User
from sitrep.comments.models import Comment
from sitrep.comments.services import comment_submit
from sitrep.mail.models import MailSettings, Message, Subscriber
from sitrep.mail.staff import queue_alert_due, weekly_summary_due

pytestmark = pytest.mark.django_db(transaction=True)


def held(post, body):
    comment = comment_submit(post=post, body=body, ip_hash=body[:6], screened=False)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HELD)


def test_moderators_hear_of_held_comments_at_most_once_an_interval(make_post, smtp, worker):
    User.objects.create_user("heron", email="heron@harbor.example", is_moderator=True)
    User.objects.create_user("wren", email="wren@reader.example")  # a reader: not told
    MailSettings.objects.create(queue_alert_minutes=30)
    post = make_post("Ferry talks resume")
    assert queue_alert_due() == 0  # nothing held
    held(post, "Buy cheap watches here.")
    now = timezone.now()
    assert queue_alert_due(now) == 1
    held(post, "Another one.")
    assert queue_alert_due(now + dt.timedelta(minutes=10)) == 0  # within the interval
    with time_machine.travel(now + dt.timedelta(minutes=31)):
        assert queue_alert_due() == 1  # the new one, after the interval
        assert queue_alert_due() == 0
    worker()
    assert [m["To"] for m in smtp.received] == ["heron@harbor.example"] * 2
    text = smtp.received[-1].get_body(("plain",)).get_content()
    assert "2 comments wait for a moderator" in text and "Another one." in text
    assert "http://testserver/desk/queue/" in text
    assert smtp.received[-1]["Subject"] == "2 comments waiting for a moderator"


def test_owners_get_a_weekly_summary_on_monday(smtp, worker, settings):
    settings.TIME_ZONE = "UTC"
    User.objects.create_superuser("owner", email="owner@harbor.example", password="x-1234567")
    MailSettings.objects.create(digest_hour=7)
    Subscriber.objects.create(email="a@reader.example", digest=True, confirmed=timezone.now())
    Message.objects.create(to="a@reader.example", subject="s", message_id="<m@x>", raw="",
                           status="sent", sent=timezone.now())  # fmt: skip
    monday = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)  # a Monday, after the hour
    with time_machine.travel(monday + dt.timedelta(days=1)):
        assert weekly_summary_due() == 0  # Tuesday
    with time_machine.travel(monday):
        Message.objects.update(sent=timezone.now())
        assert weekly_summary_due() == 1
        assert weekly_summary_due() == 0  # once a week
    worker()
    (summary,) = smtp.received
    assert summary["To"] == "owner@harbor.example"
    assert "Subscribers: 1" in summary.get_body(("plain",)).get_content()
