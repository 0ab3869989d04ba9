"""Reader-facing pages of mail: the subscribe form's answer, confirming, managing and
unsubscribing (with one click from the mail itself, RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.core.client import request_ip_hash
from sitrep.core.crossorigin import same_origin_only
from sitrep.mail.forms import SubscribeForm
from sitrep.mail.models import AccountReplies, Message, Subscriber
from sitrep.mail.subscriptions import Refused, subscribe_confirm, subscribe_request, unsubscribe
from sitrep.posts.models import Label
from sitrep.stories.models import Story


@same_origin_only
@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "mail/subscribe.html", {"form": form}, status=400)
    data = form.cleaned_data
    stories = Story.objects.filter(pk=data["story"]) if data.get("story") else []
    labels = Label.objects.filter(pk=data["label"]) if data.get("label") else []
    try:
        subscribe_request(email=data["email"], digest=data["digest"],
                          each_post=data["each_post"], stories=list(stories),
                          labels=list(labels), ip_hash=request_ip_hash(request))  # fmt: skip
    except Refused as refused:
        form.add_error(None, str(refused))
        return render(request, "mail/subscribe.html", {"form": form}, status=429)
    return render(request, "mail/subscribe_sent.html", {"email": data["email"]})


@same_origin_only
@require_http_methods(["GET", "POST"])
def confirm(request, signed):
    """GET shows a button, POST confirms: mail scanners that open links must not subscribe
    anybody."""
    if request.method == "GET":
        return render(request, "mail/confirm.html", {"signed": signed})
    try:
        subscriber = subscribe_confirm(signed)
    except Refused as refused:
        return render(request, "mail/confirm.html", {"error": str(refused)}, status=400)
    return render(request, "mail/confirmed.html", {"subscriber": subscriber})


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """A signed-in reader's mail: replies to every comment they write, at their account's
    address, and the subscription of that address."""
    user = request.user
    if request.method == "POST":
        if request.POST.get("replies") and user.email:
            AccountReplies.objects.get_or_create(user=user)
        else:
            AccountReplies.objects.filter(user=user).delete()
        messages.success(request, "Saved.")
        return redirect("mail:account")
    subscriber = Subscriber.objects.filter(email=user.email.lower(), confirmed__isnull=False
                                           ).first() if user.email else None  # fmt: skip
    return render(request, "mail/account.html", {
        "replies": AccountReplies.objects.filter(user=user).exists(),
        "subscriber": subscriber})  # fmt: skip


@same_origin_only
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriber = get_object_or_404(Subscriber, token=token, confirmed__isnull=False)
    if request.method == "POST" and request.POST.get("forget"):
        email = subscriber.email
        subscriber.delete()  # with what they follow and the replies they wait for
        Message.objects.filter(to=email).delete()  # and the copies of the mail they were sent
        return render(request, "mail/forgotten.html", {"email": email})
    if request.method == "POST":
        subscriber.digest = bool(request.POST.get("digest"))
        subscriber.each_post = bool(request.POST.get("each_post"))
        subscriber.save(update_fields=["digest", "each_post"])
        kept = {int(pk) for pk in request.POST.getlist("follow") if pk.isdigit()}
        subscriber.follows.exclude(pk__in=kept).delete()
    follows = subscriber.follows.select_related("story", "label")
    watches = subscriber.watches.select_related("comment__post")
    sent = subscriber_messages(subscriber.email)
    return render(request, "mail/manage.html", {
        "subscriber": subscriber, "follows": follows, "watches": watches, "sent": sent,
        "saved": request.method == "POST"})  # fmt: skip


@same_origin_only
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token, what="all"):
    """The link in every mail: GET asks, POST stops (a mail program's one-click POST, with
    List-Unsubscribe=One-Click in its body, lands here too)."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        unsubscribe(subscriber, what=what)
        return render(request, "mail/unsubscribed.html", {"subscriber": subscriber,
                                                          "what": what})  # fmt: skip
    return render(request, "mail/unsubscribe.html", {"subscriber": subscriber, "what": what})


def subscriber_messages(email: str):
    """What the outbox holds for this address (shown to its owner, deleted with the rest)."""
    return Message.objects.filter(to=email).only("subject", "created", "status")[:50]
