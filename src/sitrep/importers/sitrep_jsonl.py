"""sitrep's own export: the whole site as JSON lines, one object per line.

Line 1 is a header: {"type": "sitrep-export", "version": 2, "site": ..., "exported_at": ...}.
Then, in this order (so each line only refers to lines above it):
  {"type": "person", "username", "is_editor", "signature", "public_name", "email",
      "is_moderator", "is_staff", "is_superuser", "is_active", "date_joined", "first_name",
      "last_name"}                                              every account; never a password
  {"type": "settings", "mode", "hold_all", "hold_links_from_new", "flags_to_hold",
      "public_log", "staff_two_factors"}                 discussion and security settings
  {"type": "outlet", "name", "slug", "homepage", "domains", "country", "language",
      "ownership", "reliability_note", "comment_links", "created"}
  {"type": "label", "name", "slug"}
  {"type": "story", "slug", "title", "summary", "developing", "created", "updated"}
  the rows of importers/tables.py that posts may name: "place", "feed" (subscribed outside
      feeds and their polling state), "media" (the media library, each file's bytes in "data"
      as base64), "watch_word", "blocked_word", "spam_token" (what the spam filter learnt)
  {"type": "post", "key", "headline", "slug", "status", "created_at", "published_at",
      "updated_at", "author", "text", "text_format", "text_position", "note", "labels",
      "comments_open", "old_paths", "lead_image" (its media row's sha256, or null),
      "clips": [{"outlet", "authors", "source_headline", "url",
      "source_published", "excerpt", "archive_url"}],
      "story": {"slug", "status", "confirmed_by", "added"} or null,
      "log": [{"kind", "status", "confirmed_by", "reason", "created", "by"}]}
  {"type": "comment", "key", "post", "parent", "author_kind", "author_name",
      "author_website", "user", "body", "status", "created", "tripcode", "old_anchor",
      "spam_score", "signals", "body_hash"}
  the rows of importers/tables.py that name posts and comments: "source" (every cited address
      with its link-check and archive state), "post_place" (places found in posts and the
      editors' decisions), "inbox_item", "moderation" (the moderation log), "flag", "ban",
      "subscriber", "follow" (readers following by e-mail, and what), "watch" (commenters
      waiting for replies), "account_replies" (accounts that asked for them on every comment),
      "stopped_address"
      (addresses mail is no longer sent to, and why), "mail_settings"
Times are ISO 8601 in UTC. Keys are stable across export and re-import, so importing the same
file twice adds nothing, and exporting an imported site gives the same file back. A post or
comment written on the exporting site has the key sitrep:<site>:post-<id> (or comment-), where
<site> is made from that site's secret key: imported into the same site, it is found as the
post or comment it is, and nothing is added.

Version 1 files (without the version 2 fields and rows) still import.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from sitrep.audit.services import record
from sitrep.importers.records import (
    CommentRecord,
    ImportFileError,
    LabelRecord,
    OutletRecord,
    PersonRecord,
    PostRecord,
    SettingsRecord,
    StoryRecord,
)
from sitrep.importers.tables import (
    AFTER_COMMENTS,
    BEFORE_POSTS,
    NATURAL_KEYS,
    TABLES,
    row_record,
    rows,
)
from sitrep.posts.services import ClipData

PERSON_OTHERS = ("is_moderator", "is_staff", "is_superuser", "is_active", "date_joined",
                 "first_name", "last_name")  # fmt: skip
SETTINGS_OTHERS = ("hold_links_from_new", "flags_to_hold", "public_log")
# The address hash stays out: the file may travel, and a hash means something only with
# the secret key that made it.
COMMENT_OTHERS = (
    "tripcode", "spam_score", "signals", "body_hash", "old_anchor", "author_handle",
)  # fmt: skip

FORMAT, VERSION = "sitrep-export", 2
READABLE = (1, 2)


def site_id() -> str:
    """This site's name in the keys of its own posts and comments: stable for as long as its
    secret key, and saying nothing about it."""
    return _site_id(settings.SECRET_KEY)


@functools.cache
def _site_id(secret: str) -> str:  # asked for every post and comment of an export or import
    return hmac.new(secret.encode(), b"sitrep export keys", hashlib.sha256).hexdigest()[:16]


def own_key(kind: str, pk: int) -> str:
    """The key of a post or comment written here (not imported): sitrep:<site>:post-12."""
    return f"sitrep:{site_id()}:{kind}-{pk}"


def own_id(key: str, kind: str) -> int | None:
    """The id in one of this site's own keys of `kind`, else None."""
    prefix = f"sitrep:{site_id()}:{kind}-"
    number = key.removeprefix(prefix)
    return int(number) if key.startswith(prefix) and number.isdigit() else None


def detect(peek: bytes) -> bool:
    return peek.lstrip().startswith(b"{") and FORMAT.encode() in peek.split(b"\n", 1)[0]


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


# --- export ---------------------------------------------------------------------------------
def export(out: IO[str]) -> dict:
    """Write the whole site to `out`. Returns counts per line type."""
    from sitrep.accounts.models import SecurityPolicy, User
    from sitrep.comments.models import Comment, DiscussionSettings
    from sitrep.importers.models import ImportKey, Redirect
    from sitrep.posts.models import Label, Outlet, Post
    from sitrep.stories.models import Story

    counts: dict[str, int] = {}

    def line(obj):
        counts[obj["type"]] = counts.get(obj["type"], 0) + 1
        out.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")

    line({"type": FORMAT, "version": VERSION, "site": settings.SITREP_SITE_NAME,
          "exported_at": _iso(timezone.now())})  # fmt: skip
    for user in User.objects.order_by("username"):
        line({"type": "person", "username": user.username, "is_editor": user.is_editor,
              "signature": user.signature, "public_name": user.public_name,
              "email": user.email,
              **{name: _iso(getattr(user, name)) if name == "date_joined"
                 else getattr(user, name) for name in PERSON_OTHERS}})  # fmt: skip
    policy = DiscussionSettings.current()
    line({"type": "settings", "mode": policy.mode, "hold_all": policy.hold_all,
          **{name: getattr(policy, name) for name in SETTINGS_OTHERS},
          "staff_two_factors": SecurityPolicy.current().staff_two_factors})  # fmt: skip
    for outlet in Outlet.objects.order_by("name"):
        line({"type": "outlet", "name": outlet.name, "slug": outlet.slug,
              "homepage": outlet.homepage, "domains": outlet.domains,
              "country": outlet.country, "language": outlet.language,
              "ownership": outlet.ownership, "reliability_note": outlet.reliability_note,
              "comment_links": outlet.comment_links,
              "created": _iso(outlet.created)})  # fmt: skip
    for label in Label.objects.order_by("name"):
        line({"type": "label", "name": label.name, "slug": label.slug})
    for story in Story.objects.order_by("created", "id"):
        line({"type": "story", "slug": story.slug, "title": story.title,
              "summary": story.summary, "developing": story.developing,
              "created": _iso(story.created), "updated": _iso(story.updated)})  # fmt: skip

    post_keys = {
        object_id: key
        for key, object_id in ImportKey.objects.filter(kind="post").values_list("key", "object_id")
    }
    keys = _natural_keys(post_keys)
    for table in BEFORE_POSTS:
        for obj in rows(table, keys):
            line(obj)
    comment_keys = {
        object_id: key
        for key, object_id in ImportKey.objects.filter(kind="comment").values_list(
            "key", "object_id"
        )
    }
    paths: dict[int, list[str]] = {}
    for old_path, post_id in Redirect.objects.order_by("old_path").values_list(
        "old_path", "post_id"
    ):
        paths.setdefault(post_id, []).append(old_path)

    posts = (
        Post.objects.select_related("author", "story_entry__story", "lead_image")
        .prefetch_related("clips__outlet", "clips__source", "labels", "log_entries__by")
        .order_by("created", "id")
    )
    for post in posts.iterator(chunk_size=500):
        line({
            "type": "post", "key": post_keys.get(post.pk, own_key("post", post.pk)),
            "headline": post.headline, "slug": post.slug, "status": post.status,
            "created_at": _iso(post.created),
            "published_at": _iso(post.published_at), "updated_at": _iso(post.updated),
            "author": post.author.username, "text": post.text, "text_format": post.text_format,
            "text_position": post.text_position, "note": post.note,
            "labels": [label.name for label in post.labels.all()],
            "comments_open": post.comments_open, "old_paths": paths.get(post.pk, []),
            "lead_image": post.lead_image.sha256 if post.lead_image else None,
            "clips": [
                {"outlet": c.outlet.name, "authors": c.authors,
                 "source_headline": c.source_headline, "url": c.url,
                 "source_published": _iso(c.source_published), "excerpt": c.excerpt,
                 "archive_url": c.source.archive_url if c.source else ""}
                for c in post.clips.all()
            ],
            "story": _story_of(post),
            "log": [
                {"kind": e.kind, "status": e.status, "confirmed_by": e.confirmed_by,
                 "reason": e.reason, "created": _iso(e.created),
                 "by": e.by.username if e.by else None}
                for e in post.log_entries.all()
            ],
        })  # fmt: skip
    comments = Comment.objects.select_related("user").order_by("created", "id")
    for c in comments.iterator(chunk_size=2000):
        line({
            "type": "comment", "key": comment_keys.get(c.pk, own_key("comment", c.pk)),
            "post": post_keys.get(c.post_id, own_key("post", c.post_id)),
            "parent": comment_keys.get(c.parent_id, own_key("comment", c.parent_id))
            if c.parent_id else None,
            "author_kind": c.author_kind, "author_name": c.author_name,
            "author_website": c.author_website, "user": c.user.username if c.user else None,
            "body": c.body, "status": c.status, "created": _iso(c.created),
            **{name: getattr(c, name) for name in COMMENT_OTHERS},
        })  # fmt: skip
    keys["comment"] = lambda pk: comment_keys.get(pk, own_key("comment", pk))
    for table in AFTER_COMMENTS:
        for obj in rows(table, keys):
            line(obj)
    record("site.export", target=", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return counts


def _natural_keys(post_keys: dict[int, str]) -> dict:
    """How a row of each kind is named in the file, by its id."""

    def by(model, field):
        names = dict(model.objects.values_list("pk", field))
        return names.__getitem__

    keys = {kind: by(model, field) for kind, (model, field) in NATURAL_KEYS.items()}
    keys["post"] = lambda pk: post_keys.get(pk, own_key("post", pk))
    return keys


def _story_of(post) -> dict | None:
    try:
        entry = post.story_entry
    except ObjectDoesNotExist:
        return None
    return {"slug": entry.story.slug, "status": entry.status, "confirmed_by": entry.confirmed_by,
            "added": _iso(entry.added)}  # fmt: skip


# --- import ---------------------------------------------------------------------------------
def _time(value, line):
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportFileError(f"'{value}' is not a date and time", line=line) from None


def _date(value, line):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportFileError(f"'{value}' is not a date", line=line) from None


def parse(stream: IO[bytes]) -> Iterator:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            column = getattr(exc, "colno", None)
            reason = getattr(exc, "msg", None) or str(exc)
            raise ImportFileError(f"not JSON ({reason})", line=number, column=column) from None
        if not isinstance(obj, dict) or "type" not in obj:
            raise ImportFileError('each line must be an object with a "type"', line=number)
        try:
            record = _record(obj, number)
        except KeyError as exc:
            raise ImportFileError(f"a {obj['type']} line lacks {exc}", line=number) from None
        if number == 1 and not (obj["type"] == FORMAT and obj.get("version") in READABLE):
            raise ImportFileError(
                f"the first line must be a {FORMAT} header of version 1 or 2", line=1
            )
        if record is not None:
            yield record


def _record(obj: dict, line: int):
    kind = obj["type"]
    if kind == FORMAT:
        return None
    if kind == "person":
        others = {name: obj[name] for name in PERSON_OTHERS if name in obj}
        if others.get("date_joined"):
            others["date_joined"] = _time(others["date_joined"], line)
        return PersonRecord(obj["username"], bool(obj.get("is_editor")), obj.get("signature", ""),
                            obj.get("public_name", ""), obj.get("email", ""), others)  # fmt: skip
    if kind == "settings":
        others = {name: obj[name] for name in SETTINGS_OTHERS if name in obj}
        security = {"staff_two_factors": bool(obj["staff_two_factors"])}
        return SettingsRecord(
            obj["mode"],
            bool(obj["hold_all"]),
            others,
            security if "staff_two_factors" in obj else {},
        )
    if kind == "outlet":
        return OutletRecord(
            obj["name"], obj["slug"], obj.get("homepage", ""), obj.get("domains", ""),
            obj.get("country", ""), obj.get("language", ""), obj.get("ownership", ""),
            obj.get("reliability_note", ""), obj.get("comment_links") or "label",
            _time(obj.get("created"), line),
        )  # fmt: skip
    if kind == "story":
        return StoryRecord(
            obj["slug"], obj["title"], obj.get("summary", ""), bool(obj.get("developing", True)),
            _time(obj.get("created"), line), _time(obj.get("updated"), line),
        )  # fmt: skip
    if kind == "label":
        return LabelRecord(obj["name"], obj["slug"])
    if kind == "post":
        if obj["status"] not in ("draft", "scheduled", "published"):
            raise ImportFileError(f"unknown post status '{obj['status']}'", line=line)
        return PostRecord(
            key=obj["key"], headline=obj["headline"], status=obj["status"],
            published_at=_time(obj.get("published_at"), line),
            updated_at=_time(obj.get("updated_at"), line), author=obj["author"],
            author_username=obj["author"], slug=obj.get("slug", ""),
            labels=list(obj.get("labels", [])), old_paths=list(obj.get("old_paths", [])),
            clips=[
                ClipData(outlet_name=c["outlet"], source_headline=c["source_headline"],
                         url=c["url"], excerpt=c["excerpt"], authors=c.get("authors", ""),
                         source_published=_date(c.get("source_published"), line))
                for c in obj.get("clips", [])
            ],
            note=obj.get("note", ""), text=obj.get("text", ""),
            text_format=obj.get("text_format", "markdown"),
            text_position=obj.get("text_position", "before"),
            comments_open=bool(obj.get("comments_open", True)),
            lead_image=obj.get("lead_image") or "",
            created_at=_time(obj.get("created_at"), line),
            story=_story_line(obj.get("story"), line),
            log=[_log_line(e, line) for e in obj.get("log", [])],
            archive_urls={c["url"]: c["archive_url"] for c in obj.get("clips", [])
                          if c.get("archive_url")},
        )  # fmt: skip
    if kind == "comment":
        return CommentRecord(
            key=obj["key"], post_key=obj["post"], parent_key=obj.get("parent"),
            author_kind=obj["author_kind"], author_name=obj.get("author_name", ""),
            author_url=obj.get("author_website", ""), username=obj.get("user") or "",
            body=obj["body"], body_html="", status=obj["status"],
            created=_time(obj["created"], line),
            others={name: obj[name] for name in COMMENT_OTHERS if name in obj},
        )  # fmt: skip
    if kind in TABLES:
        return row_record(obj, line)
    raise ImportFileError(f"unknown line type '{kind}'", line=line)


STATUSES = ("unconfirmed", "confirmed", "disputed", "corrected")


def _story_line(story, line) -> dict | None:
    if story is None:
        return None
    if not isinstance(story, dict) or story.get("status") not in STATUSES:
        raise ImportFileError("a post's story needs a slug and a known status", line=line)
    return {"slug": story["slug"], "status": story["status"],
            "confirmed_by": int(story.get("confirmed_by") or 0),
            "added": _time(story.get("added"), line)}  # fmt: skip


def _log_line(entry, line) -> dict:
    if not isinstance(entry, dict) or entry.get("kind") not in ("status", "correction", "update"):
        raise ImportFileError("a post's log entry needs a kind: status, correction or update",
                              line=line)  # fmt: skip
    if entry.get("status", "") not in ("", *STATUSES):
        raise ImportFileError(f"unknown status '{entry['status']}' in a post's log", line=line)
    return {"kind": entry["kind"], "status": entry.get("status", ""),
            "confirmed_by": int(entry.get("confirmed_by") or 0),
            "reason": entry.get("reason", ""), "created": _time(entry.get("created"), line),
            "by": entry.get("by")}  # fmt: skip
