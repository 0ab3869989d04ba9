"""Full-text search over inbox items, in the database's own engine (as search/ does for posts):
an FTS5 table kept by triggers on SQLite, a GIN expression index on PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from sitrep.search.backends.sqlite import to_match

_PG_VECTOR = (
    "to_tsvector('english', coalesce(curation_inboxitem.title, '') || ' ' || "
    "coalesce(curation_inboxitem.summary_html, ''))"
)
SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE curation_inbox_fts USING fts5(title, summary_html,
        content='curation_inboxitem', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER curation_inbox_fts_ai AFTER INSERT ON curation_inboxitem BEGIN
        INSERT INTO curation_inbox_fts(rowid, title, summary_html)
        VALUES (new.id, new.title, new.summary_html); END""",
    """CREATE TRIGGER curation_inbox_fts_ad AFTER DELETE ON curation_inboxitem BEGIN
        INSERT INTO curation_inbox_fts(curation_inbox_fts, rowid, title, summary_html)
        VALUES ('delete', old.id, old.title, old.summary_html); END""",
    """CREATE TRIGGER curation_inbox_fts_au AFTER UPDATE OF title, summary_html
        ON curation_inboxitem BEGIN
        INSERT INTO curation_inbox_fts(curation_inbox_fts, rowid, title, summary_html)
        VALUES ('delete', old.id, old.title, old.summary_html);
        INSERT INTO curation_inbox_fts(rowid, title, summary_html)
        VALUES (new.id, new.title, new.summary_html); END""",
    "INSERT INTO curation_inbox_fts(curation_inbox_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS curation_inbox_fts_au",
    "DROP TRIGGER IF EXISTS curation_inbox_fts_ad",
    "DROP TRIGGER IF EXISTS curation_inbox_fts_ai",
    "DROP TABLE IF EXISTS curation_inbox_fts",
]
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
