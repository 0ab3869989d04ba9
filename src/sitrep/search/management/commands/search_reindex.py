from django.core.management.base import BaseCommand

from sitrep.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of every post (safe to run at any time)."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {index_rebuild()} posts.")
