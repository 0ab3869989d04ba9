import time

from django.core.management.base import BaseCommand, CommandError

from sitrep.demo.seed import site_seed


class Command(BaseCommand):
    help = (
        "Add synthetic posts and comments for bench and scale checks "
        "(invented words, numbered headlines). Never run it on a real site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, required=True, help="published posts to add")
        parser.add_argument("--comments", type=int, default=0, help="comments spread over them")
        parser.add_argument(
            "--thread", type=int, default=0, help="also one post with this many comments"
        )
        parser.add_argument("--seed", type=int, default=7, help="same seed, same text")
        parser.add_argument(
            "--no-reindex", action="store_true", help="skip rebuilding the search index"
        )

    def handle(self, *args, posts, comments, thread, seed, no_reindex, **options):
        if posts < 0 or comments < 0 or thread < 0:
            raise CommandError("--posts, --comments and --thread must not be negative.")
        if comments and not posts:
            raise CommandError("--comments needs --posts: comments are spread over new posts.")
        started = time.perf_counter()
        made = site_seed(
            posts=posts, comments=comments, thread=thread, seed=seed, reindex=not no_reindex
        )
        self.stdout.write(
            f"Added {made.posts} posts, {made.clips} clips and {made.comments} comments "
            f"in {time.perf_counter() - started:.1f}s."
        )
