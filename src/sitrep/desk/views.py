"""The editor's desk: compose, preview, publish; moderate comments; discussion settings."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import (
    can_edit_posts,
    can_moderate,
    editor_required,
    moderator_required,
)
from sitrep.comments.forms import REASONS
from sitrep.comments.models import Ban, BlockedWord, Comment, DiscussionSettings
from sitrep.comments.services import (
    ban_lift,
    comment_moderate,
    commenter_ban,
    comments_purge,
)
from sitrep.core.pagination import paginate
from sitrep.core.redirects import next_url
from sitrep.curation.extract import clip_extract
from sitrep.curation.models import InboxItem
from sitrep.curation.services import inbox_items_clipped
from sitrep.desk.forms import ClipFormSet, DiscussionSettingsForm, ImportForm, PostForm
from sitrep.importers.models import ImageCopy, ImportRun
from sitrep.importers.runs import (
    images_summary,
    import_run_images_retry,
    import_run_progress,
    import_run_start,
)
from sitrep.importers.sitrep_jsonl import export
from sitrep.posts.models import Outlet, Post
from sitrep.posts.services import Action, ClipData, clips_already_used, post_write

IMPORT_MAX_BYTES = 256 * 2**20  # through the browser; the command line takes any size
PURGE_AFTER = dt.timedelta(days=30)  # removed and spam comments are kept this long at least


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
    else:
        action = request.POST.get("action", "save")
        data = request.POST.copy()
        if action == "add_clip":
            data["clips-TOTAL_FORMS"] = str(int(data.get("clips-TOTAL_FORMS", 1)) + 1)
        form = PostForm(data)
        formset = ClipFormSet(data, prefix="clips")
        if action != "add_clip" and form.is_valid() and formset.is_valid():
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
    context = {
        "post": post,
        "form": form,
        "formset": formset,
        "preview": preview,
        "duplicates": clips_already_used([u for u in urls if u], exclude_post=post),
        "outlet_names": Outlet.objects.values_list("name", flat=True),
        "fetch_problems": fetch_problems,
    }
    return render(request, "desk/compose.html", context)


@moderator_required
def comments(request):
    status = request.GET.get("status", "")
    queryset = Comment.objects.select_related("post", "user").order_by("-created", "-id")
    if status in Comment.Status.values:
        queryset = queryset.filter(status=status)
    page = paginate(request, queryset, 50)
    counts = {s: Comment.objects.filter(status=s).count() for s in Comment.Status.values}
    return render(request, "desk/comments.html", {"page": page, "status": status, "counts": counts})


@editor_required
@require_http_methods(["GET", "POST"])
def discussion_settings(request):
    form = DiscussionSettingsForm(request.POST or None, instance=DiscussionSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()  # pages showing the policy go stale (comments/receivers.py)
        messages.success(request, "Discussion settings saved.")
        return redirect("desk:settings")
    context = {"form": form, "blocked_words": BlockedWord.objects.order_by("word")}
    return render(request, "desk/settings.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """Upload an export: the worker imports it, and its page shows how far it has got."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                f"{upload.name} is larger than {IMPORT_MAX_BYTES // 2**20} MB; import it on the "
                "server with `sitrep import`, which has no such limit.",
            )
        else:
            run = import_run_start(upload=upload, fmt=form.cleaned_data["format"], by=request.user)
            return redirect("desk:import_run", run_id=run.pk)
    runs = ImportRun.objects.all()[:20]
    return render(request, "desk/import.html", {"form": form, "runs": runs})


@editor_required
def import_run_view(request, run_id: int):
    """One import: its progress while the worker runs it, then its report and its images."""
    run = get_object_or_404(ImportRun, pk=run_id)
    failed = run.images.filter(status=ImageCopy.Status.FAILED).order_by("id")
    context = {
        "run": run,
        "progress": import_run_progress(run),
        "images": images_summary(run),
        "failed_images": failed[:500],
    }
    return render(request, "desk/import_run.html", context)


@editor_required
@require_POST
def import_images_retry(request, run_id: int):
    """Try the images that could not be copied once more."""
    run = get_object_or_404(ImportRun, pk=run_id)
    import_run_images_retry(run=run)
    return redirect("desk:import_run", run_id=run.pk)


@editor_required
def export_view(request):
    """The whole site as one JSON-lines file (see importers/sitrep_jsonl.py for the format)."""
    spool = tempfile.TemporaryFile(mode="w+b")
    with open(spool.fileno(), "w", encoding="utf-8", closefd=False) as text:
        export(text)
    spool.seek(0)
    name = f"sitrep-export-{timezone.localdate():%Y-%m-%d}.jsonl"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/jsonl")


@moderator_required
def queue(request):
    """Held and spam comments, oldest first, each with the signals that put it here."""
    comments = (
        Comment.objects.filter(status__in=[Comment.Status.HELD, Comment.Status.SPAM])
        .select_related("post", "user")
        .annotate(flag_count=Count("flags"))
        .order_by("created", "id")
    )
    show = request.GET.get("show", "held")
    if show in (Comment.Status.HELD, Comment.Status.SPAM):
        comments = comments.filter(status=show)
    page = paginate(request, comments, 50)
    counts = {s: Comment.objects.filter(status=s).count() for s in (Comment.Status.HELD, "spam")}
    return render(
        request,
        "desk/queue.html",
        {"page": page, "show": show, "counts": counts, "reasons": REASONS},
    )


@moderator_required
@require_POST
def queue_bulk(request):
    """One decision for every ticked comment (approve, remove, spam or ban), each logged."""
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:300]
    ids = [int(i) for i in request.POST.getlist("comment") if i.isdigit()]
    done = 0
    for comment in Comment.objects.filter(pk__in=ids).select_related("post"):
        if action == "ban":
            commenter_ban(comment=comment, actor=request.user, reason=reason)
        elif action in ("approve", "remove", "spam"):
            comment_moderate(comment=comment, actor=request.user, action=action, reason=reason)
        else:
            break
        done += 1
    messages.success(request, f"{done} comment{'s' if done != 1 else ''}: {action or 'nothing'}.")
    return redirect(next_url(request, "desk:queue"))


@moderator_required
@require_http_methods(["GET", "POST"])
def bans(request):
    if request.method == "POST" and request.POST.get("lift"):
        ban = Ban.objects.filter(pk=request.POST["lift"]).first()
        if ban:
            ban_lift(ban=ban, actor=request.user)
            messages.success(request, "Ban lifted.")
        return redirect("desk:bans")
    now = timezone.now()
    active = Ban.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return render(request, "desk/bans.html", {"bans": active.select_related("created_by")})


@moderator_required
@require_POST
def purge(request):
    count = comments_purge(actor=request.user, older_than=PURGE_AFTER)
    messages.success(request, f"Purged {count} removed or spam comments older than 30 days.")
    return redirect("desk:comments")


@editor_required
@require_POST
def blocked_words(request):
    if request.POST.get("remove"):
        BlockedWord.objects.filter(pk=request.POST["remove"]).delete()
    elif request.POST.get("word", "").strip():
        BlockedWord.objects.get_or_create(word=" ".join(request.POST["word"].split())[:100])
    return redirect("desk:settings")
