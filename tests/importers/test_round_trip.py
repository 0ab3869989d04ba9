"""`sitrep export`, then `sitrep import` into an empty site, gives the same site: compared
database to database, every table that holds site content, row by row, ids aside. Comparing
two export files could not notice what neither contains."""

import base64
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_tasks import default_task_backend

from sitrep.accounts.models import SecurityPolicy
from sitrep.audit.models import Entry
from sitrep.comments.models import Ban, BlockedWord, Comment, DiscussionSettings, SpamToken
from sitrep.comments.services import comment_flag, comment_moderate, comment_submit
from sitrep.curation.models import Feed, InboxItem, WatchWord
from sitrep.demo.services import demo_load
from sitrep.importers.load import import_file
from sitrep.importers.models import Redirect
from sitrep.importers.sitrep_jsonl import export
from sitrep.media.models import MediaFile
from sitrep.media.services import media_store
from sitrep.media.tasks import media_sizes_task
from sitrep.places.models import PostPlace
from sitrep.posts.counts import live_counts
from sitrep.posts.models import Label, Outlet, Post, Source
from tests import images

pytestmark = pytest.mark.django_db

# Not site content: the bookkeeping of imports themselves, and the counts kept for the archive
# pages, compared as readers get them instead (a new site counts them on its first read).
BOOKKEEPING = {
    "audit.Entry",  # the old site's own record of its staff; it stays with that site's backups
    "core.WorkerBeat",  # which worker processes run on the old machine
    "importers.ImportKey",
    "importers.ImportRun",
    "importers.ImageCopy",
    "mail.Message",  # the old site's outbox: what it sent, from there
    "mail.Dispatch",  # and which mailings it made
    "mail.ReplyNotice",  # and which replies it told of
    "mail.Bounce",  # and the returned mail it read (the addresses stopped travel)
    "posts.ArchiveCount",
    # The site's fediverse account is bound to its address: its key, followers, deliveries and
    # what it received. Moving it to a new address is a Move, not an export (docs/fediverse.md).
    "fediverse.LocalActor",
    "fediverse.Server",
    "fediverse.RemoteActor",
    "fediverse.Follower",
    "fediverse.Outgoing",
    "fediverse.Delivery",
    "fediverse.Received",
    "fediverse.RemoteNote",
    "fediverse.Reaction",
    "fediverse.Reach",
    "fediverse.Profile",
}
# Fields that do not move with the site, and why.
LEFT_OUT = {
    "accounts.User": {"password", "last_login"},  # secrets and sessions stay on the old site
    "comments.Comment": {"ip_hash"},  # keyed by the old site's secret; the file may travel
    "mail.Subscriber": {"ip_hash", "pending"},  # as comments'; requests die with the old key
    "media.MediaFile": {"sizes"},  # made again from the file by the new site's worker
}


def natural(obj) -> object:
    """How a row is recognised on either site, whatever its id."""
    label = obj._meta.label
    if label == "accounts.User":
        return obj.username
    if label == "posts.Post":
        return obj.slug
    if label == "comments.Comment":
        return (obj.post.slug, obj.created.isoformat(), obj.body[:60])
    if label in ("posts.Outlet", "posts.Label"):
        return obj.name
    if label in ("posts.Source", "curation.Feed"):
        return obj.url
    if label in ("places.Place", "stories.Story"):
        return getattr(obj, "key", None) or obj.slug
    if label == "mail.Subscriber":
        return obj.email
    if label == "media.MediaFile":
        return obj.sha256
    raise AssertionError(f"no natural key for {label}")


def snapshot() -> dict[str, list]:
    """Every row of every sitrep table, its references by natural key, sorted."""
    tables = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("sitrep.") or label in BOOKKEEPING:
            continue
        fields = [
            f for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in LEFT_OUT.get(label, ())
        ]  # fmt: skip
        many = [f for f in model._meta.many_to_many]
        rows = []
        for obj in model.objects.all():
            row = {}
            for f in fields:
                if f.is_relation:
                    target = getattr(obj, f.name)
                    row[f.name] = None if target is None else natural(target)
                elif isinstance(f, models.FileField):
                    row[f.name] = getattr(obj, f.name).name
                    row["bytes"] = base64.b64encode(getattr(obj, f.name).read()).decode()
                else:
                    row[f.name] = getattr(obj, f.attname)
            for f in many:
                row[f.name] = sorted(natural(o) for o in getattr(obj, f.name).all())
            rows.append(json.dumps(row, sort_keys=True, default=str))
        tables[label] = sorted(rows)
    named = {"label": Label, "outlet": Outlet}
    tables["archive counts"] = sorted(
        (kind, natural(named[kind].objects.get(pk=key)) if kind in named else key, n)
        for kind in ("month", "label", "outlet")
        for key, n in live_counts(kind).items()
    )
    return tables


def empty_the_site() -> None:
    """Every row of every sitrep table and every account gone, as on a new site."""
    from django.db.models import ProtectedError, RestrictedError

    from sitrep.accounts.models import User

    left = [m for m in apps.get_models() if m.__module__.startswith("sitrep.")] + [User]
    left.remove(Entry)  # append-only; a new site's log is not compared (BOOKKEEPING)
    while left:  # what others still point at (protected) goes on a later pass
        for model in list(left):
            try:
                model.objects.all().delete()
                left.remove(model)
            except (ProtectedError, RestrictedError):
                pass


def a_site_with_everything():
    """The demo week, and a row in every table the demo leaves empty."""
    demo_load()
    post = Post.objects.live().order_by("-comment_count").first()
    editor = post.author
    reader = comment_submit(post=post, body="Signed with a phrase.", ip_hash="h1", secret="kite",
                            author_name="Kite")  # fmt: skip
    assert reader.tripcode
    Comment.objects.filter(pk=reader.pk).update(old_anchor="c7001")  # as an import leaves it
    held = comment_submit(post=post, body="Buy now http://spam.example", ip_hash="h2")
    comment_moderate(comment=held, actor=editor, action="spam", reason="Spam or advertising")
    comment_flag(comment=reader, reporter="u1")
    Ban.objects.create(kind="name", value="Troll", reason="Personal attack", created_by=editor,
                       expires_at=timezone.now() + dt.timedelta(days=30))  # fmt: skip
    Ban.objects.create(kind="address", value="h9", reason="Flooding")
    BlockedWord.objects.create(word="casino")
    SpamToken.objects.get_or_create(token="extra-token", defaults={"spam": 3, "ham": 1})
    SecurityPolicy.objects.create(pk=1, staff_two_factors=True)
    DiscussionSettings.objects.update_or_create(
        pk=1,
        defaults={
            "mode": "named",
            "hold_links_from_new": False,
            "flags_to_hold": 5,
            "public_log": True,
        },  # fmt: skip
    )
    feed = Feed.objects.create(url="https://harborledger.example/feed.xml", title="Harbor Ledger",
                               outlet=Outlet.objects.first(), error_count=2,
                               last_error="the server answered 503")  # fmt: skip
    InboxItem.objects.create(feed=feed, guid="g-1", url="https://harborledger.example/a",
                             title="A story", is_starred=True, post=post)  # fmt: skip
    InboxItem.objects.create(feed=feed, guid="g-2", url="https://harborledger.example/b",
                             title="Another", is_dismissed=True)  # fmt: skip
    WatchWord.objects.create(word="Deir ez-Zor")
    source = Source.objects.first()
    source.state, source.http_status, source.archive_url = "gone", 404, "https://archive.example/x"
    source.text, source.failures = "The page as we kept it.", 3
    source.save()
    PostPlace.objects.filter(pk=PostPlace.objects.first().pk).update(state="rejected")
    media_store(content=images.picture("PNG"), original_url="https://old.example/map.png")
    Redirect.objects.create(old_path="/2017/06/an-old-address.html", post=post)
    from sitrep.mail.models import (
        AccountReplies,
        Follow,
        MailSettings,
        StoppedAddress,
        Subscriber,
        Watch,
    )
    from sitrep.stories.models import Story

    reader = Subscriber.objects.create(email="wren@reader.example", digest=True,
                                       confirmed=timezone.now(), ip_hash="x")  # fmt: skip
    Follow.objects.create(subscriber=reader, story=Story.objects.first())
    Follow.objects.create(subscriber=reader, label=post.labels.first())
    StoppedAddress.objects.create(email="gone@reader.example", reason="550 no such user")
    MailSettings.objects.create(digest_hour=6, sender_name="Harbor Desk", footer="Sent by us.")
    Watch.objects.create(subscriber=reader, comment=post.comments.first(),
                         last_mail=timezone.now())  # fmt: skip
    AccountReplies.objects.create(user=post.author)
    return post


def test_export_then_import_into_an_empty_site_gives_the_same_site(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a_site_with_everything()
    before = snapshot()
    empty = [label for label, rows in before.items() if not rows]
    assert empty == [], f"no row to compare in {empty}"
    path = tmp_path / "site.jsonl"
    with path.open("w") as out:
        export(out)

    empty_the_site()
    assert not Post.objects.exists() and not Comment.objects.exists()
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(path)
    assert report.skipped == {}
    # The importer queued the images' sizes for the new site's worker, which makes them.
    queued = [r.args[0] for r in default_task_backend.results
              if r.task.func is media_sizes_task.func]  # fmt: skip
    assert sorted(queued) == sorted(MediaFile.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        for pk in queued:
            media_sizes_task.call(pk)
    after = snapshot()
    for label in before:
        assert after[label] == before[label], label

    # And once more: nothing is added twice.
    with django_capture_on_commit_callbacks(execute=True):
        import_file(path)
    assert snapshot() == after


def test_an_export_of_version_1_still_imports(tmp_path, editor, make_post):
    make_post("Kept from an older sitrep")
    out = io.StringIO()
    export(out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    old = ["person", "settings", "outlet", "label", "story", "post", "comment"]
    v1 = [{**lines[0], "version": 1}] + [line for line in lines[1:] if line["type"] in old]
    for line in v1:
        for name in ("is_moderator", "is_staff", "is_superuser", "is_active", "date_joined",
                     "first_name", "last_name", "public_log", "flags_to_hold", "created",
                     "tripcode", "spam_score", "signals", "body_hash"):  # fmt: skip
            if line["type"] != "post":
                line.pop(name, None)
    (tmp_path / "v1.jsonl").write_text("\n".join(json.dumps(line) for line in v1) + "\n")
    empty_the_site()
    report = import_file(tmp_path / "v1.jsonl")
    assert report.posts_new == 1
    assert Post.objects.get().headline == "Kept from an older sitrep"


def test_a_sites_own_export_imported_into_it_adds_nothing(tmp_path, editor, make_post):
    from sitrep.comments.services import comment_submit

    post = make_post("Written here")
    first = comment_submit(post=post, body="A first thought.", ip_hash="a", screened=False)
    comment_submit(post=post, body="A reply.", ip_hash="b", parent_id=first.pk, screened=False)
    with (tmp_path / "site.jsonl").open("w") as out:
        export(out)
    report = import_file(tmp_path / "site.jsonl")
    assert (report.posts_new, report.comments_new) == (0, 0)
    assert (report.posts_existing, report.comments_existing) == (1, 2)
    assert Post.objects.count() == 1 and Comment.objects.count() == 2
