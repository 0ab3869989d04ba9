"""WordPress's export (WXR 1.0-1.2: RSS 2.0 with wp:, content:, dc: elements), as WordPress,
WordPress.com and plugins write it: posts, categories and tags as labels, authors, comments
with threading and approval status, old permalinks.

Keys carry the site's address (`wordpress:<site>:post-<id>`), so two sites imported into one
never collide. Real exports repeat a `wp:post_id` now and then (merged or plugin-written files);
a repeated id gets a key of its own made from the entry's title, date and slug, so both posts
come in and a second import of the same file still adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlsplit

from sitrep.importers.dates import parse_time
from sitrep.importers.records import CommentRecord, ImportFileError, PostRecord, Skipped
from sitrep.importers.xml import stream_elements, text_of

WP_NAMESPACES = [f"http://wordpress.org/export/1.{n}/" for n in (0, 1, 2)]
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft",
          "private": "draft"}  # fmt: skip
COMMENT_STATUS = {"1": "visible", "0": "held", "spam": "spam", "trash": "removed"}
BLOCK = re.compile(r"<(p|div|h[1-6]|ul|ol|blockquote|table|pre)\b", re.I)
SKIPPED_TYPES = {
    "page": "a page, not a post: sitrep imports posts",
    "attachment": "a media library entry; images shown in posts come along with the posts",
    "nav_menu_item": "a menu entry of the old theme",
    "revision": "an earlier revision of a post",
    "wp_block": "a reusable block of the block editor",
}
SKIPPED_COMMENTS = {
    "pingback": "a pingback: a notice that another site linked here, not a reader's comment",
    "trackback": "a trackback: a notice that another site linked here, not a reader's comment",
}


def detect(peek: bytes) -> bool:
    return b"<rss" in peek and any(ns.encode() in peek for ns in WP_NAMESPACES)


def _site(url: str) -> str:
    """https://news.example.org/blog/ -> news.example.org/blog"""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower() + parts.path).rstrip("/") or "unknown"


class _Clock:
    """WordPress writes each time twice, in the site's zone and in UTC; when the UTC one is
    zero (drafts published later, some plugins) the local one is read with the site's offset,
    as learnt from entries that have both."""

    def __init__(self):
        self.offset = dt.timedelta(0)

    def read(self, gmt: str, local: str) -> dt.datetime | None:
        utc, here = parse_time(gmt), parse_time(local)
        if utc and here:
            self.offset = here.replace(tzinfo=None) - utc.replace(tzinfo=None)
            return utc
        if here:
            return here - self.offset
        return utc


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines and shows them through wpautop; do the same."""
    if BLOCK.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


class _Reader:
    def __init__(self):
        self.wp: str | None = None
        self.site = "unknown"
        self.authors: dict[str, str] = {}
        self.clock = _Clock()
        self.seen: set[str] = set()

    def key(self, kind: str, number: str, *identity: str) -> tuple[str, str]:
        """(key, legacy key) of a post or comment, unique within this file."""
        key = f"wordpress:{self.site}:{kind}-{number}"
        if key in self.seen:
            key = f"{key}~{_digest(*identity)}"
        self.seen.add(key)
        return key, f"wp-{kind}-{number}"

    def channel(self, element) -> None:
        local = element.tag.rsplit("}", 1)[-1]
        if local == "author":
            ns = element.tag[1:].split("}")[0]
            login = text_of(element, f"{{{ns}}}author_login")
            self.authors[login] = text_of(element, f"{{{ns}}}author_display_name") or login
        elif local in ("base_blog_url", "base_site_url", "link") and (element.text or "").strip():
            # The blog's own address is the most exact; the channel's link comes first.
            if local == "base_blog_url" or self.site == "unknown":
                self.site = _site(element.text)

    def item(self, element) -> Iterator[PostRecord | CommentRecord | Skipped]:
        line = element.sourceline
        title = html.unescape(text_of(element, "title"))
        self.wp = self.wp or next(
            (f"{{{ns}}}" for ns in WP_NAMESPACES if element.find(f"{{{ns}}}post_id") is not None),
            None,
        )
        if self.wp is None:
            raise ImportFileError(
                "an <item> has no wp:post_id; expected a WordPress export (WXR)", line=line
            )
        wp = self.wp
        post_type = text_of(element, f"{wp}post_type") or "post"
        status = text_of(element, f"{wp}status")
        if post_type != "post":
            reason = SKIPPED_TYPES.get(post_type, f"a '{post_type}' entry of a plugin or theme")
            yield Skipped(post_type, reason, title=title or f"#{text_of(element, f'{wp}post_id')}",
                          line=line)  # fmt: skip
            return
        if not status and element.find(f"{wp}comment") is not None:
            # Comment exports written by plugins (Disqus's among them) carry only each page's
            # address and its comments: they belong to a post already on the site.
            site_key = f"wordpress:{self.site}:comment-"
            for comment in element.findall(f"{wp}comment"):
                yield from self.comment(comment, "", None, site_key, text_of(element, "link"))
            return
        if status not in STATUS:
            reason = (
                f"its status is '{status}' (trashed or unknown)"
                if status
                else ("it has no status and no comments: neither a post nor a page's comments")
            )
            yield Skipped("post", reason, title=title, line=line)
            return
        post_id = text_of(element, f"{wp}post_id")
        published = self.clock.read(
            text_of(element, f"{wp}post_date_gmt"), text_of(element, f"{wp}post_date")
        )
        key, legacy = self.key(
            "post",
            post_id,
            title,
            text_of(element, f"{wp}post_date"),
            text_of(element, f"{wp}post_name"),
        )
        paths = []
        link = text_of(element, "link")
        if link and urlsplit(link).path not in ("", "/"):
            paths.append(urlsplit(link).path)
        paths.append(f"/?p={post_id}")
        creator = text_of(element, DC_CREATOR)
        yield PostRecord(
            key=key,
            legacy_key=legacy,
            line=line,
            url=link,
            headline=title or "(untitled)",
            status=STATUS[status],
            published_at=published,
            updated_at=self.clock.read(
                text_of(element, f"{wp}post_modified_gmt"), text_of(element, f"{wp}post_modified")
            )
            or published,
            author=self.authors.get(creator, creator),
            html=autop(text_of(element, CONTENT)),
            labels=[
                html.unescape((c.text or "").strip())
                for c in element.findall("category")
                if c.get("domain") in ("category", "post_tag")
                and (c.text or "").strip()
                and (c.text or "").strip() != "Uncategorized"
            ],
            old_paths=paths,
            slug=text_of(element, f"{wp}post_name"),
            comments_open=text_of(element, f"{wp}comment_status") != "closed",
        )
        site_key = f"wordpress:{self.site}:comment-"
        for comment in element.findall(f"{wp}comment"):
            yield from self.comment(comment, key, published, site_key)

    def comment(self, comment, post_key, published, site_key, post_url=""):
        wp = self.wp
        line = comment.sourceline
        name = html.unescape(text_of(comment, f"{wp}comment_author"))
        comment_type = text_of(comment, f"{wp}comment_type")
        if comment_type not in ("", "comment"):
            reason = SKIPPED_COMMENTS.get(comment_type, f"a comment of type '{comment_type}'")
            yield Skipped(comment_type, reason, title=name or "(no name)", line=line)
            return
        local_date = text_of(comment, f"{wp}comment_date")
        key, legacy = self.key(
            "comment", text_of(comment, f"{wp}comment_id"), post_key, name, local_date
        )
        parent = text_of(comment, f"{wp}comment_parent")
        created = self.clock.read(text_of(comment, f"{wp}comment_date_gmt"), local_date)
        yield CommentRecord(
            key=key,
            legacy_key=legacy,
            line=line,
            old_anchor=f"comment-{text_of(comment, f'{wp}comment_id')}"[:40],
            post_key=post_key,
            post_url=post_url,
            parent_key=f"{site_key}{parent}" if parent not in ("", "0") else None,
            author_name=name,
            author_url=text_of(comment, f"{wp}comment_author_url"),
            author_kind="named" if name else "anonymous",
            created=created or published,
            body_html=autop(text_of(comment, f"{wp}comment_content")),
            status=COMMENT_STATUS.get(text_of(comment, f"{wp}comment_approved"), "held"),
        )


def parse(stream: IO[bytes]) -> Iterator[PostRecord | CommentRecord | Skipped]:
    reader = _Reader()
    channel = {"link", *(f"{{{ns}}}{name}" for ns in WP_NAMESPACES
                         for name in ("author", "base_site_url", "base_blog_url"))}  # fmt: skip
    for element in stream_elements(stream, {"item", *channel}, depth=2):
        if element.tag == "item":
            yield from reader.item(element)
        else:
            reader.channel(element)
