from django.db import models

from sitrep.posts.models import Post


class SourceKey(models.Model):
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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="source_key_unique")]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.kind} {self.key} -> {self.object_id}"


class Redirect(models.Model):
    """An address the site had on its old platform, answered with a 301 to the post today."""

    old_path = models.CharField(max_length=500, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_path} -> post {self.post_id}"
