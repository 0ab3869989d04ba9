"""The rest of the site in sitrep's own export: every table that is not a post or a comment,
one line per row, each row found again by its natural key so that importing twice adds
nothing.

A table is declared once here (its line type, its model, the fields that identify a row, and
the references to other rows by their natural keys), and both the export and the import read
the declaration: a new field of a declared model travels without more code.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from sitrep.accounts.models import User
from sitrep.comments.models import Ban, BlockedWord, Flag, ModerationEvent, SpamToken
from sitrep.curation.models import Feed, InboxItem, WatchWord
from sitrep.importers.records import ImportFileError
from sitrep.mail.models import (
    AccountReplies,
    Follow,
    MailSettings,
    StoppedAddress,
    Subscriber,
    Watch,
)
from sitrep.media.models import MediaFile
from sitrep.media.services import media_sizes_queue
from sitrep.places.models import Place, PostPlace
from sitrep.posts.models import Label, Outlet, Source
from sitrep.stories.models import Story


@dataclass(frozen=True)
class Ref:
    """A field that points at another row: written as that row's natural key."""

    kind: str  # "user", "post", "comment", "outlet", "feed", "place"


@dataclass(frozen=True)
class Table:
    type: str
    model: type[models.Model]
    key: tuple[str, ...]  # the fields that find the row again
    refs: dict[str, Ref] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # derived, or kept elsewhere in the file

    def fields(self) -> list[models.Field]:
        skip = {"id", *self.exclude}
        return [f for f in self.model._meta.concrete_fields if f.name not in skip]


USER, POST, COMMENT = Ref("user"), Ref("post"), Ref("comment")
# How a row a Ref points at is named in the file (posts and comments by their keys instead).
NATURAL_KEYS = {
    "user": (User, "username"),
    "outlet": (Outlet, "name"),
    "feed": (Feed, "url"),
    "place": (Place, "key"),
    "story": (Story, "slug"),
    "label": (Label, "slug"),
    "subscriber": (Subscriber, "email"),
}

# In file order: a row refers only to rows above it (posts and comments come before the
# tables that name them).
BEFORE_POSTS = [
    Table("place", Place, ("key",)),
    Table("feed", Feed, ("url",), {"outlet": Ref("outlet")}),
    # The library's files; the sizes made from them are made again by the new site's worker.
    Table("media", MediaFile, ("sha256",), exclude=("sizes",)),
    Table("watch_word", WatchWord, ("word",)),
    Table("blocked_word", BlockedWord, ("word",)),
    Table("spam_token", SpamToken, ("token",)),
]
AFTER_COMMENTS = [
    Table("source", Source, ("url",)),
    Table("post_place", PostPlace, ("post", "place"), {"post": POST, "place": Ref("place")}),
    Table("inbox_item", InboxItem, ("feed", "guid"), {"feed": Ref("feed"), "post": POST}),
    Table(
        "moderation",
        ModerationEvent,
        ("comment", "action", "created"),
        {"comment": COMMENT, "actor": USER},
    ),  # fmt: skip
    Table("flag", Flag, ("comment", "reporter"), {"comment": COMMENT}),
    Table("ban", Ban, ("kind", "value", "created"), {"created_by": USER}),
    # Readers who follow by e-mail, with the tokens of the links in mail they already have;
    # not their unconfirmed requests (signed with the old site's key) or their address hash.
    Table("subscriber", Subscriber, ("email",), exclude=("pending", "ip_hash")),
    Table(
        "follow",
        Follow,
        ("subscriber", "story", "label"),
        {"subscriber": Ref("subscriber"), "story": Ref("story"), "label": Ref("label")},
    ),
    Table(
        "watch",
        Watch,
        ("subscriber", "comment"),
        {"subscriber": Ref("subscriber"), "comment": COMMENT},
    ),
    Table("account_replies", AccountReplies, ("user",), {"user": USER}),
    Table("stopped_address", StoppedAddress, ("email",)),
    Table("mail_settings", MailSettings, ()),  # one row: the digest's hour, the sender
]
TABLES = {table.type: table for table in (*BEFORE_POSTS, *AFTER_COMMENTS)}


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def rows(table: Table, keys: dict[str, Callable]):
    """The export lines of `table`; `keys[kind](id)` gives the natural key of a referenced row."""
    fields = table.fields()
    for row in table.model.objects.order_by("pk").iterator(chunk_size=1000):
        line = {"type": table.type}
        for f in fields:
            if f.name in table.refs:
                target = getattr(row, f.attname)
                line[f.name] = None if target is None else keys[table.refs[f.name].kind](target)
            elif isinstance(f, models.FileField):
                line[f.name] = getattr(row, f.name).name
                with default_storage.open(line[f.name], "rb") as handle:
                    line["data"] = base64.b64encode(handle.read()).decode()
            else:
                line[f.name] = _plain(getattr(row, f.attname))
        yield line


@dataclass
class RowRecord:
    """A row of one of TABLES, as the file has it."""

    table: Table
    values: dict
    line: int


def row_record(obj: dict, line: int) -> RowRecord:
    table = TABLES[obj["type"]]
    values = {}
    for f in table.fields():
        if f.name not in obj:
            continue
        value = obj[f.name]
        if value is not None and isinstance(f, models.DateTimeField):
            value = _parsed(value, dt.datetime.fromisoformat, line)
        elif value is not None and isinstance(f, models.DateField):
            value = _parsed(value, dt.date.fromisoformat, line)
        values[f.name] = value
    if table.model is MediaFile:
        values["data"] = obj.get("data", "")
    return RowRecord(table, values, line)


def _parsed(value, parse, line):
    try:
        return parse(value)
    except (TypeError, ValueError):
        raise ImportFileError(f"'{value}' is not a date and time", line=line) from None


def row_write(record: RowRecord, resolve: Callable[[str, object], int | None]) -> bool:
    """Create the row, or bring the one with its natural key up to date. Returns whether it
    was new. `resolve(kind, natural key)` gives the id of a referenced row (None if missing)."""
    table, values = record.table, dict(record.values)
    for name, ref in table.refs.items():
        if values.get(name) is not None:
            values[f"{name}_id"] = resolve(ref.kind, values.pop(name))
        else:
            values.pop(name, None)
    if table.model is MediaFile:
        content = base64.b64decode(values.pop("data") or "")
        if not default_storage.exists(values["file"]):
            default_storage.save(values["file"], ContentFile(content))
    lookup = {}
    for name in table.key:
        column = f"{name}_id" if name in table.refs else name
        lookup[column] = values.pop(column, None)  # a key may name no row (a follow's label)
    row, created = table.model.objects.update_or_create(**lookup, defaults=values)
    if table.model is MediaFile and not row.sizes:
        media_sizes_queue(row)
    return created
