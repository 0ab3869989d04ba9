"""Small, tested parsers that turn environment variables into Django settings.

Every variable sitrep reads is listed in ``VARIABLES`` with its default; docs/configuration.md
and ``.env.example`` document the same list, and ``tests/config/test_documented.py`` keeps them
in step.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url

VARIABLES = {
    "SITREP_ENV_FILE": ".env",
    "SITREP_DEBUG": "false",
    "SITREP_SECRET_KEY": "",
    "SITREP_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SITREP_DATA_DIR": "./var",
    "SITREP_SITE_NAME": "sitrep",
    "SITREP_SITE_TAGLINE": "",
    "SITREP_TIME_ZONE": "UTC",
    "SITREP_BIND": "127.0.0.1:8000",
    "SITREP_WORKERS": "2",
    "SITREP_THREADS": "2",
    "SITREP_ACCESS_LOG": "true",
    "SITREP_SERVER": "granian",
    "SITREP_PASSWORD": "",
    "SITREP_FORWARDED_FOR": "false",
    "SITREP_HTTPS": "false",
    "SITREP_PAGE_FILES": "false",
    "SITREP_CSRF_TRUSTED_ORIGINS": "",
    "SITREP_EMAIL_URL": "files://",
    "SITREP_SITE_URL": "http://127.0.0.1:8000",
    "SITREP_BOUNCES_URL": "",
    "SITREP_DEFAULT_FROM_EMAIL": "sitrep@localhost",
    "SITREP_TEMPLATE_DIR": "",
    "SITREP_TASKS_BACKEND": "database",
    "SITREP_RQ_URL": "redis://127.0.0.1:6379/1",
    "SITREP_WORKER_THREADS": "8",
    "SITREP_FETCH_ALLOW_PRIVATE": "false",
    "SITREP_ARCHIVE_SAVE_URL": "https://web.archive.org/save/{url}",
    "SITREP_ARCHIVE_AVAILABILITY_URL": "https://archive.org/wayback/available?url={url}",
    "SITREP_LINK_CHECK_DAYS": "7",
    "SITREP_BACKUP_HOURS": "24",
    "SITREP_BACKUP_KEEP": "14",
    "SITREP_BACKUP_DIR": "",
    "SITREP_MEDIA_STORAGE": "",
    "SITREP_MAP_TILES_URL": "",
    "SITREP_MAP_TILES_ATTRIBUTION": "",
    "SITREP_FEDIVERSE": "false",
    "SITREP_FEDIVERSE_USERNAME": "news",
    "SITREP_FEDIVERSE_DISPLAY_NAME": "",
    "SITREP_FEDIVERSE_APPROVE_FOLLOWERS": "false",
    "SITREP_FEDIVERSE_AUTHORIZED_FETCH": "false",
    "DATABASE_URL": "sqlite:///$SITREP_DATA_DIR/sitrep.sqlite3",
    # Shared by every process on the machine (web workers, the worker, the CLI), so rate
    # limits and invalidation hold across them; locmem:// would give each process its own.
    "CACHE_URL": "disk://",
}


class ConfigError(ValueError):
    """A variable has a value sitrep cannot use; the message says which and why."""


def load_env_file(environ: dict | None = None) -> Path | None:
    """Read SITREP_ENV_FILE (`.env` in the working directory) into the environment.

    `make run` writes the secret key there once, so the server, the worker and every `sitrep`
    command started from the checkout share one configuration with nothing exported by hand.
    A variable already set in the environment wins over the file. Returns the file read, if any.
    """
    from dotenv import dotenv_values

    environ = os.environ if environ is None else environ
    name = get("SITREP_ENV_FILE", environ)
    if not name or not Path(name).is_file():
        return None
    for key, value in dotenv_values(name).items():
        if value is not None:
            environ.setdefault(key, value)
    return Path(name)


# An empty value means the default for these (a `DATABASE_URL=` line left in .env).
EMPTY_IS_DEFAULT = {"DATABASE_URL", "CACHE_URL"}


def get(name: str, environ: dict | None = None) -> str:
    environ = os.environ if environ is None else environ
    value = environ.get(name, VARIABLES[name])
    return (value or VARIABLES[name]) if name in EMPTY_IS_DEFAULT else value


def parse_bool(value: str, *, name: str = "value") -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean; use true or false")


def parse_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_int(value: str, *, name: str = "value", minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None
    if number < minimum:
        raise ConfigError(f"{name}={value!r} must be at least {minimum}")
    return number


def parse_database_url(url: str, *, data_dir: Path) -> dict:
    """DATABASE_URL to a Django DATABASES entry.

    SQLite gets WAL journaling and IMMEDIATE transactions (Django 5.1+), so a burst of comment
    writes waits for the lock instead of failing with "database is locked" mid-transaction.
    SQLite connections are kept for the life of the server's thread: opening one (and setting
    its pragmas) and closing it (the last one to close checkpoints the WAL) cost more than the
    queries of a rendered page (bench/README.md, "Measurements behind the code").
    """
    url = url.replace("$SITREP_DATA_DIR", str(data_dir))
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"DATABASE_URL={url!r} is not a database URL: {exc}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = config.get("NAME") or ""
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = None  # kept; see above
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ConfigError(f"DATABASE_URL uses {engine}; sitrep supports sqlite and postgres")
    return config


def _size_limit(megabytes: str) -> int:
    return parse_int(megabytes, name="CACHE_URL size_mb", minimum=1) * 2**20


def parse_media_storage(url: str) -> dict:
    """SITREP_MEDIA_STORAGE to the STORAGES entry of the media library: empty for the disk
    ($SITREP_DATA_DIR/media), or s3://bucket/folder?endpoint_url=...&region_name=...
    &custom_domain=... for an S3-compatible store through django-storages, with the key and
    secret in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as boto3 reads them."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlparse(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ConfigError(f"SITREP_MEDIA_STORAGE={url!r} is not empty or s3://bucket/folder")
    try:
        import storages  # noqa: F401
    except ImportError:
        raise ConfigError(
            "SITREP_MEDIA_STORAGE is an S3 store, but django-storages is not installed: "
            "pip install -c requirements.lock -e '.[s3]'"
        ) from None
    known = {"endpoint_url", "region_name", "custom_domain"}
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - known)
    if unknown:
        raise ConfigError(f"SITREP_MEDIA_STORAGE: unknown option {unknown[0]!r}")
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        # Names are made from the content, so a file is never replaced, and addresses are
        # public and permanent (readers' pages link to them).
        "file_overwrite": False,
        "querystring_auth": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        **query,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def parse_cache_url(url: str, *, data_dir: Path) -> dict:
    """CACHE_URL to a Django CACHES entry.

    Hand-written on purpose: the off-the-shelf parsers map redis:// to the third-party
    django-redis package, while Django ships RedisCache since 4.0. disk:// (the default) is
    diskcache's Django backend: SQLite files shared by every process on the machine, chosen over
    Django's file cache, which lists its whole folder on every write and keeps only 300 entries
    (bench/README.md, "the disk cache").
    """
    parsed = urlparse(url)
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    prefix = options.pop("prefix", "sitrep")
    scheme = parsed.scheme
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in {"redis", "rediss"}:
        location = parsed._replace(query="").geturl()
        return {
            # Redis stopping never fails a request: reads miss, writes wait (core/safecache.py).
            "BACKEND": "sitrep.core.safecache.SafeRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if scheme == "disk":
        return {
            "BACKEND": "sitrep.core.safecache.SafeDiskCache",  # failing files fail no request
            "LOCATION": parsed.path or str(data_dir / "cache"),
            "KEY_PREFIX": prefix,
            # Eight SQLite files, so writers to different keys rarely wait on each other; a
            # write or read that meets a lock waits for it (up to 5 s) rather than fail.
            "SHARDS": 8,
            "DATABASE_TIMEOUT": 5.0,
            "OPTIONS": {"size_limit": _size_limit(options.get("size_mb", "512"))},
        }
    if scheme == "file":
        path = parsed.path or str(data_dir / "filecache")
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": path,
            "KEY_PREFIX": prefix,
        }
    raise ConfigError(
        f"CACHE_URL={url!r}: use disk://, locmem://, dummy://, file:///path or redis://host"
    )


def parse_tasks_backend(name: str, *, rq_url: str) -> tuple[dict, dict]:
    """SITREP_TASKS_BACKEND to Django's TASKS setting (and django-rq's RQ_QUEUES for "rq")."""
    # "federation": deliveries to fediverse servers, run by runners of their own so that a
    # fan-out to thousands of followers never waits in front of feed polls and mail.
    queues = ["default", "federation"]
    if name == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues}}, {}
    if name == "immediate":
        backend = "django_tasks.backends.immediate.ImmediateBackend"
        return {"default": {"BACKEND": backend, "QUEUES": queues}}, {}
    if name == "dummy":
        backend = "django_tasks.backends.dummy.DummyBackend"
        return {"default": {"BACKEND": backend, "QUEUES": queues}}, {}
    if name == "rq":
        rq = {name: {"URL": rq_url, "DEFAULT_TIMEOUT": 300} for name in queues}
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}, rq
    raise ConfigError(f"SITREP_TASKS_BACKEND={name!r}: use database, rq, immediate or dummy")


def parse_email_url(url: str) -> dict:
    """SITREP_EMAIL_URL to the settings of the transport the worker sends through: files://
    (default: .eml files under $SITREP_DATA_DIR/mail), console://, or smtp(s)://user:pw@host."""
    parsed = urlparse(url)
    if parsed.scheme == "files":
        return {"SITREP_MAIL_TRANSPORT": "sitrep.mail.transport.EmlFilesBackend"}
    if parsed.scheme == "console":
        return {"SITREP_MAIL_TRANSPORT": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"SITREP_MAIL_TRANSPORT": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        return {
            "SITREP_MAIL_TRANSPORT": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": parsed.username or "",
            "EMAIL_HOST_PASSWORD": parsed.password or "",
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        }
    raise ConfigError(
        f"SITREP_EMAIL_URL={url!r}: use files://, console:// or smtp://user:pass@host:port"
    )
