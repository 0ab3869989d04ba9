"""Disqus's XML export of a forum's comments: <thread> elements (a page of the old site, by its
address) and <post> elements (a comment, its thread and the comment it answers).

The posts themselves are not in the file: each thread is matched to a post already on the site,
imported or written here, by its old address. Keys carry the forum's name
(`disqus:<forum>:post-<id>`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from sitrep.importers.dates import parse_time
from sitrep.importers.records import CommentRecord, Skipped
from sitrep.importers.xml import stream_elements, text_of

DISQUS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def detect(peek: bytes) -> bool:
    return b"<disqus" in peek and b"http://disqus.com" in peek


def _text(element, tag) -> str:
    return text_of(element, f"{DISQUS}{tag}")


def _ref(element, tag) -> str:
    found = element.find(f"{DISQUS}{tag}")
    return (found.get(DSQ_ID) or "").strip() if found is not None else ""


def _comment(post, *, forum: str, link: str) -> CommentRecord | Skipped:
    line = post.sourceline
    author = post.find(f"{DISQUS}author")
    name = _text(author, "name") if author is not None else ""
    created = parse_time(_text(post, "createdAt"))
    if created is None:
        return Skipped("comment", f"its date '{_text(post, 'createdAt')}' is not a date and time",
                       title=name or "Anonymous", line=line)  # fmt: skip
    parent = _ref(post, "parent")
    status = "visible"
    if _text(post, "isSpam") == "true":
        status = "spam"
    elif _text(post, "isDeleted") == "true":
        status = "removed"
    return CommentRecord(
        key=f"disqus:{forum}:post-{post.get(DSQ_ID)}",
        old_anchor=f"comment-{post.get(DSQ_ID)}"[:40],
        line=line,
        post_key="",
        post_url=link,
        parent_key=f"disqus:{forum}:post-{parent}" if parent else None,
        author_name=name,
        author_kind="named" if name else "anonymous",
        created=created,
        body_html=_text(post, "message"),
        status=status,
    )


def parse(stream: IO[bytes]) -> Iterator[CommentRecord | Skipped]:
    threads: dict[str, str] = {}  # dsq:id -> the page's address on the old site
    forum = "unknown"
    waiting = []  # posts whose thread had not come yet
    tags = {f"{DISQUS}category", f"{DISQUS}thread", f"{DISQUS}post"}
    for element in stream_elements(stream, tags):
        kind = element.tag.removeprefix(DISQUS)
        if kind == "category":
            forum = _text(element, "forum") or forum
        elif kind == "thread":
            link = _text(element, "link")
            forum = _text(element, "forum") or forum
            if link:
                threads[element.get(DSQ_ID, "")] = link
            else:
                reason = "it has no address, so no post can be matched to it"
                title = f"dsq:id {element.get(DSQ_ID)}"
                yield Skipped("thread", reason, title=title, line=element.sourceline)
        else:
            thread = _ref(element, "thread")
            record = _comment(element, forum=forum, link=threads.get(thread, ""))
            if thread in threads or isinstance(record, Skipped):
                yield record
            else:
                waiting.append((thread, record))
    for thread, record in waiting:
        if thread in threads:
            record.post_url = threads[thread]
            yield record
        else:
            yield Skipped("comment", f"its thread (dsq:id {thread}) is not in the file",
                          title=record.author_name or "Anonymous", line=record.line)  # fmt: skip
