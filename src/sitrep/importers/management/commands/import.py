import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sitrep.importers.load import FORMATS
from sitrep.importers.models import ImportRun
from sitrep.importers.runs import import_run_execute


class Command(BaseCommand):
    help = (
        "Import a Blogger, WordPress (WXR), Disqus or sitrep export into this site: "
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

        run = ImportRun.objects.create(name=file.name, format=format)
        try:
            run = import_run_execute(run=run, path=file, on_bytes=bar.update, on_phase=phase)
        finally:
            bar.close()
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"{file}: {run.error}")
        for line in run.report["lines"]:
            self.stdout.write(line)
        if run.report["images"]:
            self.stdout.write(
                f"The worker (`sitrep worker`) now copies the images into the media library; "
                f"desk → Import → {file.name} shows its progress."
            )
