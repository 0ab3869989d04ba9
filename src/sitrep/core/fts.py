"""SQLite FTS5 over an ordinary table, kept in step by triggers (the "external content" pattern,
https://www.sqlite.org/fts5.html#external_content_tables). Used by search/ for posts and by
curation/ for inbox items; each creates its schema in a migration."""

from __future__ import annotations

import re

TOKENIZE = "porter unicode61 remove_diacritics 2"  # stemmed, accent-insensitive
_TERM = re.compile(r'"([^"]+)"|(\w+)', re.UNICODE)


def external_content_schema(*, table: str, fts: str, columns: list[str]) -> tuple[list, list]:
    """(statements that create `fts` over `table`'s `columns`, statements that drop it)."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    create = [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5({cols},
            content='{table}', content_rowid='id', tokenize='{TOKENIZE}')""",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # index rows that already exist
    ]
    drop = [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("au", "ad", "ai")]
    drop.append(f"DROP TABLE IF EXISTS {fts}")
    return create, drop


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
