"""`sitrep backup` and `sitrep restore` as an operator runs them, on the database CI uses."""

import subprocess
import sys
from pathlib import Path

import pytest

SITREP = str(Path(sys.executable).with_name("sitrep"))


@pytest.fixture
def site(own_site_env):
    own_site_env.pop("CACHE_URL", None)
    own_site_env["SITREP_SECRET_KEY"] = "backup-test"
    return own_site_env


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
