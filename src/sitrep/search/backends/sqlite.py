"""SQLite FTS5 search. Schema: migrations/0002 creates `search_fts` and its sync triggers."""

from __future__ import annotations

from django.db import connection

from sitrep.core.fts import external_content_schema, to_match
from sitrep.search.backends import CANDIDATES, LIVE_SQL

COLUMNS = ["headline", "body", "sources", "outlets", "labels"]
SCHEMA, DROP = external_content_schema(
    table="search_searchdocument", fts="search_fts", columns=COLUMNS
)


def search(query: str, *, now, limit: int, offset: int, outlet_id: int | None = None):
    match = to_match(query)
    if not match:
        return [], 0
    where = f"search_fts MATCH %s AND {LIVE_SQL}"
    params = [match, now]
    if outlet_id is not None:
        where += " AND p.id IN (SELECT post_id FROM posts_clip WHERE outlet_id = %s)"
        params.append(outlet_id)
    # CROSS JOIN pins the join order: FTS matches first, then one primary-key lookup each.
    # With plain JOINs the planner may walk every live post and probe the FTS index per post,
    # a hundred times slower on a large archive (bench/README.md).
    tables = """FROM search_fts CROSS JOIN search_searchdocument d ON d.id = search_fts.rowid
                CROSS JOIN posts_post p ON p.id = d.post_id"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {tables} WHERE {where} LIMIT %s)",
            [*params, CANDIDATES + 1],
        )
        total = cursor.fetchone()[0]
        # Rank the newest CANDIDATES documents that match (FTS5 walks its index by rowid,
        # newest first), so a very common word is not ranked over the whole archive.
        cursor.execute(
            """SELECT min(rowid) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s
               ORDER BY rowid DESC LIMIT %s)""",
            [match, CANDIDATES],
        )
        cutoff = cursor.fetchone()[0] or 0
        cursor.execute(
            f"""SELECT d.post_id,
                       highlight(search_fts, 0, char(2), char(3)),
                       snippet(search_fts, 1, char(2), char(3), '…', 32)
                {tables} WHERE {where} AND search_fts.rowid >= %s
                ORDER BY bm25(search_fts, 10.0, 1.0, 3.0, 4.0, 4.0), p.published_at DESC
                LIMIT %s OFFSET %s""",
            [*params, cutoff, limit, offset],
        )
        rows = cursor.fetchall()
    return rows, total
