"""The sanctioned signal: posts announce a change, search re-indexes that post."""

from django.dispatch import receiver

from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed
from sitrep.search.services import document_refresh


@receiver(post_changed, sender=Post)
def _reindex(sender, post_id, deleted, **kwargs):
    if not deleted:
        document_refresh(post_id=post_id)
