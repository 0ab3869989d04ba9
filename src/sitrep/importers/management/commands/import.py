import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sitrep.importers.load import FORMATS, import_file
from sitrep.importers.records import ImportFileError


class Command(BaseCommand):
    help = (
        "Import a Blogger export, a WordPress export (WXR) or a sitrep export into this site: "
        "sitrep import blogger FILE. Safe to repeat; a broken file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=[*FORMATS, "auto"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, format, file, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        size = file.stat().st_size
        bar = tqdm(
            total=size, unit="B", unit_scale=True, disable=no_progress or None, file=sys.stderr
        )

        def phase(name):
            bar.reset(total=size)
            bar.set_description(name)

        try:
            report = import_file(
                file, fmt=None if format == "auto" else format, on_bytes=bar.update, on_phase=phase
            )
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from None
        finally:
            bar.close()
        for line in report.lines():
            self.stdout.write(line)
