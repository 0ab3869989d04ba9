"""The media library in the desk: every image with where it is shown; upload, describe, replace
everywhere, delete. Here in the desk because it spans the library (media) and the posts that
show its images (posts), which media does not know."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import editor_required
from sitrep.audit.services import record
from sitrep.core.pagination import paginate
from sitrep.desk.forms import ImageForm, markdown_for
from sitrep.media.models import MediaFile
from sitrep.media.services import media_delete, media_describe
from sitrep.posts.services import posts_image_swap, posts_showing


@editor_required
@require_http_methods(["GET", "POST"])
def library(request):
    form = ImageForm(prefix="image", file_required=True)
    if request.method == "POST":
        form = ImageForm(request.POST, request.FILES, prefix="image", file_required=True)
        if form.is_valid():
            media = form.cleaned_data["media"]
            record("media.upload", target=f"{media.file.name} (#{media.pk})", target_url=media.url)
            messages.success(request, "Uploaded. Its sizes for readers' screens are being made.")
            return redirect("desk:library_item", media_id=media.pk)
    images = MediaFile.objects.annotate(
        leads=Count("lead_of", distinct=True), shown=Count("shown_in", distinct=True)
    ).order_by("-created", "-id")
    query = request.GET.get("q", "").strip()
    if query:
        images = images.filter(
            Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query)
            | Q(file__icontains=query) | Q(original_url__icontains=query)
        )  # fmt: skip
    unused = request.GET.get("unused") == "1"
    if unused:
        images = images.filter(leads=0, shown=0)
    page = paginate(request, images, 48)
    return render(request, "desk/library.html",
                  {"page": page, "q": query, "unused": unused, "form": form})  # fmt: skip


@editor_required
@require_POST
def library_upload(request):
    """An upload from compose's script: the image, and the Markdown that shows it."""
    form = ImageForm(request.POST, request.FILES, prefix="image", file_required=True)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        return JsonResponse({"errors": errors}, status=400)
    media = form.cleaned_data["media"]
    record("media.upload", target=f"{media.file.name} (#{media.pk})", target_url=media.url)
    return JsonResponse({
        "id": media.pk, "url": media.url, "thumb": media.thumb_url, "alt": media.alt,
        "width": media.width, "height": media.height,
        "markdown": markdown_for(media, form.cleaned_data["alt"]),
    })  # fmt: skip


@editor_required
@require_http_methods(["GET", "POST"])
def library_item(request, media_id: int):
    media = get_object_or_404(MediaFile, pk=media_id)
    initial = {"alt": media.alt, "caption": media.caption, "credit": media.credit}
    form = ImageForm(prefix="image", initial=initial)
    action = request.POST.get("action")
    showing = list(posts_showing(media).order_by("-published_at", "-id"))
    if action == "describe":
        form = ImageForm(request.POST, prefix="image")
        if form.is_valid() and form.cleaned_data["alt"].strip():
            media_describe(media=media, alt=form.cleaned_data["alt"],
                           caption=form.cleaned_data["caption"],
                           credit=form.cleaned_data["credit"])  # fmt: skip
            record(
                "media.describe",
                target=f"{media.file.name} (#{media.pk})",
                changes={"alt": media.alt, "caption": media.caption, "credit": media.credit},
            )
            messages.success(request, "Saved. Every post that shows it shows the new words.")
            return redirect("desk:library_item", media_id=media.pk)
        form.add_error("alt", "Alt text is required.")
    elif action == "replace":
        form = ImageForm(request.POST, request.FILES, prefix="image", file_required=True)
        if form.is_valid():
            new = form.cleaned_data["media"]
            if new.pk == media.pk:
                messages.info(request, "That is the same file; nothing changed.")
                return redirect("desk:library_item", media_id=media.pk)
            with transaction.atomic():
                changed = posts_image_swap(old=media, new=new)
                record("media.replace", target=f"{media.file.name} (#{media.pk})",
                       target_url=new.url, changes={"now": f"{new.file.name} (#{new.pk})",
                                                    "posts": len(changed)})  # fmt: skip
                media_delete(media=media)
            messages.success(request, f"Replaced in {len(changed)} post(s). The old file is gone.")
            return redirect("desk:library_item", media_id=new.pk)
    elif action == "delete":
        if not showing:
            name = media.file.name
            media_delete(media=media)
            record("media.delete", target=f"{name} (#{media_id})")
            messages.success(request, f"Deleted {name} and its sizes.")
            return redirect("desk:library")
        messages.error(request, "Not deleted: posts show this image. Replace it, or take it "
                       "out of these posts first.")  # fmt: skip
    return render(request, "desk/library_item.html", {
        "media": media, "form": form, "showing": showing,
        "markdown": markdown_for(media),
    })  # fmt: skip
