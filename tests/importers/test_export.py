import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from sitrep.accounts.models import User
from sitrep.comments.models import Comment, DiscussionSettings
from sitrep.demo.services import demo_load
from sitrep.importers.load import import_file
from sitrep.importers.models import ImportKey, Redirect
from sitrep.importers.records import ImportFileError
from sitrep.importers.sitrep_jsonl import export
from sitrep.posts.models import Label, Outlet, Post

pytestmark = pytest.mark.django_db


def _export() -> list[str]:
    out = io.StringIO()
    export(out)
    return out.getvalue().splitlines()


def _empty_the_site():
    for model in (Comment, Redirect, ImportKey, Post, Outlet, Label, DiscussionSettings, User):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_site_gives_the_same_site(tmp_path, imported):
    demo_load()
    imported("blogger-classic.xml")  # imported posts, redirects and "Unknown" accounts too
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"mode": "named"})
    Comment.objects.filter(pk=Comment.objects.first().pk).update(status="removed")
    before = _export()
    (tmp_path / "site.jsonl").write_text("\n".join(before) + "\n")
    _empty_the_site()
    report = import_file(tmp_path / "site.jsonl")
    assert report.posts_new == 45
    after = _export()
    assert after[1:] == before[1:]  # everything but the header's export time
    assert DiscussionSettings.current().mode == "named"


def test_export_has_no_password_hashes_or_ip_hashes(editor, make_post):
    from sitrep.comments.services import comment_submit

    comment_submit(post=make_post(), body="hi", ip_hash="secret-hash")
    text = "\n".join(_export())
    assert editor.password not in text and "secret-hash" not in text
    assert "pbkdf2" not in text and "md5$" not in text
    header = json.loads(text.splitlines()[0])
    assert header["type"] == "sitrep-export" and header["version"] == 2


def test_imported_editors_have_no_usable_password(tmp_path, editor, make_post):
    make_post()
    (tmp_path / "site.jsonl").write_text("\n".join(_export()) + "\n")
    _empty_the_site()
    import_file(tmp_path / "site.jsonl")
    restored = User.objects.get(username="desk")
    assert restored.is_editor and restored.signature == "Night Editor"
    assert not restored.has_usable_password()


def test_a_broken_export_says_which_line(tmp_path, make_post):
    make_post()
    lines = _export()
    lines[3] = lines[3][:-5]  # cut a line short
    (tmp_path / "broken.jsonl").write_text("\n".join(lines) + "\n")
    _empty_the_site()
    with pytest.raises(ImportFileError, match=r"line 4, column \d+: not JSON"):
        import_file(tmp_path / "broken.jsonl")
    assert User.objects.count() == 0


def test_export_command_writes_a_file(tmp_path, make_post):
    make_post("Exported headline")
    call_command("export", str(tmp_path / "out.jsonl"))
    assert "Exported headline" in (tmp_path / "out.jsonl").read_text()
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_desk_import_runs_in_the_worker_and_its_page_follows_it(
    editor_client, worker, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.importers.conftest import DATA

    upload = SimpleUploadedFile("blog.xml", (DATA / "blogger-classic.xml").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/desk/import/", {"file": upload, "format": "auto"})
    page = response["Location"]
    waiting = editor_client.get(page).content.decode()
    assert "Waiting for the worker" in waiting and 'http-equiv="refresh"' in waiting
    with django_capture_on_commit_callbacks(execute=True):
        worker()  # the import, which then queues the copying of its images
    html = editor_client.get(page).content.decode()
    assert "posts: 5 new (2 structured into clips)" in html and "1 waiting" in html
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    html = editor_client.get(page).content.decode()
    assert "0 copied into the media library, 0 waiting, 1 failed" in html
    assert "blogger.example is a name reserved for examples" in html
    assert "refresh" not in html
    assert "blog.xml" in editor_client.get("/desk/import/").content.decode()
    broken = SimpleUploadedFile("broken.xml", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>")
    with django_capture_on_commit_callbacks(execute=True):
        page = editor_client.post("/desk/import/", {"file": broken, "format": "blogger"})
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    page = page["Location"]
    html = editor_client.get(page).content
    assert b"line 1, column" in html and b"Nothing was imported" in html
    assert not list((settings.DATA_DIR / "imports").iterdir())  # uploads go once imported


def test_desk_export_page(editor_client, imported):
    imported("blogger-classic.xml")
    response = editor_client.get("/desk/export/")
    assert response["Content-Disposition"].startswith('attachment; filename="sitrep-export-')
    body = b"".join(response.streaming_content).decode()
    assert "The Last Battle For The Valley" in body


def test_readers_cannot_import_or_export(client, reader):
    client.force_login(reader)
    assert client.get("/desk/export/").status_code == 403
    assert client.get("/desk/import/").status_code == 403
