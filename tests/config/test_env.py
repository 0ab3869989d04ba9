import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.config import env


def test_booleans_accept_common_spellings_and_refuse_nonsense():
    assert env.parse_bool("TRUE") is True
    assert env.parse_bool("0") is False
    with pytest.raises(env.ConfigError, match="SITREP_DEBUG='maybe' is not a boolean"):
        env.parse_bool("maybe", name="SITREP_DEBUG")


def test_lists_are_comma_separated_and_trimmed():
    assert env.parse_list(" a.example , b.example,,") == ["a.example", "b.example"]


def test_sqlite_url_gets_wal_and_immediate_transactions(tmp_path):
    config = env.parse_database_url("sqlite:///$SITREP_DATA_DIR/x.sqlite3", data_dir=tmp_path)
    assert config["NAME"] == str(tmp_path / "x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(tmp_path):
    config = env.parse_database_url("postgres://u:p@db.internal:5433/news", data_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "news")


def test_unsupported_database_is_a_clear_error(tmp_path):
    with pytest.raises(env.ConfigError, match="supports sqlite and postgres"):
        env.parse_database_url("mysql://u@h/db", data_dir=tmp_path)


def test_disk_cache_is_the_default_and_shared_by_processes(tmp_path):
    config = env.parse_cache_url(env.VARIABLES["CACHE_URL"], data_dir=tmp_path)
    assert config["BACKEND"] == "sitrep.core.safecache.SafeDiskCache"
    assert config["LOCATION"] == str(tmp_path / "cache")
    assert config["OPTIONS"] == {"size_limit": 512 * 2**20}
    sized = env.parse_cache_url("disk:///srv/cache?size_mb=64", data_dir=tmp_path)
    assert (sized["LOCATION"], sized["OPTIONS"]["size_limit"]) == ("/srv/cache", 64 * 2**20)
    with pytest.raises(env.ConfigError, match="size_mb"):
        env.parse_cache_url("disk://?size_mb=lots", data_dir=tmp_path)
    # A second process sees what this one wrote: the generation counter depends on it.
    from diskcache import DjangoCache

    first = DjangoCache(config["LOCATION"], config)
    first.set("sitrep:generation", 7, None)
    script = (
        "import sys; from django.conf import settings; settings.configure(); "
        "from diskcache import DjangoCache; "
        "c = DjangoCache(sys.argv[1], {'KEY_PREFIX': 'sitrep'}); "
        "c.incr('sitrep:generation'); print(c.get('sitrep:generation'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, config["LOCATION"]], capture_output=True, text=True
    )
    assert out.stdout.strip() == "8", out.stderr
    assert first.get("sitrep:generation") == 8


def test_cache_urls_map_to_backends(tmp_path):
    assert env.parse_cache_url("locmem://", data_dir=tmp_path)["BACKEND"].endswith("LocMemCache")
    redis = env.parse_cache_url("redis://cache:6379/2?prefix=news", data_dir=tmp_path)
    assert redis == {
        "BACKEND": "sitrep.core.safecache.SafeRedisCache",  # Django's, made safe to lose
        "LOCATION": "redis://cache:6379/2",
        "KEY_PREFIX": "news",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with pytest.raises(env.ConfigError, match="CACHE_URL"):
        env.parse_cache_url("memcached://x", data_dir=tmp_path)


def test_email_url_smtp_carries_credentials():
    config = env.parse_email_url("smtp+tls://bot:secret@mail.example:2525")
    assert config["EMAIL_HOST"] == "mail.example"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_HOST_PASSWORD"] == "secret"


def test_missing_secret_key_outside_debug_stops_startup_with_a_clear_message(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
    environ.update(SITREP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="sitrep.config.settings")
    result = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "check"],
        env=environ,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert result.returncode != 0
    assert "SITREP_SECRET_KEY is not set" in result.stderr
