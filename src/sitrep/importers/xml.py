"""Streaming, safe XML reading for every importer.

lxml's iterparse with entity resolution, DTD loading and network access off: an entity bomb
stays unexpanded and an external entity is never fetched. Elements are yielded as they end and
freed once the caller moves on, so memory stays flat however large the file is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from sitrep.importers.records import ImportFileError


def _depth(element) -> int:
    depth = 0
    while (element := element.getparent()) is not None:
        depth += 1
    return depth


def stream_elements(
    stream: IO[bytes], tags: set[str], *, depth: int = 1
) -> Iterator[etree._Element]:
    """Yield each complete element with a tag in `tags` at `depth` below the root (1: children
    of the root), then free it and its earlier siblings."""
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=list(tags),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for _event, element in context:
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
