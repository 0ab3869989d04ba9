"""WordPress's export (WXR: RSS 2.0 with wp:, content:, dc: elements): posts, categories and tags
as labels, authors, comments with threading and approval status, old permalinks."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlsplit

from sitrep.importers.records import CommentRecord, ImportFileError, PostRecord, Skipped
from sitrep.importers.xml import stream_elements

WP_NAMESPACES = [f"http://wordpress.org/export/1.{n}/" for n in (0, 1, 2)]
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft",
          "private": "draft"}  # fmt: skip
COMMENT_STATUS = {"1": "visible", "0": "held", "spam": "spam", "trash": "removed"}
BLOCK = re.compile(r"<(p|div|h[1-6]|ul|ol|blockquote|table|pre)\b", re.I)


def detect(peek: bytes) -> bool:
    return b"<rss" in peek and any(ns.encode() in peek for ns in WP_NAMESPACES)


def _text(element, tag) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _gmt(value: str, *, line) -> dt.datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        raise ImportFileError(f"'{value}' is not a date and time", line=line) from None


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines and shows them through wpautop; do the same."""
    if BLOCK.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def parse(stream: IO[bytes]) -> Iterator[PostRecord | CommentRecord | Skipped]:
    wp = None
    authors: dict[str, str] = {}
    for element in stream_elements(stream, {"item", *(f"{{{ns}}}author" for ns in WP_NAMESPACES)},
                                   depth=2):  # fmt: skip
        line = element.sourceline
        if element.tag != "item":
            ns = element.tag[1:].split("}")[0]
            login = _text(element, f"{{{ns}}}author_login")
            authors[login] = _text(element, f"{{{ns}}}author_display_name") or login
            continue
        wp = wp or next(
            (f"{{{ns}}}" for ns in WP_NAMESPACES if element.find(f"{{{ns}}}post_id") is not None),
            None,
        )
        if wp is None:
            raise ImportFileError(
                "an <item> has no wp:post_id; is this a WordPress export?", line=line
            )
        post_type = _text(element, f"{wp}post_type")
        status = _text(element, f"{wp}status")
        if post_type != "post":
            yield Skipped(post_type or "unknown item")
            continue
        if status not in STATUS:
            yield Skipped(f"{status or 'unknown'} post")
            continue
        post_id = _text(element, f"{wp}post_id")
        key = f"wp-post-{post_id}"
        published = _gmt(_text(element, f"{wp}post_date_gmt"), line=line)
        paths = []
        link = _text(element, "link")
        if link and urlsplit(link).path not in ("", "/"):
            paths.append(urlsplit(link).path)
        paths.append(f"/?p={post_id}")
        creator = _text(element, DC_CREATOR)
        yield PostRecord(
            key=key,
            headline=html.unescape(_text(element, "title")) or "(untitled)",
            status=STATUS[status],
            published_at=published,
            updated_at=_gmt(_text(element, f"{wp}post_modified_gmt"), line=line) or published,
            author=authors.get(creator, creator),
            html=autop(_text(element, CONTENT)),
            labels=[
                (c.text or "").strip()
                for c in element.findall("category")
                if c.get("domain") in ("category", "post_tag")
                and (c.text or "").strip()
                and (c.text or "").strip() != "Uncategorized"
            ],
            old_paths=paths,
            slug=_text(element, f"{wp}post_name"),
            comments_open=_text(element, f"{wp}comment_status") != "closed",
        )
        for comment in element.findall(f"{wp}comment"):
            comment_type = _text(comment, f"{wp}comment_type")
            if comment_type not in ("", "comment"):
                yield Skipped(comment_type)
                continue
            approved = _text(comment, f"{wp}comment_approved")
            name = html.unescape(_text(comment, f"{wp}comment_author"))
            parent = _text(comment, f"{wp}comment_parent")
            created = _gmt(_text(comment, f"{wp}comment_date_gmt"), line=comment.sourceline)
            yield CommentRecord(
                key=f"wp-comment-{_text(comment, f'{wp}comment_id')}",
                post_key=key,
                parent_key=f"wp-comment-{parent}" if parent not in ("", "0") else None,
                author_name=name,
                author_url=_text(comment, f"{wp}comment_author_url"),
                author_kind="named" if name else "anonymous",
                created=created or published,
                body_html=autop(_text(comment, f"{wp}comment_content")),
                status=COMMENT_STATUS.get(approved, "held"),
            )
