"""The desk's fediverse screen: the site's handle and whether it is on, its followers and their
servers, delivery health per server, what the inboxes received and what became of it; remove a
follower, approve one waiting, block or unblock a whole server."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.audit.services import record
from sitrep.fediverse import inbox, local
from sitrep.fediverse.models import Delivery, Follower, Profile, Received, Server
from sitrep.fediverse.profile import links_parse, links_text, profile_save, verified_recently
from sitrep.media.models import MediaFile


class ProfileForm(forms.ModelForm):
    links_text = forms.CharField(
        label="Profile links", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Up to four, one a line: a name, a space and an https:// address. A link is "
        "verified when its page links back to this site with rel=\"me\".",
    )  # fmt: skip

    class Meta:
        model = Profile
        fields = ["icon", "header", "show_followers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        images = MediaFile.objects.order_by("-created")
        for name in ("icon", "header"):
            self.fields[name].queryset = images
            self.fields[name].label_from_instance = lambda m: (
                f"{m.alt[:60] or m.file.name} ({m.width}×{m.height})"
            )
        if not self.is_bound:
            self.fields["links_text"].initial = links_text(self.instance.links)

    def clean_links_text(self):
        links, errors = links_parse(self.cleaned_data["links_text"])
        if errors:
            raise forms.ValidationError(errors)
        # Links already verified keep that until the worker checks them again.
        known = {link["url"]: link.get("verified", "") for link in self.instance.links}
        self.instance.links = [{**link, "verified": known.get(link["url"], "")} for link in links]
        return self.cleaned_data["links_text"]


@editor_required
@require_GET
def fediverse(request):
    return _page(request, ProfileForm(instance=Profile.current()))


def _page(request, form: ProfileForm, status: int = 200):
    followers = Follower.objects.select_related("actor__server").order_by("state", "-created")
    servers = (
        Server.objects.annotate(
            followers=Count("actors__follow", distinct=True),
            # distinct: the followers' join repeats each delivery once per follower
            sent=Count("deliveries", filter=Q(deliveries__state="sent"), distinct=True),
            waiting=Count(
                "deliveries", filter=Q(deliveries__state__in=["queued", "retry"]), distinct=True
            ),
            failed=Count("deliveries", filter=Q(deliveries__state="failed"), distinct=True),
        )
        .filter(Q(followers__gt=0) | Q(blocked=True) | Q(deliveries__isnull=False))
        .distinct()
        .order_by("-blocked", "-dead", "-failures", "host")
    )
    received = Received.objects.select_related("actor", "comment").order_by("-created")[:50]
    links = [{**link, "fresh": verified_recently(link)} for link in Profile.current().links]
    return render(request, "fediverse/desk.html", {
        "on": local.enabled(), "handle": local.handle(), "followers": followers,
        "servers": servers, "received": received, "links": links,
        "form": form, "approve": settings.SITREP_FEDIVERSE_APPROVE_FOLLOWERS,
    }, status=status)  # fmt: skip


@editor_required
@require_POST
def profile_edit(request):
    form = ProfileForm(request.POST, instance=Profile.current())
    if not form.is_valid():  # the page again, with what was typed and what is wrong
        return _page(request, form, status=400)
    profile_save(form.instance)
    record("fediverse profile change", target="fediverse profile")
    messages.success(request, "Profile saved. Its links are checked in the background.")
    return redirect("desk:fediverse")


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
