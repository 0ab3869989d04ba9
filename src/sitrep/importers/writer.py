"""Writing importer records into the site: short transactions, idempotent by the keys of the
file's own ids, undone if a run fails midway."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from sitrep.accounts.models import SecurityPolicy, User
from sitrep.comments.links import comment_html, outlet_index
from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.comments.services import comment_counts_refresh, comment_parents_set
from sitrep.comments.text import html_to_markdown
from sitrep.core.text import one_line
from sitrep.importers import curated, sitrep_jsonl
from sitrep.importers.images import absolutize
from sitrep.importers.models import ImportKey, ImportRun, Redirect
from sitrep.importers.records import (
    CommentRecord,
    ImportReport,
    LabelRecord,
    OutletRecord,
    PersonRecord,
    PostRecord,
    SettingsRecord,
    Skipped,
    StoryRecord,
)
from sitrep.importers.tables import NATURAL_KEYS, RowRecord, row_write
from sitrep.media.models import MediaFile
from sitrep.posts.models import Label, Outlet, Post, Source
from sitrep.posts.services import (
    Action,
    NewPost,
    post_delete,
    posts_announced_together,
    posts_create,
)
from sitrep.stories.models import PostLogEntry, Story, StoryEntry

COMMENT_BATCH = 1000  # comments written together
POST_BATCH = 50  # posts created together (posts_create); see TRANSACTION_SECONDS
# How long one transaction of an import may hold the database before it commits (and then the
# posts and comments waiting in it are written): a commenter on SQLite waits for that. Chosen
# with POST_BATCH by measuring import time against commenters' waits (bench/README.md).
TRANSACTION_SECONDS = 0.1


class Writer:
    """Writes the records of one file; `write` returns the report."""

    def __init__(self, *, run: ImportRun | None = None):
        self.run = run
        self.new_post_ids: list[int] = []
        self.report = ImportReport()
        self.post_ids = dict(ImportKey.objects.filter(kind="post").values_list("key", "object_id"))
        self.comment_ids = dict(
            ImportKey.objects.filter(kind="comment").values_list("key", "object_id")
        )
        self.new_keys: list[ImportKey] = []
        self.editors: dict[str, User] = {}
        self.accounts: dict[str, User] = {}
        self.pending_comments: list[CommentRecord] = []
        self.batch: list[tuple[CommentRecord, Comment]] = []
        self.parents: list[tuple[str, str]] = []
        self.touched_posts: set[int] = set()
        self.posts_by_url: dict[str, int | None] = {}
        self.outlets = None  # comments.links.outlet_index(), read once
        self.waiting_posts: list[tuple[PostRecord, NewPost]] = []
        self.waiting_keys: set[str] = set()
        self.comments_waiting: list[CommentRecord] = []
        # What this import created, to remove again if it fails midway.
        self.new_comment_ids: list[int] = []
        self.marks = {
            model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in (User, Outlet, Label)
        }

    def write(self, records: Iterable) -> ImportReport:
        records = iter(records)
        more = True
        while more:
            # One short transaction after another: SQLite has one writer at a time, and a
            # commenter waits for the lock while a transaction lasts.
            with transaction.atomic(), posts_announced_together():
                started = time.monotonic()
                more = False
                for record in records:
                    self.one(record)
                    if time.monotonic() - started > TRANSACTION_SECONDS:
                        more = True
                        break
                self.flush_posts()
                self.flush_comments()
                self.flush_keys()
        with transaction.atomic():
            for record in self.pending_comments:  # comments that came before their post
                self.comment(record, final=True)
            self.flush_comments()
            self.flush_keys()
        self.link_parents()
        touched = sorted(self.touched_posts)
        for start in range(0, len(touched), COMMENT_BATCH):
            with transaction.atomic():
                comment_counts_refresh(post_ids=touched[start : start + COMMENT_BATCH])
        return self.report

    def one(self, record) -> None:
        if isinstance(record, PostRecord):
            self.post(record)
        elif isinstance(record, CommentRecord):
            self.comment(record)
        elif isinstance(record, Skipped):
            self.report.skip(record)
        elif isinstance(record, PersonRecord):
            self.person(record)
        elif isinstance(record, OutletRecord):
            Outlet.objects.get_or_create(
                name=one_line(record.name),
                defaults={"slug": record.slug, "homepage": record.homepage,
                          "domains": record.domains, "country": record.country,
                          "language": record.language, "ownership": record.ownership,
                          "reliability_note": record.reliability_note,
                          "comment_links": record.comment_links,
                          **({"created": record.created} if record.created else {})},
            )  # fmt: skip
        elif isinstance(record, StoryRecord):
            self.story(record)
        elif isinstance(record, LabelRecord):
            Label.objects.get_or_create(name=one_line(record.name), defaults={"slug": record.slug})
        elif isinstance(record, SettingsRecord):
            DiscussionSettings.objects.update_or_create(
                pk=1,
                defaults={"mode": record.mode, "hold_all": record.hold_all, **record.others},
            )
            if record.security:
                SecurityPolicy.objects.update_or_create(pk=1, defaults=record.security)
        elif isinstance(record, RowRecord):
            self.row(record)

    def flush_keys(self) -> None:
        ImportKey.objects.bulk_create(self.new_keys, batch_size=1000)
        self.new_keys.clear()

    def undo(self) -> None:
        """Remove what this import wrote (it failed midway): its comments, its posts with their
        old addresses and keys, and the accounts, outlets and labels that appeared while it ran
        and that no post or comment uses."""
        with transaction.atomic():
            comment_ids = self.new_comment_ids
            for start in range(0, len(comment_ids), COMMENT_BATCH):
                Comment.objects.filter(pk__in=comment_ids[start : start + COMMENT_BATCH]).delete()
            for post in Post.objects.filter(pk__in=self.new_post_ids):
                post_delete(post=post)
            ImportKey.objects.filter(kind="post", object_id__in=self.new_post_ids).delete()
            for start in range(0, len(comment_ids), COMMENT_BATCH):
                chunk = comment_ids[start : start + COMMENT_BATCH]
                ImportKey.objects.filter(kind="comment", object_id__in=chunk).delete()
            Label.objects.filter(posts__isnull=True, pk__gt=self.marks[Label]).delete()
            Outlet.objects.filter(clips__isnull=True, pk__gt=self.marks[Outlet]).delete()
            User.objects.filter(
                pk__gt=self.marks[User], posts__isnull=True, comments__isnull=True,
                password__startswith="!",  # created here, never signed in with a password
            ).delete()  # fmt: skip

    # --- people -------------------------------------------------------------------------
    def person(self, record: PersonRecord) -> None:
        """An account from sitrep's own export: created if new, never given a password."""
        user, created = User.objects.get_or_create(
            username=record.username,
            defaults={"is_editor": record.is_editor, "is_staff": record.is_editor,
                      "signature": record.signature, "public_name": record.public_name,
                      "email": record.email, **record.others},
        )  # fmt: skip
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])

    def editor(self, name: str, signature: str = "") -> User:
        wanted = signature or name or "Imported Editor"
        if wanted in self.editors:
            return self.editors[wanted]
        user = (
            User.objects.filter(is_editor=True, signature__iexact=wanted).first()
            or User.objects.filter(is_editor=True, username__iexact=name).first()
        )
        if user is None:
            base = "".join(c for c in (name or wanted).lower() if c.isalnum())[:20] or "editor"
            username, n = base, 1
            while User.objects.filter(username=username).exists():
                n += 1
                username = f"{base}{n}"
            user = User(username=username, is_editor=True, is_staff=True, signature=wanted)
            user.set_unusable_password()  # they set one with "forgot password" or createeditor
            user.save()
        self.editors[wanted] = user
        return user

    def commenter(self, record: CommentRecord) -> User:
        if record.username:
            if record.username not in self.accounts:
                self.accounts[record.username] = User.objects.get(username=record.username)
            return self.accounts[record.username]
        return self.account(record.account_key)

    def account(self, key: str) -> User:
        """A commenter's account on the old platform with no public name ("Unknown")."""
        key = key or "unknown-account"
        if key not in self.accounts:
            username = "imported-" + hashlib.sha256(key.encode()).hexdigest()[:12]
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save()
            self.accounts[key] = user
        return self.accounts[key]

    # --- posts --------------------------------------------------------------------------
    def already_here(self, ids: dict, record, kind: str) -> bool:
        """Whether an earlier import brought this entry in, under its key or the key older
        sitrep gave it (which is then recorded under the new key too)."""
        if record.key in ids:
            return True
        if record.legacy_key and ids.get(record.legacy_key):
            ids[record.key] = ids[record.legacy_key]
            self.new_keys.append(
                ImportKey(kind=kind, key=record.key, object_id=ids[record.key], run=self.run)
            )
            return True
        return False

    def own_post(self, record: PostRecord) -> bool:
        """A post this site wrote, in its own export coming back: the same id and slug."""
        pk = sitrep_jsonl.own_id(record.key, "post")
        if pk is None or not Post.objects.filter(pk=pk, slug=record.slug).exists():
            return False
        self.post_ids[record.key] = pk
        return True

    def own_comment(self, record: CommentRecord) -> bool:
        """A comment this site wrote, coming back: the same id, post and time."""
        pk = sitrep_jsonl.own_id(record.key, "comment")
        post_id = self.post_ids.get(record.post_key)
        if pk is None or post_id is None:
            return False
        if not Comment.objects.filter(pk=pk, post_id=post_id, created=record.created).exists():
            return False
        self.comment_ids[record.key] = pk
        return True

    def post(self, record: PostRecord) -> None:
        if self.already_here(self.post_ids, record, "post") or self.own_post(record):
            self.report.posts_existing += 1
            return
        clips, note, text, signature = record.clips, record.note, record.text, ""
        text_format = record.text_format
        if clips is None:
            found = curated.structure(record.html)
            if found:
                clips, note, signature, text = found.clips, found.note, found.signature, ""
                self.report.posts_structured += 1
            else:
                clips, text_format = [], Post.TextFormat.HTML
                text = absolutize(record.html, record.url) if record.url else record.html
        action = {"draft": Action.SAVE, "published": Action.PUBLISH, "scheduled": Action.PUBLISH}
        author = (
            User.objects.get(username=record.author_username)
            if record.author_username
            else self.editor(record.author, signature)
        )
        self.waiting_keys.add(record.key)
        self.waiting_posts.append((record, NewPost(
            author=author, headline=record.headline, clips=clips, note=note, text=text,
            text_format=text_format, text_position=record.text_position, labels=record.labels,
            action=action[record.status], published_at=record.published_at,
            now=self._as_of(record), slug=record.slug, created=record.created_at,
            updated=self._as_of(record), comments_open=record.comments_open,
            lead_image=MediaFile.objects.filter(sha256=record.lead_image).first()
            if record.lead_image else None,
        )))  # fmt: skip
        if len(self.waiting_posts) >= POST_BATCH:
            self.flush_posts()

    def flush_posts(self) -> None:
        """Create the waiting posts together, then the comments that waited for them."""
        if not self.waiting_posts:
            return
        waiting, self.waiting_posts = self.waiting_posts, []
        self.waiting_keys.clear()
        posts = posts_create(new=[new for _, new in waiting])
        redirects = []
        for (record, _), post in zip(waiting, posts, strict=True):
            self.story_and_log(post, record)
            self.post_ids[record.key] = post.pk
            self.new_keys.append(
                ImportKey(kind="post", key=record.key, object_id=post.pk, run=self.run)
            )
            self.new_post_ids.append(post.pk)
            redirects += [Redirect(old_path=path[:500], post=post) for path in record.old_paths]
        self.report.posts_new += len(posts)
        taken = set(
            Redirect.objects.filter(old_path__in=[r.old_path for r in redirects]).values_list(
                "old_path", flat=True
            )
        )
        fresh = list({r.old_path: r for r in redirects if r.old_path not in taken}.values())
        Redirect.objects.bulk_create(fresh)
        self.report.redirects += len(fresh)
        comments, self.comments_waiting = self.comments_waiting, []
        for record in comments:
            self.comment(record)

    def story(self, record: StoryRecord) -> None:
        now = timezone.now()
        Story.objects.get_or_create(
            slug=record.slug,
            defaults={"title": record.title, "summary": record.summary,
                      "developing": record.developing, "created": record.created or now,
                      "updated": record.updated or now},
        )  # fmt: skip

    def story_and_log(self, post: Post, record: PostRecord) -> None:
        """sitrep's own export: the post's story and status, its public log as it was (times,
        reasons, who), and the archived copies of its sources."""
        if record.story:
            story = Story.objects.filter(slug=record.story["slug"]).first()
            if story is not None:
                StoryEntry.objects.update_or_create(
                    post=post,
                    defaults={"story": story, "status": record.story["status"],
                              "confirmed_by": record.story["confirmed_by"],
                              **({"added": record.story["added"]} if record.story.get("added")
                                 else {})},
                )  # fmt: skip
        for entry in record.log:
            by = User.objects.filter(username=entry["by"]).first() if entry["by"] else None
            PostLogEntry.objects.create(
                post=post, kind=entry["kind"], status=entry["status"],
                confirmed_by=entry["confirmed_by"], reason=entry["reason"],
                created=entry["created"] or timezone.now(), by=by,
            )  # fmt: skip
        for url, archive_url in record.archive_urls.items():
            Source.objects.filter(url=url, archive_url="").update(archive_url=archive_url)

    @staticmethod
    def _as_of(record: PostRecord) -> dt.datetime:
        """The moment the old platform's status held: a scheduled post's time was still ahead,
        a published post's was behind."""
        if record.status == "scheduled":
            return min(timezone.now(), record.published_at - dt.timedelta(seconds=1))
        if record.updated_at and record.author_username:  # sitrep's export: exact as it was
            return record.updated_at
        times = [t for t in (record.updated_at, record.published_at) if t]
        return max(times) if times else timezone.now()

    # --- the rest of the site (sitrep's own export) -------------------------------------
    def row(self, record: RowRecord) -> None:
        self.flush_posts()
        if any(ref.kind == "comment" for ref in record.table.refs.values()):
            self.flush_comments()
            self.link_parents()
        row_write(record, self.resolve)

    def resolve(self, kind: str, key) -> int | None:
        """The id of the row a line names by its natural key."""
        if kind == "post":
            return self.post_ids.get(key)
        if kind == "comment":
            return self.comment_ids.get(key)
        model, field = NATURAL_KEYS[kind]
        return model.objects.filter(**{field: key}).values_list("pk", flat=True).first()

    def post_at(self, url: str) -> int | None:
        """The post at an address of the old site or of this one (Disqus threads name pages)."""
        if not url:
            return None
        if url not in self.posts_by_url:
            parts = urlsplit(url)
            path = parts.path or "/"
            paths = [f"{path}?{parts.query}", path] if parts.query else [path]
            found = Redirect.objects.filter(old_path__in=paths).values_list("post_id", flat=True)
            post_id = found.first()
            if post_id is None:
                try:
                    match = resolve(path)
                except Resolver404:
                    match = None
                if match is not None and match.url_name == "post_detail":
                    posts = Post.objects.filter(slug=match.kwargs["slug"])
                    post_id = posts.values_list("pk", flat=True).first()
            self.posts_by_url[url] = post_id
        return self.posts_by_url[url]

    # --- comments -----------------------------------------------------------------------
    def comment(self, record: CommentRecord, *, final: bool = False) -> None:
        if self.already_here(self.comment_ids, record, "comment") or self.own_comment(record):
            self.report.comments_existing += 1
            return
        post_id = self.post_ids.get(record.post_key) or self.post_at(record.post_url)
        if post_id is None and record.post_key in self.waiting_keys:
            self.comments_waiting.append(record)  # its post is created with the next batch
            return
        if post_id is None:
            if not final:
                self.pending_comments.append(record)
            else:
                where = record.post_url or "a post not in the file"
                self.report.skip(Skipped("comment", f"its post ({where}) is not on this site",
                                         title=record.author_name or "Anonymous",
                                         line=record.line))  # fmt: skip
            return
        body = record.body or html_to_markdown(record.body_html)
        kind = record.author_kind or ("named" if record.author_name else "anonymous")
        comment = Comment(
            post_id=post_id,
            author_kind=kind,
            author_name=record.author_name if kind == "named" else "",
            author_website=record.author_url[:300] if kind == "named" else "",
            user=self.commenter(record) if kind == "account" else None,
            body=body,
            body_html=comment_html(body, index=self.outlet_index())[0],  # as comment_submit
            status=record.status,
            created=record.created or timezone.now(),
            **{"old_anchor": record.old_anchor, **record.others},
        )
        self.comment_ids[record.key] = None  # claimed; the id arrives when the batch is written
        self.batch.append((record, comment))
        self.touched_posts.add(post_id)
        if record.parent_key:
            self.parents.append((record.key, record.parent_key))
        if len(self.batch) >= COMMENT_BATCH:
            self.flush_comments()

    def flush_comments(self) -> None:
        if not self.batch:
            return
        Comment.objects.bulk_create([c for _, c in self.batch])
        for record, comment in self.batch:
            self.comment_ids[record.key] = comment.pk
            self.new_comment_ids.append(comment.pk)
            self.new_keys.append(
                ImportKey(kind="comment", key=record.key, object_id=comment.pk, run=self.run)
            )
        self.report.comments_new += len(self.batch)
        self.batch.clear()

    def link_parents(self) -> None:
        updates = []
        for key, parent_key in self.parents:
            child, parent = self.comment_ids.get(key), self.comment_ids.get(parent_key)
            if child and parent and child != parent:
                updates.append((child, parent))
        for start in range(0, len(updates), COMMENT_BATCH):
            with transaction.atomic():
                comment_parents_set(parents=updates[start : start + COMMENT_BATCH])
        self.parents.clear()

    def outlet_index(self) -> dict:
        if self.outlets is None:
            self.outlets = outlet_index()
        return self.outlets
