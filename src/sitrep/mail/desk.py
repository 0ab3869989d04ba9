"""The desk's mail screens: who follows the site by e-mail (and how many more each week), the
outbox with what failed and why, the mail settings, today's digest as readers will get it,
and a test sent to oneself."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib import messages
from django.core.mail import EmailMessage
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.audit.services import record
from sitrep.core.pagination import paginate
from sitrep.mail.dispatch import TOKEN, day_posts, mailing_make, personal
from sitrep.mail.models import Follow, MailSettings, Message, StoppedAddress, Subscriber
from sitrep.mail.outbox import outbox_add


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = MailSettings
        fields = ["digest_hour", "sender_name", "sender_address", "reply_to", "footer",
                  "send_rate", "queue_alert_minutes"]  # fmt: skip
        widgets = {"footer": forms.Textarea(attrs={"rows": 2})}

    def clean_digest_hour(self):
        hour = self.cleaned_data["digest_hour"]
        if hour > 23:
            raise forms.ValidationError("An hour of the day: 0 to 23.")
        return hour


def _growth(weeks: int = 8) -> list[dict]:
    """Confirmed subscribers gained in each of the last `weeks` weeks, oldest first."""
    now = timezone.now()
    rows = []
    for n in range(weeks, 0, -1):
        start, end = now - dt.timedelta(weeks=n), now - dt.timedelta(weeks=n - 1)
        rows.append({"week": end.date(), "new": Subscriber.objects.filter(
            confirmed__gte=start, confirmed__lt=end).count()})  # fmt: skip
    return rows


@editor_required
@require_http_methods(["GET", "POST"])
def mail_home(request):
    form = MailSettingsForm(request.POST or None, instance=MailSettings.current())
    if request.method == "POST" and form.is_valid():
        changed = {name: [form.initial.get(name), form.cleaned_data[name]]
                   for name in form.changed_data}  # fmt: skip
        form.save()
        record("settings.mail", changes=changed)
        messages.success(request, "Mail settings saved.")
        return redirect("desk:mail")
    confirmed = Subscriber.objects.filter(confirmed__isnull=False)
    week = timezone.now() - dt.timedelta(days=7)
    outbox = Message.objects.filter(created__gte=week).values("status").annotate(n=Count("pk"))
    context = {
        "form": form,
        "kinds": {
            "daily digest": confirmed.filter(digest=True).count(),
            "each post": confirmed.filter(each_post=True).count(),
            "a story": confirmed.filter(follows__story__isnull=False).distinct().count(),
            "a label": confirmed.filter(follows__label__isnull=False).distinct().count(),
            "waiting to confirm": Subscriber.objects.filter(confirmed=None).count(),
        },
        "total": confirmed.count(),
        "growth": _growth(),
        "outbox": {row["status"]: row["n"] for row in outbox},
        "stopped": StoppedAddress.objects.count(),
        "today": day_posts(timezone.localdate()).count(),
    }
    return render(request, "desk/mail.html", context)


@editor_required
def mail_subscribers(request):
    subscribers = Subscriber.objects.annotate(n_follows=Count("follows"))
    query = request.GET.get("q", "").strip()
    if query:
        subscribers = subscribers.filter(email__icontains=query)
    page = paginate(request, subscribers.order_by("-created"), 50)
    return render(request, "desk/mail_subscribers.html", {"page": page, "q": query})


@editor_required
@require_POST
def mail_subscriber_remove(request, subscriber_id):
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    record("mail.subscriber_remove", target=subscriber.email)
    subscriber.delete()
    messages.success(request, f"{subscriber.email} removed; nothing more is sent there.")
    return redirect("desk:mail_subscribers")


@editor_required
def mail_subscribers_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
    writer = csv.writer(response)
    writer.writerow(["email", "confirmed", "digest", "each_post", "stories", "labels"])
    follows = Follow.objects.select_related("story", "label")
    by_subscriber: dict[int, list[Follow]] = {}
    for follow in follows:
        by_subscriber.setdefault(follow.subscriber_id, []).append(follow)
    for subscriber in Subscriber.objects.filter(confirmed__isnull=False).order_by("email"):
        own = by_subscriber.get(subscriber.pk, [])
        writer.writerow([
            subscriber.email, subscriber.confirmed.isoformat(), subscriber.digest,
            subscriber.each_post, " ".join(f.story.slug for f in own if f.story),
            " ".join(f.label.slug for f in own if f.label),
        ])  # fmt: skip
    record("mail.subscribers_export", target="subscribers.csv")
    return response


@editor_required
def mail_outbox(request):
    status = request.GET.get("status", "")
    messages_ = Message.objects.defer("raw")
    if status in Message.Status.values:
        messages_ = messages_.filter(status=status)
    page = paginate(request, messages_, 50)
    stopped = StoppedAddress.objects.order_by("-created")[:50]
    return render(request, "desk/mail_outbox.html",
                  {"page": page, "status": status, "statuses": Message.Status.choices,
                   "stopped": stopped})  # fmt: skip


def _digest_today():
    """Today's digest as a reader would get it (or None on a day without posts)."""
    day = timezone.localdate()
    if not day_posts(day).exists():
        return None
    mail, _ = mailing_make(f"digest:{day}")
    return mail


@editor_required
def mail_digest_preview(request):
    mail = _digest_today()
    if mail is None:
        return render(request, "desk/mail_digest_empty.html", status=200)
    html = dict((kind, content) for content, kind in mail.alternatives)["text/html"]
    response = HttpResponse(html.replace(TOKEN, "preview"))
    # The mail's own styles are inline, as mail clients need; nothing here runs a script.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'"
    )
    return response


@editor_required
@require_POST
def mail_test_send(request):
    if not request.user.email:
        messages.error(request, "Your account has no e-mail address: add one in your account.")
        return redirect("desk:mail")
    mail = _digest_today()
    if mail is None:
        mail = EmailMessage(subject="A test from the desk", to=[request.user.email],
                            body="This is a test of the site's mail. It arrived.")  # fmt: skip
    else:
        mail = personal(mail, "preview", request.user.email)
        mail.subject = f"[Test] {mail.subject}"
    outbox_add(mail, kind="test")
    messages.success(request, f"A test is on its way to {request.user.email} (see the outbox).")
    return redirect("desk:mail")
