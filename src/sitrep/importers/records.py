"""What every importer produces: plain records, independent of the file format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sitrep.posts.services import ClipData  # a clip is a clip, whatever file it came from


class ImportFileError(ValueError):
    """The file cannot be imported. Nothing was written. Says where and why."""

    def __init__(
        self, reason: str, *, line: int | None = None, column: int | None = None, near: str = ""
    ):
        # `near`: the text at fault, for finding the column when the parser knows only the line.
        self.reason, self.line, self.column, self.near = reason, line, column, near
        super().__init__(self.where() + reason)

    def where(self) -> str:
        if self.line is None:
            return ""
        return f"line {self.line}, column {self.column or 1}: "

    def located(self, line: int, column: int) -> ImportFileError:
        return ImportFileError(self.reason, line=line, column=column)


@dataclass
class PostRecord:
    key: str  # the file's own id, prefixed with the blog it came from
    headline: str
    status: str  # "published", "scheduled" or "draft"
    published_at: dt.datetime | None
    updated_at: dt.datetime | None
    author: str = ""
    html: str = ""  # the body as the old platform stored it
    labels: list[str] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    slug: str = ""
    # Set when the body was already structured (sitrep's own export) rather than plain HTML.
    clips: list[ClipData] | None = None
    note: str = ""
    text: str = ""
    text_format: str = "html"
    text_position: str = "before"
    comments_open: bool = True
    lead_image: str = ""  # sitrep's own export: the sha256 of its media row
    author_username: str = ""  # exact account, when the file knows it (sitrep's own export)
    created_at: dt.datetime | None = None
    # sitrep's own export: the story the post belongs to, its claim's status, its public log,
    # and the web archive's copy of each clip's source (by URL).
    story: dict | None = None  # {"slug", "status", "confirmed_by"}
    log: list[dict] = field(default_factory=list)
    archive_urls: dict[str, str] = field(default_factory=dict)
    # The key sitrep gave the same entry before keys named their blog: an earlier import of
    # this blog is found by it, so importing the file again still adds nothing.
    legacy_key: str = ""
    line: int | None = None
    # Its address on the old site: the body's relative links and images are relative to it.
    url: str = ""


@dataclass
class CommentRecord:
    key: str
    post_key: str
    author_name: str
    created: dt.datetime
    body_html: str
    parent_key: str | None = None
    author_url: str = ""
    author_kind: str = ""  # "", or anonymous / named / account when the source says so
    account_key: str = ""  # a stable id of the commenter's account on the old platform
    status: str = "visible"
    body: str = ""  # as written, when the file has it; else derived from body_html
    username: str = ""  # exact account, when the file knows it (sitrep's own export)
    # sitrep's own export: the ◆ signature, the address hash and what the spam guard found.
    others: dict = field(default_factory=dict)
    legacy_key: str = ""
    # A comment whose post is not in the file (Disqus): the post's address on the old site.
    post_url: str = ""
    old_anchor: str = ""  # its anchor on the old platform's pages
    line: int | None = None


@dataclass
class PersonRecord:
    username: str
    is_editor: bool = False
    signature: str = ""
    public_name: str = ""
    email: str = ""
    # sitrep's own export, version 2: the account's other flags and dates.
    others: dict = field(default_factory=dict)


@dataclass
class OutletRecord:
    name: str
    slug: str
    homepage: str = ""
    domains: str = ""
    country: str = ""
    language: str = ""
    ownership: str = ""
    reliability_note: str = ""
    comment_links: str = "label"
    created: dt.datetime | None = None


@dataclass
class StoryRecord:
    slug: str
    title: str
    summary: str = ""
    developing: bool = True
    created: dt.datetime | None = None
    updated: dt.datetime | None = None


@dataclass
class LabelRecord:
    name: str
    slug: str


@dataclass
class SettingsRecord:
    mode: str
    hold_all: bool
    others: dict = field(default_factory=dict)  # the other discussion settings (version 2)
    security: dict = field(default_factory=dict)  # how staff sign in (accounts.SecurityPolicy)


@dataclass
class Skipped:
    """An entry of the file that was not imported, and why."""

    what: str  # "settings", "template", "page", "attachment", ...
    reason: str = ""
    title: str = ""  # the entry's title, when it has one, so the editor can find it
    line: int | None = None


@dataclass
class ImportReport:
    posts_new: int = 0
    posts_existing: int = 0
    posts_structured: int = 0
    comments_new: int = 0
    comments_existing: int = 0
    redirects: int = 0
    images: int = 0  # outside images the new posts show, queued for copying
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_items: list[Skipped] = field(default_factory=list)

    def skip(self, item: Skipped) -> None:
        self.skipped[item.what] = self.skipped.get(item.what, 0) + 1
        self.skipped_items.append(item)

    def skipped_lines(self) -> list[str]:
        """Every skipped entry with its reason: entries with a title one by one, the rest
        (Blogger's settings, its template) counted by kind."""
        lines, counted = [], {}
        for item in self.skipped_items:
            if item.title:
                where = f"line {item.line}: " if item.line else ""
                lines.append(f"  {where}{item.what} “{item.title}”: {item.reason}")
            else:
                counted[(item.what, item.reason)] = counted.get((item.what, item.reason), 0) + 1
        for (what, reason), n in sorted(counted.items()):
            lines.append(f"  {n} × {what}" + (f": {reason}" if reason else ""))
        return lines

    def lines(self) -> list[str]:
        skipped = ", ".join(f"{n} {what}" for what, n in sorted(self.skipped.items())) or "none"
        return [
            f"posts: {self.posts_new} new ({self.posts_structured} structured into clips), "
            f"{self.posts_existing} already here",
            f"comments: {self.comments_new} new, {self.comments_existing} already here",
            f"old addresses redirected: {self.redirects}",
            f"images to copy into the media library: {self.images}",
            f"skipped entries: {skipped}",
            *self.skipped_lines(),
        ]

    def as_dict(self) -> dict:
        """What an ImportRun keeps of it."""
        return {
            "posts_new": self.posts_new,
            "posts_existing": self.posts_existing,
            "comments_new": self.comments_new,
            "comments_existing": self.comments_existing,
            "images": self.images,
            "skipped": self.skipped,
            "lines": self.lines(),
        }
