"""Text that is safe to store and to write anywhere: pages, feeds, exports, e-mail.

XML 1.0 forbids most control characters, and Django's feed writer refuses a whole feed over one
of them, so a single comment name holding one would take every comment feed down. Text loses
them on its way into the database (core.fields) instead of every writer checking on its way out.
"""

from __future__ import annotations

import re

# C0 controls other than tab, line feed and carriage return; the two non-characters XML also
# forbids; and lone surrogates, which no encoder will write.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold; everything else kept as it was."""
    if not text:
        return text
    return NOT_IN_XML.sub("", text)


def unprintable_pattern(vendor: str) -> str:
    """A database regex matching text printable() would change (PostgreSQL text holds no NUL)."""
    first = "\x01" if vendor == "postgresql" else "\x00"
    return f"[{first}-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def one_line(text: str) -> str:
    """A name or title as stored: printable, its runs of whitespace one space, no space at the
    ends. (Unprintable characters go first: several of them count as whitespace to split().)"""
    return " ".join(printable(text).split())
