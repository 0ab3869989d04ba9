"""Full-text search over inbox items, in the database's own engine (as search/ does for posts):
an FTS5 table kept by triggers on SQLite, a GIN expression index on PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from sitrep.core.fts import external_content_schema, to_match

_PG_VECTOR = (
    "to_tsvector('english', coalesce(curation_inboxitem.title, '') || ' ' || "
    "coalesce(curation_inboxitem.summary_html, ''))"
)
SQLITE_SCHEMA, SQLITE_DROP = external_content_schema(
    table="curation_inboxitem", fts="curation_inbox_fts", columns=["title", "summary_html"]
)
PG_SCHEMA = [f"CREATE INDEX curation_inbox_fulltext ON curation_inboxitem USING gin ({_PG_VECTOR})"]
PG_DROP = ["DROP INDEX IF EXISTS curation_inbox_fulltext"]


def matching(queryset, query: str):
    """`queryset` narrowed to items matching every word of `query` (stemmed)."""
    if connection.vendor == "postgresql":
        condition = RawSQL(
            f"{_PG_VECTOR} @@ websearch_to_tsquery('english', %s)", [query], BooleanField()
        )
        return queryset.filter(condition)
    match = to_match(query)
    if not match:
        return queryset
    ids = RawSQL("SELECT rowid FROM curation_inbox_fts WHERE curation_inbox_fts MATCH %s", [match])
    return queryset.filter(pk__in=ids)
