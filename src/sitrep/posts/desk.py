"""The desk's outlet registry: what readers are told about each outlet quoted."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from sitrep.accounts.permissions import editor_required
from sitrep.posts.forms import OutletForm
from sitrep.posts.models import Outlet
from sitrep.posts.services import outlet_update, unique_slug


@editor_required
@require_http_methods(["GET", "POST"])
def outlets(request):
    """The registry; a new entry can be added before any clip quotes it (to name or hold the
    links readers post to it)."""
    form = OutletForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        outlet = outlet_update(outlet=Outlet(slug=unique_slug(Outlet, form.cleaned_data["name"])),
                               **form.cleaned_data)  # fmt: skip
        messages.success(request, f"{outlet.name} added to the registry.")
        return redirect("desk:outlets")
    rows = Outlet.objects.annotate(n=Count("clips")).order_by("-n", "name")
    status = 400 if form.errors else 200
    return render(request, "desk/outlets.html", {"outlets": rows, "form": form}, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def outlet_edit(request, outlet_id: int):
    outlet = get_object_or_404(Outlet, pk=outlet_id)
    form = OutletForm(request.POST or None, instance=outlet)
    if request.method == "POST" and form.is_valid():
        outlet_update(outlet=outlet, **form.cleaned_data)
        messages.success(request, f"{outlet.name} saved.")
        return redirect("desk:outlets")
    return render(request, "desk/outlet_edit.html", {"form": form, "outlet": outlet})
