"""Blogger's "Back up content" export: an Atom file with posts, comments, settings and template.

Both shapes Blogger has written are read:
- the classic one, where an entry's kind is a <category> in the
  http://schemas.google.com/g/2005#kind scheme, drafts carry <app:draft>yes</app:draft>, and a
  comment points at its post with <thr:in-reply-to> and at the comment it answers with a
  <link rel="related">;
- the newer one, with <blogger:type>, <blogger:status>, <blogger:filename>, <blogger:parent> and
  <blogger:inReplyTo> elements.

The file is streamed (see importers.xml), so neither its size nor a "billion laughs" entity
bomb can exhaust memory. Keys carry the blog's id (`blogger:<blog>:post-<id>`), so two blogs
imported into one site never collide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlsplit

from sitrep.importers.dates import parse_time
from sitrep.importers.records import CommentRecord, ImportFileError, PostRecord, Skipped
from sitrep.importers.xml import stream_elements, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
BLOGGER = "{http://schemas.google.com/blogger/2018}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEMES = {"http://www.blogger.com/atom/ns#", None, ""}
ANONYMOUS_NAMES = {"anonymous", ""}
UNKNOWN_NAMES = {"unknown"}
ENTRY_ID = re.compile(r"tag:blogger\.com,\d+:blog-(\d+)\.(.+)$")
BLOG_ID = re.compile(r"tag:blogger\.com,\d+:blog-(\d+)$")
# A classic export's link from a reply to the comment it answers.
RELATED = re.compile(r"/feeds/(\d+)/\d+/comments/default/(\d+)")
SKIPPED = {
    "settings": "one of Blogger's blog settings; sitrep keeps its own",
    "template": "Blogger's page template; sitrep has its own (SITREP_TEMPLATE_DIR re-themes it)",
    "page": "a Blogger page, not a post: sitrep imports posts",
}


class _Skip(Exception):
    """An entry that cannot become a post or comment: skipped and listed, the import goes on."""


def detect(peek: bytes) -> bool:
    head = peek[:4000]
    return b"http://www.w3.org/2005/Atom" in head and (
        b"blogger" in head.lower() or b"schemas.google.com" in head
    )


def _time(value: str, what: str) -> dt.datetime | None:
    if not value:
        return None
    found = parse_time(value)
    if found is None:
        raise _Skip(f"its {what} '{value.strip()}' is not a date and time")
    return found


def _short_id(entry_id: str) -> str:
    """tag:blogger.com,1999:blog-123.post-456 -> post-456: the key older sitrep gave it."""
    return entry_id.rsplit(".", 1)[-1] if "." in entry_id else entry_id


def _key(entry_id: str, blog: str) -> str:
    """tag:blogger.com,1999:blog-123.post-456 -> blogger:123:post-456."""
    match = ENTRY_ID.match(entry_id.strip())
    if match:
        return f"blogger:{match[1]}:{match[2]}"
    return f"blogger:{blog}:{entry_id.strip()}"


def _kind(entry) -> str:
    explicit = text_of(entry, f"{BLOGGER}type").lower()
    if explicit:
        return explicit
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").rsplit("#", 1)[-1]
    return "unknown"


def _status(entry, published: dt.datetime | None, exported: dt.datetime | None) -> str:
    explicit = text_of(entry, f"{BLOGGER}status").upper()
    if explicit:
        if explicit in {"DRAFT", "SOFT_TRASHED"}:
            return "draft"
        if explicit == "SCHEDULED":
            return "scheduled"
        return "published"
    control = entry.find(f"{APP}control")
    if control is not None and text_of(control, f"{APP}draft").lower() == "yes":
        return "draft"
    if published and exported and published > exported:
        return "scheduled"
    return "published"


def _old_paths(entry) -> list[str]:
    paths = []
    filename = text_of(entry, f"{BLOGGER}filename")
    if filename:
        paths.append("/" + filename.lstrip("/"))
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "alternate" and link.get("href"):
            path = urlsplit(link.get("href")).path
            if path and path not in paths:
                paths.append(path)
    return paths


def _author(entry) -> tuple[str, str]:
    author = entry.find(f"{ATOM}author")
    if author is None:
        return "", ""
    return text_of(author, f"{ATOM}name"), text_of(author, f"{ATOM}uri")


def _post(entry, key, legacy, line, exported) -> PostRecord:
    published = _time(text_of(entry, f"{ATOM}published"), "publishing date")
    updated = _time(text_of(entry, f"{ATOM}updated"), "update date") or published
    labels = [
        c.get("term", "").strip()
        for c in entry.findall(f"{ATOM}category")
        if c.get("scheme") in LABEL_SCHEMES and c.get("term", "").strip()
    ]
    paths = _old_paths(entry)
    slug = paths[0].rsplit("/", 1)[-1].removesuffix(".html") if paths else ""
    alternate = next(
        (a.get("href") for a in entry.findall(f"{ATOM}link") if a.get("rel") == "alternate"), ""
    )
    return PostRecord(
        key=key,
        legacy_key=legacy,
        line=line,
        url=alternate or "",
        headline=text_of(entry, f"{ATOM}title") or "(untitled)",
        status=_status(entry, published, exported),
        published_at=published,
        updated_at=updated,
        author=_author(entry)[0],
        html=text_of(entry, f"{ATOM}content"),
        labels=labels,
        old_paths=paths,
        slug=slug,
    )


def _comment(entry, key, legacy, blog, line) -> CommentRecord:
    post_key = ""
    parent_key = None
    target = entry.find(f"{THR}in-reply-to")
    if target is not None and target.get("ref", "").strip():
        post_key = _key(target.get("ref"), blog)
    explicit_parent = text_of(entry, f"{BLOGGER}parent")
    if explicit_parent:
        post_key = _key(explicit_parent, blog)
    reply_to = text_of(entry, f"{BLOGGER}inReplyTo")
    if reply_to:
        parent_key = _key(reply_to, blog)
    for link in entry.findall(f"{ATOM}link"):
        # Classic exports mark a reply with a "related" link to the comment it answers.
        related = RELATED.search(link.get("href", "")) if link.get("rel") == "related" else None
        if related:
            parent_key = f"blogger:{related[1]}:post-{related[2]}"
    if not post_key:
        raise _Skip("it does not say which post it belongs to")
    name, uri = _author(entry)
    folded = name.strip().lower()
    if folded in ANONYMOUS_NAMES and not uri:
        kind = "anonymous"
    elif folded in UNKNOWN_NAMES:
        kind = "account"
    else:
        kind = "named"
    status = text_of(entry, f"{BLOGGER}status").upper()
    return CommentRecord(
        key=key,
        legacy_key=legacy,
        line=line,
        old_anchor="c" + legacy.removeprefix("post-") if legacy.startswith("post-") else "",
        post_key=post_key,
        parent_key=parent_key if parent_key != key else None,
        author_name="" if kind != "named" else name,
        author_url=uri,
        author_kind=kind,
        account_key=uri if kind == "account" else "",
        created=_time(text_of(entry, f"{ATOM}published"), "date"),
        body_html=text_of(entry, f"{ATOM}content"),
        status={"": "visible", "LIVE": "visible", "SPAM_COMMENT": "spam"}.get(status, "removed"),
    )


def parse(stream: IO[bytes]) -> Iterator[PostRecord | CommentRecord | Skipped]:
    """Records from a Blogger export, in file order. Raises ImportFileError with a position;
    an entry that cannot be read is yielded as Skipped with its reason."""
    exported = None
    blog = "unknown"
    tags = {f"{ATOM}entry", f"{ATOM}updated", f"{ATOM}id"}
    for element in stream_elements(stream, tags):
        line = element.sourceline
        if element.tag == f"{ATOM}id":  # the feed's own: which blog this is
            match = BLOG_ID.match((element.text or "").strip())
            blog = match[1] if match else (element.text or "").strip() or blog
            continue
        if element.tag == f"{ATOM}updated":  # the feed's own: when the export was made
            exported = parse_time(element.text or "")
            continue
        entry_id = text_of(element, f"{ATOM}id")
        if not entry_id:
            raise ImportFileError("an <entry> has no <id>; expected one in every entry", line=line)
        key, legacy = _key(entry_id, blog), _short_id(entry_id)
        kind = _kind(element)
        title = text_of(element, f"{ATOM}title")
        try:
            if kind == "post":
                yield _post(element, key, legacy, line, exported)
            elif kind == "comment":
                yield _comment(element, key, legacy, blog, line)
            else:
                yield Skipped(kind, SKIPPED.get(kind, f"a Blogger entry of kind '{kind}'"),
                              title=title if kind == "page" else "", line=line)  # fmt: skip
        except _Skip as skip:
            yield Skipped(kind, str(skip), title=title or entry_id, line=line)
