from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from sitrep.accounts.permissions import can_edit_posts, can_moderate
from sitrep.comments.forms import CommentForm, ModerationForm
from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.comments.selectors import thread_for_post
from sitrep.comments.services import CommentRefused, comment_moderate, comment_submit
from sitrep.core.client import request_ip_hash
from sitrep.posts.models import Post
from sitrep.posts.views import sidebar_context


def _comment_form(request, data=None):
    policy = DiscussionSettings.current()
    form = CommentForm(
        data,
        user=request.user,
        require_name=policy.mode == DiscussionSettings.Mode.NAMED,
        initial={"parent_id": request.GET.get("reply")},
    )
    return form, policy


def render_detail(request, post, form, policy, *, status=200, refusal=""):
    thread = thread_for_post(post)
    replying_to = None
    parent_id = form["parent_id"].value()
    if parent_id:
        replying_to = next((e.comment for e in thread if str(e.comment.pk) == str(parent_id)), None)
    context = {
        "post": post,
        "thread": thread,
        "form": form,
        "policy": policy,
        "refusal": refusal,
        "replying_to": replying_to,
        "can_moderate": can_moderate(request.user),
        **sidebar_context(),
    }
    return render(request, "posts/detail.html", context, status=status)


def _live_post_or_404(request, **lookup):
    post = get_object_or_404(Post.objects.for_listing(), **lookup)
    if not post.is_live() and not can_edit_posts(request.user):
        raise Http404("No such post")
    return post


@require_GET
def post_detail(request, year: int, month: str, slug: str):
    post = _live_post_or_404(request, slug=slug)
    if post.get_absolute_url() != request.path:
        return redirect(post, permanent=True)  # an old or mistyped date still finds the post
    form, policy = _comment_form(request)
    return render_detail(request, post, form, policy)


@require_POST
def comment_create(request, post_id: int):
    post = _live_post_or_404(request, pk=post_id)
    form, policy = _comment_form(request, request.POST)
    if not form.is_valid():
        return render_detail(request, post, form, policy, status=400)
    try:
        comment = comment_submit(
            post=post, user=request.user, ip_hash=request_ip_hash(request), **form.cleaned_data
        )
    except CommentRefused as refused:
        return render_detail(request, post, form, policy, status=400, refusal=refused.reason)
    if comment.status == Comment.Status.VISIBLE:
        messages.success(request, "Your comment is posted.")
        return redirect(comment.get_absolute_url())
    messages.info(request, "Thank you. Your comment will appear once an editor has approved it.")
    return redirect(post.get_absolute_url() + "#comments")


@require_GET
def comment_permalink(request, comment_id: int):
    comment = get_object_or_404(
        Comment.objects.shown_in_thread().select_related("post"), pk=comment_id
    )
    if not comment.post.is_live():
        raise Http404("No such comment")
    return redirect(comment.get_absolute_url())


@require_POST
def comment_moderate_view(request, comment_id: int):
    if not can_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    form = ModerationForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        comment_moderate(
            comment=comment, actor=request.user, action=action, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Comment {comment.pk}: {comment.get_status_display().lower()}.")
    next_url = form.data.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = comment.post.get_absolute_url()
    return redirect(next_url)
