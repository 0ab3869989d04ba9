import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sitrep.curation import opml
from sitrep.curation.models import Feed
from sitrep.curation.polling import FeedError, feed_subscribe


class Command(BaseCommand):
    help = "Manage sources: feeds add URL | feeds import FILE.opml | feeds export | feeds list"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="subscribe to a feed, or the feed a page advertises")
        add.add_argument("url")
        add.add_argument("--interval", type=int, default=30, help="minutes between polls")
        imp = sub.add_parser("import", help="add every feed of an OPML file")
        imp.add_argument("file", type=Path)
        sub.add_parser("export", help="print the sources as OPML")
        sub.add_parser("list", help="print the sources and their state")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_add(self, url, interval, **_):
        try:
            feed, created = feed_subscribe(url=url, interval_minutes=interval)
        except FeedError as exc:
            raise CommandError(str(exc)) from None
        verb = "subscribed to" if created else "already subscribed to"
        self.stdout.write(f"{verb} {feed.display_name()} ({feed.url})")

    def do_import(self, file, **_):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            entries = opml.read(file.open("rb"))
        except opml.OpmlError as exc:
            raise CommandError(f"{file}: {exc}") from None
        added = 0
        for url, title in entries:
            _, created = Feed.objects.get_or_create(url=url, defaults={"title": title[:300]})
            added += created
        self.stdout.write(opml.import_summary(added, len(entries) - added))

    def do_export(self, **_):
        sys.stdout.write(
            opml.write(Feed.objects.all(), title=f"{settings.SITREP_SITE_NAME} sources")
        )

    def do_list(self, **_):
        for feed in Feed.objects.all():
            state = "paused" if not feed.active else (feed.last_error or "ok")
            self.stdout.write(
                f"{feed.pk:>5}  {feed.item_count:>6} items  {state[:50]:<50}  {feed.url}"
            )
