"""`sitrep restore FILE --yes`: replace the database with a backup made by `sitrep backup`, and
bring back the media library's files kept beside it that this site lacks."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from sitrep.core.backups import media_bring_back
from sitrep.core.management.commands._database import pg_url


class Command(BaseCommand):
    help = "Replace this site's database with a backup from `sitrep backup` (stop the site first)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="really replace everything")

    def handle(self, *args, file, yes, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if not yes:
            raise CommandError("Restoring replaces everything on this site. Add --yes to do it.")
        head = file.read_bytes()[:16]
        vendor = connection.vendor
        if head.startswith(b"SQLite format 3"):
            if vendor != "sqlite":
                raise CommandError(f"{file} is a SQLite backup; this site runs on {vendor}")
            name = connection.settings_dict["NAME"]
            connections.close_all()
            source = sqlite3.connect(file)
            target = sqlite3.connect(name)
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif head.startswith(b"PGDMP"):
            if vendor != "postgresql":
                raise CommandError(f"{file} is a PostgreSQL backup; this site runs on {vendor}")
            connections.close_all()
            result = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={pg_url()}",
                 str(file)],
                capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        else:
            raise CommandError(f"{file} is not a backup made by `sitrep backup`")
        self.stdout.write(f"restored from {file}")
        brought = media_bring_back(file.resolve().parent)
        if brought is not None:
            self.stdout.write(f"media library: {brought} files brought back")
