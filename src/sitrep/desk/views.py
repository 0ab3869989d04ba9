"""The editor's desk: its home, and composing a post (preview, publish, schedule) from clips,
the inbox or a pasted address. The other desk screens live in the apps whose data they show."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sitrep.accounts.permissions import (
    can_edit_posts,
    can_moderate,
    editor_required,
)
from sitrep.audit.services import record
from sitrep.comments.models import Comment
from sitrep.core.pagination import paginate
from sitrep.curation.extract import clip_extract
from sitrep.curation.models import InboxItem
from sitrep.curation.services import inbox_items_clipped
from sitrep.desk.forms import ClipFormSet, ImageForm, PostForm, markdown_for
from sitrep.media.models import MediaFile
from sitrep.posts.models import Outlet, Post
from sitrep.posts.services import Action, ClipData, clips_already_used, post_write


def home(request):
    if request.user.is_authenticated and not can_edit_posts(request.user):
        if can_moderate(request.user):
            return redirect("desk:queue")  # moderators work in the queue
    return _home(request)


@editor_required
def _home(request):
    posts = Post.objects.select_related("author").order_by("-updated", "-id")
    status = request.GET.get("status", "")
    if status in Post.Status.values:
        posts = posts.filter(status=status)
    page = paginate(request, posts, 30)
    held = Comment.objects.filter(status=Comment.Status.HELD).count()
    return render(
        request,
        "desk/home.html",
        {"page": page, "status": status, "held": held, "now": timezone.now()},
    )


def _initial_for(post: Post):
    initial = {
        "headline": post.headline,
        "text": post.text,
        "text_position": post.text_position,
        "note": post.note,
        "labels": ", ".join(label.name for label in post.labels.all()),
        "published_at": timezone.localtime(post.published_at) if post.published_at else None,
        "comments_open": post.comments_open,
        "lead_image": post.lead_image_id,
    }
    clips = [
        {
            "outlet_name": c.outlet.name,
            "authors": c.authors,
            "source_headline": c.source_headline,
            "url": c.url,
            "source_published": c.source_published,
            "excerpt": c.excerpt,
        }
        for c in post.clips.select_related("outlet")
    ]
    return initial, clips


def _clip_data(formset) -> list[ClipData]:
    return [
        ClipData(
            outlet_name=f.cleaned_data["outlet_name"],
            source_headline=f.cleaned_data["source_headline"],
            url=f.cleaned_data["url"],
            excerpt=f.cleaned_data["excerpt"],
            authors=f.cleaned_data.get("authors", ""),
            source_published=f.cleaned_data.get("source_published"),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _save(request, post, form, formset, action):
    return post_write(
        post=post,
        author=post.author if post else request.user,
        headline=form.cleaned_data["headline"],
        clips=_clip_data(formset),
        note=form.cleaned_data["note"],
        text=form.cleaned_data["text"],
        text_position=form.cleaned_data["text_position"],
        text_format=post.text_format if post else Post.TextFormat.MARKDOWN,
        labels=form.label_names(),
        action=action,
        published_at=form.cleaned_data["published_at"],
        lead_image=form.cleaned_data["lead_image"],
    )


def _preview_html(request, post, form, formset) -> str:
    """Render the post exactly as readers will see it, from a save that is rolled back."""
    with transaction.atomic():
        previewed = _save(request, post, form, formset, Action.SAVE)
        previewed = Post.objects.for_listing().get(pk=previewed.pk)
        html = render_to_string(
            "posts/includes/_post.html", {"post": previewed, "preview": True}, request=request
        )
        transaction.set_rollback(True)
    return html


def _prefill(request):
    """Clips filled from pasted/bookmarked URLs or inbox items (fetched and extracted)."""
    items = list(
        InboxItem.objects.filter(pk__in=[i for i in request.GET.getlist("item") if i.isdigit()])
    )
    sources = [(item.url, "", item) for item in items if item.url]
    if request.GET.get("url"):
        sources.append((request.GET["url"], request.GET.get("selection", ""), None))
    clips, problems = [], []
    for url, selection, item in sources:
        draft = clip_extract(url, selection=selection)
        if item and not draft.source_headline:
            draft.source_headline = item.title
        if item and not draft.outlet_name and item.feed.outlet:
            draft.outlet_name = item.feed.outlet.name
        if draft.error:
            problems.append(f"{url}: {draft.error}. Fill in the rest by hand.")
        clips.append(
            {
                "outlet_name": draft.outlet_name,
                "authors": draft.authors,
                "source_headline": draft.source_headline,
                "url": draft.url,
                "source_published": draft.source_published,
                "excerpt": draft.excerpt,
            }
        )
    initial = {
        "headline": clips[0]["source_headline"] if len(clips) == 1 else "",
        "inbox_items": ",".join(str(item.pk) for item in items),
    }
    return initial, clips or [{}], problems


def _image_place(request, image_form: ImageForm, data, *, announce: bool) -> bool:
    """Take an image the editor attached into the library and put it where they chose (the lead
    image, or the end of their text), whatever button they pressed: a file chosen and then
    "Publish" pressed is not lost. Returns False when the attached file was refused."""
    if not image_form.has_file() and not image_form.file_required:
        return True
    if not image_form.is_valid():
        return False
    media = image_form.cleaned_data["media"]
    if image_form.cleaned_data.get("place") == "lead":
        data["lead_image"] = str(media.pk)
        done = "The image is the lead image."
    else:
        markdown = markdown_for(media, image_form.cleaned_data["alt"])
        data["text"] = (data.get("text", "").rstrip() + "\n\n" + markdown).lstrip()
        done = "The image is at the end of your text."
    if announce:
        messages.success(request, f"{done} Save the post to keep it there.")
    record("media.upload", target=f"{media.file.name} (#{media.pk})", target_url=media.url)
    return True


SUCCESS = {
    Action.SAVE: "Saved.",
    Action.PUBLISH: "Published.",
    Action.UNPUBLISH: "Unpublished: the post is a draft again.",
}


@editor_required
@require_http_methods(["GET", "POST"])
def compose(request, post_id: int | None = None):
    post = get_object_or_404(Post, pk=post_id) if post_id else None
    preview = ""
    fetch_problems: list[str] = []
    if request.method == "GET":
        initial, clips = _initial_for(post) if post else ({}, [{}])
        if not post and (request.GET.get("url") or request.GET.getlist("item")):
            initial, clips, fetch_problems = _prefill(request)
        form = PostForm(initial=initial)
        formset = ClipFormSet(prefix="clips", initial=clips)
        image_form = ImageForm(prefix="image")
    else:
        action = request.POST.get("action", "save")
        data = request.POST.copy()
        if action == "add_clip":
            data["clips-TOTAL_FORMS"] = str(int(data.get("clips-TOTAL_FORMS", 1)) + 1)
        if action == "remove_lead":
            data["lead_image"] = ""
        image_form = ImageForm(
            data, request.FILES, prefix="image", file_required=action == "upload"
        )
        image_ok = _image_place(request, image_form, data, announce=action == "upload")
        form = PostForm(data)
        formset = ClipFormSet(data, prefix="clips")
        if image_ok and image_form.has_file():
            image_form = ImageForm(prefix="image")  # taken: the fields are free for the next
        if action in ("upload", "remove_lead"):
            image_ok = False  # the page comes back with the image in place, nothing saved
        if action != "add_clip" and image_ok and form.is_valid() and formset.is_valid():
            if action == "preview":
                preview = _preview_html(request, post, form, formset)
            elif action in SUCCESS:
                post = _save(request, post, form, formset, action)
                inbox_items_clipped(post=post, item_ids=form.inbox_item_ids())
                message = SUCCESS[action]
                if post.status == Post.Status.SCHEDULED:
                    local = timezone.localtime(post.published_at)
                    message = f"Scheduled for {local:%A %d %B %Y, %H:%M}."
                messages.success(request, message)
                return redirect("desk:edit", post_id=post.pk)
    urls = [f.cleaned_data.get("url") for f in formset.forms if getattr(f, "cleaned_data", None)]
    if not urls and post:
        urls = list(post.clips.values_list("url", flat=True))
    lead_id = form["lead_image"].value()
    context = {
        "post": post,
        "form": form,
        "formset": formset,
        "image_form": image_form,
        "lead": MediaFile.objects.filter(pk=lead_id).first() if str(lead_id).isdigit() else None,
        "preview": preview,
        "duplicates": clips_already_used([u for u in urls if u], exclude_post=post),
        "outlet_names": Outlet.objects.values_list("name", flat=True),
        "fetch_problems": fetch_problems,
    }
    return render(request, "desk/compose.html", context)
