from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from sitrep.core import fields
from sitrep.posts.models import Post


class DiscussionSettings(models.Model):
    """Site-wide discussion policy; one row (pk=1), edited in the desk."""

    class Mode(models.TextChoices):
        ANYONE = "anyone", "Anyone, anonymous allowed"
        NAMED = "named", "A name is required"
        ACCOUNTS = "accounts", "Signed-in readers only"

    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ANYONE)
    hold_all = models.BooleanField(
        default=False, help_text="Hold every new comment until an editor approves it."
    )
    hold_links_from_new = models.BooleanField(
        default=True,
        help_text="Hold comments with links from anonymous or first-time commenters.",
    )
    flags_to_hold = models.PositiveSmallIntegerField(
        default=3, help_text="Reader flags that send a visible comment back to the queue."
    )
    public_log = models.BooleanField(
        default=False,
        help_text="Show a public moderation log, and the reason beside removed comments.",
    )

    def __str__(self):
        return f"Discussion: {self.get_mode_display()}{', all held' if self.hold_all else ''}"

    @classmethod
    def current(cls) -> DiscussionSettings:
        """The site's settings; the defaults until an editor first saves them. Never a write:
        readers' pages ask for this, and a write waits its turn for SQLite's one writer."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Comment.Status.VISIBLE)

    def shown_in_thread(self):
        """Visible and removed comments (placeholders, so that replies keep their context)."""
        return self.filter(status__in=[Comment.Status.VISIBLE, Comment.Status.REMOVED])


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HELD = "held", "Held for review"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    class AuthorKind(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous"
        NAMED = "named", "Named"
        ACCOUNT = "account", "Account"
        FEDIVERSE = "fediverse", "Fediverse"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author_name = fields.CharField(max_length=80, blank=True)
    author_website = fields.URLField(max_length=300, blank=True)
    # A reply from the fediverse: its writer's handle (@name@server); author_name is their
    # display name and author_website their profile.
    author_handle = fields.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = fields.TextField()
    body_html = fields.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # HMAC of the client IP (core.client.ip_hash): enough for rate limits and bans, never the IP.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # "Anonymous but recognisable": a keyed hash of the commenter's secret phrase, never the phrase.
    tripcode = models.CharField(max_length=12, blank=True)
    # Why the spam guard scored it as it did (shown to moderators), and the total.
    spam_score = models.SmallIntegerField(default=0)
    signals = models.JSONField(default=list, blank=True)
    body_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The anchor the comment had on the old platform ("c6001..." on Blogger, "comment-42" on
    # WordPress): kept on the page, so old links to it still land on it.
    old_anchor = models.CharField(max_length=40, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created"]),
            # A thread's reading order read from the index alone, already sorted: no sort, no
            # lookups of the rows themselves (bench/README.md).
            models.Index(
                fields=["post", "created", "id", "status", "parent"], name="comment_reading_order"
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.display_name()}"

    def get_absolute_url(self):
        """The comment's permalink: it never changes and costs no query (feeds and logs list
        many). It redirects to comments.selectors.comment_location, the page that shows it."""
        return reverse("comment_permalink", args=[self.pk])

    def display_name(self) -> str:
        if self.author_kind == self.AuthorKind.ACCOUNT and self.user_id:
            return self.user.display_name()
        if self.author_kind == self.AuthorKind.NAMED:
            return self.author_name
        if self.author_kind == self.AuthorKind.FEDIVERSE:
            return self.author_name or self.author_handle
        return "Anonymous"

    def by_editor(self) -> bool:
        return bool(self.user_id and self.user.is_editor)


class Ban(models.Model):
    """Who may not comment, and until when. Matching is by account, IP hash or folded name."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Address (IP hash)"
        NAME = "name", "Name"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = fields.CharField(max_length=200, db_index=True)
    reason = fields.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self):
        return f"ban {self.kind} {self.value[:12]}"


class Flag(models.Model):
    """A reader's "this needs a moderator's look", once per reader per comment."""

    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, related_name="flags")
    reporter = models.CharField(max_length=80)  # "u<id>" for accounts, else the IP hash
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="flag_once_per_reader")
        ]

    def __str__(self):
        return f"flag on {self.comment_id}"


class BlockedWord(models.Model):
    """A word or phrase the editors list: comments containing it score as likely spam."""

    word = fields.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.word


class SpamToken(models.Model):
    """Word counts the naive Bayes classifier learns from moderators' spam/approve decisions."""

    token = models.CharField(max_length=64, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.token


class ModerationEvent(models.Model):
    """Append-only record of every moderation decision: who did what to which comment, and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REMOVE = "remove", "Removed"
        SPAM = "spam", "Marked as spam"
        HOLD = "hold", "Held for review"
        REFUSE = "refuse", "Refused at submission"
        BAN = "ban", "Commenter banned"
        UNBAN = "unban", "Ban lifted"
        PURGE = "purge", "Purged"
        EDIT = "edit", "Edited by its author"
        DELETE = "delete", "Deleted by its author"

    comment = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = fields.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return (
            f"{self.get_action_display()} comment {self.comment_id} ({self.reason or 'no reason'})"
        )
