"""Recognise the curated-post pattern in an old post's HTML body and lift it into clips.

The pattern a curated news blog writes by hand, post after post:

    Author(s), Outlet: Source headline        (a line, usually bold, the headline linked)
    <blockquote> the excerpt </blockquote>
    Read more ....                            (linked to the source)
    Desk Editor: the editor's note            (signed)

`structure()` returns the clips and the note only when every line of the body is accounted for;
anything it does not understand means "keep the HTML as it was" (returns None), so no text is
ever lost to a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from sitrep.core.html import EXCERPT_TAGS, clean, to_text
from sitrep.core.urlnorm import BadURL, domain_of, normalize_url
from sitrep.posts.services import ClipData

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr"}
# "Author One and Author Two, Outlet Name: Source headline"; the author part is optional.
ATTRIBUTION = re.compile(
    r"^(?:(?P<authors>[^:]{2,160}?),\s+)?(?P<outlet>[^:,]{2,80}?):\s+(?P<headline>\S.*)$"
)
# "Desk Editor: note", "Night Editor: note", "Editor's note: note".
NOTE = re.compile(
    r"^(?P<signature>[^:]{0,40}\beditor(?:'s note)?)\s*:\s*(?P<note>.*)$", re.I | re.S
)
READ_MORE = re.compile(r"^(read more|continue reading|full story)\b", re.I)


@dataclass
class Line:
    kind: str  # "line" or "quote"
    html: str
    text: str
    links: list[str]


@dataclass
class Structured:
    clips: list[ClipData]
    note: str
    signature: str


def _lines(html: str) -> list[Line]:
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    out: list[Line] = []
    current: list[str] = []

    def flush():
        fragment = "".join(current).strip()
        current.clear()
        if fragment:
            out.append(_line("line", fragment))

    def walk(element):
        if element.text:
            current.append(_escape(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                flush()
            elif tag == "blockquote":
                flush()
                inner = (_escape(child.text) if child.text else "") + "".join(
                    etree.tostring(c, encoding="unicode", with_tail=True) for c in child
                )
                out.append(_line("quote", inner))
            elif tag in BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            elif tag:
                current.append(etree.tostring(child, encoding="unicode", with_tail=False))
            if child.tail:
                current.append(_escape(child.tail))

    walk(root)
    flush()
    return [line for line in out if line.text]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line(kind: str, fragment: str) -> Line:
    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    text = " ".join(tree.text_content().split())
    links = [a.get("href", "") for a in tree.iter("a") if a.get("href")]
    return Line(kind, fragment, text, links)


def _paragraphs(html: str) -> str:
    """A quoted excerpt as paragraphs: Blogger separates them with <br><br>, not <p>."""
    return clean("".join(f"<p>{line.html}</p>" for line in _lines(html)), tags=EXCERPT_TAGS)


def _url(candidates: list[str]) -> str | None:
    for href in candidates:
        try:
            return normalize_url(href)
        except BadURL:
            continue
    return None


def structure(html: str) -> Structured | None:
    """Clips and note from a curated body, or None when any part does not fit the pattern."""
    lines = _lines(html)
    clips: list[ClipData] = []
    note_parts: list[str] = []
    signature = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if note_parts:  # everything after the signed note belongs to the note
            if line.kind == "quote":
                return None
            note_parts.append(line.text)
            i += 1
            continue
        note = NOTE.match(line.text) if line.kind == "line" else None
        if note and not (i + 1 < len(lines) and lines[i + 1].kind == "quote"):
            signature = note["signature"].strip()
            note_parts.append(note["note"].strip())
            i += 1
            continue
        attribution = ATTRIBUTION.match(line.text) if line.kind == "line" else None
        if attribution and i + 1 < len(lines) and lines[i + 1].kind == "quote":
            quote = lines[i + 1]
            links = list(line.links)
            i += 2
            if i < len(lines) and lines[i].kind == "line" and READ_MORE.match(lines[i].text):
                links += lines[i].links
                i += 1
            url = _url(links)
            if url is None:
                return None
            clips.append(
                ClipData(
                    outlet_name=attribution["outlet"].strip(),
                    authors=(attribution["authors"] or "").strip(),
                    source_headline=attribution["headline"].strip(),
                    url=url,
                    excerpt=_paragraphs(quote.html),
                )
            )
            continue
        return None  # a line we cannot place: keep the body as it was
    if not clips:
        return None
    note_text = "\n\n".join(p for p in note_parts if p)
    if not _accounts_for_all_text(html, clips, note_text, signature):
        return None
    return Structured(clips=clips, note=note_text, signature=signature)


def _accounts_for_all_text(html, clips, note, signature) -> bool:
    """Every word of the body is in a clip, the note or a 'Read more' label."""
    original = set(re.findall(r"\w+", to_text(html).lower()))  # to_text keeps line breaks
    kept = " ".join(
        [note, signature]
        + [f"{c.authors} {c.outlet_name} {c.source_headline} {to_text(c.excerpt)}" for c in clips]
        + ["read more continue reading full story", " ".join(domain_of(c.url) for c in clips)]
    )
    return original <= set(re.findall(r"\w+", kept.lower()))
