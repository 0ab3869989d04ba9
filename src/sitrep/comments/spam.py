"""Guards a comment must pass before it is stored. Each returns a Verdict with a reason a
reader (and a moderator reading the log) can understand. Deeper checks join this list later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sitrep.accounts.selectors import name_is_reserved
from sitrep.core import formtoken

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


# --- Scoring ---------------------------------------------------------------------------------
# A comment collects points from signals; at HOLD_AT it waits for a moderator, at SPAM_AT it
# goes straight to the spam folder (kept, never deleted, until purged). Each signal's weight is
# its own line so a moderator reading "why held" sees the same words the code uses.
HOLD_AT = 3
SPAM_AT = 8
MIN_SECONDS_TO_WRITE = 3  # a person needs longer than this to read a post and type a comment
MANY_LINKS = 3
LINK_FARM = 6
REPEAT_WINDOW = dt.timedelta(hours=24)

_URL = re.compile(r"https?://([^/\s)>\]]+)", re.I)


@dataclass
class Scored:
    points: int
    signals: list[str]

    def add(self, points: int, signal: str) -> None:
        self.points += points
        self.signals.append(f"{signal} (+{points})")


def link_domains(body: str) -> list[str]:
    return [d.lower().removeprefix("www.") for d in _URL.findall(body or "")]


form_token = formtoken.issue
seconds_since_form = formtoken.age


def score(
    *,
    body: str,
    elapsed: float | None,
    recent_count: int,
    first_comment: bool,
    repeated: bool,
    spam_domains: set[str],
    blocked_words: list[str],
    spam_probability: float | None,
    timed: bool = True,
) -> Scored:
    """`timed=False` for comments that did not come through the form (no time stamp to check)."""
    result = Scored(0, [])
    if not timed:
        pass
    elif elapsed is None:
        result.add(2, "the form's time stamp is missing or invalid")
    elif elapsed < MIN_SECONDS_TO_WRITE:
        result.add(3, f"sent {elapsed:.0f} s after the page loaded")
    domains = link_domains(body)
    if len(domains) >= LINK_FARM:
        result.add(5, f"{len(domains)} links")
    elif len(domains) >= MANY_LINKS:
        result.add(2, f"{len(domains)} links")
    bad = sorted({d for d in domains if d in spam_domains})
    if bad:
        result.add(5, "links to a domain marked spam: " + ", ".join(bad))
    if repeated:
        result.add(4, "the same text was posted in the last 24 hours")
    if recent_count >= RATE_LIMIT_COUNT // 2 + 1:
        result.add(1, f"{recent_count} comments from this address in 10 minutes")
    lowered = (body or "").lower()
    hits = [w for w in blocked_words if w.lower() in lowered]
    if hits:
        result.add(5, "blocked words: " + ", ".join(hits[:5]))
    if first_comment:
        result.add(1, "first comment from this commenter")
    if spam_probability is not None and spam_probability > 0.99:
        result.add(5, f"reads like past spam ({spam_probability:.0%})")
    elif spam_probability is not None and spam_probability > 0.9:
        result.add(3, f"reads like past spam ({spam_probability:.0%})")
    return result
