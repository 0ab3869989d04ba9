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


def test_the_media_library_is_kept_beside_the_backup_and_brought_back(site, tmp_path):
    sitrep(site, "migrate", "-v0")
    sitrep(site, "demo")  # its maps and chart, with their sizes
    media = Path(site["SITREP_DATA_DIR"]) / "media"
    files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert len(files) > 20
    backups = tmp_path / "backups"  # another folder, as SITREP_BACKUP_DIR is
    backups.mkdir()
    out = sitrep(site, "backup", str(backups / "site.backup"))
    assert f"({len(files)} new files)" in out
    assert "(0 new files)" in sitrep(site, "backup", str(backups / "again.backup"))
    kept = backups / "media"
    assert sorted(p.relative_to(kept) for p in kept.rglob("*") if p.is_file()) == files
    for path in media.rglob("*"):  # the disk loses the library
        if path.is_file():
            path.unlink()
    out = sitrep(site, "restore", str(backups / "site.backup"), "--yes")
    assert f"media library: {len(files)} files brought back" in out
    assert sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()) == files


def test_restore_refuses_a_file_that_is_not_a_backup(site, tmp_path):
    sitrep(site, "migrate", "-v0")
    (tmp_path / "notes.txt").write_text("hello")
    result = subprocess.run([SITREP, "restore", str(tmp_path / "notes.txt"), "--yes"], env=site,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0 and "is not a backup made by `sitrep backup`" in result.stderr


WRITER = """
import pathlib
from sitrep.comments.services import comment_submit
from sitrep.posts.models import Post
posts = list(Post.objects.live().order_by('-published_at')[:3])
stop = pathlib.Path({stop!r})
i = 0
while not stop.exists():
    i += 1
    comment_submit(post=posts[i % 3], body=f'Written during the backup, number {{i}}.',
                   ip_hash=f'w{{i}}', author_name='Writer', screened=False)
print(i)
"""

DUMP = """
import json
from django.apps import apps
from django.core import serializers
rows = {}
for model in apps.get_models():
    if model._meta.app_label in ('sessions', 'django_tasks_database', 'core'):
        continue  # visits and the worker's queue and beats: not the site's content
    for obj in json.loads(serializers.serialize('json', model.objects.order_by('pk'))):
        rows[f"{obj['model']}:{obj['pk']}"] = obj['fields']
print(json.dumps(rows))
"""


def dump(environ) -> dict:
    import json

    return json.loads(sitrep(environ, "shell", "-c", DUMP).strip().splitlines()[-1])


def test_a_backup_taken_while_comments_are_written_restores_to_a_consistent_site(
    site_env, tmp_path
):
    import json

    source = {**site_env(), "SITREP_SECRET_KEY": "backup-drill"}
    sitrep(source, "migrate", "-v0")
    sitrep(source, "demo")
    stop = tmp_path / "stop"
    command = [SITREP, "shell", "-c", WRITER.format(stop=str(stop))]
    writer = subprocess.Popen(command, env=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)  # fmt: skip
    count = ("from sitrep.comments.models import Comment as C\n"
             "print(C.objects.filter(author_name='Writer').count())")  # fmt: skip

    def writes() -> int:
        assert writer.poll() is None, writer.stderr.read()
        return int(sitrep(source, "shell", "-c", count).strip().splitlines()[-1])

    while writes() < 20:
        pass
    sitrep(source, "backup", str(tmp_path / "drill.backup"))  # while the writer writes
    after_backup = writes()
    while writes() < after_backup + 5:  # and goes on writing after it
        pass
    stop.touch()
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out.strip().splitlines()[-1])
    target = {**site_env("restored"), "SITREP_SECRET_KEY": "backup-drill"}
    sitrep(target, "migrate", "-v0")
    sitrep(target, "restore", str(tmp_path / "drill.backup"), "--yes")
    before, after = dump(source), dump(target)
    # The backup is the source at one moment: every row it has is the source's row, except the
    # counts the later comments moved on; the comments after that moment are all that is missing.
    comments = [k for k in after if k.startswith("comments.comment:")]
    newest = max(int(k.rsplit(":", 1)[1]) for k in comments)
    missing = sorted(set(before) - set(after))
    assert all(k.startswith("comments.comment:") and int(k.rsplit(":", 1)[1]) > newest
               for k in missing), missing[:5]  # fmt: skip
    assert 0 < len(missing) < written  # taken part way through the writing
    assert not set(after) - set(before)
    for key, fields in after.items():
        if key.startswith("posts.post:"):
            moved = {n for n in fields if fields[n] != before[key][n]}
            assert moved <= {"comment_count"}, (key, moved)
        else:
            assert fields == before[key], key
    # Within the backup, each post's count is its comments' (no write torn in half).
    for key, fields in after.items():
        if key.startswith("posts.post:"):
            pk = int(key.rsplit(":", 1)[1])
            visible = sum(1 for k in comments if after[k]["post"] == pk
                          and after[k]["status"] == "visible")  # fmt: skip
            assert fields["comment_count"] == visible, key
    assert json.dumps(after)  # (what was compared is plain data)
