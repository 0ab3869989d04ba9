from django.conf import settings
from django.db import models
from django.utils import timezone

from sitrep.media.models import MediaFile
from sitrep.posts.models import Post


class ImportRun(models.Model):
    """One import of an export file, from the desk or the command line: where it stands, what
    it brought in and skipped, and the copying of the images its posts show."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the worker"
        CHECKING = "checking", "Checking the file"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Refused"

    name = models.CharField(max_length=300)  # the file's own name
    path = models.CharField(max_length=500, blank=True)  # an upload waiting for the worker
    format = models.CharField(max_length=12, default="auto")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    error = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)  # ImportReport.as_dict()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} ({self.status})"

    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImageCopy(models.Model):
    """An outside image an imported post shows, to be copied into the media library; the
    address it had stays on record here and on the MediaFile."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        COPIED = "copied", "Copied"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="images")
    url = models.URLField(max_length=1000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    error = models.CharField(max_length=300, blank=True)
    media = models.ForeignKey(MediaFile, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "url"], name="image_copy_unique")]

    def __str__(self):
        return f"{self.url} ({self.status})"


class ImportKey(models.Model):
    """Which sitrep object an item of an imported file became, by the file's own id.

    The natural key that makes imports idempotent: importing the same export twice finds every
    key already here and adds nothing; a newer export adds only the keys it has that are new.
    """

    class Kind(models.TextChoices):
        POST = "post"
        COMMENT = "comment"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=300)
    object_id = models.BigIntegerField()
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="import_key_unique")]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.kind} {self.key} -> {self.object_id}"


class Redirect(models.Model):
    """An address the site had on its old platform, answered with a 301 to the post today."""

    old_path = models.CharField(max_length=500, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_path} -> post {self.post_id}"
