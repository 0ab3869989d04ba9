"""The `sitrep` console command: Django's management commands plus a few of our own.

sitrep serve [--bind HOST:PORT]     collect static files and serve with gunicorn
sitrep migrate | demo | createeditor NAME --signature "..." | any manage.py command
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitrep.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
