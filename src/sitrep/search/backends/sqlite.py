"""SQLite FTS5 search. Schema: migrations/0002 creates `search_fts` and its sync triggers."""

from __future__ import annotations

import re

from django.db import connection

SCHEMA = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, body, outlets, labels,
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, headline, body, outlets, labels)
        VALUES (new.id, new.headline, new.body, new.outlets, new.labels); END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, body, outlets, labels)
        VALUES ('delete', old.id, old.headline, old.body, old.outlets, old.labels); END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, body, outlets, labels)
        VALUES ('delete', old.id, old.headline, old.body, old.outlets, old.labels);
        INSERT INTO search_fts(rowid, headline, body, outlets, labels)
        VALUES (new.id, new.headline, new.body, new.outlets, new.labels); END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

_TERM = re.compile(r'"([^"]+)"|(\w+)', re.UNICODE)


def to_match(query: str) -> str:
    """User text to an FTS5 expression: every word or "quoted phrase" must occur.

    Each term is quoted, so FTS5 operators and punctuation typed by a reader are plain text.
    """
    terms = []
    for phrase, word in _TERM.findall(query):
        text = " ".join(re.findall(r"\w+", phrase or word, re.UNICODE))
        if text:
            terms.append('"' + text.replace('"', "") + '"')
    return " ".join(terms)


def search(query: str, *, now, limit: int, offset: int):
    match = to_match(query)
    if not match:
        return [], 0
    where = """search_fts MATCH %s AND p.status IN ('published', 'scheduled')
               AND p.published_at <= %s"""
    base = f"""FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid
               JOIN posts_post p ON p.id = d.post_id WHERE {where}"""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base}", [match, now])
        total = cursor.fetchone()[0]
        # Column weights: headline 10, body 1, outlets 4, labels 4 (bm25: lower is better).
        cursor.execute(
            f"""SELECT d.post_id,
                       highlight(search_fts, 0, char(2), char(3)),
                       snippet(search_fts, 1, char(2), char(3), '…', 32)
                {base}
                ORDER BY bm25(search_fts, 10.0, 1.0, 4.0, 4.0), p.published_at DESC
                LIMIT %s OFFSET %s""",
            [match, now, limit, offset],
        )
        rows = cursor.fetchall()
    return rows, total
