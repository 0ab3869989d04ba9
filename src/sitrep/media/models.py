from django.db import models
from django.utils import timezone

from sitrep.core import fields


class MediaFile(models.Model):
    """A file in the site's media library: a copy of an outside image an imported post showed,
    and (later) an editor's own upload. Stored once per content, whatever its addresses."""

    file = models.FileField(max_length=300)
    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()  # bytes
    # Where it was copied from, kept on record after every reference points here.
    original_url = fields.URLField(max_length=1000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.file.name

    @property
    def url(self) -> str:
        return self.file.url
