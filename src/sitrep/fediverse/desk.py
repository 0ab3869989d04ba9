"""The desk's fediverse screen: the site's handle and whether it is on, its followers and their
servers, delivery health per server, what the inboxes received and what became of it; remove a
follower, approve one waiting, block or unblock a whole server."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.audit.services import record
from sitrep.fediverse import inbox, local
from sitrep.fediverse.models import Delivery, Follower, Received, Server


@editor_required
@require_GET
def fediverse(request):
    followers = Follower.objects.select_related("actor__server").order_by("state", "-created")
    servers = (
        Server.objects.annotate(
            followers=Count("actors__follow", distinct=True),
            sent=Count("deliveries", filter=Q(deliveries__state=Delivery.State.SENT)),
            waiting=Count("deliveries", filter=Q(deliveries__state__in=["queued", "retry"])),
            failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        )
        .filter(Q(followers__gt=0) | Q(blocked=True) | Q(deliveries__isnull=False))
        .distinct()
        .order_by("-blocked", "-dead", "-failures", "host")
    )
    received = Received.objects.select_related("actor", "comment").order_by("-created")[:50]
    return render(request, "fediverse/desk.html", {
        "on": local.enabled(), "handle": local.handle(), "followers": followers,
        "servers": servers, "received": received,
        "approve": settings.SITREP_FEDIVERSE_APPROVE_FOLLOWERS,
    })  # fmt: skip


@editor_required
@require_POST
def follower_action(request, follower_id):
    follower = get_object_or_404(Follower.objects.select_related("actor__server"), pk=follower_id)
    action = request.POST.get("action")
    with transaction.atomic():
        if action == "approve" and follower.state == Follower.State.PENDING:
            Follower.objects.filter(pk=follower.pk).update(state=Follower.State.ACCEPTED)
            inbox.follow_answer(follower, accept=True)
            messages.success(request, f"{follower.actor} now follows the site.")
        elif action == "remove":
            inbox.follow_answer(follower, accept=False)  # tells their server it is over
            follower.delete()
            messages.success(request, f"{follower.actor} no longer follows the site.")
        record(f"fediverse follower {action}", target=str(follower.actor))
    return redirect("desk:fediverse")


@editor_required
@require_POST
def server_action(request, server_id):
    server = get_object_or_404(Server, pk=server_id)
    blocked = request.POST.get("action") == "block"
    reason = request.POST.get("reason", "").strip()[:300]
    with transaction.atomic():
        Server.objects.filter(pk=server.pk).update(
            blocked=blocked, blocked_reason=reason if blocked else "", dead=False, failures=0
        )
        if blocked:  # its accounts stop following; nothing more is sent there or taken from it
            Follower.objects.filter(actor__server=server).delete()
            Delivery.objects.filter(server=server, state__in=["queued", "retry"]).update(
                state=Delivery.State.FAILED, last_error="the server is blocked"
            )
        record("fediverse server " + ("block" if blocked else "unblock"), target=server.host,
               changes={"reason": reason} if reason else None)  # fmt: skip
    messages.success(request, f"{server.host} is {'blocked' if blocked else 'no longer blocked'}.")
    return redirect("desk:fediverse")
