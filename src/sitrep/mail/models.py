import secrets

from django.conf import settings
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
    batch = models.CharField(max_length=80, blank=True, db_index=True)  # its Dispatch's key
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
        return (self.digest or self.each_post or self.follows.exists()
                or self.watches.exists())  # fmt: skip


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


class Dispatch(models.Model):
    """One mailing to many: a post's announcement, a story's update, a day's digest. Its key
    makes it happen once; each of its messages has a Message-ID made from the key and the
    subscriber, so a worker that stops part way and runs it again adds no second copy."""

    key = models.CharField(max_length=80, unique=True)  # "post:12", "log:7", "digest:2026-12-07"
    subject = fields.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    written = models.PositiveIntegerField(default=0)  # messages put in the outbox
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.key


class MailSettings(models.Model):
    """How the site's mail looks and when the digest leaves (one row; the desk edits it)."""

    digest_hour = models.PositiveSmallIntegerField(default=7)  # in the site's time zone
    sender_name = fields.CharField(max_length=100, blank=True)  # empty: the site's name
    sender_address = models.EmailField(blank=True)  # empty: SITREP_DEFAULT_FROM_EMAIL
    reply_to = models.EmailField(blank=True)
    footer = fields.TextField(blank=True, help_text="A line at the foot of every mail.")
    send_rate = models.PositiveIntegerField(
        default=0, help_text="Mails a second at most, for a mail server that limits senders "
        "(0: as fast as it takes them)."
    )  # fmt: skip
    queue_alert_minutes = models.PositiveIntegerField(
        default=60, help_text="Moderators hear of comments waiting at most this often (0: never)."
    )

    def __str__(self):
        return "Mail settings"

    @classmethod
    def current(cls) -> "MailSettings":
        return cls.objects.first() or cls.objects.create()


class Watch(models.Model):
    """A commenter waiting to hear of replies to one of their comments."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="watches")
    comment = models.ForeignKey("comments.Comment", on_delete=models.CASCADE,
                                related_name="mail_watches")  # fmt: skip
    created = models.DateTimeField(default=timezone.now)
    last_mail = models.DateTimeField(null=True, blank=True)  # at most one mail an hour

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "comment"], name="watch_once")]

    def __str__(self):
        return f"{self.subscriber} watches comment {self.comment_id}"


class ReplyNotice(models.Model):
    """A reply a watcher was told of (so each is told once)."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="notices")
    reply = models.ForeignKey("comments.Comment", on_delete=models.CASCADE,
                              related_name="mail_notices")  # fmt: skip
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "reply"], name="notice_once")]

    def __str__(self):
        return f"reply {self.reply_id} told to {self.watch}"


class AccountReplies(models.Model):
    """A signed-in reader who wants to hear of replies to every comment they write, at their
    account's address (set in their account's Mail page)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="mail_replies")  # fmt: skip
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"replies for {self.user}"


class Bounce(models.Model):
    """A returned mail's word that mail to `email` failed: for good (the address is stopped at
    once) or for now (stopped after a few within a month)."""

    email = models.EmailField(max_length=254, db_index=True)
    permanent = models.BooleanField()
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.email} ({'permanent' if self.permanent else 'temporary'})"
