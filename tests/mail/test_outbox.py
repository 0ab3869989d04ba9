"""The outbox and the worker sending it, through a real SMTP server on loopback."""

import re

import pytest
from django.core import mail as django_mail

from sitrep.mail.models import Message, StoppedAddress
from sitrep.mail.outbox import message_send

pytestmark = pytest.mark.django_db(transaction=True)  # sends are queued when a write commits


def reset_mail(client, reader, address="kestrel@reader.example"):
    reader.email = address
    reader.save()
    client.post("/accounts/password/reset/", {"email": address})


def test_mail_waits_in_the_outbox_until_the_worker_sends_it(client, reader, smtp, worker):
    reset_mail(client, reader)
    queued = Message.objects.get()
    assert queued.status == "queued" and not smtp.received  # nothing left in the request
    worker()
    sent = Message.objects.get()
    assert sent.status == "sent" and sent.attempts == 1
    (received,) = smtp.received
    assert received["To"] == "kestrel@reader.example"
    assert received["Message-ID"] == sent.message_id and received["Date"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)",
                     received.get_body(("plain",)).get_content())  # fmt: skip
    assert client.get(link.group(1), follow=True).status_code == 200  # the link works
    html = received.get_body(("html",)).get_content()  # allauth's mail gets its HTML part too
    assert f'href="http://testserver{link.group(1)}"' in html
    worker()  # run again: nothing is sent twice
    assert len(smtp.received) == 1


def test_a_temporary_refusal_is_tried_again_later(client, reader, smtp, worker):
    smtp.refuse["kestrel@reader.example"] = "451 4.7.1 Greylisted, try again later"
    reset_mail(client, reader)
    message = Message.objects.get()
    assert message_send(message.pk) == "retry"  # the worker's first try
    message.refresh_from_db()
    assert message.status == "queued" and message.next_try and "451" in message.error
    del smtp.refuse["kestrel@reader.example"]
    worker()  # the next try
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2 and len(smtp.received) == 1


def test_a_permanent_refusal_fails_the_message_and_stops_the_address(client, reader, smtp, worker):
    smtp.refuse["kestrel@reader.example"] = "550 5.1.1 No such user here"
    reset_mail(client, reader)
    worker()
    message = Message.objects.get()
    assert message.status == "failed" and "550 5.1.1 No such user here" in message.error
    assert "No such user" in StoppedAddress.objects.get(email="kestrel@reader.example").reason
    reset_mail(client, reader)  # asked again: nothing more is queued for that address
    assert Message.objects.count() == 1


def test_no_mail_server_answering_is_a_temporary_failure(client, reader, settings):
    settings.SITREP_MAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard: nobody listens
    reset_mail(client, reader)
    message = Message.objects.get()
    assert message_send(message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == "queued" and "Connection" in message.error


def test_a_message_a_killed_worker_was_sending_is_not_sent_again(client, reader, smtp):
    reset_mail(client, reader)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status="sending", attempts=1)  # killed here
    assert message_send(message.pk) == "skipped"
    assert not smtp.received


def test_without_a_mail_server_mail_is_kept_as_eml_files(client, reader, settings, worker,
                                                         tmp_path):  # fmt: skip
    import email
    import email.policy

    settings.SITREP_MAIL_TRANSPORT = "sitrep.mail.transport.EmlFilesBackend"
    settings.SITREP_MAIL_DIR = tmp_path / "mail"
    reset_mail(client, reader)
    worker()
    (file,) = (tmp_path / "mail").glob("*.eml")
    parsed = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "kestrel@reader.example" and "password" in parsed["Subject"].lower()
    assert not django_mail.outbox


def test_a_mail_server_that_keeps_refusing_for_now_is_given_up_on_with_the_reason(
    client, reader, smtp
):
    from sitrep.mail.outbox import TRIES

    smtp.refuse["kestrel@reader.example"] = "421 4.3.2 Service shutting down"
    reset_mail(client, reader)
    message = Message.objects.get()
    results = [message_send(message.pk) for _ in range(TRIES)]
    assert results == ["retry"] * (TRIES - 1) + ["failed"]
    message.refresh_from_db()
    assert message.status == "failed" and f"gave up after {TRIES} tries" in message.error
    assert not StoppedAddress.objects.exists()  # a server's bad day does not stop the address
