"""The private record of what staff did: who, when, what, and for texts, the diff.

Append-only: a row is never changed or removed, by the application (the model and its
queryset refuse) or through the database (a trigger refuses updates, and on PostgreSQL
deletions too; see the migration). The actor is kept by id and by name, not as a foreign
key, so the record outlives the account and no cascade ever touches it.
"""

from django.db import models
from django.utils import timezone

from sitrep.core import fields


class AppendOnly(Exception):
    """The audit log only grows."""


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")


class Entry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = fields.CharField(max_length=150)  # the account's name then, or how it ran
    action = models.CharField(max_length=40, db_index=True)
    target = fields.CharField(max_length=300, blank=True)  # what it was done to, as it was
    target_url = fields.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # field: [before, after]
    diff = fields.TextField(blank=True)  # a unified diff of the texts that changed

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the audit log is append-only")
