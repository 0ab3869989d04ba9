"""PostgreSQL full-text search over a generated, weighted tsvector column (migrations/0002)."""

from __future__ import annotations

from django.db import connection

from sitrep.search.backends import CANDIDATES, LIVE_SQL

CONFIG = "english"
SCHEMA = [
    f"""ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}', coalesce(headline, '')), 'A') ||
            setweight(to_tsvector('{CONFIG}', coalesce(sources, '') || ' ' ||
                                              coalesce(outlets, '') || ' ' ||
                                              coalesce(labels, '')), 'B') ||
            setweight(to_tsvector('{CONFIG}', coalesce(body, '')), 'C')
        ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]

_MARKS = "StartSel=\x02, StopSel=\x03"


def search(query: str, *, now, limit: int, offset: int, outlet_id: int | None = None):
    if not query.strip():
        return [], 0
    base = f"""FROM search_searchdocument d JOIN posts_post p ON p.id = d.post_id,
                    websearch_to_tsquery('{CONFIG}', %s) q
               WHERE d.search_vector @@ q AND {LIVE_SQL}"""
    params = [query, now]
    if outlet_id is not None:
        base += " AND p.id IN (SELECT post_id FROM posts_clip WHERE outlet_id = %s)"
        params.append(outlet_id)
    with connection.cursor() as cursor:
        # One pass over the matches: the newest CANDIDATES + 1 (the published_at index walks
        # back from now), counted, the first CANDIDATES ranked; then highlights for the page's
        # rows only. (A separate count walked the same matches again: a phrase search at a
        # million posts spent half its time on it.)
        cursor.execute(
            f"""WITH recent AS MATERIALIZED (
                    SELECT d.post_id, d.headline, d.body, d.search_vector, q, p.published_at
                    {base}
                    ORDER BY p.published_at DESC LIMIT %s),
                hits AS (
                    SELECT post_id, headline, body, q, published_at,
                           ts_rank_cd(search_vector, q) AS rank
                    FROM (SELECT * FROM recent ORDER BY published_at DESC LIMIT %s) ranked
                    ORDER BY rank DESC, published_at DESC LIMIT %s OFFSET %s)
                SELECT post_id,
                       ts_headline('{CONFIG}', headline, q, 'HighlightAll=true, {_MARKS}'),
                       ts_headline('{CONFIG}', body, q,
                                   'MaxFragments=2, MaxWords=32, MinWords=12, {_MARKS}'),
                       (SELECT count(*) FROM recent)
                FROM hits ORDER BY rank DESC, published_at DESC""",
            [*params, CANDIDATES + 1, CANDIDATES, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            return [row[:3] for row in rows], rows[0][3]
        if not offset:
            return [], 0
        # Past the last page: no row carries the count, so count on its own.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) s", [*params, CANDIDATES + 1]
        )
        return [], cursor.fetchone()[0]
