"""The desk's mail screens, as an editor uses them."""

import csv
import io

import pytest
import time_machine
from django.utils import timezone

from sitrep.audit.models import Entry
from sitrep.mail.models import MailSettings, Message, StoppedAddress, Subscriber

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_overview_counts_subscribers_by_kind_and_saves_the_settings(editor_client):
    Subscriber.objects.create(email="a@reader.example", digest=True, confirmed=timezone.now())
    Subscriber.objects.create(email="b@reader.example", each_post=True, confirmed=timezone.now())
    Subscriber.objects.create(email="c@reader.example", digest=True)  # not confirmed
    page = editor_client.get("/desk/mail/").content.decode()
    assert "2 confirmed" in page and "daily digest: 1" in page and "waiting to confirm: 1" in page
    bad = editor_client.post("/desk/mail/", {"digest_hour": "25", "sender_name": "Harbor Desk"})
    assert "0 to 23" in bad.content.decode() and 'value="Harbor Desk"' in bad.content.decode()
    editor_client.post("/desk/mail/", {"digest_hour": "6", "sender_name": "Harbor Desk",
                                       "footer": "Sent from the harbour.",
                                       "queue_alert_minutes": "30",
                                       "send_rate": "0"})  # fmt: skip
    config = MailSettings.current()
    assert (config.digest_hour, config.sender_name) == (6, "Harbor Desk")
    assert Entry.objects.filter(action="settings.mail").exists()


@time_machine.travel("2026-12-07 17:00Z")  # midday in the site's zone: "today" has posts
def test_todays_digest_is_previewed_and_a_test_is_sent_to_the_editor(
    editor, editor_client, make_post, smtp, worker
):
    make_post("Ferry talks resume at dawn")
    preview = editor_client.get("/desk/mail/digest/")
    assert "Ferry talks resume at dawn" in preview.content.decode()
    assert "style-src 'unsafe-inline'" in preview["Content-Security-Policy"]
    assert "script" not in preview["Content-Security-Policy"]
    editor.email = "desk@harbor.example"
    editor.save()
    editor_client.post("/desk/mail/test/")
    worker()
    (mail,) = smtp.received
    assert mail["To"] == "desk@harbor.example" and mail["Subject"].startswith("[Test]")
    assert Message.objects.get().kind == "test"


def test_subscribers_are_listed_removed_and_exported(editor_client):
    Subscriber.objects.create(email="a@reader.example", digest=True, confirmed=timezone.now())
    gone = Subscriber.objects.create(email="b@reader.example", digest=True,
                                     confirmed=timezone.now())  # fmt: skip
    assert "b@reader.example" in editor_client.get("/desk/mail/subscribers/?q=b@").content.decode()
    editor_client.post(f"/desk/mail/subscribers/{gone.pk}/remove/")
    rows = list(csv.reader(io.StringIO(editor_client.get("/desk/mail/subscribers.csv")
                                       .content.decode())))  # fmt: skip
    assert [row[0] for row in rows] == ["email", "a@reader.example"]


def test_the_outbox_shows_what_failed_and_why(editor_client):
    error = "the mail server answered 550 No such user"
    Message.objects.create(to="x@reader.example", subject="Digest", message_id="<1@x>", raw="",
                           status="failed", error=error)  # fmt: skip
    StoppedAddress.objects.create(email="x@reader.example", reason="550 No such user")
    page = editor_client.get("/desk/mail/outbox/?status=failed").content.decode()
    assert "answered 550 No such user" in page and "x@reader.example" in page
