"""What the worker does with each activity an inbox accepted (views.inbox checked its
signature): follows, replies that become comments, their edits and deletions, likes and boosts.
Every activity ends with an outcome and, when refused or ignored, the reason, which the desk
lists: a reply is never dropped silently."""

from __future__ import annotations

import logging
from urllib.parse import urldefrag, urlsplit

import lxml.html
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import Resolver404, resolve

from sitrep.comments.models import Comment
from sitrep.comments.services import (
    CommentRefused,
    comment_delete_own,
    comment_edit_own,
    comment_submit,
)
from sitrep.comments.text import html_to_markdown
from sitrep.core.cache import bump as cache_generation_bump
from sitrep.core.client import ip_hash
from sitrep.fediverse import delivery, local, remote
from sitrep.fediverse.models import Follower, Reach, Reaction, Received, RemoteActor, RemoteNote
from sitrep.posts.models import Post

logger = logging.getLogger("sitrep.fediverse")


class Ignored(Exception):
    """Nothing to do, and why (an activity about something not ours)."""


def process(received_id: int) -> str:
    received = Received.objects.select_related("actor__server").get(pk=received_id)
    if received.outcome != Received.Outcome.QUEUED:
        return received.outcome  # done before (the task ran twice)
    handler = HANDLERS.get(received.kind)
    comment = None
    try:
        if handler is None:
            raise Ignored(f"sitrep does nothing with {received.kind} activities")
        comment = handler(received.payload, received.actor)
        outcome, reason = Received.Outcome.DONE, ""
    except Ignored as exc:
        outcome, reason = Received.Outcome.IGNORED, str(exc)
    except CommentRefused as exc:
        outcome, reason = Received.Outcome.REFUSED, exc.reason
    except remote.RemoteError as exc:
        outcome, reason = Received.Outcome.FAILED, str(exc)
    Received.objects.filter(pk=received.pk).update(
        outcome=outcome, reason=reason[:500], comment=comment
    )
    if outcome != Received.Outcome.DONE:
        logger.info("%s from %s: %s (%s)", received.kind, received.actor, outcome, reason)
    return outcome


def _id(value) -> str:
    """An object's id, whether the activity embeds the object or names it."""
    if isinstance(value, dict):
        value = value.get("id", "")
    return value if isinstance(value, str) else ""


# --- Following -------------------------------------------------------------------------------


def _follow(activity: dict, actor: RemoteActor):
    if _id(activity.get("object")) != local.actor_uri():
        raise Ignored("a follow of an account that is not this site's")
    pending = settings.SITREP_FEDIVERSE_APPROVE_FOLLOWERS
    with transaction.atomic():
        follower, _ = Follower.objects.update_or_create(
            actor=actor,
            defaults={"follow_id": activity["id"],
                      "state": Follower.State.PENDING if pending else Follower.State.ACCEPTED},
        )  # fmt: skip
        if not pending:
            follow_answer(follower, accept=True)


def follow_answer(follower: Follower, *, accept: bool) -> None:
    """Accept (or reject) a follow: to the follower's own inbox, naming their Follow."""
    follow = {"id": follower.follow_id, "type": "Follow", "actor": follower.actor.uri,
              "object": local.actor_uri()}  # fmt: skip
    inbox = {follower.actor.inbox: follower.actor.server_id}
    delivery.send("Accept" if accept else "Reject", follow, inboxes=inbox)


def _undo(activity: dict, actor: RemoteActor):
    undone = activity.get("object")
    kind = undone.get("type") if isinstance(undone, dict) else ""
    uri = _id(undone)
    if kind == "Follow" or Follower.objects.filter(actor=actor, follow_id=uri).exists():
        Follower.objects.filter(actor=actor).delete()
        return None
    reaction = Reaction.objects.filter(actor=actor, uri=uri).first()  # only one's own
    if reaction is None and kind in ("Like", "Announce"):
        target = _post_of(_id(undone.get("object")))
        reaction = Reaction.objects.filter(
            post=target, actor=actor, kind=_REACTIONS[kind]
        ).first() if target else None  # fmt: skip
    if reaction is None:
        raise Ignored("an undo of something this site does not have")
    post_id = reaction.post_id
    reaction.delete()
    reach_count(post_id)
    return None


# --- Likes and boosts ------------------------------------------------------------------------

_REACTIONS = {"Like": Reaction.Kind.LIKE, "Announce": Reaction.Kind.ANNOUNCE}


def _react(activity: dict, actor: RemoteActor):
    post = _post_of(_id(activity.get("object")))
    if post is None:
        raise Ignored("a like or boost of something that is not a post of this site")
    Reaction.objects.get_or_create(
        post=post, actor=actor, kind=_REACTIONS[activity["type"]],
        defaults={"uri": activity["id"]},
    )  # fmt: skip
    reach_count(post.pk)


def reach_count(post_id: int) -> None:
    counts = Reaction.objects.filter(post_id=post_id).aggregate(
        likes=Count("pk", filter=Q(kind=Reaction.Kind.LIKE)),
        boosts=Count("pk", filter=Q(kind=Reaction.Kind.ANNOUNCE)),
    )
    reach, _ = Reach.objects.get_or_create(post_id=post_id)
    if (reach.favourites, reach.boosts) != (counts["likes"], counts["boosts"]):
        Reach.objects.filter(pk=reach.pk).update(
            favourites=counts["likes"], boosts=counts["boosts"]
        )
        transaction.on_commit(cache_generation_bump)


# --- Replies ---------------------------------------------------------------------------------


def _post_of(uri: str) -> Post | None:
    """The live post an address names: its object id, or its page."""
    found = _local(uri)
    if found and found[0] == "fediverse_post":
        return Post.objects.live().filter(pk=found[1]["post_id"]).first()
    if found and found[0] == "post_detail":
        return Post.objects.live().filter(slug=found[1]["slug"]).first()
    return None


def _local(uri: str):
    """(URL name, arguments) when `uri` is an address on this site."""
    if not uri or not remote.same_origin(uri, local.absolute("/")):
        return None
    try:
        match = resolve(urlsplit(urldefrag(uri).url).path)
    except Resolver404:
        return None
    return match.url_name, match.kwargs


def _replied_to(uri: str) -> tuple[Post, Comment | None]:
    """The post a reply belongs to, and the comment it answers (ours, or one from the
    fediverse that became a comment)."""
    found = _local(uri)
    if found and found[0] == "fediverse_comment":
        comment = Comment.objects.select_related("post").filter(pk=found[1]["comment_id"]).first()
        if comment is not None:
            return comment.post, comment
    post = _post_of(uri)
    if post is not None:
        return post, None
    note = RemoteNote.objects.select_related("comment__post").filter(uri=uri).first()
    if note is not None:
        return note.comment.post, note.comment
    raise Ignored("not a reply to a post of this site or to its discussion")


def _create(activity: dict, actor: RemoteActor):
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") not in ("Note", "Article", "Question"):
        raise Ignored("only notes become comments")
    _check_author(note, actor)
    uri = note.get("id", "")
    if RemoteNote.objects.filter(uri=uri).exists():
        raise Ignored("this reply is already a comment")
    post, parent = _replied_to(_id(note.get("inReplyTo")))
    body = text_of(note.get("content") or "")
    if parent is not None and parent.status not in (Comment.Status.VISIBLE, Comment.Status.REMOVED):
        parent = None  # answers a comment readers do not see: shown under the post itself
    comment = comment_submit(
        post=post, body=body, ip_hash=account_hash(actor.uri), author_name=actor.name,
        author_website=actor.profile, author_handle=actor.handle or actor.uri,
        parent_id=parent.pk if parent else None,
    )  # fmt: skip
    RemoteNote.objects.create(uri=uri, actor=actor, comment=comment)
    return comment


def _check_author(note: dict, actor: RemoteActor) -> None:
    if _id(note.get("attributedTo")) != actor.uri or not remote.same_origin(
        note.get("id", ""), actor.uri
    ):
        raise Ignored("the note is not its sender's own")


def _update(activity: dict, actor: RemoteActor):
    obj = activity.get("object")
    if isinstance(obj, dict) and _id(obj) == actor.uri:
        remote.actor_store(obj, fetched_from=actor.uri)  # a new name, a new key
        return None
    if not isinstance(obj, dict):
        raise Ignored("an update without the updated object")
    _check_author(obj, actor)
    note = RemoteNote.objects.select_related("comment").filter(uri=_id(obj), actor=actor).first()
    if note is None:
        raise Ignored("an update of a note that is not a comment here")
    if note.comment.status != Comment.Status.VISIBLE:
        raise Ignored("the comment is not shown, so its edit is not taken")
    comment_edit_own(comment=note.comment, body=text_of(obj.get("content") or ""),
                     reason="edited on the fediverse")  # fmt: skip
    return note.comment


def _delete(activity: dict, actor: RemoteActor):
    uri = _id(activity.get("object"))
    if uri == actor.uri:  # the account itself is gone
        Follower.objects.filter(actor=actor).delete()
        for note in RemoteNote.objects.select_related("comment").filter(actor=actor):
            if note.comment.status == Comment.Status.VISIBLE:
                comment_delete_own(comment=note.comment)
        return None
    note = RemoteNote.objects.select_related("comment").filter(uri=uri, actor=actor).first()
    if note is None:
        raise Ignored("a deletion of a note that is not a comment here")
    if note.comment.status == Comment.Status.VISIBLE:
        comment_delete_own(comment=note.comment)
    return note.comment


HANDLERS = {
    "Follow": _follow,
    "Undo": _undo,
    "Like": _react,
    "Announce": _react,
    "Create": _create,
    "Update": _update,
    "Delete": _delete,
}


def account_hash(uri: str) -> str:
    """A fediverse account in place of an address: rate limits and bans apply to it."""
    return ip_hash(f"fediverse:{uri}")


def text_of(html: str) -> str:
    """A note's HTML as a comment's Markdown (comments.text, as imported comments are made),
    without the mention of this site's account that starts a reply. A link shows its address,
    not its label, so readers and the hold rules see where it goes."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for mention in root.xpath('.//a[contains(concat(" ", @class, " "), " mention ")]'):
        if mention.get("href") in (local.actor_uri(), local.absolute("/")):
            mention.drop_tree()
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith(("http://", "https://")) and not link.text_content().startswith(
            ("#", "@")
        ):
            for child in list(link):
                link.remove(child)
            link.text = href
    return html_to_markdown(lxml.html.tostring(root, encoding="unicode"))
