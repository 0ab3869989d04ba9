"""What followers receive: a post when it goes live (a Create), each change that alters what
they were sent, corrections included (an Update), its withdrawal (a Delete), and readers'
comments as replies in the post's discussion."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

from sitrep.comments.models import Comment
from sitrep.fediverse import delivery, documents, local
from sitrep.fediverse.models import Reach, RemoteNote
from sitrep.posts.models import Post
from sitrep.stories.models import PostLogEntry

# Posts that went live this long ago at most still go out when first seen (a scheduled post
# found by the clock, a worker that was down); older ones are the archive, not news.
RECENT = dt.timedelta(days=2)


def with_note_parts(posts):
    """`posts` with what their Notes read fetched alongside: a page of the outbox in a fixed
    number of queries."""
    return posts.select_related("author", "lead_image").prefetch_related(
        "clips__outlet", "labels", "log_entries"
    )


def _post(post_id: int) -> Post | None:
    return with_note_parts(Post.objects.filter(pk=post_id)).first()


def post_note(post: Post) -> dict:
    """The post's Note, with its public log (corrections, updates) after it: a correction
    changes the Note, so it goes out as an Update that says what changed."""
    note = documents.post_note(post)
    for entry in post.log_entries.all():
        if entry.kind == PostLogEntry.Kind.STATUS:
            continue
        note["content"] += format_html(
            "<p><strong>{} ({} UTC):</strong> {}</p>",
            entry.get_kind_display(), f"{entry.created:%d %b %Y, %H:%M}", entry.reason,
        )  # fmt: skip
    return note


@transaction.atomic
def post_sync(post_id: int, now=None) -> str:
    """Send whatever followers lack of this post; what was sent, or "".
    Repeatable: a post already sent as it is sends nothing."""
    now = now or timezone.now()
    post = _post(post_id)
    reach = Reach.objects.select_for_update().filter(post_id=post_id).first()
    sent = reach is not None and bool(reach.sent_hash) and not reach.deleted
    if post is None or not post.is_live(now):
        if not sent:
            return ""
        tombstone = {"id": local.post_uri(post_id), "type": "Tombstone"}
        delivery.send("Delete", tombstone, post=post, inboxes=delivery.follower_inboxes(),
                      to=[local.PUBLIC])  # fmt: skip
        Reach.objects.filter(pk=reach.pk).update(deleted=True)
        return "Delete"
    if not sent and post.published_at < max(now - RECENT, local.site_actor().created):
        return ""  # the archive, from before the site was on the fediverse
    note = post_note(post)
    fingerprint = documents.fingerprint(note)
    if sent and reach.sent_hash == fingerprint:
        return ""
    kind = "Update" if sent else "Create"
    delivery.send(kind, note, post=post, inboxes=delivery.follower_inboxes(),
                  to=note["to"], cc=note["cc"])  # fmt: skip
    Reach.objects.update_or_create(
        post_id=post_id, defaults={"sent_hash": fingerprint, "deleted": False}
    )
    return kind


def posts_due(now=None) -> int:
    """The worker's clock: recent live posts never sent (scheduled posts whose time came)."""
    from sitrep.fediverse.tasks import post_sync_task

    if not local.enabled():
        return 0
    now = now or timezone.now()
    since = max(now - RECENT, local.site_actor().created)
    ids = list(
        Post.objects.live(now)
        .filter(published_at__gte=since)
        .exclude(reach__sent_hash__gt="")
        .values_list("pk", flat=True)[:100]
    )
    for pk in ids:
        post_sync_task.enqueue(pk)
    return len(ids)


def comment_sync(comment_id: int) -> str:
    """A reader's visible comment, sent as a reply in its post's discussion: to followers, and
    to the account it answers when that is on the fediverse."""
    comment = Comment.objects.select_related("post", "parent", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.VISIBLE:
        return ""
    if comment.author_kind == Comment.AuthorKind.FEDIVERSE:
        return ""  # it came from there
    reach = Reach.objects.filter(post_id=comment.post_id).first()
    if reach is None or not reach.sent_hash or reach.deleted:
        return ""  # the post itself was never sent
    extra = []
    in_reply_to = local.post_uri(comment.post_id)
    if comment.parent_id:
        parent_note = RemoteNote.objects.select_related("actor__server").filter(
            comment_id=comment.parent_id
        ).first()  # fmt: skip
        if parent_note is not None:
            in_reply_to = parent_note.uri
            extra.append(parent_note.actor)
        else:
            in_reply_to = local.comment_uri(comment.parent_id)
    note = documents.comment_note(comment, in_reply_to=in_reply_to)
    if extra:
        note["cc"].append(extra[0].uri)
    with transaction.atomic():
        delivery.send("Create", note, post=comment.post, inboxes=delivery.follower_inboxes(extra),
                      to=note["to"], cc=note["cc"])  # fmt: skip
    return "Create"
