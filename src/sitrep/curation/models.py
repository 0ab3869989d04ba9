from __future__ import annotations

from django.db import models
from django.utils import timezone

from sitrep.core import fields
from sitrep.posts.models import Outlet, Post


class Feed(models.Model):
    """A subscribed outside feed (RSS, Atom or JSON Feed), polled on its own interval."""

    url = models.URLField(max_length=1000, unique=True)
    title = fields.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=1000, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
    interval_minutes = models.PositiveIntegerField(default=30)
    active = models.BooleanField(default=True)
    # Conditional GET: what the server said last time, sent back so it can answer 304.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = fields.CharField(max_length=500, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self):
        return self.title or self.url

    def display_name(self) -> str:
        return self.title or self.url


class InboxItem(models.Model):
    """One entry of a feed, waiting for the editor: read, star, dismiss or clip it."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    title = fields.CharField(max_length=500)
    summary_html = fields.TextField(blank=True)
    author = fields.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # When it was published, else when we first saw it: the inbox's order.
    sort_time = models.DateTimeField(default=timezone.now, db_index=True)
    title_key = models.CharField(max_length=200, blank=True, db_index=True)
    is_read = models.BooleanField(default=False)
    is_starred = models.BooleanField(default=False)
    is_dismissed = models.BooleanField(default=False)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )

    class Meta:
        ordering = ["-sort_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="inbox_item_unique_per_feed")
        ]
        indexes = [models.Index(fields=["is_dismissed", "sort_time"])]

    def __str__(self):
        return self.title


class WatchWord(models.Model):
    """A word or place the editor watches for ("Deir ez-Zor", "Raqqa"); matches are marked."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word
