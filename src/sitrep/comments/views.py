from __future__ import annotations

import functools
import time
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from markupsafe import Markup

from sitrep.accounts.permissions import can_edit_posts, can_moderate
from sitrep.comments import spam
from sitrep.comments.forms import CommentEditForm, CommentForm, ModerationForm
from sitrep.comments.models import Comment, DiscussionSettings, ModerationEvent
from sitrep.comments.selectors import (
    SENTINEL_ID,
    anonymous_own_comments,
    comment_location,
    discussion_policy,
    page_count,
    recent_own_comments,
    removal_reasons,
    thread_page,
)
from sitrep.comments.services import (
    EDIT_WINDOW,
    CommentRefused,
    active_ban,
    ban_message,
    can_change_own,
    comment_delete_own,
    comment_edit_own,
    comment_flag,
    comment_moderate,
    comment_submit,
    commenter_ban,
)
from sitrep.comments.signals import comment_posted
from sitrep.core import cache as cache_keys
from sitrep.core.client import request_ip_hash
from sitrep.core.crossorigin import same_origin_only
from sitrep.core.redirects import next_url
from sitrep.pages.cache import (  # OWN_COOKIE: a signed list of this browser's comments
    CSRF_HOLE,
    FORM_HOLE,
    NAME_HOLE,
    OWN_COOKIE,
    csrf_filled,
    mark_personal,
    public_page,
)
from sitrep.posts.models import Post
from sitrep.posts.views import sidebar_context, with_detail


def owned_ids(request) -> list[int]:
    try:
        raw = request.get_signed_cookie(OWN_COOKIE, default="", salt="sitrep.own")
    except signing.BadSignature:
        return []
    return [int(i) for i in raw.split(",") if i.isdigit()][-20:]


OWN_MARK = b"<!--own:%d-->"  # after each visible comment in a thread rendered for everyone


@functools.cache
def _own_actions() -> str:
    """The edit and delete links, rendered once per process for SENTINEL_ID."""
    return render_to_string("comments/includes/_own_actions.html", {"id": SENTINEL_ID})


def own_actions(pk) -> Markup:
    """The edit and delete links of comment `pk`."""
    return Markup(_own_actions().replace(str(SENTINEL_ID), str(pk)))


def own_links(request, body: bytes, user_id: int | None) -> bytes:
    """A page of a thread rendered once for everyone, with this reader's edit and delete links
    put in after their own comments (by account, or by this browser's signed cookie) still
    within EDIT_WINDOW. Run by the page cache for every post page a commenter gets, cached or
    not, so a commenter's fifteen minutes of edit links no longer cost a rendering per view."""
    if b"<!--own:" not in body:
        return body
    since = timezone.now() - EDIT_WINDOW
    mine = set()
    if user_id:
        mine.update(pk for pk, created in recent_own_comments(user_id, since=since)
                    if created >= since and OWN_MARK % pk in body)  # fmt: skip
    cookie = [pk for pk in owned_ids(request) if OWN_MARK % pk in body]
    if cookie:
        mine.update(anonymous_own_comments(cookie, since=since))
    if not mine:
        return body
    for pk in mine:
        body = body.replace(OWN_MARK % pk, own_actions(pk).encode())
    return body


def thread_html(thread, post, reasons, *, moderator_request=None) -> str:
    """The comments of one page of a thread: as every plain reader sees them (edit links left
    to the page cache, see OWN_MARK), or with a moderator's buttons for `moderator_request`.

    A Jinja2 template: it is rendered once per comment, and Django's template language took
    several times as long for it (bench/README.md)."""
    template = engines["jinja2"].get_template("comments/includes/_thread.jinja")
    context = {
        "thread": thread,
        "post": post,
        "removal_reasons": reasons,
        "can_moderate": moderator_request is not None,
        "own_actions": own_actions,
    }
    return mark_safe(template.render(context, request=moderator_request))


def _comment_form(request, data=None):
    policy = discussion_policy()
    form = CommentForm(
        data,
        user=request.user,
        require_name=policy.mode == DiscussionSettings.Mode.NAMED,
        initial={
            "parent_id": request.GET.get("reply"),
            "form_token": spam.form_token(time.time()),
        },
    )
    return form, policy


def _ban_notice(request) -> str:
    user = request.user if request.user.is_authenticated else None
    ban = active_ban(user=user, ip_hash=request_ip_hash(request))
    return ban_message(ban) if ban else ""


def _page_number(request) -> int:
    raw = request.GET.get("comments", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def render_detail(request, post, form, policy, *, status=200, refusal=""):
    with_detail(post, request)
    moderator = can_moderate(request.user)
    context = {
        "post": post,
        "form": form,
        "policy": policy,
        "refusal": refusal,
        "replying_to": _replying_to(post, form),
        "can_moderate": moderator,
        # A banned commenter sees why at once, instead of writing a comment first.
        "ban_notice": _ban_notice(request),
        **sidebar_context(),
    }
    if context["ban_notice"]:
        mark_personal(request)  # this reader's ban: never a page for others
    if moderator:
        # Moderation buttons on every comment: this page of the thread is theirs. (A plain
        # reader's own edit links go into the shared rendering: own_links, by the page cache.)
        mark_personal(request)
        thread = thread_page(post, _page_number(request))
        own, now = set(owned_ids(request)), timezone.now()
        for entry in thread:
            entry.changeable = can_change_own(
                entry.comment, user=request.user, owned_ids=own, now=now
            )
        reasons = removal_reasons(thread) if policy.public_log else {}
        context.update(
            thread=thread,
            thread_html=thread_html(thread, post, reasons, moderator_request=request),
        )
    else:
        context["discussion_html"] = _discussion_html(request, post, policy)
    if not (form.is_bound or context["replying_to"] or refusal or context["ban_notice"]):
        context["form_html"] = _form_html(request, post, form, policy)
    return render(request, "comments/post_page.html", context, status=status)


def _form_html(request, post, form, policy) -> str:
    """The empty comment form, rendered once per post and kind of reader (signed in or not)
    with holes for the CSRF token, the time stamp and the reader's name: Django renders each
    widget through a template, and the seven of them were a third of a signed-in reader's
    post page."""
    signed_in = request.user.is_authenticated
    key = cache_keys.key(
        "comment-form", post.pk, post.comments_open, signed_in,
        policy.mode, policy.hold_all, policy.public_log,
    )  # fmt: skip

    def render():
        reader = SimpleNamespace(is_authenticated=True, display_name=NAME_HOLE)
        blank = CommentForm(
            user=reader if signed_in else None,
            require_name=policy.mode == DiscussionSettings.Mode.NAMED,
            initial={"form_token": FORM_HOLE},
        )
        return render_to_string(
            "comments/includes/_form.html",
            {"post": post, "form": blank, "policy": policy, "csrf_token": CSRF_HOLE,
             "user": reader if signed_in else AnonymousUser()},
        )  # fmt: skip

    html = cache.get_or_set(key, render, THREAD_MAX_AGE)
    html = html.replace(FORM_HOLE, str(form["form_token"].value()))
    if signed_in:
        html = html.replace(NAME_HOLE, escape(request.user.display_name()))
    return mark_safe(csrf_filled(html, request))


def _replying_to(post, form):
    parent_id = str(form["parent_id"].value() or "")
    if not parent_id.isdigit():
        return None
    return Comment.objects.shown_in_thread().filter(post=post, pk=parent_id).first()


THREAD_MAX_AGE = 3600  # a safety net: any write moves the generation on and retires it


def _discussion_html(request, post, policy) -> str:
    """A page of the post's comments with its pagers, as every plain reader sees it, rendered
    once per change.

    Readers the page cache does not serve (signed in, or with a message waiting) would otherwise
    order the thread, load 200 comments and render them on each view; from the cache it costs
    one read (and a count for a page past the first). Moderators see buttons on every comment,
    so they get a fresh rendering instead (the caller decides)."""
    number = _page_number(request)
    if number > 1:  # a later page, or a made-up number: the thread's last page at most
        shown = Comment.objects.shown_in_thread().filter(post=post).count()
        number = min(number, page_count(shown))
    key = cache_keys.key("discussion", post.pk, number, post.comments_open, policy.public_log)

    def render():
        thread = thread_page(post, number)
        reasons = removal_reasons(thread) if policy.public_log else {}
        return render_to_string(
            "comments/includes/_discussion.html",
            {"post": post, "thread": thread, "thread_html": thread_html(thread, post, reasons)},
        )

    html = cache.get_or_set(key, render, THREAD_MAX_AGE)
    return mark_safe(csrf_filled(html, request))


def _live_post_or_404(request, **lookup):
    """The post, if readers may see it (what its page shows comes from posts.views.with_detail)."""
    post = get_object_or_404(Post, **lookup)
    if not post.is_live() and not can_edit_posts(request.user):
        raise Http404("No such post")
    return post


@require_GET
@public_page
def post_detail(request, year: int, month: str, slug: str):
    post = _live_post_or_404(request, slug=slug)
    if post.get_absolute_url() != request.path:
        return redirect(post, permanent=True)  # an old or mistyped date still finds the post
    form, policy = _comment_form(request)
    return render_detail(request, post, form, policy)


@same_origin_only
@require_POST
def comment_create(request, post_id: int):
    post = _live_post_or_404(request, pk=post_id)
    form, policy = _comment_form(request, request.POST)
    if not form.is_valid():
        return render_detail(request, post, form, policy, status=400)
    data = dict(form.cleaned_data)
    notify_email = data.pop("notify_email", "")
    try:
        comment = comment_submit(
            post=post, user=request.user, ip_hash=request_ip_hash(request), policy=policy,
            **data,
        )  # fmt: skip
    except CommentRefused as refused:
        return render_detail(request, post, form, policy, status=400, refusal=refused.reason)
    comment_posted.send(Comment, comment=comment, notify_email=notify_email)
    if comment.status == Comment.Status.VISIBLE:
        messages.success(request, "Your comment is posted.")
        response = redirect(comment_location(comment))
    else:
        messages.info(
            request, "Thank you. Your comment will appear once a moderator has approved it."
        )
        response = redirect(post.get_absolute_url() + "#comments")
    if not request.user.is_authenticated:
        # Signed: the server puts the edit links into every page this browser gets for the
        # edit window (deploy/nginx.conf sends it to the app meanwhile).
        ids = ",".join(str(i) for i in [*owned_ids(request), comment.pk][-20:])
        response.set_signed_cookie(
            OWN_COOKIE, ids, salt="sitrep.own", max_age=int(EDIT_WINDOW.total_seconds()),
            httponly=True, samesite="Lax", secure=settings.SITREP_HTTPS,
        )  # fmt: skip
    return response


def _own_comment_or_403(request, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    if not can_change_own(comment, user=request.user, owned_ids=owned_ids(request)):
        raise PermissionDenied("The time to change this comment has passed.")
    return comment


@require_http_methods(["GET", "POST"])
def comment_edit(request, comment_id: int):
    comment = _own_comment_or_403(request, comment_id)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit_own(comment=comment, body=form.cleaned_data["body"])
        except CommentRefused as refused:
            refusal = refused.reason
        else:
            messages.success(request, "Your comment is updated.")
            return redirect(comment_location(comment))
    return render(
        request, "comments/edit.html", {"form": form, "comment": comment, "refusal": refusal}
    )


@same_origin_only
@require_POST
def comment_delete(request, comment_id: int):
    comment = _own_comment_or_403(request, comment_id)
    comment_delete_own(comment=comment)
    messages.success(request, "Your comment is deleted.")
    return redirect(comment.post.get_absolute_url() + "#comments")


@same_origin_only
@require_POST
def comment_flag_view(request, comment_id: int):
    comment = get_object_or_404(
        Comment.objects.select_related("post"), pk=comment_id, status=Comment.Status.VISIBLE
    )
    reporter = f"u{request.user.pk}" if request.user.is_authenticated else request_ip_hash(request)
    if comment_flag(comment=comment, reporter=reporter):
        messages.info(request, "Thank you. A moderator will have a look.")
    else:
        messages.info(request, "You have already flagged this comment.")
    return redirect(comment.post.get_absolute_url() + f"#c{comment.pk}")


@require_GET
def comment_permalink(request, comment_id: int):
    comment = get_object_or_404(
        Comment.objects.shown_in_thread().select_related("post"), pk=comment_id
    )
    if not comment.post.is_live():
        raise Http404("No such comment")
    return redirect(comment_location(comment))


@require_POST
def comment_moderate_view(request, comment_id: int):
    if not can_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
    form = ModerationForm(request.POST)
    if form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        if action == "ban":
            commenter_ban(comment=comment, actor=request.user, reason=reason)
            messages.success(request, f"Comment {comment.pk}: commenter banned for 30 days.")
        else:
            comment_moderate(comment=comment, actor=request.user, action=action, reason=reason)
            messages.success(
                request, f"Comment {comment.pk}: {comment.get_status_display().lower()}."
            )
    return redirect(
        next_url(request, comment.post.get_absolute_url(), target=form.data.get("next", ""))
    )


@require_GET
def moderation_log(request):
    """The public moderation log, when the site chooses to show one: decisions and reasons,
    never the text of spam."""
    if not discussion_policy().public_log:
        raise Http404("This site does not publish its moderation log")
    events = (
        ModerationEvent.objects.exclude(action__in=["refuse", "edit"])
        .select_related("comment__post")
        .order_by("-created", "-id")[:200]
    )
    return render(request, "comments/moderation_log.html", {"events": events, **sidebar_context()})
