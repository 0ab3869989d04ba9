"""Posts announce changes; a published post's sources are queued for archiving."""

from django.dispatch import receiver

from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed
from sitrep.sources.tasks import archive_post_sources


@receiver(post_changed, sender=Post)
def _archive_sources(sender, post_id, deleted, **kwargs):
    if deleted:
        return
    status = Post.objects.filter(pk=post_id).values_list("status", flat=True).first()
    if status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED):
        archive_post_sources.enqueue(post_id)
