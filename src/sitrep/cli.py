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
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from sitrep.config.env import ConfigError

    # A configuration mistake is one line saying what to change, not a traceback.
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (reading one setting loads them all)
        execute_from_command_line(argv)
    except (ImproperlyConfigured, ConfigError) as exc:
        sys.exit(f"sitrep: {exc}")
    except OperationalError as exc:
        sys.exit(f"sitrep: the database could not be used: {exc}".strip())


if __name__ == "__main__":
    main()
