"""Mailings to many: each post as it goes live, a followed story's new posts and log entries
(status changes, corrections), and the daily digest. The worker's clock finds what is due; a
task writes the messages in chunks (memory stays flat however many subscribers) and sends
them over one connection.

A mailing's body is rendered once; only the reader's own links differ from one message to the
next, put in by replacing placeholders."""

from __future__ import annotations

import copy
import datetime as dt
import logging
import time
from email.utils import formatdate

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sitrep.mail.compose import absolute, mail_make
from sitrep.mail.models import Dispatch, MailSettings, Message, StoppedAddress, Subscriber
from sitrep.mail.outbox import (
    message_deliver,
    message_domain,
    messages_claim,
    messages_sent,
    raw_of,
    transport,
)
from sitrep.posts.models import Post
from sitrep.stories.models import PostLogEntry

logger = logging.getLogger("sitrep.mail")

RECENT = dt.timedelta(hours=1)  # posts and log entries older than this when found: not mailed
CHUNK = 500  # messages written at a time
SENDING = 50  # messages claimed, sent and recorded at a time
TOKEN = "__SITREP_SUBSCRIBER_TOKEN__"


# --- what is due (the worker's clock) ------------------------------------------------------


def dispatch_claim(key: str) -> bool:
    """Record the mailing `key`; False if it was recorded before (by any worker)."""
    try:
        with transaction.atomic():
            Dispatch.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def _start(key: str) -> bool:
    """Record the mailing `key` and queue it; False if it was started before."""
    from sitrep.mail.tasks import dispatch_task

    if not dispatch_claim(key):
        return False
    transaction.on_commit(lambda: dispatch_task.enqueue(key))
    return True


def dispatches_due(now: dt.datetime | None = None) -> int:
    """Start every mailing that is due; returns how many."""
    now = now or timezone.now()
    started = 0
    done = set(Dispatch.objects.filter(created__gte=now - 2 * RECENT).values_list("key", flat=True))
    for pk in (
        Post.objects.live(now).filter(published_at__gte=now - RECENT).values_list("pk", flat=True)
    ):
        if f"post:{pk}" not in done:
            started += _start(f"post:{pk}")
    entries = PostLogEntry.objects.filter(
        created__gte=now - RECENT, post__story_entry__isnull=False
    )
    for pk in entries.values_list("pk", flat=True):
        if f"log:{pk}" not in done:
            started += _start(f"log:{pk}")
    local = timezone.localtime(now)
    if local.hour >= MailSettings.current().digest_hour:
        day = local.date()
        if f"digest:{day}" not in done and day_posts(day).exists():
            started += _start(f"digest:{day}")
    return started


def day_posts(day: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return Post.objects.live().filter(
        published_at__gte=start, published_at__lt=start + dt.timedelta(days=1)
    )


# --- who gets it and what it says -----------------------------------------------------------


def _subject_and_readers(key: str):
    """(subject, template, context, subscribers, what their unsubscribe link stops)."""
    kind, _, ref = key.partition(":")
    confirmed = Subscriber.objects.filter(confirmed__isnull=False)
    if kind == "post":
        post = Post.objects.prefetch_related("clips__outlet", "labels").get(pk=ref)
        entry = getattr(post, "story_entry", None)
        label_ids = [label.pk for label in post.labels.all()]
        who = Q(each_post=True) | Q(follows__label_id__in=label_ids)
        if entry:
            who |= Q(follows__story_id=entry.story_id)
        return (
            post.headline,
            "post",
            {"post": post, "story": entry.story if entry else None},
            confirmed.filter(who).distinct(),
            "each_post",
        )
    if kind == "log":
        log = PostLogEntry.objects.select_related("post__story_entry__story").get(pk=ref)
        story = log.post.story_entry.story
        subject = f"{story.title}: {log.headline()}"
        return (
            subject,
            "story",
            {"log": log, "story": story, "post": log.post},
            confirmed.filter(follows__story=story).distinct(),
            f"story:{story.pk}",
        )
    day = dt.date.fromisoformat(ref)
    posts = list(day_posts(day).order_by("published_at").prefetch_related("clips__outlet"))
    subject = (
        f"{settings.SITREP_SITE_NAME}: {len(posts)} posts, {day:%A %-d %B}"
        if len(posts) != 1
        else f"{settings.SITREP_SITE_NAME}: {posts[0].headline}"
    )
    return subject, "digest", {"posts": posts, "day": day}, confirmed.filter(digest=True), "digest"


def sender() -> tuple[str, list[str], str]:
    config = MailSettings.current()
    name = config.sender_name or settings.SITREP_SITE_NAME
    address = config.sender_address or settings.DEFAULT_FROM_EMAIL
    return f"{name} <{address}>", [config.reply_to] if config.reply_to else [], config.footer


# --- writing and sending ---------------------------------------------------------------------


def mailing_make(key: str, to: str = "reader@invalid"):
    """(the mailing's mail, with placeholders for the reader's links; its readers)."""
    subject, template, context, readers, stops = _subject_and_readers(key)
    from_address, reply_to, footer = sender()
    unsubscribe = absolute(reverse("mail:unsubscribe_one", args=[TOKEN, stops]))
    manage = absolute(reverse("mail:manage", args=[TOKEN]))
    mail = mail_make(template=template, to=to, subject=subject,
                     context={**context, "manage": manage, "footer": footer},
                     unsubscribe=unsubscribe)  # fmt: skip
    mail.from_email, mail.reply_to = from_address, reply_to
    return mail, readers


def dispatch_run(key: str, *, connection=None) -> dict:
    """Write the mailing's messages (those not written yet) and send what waits of it."""
    dispatch = Dispatch.objects.get(key=key)
    mail, readers = mailing_make(key)
    subject = str(mail.subject)
    stopped = set(StoppedAddress.objects.values_list("email", flat=True))
    writer = _Writer(mail, dispatch, message_domain())
    written = 0
    batch = []
    for subscriber in (
        readers.only("pk", "email", "token").order_by("pk").iterator(chunk_size=CHUNK)
    ):
        if subscriber.email in stopped:
            continue
        batch.append(writer.message(subscriber))
        if len(batch) >= CHUNK:
            written += _write(batch)
            batch = []
    written += _write(batch)
    Dispatch.objects.filter(pk=dispatch.pk).update(subject=subject[:300], written=written)
    sent = dispatch_send(key, connection=connection)
    Dispatch.objects.filter(pk=dispatch.pk).update(finished=timezone.now())
    return {"written": written, **sent}


TO = "reader@sitrep.invalid"
MESSAGE_ID = "<__SITREP_MESSAGE_ID__@sitrep.invalid>"


class _Writer:
    """Each reader's message from the mailing's one rendering: the bytes are made once with
    placeholders for the reader's address, Message-ID and links, then filled in per reader.
    If the encoding split a placeholder (a quoted-printable line break), every message is made
    whole instead."""

    def __init__(self, mail, dispatch: Dispatch, domain: str):
        self.mail, self.dispatch, self.domain = mail, dispatch, domain
        self.kind = dispatch.key.partition(":")[0]
        self.prefix = dispatch.key.replace(":", ".")
        template = copy.copy(mail)
        template.to = [TO]
        template.extra_headers = {**mail.extra_headers, "Message-ID": MESSAGE_ID,
                                  "Date": formatdate(localtime=False)}  # fmt: skip
        self.raw = raw_of(template)
        expected = (mail.body.count(TOKEN) + sum(c.count(TOKEN) for c, _ in mail.alternatives)
                    + sum(v.count(TOKEN) for v in mail.extra_headers.values()))  # fmt: skip
        self.filled = (self.raw.count(TOKEN) == expected and self.raw.count(TO) == 1
                       and self.raw.count(MESSAGE_ID) == 1)  # fmt: skip

    def message(self, subscriber: Subscriber) -> Message:
        message_id = f"<{self.prefix}.{subscriber.pk}@{self.domain}>"
        if self.filled and subscriber.email.isascii():
            raw = (self.raw.replace(TOKEN, subscriber.token).replace(TO, subscriber.email)
                   .replace(MESSAGE_ID, message_id))  # fmt: skip
        else:
            raw = self._whole(subscriber, message_id)
        return Message(kind=self.kind, to=subscriber.email, subject=str(self.mail.subject)[:300],
                       batch=self.dispatch.key, message_id=message_id, raw=raw)  # fmt: skip

    def _whole(self, subscriber: Subscriber, message_id: str) -> str:
        one = personal(self.mail, subscriber.token, subscriber.email)
        one.extra_headers.update({"Message-ID": message_id, "Date": formatdate(localtime=False)})
        return raw_of(one)


def personal(mail, token: str, to: str):
    """A copy of the mailing's `mail` for one reader: their links (`token`) and address."""
    one = copy.copy(mail)
    one.to = [to]
    one.body = mail.body.replace(TOKEN, token)
    one.extra_headers = {k: v.replace(TOKEN, token) for k, v in mail.extra_headers.items()}
    one.alternatives = []
    for content, kind in mail.alternatives:
        one.attach_alternative(content.replace(TOKEN, token), kind)
    return one


def _write(batch: list[Message]) -> int:
    """Into the outbox; a message written by an earlier run of this mailing stays as it was."""
    if not batch:
        return 0
    Message.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


def dispatch_send(key: str, *, connection=None) -> dict:
    """Send the mailing's waiting messages over one connection, in order, SENDING at a time:
    each group is claimed, sent and recorded together (a worker killed part way leaves at most
    one group marked "being sent", none sent twice)."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    connection = connection or transport()
    stopped = dict(StoppedAddress.objects.values_list("email", "reason"))
    waiting = Message.objects.filter(batch=key, status=Message.Status.QUEUED, next_try=None)
    rate = MailSettings.current().send_rate
    started, done = time.monotonic(), 0
    with connection:
        while ids := list(waiting.order_by("pk").values_list("pk", flat=True)[:SENDING]):
            if rate:  # no faster than the site's rate: wait until this group's time comes
                time.sleep(max(0.0, started + done / rate - time.monotonic()))
                done += len(ids)
            sent = []
            for message in messages_claim(ids):
                outcome = message_deliver(message, connection, stopped)
                counts[outcome] += 1
                if outcome == "sent":
                    sent.append(message.pk)
            messages_sent(sent)
    return counts
