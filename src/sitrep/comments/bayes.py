"""A plain, documented naive Bayes spam classifier that learns from moderators' decisions.

Every comment a moderator marks spam adds its words to the spam counts; every comment approved
out of the queue adds them to the ham counts. A new comment's spam probability combines the
most telling words (Graham's "A Plan for Spam": the 15 words furthest from 0.5, each word's
probability clamped to [0.01, 0.99] and unseen words ignored). No library fitted better: the
classifiers on PyPI either need NumPy or keep their model in a pickle; this keeps it in the
database both SQLite and PostgreSQL share, and it is about forty lines.
"""

from __future__ import annotations

import math
import re

from django.core.cache import cache
from django.db.models import F

from sitrep.comments.models import SpamToken

MIN_TRAINING = 10  # decisions on each side before the classifier says anything
TOP_WORDS = 15
_WORD = re.compile(r"[a-z0-9][a-z0-9'$-]{2,30}")
TRAINED_KEY = "sitrep:bayes-trained"


def tokens(text: str) -> set[str]:
    return set(_WORD.findall((text or "").lower()))


def learn(text: str, *, is_spam: bool) -> None:
    words = tokens(text) | {"__total__"}
    field = "spam" if is_spam else "ham"
    existing = set(SpamToken.objects.filter(token__in=words).values_list("token", flat=True))
    SpamToken.objects.bulk_create(
        [SpamToken(token=w) for w in words - existing], ignore_conflicts=True
    )
    SpamToken.objects.filter(token__in=words).update(**{field: F(field) + 1})
    cache.delete(TRAINED_KEY)


def trained() -> bool:
    """Whether both sides have MIN_TRAINING decisions: until then the classifier says nothing,
    and a new site's comments skip its query (cached; counts only grow, learn() clears it)."""
    known = cache.get(TRAINED_KEY)
    if known is None:
        total = SpamToken.objects.filter(token="__total__").first()
        known = total is not None and min(total.spam, total.ham) >= MIN_TRAINING
        cache.set(TRAINED_KEY, known, None if known else 3600)
    return known


def spam_probability(text: str) -> float | None:
    if not trained():
        return None
    words = tokens(text)
    counts = {t.token: t for t in SpamToken.objects.filter(token__in=words | {"__total__"})}
    total = counts.get("__total__")
    if total is None or total.spam < MIN_TRAINING or total.ham < MIN_TRAINING:
        return None
    probabilities = []
    for word in words:
        row = counts.get(word)
        if row is None or row.spam + row.ham < 2:
            continue
        p_spam = row.spam / total.spam
        p_ham = row.ham / total.ham
        p = p_spam / (p_spam + p_ham)
        probabilities.append(min(0.99, max(0.01, p)))
    if not probabilities:
        return None
    telling = sorted(probabilities, key=lambda p: abs(p - 0.5), reverse=True)[:TOP_WORDS]
    log_spam = sum(math.log(p) for p in telling)
    log_ham = sum(math.log(1 - p) for p in telling)
    return 1 / (1 + math.exp(log_ham - log_spam))
