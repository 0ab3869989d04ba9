"""`sitrep backup` and `sitrep restore` as an operator runs them, on the database CI uses."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

SITREP = str(Path(sys.executable).with_name("sitrep"))


@pytest.fixture
def site(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SITREP_", "DJANGO_"))}
    environ.pop("CACHE_URL", None)
    environ.update(SITREP_SECRET_KEY="backup-test", SITREP_DATA_DIR=str(tmp_path))
    dropdb = None
    if connection.vendor == "postgresql":  # a database of its own, next to the test database
        import psycopg

        name = f"sitrep_backup_{uuid.uuid4().hex[:8]}"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(base + "/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        environ["DATABASE_URL"] = f"{base}/{name}"

        def dropdb():
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        environ.pop("DATABASE_URL", None)
    yield environ
    if dropdb:
        dropdb()


def sitrep(environ, *args):
    result = subprocess.run([SITREP, *args], env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def count_posts(environ):
    script = "from sitrep.posts.models import Post; print(Post.objects.count())"
    return int(sitrep(environ, "shell", "-c", script).strip().splitlines()[-1])


def test_backup_then_restore_brings_the_site_back(site, tmp_path):
    sitrep(site, "migrate", "-v0")
    sitrep(site, "demo")
    assert count_posts(site) == 40
    assert "backup written" in sitrep(site, "backup", str(tmp_path / "site.backup"))
    sitrep(site, "shell", "-c", "from sitrep.posts.models import Post; Post.objects.all().delete()")
    assert count_posts(site) == 0
    refused = subprocess.run([SITREP, "restore", str(tmp_path / "site.backup")], env=site,
                             capture_output=True, text=True)  # fmt: skip
    assert refused.returncode != 0 and "Add --yes" in refused.stderr
    assert "restored" in sitrep(site, "restore", str(tmp_path / "site.backup"), "--yes")
    assert count_posts(site) == 40


def test_restore_refuses_a_file_that_is_not_a_backup(site, tmp_path):
    sitrep(site, "migrate", "-v0")
    (tmp_path / "notes.txt").write_text("hello")
    result = subprocess.run([SITREP, "restore", str(tmp_path / "notes.txt"), "--yes"], env=site,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0 and "is not a backup made by `sitrep backup`" in result.stderr
