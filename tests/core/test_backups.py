"""The worker's scheduled backups: queued when due, once; the newest kept."""

import os
import time

import pytest
from django.core.cache import cache

from sitrep.core import backups
from sitrep.core.tasks import backup_task

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what was committed


@pytest.fixture
def folder(settings, tmp_path):
    settings.SITREP_BACKUP_HOURS = 6
    settings.SITREP_BACKUP_KEEP = 2
    settings.SITREP_BACKUP_DIR = tmp_path
    cache.delete(backups.QUEUED_KEY)
    return tmp_path


def test_a_backup_is_queued_when_due_and_only_once(folder, make_post):
    make_post("Kept in the backup")
    assert backups.enqueue_due_backup() == 1
    assert backups.enqueue_due_backup() == 0  # queued already: another worker's clock asks too
    result = backup_task.call()
    written = folder / result["file"]
    assert written.stat().st_size == result["bytes"] > 0
    assert written.read_bytes()[:5] in (b"SQLit", b"PGDMP")
    assert not backups.backup_due() and backups.enqueue_due_backup() == 0
    os.utime(written, (time.time() - 7 * 3600,) * 2)  # the newest is now seven hours old
    assert backups.enqueue_due_backup() == 1


def test_only_the_newest_are_kept_and_nothing_else_in_the_folder_is_touched(folder):
    (folder / "notes.txt").write_text("the operator's own file")
    for stamp in ("20261201-040000", "20261202-040000", "20261203-040000"):
        (folder / f"sitrep-{stamp}-sqlite.backup").write_bytes(b"old")
    written = backups.backup_write()
    # (and "media", the library's files kept beside the backups: tests/test_backup.py)
    names = sorted(p.name for p in folder.iterdir() if p.name != "media")
    assert names == ["notes.txt", "sitrep-20261203-040000-sqlite.backup", written.name]


def test_none_are_taken_when_the_setting_is_zero(folder, settings):
    settings.SITREP_BACKUP_HOURS = 0
    assert backups.enqueue_due_backup() == 0 and not list(folder.iterdir())
