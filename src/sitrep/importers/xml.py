"""Streaming, safe and forgiving XML reading for every importer.

lxml's iterparse with entity resolution, DTD loading and network access off: an entity bomb
stays unexpanded and an external entity is never fetched. Elements are yielded as they end and
freed once the caller moves on, so memory stays flat however large the file is.

Real exports are not always well-formed, and two faults are common enough to forgive:
- a namespace prefix used without being declared (WordPress.com wrote `atom:link` that way for
  years): libxml2's recover mode reads the element under its prefixed name and goes on;
- HTML's named entities (`&eacute;`, `&nbsp;`) in a file with no DTD: they become the numeric
  references XML knows.
Any other fault stops the import at its line and column.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from sitrep.importers.records import ImportFileError

# Named references that XML itself does not define but HTML does.
_HTML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_PARTIAL_ENTITY = re.compile(rb"&[A-Za-z0-9]{0,32}$")
FORGIVEN = {etree.ErrorTypes.NS_ERR_UNDEFINED_NAMESPACE}


def _numeric(match: re.Match) -> bytes:
    codepoint = html.entities.name2codepoint.get(match.group(1).decode())
    return b"&#%d;" % codepoint if codepoint else match.group(0)


class _HtmlEntities:
    """A byte stream with HTML's named entities written as numeric references."""

    def __init__(self, raw: IO[bytes]):
        self.raw, self.held = raw, b""

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.raw.read(size)
            data, self.held = self.held + chunk, b""
            if chunk and size and size > 0:
                # An entity cut by the chunk's end waits for the rest of it.
                partial = _PARTIAL_ENTITY.search(data, max(0, len(data) - 34))
                if partial:
                    data, self.held = data[: partial.start()], data[partial.start() :]
                    if not data:
                        continue
            return _HTML_ENTITY.sub(_numeric, data) if b"&" in data else data


def text_of(element, tag: str) -> str:
    """The stripped text of `element`'s first child `tag` ("" when it has none): real exports
    pad values with whitespace and leave optional elements out."""
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _depth(element) -> int:
    depth = 0
    while (element := element.getparent()) is not None:
        depth += 1
    return depth


def _stop_at_fault(log, seen: int) -> int:
    """Raise ImportFileError for the first fault past `seen` that is not forgiven."""
    for entry in list(log)[seen:]:
        if entry.level >= etree.ErrorLevels.ERROR and entry.type not in FORGIVEN:
            message = entry.message.strip().rstrip(".")
            raise ImportFileError(
                f"the file is not well-formed XML ({message})",
                line=entry.line,
                column=entry.column,
            )
    return len(log)


def stream_elements(
    stream: IO[bytes], tags: set[str], *, depth: int = 1
) -> Iterator[etree._Element]:
    """Yield each complete element with a tag in `tags` at `depth` below the root (1: children
    of the root), then free it and its earlier siblings."""
    context = etree.iterparse(
        _HtmlEntities(stream),
        events=("end",),
        tag=list(tags),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        recover=True,
    )
    seen = 0
    try:
        for _event, element in context:
            seen = _stop_at_fault(context.error_log, seen)
            if _depth(element) != depth:
                continue
            yield element
            # Free the element and everything before it; an entry's children go with it.
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        message = exc.msg.split(", line ")[0]
        raise ImportFileError(
            f"the file is not well-formed XML ({message})", line=line, column=column
        ) from None
    _stop_at_fault(context.error_log, seen)
