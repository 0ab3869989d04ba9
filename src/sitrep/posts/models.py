from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sitrep.core import fields
from sitrep.media.models import MediaFile
from sitrep.posts import parts


class Outlet(models.Model):
    """A news organisation whose articles clips quote."""

    name = fields.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    homepage = models.URLField(blank=True)
    # Space-separated host names ("example.com news.example.com"), matched against clip URLs
    # and links in comments (a subdomain matches its parent: news.example.com -> example.com).
    domains = models.CharField(max_length=400, blank=True)
    country = fields.CharField(max_length=80, blank=True, help_text="Where it is based.")
    language = fields.CharField(max_length=80, blank=True, help_text="Its main language.")
    ownership = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who owns or runs it, in a few words: "state-affiliated", "party newspaper".',
    )
    reliability_note = fields.TextField(
        blank=True, help_text="The editors' view of how far to trust it, shown with its clips."
    )

    class CommentLinks(models.TextChoices):
        LABEL = "label", "Name the outlet next to links in comments"
        HOLD = "hold", "Hold comments that link to it for a moderator"

    comment_links = models.CharField(
        max_length=5, choices=CommentLinks.choices, default=CommentLinks.LABEL
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outlet", args=[self.slug])

    def domain_list(self) -> list[str]:
        return self.domains.split()

    def facts(self) -> list[str]:
        """Country, language and ownership, for the line next to a clip."""
        return [fact for fact in (self.country, self.language, self.ownership) if fact]


class Label(models.Model):
    """A Blogger-style label: a country, an armed group, a theme."""

    name = fields.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("label", args=[self.slug])


class PostQuerySet(models.QuerySet):
    def released(self):
        """Posts that are not drafts: live now, or at their scheduled time."""
        return self.filter(status__in=Post.RELEASED)

    def live(self, now=None):
        """Posts readers can see now: released, and their time has come.

        A scheduled post needs no worker to go live: it is simply visible from its publish time.
        """
        return self.released().filter(published_at__lte=now or timezone.now())

    def for_listing(self):
        """Everything a post card shows, in a fixed number of queries: with what the parts that
        other apps register (posts/parts.py) read."""
        return (
            self.select_related("author", "lead_image", *parts.select_related())
            .prefetch_related(
                models.Prefetch(
                    "clips",
                    # The source's state shows with each clip; our copy of its text does not.
                    queryset=Clip.objects.select_related("outlet", "source").defer("source__text"),
                ),
                "labels",
                *parts.prefetch_related(),
            )
            .order_by("-published_at", "-id")
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    # Released: not a draft. A released post is live (readers see it) once its time has come.
    RELEASED = (Status.PUBLISHED, Status.SCHEDULED)

    class TextPosition(models.TextChoices):
        BEFORE = "before", "Before the clips"
        AFTER = "after", "After the clips"

    headline = fields.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    text = fields.TextField(blank=True, help_text="The editor's own text (Markdown).")
    text_html = fields.TextField(blank=True, editable=False)

    class TextFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        HTML = "html", "HTML (imported)"

    text_format = models.CharField(
        max_length=8, choices=TextFormat.choices, default=TextFormat.MARKDOWN
    )
    text_position = models.CharField(
        max_length=6, choices=TextPosition.choices, default=TextPosition.BEFORE
    )
    # The picture at the top of the post, and in link previews (og:image).
    lead_image = models.ForeignKey(
        MediaFile, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_of"
    )
    # The library's images the post's own text shows, kept at each write: where an image is used.
    images = models.ManyToManyField(MediaFile, blank=True, related_name="shown_in")
    note = fields.TextField(blank=True, help_text="The editor's note, signed (Markdown).")
    note_html = fields.TextField(blank=True, editable=False)
    labels = models.ManyToManyField(Label, blank=True, related_name="posts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    comments_open = models.BooleanField(default=True)
    # Visible comments, kept by the comments services (comment_count_refresh) so that listing
    # pages need no join or subquery to print "N comments".
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        # Listings read newest first and stop after a page: this index lets the database walk
        # back from "now" instead of sorting the whole archive (bench/README.md).
        indexes = [
            models.Index(fields=["published_at", "id"], name="post_timeline"),
            # Covers "live posts in a time range" counts (archive months) without table reads.
            models.Index(fields=["published_at", "status"], name="post_live"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="post_published_has_time",
            )
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        when = timezone.localtime(self.published_at or self.created)
        return reverse("post_detail", args=[when.year, f"{when.month:02d}", self.slug])

    def is_live(self, now=None) -> bool:
        """The one-post form of Post.objects.live()."""
        return self.status in self.RELEASED and self.published_at <= (now or timezone.now())

    def display_status(self, now=None) -> str:
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Published" if self.is_live(now) else "Scheduled"


class Source(models.Model):
    """One cited address (a clip's URL), shared by every clip that quotes it: what the last
    link check found, and the archived copies that outlive the original (sitrep.linkcheck)."""

    class State(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        ALIVE = "alive", "Alive"
        MOVED = "moved", "Moved"
        CHANGED = "changed", "Headline changed"
        GONE = "gone", "Gone"
        UNREACHABLE = "unreachable", "Unreachable"

    url = models.URLField(max_length=1000, unique=True)
    host = models.CharField(max_length=255, db_index=True)
    quoted_headline = fields.CharField(max_length=400, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNCHECKED)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True)  # where a moved source is now
    current_headline = fields.CharField(max_length=400, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)  # transient errors in a row
    last_error = fields.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    state_since = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The state the editors have seen and accepted; the report lists a source again only when
    # its state moves on from it.
    reviewed_state = models.CharField(max_length=12, blank=True)
    # A copy at a web archive, and our own copy of the page's text.
    archive_url = models.URLField(max_length=1000, blank=True)
    archive_error = models.CharField(max_length=500, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    text = fields.TextField(blank=True)
    text_title = fields.CharField(max_length=400, blank=True)
    text_fetched_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.url

    def needs_attention(self) -> bool:
        troubled = {self.State.MOVED, self.State.CHANGED, self.State.GONE, self.State.UNREACHABLE}
        return self.state in troubled and self.state != self.reviewed_state

    def live_url(self) -> str:
        """Where readers find the cited page today: its new address once it moved."""
        return self.final_url if self.state == self.State.MOVED else ""

    def is_dead(self) -> bool:
        return self.state in (self.State.GONE, self.State.UNREACHABLE)


class Clip(models.Model):
    """One quoted outside source inside a post: who wrote what, where, and the excerpt."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="clips")
    position = models.PositiveSmallIntegerField(default=0)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="clips")
    authors = fields.CharField(max_length=300, blank=True)
    source_headline = fields.CharField(max_length=400)
    url = models.URLField(max_length=1000)
    source_published = models.DateField(null=True, blank=True)
    excerpt = fields.TextField(help_text="As pasted: plain paragraphs, Markdown links or HTML.")
    excerpt_html = fields.TextField(editable=False)
    # The cited address's record (link checks, archived copies); set by the posts services.
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="clips"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["url"]),
            # Posts per outlet, counted from the index alone (bench/README.md).
            models.Index(fields=["outlet", "post"], name="clip_outlet_post"),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.source_headline}"


class ArchiveCount(models.Model):
    """Posts per archive month, label or outlet, kept by the post services (posts/counts.py),
    so the sidebar and archive pages never count a large archive on a cold cache."""

    class Kind(models.TextChoices):
        MONTH = "month"  # key: year * 100 + month, in the site's time zone
        LABEL = "label"  # key: label id
        OUTLET = "outlet"  # key: outlet id
        ZONE = "zone"  # key: which time zone the months were counted in

    kind = models.CharField(max_length=6, choices=Kind.choices)
    key = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="archivecount_kind_key")
        ]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.n}"
