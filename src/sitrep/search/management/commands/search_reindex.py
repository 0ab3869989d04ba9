from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from sitrep.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of every post (safe to run at any time)."

    def handle(self, *args, **options):
        count = index_rebuild()
        self.stdout.write(
            ngettext("Indexed %(n)d post.", "Indexed %(n)d posts.", count) % {"n": count}
        )
