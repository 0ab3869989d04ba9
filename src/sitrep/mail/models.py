import secrets

from django.db import models
from django.utils import timezone

from sitrep.core import fields


class Message(models.Model):
    """One mail in the outbox: written whole when it is queued (so the worker sends exactly
    what was made, and the desk shows it), then sent by the worker once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, default="account")  # what made it: see KINDS
    to = models.EmailField(max_length=254, db_index=True)
    subject = fields.CharField(max_length=300)
    message_id = models.CharField(max_length=300, unique=True)
    raw = models.TextField()  # the whole message as it goes out (RFC 5322)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)  # fmt: skip
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try = models.DateTimeField(null=True, blank=True)
    error = fields.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.status})"


class StoppedAddress(models.Model):
    """An address the site no longer sends to: refused for good by its server, bounced again
    and again, or marked by its owner. Every kind of mail checks here first."""

    email = models.EmailField(max_length=254, unique=True)
    reason = fields.CharField(max_length=500)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.email}: {self.reason}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """A reader who follows the site by e-mail. Nothing is sent but the confirmation until they
    confirm; what they asked for waits in `pending` until then, so nobody can change another
    person's subscription by typing their address."""

    email = models.EmailField(max_length=254, unique=True)  # lower-cased
    digest = models.BooleanField(default=False)  # the day's posts, once a day
    each_post = models.BooleanField(default=False)  # every post as it is published
    confirmed = models.DateTimeField(null=True, blank=True)
    pending = models.JSONField(default=dict, blank=True)  # choices and nonce awaiting a click
    token = models.CharField(max_length=40, unique=True, default=_token)  # their own links
    ip_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.email

    def follows_anything(self) -> bool:
        return self.digest or self.each_post or self.follows.exists()


class Follow(models.Model):
    """A subscriber following one developing story or one label: a mail for each new post in
    it (and, for a story, each change of status or correction)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    story = models.ForeignKey("stories.Story", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="mail_follows")  # fmt: skip
    label = models.ForeignKey("posts.Label", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="mail_follows")  # fmt: skip
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "story"], name="follow_story_once"),
            models.UniqueConstraint(fields=["subscriber", "label"], name="follow_label_once"),
            models.CheckConstraint(
                condition=models.Q(story__isnull=False) | models.Q(label__isnull=False),
                name="follow_something",
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.subscriber} follows {self.story or self.label}"
