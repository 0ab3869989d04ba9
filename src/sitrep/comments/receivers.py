"""Cache invalidation for the discussion policy, the blocked words and the bans, which every
comment reads: any save or delete (desk, admin, import) drops the cached copy at once. The policy
also shows on pages (the comment form, removal reasons), so a change of it makes them stale."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sitrep.comments.models import Ban, BlockedWord, Comment, DiscussionSettings
from sitrep.comments.selectors import BANS_KEY, BLOCKED_WORDS_KEY, POLICY_KEY, own_key
from sitrep.core.cache import bump


@receiver([post_save, post_delete], sender=DiscussionSettings)
def policy_changed(**kwargs):
    cache.delete(POLICY_KEY)
    bump()  # now, and again once committed: a page rendered in between saw the old policy
    transaction.on_commit(bump)


@receiver([post_save, post_delete], sender=BlockedWord)
def blocked_words_changed(**kwargs):
    cache.delete(BLOCKED_WORDS_KEY)


@receiver([post_save, post_delete], sender=Ban)
def bans_changed(**kwargs):
    cache.delete(BANS_KEY)


@receiver([post_save, post_delete], sender=Comment)
def own_comments_changed(instance, **kwargs):
    if instance.user_id:  # the author's edit links (selectors.recent_own_comments)
        cache.delete(own_key(instance.user_id))
        transaction.on_commit(lambda: cache.delete(own_key(instance.user_id)))
