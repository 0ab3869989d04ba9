import time

from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize

from sitrep.curation.polling import feeds_poll_due


class Command(BaseCommand):
    help = "Poll every due feed now (--all: every feed), print a summary and exit."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="poll once and exit (default)")
        parser.add_argument("--all", action="store_true", help="poll all feeds, due or not")
        parser.add_argument("--concurrency", type=int, default=16)

    def handle(self, *args, all, concurrency, **options):
        started = time.perf_counter()
        results = feeds_poll_due(all_feeds=all, concurrency=concurrency)
        errors = [r for r in results if r.error]
        polled, seconds = len(results), time.perf_counter() - started
        self.stdout.write(
            f"polled {polled} feed{pluralize(polled)} in {seconds:.1f} s: "
            f"{sum(r.new_items for r in results)} new items, "
            f"{sum(r.not_modified for r in results)} unchanged, "
            f"{len(errors)} error{pluralize(len(errors))}"
        )
        for result in errors:
            self.stdout.write(f"  feed {result.feed_id}: {result.error}")
