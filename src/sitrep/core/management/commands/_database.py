from urllib.parse import quote

from django.db import connection


def pg_url() -> str:
    """The configured PostgreSQL database as a libpq URL, for pg_dump and pg_restore."""
    s = connection.settings_dict
    auth = quote(s.get("USER") or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s.get("HOST") or "localhost"
    port = s.get("PORT") or 5432
    return f"postgresql://{auth + '@' if auth else ''}{host}:{port}/{quote(s['NAME'])}"
