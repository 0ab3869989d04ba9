import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from sitrep.importers.sitrep_jsonl import export


class Command(BaseCommand):
    help = "Write the whole site to one JSON-lines file (default: standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path)

    def handle(self, *args, file, **options):
        if file is None:
            counts = export(self.stdout)
        else:
            tmp = file.with_name(file.name + ".partial")
            with tmp.open("w", encoding="utf-8") as out:
                counts = export(out)
            tmp.replace(file)  # a reader never sees a half-written export
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        print(f"exported {summary}", file=sys.stderr)
