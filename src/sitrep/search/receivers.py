"""The sanctioned signal: posts announce a change, search re-indexes those posts."""

from django.dispatch import receiver

from sitrep.posts.models import Post
from sitrep.posts.signals import post_changed
from sitrep.search.services import documents_refresh


@receiver(post_changed, sender=Post)
def _reindex(sender, post_ids, deleted, **kwargs):
    if not deleted:
        documents_refresh(post_ids=post_ids)
