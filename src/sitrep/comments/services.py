"""Writes to comments. Every refusal raises CommentRefused with a reason the reader sees."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sitrep.accounts.permissions import can_moderate
from sitrep.comments import spam
from sitrep.comments.models import Comment, DiscussionSettings, ModerationEvent
from sitrep.core.html import render_markdown
from sitrep.posts.models import Post


class CommentRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def comment_count_refresh(*, post_id: int) -> None:
    count = Comment.objects.filter(post_id=post_id, status=Comment.Status.VISIBLE).count()
    Post.objects.filter(pk=post_id).update(comment_count=count)


@transaction.atomic
def comment_submit(
    *,
    post: Post,
    body: str,
    ip_hash: str,
    user=None,
    author_name: str = "",
    author_website: str = "",
    parent_id: int | None = None,
    honeypot: str = "",
    now: dt.datetime | None = None,
) -> Comment:
    """Store a reader's comment, visible or held, after every guard in comments.spam passed.

    Atomic. Raises CommentRefused(reason) and stores nothing when a guard, the site's
    commenting mode or the post's state says no.
    """
    now = now or timezone.now()
    user = user if (user is not None and user.is_authenticated) else None
    policy = DiscussionSettings.current()
    if not post.is_live(now) or not post.comments_open:
        raise CommentRefused("Comments are closed on this post.")
    author_name = " ".join(author_name.split())
    if user is None and policy.mode == DiscussionSettings.Mode.ACCOUNTS:
        raise CommentRefused("Please sign in to comment.")
    if user is None and policy.mode == DiscussionSettings.Mode.NAMED and not author_name:
        raise CommentRefused("Please give a name with your comment.")

    # Editors are not rate limited or held: they are the moderators.
    trusted = user is not None and can_moderate(user)
    recent = 0
    if ip_hash and not trusted:
        recent = Comment.objects.filter(
            ip_hash=ip_hash, created__gte=now - spam.RATE_LIMIT_WINDOW
        ).count()
    for verdict in (
        spam.check_honeypot(honeypot),
        spam.check_body(body),
        spam.check_name(author_name, user=user),
        spam.check_rate(recent_count=recent),
    ):
        if not verdict.ok:
            raise CommentRefused(verdict.reason)

    parent = None
    if parent_id:
        parent = Comment.objects.shown_in_thread().filter(post=post, pk=parent_id).first()
        if parent is None:
            raise CommentRefused("The comment you replied to is no longer there.")

    if user is not None:
        kind = Comment.AuthorKind.ACCOUNT
    elif author_name:
        kind = Comment.AuthorKind.NAMED
    else:
        kind = Comment.AuthorKind.ANONYMOUS
    held = policy.hold_all and not trusted
    comment = Comment.objects.create(
        post=post,
        parent=parent,
        author_kind=kind,
        author_name=author_name if kind == Comment.AuthorKind.NAMED else "",
        author_website=author_website if kind == Comment.AuthorKind.NAMED else "",
        user=user,
        body=body,
        body_html=render_markdown(body),
        status=Comment.Status.HELD if held else Comment.Status.VISIBLE,
        created=now,
        ip_hash=ip_hash,
    )
    if held:
        ModerationEvent.objects.create(
            comment=comment, action=ModerationEvent.Action.HOLD, reason="All new comments are held"
        )
    comment_count_refresh(post_id=post.pk)
    return comment


_STATUS_FOR = {
    ModerationEvent.Action.APPROVE: Comment.Status.VISIBLE,
    ModerationEvent.Action.REMOVE: Comment.Status.REMOVED,
    ModerationEvent.Action.SPAM: Comment.Status.SPAM,
    ModerationEvent.Action.HOLD: Comment.Status.HELD,
}


@transaction.atomic
def comment_moderate(*, comment: Comment, actor, action: str, reason: str = "") -> Comment:
    """Approve, remove, hold or mark spam, and record it in the moderation log.

    Assumes the caller checked can_moderate(actor). Idempotent in effect: repeating an action
    leaves the status as it was (each decision is still logged).
    """
    comment.status = _STATUS_FOR[action]
    comment.save(update_fields=["status"])
    ModerationEvent.objects.create(comment=comment, actor=actor, action=action, reason=reason)
    comment_count_refresh(post_id=comment.post_id)
    return comment
