"""Telling commenters of replies: each visible reply to a watched comment once, in a mail of
its own, but at most one mail an hour per watched comment (later replies wait and go
together). A reply held for moderation is told of when a moderator approves it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sitrep.comments.models import Comment
from sitrep.mail.compose import absolute, mail_make
from sitrep.mail.dispatch import sender
from sitrep.mail.models import ReplyNotice, Watch
from sitrep.mail.outbox import outbox_add

LOOKBACK = dt.timedelta(days=7)  # replies older than this when found are not told of
SPACING = dt.timedelta(hours=1)  # between two mails about one watched comment


def replies_due(now: dt.datetime | None = None) -> int:
    """Mail the watchers whose comments have new visible replies; returns mails written."""
    now = now or timezone.now()
    replies = (
        Comment.objects.filter(status=Comment.Status.VISIBLE, created__gte=now - LOOKBACK,
                               parent__mail_watches__isnull=False)
        .select_related("post", "user").order_by("created").distinct()
    )  # fmt: skip
    waiting: dict[int, list[Comment]] = {}
    for reply in replies:
        waiting.setdefault(reply.parent_id, []).append(reply)
    if not waiting:
        return 0
    written = 0
    watches = Watch.objects.filter(comment_id__in=waiting).filter(
        Q(last_mail=None) | Q(last_mail__lte=now - SPACING)
    ).select_related("subscriber", "comment__post")  # fmt: skip
    told = set(ReplyNotice.objects.filter(watch__in=watches).values_list("watch_id", "reply_id"))
    for watch in watches:
        if watch.subscriber.confirmed is None:
            continue
        new = [r for r in waiting[watch.comment_id] if (watch.pk, r.pk) not in told
               and not _own(r, watch)]  # fmt: skip
        if new:
            written += _tell(watch, new, now)
    return written


def _own(reply: Comment, watch: Watch) -> bool:
    """The watcher's own reply (signed in with the same address) is no news to them."""
    return bool(reply.user_id and reply.user.email.lower() == watch.subscriber.email)


@transaction.atomic
def _tell(watch: Watch, replies: list[Comment], now: dt.datetime) -> int:
    if Watch.objects.filter(pk=watch.pk, last_mail__gt=now - SPACING).exists():
        return 0  # another worker's clock told them a moment ago
    post = watch.comment.post
    token = watch.subscriber.token
    stop_thread = absolute(reverse("mail:unsubscribe_one", args=[token, f"watch:{watch.pk}"]))
    stop_all = absolute(reverse("mail:unsubscribe", args=[token]))
    manage = absolute(reverse("mail:manage", args=[token]))
    subject = (f"A reply to your comment on “{post.headline}”" if len(replies) == 1
               else f"{len(replies)} replies to your comment on “{post.headline}”")  # fmt: skip
    items = [{"reply": r, "link": absolute(reverse("comment_permalink", args=[r.pk]))}
             for r in replies]  # fmt: skip
    from_address, reply_to, footer = sender()
    mail = mail_make(template="replies", to=watch.subscriber.email, subject=subject,
                     context={"post": post, "comment": watch.comment, "items": items,
                              "stop_thread": stop_thread, "stop_all": stop_all, "manage": manage,
                              "footer": footer},
                     unsubscribe=stop_thread)  # fmt: skip
    mail.from_email, mail.reply_to = from_address, reply_to
    outbox_add(mail, kind="reply")
    ReplyNotice.objects.bulk_create([ReplyNotice(watch=watch, reply=r) for r in replies],
                                    ignore_conflicts=True)  # fmt: skip
    Watch.objects.filter(pk=watch.pk).update(last_mail=now)
    return 1
