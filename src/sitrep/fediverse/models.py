"""The site as a fediverse account: its keys, the servers and accounts it knows, its followers,
what it sent (and to whom, with each delivery's fate) and what it received (with the outcome)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from sitrep.comments.models import Comment
from sitrep.core import fields
from sitrep.media.models import MediaFile
from sitrep.posts.models import Post


class LocalActor(models.Model):
    """An account of this site on the fediverse, with its key pair. Today only the site's own
    ("site"); editors may get theirs later as more rows of another kind."""

    kind = models.CharField(max_length=20, unique=True, default="site")
    private_key = models.TextField()  # PEM, PKCS#8
    public_key = models.TextField()  # PEM, SubjectPublicKeyInfo
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"actor {self.kind}"


class Server(models.Model):
    """A fediverse server we deliver to or hear from: blocked by the desk, or dead after
    deliveries failed for days."""

    host = models.CharField(max_length=255, unique=True)
    blocked = models.BooleanField(default=False)
    blocked_reason = fields.CharField(max_length=300, blank=True)
    # Deliveries that failed in a row, and since when; reset by the first success.
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    dead = models.BooleanField(default=False)
    last_ok = models.DateTimeField(null=True, blank=True)
    last_error = fields.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The signature it sent us last: "rfc9421" means it accepts those too.
    signature = models.CharField(max_length=10, default="cavage")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["host"]

    def __str__(self):
        return self.host


class RemoteActor(models.Model):
    """An account elsewhere: who follows us, replies, likes; with its current public key."""

    uri = models.URLField(max_length=500, unique=True)
    server = models.ForeignKey(Server, on_delete=models.CASCADE, related_name="actors")
    handle = fields.CharField(max_length=200, blank=True)  # @name@host
    name = fields.CharField(max_length=200, blank=True)
    profile = models.URLField(max_length=500, blank=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.URLField(max_length=500, blank=True, db_index=True)
    public_key = models.TextField(blank=True)
    fetched = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.handle or self.uri

    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class Follower(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        ACCEPTED = "accepted", "Following"

    actor = models.OneToOneField(RemoteActor, on_delete=models.CASCADE, related_name="follow")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    follow_id = models.URLField(max_length=500)  # their Follow, which our Accept names
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.actor} follows ({self.state})"


class Outgoing(models.Model):
    """An activity the site sent: what it said, about which post or comment."""

    uri = models.URLField(max_length=500, unique=True)
    kind = models.CharField(max_length=20)  # Create, Update, Delete, Accept, Reject
    payload = models.JSONField()
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.kind} {self.uri}"


class Delivery(models.Model):
    """One activity to one inbox (a shared inbox serves every follower on its server)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Delivered"
        RETRY = "retry", "Will try again"
        FAILED = "failed", "Given up"

    activity = models.ForeignKey(Outgoing, on_delete=models.CASCADE, related_name="deliveries")
    server = models.ForeignKey(Server, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(max_length=500)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    tries = models.PositiveSmallIntegerField(default=0)
    next_try = models.DateTimeField(default=timezone.now)
    last_error = fields.CharField(max_length=500, blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_try"])]
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="delivery_once_per_inbox")
        ]

    def __str__(self):
        return f"{self.activity.kind} to {self.inbox}: {self.state}"


class Received(models.Model):
    """Every activity an inbox accepted, with what became of it: nothing is dropped silently."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", "Waiting"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"
        IGNORED = "ignored", "Nothing to do"
        FAILED = "failed", "Failed"

    uri = models.URLField(max_length=500, unique=True)  # the activity's id
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="received")
    payload = models.JSONField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.QUEUED)
    reason = fields.CharField(max_length=500, blank=True)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="received"
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.kind} from {self.actor}: {self.outcome}"


class RemoteNote(models.Model):
    """A reply written on the fediverse, and the comment it became."""

    uri = models.URLField(max_length=500, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="notes")
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="remote")

    def __str__(self):
        return self.uri


class Reaction(models.Model):
    """A like or a boost of a post; counted, never listed."""

    class Kind(models.TextChoices):
        LIKE = "like", "Favourite"
        ANNOUNCE = "announce", "Boost"

    uri = models.URLField(max_length=500, unique=True)  # the Like or Announce
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "actor", "kind"], name="reaction_once")
        ]

    def __str__(self):
        return f"{self.kind} of {self.post_id}"


class Reach(models.Model):
    """A post's counts on the fediverse, kept beside it so listings read them in their query,
    and the last version of it sent out (an edit that changes it sends an Update)."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="reach")
    boosts = models.PositiveIntegerField(default=0)
    favourites = models.PositiveIntegerField(default=0)
    sent_hash = models.CharField(max_length=64, blank=True)  # "" until its Create went out
    deleted = models.BooleanField(default=False)  # a Delete went out

    def __str__(self):
        return f"reach of {self.post_id}"


class Profile(models.Model):
    """How the site's account looks on the fediverse; one row (pk=1), edited in the desk."""

    icon = models.ForeignKey(
        MediaFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The account's picture, shown square and small.",
    )  # fmt: skip
    header = models.ForeignKey(
        MediaFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The wide picture at the top of the account's profile.",
    )  # fmt: skip
    # [{"name": "Newsroom", "url": "https://...", "verified": "2026-12-07T09:00:00Z" or ""}]
    links = models.JSONField(default=list, blank=True)
    show_followers = models.BooleanField(
        default=False, help_text="Show the number of fediverse followers at the foot of pages."
    )

    def __str__(self):
        return "fediverse profile"

    @classmethod
    def current(cls) -> Profile:
        return cls.objects.select_related("icon", "header").filter(pk=1).first() or cls(pk=1)
