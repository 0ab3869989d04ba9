"""`sitrep backup FILE`: a consistent copy of the whole database while the site runs, and the
media library's files beside it (FILE's folder/media, only the new ones each time).

SQLite: the SQLite online backup API (a transactionally consistent snapshot, readers and
writers carry on). PostgreSQL: pg_dump in its custom format. `sitrep restore FILE` reads either.
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sitrep.core.backups import media_keep
from sitrep.core.management.commands._database import pg_url


class Command(BaseCommand):
    help = "Write a consistent backup of the database to FILE, while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        file = file.resolve()
        partial = file.with_name(file.name + ".partial")
        if connection.vendor == "sqlite":
            source = sqlite3.connect(connection.settings_dict["NAME"])
            target = sqlite3.connect(partial)
            with target:
                source.backup(target)
            target.close()
            source.close()
        elif connection.vendor == "postgresql":
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", pg_url()],
                capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"no backup method for {connection.vendor}")
        partial.replace(file)
        self.stdout.write(f"backup written to {file} ({file.stat().st_size:,} bytes)")
        added = media_keep(file.parent)
        if added is not None:
            self.stdout.write(f"media library kept in {file.parent / 'media'} ({added} new files)")
