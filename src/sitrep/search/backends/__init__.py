"""The search engines (postgres.py, sqlite.py); search.selectors picks one by the database.

Both rank only the newest CANDIDATES matches and count up to one more: a word found in a
quarter of a million-post archive would otherwise be ranked and counted a quarter of a million
times per search. A search matching fewer posts is ranked over all of them."""

from sitrep.posts.models import Post

CANDIDATES = 1000
# The same posts as Post.objects.live(), for the engines' SQL: released, and p.published_at
# up to the parameter that follows.
LIVE_SQL = "p.status IN ({}) AND p.published_at <= %s".format(
    ", ".join(f"'{status}'" for status in Post.RELEASED)
)
