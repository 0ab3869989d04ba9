"""Posts announce changes; a published post's sources are queued for archiving."""

from django.dispatch import receiver

from sitrep.linkcheck.tasks import archive_post_sources
from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed


@receiver(post_changed, sender=Post)
def _archive_sources(sender, post_ids, deleted, **kwargs):
    if deleted:
        return
    live = Post.objects.filter(pk__in=post_ids, status__in=Post.RELEASED)
    for post_id in live.values_list("pk", flat=True):
        archive_post_sources.enqueue(post_id)
