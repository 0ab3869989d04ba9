"""The search engines (postgres.py, sqlite.py); search.selectors picks one by the database.

Both rank only the newest CANDIDATES matches and count up to one more: a word found in a
quarter of a million-post archive would otherwise be ranked and counted a quarter of a million
times per search. A search matching fewer posts is ranked over all of them."""

CANDIDATES = 1000
