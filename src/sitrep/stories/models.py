"""Developing stories: posts grouped under one running event, each with where its claim stands,
and a public log of every change of status, correction and update."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from sitrep.core import fields
from sitrep.posts.models import Post


class Story(models.Model):
    title = fields.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = fields.TextField(blank=True, help_text="One or two sentences on what this is.")
    developing = models.BooleanField(
        default=True, help_text="Still unfolding: offered in the inbox and listed first."
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-developing", "-updated"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story", args=[self.slug])


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"
    CORRECTED = "corrected", "Corrected"


def status_label(status: str, confirmed_by: int) -> str:
    """ "Confirmed by 2 independent outlets", or the status's own name."""
    if status == Status.CONFIRMED and confirmed_by:
        return ngettext(
            "Confirmed by %(n)d independent outlet",
            "Confirmed by %(n)d independent outlets",
            confirmed_by,
        ) % {"n": confirmed_by}
    return Status(status).label


class StoryEntry(models.Model):
    """A post's place in a story and the state of its claim."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="entries")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="story_entry")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    # "Confirmed by N independent outlets": the editors' count, shown with the status.
    confirmed_by = models.PositiveSmallIntegerField(default=0)
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "story entries"

    def __str__(self):
        return f"{self.post} in {self.story}"

    def status_label(self) -> str:
        return status_label(self.status, self.confirmed_by)


class PostLogEntry(models.Model):
    """One public line in a post's log: a change of status, a correction or an update. Never
    edited or deleted: a mistake in the log is fixed by a later entry."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="log_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    confirmed_by = models.PositiveSmallIntegerField(default=0)
    reason = fields.TextField()
    created = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.post}: {self.reason[:40]}"

    def headline(self) -> str:
        if self.kind == self.Kind.STATUS:
            return f"Status: {status_label(self.status, self.confirmed_by)}"
        return self.get_kind_display()
