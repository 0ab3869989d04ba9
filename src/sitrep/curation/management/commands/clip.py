import json

from django.core.management.base import BaseCommand

from sitrep.curation.extract import clip_extract


class Command(BaseCommand):
    help = "Fetch an article and print the clip sitrep would fill from it, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--selection", default="", help="text to quote instead of the lead")

    def handle(self, *args, url, selection, **options):
        draft = clip_extract(url, selection=selection)
        self.stdout.write(json.dumps(draft.as_json(), ensure_ascii=False, indent=2))
