"""The desk's report of sources in trouble, with one-click fixes, and our own copies."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.linkcheck.services import (
    source_mark_reviewed,
    source_recheck_soon,
    source_use_new_address,
)
from sitrep.linkcheck.tasks import archive_post_sources
from sitrep.posts.models import Clip, Source

TROUBLE = [Source.State.GONE, Source.State.UNREACHABLE, Source.State.CHANGED, Source.State.MOVED]


@editor_required
@require_GET
def report(request):
    """Dead, moved and changed sources the editors have not yet dealt with, oldest first."""
    sources = (
        Source.objects.filter(state__in=TROUBLE)
        .exclude(reviewed_state=F("state"))
        .defer("text")
        .prefetch_related(Prefetch("clips", queryset=Clip.objects.select_related("post", "outlet")))
        .order_by("state_since", "pk")
    )
    counts = dict(
        Source.objects.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return render(request, "desk/sources.html", {"sources": sources, "counts": counts})


@editor_required
@require_POST
def fix(request, source_id: int):
    source = get_object_or_404(Source, pk=source_id)
    action = request.POST.get("action")
    if action == "new-address":
        changed = source_use_new_address(source)
        plural = "clip now cites" if changed == 1 else "clips now cite"
        messages.success(request, f"{changed} {plural} {source.final_url}.")
    elif action == "reviewed":
        source_mark_reviewed(source)
        messages.success(request, "Marked as seen; it returns here only if its state changes.")
    elif action == "recheck":
        source_recheck_soon(source)
        messages.success(request, "It will be checked again within a minute or so.")
    elif action == "archive":
        for post_id in source.clips.values_list("post_id", flat=True).distinct():
            archive_post_sources.enqueue(post_id)
        messages.success(request, "Asked the worker to archive it again.")
    else:
        messages.error(request, "Unknown action.")
    return redirect("desk:sources")


@editor_required
@require_GET
def copy(request, source_id: int):
    """Our own copy of a cited page's text: for editors, to check what was quoted. It is not
    published: the public gets the web archive's copy."""
    source = get_object_or_404(Source, pk=source_id)
    return render(request, "desk/source_copy.html", {"source": source})
