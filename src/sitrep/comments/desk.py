"""The desk's comment screens: the queue, every comment, bans, purging, discussion settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sitrep.accounts.permissions import editor_required, moderator_required
from sitrep.comments.forms import REASONS, DiscussionSettingsForm
from sitrep.comments.models import Ban, BlockedWord, Comment, DiscussionSettings
from sitrep.comments.services import ban_lift, comment_moderate, commenter_ban, comments_purge
from sitrep.core.pagination import paginate
from sitrep.core.redirects import next_url
from sitrep.core.text import one_line

PURGE_AFTER = dt.timedelta(days=30)  # removed and spam comments are kept this long at least


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
        BlockedWord.objects.get_or_create(word=one_line(request.POST["word"])[:100])
    return redirect("desk:settings")
