from django.db import models

from sitrep.core import fields
from sitrep.posts.models import Post


class SearchDocument(models.Model):
    """The searchable text of one post, flattened.

    The database indexes it in its own way (see migrations/0002): an FTS5 table kept in step by
    triggers on SQLite, a generated, weighted tsvector column with a GIN index on PostgreSQL.
    """

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="search_document")
    headline = fields.TextField()
    body = fields.TextField()  # excerpts, the editor's own text and note: where snippets come from
    sources = fields.TextField(blank=True)  # the clips' source headlines and authors
    outlets = fields.TextField(blank=True)
    labels = fields.TextField(blank=True)

    def __str__(self):
        return f"Search document of post {self.post_id}"
