"""Dates as real exports write them: ISO 8601 with or without a zone, padded with whitespace,
or in the looser forms older tools wrote."""

from __future__ import annotations

import datetime as dt

from dateutil import parser as dateutil_parser


def parse_time(value: str) -> dt.datetime | None:
    """An aware datetime (UTC when the text names no zone), or None when `value` is empty, a
    zero date or not a date."""
    text = (value or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        found = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            found = dateutil_parser.parse(text)
        except (ValueError, OverflowError):
            return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)
