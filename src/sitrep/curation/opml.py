"""Feed lists in and out as OPML 2.0 (what every feed reader imports and exports)."""

from __future__ import annotations

from typing import IO
from xml.sax.saxutils import quoteattr

from django.utils.translation import ngettext
from lxml import etree


class OpmlError(ValueError):
    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None):
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{reason}")


def import_summary(added: int, existing: int) -> str:
    """What an OPML import did, in words, for the desk and the command line alike."""
    return ngettext("%(n)d feed added", "%(n)d feeds added", added) % {"n": added} + (
        f", {existing} already here"
    )


def read(stream: IO[bytes]) -> list[tuple[str, str]]:
    """[(feed url, title)] from an OPML file; nested folders are flattened."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        root = etree.parse(stream, parser).getroot()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        reason = f"not well-formed OPML ({exc.msg})"
        raise OpmlError(reason, line=line, column=column) from None
    if root.tag != "opml":
        raise OpmlError("this is not an OPML file (no <opml> root)", line=1)
    return [
        (outline.get("xmlUrl").strip(), (outline.get("title") or outline.get("text") or "").strip())
        for outline in root.iter("outline")
        if outline.get("xmlUrl")
    ]


def write(feeds, *, title: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_escape(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = quoteattr(feed.display_name())
        site = f" htmlUrl={quoteattr(feed.site_url)}" if feed.site_url else ""
        lines.append(
            f'    <outline type="rss" text={name} title={name} xmlUrl={quoteattr(feed.url)}{site}/>'
        )
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
