"""The outbox: every mail the site writes goes in here and is sent by the worker, never in a
web request. Django's mail API (allauth's password reset among it) writes here too, through
OutboxBackend, so there is one way out and one record of each send.

A message is claimed before it is handed to the mail server and marked sent after: a worker
killed in between leaves it "being sent", and it is not sent again by itself (at most once;
the desk shows it). A mail server's temporary refusal (4xx, a timeout, no connection) is tried
again later, with growing pauses; a permanent one (5xx) fails the message and stops the address.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import logging
import smtplib
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sitrep.mail.models import Message, StoppedAddress

logger = logging.getLogger("sitrep.mail")

TRIES = 6  # sends of one message before a temporary refusal counts as failure
PAUSE = dt.timedelta(minutes=1)  # before the second try; doubled for each one after


def message_domain() -> str:
    """The domain Message-IDs carry: the sender's."""
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def outbox_add(mail: EmailMessage, *, kind: str = "account") -> list[Message]:
    """Put `mail` in the outbox, one message per recipient, and queue each to be sent once the
    caller's transaction commits. Addresses the site no longer sends to are left out."""
    from sitrep.mail.tasks import send_message

    stopped = set(
        StoppedAddress.objects.filter(email__in=[a.lower() for a in mail.recipients()])
        .values_list("email", flat=True)
    )  # fmt: skip
    added = []
    for address in mail.recipients():
        if address.lower() in stopped:
            logger.info("not sent to %s: the site no longer sends to it", address)
            continue
        one = _copy_for(mail, address)
        added.append(
            Message.objects.create(
                kind=kind,
                to=address,
                subject=str(mail.subject)[:300],
                message_id=one.extra_headers["Message-ID"],
                raw=raw_of(one),
            )  # fmt: skip
        )
    for message in added:
        transaction.on_commit(lambda pk=message.pk: send_message.enqueue(pk))
    return added


def raw_of(mail: EmailMessage) -> str:
    """The message as it will go out. Django folds a long header right after its name
    ("Subject:" on a line of its own), which parsers read with a space in front: the headers
    are written again with the standard library's current policy."""
    parsed = email.message_from_bytes(mail.message().as_bytes(), policy=email.policy.SMTP)
    headers = [(name, str(value).strip()) for name, value in parsed.items()]
    for name, _ in headers:
        del parsed[name]
    for name, value in headers:
        parsed[name] = value
    return parsed.as_bytes().decode()  # 8-bit UTF-8 parts as they are


def _copy_for(mail: EmailMessage, address: str) -> EmailMessage:
    """`mail` to `address` alone, with its own Message-ID and date (kept in the outbox)."""
    one = copy.copy(mail)
    one.to, one.cc, one.bcc = [address], [], []
    one.extra_headers = dict(mail.extra_headers)
    one.extra_headers.setdefault("Message-ID", make_msgid(domain=message_domain()))
    one.extra_headers.setdefault("Date", formatdate(localtime=False))
    return one


class Stored(EmailMessage):
    """A message from the outbox as Django's mail backends take it: the stored bytes as they
    are, to the one recipient."""

    def __init__(self, message: Message):
        parsed = email.message_from_bytes(message.raw.encode(), policy=email.policy.SMTP)
        text = parsed.get_body(preferencelist=("plain",))
        super().__init__(subject=message.subject, from_email=parsed["From"], to=[message.to],
                         body=text.get_content() if text else "")  # fmt: skip
        self._parsed = parsed

    def message(self, *, policy=None):
        return _Parsed(self._parsed)


class _Parsed:
    """The stored message as Django's backends write it out (with the line ends they ask)."""

    def __init__(self, parsed):
        self.parsed = parsed

    def __getitem__(self, name):
        return self.parsed[name]

    def as_bytes(self, unixfrom=False, linesep="\n"):
        policy = email.policy.SMTP if linesep == "\r\n" else email.policy.default
        return self.parsed.as_bytes(policy=policy)


class OutboxBackend(BaseEmailBackend):
    """EMAIL_BACKEND: mail made with Django's API goes into the outbox."""

    def send_messages(self, email_messages):
        return sum(len(outbox_add(mail)) for mail in email_messages)


def transport():
    """The connection that really sends (SITREP_EMAIL_URL): SMTP, .eml files, the console."""
    return get_connection(settings.SITREP_MAIL_TRANSPORT, fail_silently=False)


def message_send(pk: int, *, connection=None) -> str:
    """Send one queued message; returns what became of it ("sent", "retry", "failed", or
    "skipped" when it was not waiting)."""
    claimed = messages_claim([pk])
    if not claimed:
        return "skipped"
    stopped = dict(StoppedAddress.objects.filter(email=claimed[0].to.lower())
                   .values_list("email", "reason"))  # fmt: skip
    outcome = message_deliver(claimed[0], connection or transport(), stopped)
    if outcome == "sent":
        messages_sent([pk])
    return outcome


def messages_claim(ids) -> list[Message]:
    """Mark the waiting ones of `ids` as being sent, and return them: from here on they are
    never sent again by themselves (at most once)."""
    with transaction.atomic():  # rows locked on PostgreSQL; SQLite's write lock from BEGIN
        mine = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Message.Status.QUEUED).values_list("pk", flat=True)
        )  # fmt: skip
        Message.objects.filter(pk__in=mine).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1
        )
    return list(Message.objects.filter(pk__in=mine).order_by("pk"))


def messages_sent(ids) -> None:
    Message.objects.filter(pk__in=ids).update(status=Message.Status.SENT, sent=timezone.now(),
                                              error="")  # fmt: skip


def message_deliver(message: Message, connection, stopped: dict[str, str]) -> str:
    """Hand a claimed message to the mail server; "sent" is for the caller to record."""
    reason = stopped.get(message.to.lower())
    if reason is not None:
        return _failed(message, f"not sent: the site no longer sends to this address "
                                f"({reason})")  # fmt: skip
    try:
        connection.send_messages([Stored(message)])
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        return _refused(message, code, reason)
    except smtplib.SMTPResponseException as exc:
        return _refused(message, exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:  # no connection, a timeout, a dropped line
        return _later(message, f"{type(exc).__name__}: {exc}")
    return "sent"


def _text(reason) -> str:
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def _refused(message: Message, code: int, reason) -> str:
    said = f"the mail server answered {code} {_text(reason)}"
    if 500 <= code < 600:
        StoppedAddress.objects.get_or_create(email=message.to.lower(),
                                             defaults={"reason": said[:500]})  # fmt: skip
        return _failed(message, said)
    return _later(message, said)


def _later(message: Message, why: str) -> str:
    from sitrep.mail.tasks import send_message

    if message.attempts >= TRIES:
        return _failed(message, f"gave up after {message.attempts} tries: {why}")
    when = timezone.now() + PAUSE * 2 ** (message.attempts - 1)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED, next_try=when,
                                                 error=why[:500])  # fmt: skip
    transaction.on_commit(lambda: send_message.using(run_after=when).enqueue(message.pk))
    logger.warning("mail to %s put off until %s: %s", message.to, when, why)
    return "retry"


def _failed(message: Message, why: str) -> str:
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error=why[:500])
    logger.warning("mail to %s failed: %s", message.to, why)
    return "failed"
