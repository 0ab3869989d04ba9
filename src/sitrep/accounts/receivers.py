"""A saved or deleted account drops its cached reader summary (accounts.selectors), so a new
name, a promotion to editor or a new password is honoured on the next page."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sitrep.accounts.models import User
from sitrep.accounts.selectors import reader_key


@receiver([post_save, post_delete], sender=User, dispatch_uid="accounts-reader-summary")
def account_changed(instance, **kwargs):
    cache.delete(reader_key(instance.pk))
