from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from sitrep.core import fields


class MediaFile(models.Model):
    """An image in the site's media library: an editor's upload, or a copy of an outside image
    an imported post showed. Stored once per content, without the metadata it came with."""

    file = models.FileField(max_length=300)
    # Of the bytes as they came (an upload, a download): the same file again is the same entry.
    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()  # bytes
    animated = models.BooleanField(default=False)
    alt = fields.CharField(
        "alt text", blank=True, max_length=500,
        help_text="What the image shows, for readers who cannot see it.",
    )  # fmt: skip
    caption = fields.CharField(blank=True, max_length=300)
    credit = fields.CharField(
        blank=True,
        max_length=200,
        help_text="For example “Photo: Harbor Ledger” or “Map: our own”.",
    )
    # The sizes the worker made, narrowest first:
    # {"avif"|"webp"|"fallback": [[width, height, name], ...],
    # "card": name of the 1200x630 crop for link previews}. Empty until they are made.
    sizes = models.JSONField(default=dict, blank=True)
    # Where it was copied from, kept on record after every reference points here.
    original_url = fields.URLField(max_length=1000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.file.name

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def thumb_url(self) -> str:
        """The smallest size made, for lists of images; the full size until it is made."""
        made = self.sizes.get("fallback")
        return default_storage.url(made[0][2]) if made else self.url

    def names(self) -> list[str]:
        """Every stored file of this entry: the full size and each size made from it."""
        made = [
            name for kind in ("avif", "webp", "fallback") for *_, name in self.sizes.get(kind, ())
        ]
        return [self.file.name, *made, *([self.sizes["card"]] if "card" in self.sizes else [])]
