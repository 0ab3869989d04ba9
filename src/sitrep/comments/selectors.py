"""Reading a discussion: the thread of a post in one query, shaped for the page."""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.comments.models import Comment, ModerationEvent

# Replies nest this deep; beyond it they line up under the deepest shown level with
# "in reply to NAME", because very deep nesting leaves no width to read on a phone.
MAX_DEPTH = 4


@dataclass
class ThreadEntry:
    comment: Comment
    depth: int
    in_reply_to: Comment | None  # set when nesting was flattened, to keep the context visible
    changeable: bool = False  # its author may still edit or delete it


def thread_for_post(post) -> list[ThreadEntry]:
    """Visible and removed comments of `post`, in reading order, each with its nesting depth.

    One query. Replies to comments that are not shown (held, spam) become top-level entries.
    """
    comments = list(
        Comment.objects.shown_in_thread()
        .filter(post=post)
        .select_related("user")
        .order_by("created", "id")
    )
    by_id = {c.pk: c for c in comments}
    children: dict[int | None, list[Comment]] = {}
    for c in comments:
        parent = c.parent_id if c.parent_id in by_id else None
        children.setdefault(parent, []).append(c)

    entries: list[ThreadEntry] = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            shown_depth = min(depth, MAX_DEPTH)
            flattened = depth > MAX_DEPTH
            entries.append(ThreadEntry(c, shown_depth, by_id[c.parent_id] if flattened else None))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return entries


def removal_reasons(thread: list[ThreadEntry]) -> dict[int, str]:
    """comment id -> the moderator's reason for removing it (when the site shows its log)."""
    removed = [e.comment.pk for e in thread if e.comment.status == Comment.Status.REMOVED]
    reasons = {}
    events = ModerationEvent.objects.filter(comment_id__in=removed, action__in=["remove", "delete"])
    for comment_id, reason in events.order_by("created").values_list("comment_id", "reason"):
        reasons[comment_id] = reason
    return reasons
