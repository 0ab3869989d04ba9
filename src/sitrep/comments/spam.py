"""Guards a comment must pass before it is stored. Each returns a Verdict with a reason a
reader (and a moderator reading the log) can understand. Deeper checks join this list later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sitrep.accounts.selectors import name_is_reserved

# A real comment fits in this; longer pastes are almost always whole articles or spam.
MAX_BODY_CHARS = 6000
# Five comments in ten minutes from one address is a heated argument at most; more is a flood.
RATE_LIMIT_COUNT = 5
RATE_LIMIT_WINDOW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


OK = Verdict(True)


def check_honeypot(value: str) -> Verdict:
    if value:
        return Verdict(False, "The form was filled in by a program, not a person.")
    return OK


def check_body(body: str) -> Verdict:
    if not body.strip():
        return Verdict(False, "The comment is empty.")
    if len(body) > MAX_BODY_CHARS:
        return Verdict(
            False,
            f"The comment is {len(body):,} characters long; the limit is {MAX_BODY_CHARS:,}. "
            "Quote less of the article and link to it instead.",
        )
    return OK


def check_rate(*, recent_count: int) -> Verdict:
    if recent_count >= RATE_LIMIT_COUNT:
        minutes = int(RATE_LIMIT_WINDOW.total_seconds() // 60)
        return Verdict(
            False,
            f"You have posted {recent_count} comments in the last {minutes} minutes. "
            "Please wait a few minutes before posting again.",
        )
    return OK


def check_name(name: str, *, user=None) -> Verdict:
    """Nobody can comment under an editor's signature or name without being that editor."""
    if not name or (user is not None and getattr(user, "is_editor", False)):
        return OK
    if name_is_reserved(name):
        return Verdict(
            False, f"The name “{name}” belongs to an editor of this site. Choose another."
        )
    return OK
