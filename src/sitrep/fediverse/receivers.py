"""Posts and comments tell the fediverse app what changed; it sends what followers lack."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from sitrep.comments.models import ModerationEvent
from sitrep.comments.signals import comment_posted
from sitrep.fediverse import local
from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed
from sitrep.stories.models import PostLogEntry


@receiver(post_changed, sender=Post)
def post_sync(post_ids, **kwargs):
    from sitrep.fediverse.tasks import post_sync_task

    if local.enabled():
        for pk in post_ids:
            post_sync_task.enqueue(pk)


@receiver(post_save, sender=PostLogEntry)
def post_corrected(instance, created, **kwargs):
    from sitrep.fediverse.tasks import post_sync_task

    if created and local.enabled():
        transaction.on_commit(lambda: post_sync_task.enqueue(instance.post_id))


@receiver(comment_posted)
def comment_posted_sync(comment, **kwargs):
    from sitrep.fediverse.tasks import comment_sync_task

    if local.enabled() and comment.status == "visible":
        transaction.on_commit(lambda: comment_sync_task.enqueue(comment.pk))


@receiver(post_save, sender=ModerationEvent)
def comment_approved(instance, created, **kwargs):
    """A held comment a moderator approves goes out then."""
    from sitrep.fediverse.tasks import comment_sync_task

    if created and local.enabled() and instance.action == "approve" and instance.comment_id:
        transaction.on_commit(lambda: comment_sync_task.enqueue(instance.comment_id))
