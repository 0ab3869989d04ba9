"""Posts announce changes; the worker then suggests the places a post names."""

from django.dispatch import receiver

from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed


@receiver(post_changed, sender=Post)
def _suggest_places(sender, post_ids, deleted, **kwargs):
    if not deleted:
        from sitrep.places.tasks import suggest_places

        for post_id in post_ids:
            suggest_places.enqueue(post_id)
