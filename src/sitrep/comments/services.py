"""Writes to comments. Every refusal raises CommentRefused with a reason the reader sees;
every moderation decision writes a ModerationEvent."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sitrep.accounts.permissions import can_moderate
from sitrep.accounts.selectors import fold_name
from sitrep.comments import bayes, spam
from sitrep.comments.links import comment_html
from sitrep.comments.models import (
    Ban,
    Comment,
    DiscussionSettings,
    Flag,
    ModerationEvent,
)
from sitrep.comments.selectors import (
    History,
    blocked_words,
    commenter_history,
    discussion_policy,
    live_bans,
)
from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.cache import window_count
from sitrep.core.text import one_line
from sitrep.posts.models import Post

# A commenter may fix a typo or take a comment back for this long after posting.
EDIT_WINDOW = dt.timedelta(minutes=15)
# A flood from many addresses gets past per-address limits. Past this many new comments from
# readers in ten minutes, site-wide, new ones from anonymous and named commenters are refused
# until the wave passes; signed-in readers and moderators can still comment. A busy war-news
# thread sees tens of comments in ten minutes, not hundreds.
FLOOD_LIMIT = 300
FLOOD_WINDOW = dt.timedelta(minutes=10)


class CommentRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def comment_count_refresh(*, post_id: int) -> None:
    """Recount visible comments. Cached pages go stale only when the count really changed: a
    held or spam comment (a flood, say) changes nothing readers see."""
    count = Comment.objects.filter(post_id=post_id, status=Comment.Status.VISIBLE).count()
    if Post.objects.filter(pk=post_id).exclude(comment_count=count).update(comment_count=count):
        transaction.on_commit(cache_generation_bump)


def comment_counts_refresh(*, post_ids: list[int]) -> None:
    """comment_count_refresh for many posts (after a bulk write), a statement per thousand."""
    visible = (
        Comment.objects.filter(post=OuterRef("pk"), status=Comment.Status.VISIBLE)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for start in range(0, len(post_ids), 1000):
        Post.objects.filter(pk__in=post_ids[start : start + 1000]).update(
            comment_count=Coalesce(Subquery(visible), 0)
        )
    transaction.on_commit(cache_generation_bump)


def comment_parents_set(*, parents: list[tuple[int, int]]) -> None:
    """Link replies to the comments they answer, (reply id, parent id) each, after a bulk
    write: one prepared statement run for every pair, because Django's bulk_update builds a
    CASE over the whole batch and was a large part of an import's time (bench/README.md)."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET parent_id = %s WHERE id = %s",
            [(parent, reply) for reply, parent in parents],
        )


def tripcode(secret: str) -> str:
    """A short public signature from a secret phrase: a keyed hash, so nobody can forge
    another's without the phrase, and the phrase itself is never stored."""
    if not secret:
        return ""
    key = hashlib.sha256(("sitrep-tripcode:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()[:10]


def active_ban(*, user=None, ip_hash: str = "", name: str = "", now=None) -> Ban | None:
    """The newest ban in force on this account, address or name, if any."""
    now = now or timezone.now()
    keys = [(Ban.Kind.ADDRESS, ip_hash)] if ip_hash else []
    if user is not None:
        keys.append((Ban.Kind.ACCOUNT, str(user.pk)))
    if name:
        keys.append((Ban.Kind.NAME, fold_name(name)))
    bans = live_bans(now)
    matching = [
        ban
        for key in keys
        for ban in bans.get(key, [])
        if ban.expires_at is None or ban.expires_at > now
    ]
    return max(matching, key=lambda ban: ban.created, default=None)


def ban_message(ban: Ban) -> str:
    until = f" until {timezone.localtime(ban.expires_at):%d %B %Y, %H:%M}" if ban.expires_at else ""
    reason = f" Reason: {ban.reason}." if ban.reason else ""
    return f"You cannot comment on this site{until}.{reason}"


def _rate(ip_hash: str, now) -> int:
    """Recent comments from this address: counted in the cache (shared across processes; Redis
    at scale), so a flood never makes the database count on every request."""
    window = int(spam.RATE_LIMIT_WINDOW.total_seconds())
    return window_count(f"rate:{ip_hash}", window, now) - 1


def _flooded(now) -> bool:
    """Count this comment into the site-wide window (in the cache) and say if past the limit."""
    window = int(FLOOD_WINDOW.total_seconds())
    return window_count("flood", window, now) > FLOOD_LIMIT


def comment_submit(
    *,
    post: Post,
    body: str,
    ip_hash: str,
    user=None,
    author_name: str = "",
    author_website: str = "",
    author_handle: str = "",
    parent_id: int | None = None,
    honeypot: str = "",
    secret: str = "",
    form_token: str | None = None,
    screened: bool = True,
    now: dt.datetime | None = None,
    policy: DiscussionSettings | None = None,
) -> Comment:
    """Store a reader's comment: visible, held for a moderator, or filed as spam. Three steps:
    refuse (raise CommentRefused(reason), storing nothing), screen (the score in
    comments.spam decides the status), store.

    Refusing and screening only read, so they run before the write transaction: on SQLite a
    transaction holds the one write lock from its start, and every other commenter waits for
    it. Storing (comment, moderation event or count) is one atomic step.

    `form_token` is the comment form's signed time stamp; None means "not from a form"
    (imports, demo content, tests of other rules) and skips the timing signal.
    `screened=False` is for the site's own content (the demo week): no score, no hold.
    `policy` is the discussion settings when the caller has read them already (the view).
    `author_handle` (@name@server) makes it a reply from the fediverse: `author_name` is then
    the writer's display name, `author_website` their profile, and `ip_hash` a hash of their
    account, so rate limits and bans apply to it as to an address.
    """
    now = now or timezone.now()
    user = user if (user is not None and user.is_authenticated) else None
    policy = policy or discussion_policy()
    author_name = one_line(author_name)
    # Moderators are not rate limited, scored or held: they are the ones who would review it.
    trusted = (user is not None and can_moderate(user)) or not screened
    body_hash = hashlib.sha256(" ".join(body.lower().split()).encode()).hexdigest()
    admitted = _refuse(
        post=post, body=body, user=user, author_name=author_name, ip_hash=ip_hash,
        honeypot=honeypot, body_hash=body_hash, parent_id=parent_id, trusted=trusted,
        policy=policy, now=now,
    )  # fmt: skip
    body_html, linked = comment_html(body)
    status, scored = _screen(
        body=body, user=user, admitted=admitted, linked=linked, form_token=form_token,
        policy=policy, now=now,
    )  # fmt: skip
    if user is not None:
        kind = Comment.AuthorKind.ACCOUNT
    elif author_handle:
        kind = Comment.AuthorKind.FEDIVERSE
    elif author_name:
        kind = Comment.AuthorKind.NAMED
    else:
        kind = Comment.AuthorKind.ANONYMOUS
    named = kind in (Comment.AuthorKind.NAMED, Comment.AuthorKind.FEDIVERSE)
    comment = Comment(
        post=post,
        parent=admitted.parent,
        author_kind=kind,
        author_name=author_name if named else "",
        author_website=author_website if named else "",
        author_handle=author_handle if kind == Comment.AuthorKind.FEDIVERSE else "",
        user=user,
        body=body,
        body_html=body_html,
        status=status,
        created=now,
        ip_hash=ip_hash,
        tripcode=tripcode(secret) if kind != Comment.AuthorKind.ACCOUNT else "",
        spam_score=scored.points,
        signals=scored.signals,
        body_hash=body_hash,
    )
    _store(comment)
    return comment


@dataclass
class _Admitted:
    """What refusing learnt that screening and storing use."""

    history: History | None  # None for trusted commenters, who are not screened
    recent: int  # this address's comments in the rate-limit window
    parent: Comment | None


def _refuse(
    *, post, body, user, author_name, ip_hash, honeypot, body_hash, parent_id, trusted, policy,
    now,
) -> _Admitted:  # fmt: skip
    """Raise CommentRefused when the comment may not be stored at all: the post is closed, the
    site's rules want a name or an account, the commenter is banned, a flood, a hard guard
    (honeypot, length, a name that is not theirs, the rate limit), or a parent that is gone."""
    if not post.is_live(now) or not post.comments_open:
        raise CommentRefused("Comments are closed on this post.")
    if user is None and policy.mode == DiscussionSettings.Mode.ACCOUNTS:
        raise CommentRefused("Please sign in to comment.")
    if user is None and policy.mode == DiscussionSettings.Mode.NAMED and not author_name:
        raise CommentRefused("Please give a name with your comment.")
    ban = active_ban(user=user, ip_hash=ip_hash, name=author_name, now=now)
    if ban:
        raise CommentRefused(ban_message(ban))
    if not trusted and user is None and _flooded(now):
        raise CommentRefused(
            "So many comments are arriving that new anonymous comments are paused for a few "
            "minutes. Please try again shortly, or sign in to comment."
        )
    history, recent = None, 0
    if not trusted:
        history = commenter_history(
            user_id=user.pk if user else None,
            ip_hash=ip_hash,
            body_hash=body_hash,
            recent_since=now - spam.RATE_LIMIT_WINDOW,
            repeat_since=now - spam.REPEAT_WINDOW,
        )
        if ip_hash:
            recent = max(_rate(ip_hash, now), history.recent)
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
    return _Admitted(history=history, recent=recent, parent=parent)


def _screen(
    *, body, user, admitted: _Admitted, linked, form_token, policy, now
) -> tuple[str, spam.Scored]:
    """The status a stored comment gets, and the signals behind it (moderators see them)."""
    if admitted.history is None:
        return Comment.Status.VISIBLE, spam.Scored(0, [])
    first = not admitted.history.has_visible
    timed = form_token is not None
    scored = spam.score(
        body=body,
        elapsed=spam.seconds_since_form(form_token, now.timestamp()) if timed else None,
        recent_count=admitted.recent,
        first_comment=first,
        repeated=admitted.history.repeated,
        spam_domains=spam_domains(),
        blocked_words=blocked_words(),
        spam_probability=bayes.spam_probability(body),
        timed=timed,
    )
    status = Comment.Status.VISIBLE
    if policy.hold_links_from_new and spam.link_domains(body) and (first or user is None):
        scored.signals.append("links from an anonymous or first-time commenter")
        status = Comment.Status.HELD
    held_outlets = [o.name for o in linked if o.hold]
    if held_outlets:
        scored.signals.append("links to " + ", ".join(held_outlets) + " (editors hold these)")
        status = Comment.Status.HELD
    if scored.points >= spam.SPAM_AT:
        status = Comment.Status.SPAM
    elif scored.points >= spam.HOLD_AT or policy.hold_all:
        status = Comment.Status.HELD
    return status, scored


@transaction.atomic
def _store(comment: Comment) -> None:
    """Write the comment, and either its moderation event (held, spam) or one more on its
    post's count (visible)."""
    comment.save(force_insert=True)
    if comment.status != Comment.Status.VISIBLE:
        reason = "; ".join(comment.signals) or "All new comments are held"
        action = ModerationEvent.Action.SPAM if comment.status == Comment.Status.SPAM else "hold"
        ModerationEvent.objects.create(comment=comment, action=action, reason=reason[:300])
        return
    _count_one_more(comment.post_id)
    transaction.on_commit(cache_generation_bump)


def _count_one_more(post_id: int) -> None:
    """One more visible comment on the post: an increment, not a recount, written out because
    the ORM took longer to build it than the database to run it, inside the write lock every
    commenter waits for (bench/README.md, "comment_post.py")."""
    table = connection.ops.quote_name(Post._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET comment_count = comment_count + 1 WHERE id = %s", [post_id]
        )


def spam_domains() -> set[str]:
    """Domains linked from comments moderators marked spam (cached; a spam decision clears it)."""
    domains = cache.get("sitrep:spam-domains")
    if domains is None:
        domains = set()
        bodies = Comment.objects.filter(status=Comment.Status.SPAM).values_list("body", flat=True)
        for body in bodies.order_by("-created")[:2000]:
            domains.update(spam.link_domains(body))
        cache.set("sitrep:spam-domains", domains, 600)
    return domains


_STATUS_FOR = {
    ModerationEvent.Action.APPROVE: Comment.Status.VISIBLE,
    ModerationEvent.Action.REMOVE: Comment.Status.REMOVED,
    ModerationEvent.Action.SPAM: Comment.Status.SPAM,
    ModerationEvent.Action.HOLD: Comment.Status.HELD,
}


@transaction.atomic
def comment_moderate(*, comment: Comment, actor, action: str, reason: str = "") -> Comment:
    """Approve, remove, hold or mark spam, and record it in the moderation log.

    Assumes the caller checked can_moderate(actor). Marking spam, and approving a comment the
    guard had held, teach the classifier. Idempotent in effect.
    """
    before = comment.status
    comment.status = _STATUS_FOR[action]
    comment.save(update_fields=["status"])
    ModerationEvent.objects.create(comment=comment, actor=actor, action=action, reason=reason)
    if action == ModerationEvent.Action.SPAM and before != Comment.Status.SPAM:
        bayes.learn(comment.body, is_spam=True)
        cache.delete("sitrep:spam-domains")
    elif action == ModerationEvent.Action.APPROVE and before in (
        Comment.Status.HELD,
        Comment.Status.SPAM,
    ):
        bayes.learn(comment.body, is_spam=False)
    comment_count_refresh(post_id=comment.post_id)
    return comment


@transaction.atomic
def commenter_ban(
    *, comment: Comment, actor, reason: str = "", days: int | None = 30, now=None
) -> list[Ban]:
    """Ban the commenter of `comment` (account, address, and name when named) and remove the
    comment. `days=None` bans until lifted."""
    now = now or timezone.now()
    expires = now + dt.timedelta(days=days) if days else None
    bans = []
    targets = [(Ban.Kind.ADDRESS, comment.ip_hash)] if comment.ip_hash else []
    if comment.user_id:
        targets.append((Ban.Kind.ACCOUNT, str(comment.user_id)))
    if comment.author_kind == Comment.AuthorKind.NAMED:
        targets.append((Ban.Kind.NAME, fold_name(comment.author_name)))
    for kind, value in targets:
        bans.append(
            Ban.objects.create(
                kind=kind, value=value, reason=reason, expires_at=expires, created_by=actor
            )
        )
    ModerationEvent.objects.create(comment=comment, actor=actor, action="ban", reason=reason)
    if comment.status == Comment.Status.VISIBLE:
        comment_moderate(comment=comment, actor=actor, action="remove", reason=reason)
    return bans


@transaction.atomic
def ban_lift(*, ban: Ban, actor) -> None:
    """Lift a ban before it runs out; the log keeps who lifted which ban, since every decision
    about a commenter is logged."""
    what = f"{ban.get_kind_display()} ban of {timezone.localtime(ban.created):%d %B %Y}"
    reason = f"{what}: {ban.reason}" if ban.reason else what
    ModerationEvent.objects.create(
        actor=actor, action=ModerationEvent.Action.UNBAN, reason=reason[:300]
    )
    ban.delete()


@transaction.atomic
def comment_flag(*, comment: Comment, reporter: str) -> bool:
    """A reader flags a comment, once. Enough flags send it back to the queue. Returns whether
    this flag was new."""
    _, created = Flag.objects.get_or_create(comment=comment, reporter=reporter)
    threshold = discussion_policy().flags_to_hold
    if created and comment.status == Comment.Status.VISIBLE and comment.flags.count() >= threshold:
        comment.status = Comment.Status.HELD
        comment.signals = [*comment.signals, f"flagged by {threshold} readers"]
        comment.save(update_fields=["status", "signals"])
        ModerationEvent.objects.create(
            comment=comment, action="hold", reason=f"flagged by {threshold} readers"
        )
        comment_count_refresh(post_id=comment.post_id)
    return created


def can_change_own(comment: Comment, *, user=None, owned_ids=(), now=None) -> bool:
    """The author (by account, or by the signed cookie the form set) within EDIT_WINDOW."""
    now = now or timezone.now()
    if comment.status != Comment.Status.VISIBLE or now - comment.created > EDIT_WINDOW:
        return False
    if user is not None and user.is_authenticated and comment.user_id == user.pk:
        return True
    return comment.user_id is None and comment.pk in owned_ids


@transaction.atomic
def comment_edit_own(
    *, comment: Comment, body: str, reason: str = "within the edit window"
) -> Comment:
    verdict = spam.check_body(body)
    if not verdict.ok:
        raise CommentRefused(verdict.reason)
    comment.body = body
    comment.body_html, linked = comment_html(body)
    held = [o.name for o in linked if o.hold]
    if comment.user and can_moderate(comment.user):
        held = []
    if held and comment.status == Comment.Status.VISIBLE:
        comment.status = Comment.Status.HELD
        reason = "edited to link to " + ", ".join(held) + " (editors hold these)"
        ModerationEvent.objects.create(comment=comment, action="hold", reason=reason[:300])
    comment.save(update_fields=["body", "body_html", "status"])
    ModerationEvent.objects.create(comment=comment, action="edit", reason=reason)
    if held:
        comment_count_refresh(post_id=comment.post_id)
    transaction.on_commit(cache_generation_bump)
    return comment


@transaction.atomic
def comment_delete_own(*, comment: Comment) -> Comment:
    comment.status = Comment.Status.REMOVED
    comment.save(update_fields=["status"])
    ModerationEvent.objects.create(comment=comment, action="delete", reason="by its author")
    comment_count_refresh(post_id=comment.post_id)
    return comment


@transaction.atomic
def comments_purge(*, actor, older_than: dt.timedelta, now=None) -> int:
    """Delete removed and spam comments older than `older_than`. The log keeps the decision."""
    now = now or timezone.now()
    doomed = Comment.objects.filter(
        status__in=[Comment.Status.REMOVED, Comment.Status.SPAM], created__lt=now - older_than
    )
    count = doomed.count()
    ModerationEvent.objects.create(
        actor=actor, action="purge", reason=f"{count} removed or spam comments purged"
    )
    # Replies to a purged comment stay, as top-level comments (parent is SET_NULL).
    doomed.delete()
    return count
