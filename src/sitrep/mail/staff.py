"""Mail for staff: moderators hear when comments wait in the queue (at most once per interval
the site sets), and owners get a weekly summary of the site's mail."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sitrep.accounts.models import User
from sitrep.comments.models import Comment
from sitrep.mail.compose import absolute, mail_make
from sitrep.mail.dispatch import dispatch_claim, sender
from sitrep.mail.models import (
    Bounce,
    Dispatch,
    MailSettings,
    Message,
    StoppedAddress,
    Subscriber,
)
from sitrep.mail.outbox import outbox_add

LISTED = 20  # held comments listed in one alert


def _staff(query: Q) -> list[str]:
    return list(User.objects.filter(query, is_active=True).exclude(email="")
                .values_list("email", flat=True))  # fmt: skip


def _send(template: str, to: list[str], subject: str, context: dict, kind: str) -> None:
    from_address, reply_to, footer = sender()
    for address in to:
        mail = mail_make(template=template, to=address, subject=subject,
                         context={**context, "footer": footer})  # fmt: skip
        mail.from_email, mail.reply_to = from_address, reply_to
        outbox_add(mail, kind=kind)


def queue_alert_due(now: dt.datetime | None = None) -> int:
    """Tell moderators of comments held since the last alert, if the interval has passed."""
    now = now or timezone.now()
    minutes = MailSettings.current().queue_alert_minutes
    if not minutes:
        return 0
    last = Dispatch.objects.filter(key__startswith="queue:").order_by("-created").first()
    if last and last.created > now - dt.timedelta(minutes=minutes):
        return 0
    held = Comment.objects.filter(status=Comment.Status.HELD)
    new = held.filter(created__gt=last.created) if last else held
    if not new.exists():
        return 0
    to = _staff(Q(is_moderator=True) | Q(is_editor=True) | Q(is_superuser=True))
    if not to or not dispatch_claim(f"queue:{now:%Y%m%dT%H%M%S}"):
        return 0
    waiting = list(held.select_related("post").order_by("created")[:LISTED])
    total = held.count()
    _send("queue", to, f"{total} comment{'s' if total != 1 else ''} waiting for a moderator",
          {"comments": waiting, "total": total, "queue": absolute(reverse("desk:queue"))},
          "moderation")  # fmt: skip
    return 1


def weekly_summary_due(now: dt.datetime | None = None) -> int:
    """On Mondays from the digest hour: the week's mail, for owners."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.weekday() != 0 or local.hour < MailSettings.current().digest_hour:
        return 0
    year, week, _ = local.isocalendar()
    to = _staff(Q(is_superuser=True))
    if not to or not dispatch_claim(f"summary:{year}-W{week:02d}"):
        return 0
    since = now - dt.timedelta(days=7)
    sent = Message.objects.filter(sent__gte=since)
    confirmed = Subscriber.objects.filter(confirmed__isnull=False)
    context = {
        "subscribers": confirmed.count(),
        "new": confirmed.filter(confirmed__gte=since).count(),
        "digest": confirmed.filter(digest=True).count(),
        "each_post": confirmed.filter(each_post=True).count(),
        "sent": sent.count(),
        "failed": Message.objects.filter(created__gte=since, status="failed").count(),
        "bounced": Bounce.objects.filter(created__gte=since).count(),
        "stopped": StoppedAddress.objects.filter(created__gte=since),
        "desk": absolute(reverse("desk:mail")),
    }
    _send("summary", to, f"The week's mail: {context['sent']} sent, {context['new']} new "
          "subscribers", context, "summary")  # fmt: skip
    return 1
