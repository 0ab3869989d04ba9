"""The desk's places: confirm or reject the worker's suggestions, add a place by name."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.core.text import one_line
from sitrep.places.models import PostPlace
from sitrep.places.services import post_place_add, post_places_decide
from sitrep.posts.models import Post

PER_PAGE = 25


@editor_required
@require_GET
def places(request):
    """Posts whose suggested places wait for a decision, newest first (or one post)."""
    links = Prefetch(
        "post_places",
        queryset=PostPlace.objects.select_related("place").order_by("state", "place__name"),
    )
    one = request.GET.get("post", "")
    if one.isdigit():
        posts = Post.objects.filter(pk=one)
    else:
        waiting = PostPlace.objects.filter(state=PostPlace.State.SUGGESTED).values("post_id")
        posts = Post.objects.filter(pk__in=waiting).order_by("-published_at", "-id")[:PER_PAGE]
    return render(request, "desk/places.html", {"posts": posts.prefetch_related(links), "one": one})


@editor_required
@require_POST
def post_places(request, post_id: int):
    post = get_object_or_404(Post, pk=post_id)
    back = request.POST.get("back") or reverse("desk:places")
    if not back.startswith("/desk/"):
        back = reverse("desk:places")
    confirm = [int(i) for i in request.POST.getlist("confirm") if i.isdigit()]
    pending = PostPlace.objects.filter(post=post).exclude(pk__in=confirm)
    # Everything shown and not ticked is rejected; a confirmed place can be unticked too.
    reject = list(pending.values_list("pk", flat=True))
    post_places_decide(post=post, confirm=confirm, reject=reject)
    name = one_line(request.POST.get("add", ""))
    if name:
        from sitrep.places.gazetteer import gazetteer  # loaded only when an editor asks

        found = gazetteer().lookup(name)
        if not found:
            messages.error(
                request, f"No place called “{name}” in the gazetteer. Try another spelling."
            )
            return redirect(back)
        link = post_place_add(post=post, candidate=found[0], written=name)
        messages.success(
            request,
            f"Added {link.place.name} ({link.place.country_name or link.place.country_code}).",
        )
    else:
        messages.success(request, "Places saved.")
    return redirect(back)
