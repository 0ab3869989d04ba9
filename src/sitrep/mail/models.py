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
